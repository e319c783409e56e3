//! # claims: adjudication of health insurance claims
//!
//! Models FHIR Claim / ClaimResponse (adjudication categories submitted, eligible, deductible, copay, coinsurance,
//! benefit) and X12 837/835 with claim adjustment reason codes (CARC, see [`adjudication::carc`]).
//!
//! - A credentialed **Payer** creates plans (cost-sharing [`adjudication::PlanTerms`] and a benefit per service
//!   code), enrols members for a half-open period `[from, until)`, funds the plan's escrow and withdraws what is
//!   not owed.
//! - A credentialed **Provider** submits a claim (at most [`claims::MAX_LINES`] lines and
//!   [`claims::MAX_EVIDENCE`] evidence records, each of which must exist, be the patient's, be Current and be
//!   disclosable to the payer for Payment). The contract adjudicates at once:
//!   * claim level, in this order: not a member (31), before coverage (26), after coverage ended (27), filed after
//!     the timely-filing window (29), exact duplicate of an earlier claim by the same provider for the same patient,
//!     date and lines (18): every line denied with that code;
//!   * line level: not covered or no benefit (96); prior authorization needed and no approved, unused one for the
//!     patient, plan, service code and at least the line's units (15); otherwise the cost sharing of
//!     [`adjudication::adjudicate_line`] (45, 1, 3, 2, out-of-pocket cap per member-year);
//!   * fraud flags (units above the benefit's unit limit, a charge at or above 10x the allowed amount): the claim
//!     is Pended for payer review; its lines are not adjudicated and the accumulators are not touched.
//! - Outcomes: Approved (no line denied), Partial (some lines denied), Denied (every line denied), Pended.
//!   The benefit of an Approved or Partial claim is paid at once from the plan's escrow to the provider when the
//!   escrow's free funds (balance minus what other claims are owed) cover it; otherwise it is owed and `settle`
//!   pays it later. The escrow never pays more than was funded: `paid + balance == funded - withdrawn`.
//! - Payer review of Pended claims sets each line's benefit (or denies it with a code); appeals of Denied or
//!   Partial claims within the plan's appeal window may be overturned with higher per-line benefits, and the
//!   difference is paid. Amounts set by review or appeal are the payer's: they do not change the accumulators.
//!
//! Plan years are calendar-free: `year = date_of_service / 365 days` ([`adjudication::plan_year`]).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod adjudication;
pub mod types;

