//! # consent: who may see a patient's data, for what, and until when (HL7 FHIR R4 Consent)
//!
//! A patient (or one of their delegates, e.g. a guardian, within the scope the patient set: purposes, classes,
//! actions, never to itself, ending no later than the delegation; its grants end when the delegation is removed or
//! expires, and it revokes only its own) **grants** consents: a grantee (one account, or a role such
//! as "any credentialed Researcher"), a provision Permit or Deny, purposes of use, data classes, actions and a period
//! `[start, end)`, with the hash of the signed consent document. A Permit covers a sensitive class only when it names
//! it; a Deny with no class restriction (the broad flag) covers every class, the sensitive ones too (FHIR). Consents
//! are **revoked** at once; `check` then says `Revoked` for what a revoked Permit allowed. A credentialed Provider may
//! **declare an emergency** (break-glass) and gets time-boxed Emergency/Read access to every class (at most 24 h, not
//! renewable by the same provider within a cooldown); it is always evented and the patient can end it early. Every
//! emergency waits in the patient's unreviewed list until the patient or a credentialed Regulator **reviews** it
//! (justified or not, once; never the declaring provider). A requester holding the purpose's role may **request
//! access**; the patient approves it into a Permit to the requester (validated as a grant) or declines it, and the
//! requester may withdraw it (one pending per requester and patient, [`types::MAX_PENDING_REQUESTS`] per patient).
//! An appointed issuer (a court, a registrar) **attests a personal representative** (HIPAA 164.502(g): a guardian,
//! a parent of a minor) for a period (a minor's ends at the age of majority) with optional excluded classes
//! (adolescent-confidential ones); while live it acts as the patient (grants, revokes, adds and removes delegates,
//! answers access requests, ends and reviews emergencies; `check` answers `Basis::Representative`, which the patient's
//! own Deny does not bind) for every class but the excluded ones, and its issuer or the admin may end it early
//! ([`representation`] gives the choices and their reasons).
//!
//! Other contracts ask [`interfaces::ConsentCheck::check`] and [`interfaces::Representatives::represents`]. Anyone
//! but the patient (or a representative, for a class not excluded) must hold the purpose's role
//! ([`interfaces::Purpose::accessor_role`]), so callers need not ask participants themselves. Its storage reads are
//! bounded whatever the number of consents: consents are indexed by (patient, grantee), each key holding at most
//! [`types::MAX_ACTIVE_PER_KEY`] live consents and [`types::MAX_REVOKED_PER_KEY`] revoked Permits, and exactly one
//! cross-contract call (`has_role`, or `roles_of` when the patient has role consents, live or revoked Permits) is made.
//!
//! Everything stored here is public on chain: who consented to whom, for what and until when (the consent document
//! itself stays off chain; only its hash is kept), each patient's delegates, and every emergency with its provider
//! and the hash of its reason, every review with its verdict and the hash of the reviewer's note, every access
//! request (who asked whom for what, until when, the hash of the reason, and how it was answered), and each patient's
//! representatives (who, attested by which issuer, for which period, which classes excluded).
//!
//! Layout: [`errors`], [`events`] (mostly defined in [`interfaces::events::consent`]), [`types`], and the pure
//! decisions: [`rules`] (grant, revoke and the consent check), [`delegation`] (who acts for a patient),
//! [`representation`] (personal representatives), [`break_glass`]
//! (emergency access and its review) and [`requests`] (access requests), with [`linked`] keeping the per-patient
//! lists an item leaves from anywhere (unreviewed emergencies, pending requests) in O(1). The contract [`consent`]
//! only loads, asks participants, calls the decision, writes what it returns and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod break_glass;
pub mod delegation;
pub mod errors;
pub mod events;
pub mod linked;
pub mod representation;
pub mod requests;
pub mod rules;
pub mod types;

