//! # claims: adjudication of health insurance claims
//!
//! Models FHIR Claim / ClaimResponse (adjudication categories submitted, eligible, deductible, copay, coinsurance,
//! benefit) and X12 837/835: every adjustment is recorded with its group code (CO, PR, OA, PI) and claim adjustment
//! reason code (CARC, see [`adjudication::carc`]); corrected claims use the 837 frequency codes 7 and 8.
//!
//! Every payer and provider message re-checks its caller's credential with the participants contract (one
//! `has_role` call): a revoked or suspended payer or provider is refused, and `settle` does not pay a provider that
//! is no longer credentialed.
//!
//! - A credentialed **Payer** creates plans (cost-sharing [`adjudication::PlanTerms`]: deductible, coinsurance,
//!   copay, out-of-pocket maximum, timely filing, appeal window, benefit-year start, settlement delay, reversal
//!   window) with a benefit per service code (at most [`adjudication::MAX_ALLOWED_PER_UNIT`] allowed per unit),
//!   admits providers to the plan's network and removes them, enrols members for half-open periods
//!   `[from, until)` (every period kept, at most [`types::MAX_ENROLMENTS`]), decides and revokes prior
//!   authorizations (bound to the provider who asked, with an expiry), funds the plan's escrow and withdraws what
//!   is not owed.
//! - A credentialed **Provider** submits a claim (at most [`adjudication::MAX_LINES`] lines of service code, units
//!   and a non-zero charge, and [`adjudication::MAX_EVIDENCE`] evidence records, each of which must exist, be the
//!   patient's, be Current and be disclosable to the payer for Payment). **No diagnosis code is on chain**: the
//!   claim carries `detail`, the hash of its off-chain 837 claim document (diagnoses included), and adjudication
//!   runs on service code, units, charge and date only. The contract adjudicates at once
//!   ([`adjudication::adjudicate`]):
//!   * claim level, in this order: no enrolment period holding the date of service (31 not a member, 26 before
//!     coverage, 27 after coverage ended, 200 lapse between periods), a provider outside the plan's network (242),
//!     filed after the timely-filing window (29), duplicate of a live claim of the same provider for the same
//!     patient, plan, day of service and services (service codes and units, whatever their order and charges) (18):
//!     every line denied with that code. Only claims not denied at claim level stand as originals for the
//!     duplicate rule; a provider corrects its unpaid claim explicitly (`replace_claim`, 7; `void_claim`, 8);
//!   * line level: not covered or no benefit (96); prior authorization needed and no approved, unused, unexpired
//!     one of this provider for the patient, plan and service code (197), or one for fewer units (198); otherwise
//!     the cost sharing of [`adjudication::adjudicate_line`] (45 CO; 1, 3, 2 PR; out-of-pocket cap per
//!     member and benefit year);
//!   * fraud flags (units above the benefit's unit limit, a charge at or above 10x the allowed amount): the claim
//!     is Pended for payer review; its lines are not adjudicated, the accumulators are not touched and no prior
//!     authorization is consumed.
//! - Outcomes: Approved (no line denied), Partial (some lines denied), Denied (every line denied), Pended.
//!   The benefit of an Approved or Partial claim is owed, reserved in the plan's escrow. Without a settlement delay
//!   it is paid at once when the escrow's free funds (balance minus what other claims are owed) cover it;
//!   otherwise it joins the plan's settlement queue and `settle(plan)` pays the queue in order once each claim's
//!   delay is over ([`settlement`], [`escrow`]). During the delay the payer may void it with a reason and the
//!   patient may dispute it (it pends for review); the payer may pay it at once. After payment the payer may
//!   reverse it within the plan's reversal window: what it was paid is recouped, netted off the provider's next
//!   payments from the plan. The escrow never pays more than was funded:
//!   `paid + balance == funded - withdrawn + recouped`.
//! - Payer review of Pended claims sets each line's benefit (at most what the plan's benefit allows) or denies it
//!   with a code of [`adjudication::carc::DENIALS`]; appeals of Denied or Partial claims within the plan's appeal
//!   window may be overturned with higher per-line benefits (again bounded by the benefit), and the difference is
//!   owed ([`review`]). Amounts set by review or appeal are the payer's: they do not change the accumulators.
//!   No amount a payer, provider or patient can set brings what a plan owes near overflow: a plan always stays
//!   able to pay and withdraw.
//!
//! Benefit years follow the calendar: each plan starts its years on a month and day
//! ([`adjudication::YearStart`]), and the accumulators of a member reset on it ([`adjudication::benefit_year`]).
//!
//! Everything stored here is public on chain: plans, benefits, networks, enrolments (who is a member of which
//! plan), escrows and recoupments, accumulators, claims with their lines (service code, units, charge and their
//! adjustments), the hash of their off-chain detail and the ids of their evidence records, and prior
//! authorizations. The detail and the evidence stay off chain and in the records contract, read by the payer under
//! the patient's consent.
//!
//! Layout: [`errors`], [`events`], [`types`] (with the rules that keep each type valid), and the pure decisions:
//! [`adjudication`] (submission), [`correction`] (frequency codes 7 and 8), [`review`] (review and appeals),
//! [`settlement`] (delay, void, dispute, reversal, the queue), [`escrow`] (funds and payments). The contract
//! [`claims`] only loads, asks the other contracts, calls the decision, writes what it returns and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod adjudication;
pub mod correction;
pub mod errors;
pub mod escrow;
pub mod events;
pub mod review;
pub mod settlement;
pub mod types;