#[ink::contract]
pub mod claims {
    use crate::adjudication::{adjudicate_line, plan_year, FULL_BPS};
    pub use crate::adjudication::{carc, Accumulators, PlanTerms};
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, Action, DataClassSet, Hash32, ListHead, Page, Purpose, RecordId, RecordStatus, Role,
    };

    pub use crate::types::*;

    /// At most this many lines per claim.
    pub const MAX_LINES: u32 = 16;
    /// At most this many evidence records per claim.
    pub const MAX_EVIDENCE: u32 = 8;
    /// (plan, member, plan year).
    type MemberYear = (PlanId, AccountId, u64);
    /// (plan, patient, service code).
    type AuthKey = (PlanId, AccountId, u32);

    /// True when a length is above a bound.
    fn exceeds(len: usize, max: u32) -> bool {
        u32::try_from(len).map_or(true, |len| len > max)
    }

    /// A charge at or above this multiple of the allowed amount is flagged for review.
    pub const FRAUD_MULTIPLE: u128 = 10;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum Error {
        /// The caller is not the admin.
        NotAdmin,
        /// No admin transfer is pending for the caller.
        NotProposedAdmin,
        /// The chain refused the new code hash.
        UpgradeFailed,
        /// The participants contract gave no answer.
        ParticipantsUnreachable,
        /// The records contract gave no answer.
        RecordsUnreachable,
        /// The consent contract gave no answer.
        ConsentUnreachable,
        /// The caller is not a credentialed Payer.
        NotPayer,
        /// The caller is not a credentialed Provider.
        NotProvider,
        /// The caller is not the payer of this plan.
        NotPlanPayer,
        /// No plan with that id.
        PlanNotFound,
        /// Coinsurance above 10 000 basis points.
        InvalidCoinsurance,
        /// The patient is already enrolled in this plan for a period that overlaps.
        AlreadyEnrolled,
        /// The patient holds no enrolment in this plan.
        NotEnrolled,
        /// The period ends before it starts (or the end given is not after the start).
        InvalidPeriod,
        /// The enrolment has already ended at or before that time.
        AlreadyEnded,
        /// An amount of zero.
        ZeroAmount,
        /// More than the escrow holds beyond what it owes.
        InsufficientFreeFunds,
        /// The chain refused a transfer.
        TransferFailed,
        /// A claim needs at least one line.
        NoLines,
        /// More than MAX_LINES lines.
        TooManyLines,
        /// More than MAX_EVIDENCE evidence records.
        TooManyEvidence,
        /// A line (or prior authorization) with zero units.
        ZeroUnits,
        /// The date of service is after now.
        DateOfServiceInFuture,
        /// The records contract knows no such record.
        EvidenceNotFound(RecordId),
        /// The record is another patient's.
        EvidenceOfAnotherPatient(RecordId),
        /// The record is superseded, entered in error or erased.
        EvidenceNotCurrent(RecordId),
        /// The patient's consent does not let the payer read this record for Payment.
        EvidenceNotDisclosable(RecordId),
        /// No claim with that id.
        ClaimNotFound,
        /// Only a Pended claim is reviewed.
        NotPended,
        /// One decision (or amount) per line is needed.
        DecisionCountMismatch,
        /// An amount above what the line can bear (its charge, less the patient's share).
        AmountAboveCharge,
        /// A denial needs a denial CARC code (not 0, 1, 2, 3 or 45).
        InvalidReasonCode,
        /// Nothing is owed on this claim.
        NothingOwed,
        /// The escrow holds less than the claim is owed.
        InsufficientEscrow,
        /// Only the claim's provider or patient may appeal.
        NotClaimParty,
        /// Only a Denied or Partial claim can be appealed.
        NotAppealable,
        /// The appeal window has closed.
        AppealWindowClosed,
        /// The claim has already been appealed.
        AlreadyAppealed,
        /// The claim has no pending appeal.
        NoPendingAppeal,
        /// An overturn may not lower a line's benefit.
        AmountBelowBenefit,
        /// No prior authorization with that id.
        PriorAuthNotFound,
        /// An open (requested or approved, unused) prior authorization exists for this patient, plan and code.
        PriorAuthOpen(AuthId),
        /// The prior authorization has already been decided.
        PriorAuthDecided,
        /// An amount or counter does not fit.
        Overflow,
    }

    interfaces::admin_errors!(Error);

    pub type Result<T> = core::result::Result<T, Error>;

    #[ink(event)]
    pub struct PlanCreated {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        pub terms: PlanTerms,
    }

    #[ink(event)]
    pub struct BenefitSet {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        pub service_code: u32,
        pub benefit: Benefit,
    }

    #[ink(event)]
    pub struct MemberEnrolled {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        #[ink(topic)]
        pub patient: AccountId,
        pub from: Timestamp,
        pub until: Option<Timestamp>,
    }

    #[ink(event)]
    pub struct EnrolmentEnded {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        #[ink(topic)]
        pub patient: AccountId,
        pub at: Timestamp,
    }

    #[ink(event)]
    pub struct PlanFunded {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        pub amount: Balance,
    }

    #[ink(event)]
    pub struct FundsWithdrawn {
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub payer: AccountId,
        pub amount: Balance,
    }

    /// A claim was submitted and adjudicated at once; `paid` of its `benefit` went to the provider (the rest is
    /// owed until `settle`).
    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct ClaimSubmitted {
        #[ink(topic)]
        pub claim: ClaimId,
        #[ink(topic)]
        pub provider: AccountId,
        #[ink(topic)]
        pub patient: AccountId,
        pub plan: PlanId,
        pub date_of_service: Timestamp,
        pub outcome: Outcome,
        /// The claim-level reason code when every line was denied for one reason.
        pub reason: Option<u16>,
        pub benefit: Balance,
        pub paid: Balance,
    }

    /// `settle` paid what a claim was owed.
    #[ink(event)]
    pub struct ClaimPaid {
        #[ink(topic)]
        pub claim: ClaimId,
        #[ink(topic)]
        pub plan: PlanId,
        #[ink(topic)]
        pub provider: AccountId,
        pub amount: Balance,
    }

    #[ink(event)]
    pub struct ClaimReviewed {
        #[ink(topic)]
        pub claim: ClaimId,
        #[ink(topic)]
        pub payer: AccountId,
        #[ink(topic)]
        pub provider: AccountId,
        pub outcome: Outcome,
        pub benefit: Balance,
        /// Paid to the provider now (the rest of the benefit is owed until `settle`).
        pub paid: Balance,
    }

    #[ink(event)]
    pub struct PriorAuthRequested {
        #[ink(topic)]
        pub auth: AuthId,
        #[ink(topic)]
        pub provider: AccountId,
        #[ink(topic)]
        pub patient: AccountId,
        pub plan: PlanId,
        pub service_code: u32,
        pub units: u32,
    }

    #[ink(event)]
    pub struct PriorAuthDecided {
        #[ink(topic)]
        pub auth: AuthId,
        #[ink(topic)]
        pub payer: AccountId,
        #[ink(topic)]
        pub provider: AccountId,
        pub approved: bool,
    }

    #[ink(event)]
    pub struct AppealFiled {
        #[ink(topic)]
        pub claim: ClaimId,
        #[ink(topic)]
        pub by: AccountId,
        #[ink(topic)]
        pub payer: AccountId,
        pub reason_hash: Hash32,
    }

    #[ink(event)]
    pub struct AppealDecided {
        #[ink(topic)]
        pub claim: ClaimId,
        #[ink(topic)]
        pub payer: AccountId,
        #[ink(topic)]
        pub provider: AccountId,
        pub overturned: bool,
        /// Benefit added by the overturn.
        pub added_benefit: Balance,
        /// Paid to the provider now (the rest of the benefit is owed until `settle`).
        pub paid: Balance,
    }

    /// The claim-wide result of adjudicating a submission, before anything is written.
    struct Adjudicated {
        lines: Vec<LineAdjudication>,
        outcome: Outcome,
        reason: Option<u16>,
        accumulators: Option<Accumulators>,
        used_auths: Vec<AuthId>,
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
        enrolments: Mapping<(PlanId, AccountId), Enrolment>,
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
        /// The requested or approved, unused prior authorization per (plan, patient, service code).
        open_auths: Mapping<AuthKey, AuthId>,
    }

    impl Claims {
        /// The caller becomes the governance admin.
        #[ink(constructor)]
        pub fn new(participants: AccountId, records: AccountId, consent: AccountId) -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                participants,
                records,
                consent,
                next_plan: 0,
                plans: Mapping::new(),
                benefits: Mapping::new(),
                enrolments: Mapping::new(),
                escrows: Mapping::new(),
                accumulators: Mapping::new(),
                next_claim: 0,
                claims: Mapping::new(),
                duplicates: Mapping::new(),
                by_provider: Mapping::new(),
                by_patient: Mapping::new(),
                next_auth: 0,
                auths: Mapping::new(),
                open_auths: Mapping::new(),
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
            if terms.coinsurance_bps > FULL_BPS {
                return Err(Error::InvalidCoinsurance);
            }
            let id = self.next_plan;
            self.next_plan = id.checked_add(1).ok_or(Error::Overflow)?;
            self.plans.insert(id, &Plan { payer, terms, created_at: self.env().block_timestamp() });
            self.env().emit_event(PlanCreated { plan: id, payer, terms });
            Ok(id)
        }

        /// The plan's payer: set (or replace) the benefit for `service_code`.
        #[ink(message)]
        pub fn set_benefit(&mut self, plan: PlanId, service_code: u32, benefit: Benefit) -> Result<()> {
            let payer = self.plan_of_payer(plan)?.payer;
            self.benefits.insert((plan, service_code), &benefit);
            self.env().emit_event(BenefitSet { plan, payer, service_code, benefit });
            Ok(())
        }

        /// The plan's payer: enrol `patient` for `[from, until)`. One period per member and plan is kept: a new
        /// one may only start at or after the end of the previous one (and replaces it).
        #[ink(message)]
        pub fn enrol(
            &mut self,
            plan: PlanId,
            patient: AccountId,
            from: Timestamp,
            until: Option<Timestamp>,
        ) -> Result<()> {
            let payer = self.plan_of_payer(plan)?.payer;
            if until.is_some_and(|until| until <= from) {
                return Err(Error::InvalidPeriod);
            }
            if let Some(existing) = self.enrolments.get((plan, patient)) {
                if existing.until.is_none_or(|end| end > from) {
                    return Err(Error::AlreadyEnrolled);
                }
            }
            self.enrolments.insert((plan, patient), &Enrolment { from, until });
            self.env().emit_event(MemberEnrolled { plan, payer, patient, from, until });
            Ok(())
        }

        /// The plan's payer: coverage of `patient` ends at `at` (exclusive).
        #[ink(message)]
        pub fn end_enrolment(&mut self, plan: PlanId, patient: AccountId, at: Timestamp) -> Result<()> {
            let payer = self.plan_of_payer(plan)?.payer;
            let mut enrolment = self.enrolments.get((plan, patient)).ok_or(Error::NotEnrolled)?;
            if at <= enrolment.from {
                return Err(Error::InvalidPeriod);
            }
            if enrolment.until.is_some_and(|until| until <= at) {
                return Err(Error::AlreadyEnded);
            }
            enrolment.until = Some(at);
            self.enrolments.insert((plan, patient), &enrolment);
            self.env().emit_event(EnrolmentEnded { plan, payer, patient, at });
            Ok(())
        }

        /// The plan's payer: add the transferred value to the plan's escrow.
        #[ink(message, payable)]
        pub fn fund(&mut self, plan: PlanId) -> Result<()> {
            let payer = self.plan_of_payer(plan)?.payer;
            let amount = self.env().transferred_value();
            if amount == 0 {
                return Err(Error::ZeroAmount);
            }
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            escrow.funded = escrow.funded.checked_add(amount).ok_or(Error::Overflow)?;
            escrow.balance = escrow.balance.checked_add(amount).ok_or(Error::Overflow)?;
            self.escrows.insert(plan, &escrow);
            self.env().emit_event(PlanFunded { plan, payer, amount });
            Ok(())
        }

        /// The plan's payer: take back `amount` of what the escrow holds beyond what it owes.
        #[ink(message)]
        pub fn withdraw(&mut self, plan: PlanId, amount: Balance) -> Result<()> {
            let payer = self.plan_of_payer(plan)?.payer;
            if amount == 0 {
                return Err(Error::ZeroAmount);
            }
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            if amount > escrow.balance.saturating_sub(escrow.owed) {
                return Err(Error::InsufficientFreeFunds);
            }
            escrow.balance = escrow.balance.checked_sub(amount).ok_or(Error::Overflow)?;
            escrow.withdrawn = escrow.withdrawn.checked_add(amount).ok_or(Error::Overflow)?;
            self.env().transfer(payer, amount).map_err(|_| Error::TransferFailed)?;
            self.escrows.insert(plan, &escrow);
            self.env().emit_event(FundsWithdrawn { plan, payer, amount });
            Ok(())
        }

        // ---- prior authorization ----

        /// A credentialed Provider: ask the plan's payer to authorise `units` of `service_code` for `patient`.
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
            if units == 0 {
                return Err(Error::ZeroUnits);
            }
            if let Some(open) = self.open_auths.get((plan, patient, service_code)) {
                return Err(Error::PriorAuthOpen(open));
            }
            let id = self.next_auth;
            self.next_auth = id.checked_add(1).ok_or(Error::Overflow)?;
            let auth = PriorAuth {
                provider,
                patient,
                plan,
                service_code,
                units,
                status: AuthStatus::Requested,
                requested_at: self.env().block_timestamp(),
            };
            self.auths.insert(id, &auth);
            self.open_auths.insert((plan, patient, service_code), &id);
            self.env().emit_event(PriorAuthRequested { auth: id, provider, patient, plan, service_code, units });
            Ok(id)
        }

        /// The plan's payer: approve or deny a requested prior authorization. An approved one is consumed by the
        /// first claim line for the same patient, plan and service code with at most its units.
        #[ink(message)]
        pub fn decide_prior_auth(&mut self, auth: AuthId, approve: bool) -> Result<()> {
            let mut prior = self.auths.get(auth).ok_or(Error::PriorAuthNotFound)?;
            let payer = self.plan_of_payer(prior.plan)?.payer;
            if prior.status != AuthStatus::Requested {
                return Err(Error::PriorAuthDecided);
            }
            prior.status = if approve { AuthStatus::Approved } else { AuthStatus::Denied };
            self.auths.insert(auth, &prior);
            if !approve {
                self.open_auths.remove((prior.plan, prior.patient, prior.service_code));
            }
            self.env().emit_event(PriorAuthDecided { auth, payer, provider: prior.provider, approved: approve });
            Ok(())
        }

        // ---- claims ----

        /// A credentialed Provider: submit a claim for `patient` under `plan`; it is adjudicated at once and, when
        /// Approved or Partial, paid from the escrow if its free funds cover the benefit (otherwise owed).
        #[ink(message)]
        pub fn submit(
            &mut self,
            patient: AccountId,
            plan: PlanId,
            date_of_service: Timestamp,
            lines: Vec<ClaimLine>,
            evidence: Vec<RecordId>,
        ) -> Result<ClaimId> {
            let provider = self.env().caller();
            let now = self.env().block_timestamp();
            self.ensure_role(provider, Role::Provider, Error::NotProvider)?;
            if lines.is_empty() {
                return Err(Error::NoLines);
            }
            if exceeds(lines.len(), MAX_LINES) {
                return Err(Error::TooManyLines);
            }
            if exceeds(evidence.len(), MAX_EVIDENCE) {
                return Err(Error::TooManyEvidence);
            }
            if lines.iter().any(|line| line.units == 0) {
                return Err(Error::ZeroUnits);
            }
            let plan_data = self.plans.get(plan).ok_or(Error::PlanNotFound)?;
            if date_of_service > now {
                return Err(Error::DateOfServiceInFuture);
            }
            self.check_evidence(patient, plan_data.payer, &evidence)?;

            let id = self.next_claim;
            let next_claim = id.checked_add(1).ok_or(Error::Overflow)?;
            let key =
                self.env().hash_encoded::<ink::env::hash::Blake2x256, _>(&(provider, patient, date_of_service, &lines));
            let result = self.adjudicate(&plan_data, plan, patient, date_of_service, now, &lines, key)?;
            let benefit = result.lines.iter().try_fold(0u128, |sum, l| sum.checked_add(l.benefit));
            let benefit = benefit.ok_or(Error::Overflow)?;
            let mut claim = Claim {
                provider,
                patient,
                plan,
                payer: plan_data.payer,
                date_of_service,
                submitted_at: now,
                lines: result.lines,
                evidence,
                outcome: result.outcome,
                reason: result.reason,
                benefit: 0,
                paid: 0,
                decided_at: now,
                appeal: None,
                previous_of_provider: None,
                previous_of_patient: None,
            };
            let mut escrow = self.escrows.get(plan).unwrap_or_default();
            let by_provider = self.by_provider.get(provider).unwrap_or_default();
            let by_patient = self.by_patient.get(patient).unwrap_or_default();
            claim.previous_of_provider = by_provider.newest;
            claim.previous_of_patient = by_patient.newest;
            let by_provider = by_provider.pushed(id).ok_or(Error::Overflow)?;
            let by_patient = by_patient.pushed(id).ok_or(Error::Overflow)?;
            self.add_benefit(&mut claim, &mut escrow, benefit)?;

            // Everything checked: write.
            let paid = self.pay_if_free(&mut claim, &mut escrow);
            self.next_claim = next_claim;
            if let Some(accumulators) = result.accumulators {
                self.accumulators.insert((plan, patient, plan_year(date_of_service)), &accumulators);
            }
            for auth_id in &result.used_auths {
                if let Some(mut auth) = self.auths.get(auth_id) {
                    auth.status = AuthStatus::Used(id);
                    self.auths.insert(auth_id, &auth);
                    self.open_auths.remove((auth.plan, auth.patient, auth.service_code));
                }
            }
            if !self.duplicates.contains(key) {
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
                benefit,
                paid,
            });
            Ok(id)
        }

        /// The plan's payer: decide every line of a Pended claim; Approved or Partial benefit is paid as on
        /// submission. Reviewed amounts are the payer's: they do not change the accumulators.
        #[ink(message)]
        pub fn review(&mut self, claim: ClaimId, decisions: Vec<LineDecision>) -> Result<()> {
            let mut data = self.claims.get(claim).ok_or(Error::ClaimNotFound)?;
            let payer = Self::ensure_claim_payer(&data, self.env().caller())?;
            if data.outcome != Outcome::Pended {
                return Err(Error::NotPended);
            }
            if decisions.len() != data.lines.len() {
                return Err(Error::DecisionCountMismatch);
            }
            let mut benefit: Balance = 0;
            for (line, decision) in data.lines.iter_mut().zip(decisions.iter()) {
                line.deductible = 0;
                line.copay = 0;
                line.coinsurance = 0;
                line.patient_share = 0;
                line.benefit = 0;
                match *decision {
                    LineDecision::Approve(amount) => {
                        Self::set_line_benefit(line, amount)?;
                        benefit = benefit.checked_add(amount).ok_or(Error::Overflow)?;
                    }
                    LineDecision::Deny(code) => {
                        if code == 0 || !carc::is_denial(code) {
                            return Err(Error::InvalidReasonCode);
                        }
                        line.eligible = 0;
                        line.denied = true;
                        line.codes = ink::prelude::vec![code];
                    }
                }
            }
            data.outcome = Self::outcome_of(&data.lines);
            data.decided_at = self.env().block_timestamp();
            let mut escrow = self.escrows.get(data.plan).unwrap_or_default();
            self.add_benefit(&mut data, &mut escrow, benefit)?;
            let paid = self.pay_if_free(&mut data, &mut escrow);
            self.escrows.insert(data.plan, &escrow);
            self.claims.insert(claim, &data);
            let outcome = data.outcome;
            self.env().emit_event(ClaimReviewed { claim, payer, provider: data.provider, outcome, benefit, paid });
            Ok(())
        }

        /// Anyone: pay what a claim is owed, now that the escrow holds it.
        #[ink(message)]
        pub fn settle(&mut self, claim: ClaimId) -> Result<Balance> {
            let mut data = self.claims.get(claim).ok_or(Error::ClaimNotFound)?;
            let owed = data.benefit.checked_sub(data.paid).ok_or(Error::Overflow)?;
            if owed == 0 {
                return Err(Error::NothingOwed);
            }
            let mut escrow = self.escrows.get(data.plan).unwrap_or_default();
            if escrow.balance < owed {
                return Err(Error::InsufficientEscrow);
            }
            self.pay(&mut data, &mut escrow, owed)?;
            self.escrows.insert(data.plan, &escrow);
            self.claims.insert(claim, &data);
            self.env().emit_event(ClaimPaid { claim, plan: data.plan, provider: data.provider, amount: owed });
            Ok(owed)
        }

        /// The claim's provider or patient: appeal a Denied or Partial claim within the plan's appeal window
        /// (counted from the claim's decision). One appeal per claim.
        #[ink(message)]
        pub fn appeal(&mut self, claim: ClaimId, reason_hash: Hash32) -> Result<()> {
            let by = self.env().caller();
            let now = self.env().block_timestamp();
            let mut data = self.claims.get(claim).ok_or(Error::ClaimNotFound)?;
            if by != data.provider && by != data.patient {
                return Err(Error::NotClaimParty);
            }
            if !matches!(data.outcome, Outcome::Denied | Outcome::Partial) {
                return Err(Error::NotAppealable);
            }
            if data.appeal.is_some() {
                return Err(Error::AlreadyAppealed);
            }
            let plan = self.plans.get(data.plan).ok_or(Error::PlanNotFound)?;
            let closes = data.decided_at.saturating_add(plan.terms.appeal_window_ms);
            if now >= closes {
                return Err(Error::AppealWindowClosed);
            }
            data.appeal = Some(Appeal { by, reason_hash, filed_at: now, status: AppealStatus::Pending });
            self.claims.insert(claim, &data);
            self.env().emit_event(AppealFiled { claim, by, payer: data.payer, reason_hash });
            Ok(())
        }

        /// The plan's payer: uphold (`None`) or overturn a pending appeal with a new benefit per line (never lower
        /// than before, never above the line's charge less the patient's share); the difference is paid.
        #[ink(message)]
        pub fn decide_appeal(&mut self, claim: ClaimId, overturn: Option<Vec<Balance>>) -> Result<()> {
            let mut data = self.claims.get(claim).ok_or(Error::ClaimNotFound)?;
            let payer = Self::ensure_claim_payer(&data, self.env().caller())?;
            let mut appeal = match data.appeal {
                Some(appeal) if appeal.status == AppealStatus::Pending => appeal,
                _ => return Err(Error::NoPendingAppeal),
            };
            let mut added: Balance = 0;
            match &overturn {
                None => appeal.status = AppealStatus::Upheld,
                Some(amounts) => {
                    if amounts.len() != data.lines.len() {
                        return Err(Error::DecisionCountMismatch);
                    }
                    for (line, amount) in data.lines.iter_mut().zip(amounts.iter()) {
                        if *amount < line.benefit {
                            return Err(Error::AmountBelowBenefit);
                        }
                        if *amount == line.benefit {
                            continue;
                        }
                        let extra = amount.checked_sub(line.benefit).ok_or(Error::Overflow)?;
                        Self::set_line_benefit(line, *amount)?;
                        added = added.checked_add(extra).ok_or(Error::Overflow)?;
                    }
                    appeal.status = AppealStatus::Overturned;
                    data.outcome = Self::outcome_of(&data.lines);
                }
            }
            data.appeal = Some(appeal);
            let mut escrow = self.escrows.get(data.plan).unwrap_or_default();
            self.add_benefit(&mut data, &mut escrow, added)?;
            let paid = self.pay_if_free(&mut data, &mut escrow);
            self.escrows.insert(data.plan, &escrow);
            self.claims.insert(claim, &data);
            let overturned = overturn.is_some();
            self.env().emit_event(AppealDecided {
                claim,
                payer,
                provider: data.provider,
                overturned,
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

        #[ink(message)]
        pub fn enrolment(&self, plan: PlanId, patient: AccountId) -> Option<Enrolment> {
            self.enrolments.get((plan, patient))
        }

        /// The plan's escrow (all zero for an unfunded or unknown plan).
        #[ink(message)]
        pub fn escrow(&self, plan: PlanId) -> Escrow {
            self.escrows.get(plan).unwrap_or_default()
        }

        /// What `patient` has paid under `plan` in plan year `year` (`date_of_service / 365 days`).
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

        fn ensure_role(&self, account: AccountId, role: Role, refusal: Error) -> Result<()> {
            match client::has_role(self.participants, account, role) {
                Ok(true) => Ok(()),
                Ok(false) => Err(refusal),
                Err(_) => Err(Error::ParticipantsUnreachable),
            }
        }

        /// The plan, if the caller is its payer.
        /// The claim's payer (copied from its plan at submission, which never changes payer) is `caller`.
        fn ensure_claim_payer(claim: &Claim, caller: AccountId) -> Result<AccountId> {
            if claim.payer != caller {
                return Err(Error::NotPlanPayer);
            }
            Ok(caller)
        }

        fn plan_of_payer(&self, plan: PlanId) -> Result<Plan> {
            let data = self.plans.get(plan).ok_or(Error::PlanNotFound)?;
            if data.payer != self.env().caller() {
                return Err(Error::NotPlanPayer);
            }
            Ok(data)
        }

        /// Every evidence record exists, is the patient's, is Current and may be read by the payer for Payment.
        /// Consent is asked once per data class: its answer depends on the class, not on the record.
        fn check_evidence(&self, patient: AccountId, payer: AccountId, evidence: &[RecordId]) -> Result<()> {
            let mut disclosable = DataClassSet::default();
            for &id in evidence {
                let summary = client::record_summary(self.records, id)
                    .map_err(|_| Error::RecordsUnreachable)?
                    .ok_or(Error::EvidenceNotFound(id))?;
                if summary.patient != patient {
                    return Err(Error::EvidenceOfAnotherPatient(id));
                }
                if summary.status != RecordStatus::Current {
                    return Err(Error::EvidenceNotCurrent(id));
                }
                if !disclosable.contains(summary.class) {
                    client::check(self.consent, patient, payer, Purpose::Payment, summary.class, Action::Read)
                        .map_err(|_| Error::ConsentUnreachable)?
                        .map_err(|_| Error::EvidenceNotDisclosable(id))?;
                    disclosable = disclosable.with(summary.class);
                }
            }
            Ok(())
        }

        /// Adjudicates a submission without writing anything.
        #[allow(clippy::too_many_arguments)]
        fn adjudicate(
            &self,
            plan: &Plan,
            plan_id: PlanId,
            patient: AccountId,
            date_of_service: Timestamp,
            now: Timestamp,
            lines: &[ClaimLine],
            key: Hash32,
        ) -> Result<Adjudicated> {
            let reason = match self.enrolments.get((plan_id, patient)) {
                None => Some(carc::NOT_A_MEMBER),
                Some(e) if date_of_service < e.from => Some(carc::BEFORE_COVERAGE),
                Some(e) if e.until.is_some_and(|until| date_of_service >= until) => Some(carc::AFTER_COVERAGE),
                Some(_) => None,
            }
            .or_else(|| {
                (now.saturating_sub(date_of_service) > plan.terms.timely_filing_ms).then_some(carc::TIMELY_FILING)
            })
            .or_else(|| self.duplicates.contains(key).then_some(carc::DUPLICATE));
            if let Some(code) = reason {
                let lines = lines.iter().map(|line| Self::denied_line(line, code)).collect();
                return Ok(Adjudicated {
                    lines,
                    outcome: Outcome::Denied,
                    reason,
                    accumulators: None,
                    used_auths: Vec::new(),
                });
            }

            let mut accumulators =
                self.accumulators.get((plan_id, patient, plan_year(date_of_service))).unwrap_or_default();
            let mut used_auths: Vec<AuthId> = Vec::new();
            let mut results = Vec::new();
            let mut pended = false;
            for line in lines {
                let benefit = match self.benefits.get((plan_id, line.service_code)) {
                    Some(benefit) if benefit.covered => benefit,
                    _ => {
                        results.push(Self::denied_line(line, carc::NOT_COVERED));
                        continue;
                    }
                };
                let mut prior_auth = None;
                if benefit.prior_auth {
                    match self.usable_auth(plan_id, patient, line, &used_auths) {
                        Some(auth) => {
                            used_auths.push(auth);
                            prior_auth = Some(auth);
                        }
                        None => {
                            results.push(Self::denied_line(line, carc::PRIOR_AUTH_ABSENT));
                            continue;
                        }
                    }
                }
                let allowed = benefit.allowed_per_unit.checked_mul(Balance::from(line.units)).ok_or(Error::Overflow)?;
                let ceiling = allowed.saturating_mul(FRAUD_MULTIPLE);
                let flagged = (benefit.unit_limit > 0 && line.units > benefit.unit_limit)
                    || (line.charge > 0 && line.charge >= ceiling);
                let mut adjudicated = Self::blank_line(line);
                adjudicated.prior_auth = prior_auth;
                if flagged {
                    pended = true;
                    adjudicated.flagged = true;
                } else {
                    let (result, after) =
                        adjudicate_line(&plan.terms, accumulators, benefit.allowed_per_unit, line.units, line.charge)
                            .map_err(|_| Error::Overflow)?;
                    accumulators = after;
                    adjudicated.eligible = result.eligible;
                    adjudicated.deductible = result.deductible;
                    adjudicated.copay = result.copay;
                    adjudicated.coinsurance = result.coinsurance;
                    adjudicated.patient_share = result.patient_share;
                    adjudicated.benefit = result.benefit;
                    adjudicated.codes = result.codes;
                }
                results.push(adjudicated);
            }
            if pended {
                // Nothing is decided until the payer reviews: no amounts, no accumulators.
                for line in results.iter_mut().filter(|line| !line.denied) {
                    let blank = Self::blank_line(&line.line);
                    *line = LineAdjudication { flagged: line.flagged, prior_auth: line.prior_auth, ..blank };
                }
                return Ok(Adjudicated {
                    lines: results,
                    outcome: Outcome::Pended,
                    reason: None,
                    accumulators: None,
                    used_auths,
                });
            }
            let outcome = Self::outcome_of(&results);
            Ok(Adjudicated { lines: results, outcome, reason: None, accumulators: Some(accumulators), used_auths })
        }

        /// The approved, unused prior authorization that covers this line, if any.
        fn usable_auth(&self, plan: PlanId, patient: AccountId, line: &ClaimLine, used: &[AuthId]) -> Option<AuthId> {
            let id = self.open_auths.get((plan, patient, line.service_code))?;
            let auth = self.auths.get(id)?;
            (auth.status == AuthStatus::Approved && line.units <= auth.units && !used.contains(&id)).then_some(id)
        }

        fn blank_line(line: &ClaimLine) -> LineAdjudication {
            LineAdjudication {
                line: *line,
                submitted: line.charge,
                eligible: 0,
                deductible: 0,
                copay: 0,
                coinsurance: 0,
                patient_share: 0,
                benefit: 0,
                codes: Vec::new(),
                denied: false,
                flagged: false,
                prior_auth: None,
            }
        }

        fn denied_line(line: &ClaimLine, code: u16) -> LineAdjudication {
            LineAdjudication { denied: true, codes: ink::prelude::vec![code], ..Self::blank_line(line) }
        }

        /// Sets a line's benefit as the payer decided it (review or appeal): the line is no longer denied, its
        /// eligible amount becomes benefit + patient share, and what the charge exceeds that by is CARC 45.
        fn set_line_benefit(line: &mut LineAdjudication, amount: Balance) -> Result<()> {
            let eligible = amount.checked_add(line.patient_share).ok_or(Error::Overflow)?;
            if eligible > line.submitted {
                return Err(Error::AmountAboveCharge);
            }
            line.benefit = amount;
            line.eligible = eligible;
            line.denied = false;
            line.codes.retain(|code| !carc::is_denial(*code));
            let has_45 = line.codes.contains(&carc::CONTRACTUAL);
            if eligible < line.submitted && !has_45 {
                line.codes.insert(0, carc::CONTRACTUAL);
            } else if eligible == line.submitted && has_45 {
                line.codes.retain(|code| *code != carc::CONTRACTUAL);
            }
            Ok(())
        }

        fn outcome_of(lines: &[LineAdjudication]) -> Outcome {
            let denied = lines.iter().filter(|line| line.denied).count();
            if denied == 0 {
                Outcome::Approved
            } else if denied == lines.len() {
                Outcome::Denied
            } else {
                Outcome::Partial
            }
        }

        /// Adds approved benefit to a claim and to what its plan's escrow owes.
        fn add_benefit(&self, claim: &mut Claim, escrow: &mut Escrow, amount: Balance) -> Result<()> {
            claim.benefit = claim.benefit.checked_add(amount).ok_or(Error::Overflow)?;
            escrow.owed = escrow.owed.checked_add(amount).ok_or(Error::Overflow)?;
            Ok(())
        }

        /// Pays what `claim` is owed if the escrow's funds beyond what other claims are owed cover it; a refused
        /// transfer leaves it owed. Returns the amount paid.
        fn pay_if_free(&self, claim: &mut Claim, escrow: &mut Escrow) -> Balance {
            let owed = claim.benefit.saturating_sub(claim.paid);
            let others = escrow.owed.saturating_sub(owed);
            if owed == 0 || escrow.balance.saturating_sub(others) < owed {
                return 0;
            }
            match self.pay(claim, escrow, owed) {
                Ok(()) => owed,
                Err(_) => 0,
            }
        }

        /// Transfers `amount` to the claim's provider and books it (in memory; the caller writes).
        fn pay(&self, claim: &mut Claim, escrow: &mut Escrow, amount: Balance) -> Result<()> {
            let balance = escrow.balance.checked_sub(amount).ok_or(Error::InsufficientEscrow)?;
            let owed = escrow.owed.checked_sub(amount).ok_or(Error::Overflow)?;
            let paid = escrow.paid.checked_add(amount).ok_or(Error::Overflow)?;
            let claim_paid = claim.paid.checked_add(amount).ok_or(Error::Overflow)?;
            self.env().transfer(claim.provider, amount).map_err(|_| Error::TransferFailed)?;
            escrow.balance = balance;
            escrow.owed = owed;
            escrow.paid = paid;
            claim.paid = claim_paid;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