#[ink::contract]
pub mod consent {
    use crate::{
        break_glass,
        delegation::{self, ActingFor, Actors},
        linked,
        representation::{self, Attested},
        requests::{self, Asked, Close, Grantable},
        rules::{self, Access, GrantRequest},
    };
    pub use crate::{
        errors::{Error, Result},
        events::*,
        types::*,
    };
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, page_range, Action, ActionSet, Basis, ConsentCheck, ConsentId, DataClass, DataClassSet, Denied,
        EmergencyId, Hash32, ListHead, Page, Purpose, PurposeSet, Representatives, Role, RoleSet,
    };

    #[ink(storage)]
    pub struct Consent {
        admin: Admin,
        participants: AccountId,
        emergency_duration: u64,
        /// The id the next consent gets (ids start at 1).
        next_consent: ConsentId,
        consents: Mapping<ConsentId, ConsentEntry>,
        /// The list of each patient's consents and the roles they granted to.
        patients: Mapping<AccountId, PatientEntry>,
        /// Live consents per (patient, grantee), at most `MAX_ACTIVE_PER_KEY`, and its newest revoked Permits, at
        /// most `MAX_REVOKED_PER_KEY`.
        index: Mapping<IndexKey, KeyConsents>,
        /// A patient's delegations (delegate, id, scope, expiry): at most `MAX_DELEGATES` active ones.
        delegates: Mapping<AccountId, DelegateList>,
        /// The id the next delegation gets (ids start at 1).
        next_delegation: DelegationId,
        /// The id the next emergency gets (ids start at 1).
        next_emergency: EmergencyId,
        emergencies: Mapping<EmergencyId, Emergency>,
        /// The latest emergency of (patient, provider).
        latest_emergency: Mapping<(AccountId, AccountId), EmergencyId>,
        /// Each patient's emergencies not reviewed yet, newest first (linked both ways through the emergencies).
        unreviewed: Mapping<AccountId, ListHead>,
        /// The id the next access request gets (ids start at 1).
        next_request: RequestId,
        requests: Mapping<RequestId, AccessRequest>,
        /// Each patient's pending access requests, newest first (linked both ways through the requests): at most
        /// `MAX_PENDING_REQUESTS`.
        pending: Mapping<AccountId, ListHead>,
        /// The pending request of (patient, requester): at most one.
        pending_of: Mapping<(AccountId, AccountId), RequestId>,
        /// A patient's representations not over (live or not yet valid): at most `MAX_REPRESENTATIVES`. Their number
        /// is kept in the patient's entry, so `check` reads this only for a patient who has some.
        representatives: Mapping<AccountId, RepresentativeList>,
        /// The id the next representation gets (ids start at 1).
        next_representation: RepresentationId,
    }

    impl Consent {
        /// `admin` governs it (the council contract in a deployment, see `council`); `participants` answers who holds which role.
        #[ink(constructor)]
        pub fn new(admin: AccountId, participants: AccountId) -> Self {
            Self {
                admin: Admin::new(admin),
                participants,
                emergency_duration: DEFAULT_EMERGENCY_DURATION,
                next_consent: 1,
                consents: Mapping::new(),
                patients: Mapping::new(),
                index: Mapping::new(),
                delegates: Mapping::new(),
                next_delegation: 1,
                next_emergency: 1,
                emergencies: Mapping::new(),
                latest_emergency: Mapping::new(),
                unreviewed: Mapping::new(),
                next_request: 1,
                requests: Mapping::new(),
                pending: Mapping::new(),
                pending_of: Mapping::new(),
                representatives: Mapping::new(),
                next_representation: 1,
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
                _ => return Err(Error::NotADependency),
            }
            self.env().emit_event(DependencyChanged { dependency, address });
            Ok(())
        }

        /// Admin: how long break-glass access lasts (ms), for emergencies declared from now on: at most
        /// `MAX_EMERGENCY_DURATION` (24 h).
        #[ink(message)]
        pub fn set_emergency_duration(&mut self, duration_ms: u64) -> Result<()> {
            let admin = self.env().caller();
            self.admin.ensure_admin(admin)?;
            break_glass::ensure_duration(duration_ms)?;
            self.emergency_duration = duration_ms;
            self.env().emit_event(EmergencyDurationChanged { admin, duration_ms });
            Ok(())
        }

        // ---- consents ----

        /// The patient, a live representative (as the patient, for no class its representation excludes) or an active
        /// delegate (within its scope): grant a consent valid in `[start, end)` (ms). Returns its id.
        #[allow(clippy::too_many_arguments)]
        #[ink(message)]
        pub fn grant(
            &mut self,
            patient: AccountId,
            grantee: Grantee,
            provision: Provision,
            purposes: PurposeSet,
            classes: DataClassSet,
            actions: ActionSet,
            start: Timestamp,
            end: Option<Timestamp>,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let request =
                GrantRequest { patient, grantee, provision, purposes, classes, actions, start, end, document_hash };
            let mut next_consent = self.next_consent;
            let mut patient_entry = self.patients.get(patient).unwrap_or_default();
            let key = self.index.get((patient, grantee)).unwrap_or_default();
            let live = key.live.iter().filter_map(|id| self.consents.get(id));
            let granted =
                rules::grant(caller, now, request, &self.actors(), live, &mut next_consent, &mut patient_entry)?;
            let id = granted.consent.id;
            self.next_consent = next_consent;
            self.consents.insert(id, &granted.consent);
            self.patients.insert(patient, &patient_entry);
            self.index.insert((patient, grantee), &KeyConsents { live: granted.live, revoked: key.revoked });
            self.env().emit_event(ConsentGranted { patient, grantee, consent: id, provision, granted_by: caller });
            Ok(id)
        }

        /// The patient, a live representative (not for a consent covering a class its representation excludes:
        /// `ClassExcluded`), or the active delegate who granted it (`NotOwnGrant` for a delegate otherwise): revoke a
        /// consent, effective at once and for good.
        #[ink(message)]
        pub fn revoke(&mut self, consent: ConsentId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let id = consent;
            let mut consent = self.consents.get(id).ok_or(Error::ConsentNotFound)?;
            let patient = consent.patient;
            let key = (patient, consent.grantee);
            let mut indexed = self.index.get(key).unwrap_or_default();
            let patient_entry = rules::revoke(caller, now, &mut consent, &mut indexed, &self.actors(), || {
                self.patients.get(patient).unwrap_or_default()
            })?;
            self.consents.insert(id, &consent);
            if indexed.is_empty() {
                self.index.remove(key);
            } else {
                self.index.insert(key, &indexed);
            }
            if let Some(patient_entry) = patient_entry {
                self.patients.insert(patient, &patient_entry);
            }
            self.env().emit_event(ConsentRevoked { patient, grantee: key.1, consent: id, revoked_by: caller });
            Ok(())
        }

        // ---- delegates ----

        /// The patient, or a live representative (for a scope covering no class its representation excludes), for
        /// `patient`: let `delegate` grant consents for them within a scope (`purposes`, `classes`, `actions`; each
        /// grant a subset, never to the delegate itself, ending no later than `expires`) and revoke the consents it
        /// granted, until `expires` if given. Adding an existing delegate again replaces its delegation (scope and
        /// expiry): the grants made under the one replaced end. A delegate's grants count in `check` only while its
        /// delegation is live. A delegate adds none (`NotPatientOrRepresentative`).
        #[ink(message)]
        pub fn add_delegate(
            &mut self,
            patient: AccountId,
            delegate: AccountId,
            purposes: PurposeSet,
            classes: DataClassSet,
            actions: ActionSet,
            expires: Option<Timestamp>,
        ) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let actors = self.actors();
            let mut acting_for = ActingFor::new(patient, &actors);
            let refusal = Error::NotPatientOrRepresentative;
            delegation::ensure_as_patient(&mut acting_for, caller, now, refusal, Provision::Permit, classes)?;
            let mut delegates = self.delegates_of(patient);
            let mut next_delegation = self.next_delegation;
            let scope = DelegateScope { purposes, classes, actions };
            let added = delegation::add(patient, now, delegate, scope, expires, &mut next_delegation, &mut delegates)?;
            self.next_delegation = next_delegation;
            self.delegates.insert(patient, &delegates);
            let event = DelegateAdded {
                patient,
                delegate,
                delegation: added.id,
                purposes,
                classes,
                actions,
                expires,
                added_by: caller,
            };
            self.env().emit_event(event);
            Ok(())
        }

        /// The patient, or a live representative (not for a delegate whose scope covers a class its representation
        /// excludes), for `patient`: `delegate` no longer acts for them, and the grants it made end with it.
        #[ink(message)]
        pub fn remove_delegate(&mut self, patient: AccountId, delegate: AccountId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let actors = self.actors();
            let by = ActingFor::new(patient, &actors).as_patient(caller, now, Error::NotPatientOrRepresentative)?;
            let mut delegates = self.delegates_of(patient);
            delegation::remove(now, delegate, by.as_ref(), &mut delegates)?;
            if delegates.is_empty() {
                self.delegates.remove(patient);
            } else {
                self.delegates.insert(patient, &delegates);
            }
            self.env().emit_event(DelegateRemoved { patient, delegate, removed_by: caller });
            Ok(())
        }

        // ---- personal representatives ----

        /// An appointed issuer (a court, a registrar; the caller): attest that `representative` is `patient`'s
        /// personal representative (HIPAA 164.502(g)) in `[valid_from, valid_until)` (ms; for a minor, until the age of
        /// majority; None: until ended), acting as the patient for every class but `excluded` (named classes). Not
        /// the patient itself nor the issuer; one representation not over per (patient, representative), at most
        /// `MAX_REPRESENTATIVES` per patient. Returns its id. The rules: [`representation::attest`].
        #[ink(message)]
        pub fn represent(
            &mut self,
            patient: AccountId,
            representative: AccountId,
            valid_from: Timestamp,
            valid_until: Option<Timestamp>,
            excluded: DataClassSet,
        ) -> Result<RepresentationId> {
            let issuer = self.env().caller();
            let now = self.env().block_timestamp();
            let attested = Attested { patient, representative, valid_from, valid_until, excluded };
            let mut representatives = self.representatives.get(patient).unwrap_or_default();
            let mut next_representation = self.next_representation;
            let is_issuer = || {
                client::has_role(self.participants, issuer, Role::Issuer).map_err(|_| Error::ParticipantsUnreachable)
            };
            let representation = representation::attest(
                issuer,
                now,
                attested,
                is_issuer,
                &mut representatives,
                &mut next_representation,
            )?;
            let id = representation.id;
            self.next_representation = next_representation;
            self.store_representatives(patient, &representatives);
            self.env().emit_event(RepresentationAttested {
                patient,
                representative,
                representation: id,
                issuer,
                valid_from,
                valid_until,
                excluded,
            });
            Ok(id)
        }

        /// The issuer that attested it, or the admin: end `representative`'s representation of `patient` now. The
        /// rules: [`representation::end`].
        #[ink(message)]
        pub fn end_representation(&mut self, patient: AccountId, representative: AccountId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let is_admin = self.admin.ensure_admin(caller).is_ok();
            let mut representatives = self.representatives.get(patient).unwrap_or_default();
            let ended = representation::end(caller, is_admin, now, representative, &mut representatives)?;
            self.store_representatives(patient, &representatives);
            self.env().emit_event(RepresentationEnded {
                patient,
                representative,
                representation: ended.id,
                ended_by: caller,
            });
            Ok(())
        }

        // ---- break-glass ----

        /// A credentialed Provider (the caller): Emergency/Read access to every class of `patient`'s data for the
        /// emergency duration (at most `MAX_EMERGENCY_DURATION`). Always evented; the patient can end it early. Not
        /// while the provider's last one for this patient is active, nor within `EMERGENCY_COOLDOWN` after it.
        #[ink(message)]
        pub fn declare_emergency(&mut self, patient: AccountId, reason_hash: Hash32) -> Result<EmergencyId> {
            let provider = self.env().caller();
            let now = self.env().block_timestamp();
            let latest = self.latest_emergency.get((patient, provider)).and_then(|id| self.emergencies.get(id));
            let is_provider = client::has_role(self.participants, provider, Role::Provider)
                .map_err(|_| Error::ParticipantsUnreachable)?;
            let mut next_emergency = self.next_emergency;
            let mut emergency = break_glass::declare(
                provider,
                now,
                patient,
                reason_hash,
                is_provider,
                latest.as_ref(),
                self.emergency_duration,
                &mut next_emergency,
            )?;
            let mut unreviewed = self.unreviewed.get(patient).unwrap_or_default();
            let previous = linked::push(&mut unreviewed, &mut emergency, |id| self.emergencies.get(id))?;
            let id = emergency.id;
            self.next_emergency = next_emergency;
            self.emergencies.insert(id, &emergency);
            if let Some(previous) = previous {
                self.emergencies.insert(previous.id, &previous);
            }
            self.unreviewed.insert(patient, &unreviewed);
            self.latest_emergency.insert((patient, provider), &id);
            let until = emergency.until;
            self.env().emit_event(EmergencyAccessGranted { patient, provider, emergency: id, reason_hash, until });
            Ok(id)
        }

        /// The patient, a live representative, an active delegate or the declaring provider: end emergency access now.
        #[ink(message)]
        pub fn end_emergency(&mut self, emergency: EmergencyId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let id = emergency;
            let mut emergency = self.emergencies.get(id).ok_or(Error::EmergencyNotFound)?;
            break_glass::end(caller, now, &mut emergency, &self.actors())?;
            self.emergencies.insert(id, &emergency);
            let (patient, provider) = (emergency.patient, emergency.provider);
            self.env().emit_event(EmergencyAccessEnded { patient, provider, emergency: id, ended_by: caller });
            Ok(())
        }

        /// The patient, a live representative or a credentialed Regulator: review an emergency, while it is active or after it, as
        /// `justified` or not, with the hash of a note. Once; never by the declaring provider. It leaves the patient's
        /// unreviewed emergencies.
        #[ink(message)]
        pub fn review_emergency(&mut self, emergency: EmergencyId, justified: bool, note_hash: Hash32) -> Result<()> {
            let reviewer = self.env().caller();
            let now = self.env().block_timestamp();
            let id = emergency;
            let mut emergency = self.emergencies.get(id).ok_or(Error::EmergencyNotFound)?;
            let is_regulator = || {
                client::has_role(self.participants, reviewer, Role::Regulator)
                    .map_err(|_| Error::ParticipantsUnreachable)
            };
            let actors = self.actors();
            break_glass::review(reviewer, now, &mut emergency, justified, note_hash, &actors, is_regulator)?;
            let patient = emergency.patient;
            let mut unreviewed = self.unreviewed.get(patient).unwrap_or_default();
            let neighbours = linked::remove(&mut unreviewed, &mut emergency, |id| self.emergencies.get(id));
            self.emergencies.insert(id, &emergency);
            for neighbour in neighbours {
                self.emergencies.insert(neighbour.id, &neighbour);
            }
            store_head(&mut self.unreviewed, patient, unreviewed);
            let provider = emergency.provider;
            self.env().emit_event(EmergencyReviewed {
                patient,
                provider,
                emergency: id,
                justified,
                note_hash,
                reviewed_by: reviewer,
            });
            Ok(())
        }

        // ---- access requests ----

        /// A requester holding the purpose's role (the caller): ask `patient` for `actions` on `classes` for `purpose`
        /// until `end` (None: until revoked), with the hash of a written reason. At most one pending request per
        /// requester and patient (an expired one is replaced, closed as Expired), `MAX_PENDING_REQUESTS` per patient.
        /// Returns its id.
        #[ink(message)]
        pub fn request_access(
            &mut self,
            patient: AccountId,
            purpose: Purpose,
            classes: DataClassSet,
            actions: ActionSet,
            end: Option<Timestamp>,
            reason_hash: Hash32,
        ) -> Result<RequestId> {
            let requester = self.env().caller();
            let now = self.env().block_timestamp();
            let asked = Asked { patient, purpose, classes, actions, end, reason_hash };
            let already_pending = self.pending_of.get((patient, requester)).and_then(|id| self.requests.get(id));
            let mut pending = self.pending.get(patient).unwrap_or_default();
            let mut next_request = self.next_request;
            let holds_role =
                |role| client::has_role(self.participants, requester, role).map_err(|_| Error::ParticipantsUnreachable);
            let requested = requests::request(
                requester,
                now,
                asked,
                holds_role,
                already_pending,
                &mut pending,
                |id| self.requests.get(id),
                &mut next_request,
            )?;
            let request = requested.request;
            let id = request.id;
            self.next_request = next_request;
            self.requests.insert(id, &request);
            for changed in requested.changed {
                self.requests.insert(changed.id, &changed);
            }
            self.pending.insert(patient, &pending);
            self.pending_of.insert((patient, requester), &id);
            self.env().emit_event(AccessRequested {
                patient,
                requester,
                request: id,
                purpose,
                classes,
                actions,
                end,
                reason_hash,
                replaces: requested.replaces,
            });
            Ok(id)
        }

        /// The patient or a live representative (for a request covering no class its representation excludes):
        /// approve a pending access request into a Permit to the requester (the request's purpose,
        /// classes and actions, from now until its end), validated as a grant, with the hash of the signed consent
        /// document. Returns the consent's id, which the request records.
        #[ink(message)]
        pub fn approve_request(&mut self, request: RequestId, document_hash: Hash32) -> Result<ConsentId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let id = request;
            let mut request = self.requests.get(id).ok_or(Error::RequestNotFound)?;
            let (patient, requester) = (request.patient, request.requester);
            let grantee = Grantee::Account(requester);
            let mut pending = self.pending.get(patient).unwrap_or_default();
            let mut next_consent = self.next_consent;
            let mut patient_entry = self.patients.get(patient).unwrap_or_default();
            let key = self.index.get((patient, grantee)).unwrap_or_default();
            let indexed = key.live.iter().filter_map(|id| self.consents.get(id));
            let approved = {
                let actors = self.actors();
                let grantable = Grantable {
                    indexed,
                    actors: &actors,
                    next_consent: &mut next_consent,
                    patient_entry: &mut patient_entry,
                };
                let load = |id| self.requests.get(id);
                requests::approve(caller, now, &mut request, document_hash, &mut pending, load, grantable)?
            };
            let consent = approved.granted.consent.id;
            self.next_consent = next_consent;
            self.consents.insert(consent, &approved.granted.consent);
            self.patients.insert(patient, &patient_entry);
            self.index.insert((patient, grantee), &KeyConsents { live: approved.granted.live, revoked: key.revoked });
            self.close_request(&request, approved.neighbours, pending);
            let provision = Provision::Permit;
            self.env().emit_event(ConsentGranted { patient, grantee, consent, provision, granted_by: caller });
            let approved_by = caller;
            self.env().emit_event(AccessRequestApproved { patient, requester, request: id, consent, approved_by });
            Ok(consent)
        }

        /// The patient or a live representative (for a request covering no class its representation excludes):
        /// decline a pending access request.
        #[ink(message)]
        pub fn decline_request(&mut self, request: RequestId) -> Result<()> {
            let request = self.close_by(request, Close::Decline)?;
            let (patient, requester, id) = (request.patient, request.requester, request.id);
            let declined_by = self.env().caller();
            self.env().emit_event(AccessRequestDeclined { patient, requester, request: id, declined_by });
            Ok(())
        }

        /// The requester: withdraw its pending access request.
        #[ink(message)]
        pub fn withdraw_request(&mut self, request: RequestId) -> Result<()> {
            let request = self.close_by(request, Close::Withdraw)?;
            let (patient, requester, id) = (request.patient, request.requester, request.id);
            self.env().emit_event(AccessRequestWithdrawn { patient, requester, request: id });
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
                _ => None,
            }
        }

        /// How long break-glass access lasts, in milliseconds.
        #[ink(message)]
        pub fn emergency_duration(&self) -> u64 {
            self.emergency_duration
        }

        /// A consent as stored, but a delegate's grant whose delegation ended shows as `DelegationEnded`.
        #[ink(message)]
        pub fn consent(&self, id: ConsentId) -> Option<ConsentEntry> {
            let mut consent = self.consents.get(id)?;
            let patient = consent.patient;
            let now = self.env().block_timestamp();
            rules::as_read(core::slice::from_mut(&mut consent), now, || self.delegates_of(patient));
            Some(consent)
        }

        /// Every consent `patient` was ever granted (revoked and ended ones too; a delegate's grant whose delegation
        /// ended as `DelegationEnded`), newest first, page by page: `from` None for the newest, then the page's
        /// `next`.
        #[ink(message)]
        pub fn consents_of(&self, patient: AccountId, from: Option<ConsentId>, limit: u32) -> Page<ConsentEntry> {
            let head = self.patients.get(patient).unwrap_or_default().consents;
            let mut page = linked_page(head, from, limit, |id| {
                let consent = self.consents.get(id).filter(|consent| consent.patient == patient)?;
                let previous = consent.previous_of_patient;
                Some((consent, previous))
            });
            let now = self.env().block_timestamp();
            rules::as_read(&mut page.items, now, || self.delegates_of(patient));
            page
        }

        /// `patient`'s active delegations: delegate, id, scope and expiry (at most `MAX_DELEGATES`).
        #[ink(message)]
        pub fn delegates(&self, patient: AccountId) -> DelegateList {
            let mut delegates = self.delegates_of(patient);
            delegation::drop_expired(&mut delegates, self.env().block_timestamp());
            delegates
        }

        /// `representative`'s representation of `patient` that is not over (live, or not yet valid), if any.
        #[ink(message)]
        pub fn representation_of(&self, patient: AccountId, representative: AccountId) -> Option<Representation> {
            let now = self.env().block_timestamp();
            let mut representatives = self.representatives.get(patient).unwrap_or_default();
            representation::drop_over(&mut representatives, now);
            representatives.into_iter().find(|representation| representation.representative == representative)
        }

        /// `patient`'s representations not over (live, or not yet valid; at most `MAX_REPRESENTATIVES`), oldest
        /// first, page by page: `from` 0, then the page's `next`.
        #[ink(message)]
        pub fn representatives(&self, patient: AccountId, from: u64, limit: u32) -> Page<Representation> {
            let now = self.env().block_timestamp();
            let mut representatives = self.representatives.get(patient).unwrap_or_default();
            representation::drop_over(&mut representatives, now);
            let len = u64::try_from(representatives.len()).unwrap_or(u64::MAX);
            let (start, end, next) = page_range(len, from, limit);
            let (start, end) = (usize::try_from(start).unwrap_or(usize::MAX), usize::try_from(end).unwrap_or(0));
            let items = representatives.get(start..end).map(<[Representation]>::to_vec).unwrap_or_default();
            Page { items, next, len }
        }

        #[ink(message)]
        pub fn emergency(&self, id: EmergencyId) -> Option<Emergency> {
            self.emergencies.get(id)
        }

        /// `patient`'s emergencies not reviewed yet, newest first, page by page: `from` None for the newest, then
        /// the page's `next`.
        #[ink(message)]
        pub fn unreviewed_emergencies(
            &self,
            patient: AccountId,
            from: Option<EmergencyId>,
            limit: u32,
        ) -> Page<Emergency> {
            let head = self.unreviewed.get(patient).unwrap_or_default();
            linked_page(head, from, limit, |id| {
                let emergency = self
                    .emergencies
                    .get(id)
                    .filter(|emergency| emergency.patient == patient && emergency.review.is_none())?;
                let older = emergency.unreviewed.older;
                Some((emergency, older))
            })
        }

        #[ink(message)]
        pub fn access_request(&self, id: RequestId) -> Option<AccessRequest> {
            self.requests.get(id)
        }

        /// `patient`'s pending access requests (at most `MAX_PENDING_REQUESTS`), newest first, page by page: `from`
        /// None for the newest, then the page's `next`.
        #[ink(message)]
        pub fn pending_requests(&self, patient: AccountId, from: Option<RequestId>, limit: u32) -> Page<AccessRequest> {
            let head = self.pending.get(patient).unwrap_or_default();
            linked_page(head, from, limit, |id| {
                let request = self
                    .requests
                    .get(id)
                    .filter(|request| request.patient == patient && request.status == RequestStatus::Pending)?;
                let older = request.pending.older;
                Some((request, older))
            })
        }

        // ---- writes shared by messages ----

        /// Declines or withdraws `request` for the caller; returns it as stored.
        fn close_by(&mut self, request: RequestId, how: Close) -> Result<AccessRequest> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut request = self.requests.get(request).ok_or(Error::RequestNotFound)?;
            let mut pending = self.pending.get(request.patient).unwrap_or_default();
            let actors = self.actors();
            let load = |id| self.requests.get(id);
            let neighbours = requests::close(caller, now, &mut request, how, &mut pending, load, &actors)?;
            self.close_request(&request, neighbours, pending);
            Ok(request)
        }

        /// Stores a closed request, its neighbours in the pending list and the list, and frees its requester's slot.
        fn close_request(&mut self, request: &AccessRequest, neighbours: Vec<AccessRequest>, pending: ListHead) {
            self.requests.insert(request.id, request);
            for neighbour in neighbours {
                self.requests.insert(neighbour.id, &neighbour);
            }
            store_head(&mut self.pending, request.patient, pending);
            self.pending_of.remove((request.patient, request.requester));
        }

        /// Stores `patient`'s representations (none: the entry leaves) and their number in the patient's entry.
        fn store_representatives(&mut self, patient: AccountId, representatives: &RepresentativeList) {
            if representatives.is_empty() {
                self.representatives.remove(patient);
            } else {
                self.representatives.insert(patient, representatives);
            }
            let mut patient_entry = self.patients.get(patient).unwrap_or_default();
            patient_entry.representatives = u32::try_from(representatives.len()).unwrap_or(u32::MAX);
            self.patients.insert(patient, &patient_entry);
        }

        // ---- loads and asks ----

        /// `patient`'s delegates as stored (expired ones included).
        fn delegates_of(&self, patient: AccountId) -> DelegateList {
            self.delegates.get(patient).unwrap_or_default()
        }

        /// Who acts for a patient as stored, for the decisions that read it only when they need it (one reader for
        /// all of them, so the contract carries one copy of it).
        fn actors(&self) -> Stored<'_> {
            Stored(self)
        }

        /// The active emergency of (patient, provider), if any: its latest, unless ended or past its time box.
        fn active_emergency(&self, patient: AccountId, provider: AccountId, now: Timestamp) -> Option<EmergencyId> {
            let id = self.latest_emergency.get((patient, provider))?;
            self.emergencies.get(id).filter(|emergency| emergency.is_active(now)).map(|emergency| emergency.id)
        }

        /// The roles of `accessor` that `check` needs, asking participants once: all of them (`roles_of`) when the
        /// patient has role consents, else whether it holds `required` (`has_role`).
        fn held_roles(
            &self,
            accessor: AccountId,
            required: Role,
            role_grants: RoleSet,
        ) -> core::result::Result<RoleSet, Denied> {
            if role_grants.is_empty() {
                let holds = client::has_role(self.participants, accessor, required)
                    .map_err(|_| Denied::ParticipantsUnreachable)?;
                Ok(if holds { RoleSet::of(required) } else { RoleSet::EMPTY })
            } else {
                client::roles_of(self.participants, accessor).map_err(|_| Denied::ParticipantsUnreachable)
            }
        }
    }

    /// The delegations and representations of a patient as stored.
    struct Stored<'a>(&'a Consent);

    impl Actors for Stored<'_> {
        fn delegates(&self, patient: AccountId) -> DelegateList {
            self.0.delegates_of(patient)
        }

        fn representatives(&self, patient: AccountId) -> RepresentativeList {
            self.0.representatives.get(patient).unwrap_or_default()
        }
    }

    /// Stores a patient's list head in `heads`, removing it when the list is empty.
    fn store_head<K: ink::storage::traits::StorageKey>(
        heads: &mut Mapping<AccountId, ListHead, K>,
        patient: AccountId,
        head: ListHead,
    ) {
        if head == ListHead::default() {
            heads.remove(patient);
        } else {
            heads.insert(patient, &head);
        }
    }

    impl Representatives for Consent {
        /// True while `account` is a live representative of `patient` (in its period, not ended) whose representation
        /// does not exclude `class` (one read: the patient's representations). What records asks before an erasure
        /// or a supersession by someone other than the patient.
        #[ink(message)]
        fn represents(&self, patient: AccountId, account: AccountId, class: DataClass) -> bool {
            let representatives = self.representatives.get(patient).unwrap_or_default();
            representation::represents(&representatives, account, class, self.env().block_timestamp())
        }
    }

    impl ConsentCheck for Consent {
        /// The patient always; a live representative of the patient for a class its representation does not exclude
        /// (basis Representative, asking participants nothing; the patient's representations read only for a patient
        /// who has some). Anyone else must hold the purpose's role ([`Purpose::accessor_role`]); then an
        /// active emergency of the accessor (Emergency/Read) allows it; else the consents to the accessor and to the
        /// roles it holds decide: deny beats permit, and a refusal a revoked Permit explains is `Revoked`
        /// ([`rules::check`]); a delegate's grant counts only while its delegation is live (the patient's
        /// delegations read at most once, one entry of at most `MAX_DELEGATES`, only when such a grant matches).
        /// Participants is asked once: `roles_of` when the patient has role consents (live, or revoked Permits its
        /// index remembers), else `has_role` for the purpose's role.
        #[ink(message)]
        fn check(
            &self,
            patient: AccountId,
            accessor: AccountId,
            purpose: Purpose,
            class: DataClass,
            action: Action,
        ) -> core::result::Result<Basis, Denied> {
            let now = self.env().block_timestamp();
            rules::check(
                Access { patient, accessor, purpose, class, action },
                now,
                || self.patients.get(patient).unwrap_or_default(),
                || self.representatives.get(patient).unwrap_or_default(),
                |role_grants, required| self.held_roles(accessor, required, role_grants),
                || self.active_emergency(patient, accessor, now),
                || self.delegates_of(patient),
                |grantee| self.index.get((patient, grantee)).unwrap_or_default(),
                |id| self.consents.get(id),
            )
        }
    }
}

#[cfg(test)]
mod tests;