#[ink::contract]
pub mod claims {
    use crate::{
        adjudication::{self, benefit_year, Coverage, Submission},
        correction, escrow, review, settlement,
    };
    pub use crate::{
        adjudication::{
            carc, Accumulators, PlanTerms, YearStart, DAY_MS, FRAUD_MULTIPLE, MAX_ALLOWED_PER_UNIT, MAX_EVIDENCE,
            MAX_LINES,
        },
        errors::{Error, Result},
        events::*,
        types::*,
    };
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, Action, DataClassSet, Hash32, ListHead, Page, Purpose, RecordId, Role,
    };

    /// A member's enrolment periods in a plan, oldest first.
    type EnrolmentHistory = Vec<Enrolment>;
    /// (plan, member, benefit year).
    type MemberYear = (PlanId, AccountId, u64);
    /// (plan, patient, service code, provider).
    type AuthKey = (PlanId, AccountId, u32, AccountId);

    /// The open-authorization slot of `auth`.
    fn auth_key(auth: &PriorAuth) -> AuthKey {
        (auth.plan, auth.patient, auth.service_code, auth.provider)
    }

    /// A claim as its provider files it.
    struct Filing {
        provider: AccountId,
        patient: AccountId,
        plan: PlanId,
        date_of_service: Timestamp,
        lines: Vec<ClaimLine>,
        evidence: Vec<RecordId>,
        detail: Hash32,
    }

    /// What undoing a corrected claim writes (loaded by `undone`, written by `write_undone`).
    struct Undone {
        member_year: MemberYear,
        accumulators: Accumulators,
        auths: Vec<(AuthId, PriorAuth)>,
        /// The claim's duplicate-index key, when the index holds it for this claim.
        duplicate: Option<Hash32>,
    }

    #[ink(storage)]
    pub struct Claims {
        admin: Admin,
        participants: AccountId,
        records: AccountId,
        consent: AccountId,
        next_plan: PlanId,
        plans: Mapping<PlanId, Plan>,
        benefits: Mapping<(PlanId, u32), Benefit>,
        /// The providers in each plan's network.
        networks: Mapping<(PlanId, AccountId), ()>,
        /// Every enrolment period of a member in a plan, oldest first (at most MAX_ENROLMENTS): one read.
        enrolments: Mapping<(PlanId, AccountId), EnrolmentHistory>,
        escrows: Mapping<PlanId, Escrow>,
        accumulators: Mapping<MemberYear, Accumulators>,
        next_claim: ClaimId,
        claims: Mapping<ClaimId, Claim>,
        duplicates: Mapping<Hash32, ClaimId>,
        /// Each provider's and each patient's claims, newest first, linked through the claims.
        by_provider: Mapping<AccountId, ListHead>,
        by_patient: Mapping<AccountId, ListHead>,
        next_auth: AuthId,
        auths: Mapping<AuthId, PriorAuth>,
        /// Each plan's settlement queue: (plan, position) -> the claim that became owed there.
        queue: Mapping<(PlanId, u64), ClaimId>,
        /// What each provider owes each plan after a reversal, netted off its next payments from the plan.
        recoupments: Mapping<(PlanId, AccountId), Balance>,
        /// The requested or approved, unused prior authorization per (plan, patient, service code, provider).
        open_auths: Mapping<AuthKey, AuthId>,
    }

    impl Claims {
        /// `admin` governs it (the council contract in a deployment, see `council`). Plan, claim and prior-authorization ids start at 1.
        #[ink(constructor)]
        pub fn new(admin: AccountId, participants: AccountId, records: AccountId, consent: AccountId) -> Self {
            Self {
                admin: Admin::new(admin),
                participants,
                records,
                consent,
                next_plan: 1,
                plans: Mapping::new(),
                benefits: Mapping::new(),
                networks: Mapping::new(),
                enrolments: Mapping::new(),
                escrows: Mapping::new(),
                accumulators: Mapping::new(),
                next_claim: 1,
                claims: Mapping::new(),
                duplicates: Mapping::new(),
                by_provider: Mapping::new(),
                by_patient: Mapping::new(),
                next_auth: 1,
                auths: Mapping::new(),
                open_auths: Mapping::new(),
                queue: Mapping::new(),
                recoupments: Mapping::new(),
            }
        }

        // ---- governance ----

        /// Admin: propose `new_admin`; it takes over when it calls `accept_admin`.
        #[ink(message)]
        pub fn propose_admin(&mut self, new_admin: AccountId) -> Result<()> {
            let event = self.admin.propose(self.env().caller(), new_admin)?;
            self.env().emit_event::<AdminProposed>(event);
            Ok(())
        }

        /// The proposed admin takes over.
        #[ink(message)]
        pub fn accept_admin(&mut self) -> Result<()> {
            let event = self.admin.accept(self.env().caller())?;
            self.env().emit_event::<AdminChanged>(event);
            Ok(())
        }

        /// Admin: replace this contract's code, keeping its storage.
        #[ink(message)]
        pub fn upgrade(&mut self, code_hash: Hash) -> Result<()> {
            let event = self.admin.upgrade(self.env().caller(), code_hash)?;
            self.env().emit_event::<CodeUpgraded>(event);
            Ok(())
        }

        /// Admin: call the contract at `address` for `dependency` from now on.
        #[ink(message)]
        pub fn set_dependency(&mut self, dependency: Dependency, address: AccountId) -> Result<()> {
            self.admin.ensure_admin(self.env().caller())?;
            match dependency {
                Dependency::Participants => self.participants = address,
                Dependency::Records => self.records = address,
                Dependency::Consent => self.consent = address,
            }
            self.env().emit_event(DependencyChanged { dependency, address });
            Ok(())
        }

        // ---- plans ----

        /// A credentialed Payer: create a plan with these cost-sharing terms; the caller is its payer.
        #[ink(message)]
        pub fn create_plan(&mut self, terms: PlanTerms) -> Result<PlanId> {
            let payer = self.env().caller();
            self.ensure_role(payer, Role::Payer, Error::NotPayer)?;
            terms.check()?;
            let id = self.next_plan;
            self.next_plan = id.checked_add(1).ok_or(Error::Overflow)?;
            self.plans.insert(id, &Plan { payer, terms, created_at: self.env().block_timestamp() });
            self.env().emit_event(PlanCreated { plan: id, payer, terms });
            Ok(id)
        }

        /// The plan's payer: set (or replace) the benefit for `service_code`.
        #[ink(message)]
        pub fn set_benefit(&mut self, plan: PlanId, service_code: u32, benefit: Benefit) -> Result<()> {
            let payer = self.payer_of(plan)?;
            benefit.check()?;
            self.benefits.insert((plan, service_code), &benefit);
            self.env().emit_event(BenefitSet { plan, payer, service_code, benefit });
            Ok(())
        }

        /// The plan's payer: admit `provider` to the plan's network (its claims are adjudicated; a claim from a
        /// provider outside it is denied with CARC 242).
        #[ink(message)]
        pub fn admit_provider(&mut self, plan: PlanId, provider: AccountId) -> Result<()> {
            let payer = self.payer_of(plan)?;
            network_change(self.networks.contains((plan, provider)), true)?;
            self.networks.insert((plan, provider), &());
            self.env().emit_event(ProviderAdmitted { plan, payer, provider });
            Ok(())
        }

        /// The plan's payer: remove `provider` from the plan's network (its later claims are denied with 242).
        #[ink(message)]
        pub fn remove_provider(&mut self, plan: PlanId, provider: AccountId) -> Result<()> {
            let payer = self.payer_of(plan)?;
            network_change(self.networks.contains((plan, provider)), false)?;
            self.networks.remove((plan, provider));
            self.env().emit_event(ProviderRemoved { plan, payer, provider });
            Ok(())
        }

        /// The plan's payer: enrol `patient` for `[from, until)`. Every period is kept (at most MAX_ENROLMENTS per
        /// member and plan): a new one may only start at or after the end of the latest one.
        #[ink(message)]
        pub fn enrol(
            &mut self,
            plan: PlanId,
            patient: AccountId,
            from: Timestamp,
            until: Option<Timestamp>,
        ) -> Result<()> {
            let payer = self.payer_of(plan)?;
            let history =
                crate::types::enrolled(self.enrolments.get((plan, patient)).unwrap_or_default(), (from, until))?;
            self.enrolments.insert((plan, patient), &history);
            self.env().emit_event(MemberEnrolled { plan, payer, patient, from, until });
            Ok(())
        }

        /// The plan's payer: coverage of `patient` under its latest period ends at `at` (exclusive).
        #[ink(message)]
        pub fn end_enrolment(&mut self, plan: PlanId, patient: AccountId, at: Timestamp) -> Result<()> {
            let payer = self.payer_of(plan)?;
            let history = crate::types::ended(self.enrolments.get((plan, patient)).unwrap_or_default(), at)?;
            self.enrolments.insert((plan, patient), &history);
            self.env().emit_event(EnrolmentEnded { plan, payer, patient, at });
            Ok(())
        }

        /// The plan's payer: add the transferred value to the plan's escrow.
        #[ink(message, payable)]
        pub fn fund(&mut self, plan: PlanId) -> Result<()> {
            let payer = self.payer_of(plan)?;
            let amount = self.env().transferred_value();
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            escrow::fund(&mut escrow, amount)?;
            self.escrows.insert(plan, &escrow);
            self.env().emit_event(PlanFunded { plan, payer, amount });
            Ok(())
        }

        /// The plan's payer: take back `amount` of what the escrow holds beyond what it owes.
        #[ink(message)]
        pub fn withdraw(&mut self, plan: PlanId, amount: Balance) -> Result<()> {
            let payer = self.payer_of(plan)?;
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            escrow::withdraw(&mut escrow, amount)?;
            self.env().transfer(payer, amount).map_err(|_| Error::TransferFailed)?;
            self.escrows.insert(plan, &escrow);
            self.env().emit_event(FundsWithdrawn { plan, payer, amount });
            Ok(())
        }

        // ---- prior authorization ----

        /// A credentialed Provider: ask the plan's payer to authorise `units` of `service_code` for `patient`. The
        /// authorization is the caller's: no other provider's claim consumes it, and no other provider's request
        /// blocks it.
        #[ink(message)]
        pub fn request_prior_auth(
            &mut self,
            patient: AccountId,
            plan: PlanId,
            service_code: u32,
            units: u32,
        ) -> Result<AuthId> {
            let provider = self.env().caller();
            self.ensure_role(provider, Role::Provider, Error::NotProvider)?;
            if !self.plans.contains(plan) {
                return Err(Error::PlanNotFound);
            }
            let key = (plan, patient, service_code, provider);
            let now = self.env().block_timestamp();
            let auth = PriorAuth::request(provider, patient, plan, service_code, units, self.open_auths.get(key), now)?;
            let id = self.next_auth;
            self.next_auth = id.checked_add(1).ok_or(Error::Overflow)?;
            self.auths.insert(id, &auth);
            self.open_auths.insert(key, &id);
            self.env().emit_event(PriorAuthRequested { auth: id, provider, patient, plan, service_code, units });
            Ok(id)
        }

        /// The plan's payer: approve a requested prior authorization for dates of service before `valid_until`
        /// (after now), or deny it (`None`). An approved one is consumed by the first line of its provider's
        /// claim for the same patient, plan and service code, with at most its units and a date of service before
        /// `valid_until`, that is approved for payment; a denied one frees the way for a new request.
        #[ink(message)]
        pub fn decide_prior_auth(&mut self, auth: AuthId, valid_until: Option<Timestamp>) -> Result<()> {
            let id = auth;
            let auth = self.auths.get(id).ok_or(Error::PriorAuthNotFound)?;
            let payer = self.payer_of(auth.plan)?;
            let auth = auth.decided(valid_until, self.env().block_timestamp())?;
            self.auths.insert(id, &auth);
            if !auth.is_open() {
                self.open_auths.remove(auth_key(&auth));
            }
            let approved = auth.is_open();
            self.env().emit_event(PriorAuthDecided { auth: id, payer, provider: auth.provider, approved, valid_until });
            Ok(())
        }

        /// The plan's payer: revoke a requested or approved, unused prior authorization; no claim consumes it
        /// any more, and its provider may request a new one.
        #[ink(message)]
        pub fn revoke_prior_auth(&mut self, auth: AuthId) -> Result<()> {
            let id = auth;
            let auth = self.auths.get(id).ok_or(Error::PriorAuthNotFound)?;
            let payer = self.payer_of(auth.plan)?;
            let auth = auth.revoked()?;
            self.auths.insert(id, &auth);
            self.open_auths.remove(auth_key(&auth));
            self.env().emit_event(PriorAuthRevoked { auth: id, payer, provider: auth.provider });
            Ok(())
        }

        // ---- claims ----

        /// A credentialed Provider: submit a claim for `patient` under `plan`, committing to its off-chain 837
        /// detail (`detail`: the hash of the document with its diagnoses); it is adjudicated at once on service
        /// code, units, charge and date and, when Approved or Partial, paid from the escrow if its free funds cover
        /// the benefit (otherwise owed). X12 claim frequency code 1 (original).
        #[ink(message)]
        pub fn submit(
            &mut self,
            patient: AccountId,
            plan: PlanId,
            date_of_service: Timestamp,
            lines: Vec<ClaimLine>,
            evidence: Vec<RecordId>,
            detail: Hash32,
        ) -> Result<ClaimId> {
            let provider = self.env().caller();
            self.ensure_role(provider, Role::Provider, Error::NotProvider)?;
            self.file(Filing { provider, patient, plan, date_of_service, lines, evidence, detail }, None)
        }

        /// The claim's provider (credentialed): replace an unpaid claim with a corrected one for the same patient
        /// and plan (X12 claim frequency code 7). The original is undone ([`correction`]) and the replacement is
        /// adjudicated as a submission that names it (it is no duplicate of the claim it replaces).
        #[ink(message)]
        pub fn replace_claim(
            &mut self,
            claim: ClaimId,
            date_of_service: Timestamp,
            lines: Vec<ClaimLine>,
            evidence: Vec<RecordId>,
            detail: Hash32,
        ) -> Result<ClaimId> {
            let provider = self.env().caller();
            let mut original = self.claims.get(claim).ok_or(Error::ClaimNotFound)?;
            let undo = correction::correct(&mut original, provider, Correction::ReplacedBy(self.next_claim))?;
            self.ensure_role(provider, Role::Provider, Error::NotProvider)?;
            let (patient, plan) = (original.patient, original.plan);
            let filing = Filing { provider, patient, plan, date_of_service, lines, evidence, detail };
            self.file(filing, Some((claim, original, undo)))
        }

        /// The claim's provider (credentialed): void an unpaid claim (X12 claim frequency code 8): it is no longer
        /// owed, its patient's share leaves the accumulators, its prior authorizations are approved again.
        #[ink(message)]
        pub fn void_claim(&mut self, claim: ClaimId) -> Result<()> {
            let id = claim;
            let provider = self.env().caller();
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let undo = correction::correct(&mut claim, provider, Correction::Voided)?;
            self.ensure_role(provider, Role::Provider, Error::NotProvider)?;
            let start = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms.benefit_year_start;
            let undone = self.undone(id, &claim, &undo, start)?;
            let mut escrow = self.escrows.get(claim.plan).unwrap_or_default();
            escrow::release(&mut escrow, undo.released)?;
            self.write_undone(undone);
            self.escrows.insert(claim.plan, &escrow);
            self.claims.insert(id, &claim);
            self.env().emit_event(ClaimVoided { claim: id, provider, plan: claim.plan, released: undo.released });
            Ok(())
        }

        /// The plan's payer: decide every line of a Pended claim; Approved or Partial benefit is paid as on
        /// submission. Reviewed amounts are the payer's: they do not change the accumulators.
        #[ink(message)]
        pub fn review(&mut self, claim: ClaimId, decisions: Vec<LineDecision>) -> Result<()> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            let mut escrow = self.escrows.get(claim.plan).unwrap_or_default();
            let (caller, now, plan) = (self.env().caller(), self.env().block_timestamp(), claim.plan);
            let benefit = review::review(&mut claim, caller, &decisions, now, |code| self.benefits.get((plan, code)))?;
            self.ensure_role(caller, Role::Payer, Error::NotPayer)?;
            claim.payable_at = settlement::payable_at(now, terms.settlement_delay_ms);
            let payable = escrow::owe(&mut escrow, &mut claim, benefit, terms.pays_at_once())?;
            let paid = self.pay_or_queue(benefit, payable, id, &mut claim, &mut escrow)?;
            self.escrows.insert(claim.plan, &escrow);
            self.claims.insert(id, &claim);
            let (payer, provider, outcome) = (claim.payer, claim.provider, claim.outcome);
            self.env().emit_event(ClaimReviewed { claim: id, payer, provider, outcome, benefit, paid });
            Ok(())
        }

        /// Anyone: pay the next claim of the plan's settlement queue, in the order claims became owed (no queue
        /// jumping), once its settlement delay is over and the escrow holds it. Entries of claims no longer owed
        /// (paid, voided, disputed, corrected) are passed over, at most MAX_PAGE of them per call; when only such
        /// entries were found, they leave the queue (QueueAdvanced) and nothing is paid. Returns what was paid.
        #[ink(message)]
        pub fn settle(&mut self, plan: PlanId) -> Result<Balance> {
            let mut escrow = self.escrows.get(plan).ok_or(Error::NothingOwed)?;
            let now = self.env().block_timestamp();
            let next = settlement::next_owed(&escrow, |position| {
                let id = self.queue.get((plan, position))?;
                Some((id, self.claims.get(id)?))
            })?;
            let (position, id, mut claim) = match next {
                settlement::Next::Owed { position, claim: id, owed } => (position, id, *owed),
                settlement::Next::Passed { next, passed } => {
                    escrow.settle_next = next;
                    self.escrows.insert(plan, &escrow);
                    self.env().emit_event(QueueAdvanced { plan, passed });
                    return Ok(0);
                }
            };
            settlement::ensure_payable(&claim, now)?;
            let amount = escrow::settlement(&escrow, &claim)?;
            self.ensure_role(claim.provider, Role::Provider, Error::PayeeNotCredentialed)?;
            let mut recoupment = self.recoupment_of(plan, claim.provider, &escrow);
            let transfer = escrow::pay(&mut escrow, &mut claim.paid, amount, &mut recoupment)?;
            escrow.settle_next = position.checked_add(1).ok_or(Error::Overflow)?;
            self.transfer_to(claim.provider, transfer).map_err(|_| Error::TransferFailed)?;
            claim.paid_at = Some(now);
            self.write_recoupment(plan, claim.provider, recoupment);
            self.escrows.insert(plan, &escrow);
            self.claims.insert(id, &claim);
            let provider = claim.provider;
            let recouped = amount.saturating_sub(transfer);
            self.env().emit_event(ClaimPaid { claim: id, plan, provider, amount, recouped });
            Ok(amount)
        }

        /// The plan's payer: pay what a claim is owed at once, before its settlement delay ends and ahead of the
        /// queue (the payer's own choice).
        #[ink(message)]
        pub fn pay_now(&mut self, claim: ClaimId) -> Result<Balance> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            self.payer_of(claim.plan)?;
            let plan = claim.plan;
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            let amount = escrow::settlement(&escrow, &claim)?;
            let mut recoupment = self.recoupment_of(plan, claim.provider, &escrow);
            let transfer = escrow::pay(&mut escrow, &mut claim.paid, amount, &mut recoupment)?;
            self.transfer_to(claim.provider, transfer).map_err(|_| Error::TransferFailed)?;
            claim.paid_at = Some(self.env().block_timestamp());
            self.write_recoupment(plan, claim.provider, recoupment);
            self.escrows.insert(plan, &escrow);
            self.claims.insert(id, &claim);
            let (provider, recouped) = (claim.provider, amount.saturating_sub(transfer));
            self.env().emit_event(ClaimPaid { claim: id, plan, provider, amount, recouped });
            Ok(amount)
        }

        /// The plan's payer: void an approved claim not paid yet with a denial CARC `reason` (of `carc::DENIALS`):
        /// every line is denied with it, nothing is owed, the patient's share leaves the accumulators.
        #[ink(message)]
        pub fn void_payment(&mut self, claim: ClaimId, reason: u16) -> Result<()> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let payer = self.env().caller();
            let undo = settlement::void(&mut claim, payer, reason, self.env().block_timestamp())?;
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            self.ensure_role(payer, Role::Payer, Error::NotPayer)?;
            let undone = self.undone(id, &claim, &undo, terms.benefit_year_start)?;
            let mut escrow = self.escrows.get(claim.plan).unwrap_or_default();
            escrow::release(&mut escrow, undo.released)?;
            self.write_undone(undone);
            self.escrows.insert(claim.plan, &escrow);
            self.claims.insert(id, &claim);
            let provider = claim.provider;
            self.env().emit_event(PaymentVoided { claim: id, payer, provider, reason, released: undo.released });
            Ok(())
        }

        /// The claim's patient: dispute an approved claim within its settlement delay ("service not received"):
        /// it is pended for the payer's review and nothing is owed until then.
        #[ink(message)]
        pub fn dispute(&mut self, claim: ClaimId) -> Result<()> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let patient = self.env().caller();
            let undo = settlement::dispute(&mut claim, patient, self.env().block_timestamp())?;
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            let undone = self.undone(id, &claim, &undo, terms.benefit_year_start)?;
            let mut escrow = self.escrows.get(claim.plan).unwrap_or_default();
            escrow::release(&mut escrow, undo.released)?;
            self.write_undone(undone);
            self.escrows.insert(claim.plan, &escrow);
            self.claims.insert(id, &claim);
            self.env().emit_event(ClaimDisputed { claim: id, patient, payer: claim.payer, released: undo.released });
            Ok(())
        }

        /// The plan's payer: reverse a paid claim within the plan's reversal window with a denial CARC `reason`:
        /// every line is denied with it, and what it was paid becomes a recoupment its provider owes the plan,
        /// netted off that provider's next payments from the plan.
        #[ink(message)]
        pub fn reverse(&mut self, claim: ClaimId, reason: u16) -> Result<()> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let payer = self.env().caller();
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            let now = self.env().block_timestamp();
            let (recoup, undo) = settlement::reverse(&mut claim, payer, reason, now, terms.reversal_window_ms)?;
            self.ensure_role(payer, Role::Payer, Error::NotPayer)?;
            let undone = self.undone(id, &claim, &undo, terms.benefit_year_start)?;
            let (plan, provider) = (claim.plan, claim.provider);
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            escrow::release(&mut escrow, undo.released)?;
            let recoupment =
                escrow::recoup(&mut escrow, self.recoupments.get((plan, provider)).unwrap_or_default(), recoup)?;
            self.write_undone(undone);
            self.recoupments.insert((plan, provider), &recoupment);
            self.escrows.insert(plan, &escrow);
            self.claims.insert(id, &claim);
            self.env().emit_event(ClaimReversed { claim: id, payer, provider, reason, recoupment: recoup });
            Ok(())
        }

        /// The claim's provider or patient: appeal a Denied or Partial claim within the plan's appeal window
        /// (counted from the claim's decision). One appeal per claim.
        #[ink(message)]
        pub fn appeal(&mut self, claim: ClaimId, reason_hash: Hash32) -> Result<()> {
            let id = claim;
            let by = self.env().caller();
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            let now = self.env().block_timestamp();
            let credentialed = || self.ensure_role(by, Role::Provider, Error::NotProvider);
            let appeal = review::appeal(&claim, by, reason_hash, now, terms.appeal_window_ms, credentialed)?;
            claim.appeal = Some(appeal);
            self.claims.insert(id, &claim);
            self.env().emit_event(AppealFiled { claim: id, by, payer: claim.payer, reason_hash });
            Ok(())
        }

        /// The plan's payer: uphold (`None`) or overturn a pending appeal with a new benefit per line (never lower
        /// than before, never above what the plan's benefit allows the line less the patient's share); the
        /// difference is owed, and paid as on submission.
        #[ink(message)]
        pub fn decide_appeal(&mut self, claim: ClaimId, overturn: Option<Vec<Balance>>) -> Result<()> {
            let id = claim;
            let mut claim = self.claims.get(id).ok_or(Error::ClaimNotFound)?;
            let terms = self.plans.get(claim.plan).ok_or(Error::PlanNotFound)?.terms;
            let mut escrow = self.escrows.get(claim.plan).unwrap_or_default();
            let plan = claim.plan;
            let benefit_of = |code| self.benefits.get((plan, code));
            let caller = self.env().caller();
            let added = review::decide_appeal(&mut claim, caller, overturn.as_deref(), benefit_of)?;
            self.ensure_role(caller, Role::Payer, Error::NotPayer)?;
            if added > 0 {
                claim.payable_at = settlement::payable_at(self.env().block_timestamp(), terms.settlement_delay_ms);
            }
            let payable = escrow::owe(&mut escrow, &mut claim, added, terms.pays_at_once())?;
            let paid = self.pay_or_queue(added, payable, id, &mut claim, &mut escrow)?;
            self.escrows.insert(claim.plan, &escrow);
            self.claims.insert(id, &claim);
            self.env().emit_event(AppealDecided {
                claim: id,
                payer: claim.payer,
                provider: claim.provider,
                overturned: overturn.is_some(),
                added_benefit: added,
                paid,
            });
            Ok(())
        }

        // ---- reads ----

        #[ink(message)]
        pub fn admin(&self) -> AccountId {
            self.admin.admin()
        }

        #[ink(message)]
        pub fn proposed_admin(&self) -> Option<AccountId> {
            self.admin.proposed()
        }

        /// The address this contract calls for `dependency` (None for one it does not call).
        #[ink(message)]
        pub fn dependency(&self, dependency: Dependency) -> Option<AccountId> {
            match dependency {
                Dependency::Participants => Some(self.participants),
                Dependency::Records => Some(self.records),
                Dependency::Consent => Some(self.consent),
            }
        }

        #[ink(message)]
        pub fn plan(&self, plan: PlanId) -> Option<Plan> {
            self.plans.get(plan)
        }

        #[ink(message)]
        pub fn benefit(&self, plan: PlanId, service_code: u32) -> Option<Benefit> {
            self.benefits.get((plan, service_code))
        }

        /// What `provider` owes `plan` after reversals, netted off its next payments from the plan.
        #[ink(message)]
        pub fn recoupment(&self, plan: PlanId, provider: AccountId) -> Balance {
            self.recoupments.get((plan, provider)).unwrap_or_default()
        }

        /// Whether `provider` is in the plan's network.
        #[ink(message)]
        pub fn in_network(&self, plan: PlanId, provider: AccountId) -> bool {
            self.networks.contains((plan, provider))
        }

        /// The member's latest enrolment period in the plan.
        #[ink(message)]
        pub fn enrolment(&self, plan: PlanId, patient: AccountId) -> Option<Enrolment> {
            self.enrolments.get((plan, patient)).and_then(|history| history.last().copied())
        }

        /// Every enrolment period of the member in the plan, oldest first (at most MAX_ENROLMENTS).
        #[ink(message)]
        pub fn enrolments(&self, plan: PlanId, patient: AccountId) -> Vec<Enrolment> {
            self.enrolments.get((plan, patient)).unwrap_or_default()
        }

        /// The plan's escrow (all zero for an unfunded or unknown plan).
        #[ink(message)]
        pub fn escrow(&self, plan: PlanId) -> Escrow {
            self.escrows.get(plan).unwrap_or_default()
        }

        /// What `patient` has paid under `plan` in benefit year `year` (the calendar year in which it started:
        /// [`adjudication::benefit_year`]).
        #[ink(message)]
        pub fn accumulators(&self, plan: PlanId, patient: AccountId, year: u64) -> Accumulators {
            self.accumulators.get((plan, patient, year)).unwrap_or_default()
        }

        #[ink(message)]
        pub fn claim(&self, claim: ClaimId) -> Option<Claim> {
            self.claims.get(claim)
        }

        /// A page of `provider`'s claim ids, newest first: `from` None for the newest, then the page's `next`.
        #[ink(message)]
        pub fn claims_by_provider(&self, provider: AccountId, from: Option<ClaimId>, limit: u32) -> Page<ClaimId> {
            let head = self.by_provider.get(provider).unwrap_or_default();
            linked_page(head, from, limit, |id| {
                let claim = self.claims.get(id).filter(|claim| claim.provider == provider)?;
                Some((id, claim.previous_of_provider))
            })
        }

        /// A page of `patient`'s claim ids, newest first: `from` None for the newest, then the page's `next`.
        #[ink(message)]
        pub fn claims_by_patient(&self, patient: AccountId, from: Option<ClaimId>, limit: u32) -> Page<ClaimId> {
            let head = self.by_patient.get(patient).unwrap_or_default();
            linked_page(head, from, limit, |id| {
                let claim = self.claims.get(id).filter(|claim| claim.patient == patient)?;
                Some((id, claim.previous_of_patient))
            })
        }

        #[ink(message)]
        pub fn prior_auth(&self, auth: AuthId) -> Option<PriorAuth> {
            self.auths.get(auth)
        }

        // ---- internals ----

        /// Files a claim (a submission, or the replacement of `corrected`, the original marked replaced with what
        /// to undo): adjudicates it, pays it when the escrow's free funds allow and writes it. Everything is decided
        /// before anything is written.
        fn file(&mut self, filing: Filing, corrected: Option<(ClaimId, Claim, correction::Undo)>) -> Result<ClaimId> {
            let Filing { provider, patient, plan, date_of_service, lines, evidence, detail } = filing;
            let now = self.env().block_timestamp();
            adjudication::check_submission(&lines, &evidence, date_of_service, now)?;
            let Plan { payer, terms, .. } = self.plans.get(plan).ok_or(Error::PlanNotFound)?;
            self.check_evidence(patient, payer, &evidence)?;

            let id = self.next_claim;
            let next_claim = id.checked_add(1).ok_or(Error::Overflow)?;
            let key = self.duplicate_key(provider, patient, plan, date_of_service, lines.iter().copied());
            let replaces = corrected.as_ref().map(|(original, ..)| *original);
            let duplicate = self.duplicates.get(key).is_some_and(|earlier| Some(earlier) != replaces);
            let member_year = (plan, patient, benefit_year(date_of_service, terms.benefit_year_start));
            let undone = match &corrected {
                Some((original, claim, undo)) => Some(self.undone(*original, claim, undo, terms.benefit_year_start)?),
                None => None,
            };
            let accumulators = match &undone {
                Some(undone) if undone.member_year == member_year => undone.accumulators,
                _ => self.accumulators.get(member_year).unwrap_or_default(),
            };
            let reopened: &[(AuthId, PriorAuth)] = undone.as_ref().map_or(&[], |undone| &undone.auths);
            let enrolments = self.enrolments.get((plan, patient)).unwrap_or_default();
            let submission = Submission {
                claim: id,
                terms: &terms,
                enrolments: &enrolments,
                date_of_service,
                now,
                in_network: self.networks.contains((plan, provider)),
                duplicate,
                accumulators,
                lines: &lines,
            };
            let adjudication = adjudication::adjudicate(&submission, |line| {
                let benefit = self.benefits.get((plan, line.service_code));
                let auth = benefit.filter(Benefit::needs_prior_auth).and_then(|_| {
                    let key = (plan, patient, line.service_code, provider);
                    let reopened = reopened.iter().find(|(_, auth)| auth_key(auth) == key);
                    reopened.copied().or_else(|| self.open_auth(key))
                });
                Coverage { benefit, auth }
            })?;
            let by_provider = self.by_provider.get(provider).unwrap_or_default();
            let by_patient = self.by_patient.get(patient).unwrap_or_default();
            let mut claim = Claim {
                provider,
                patient,
                plan,
                payer,
                date_of_service,
                submitted_at: now,
                detail,
                lines: adjudication.lines,
                evidence,
                outcome: adjudication.outcome,
                reason: adjudication.reason,
                benefit: 0,
                paid: 0,
                decided_at: now,
                appeal: None,
                replaces,
                correction: None,
                payable_at: settlement::payable_at(now, terms.settlement_delay_ms),
                paid_at: None,
                disputed: false,
                reversed: false,
                previous_of_provider: by_provider.newest,
                previous_of_patient: by_patient.newest,
            };
            let by_provider = by_provider.pushed(id).ok_or(Error::Overflow)?;
            let by_patient = by_patient.pushed(id).ok_or(Error::Overflow)?;
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            if let Some((_, _, undo)) = &corrected {
                escrow::release(&mut escrow, undo.released)?;
            }
            let payable = escrow::owe(&mut escrow, &mut claim, adjudication.benefit, terms.pays_at_once())?;

            // Everything checked: pay (or queue) and write.
            let paid = self.pay_or_queue(adjudication.benefit, payable, id, &mut claim, &mut escrow)?;
            self.next_claim = next_claim;
            if let (Some(undone), Some((original, original_claim, _))) = (undone, &corrected) {
                self.write_undone(undone);
                self.claims.insert(original, original_claim);
            }
            if let Some(accumulators) = adjudication.accumulators {
                self.accumulators.insert(member_year, &accumulators);
            }
            for (auth_id, auth) in &adjudication.used_auths {
                self.auths.insert(auth_id, auth);
                self.open_auths.remove(auth_key(auth));
            }
            if adjudication.reason.is_none() {
                self.duplicates.insert(key, &id);
            }
            self.by_provider.insert(provider, &by_provider);
            self.by_patient.insert(patient, &by_patient);
            self.escrows.insert(plan, &escrow);
            let (outcome, reason) = (claim.outcome, claim.reason);
            self.claims.insert(id, &claim);

            self.env().emit_event(ClaimSubmitted {
                claim: id,
                provider,
                patient,
                plan,
                date_of_service,
                outcome,
                reason,
                benefit: adjudication.benefit,
                paid,
                replaces,
            });
            Ok(id)
        }

        /// The key of a claim in the duplicate index: the hash of its [`adjudication::duplicate_identity`].
        fn duplicate_key(
            &self,
            provider: AccountId,
            patient: AccountId,
            plan: PlanId,
            date_of_service: Timestamp,
            lines: impl Iterator<Item = ClaimLine>,
        ) -> Hash32 {
            let identity = adjudication::duplicate_identity(provider, patient, plan, date_of_service, lines);
            self.env().hash_encoded::<ink::env::hash::Blake2x256, _>(&identity)
        }

        /// Loads what undoing corrected claim `id` writes: its member-year's accumulators without its share, the
        /// prior authorizations it consumed approved again, and its duplicate-index entry (when it holds it).
        fn undone(&self, id: ClaimId, claim: &Claim, undo: &correction::Undo, start: YearStart) -> Result<Undone> {
            let member_year = (claim.plan, claim.patient, benefit_year(claim.date_of_service, start));
            let accumulators = self.accumulators.get(member_year).unwrap_or_default();
            let mut auths = Vec::new();
            for &auth_id in &undo.auths {
                if let Some(auth) = self.auths.get(auth_id).and_then(|auth| correction::reopened(auth, id)) {
                    auths.push((auth_id, auth));
                }
            }
            let lines = claim.lines.iter().map(|line| line.line);
            let key = self.duplicate_key(claim.provider, claim.patient, claim.plan, claim.date_of_service, lines);
            Ok(Undone {
                member_year,
                accumulators: correction::accumulators_without(accumulators, undo),
                auths,
                duplicate: (undo.unindex && self.duplicates.get(key) == Some(id)).then_some(key),
            })
        }

        /// Writes what undoing a corrected claim loaded: a reopened authorization takes back its (plan, patient,
        /// service code) slot unless a newer request holds it.
        fn write_undone(&mut self, undone: Undone) {
            self.accumulators.insert(undone.member_year, &undone.accumulators);
            for (auth_id, auth) in &undone.auths {
                self.auths.insert(auth_id, auth);
                let key = auth_key(auth);
                if !self.open_auths.contains(key) {
                    self.open_auths.insert(key, auth_id);
                }
            }
            if let Some(key) = undone.duplicate {
                self.duplicates.remove(key);
            }
        }

        fn ensure_role(&self, account: AccountId, role: Role, refusal: Error) -> Result<()> {
            match client::has_role(self.participants, account, role) {
                Ok(true) => Ok(()),
                Ok(false) => Err(refusal),
                Err(_) => Err(Error::ParticipantsUnreachable),
            }
        }

        /// The payer of `plan`, when it is the caller and still a credentialed Payer (one `has_role` call).
        fn payer_of(&self, plan: PlanId) -> Result<AccountId> {
            let payer = self.plans.get(plan).ok_or(Error::PlanNotFound)?.ensure_payer(self.env().caller())?;
            self.ensure_role(payer, Role::Payer, Error::NotPayer)?;
            Ok(payer)
        }

        /// The open prior authorization for (plan, patient, service code, provider), with its id.
        fn open_auth(&self, key: AuthKey) -> Option<(AuthId, PriorAuth)> {
            let id = self.open_auths.get(key)?;
            Some((id, self.auths.get(id)?))
        }

        /// Asks the records contract about every evidence record and the consent contract whether the payer may
        /// read it for Payment ([`adjudication::evidence_class`] judges each summary). Consent is asked once per
        /// data class: its answer depends on the class, not on the record.
        fn check_evidence(&self, patient: AccountId, payer: AccountId, evidence: &[RecordId]) -> Result<()> {
            let mut disclosable = DataClassSet::default();
            for &id in evidence {
                let summary = client::record_summary(self.records, id).map_err(|_| Error::RecordsUnreachable)?;
                let class = adjudication::evidence_class(id, patient, summary)?;
                if !disclosable.contains(class) {
                    client::check(self.consent, patient, payer, Purpose::Payment, class, Action::Read)
                        .map_err(|_| Error::ConsentUnreachable)?
                        .map_err(|_| Error::EvidenceNotDisclosable(id))?;
                    disclosable = disclosable.with(class);
                }
            }
            Ok(())
        }

        /// Pays claim `id`, just owed `added` more, what `escrow::owe` found payable at once (`payable`, nothing
        /// when 0), netting off what its provider owes the plan; a transfer the chain refuses (or a payment that
        /// does not fit) leaves it owed. A claim newly owed and not paid joins the plan's settlement queue. Returns
        /// what was paid (gross). Refused (before anything is written) only when the queue's counter does not fit.
        fn pay_or_queue(
            &mut self,
            added: Balance,
            payable: Balance,
            id: ClaimId,
            claim: &mut Claim,
            escrow: &mut Escrow,
        ) -> Result<Balance> {
            let paid = self.pay(payable, claim, escrow);
            if paid == 0 && added > 0 {
                let position = escrow::enqueue(escrow)?;
                self.queue.insert((claim.plan, position), &id);
            }
            Ok(paid)
        }

        /// Pays the claim's provider `amount` (nothing when 0), netting off its recoupment; Returns what was paid.
        fn pay(&mut self, amount: Balance, claim: &mut Claim, escrow: &mut Escrow) -> Balance {
            if amount == 0 {
                return 0;
            }
            let (mut booked, mut paid) = (*escrow, claim.paid);
            let mut recoupment = self.recoupment_of(claim.plan, claim.provider, escrow);
            let Ok(transfer) = escrow::pay(&mut booked, &mut paid, amount, &mut recoupment) else {
                return 0;
            };
            if self.transfer_to(claim.provider, transfer).is_err() {
                return 0;
            }
            self.write_recoupment(claim.plan, claim.provider, recoupment);
            *escrow = booked;
            claim.paid = paid;
            claim.paid_at = Some(self.env().block_timestamp());
            amount
        }

        /// What `provider` owes `plan` (read only when the plan has recoupments at all: the common path reads
        /// nothing more).
        fn recoupment_of(&self, plan: PlanId, provider: AccountId, escrow: &Escrow) -> Balance {
            if escrow.recoupable == 0 {
                return 0;
            }
            self.recoupments.get((plan, provider)).unwrap_or_default()
        }

        fn write_recoupment(&mut self, plan: PlanId, provider: AccountId, recoupment: Balance) {
            if recoupment == 0 {
                self.recoupments.remove((plan, provider));
            } else {
                self.recoupments.insert((plan, provider), &recoupment);
            }
        }

        /// Transfers `amount` (nothing when 0).
        fn transfer_to(&self, account: AccountId, amount: Balance) -> core::result::Result<(), ()> {
            if amount == 0 {
                return Ok(());
            }
            self.env().transfer(account, amount).map_err(|_| ())
        }
    }
}

#[cfg(test)]
mod tests;
