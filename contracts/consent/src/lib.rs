//! # consent: who may see a patient's data, for what, and until when (HL7 FHIR R4 Consent)
//!
//! A patient (or one of their delegates, e.g. a guardian) **grants** consents: a grantee (one account, or a role such
//! as "any credentialed Researcher"), a provision Permit or Deny, purposes of use, data classes, actions and a period
//! `[start, end)`, with the hash of the signed consent document. Sensitive classes are covered only when named.
//! Consents are **revoked** at once. A credentialed Provider may **declare an emergency** (break-glass) and gets
//! time-boxed Emergency/Read access to every class; it is always evented and the patient can end it early.
//!
//! Other contracts ask [`interfaces::ConsentCheck::check`]. Anyone but the patient must hold the purpose's role
//! ([`interfaces::Purpose::accessor_role`]), so callers need not ask participants themselves. Its storage reads are
//! bounded whatever the number of consents: consents are indexed by (patient, grantee), each key holding at most
//! [`consent::MAX_ACTIVE_PER_KEY`] live consents, and exactly one cross-contract call (`has_role`, or `roles_of`
//! when the patient has role consents) is made.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod rules;

#[ink::contract]
pub mod consent {
    use crate::rules::{self, Timing, Verdict};
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, Action, ActionSet, Basis, ConsentCheck, ConsentId, DataClass, DataClassSet, Denied, EmergencyId,
        Hash32, ListHead, Page, Purpose, PurposeSet, Role, RoleSet,
    };

    /// The most live (not revoked, not ended) consents one (patient, grantee) key may hold: `check` reads at most
    /// this many consents per key.
    pub const MAX_ACTIVE_PER_KEY: u32 = 16;
    /// The most delegates a patient may have at once.
    pub const MAX_DELEGATES: u32 = 8;
    /// How long break-glass access lasts unless the admin changes it: 24 hours, in milliseconds.
    pub const DEFAULT_EMERGENCY_DURATION: u64 = 86_400_000;

    /// A key of the consent index: (patient, grantee).
    type IndexKey = (AccountId, Grantee);
    /// A patient's delegates and their expiry.
    pub type DelegateList = Vec<(AccountId, Option<Timestamp>)>;

    /// Who a consent speaks to: one account, or every account holding a role while it holds it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum Grantee {
        Account(AccountId),
        Role(Role),
    }

    /// FHIR Consent.provision.type.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum Provision {
        Permit,
        Deny,
    }

    /// FHIR Consent.status as kept on chain; expiry is derived from the period and the time.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum ConsentStatus {
        Active,
        Revoked,
    }

    /// One consent. (Named `ConsentEntry` because `Consent` is the contract itself, whose ref is `ConsentRef`.)
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct ConsentEntry {
        pub id: ConsentId,
        pub patient: AccountId,
        pub grantee: Grantee,
        pub provision: Provision,
        pub purposes: PurposeSet,
        pub classes: DataClassSet,
        pub actions: ActionSet,
        /// Valid in `[start, end)`, in milliseconds; `end == None` is until revoked.
        pub start: Timestamp,
        pub end: Option<Timestamp>,
        /// SHA-256 of the signed consent document.
        pub document_hash: Hash32,
        pub status: ConsentStatus,
        /// The patient or the delegate who granted it.
        pub granted_by: AccountId,
        pub granted_at: Timestamp,
        /// The patient's consent granted before this one (the link of `consents_of`).
        pub previous_of_patient: Option<ConsentId>,
    }

    /// What consent keeps per patient, in one storage entry so a grant reads and writes it once.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct PatientEntry {
        /// Every consent the patient was ever granted, newest first.
        pub consents: ListHead,
        /// The roles the patient has live role consents to (so `check` asks for roles only when they matter).
        pub role_grants: RoleSet,
    }

    impl ConsentEntry {
        /// Does this consent speak to `action` on `class` for `purpose`? (Sensitive classes only when named.)
        fn matches(&self, purpose: Purpose, class: DataClass, action: Action) -> bool {
            self.purposes.contains(purpose) && self.classes.covers(class) && self.actions.contains(action)
        }
    }

    /// Break-glass access of one provider to one patient's data, Emergency/Read, every class, until `until`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Emergency {
        pub id: EmergencyId,
        pub patient: AccountId,
        pub provider: AccountId,
        /// Hash of the provider's written reason.
        pub reason_hash: Hash32,
        pub declared_at: Timestamp,
        /// Access ends at `until` (exclusive) unless ended earlier.
        pub until: Timestamp,
        pub ended_at: Option<Timestamp>,
        pub ended_by: Option<AccountId>,
    }

    impl Emergency {
        /// Neither ended early nor past its time box.
        pub fn is_active(&self, now: Timestamp) -> bool {
            self.ended_at.is_none() && now < self.until
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum Error {
        /// The caller is not the admin.
        NotAdmin,
        /// No admin transfer is pending for the caller.
        NotProposedAdmin,
        /// The chain refused the new code hash.
        UpgradeFailed,
        /// This contract does not call that dependency.
        NotADependency,
        /// The caller is neither the patient nor one of their active delegates.
        NotPatientOrDelegate,
        /// A consent must name at least one purpose.
        EmptyPurposes,
        /// A consent must name at least one data class (or the broad flag).
        EmptyClasses,
        /// A consent must name at least one action.
        EmptyActions,
        /// The purpose set has bits that stand for no purpose.
        MalformedPurposeSet,
        /// The class set has bits that stand for no class.
        MalformedClassSet,
        /// The action set has bits that stand for no action.
        MalformedActionSet,
        /// `end` must be after `start`.
        InvalidPeriod,
        /// `end` (or a delegate's expiry) has already passed.
        PeriodEnded,
        /// The grantee (or the emergency provider) is the patient themself.
        SelfGrant,
        /// Consents are not granted to the Issuer role.
        InvalidGrantee,
        /// No consent has that id.
        ConsentNotFound,
        /// The consent is already revoked.
        AlreadyRevoked,
        /// The grantee already holds `MAX_ACTIVE_PER_KEY` live consents from this patient.
        TooManyActiveConsents,
        /// The patient already has `MAX_DELEGATES` active delegates.
        TooManyDelegates,
        /// A patient cannot be their own delegate.
        SelfDelegate,
        /// The account is not an active delegate of the caller.
        DelegateNotFound,
        /// The caller does not hold an active Provider credential.
        NotProvider,
        /// The provider already has active emergency access to this patient.
        EmergencyActive,
        /// No emergency has that id.
        EmergencyNotFound,
        /// The emergency access already ended (early or by its time box).
        EmergencyEnded,
        /// Only the patient, their delegate or the declaring provider may end an emergency.
        NotAllowedToEnd,
        /// The emergency duration must be positive.
        InvalidDuration,
        /// The participants contract could not be asked.
        ParticipantsUnreachable,
        /// A timestamp or counter would overflow.
        Overflow,
    }

    interfaces::admin_errors!(Error);

    pub type Result<T> = core::result::Result<T, Error>;

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct ConsentGranted {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub grantee: Grantee,
        /// Not a topic (each topic costs a storage write on chain): filter on the patient or the grantee.
        pub consent: ConsentId,
        pub provision: Provision,
        pub granted_by: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct ConsentRevoked {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub grantee: Grantee,
        #[ink(topic)]
        pub consent: ConsentId,
        pub revoked_by: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct DelegateAdded {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub delegate: AccountId,
        pub expires: Option<Timestamp>,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct DelegateRemoved {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub delegate: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct EmergencyAccessGranted {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub provider: AccountId,
        #[ink(topic)]
        pub emergency: EmergencyId,
        pub reason_hash: Hash32,
        pub until: Timestamp,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct EmergencyAccessEnded {
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub provider: AccountId,
        #[ink(topic)]
        pub emergency: EmergencyId,
        pub ended_by: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct EmergencyDurationChanged {
        #[ink(topic)]
        pub admin: AccountId,
        pub duration_ms: u64,
    }

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
        /// Live consents per (patient, grantee): at most `MAX_ACTIVE_PER_KEY` ids.
        index: Mapping<IndexKey, Vec<ConsentId>>,
        /// A patient's delegates and their expiry: at most `MAX_DELEGATES`.
        delegates: Mapping<AccountId, DelegateList>,
        /// The id the next emergency gets (ids start at 1).
        next_emergency: EmergencyId,
        emergencies: Mapping<EmergencyId, Emergency>,
        /// The latest emergency of (patient, provider).
        latest_emergency: Mapping<(AccountId, AccountId), EmergencyId>,
    }

    impl Consent {
        /// The caller becomes the governance admin; `participants` answers who holds which role.
        #[ink(constructor)]
        pub fn new(participants: AccountId) -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                participants,
                emergency_duration: DEFAULT_EMERGENCY_DURATION,
                next_consent: 1,
                consents: Mapping::new(),
                patients: Mapping::new(),
                index: Mapping::new(),
                delegates: Mapping::new(),
                next_emergency: 1,
                emergencies: Mapping::new(),
                latest_emergency: Mapping::new(),
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

        /// Admin: how long break-glass access lasts (ms), for emergencies declared from now on.
        #[ink(message)]
        pub fn set_emergency_duration(&mut self, duration_ms: u64) -> Result<()> {
            let admin = self.env().caller();
            self.admin.ensure_admin(admin)?;
            if duration_ms == 0 {
                return Err(Error::InvalidDuration);
            }
            self.emergency_duration = duration_ms;
            self.env().emit_event(EmergencyDurationChanged { admin, duration_ms });
            Ok(())
        }

        // ---- consents ----

        /// The patient or an active delegate: grant a consent valid in `[start, end)` (ms). Returns its id.
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
            self.ensure_patient_or_delegate(patient, caller, now)?;
            if purposes.is_empty() {
                return Err(Error::EmptyPurposes);
            }
            if classes.is_empty() {
                return Err(Error::EmptyClasses);
            }
            if actions.is_empty() {
                return Err(Error::EmptyActions);
            }
            if !rules::purposes_well_formed(purposes) {
                return Err(Error::MalformedPurposeSet);
            }
            if !classes.is_well_formed() {
                return Err(Error::MalformedClassSet);
            }
            if !rules::actions_well_formed(actions) {
                return Err(Error::MalformedActionSet);
            }
            match grantee {
                Grantee::Account(account) if account == patient => return Err(Error::SelfGrant),
                Grantee::Role(Role::Issuer) => return Err(Error::InvalidGrantee),
                _ => {}
            }
            if let Some(end) = end {
                if end <= start {
                    return Err(Error::InvalidPeriod);
                }
                if end <= now {
                    return Err(Error::PeriodEnded);
                }
            }
            // Ended consents leave the index here, before the bound is checked.
            let mut live = self.live_ids(patient, grantee, now);
            if live.len() >= Self::max_active() {
                return Err(Error::TooManyActiveConsents);
            }
            let id = self.next_consent;
            let next_consent = id.checked_add(1).ok_or(Error::Overflow)?;
            let mut patient_entry = self.patients.get(patient).unwrap_or_default();
            let previous = patient_entry.consents.newest;
            patient_entry.consents = patient_entry.consents.pushed(id).ok_or(Error::Overflow)?;
            if let Grantee::Role(role) = grantee {
                patient_entry.role_grants = patient_entry.role_grants.with(role);
            }

            let entry = ConsentEntry {
                id,
                patient,
                grantee,
                provision,
                purposes,
                classes,
                actions,
                start,
                end,
                document_hash,
                status: ConsentStatus::Active,
                granted_by: caller,
                granted_at: now,
                previous_of_patient: previous,
            };
            self.next_consent = next_consent;
            self.consents.insert(id, &entry);
            self.patients.insert(patient, &patient_entry);
            live.push(id);
            self.index.insert((patient, grantee), &live);
            self.env().emit_event(ConsentGranted { patient, grantee, consent: id, provision, granted_by: caller });
            Ok(id)
        }

        /// The patient or an active delegate: revoke a consent, effective at once and for good.
        #[ink(message)]
        pub fn revoke(&mut self, consent: ConsentId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut entry = self.consents.get(consent).ok_or(Error::ConsentNotFound)?;
            self.ensure_patient_or_delegate(entry.patient, caller, now)?;
            if entry.status == ConsentStatus::Revoked {
                return Err(Error::AlreadyRevoked);
            }
            entry.status = ConsentStatus::Revoked;
            self.consents.insert(consent, &entry);
            let key = (entry.patient, entry.grantee);
            let mut ids = self.index.get(key).unwrap_or_default();
            ids.retain(|id| *id != consent);
            if ids.is_empty() {
                self.index.remove(key);
                if let Grantee::Role(role) = entry.grantee {
                    let mut patient_entry = self.patients.get(entry.patient).unwrap_or_default();
                    patient_entry.role_grants = patient_entry.role_grants.without(role);
                    self.patients.insert(entry.patient, &patient_entry);
                }
            } else {
                self.index.insert(key, &ids);
            }
            self.env().emit_event(ConsentRevoked {
                patient: entry.patient,
                grantee: entry.grantee,
                consent,
                revoked_by: caller,
            });
            Ok(())
        }

        // ---- delegates ----

        /// The patient (the caller): let `delegate` grant and revoke consents for them, until `expires` if given.
        /// Adding an existing delegate again replaces its expiry.
        #[ink(message)]
        pub fn add_delegate(&mut self, delegate: AccountId, expires: Option<Timestamp>) -> Result<()> {
            let patient = self.env().caller();
            let now = self.env().block_timestamp();
            if delegate == patient {
                return Err(Error::SelfDelegate);
            }
            if expires.is_some_and(|expires| expires <= now) {
                return Err(Error::PeriodEnded);
            }
            let mut list = self.active_delegates(patient, now);
            if let Some(entry) = list.iter_mut().find(|(account, _)| *account == delegate) {
                entry.1 = expires;
            } else {
                if list.len() >= Self::max_delegates() {
                    return Err(Error::TooManyDelegates);
                }
                list.push((delegate, expires));
            }
            self.delegates.insert(patient, &list);
            self.env().emit_event(DelegateAdded { patient, delegate, expires });
            Ok(())
        }

        /// The patient (the caller): `delegate` no longer acts for them.
        #[ink(message)]
        pub fn remove_delegate(&mut self, delegate: AccountId) -> Result<()> {
            let patient = self.env().caller();
            let now = self.env().block_timestamp();
            let mut list = self.active_delegates(patient, now);
            let before = list.len();
            list.retain(|(account, _)| *account != delegate);
            if list.len() == before {
                return Err(Error::DelegateNotFound);
            }
            if list.is_empty() {
                self.delegates.remove(patient);
            } else {
                self.delegates.insert(patient, &list);
            }
            self.env().emit_event(DelegateRemoved { patient, delegate });
            Ok(())
        }

        // ---- break-glass ----

        /// A credentialed Provider (the caller): Emergency/Read access to every class of `patient`'s data for the
        /// emergency duration. Always evented; the patient can end it early.
        #[ink(message)]
        pub fn declare_emergency(&mut self, patient: AccountId, reason_hash: Hash32) -> Result<EmergencyId> {
            let provider = self.env().caller();
            let now = self.env().block_timestamp();
            if !client::has_role(self.participants, provider, Role::Provider)
                .map_err(|_| Error::ParticipantsUnreachable)?
            {
                return Err(Error::NotProvider);
            }
            if provider == patient {
                return Err(Error::SelfGrant);
            }
            if self.active_emergency(patient, provider, now).is_some() {
                return Err(Error::EmergencyActive);
            }
            let until = now.checked_add(self.emergency_duration).ok_or(Error::Overflow)?;
            let id = self.next_emergency;
            let next_emergency = id.checked_add(1).ok_or(Error::Overflow)?;
            let emergency = Emergency {
                id,
                patient,
                provider,
                reason_hash,
                declared_at: now,
                until,
                ended_at: None,
                ended_by: None,
            };
            self.next_emergency = next_emergency;
            self.emergencies.insert(id, &emergency);
            self.latest_emergency.insert((patient, provider), &id);
            self.env().emit_event(EmergencyAccessGranted { patient, provider, emergency: id, reason_hash, until });
            Ok(id)
        }

        /// The patient, an active delegate or the declaring provider: end emergency access now.
        #[ink(message)]
        pub fn end_emergency(&mut self, emergency: EmergencyId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut entry = self.emergencies.get(emergency).ok_or(Error::EmergencyNotFound)?;
            if caller != entry.provider && !self.is_patient_or_delegate(entry.patient, caller, now) {
                return Err(Error::NotAllowedToEnd);
            }
            if !entry.is_active(now) {
                return Err(Error::EmergencyEnded);
            }
            entry.ended_at = Some(now);
            entry.ended_by = Some(caller);
            self.emergencies.insert(emergency, &entry);
            self.env().emit_event(EmergencyAccessEnded {
                patient: entry.patient,
                provider: entry.provider,
                emergency,
                ended_by: caller,
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
                _ => None,
            }
        }

        /// How long break-glass access lasts, in milliseconds.
        #[ink(message)]
        pub fn emergency_duration(&self) -> u64 {
            self.emergency_duration
        }

        #[ink(message)]
        pub fn consent(&self, id: ConsentId) -> Option<ConsentEntry> {
            self.consents.get(id)
        }

        /// Every consent `patient` was ever granted (revoked and ended ones too), newest first, page by page:
        /// `from` None for the newest, then the page's `next`.
        #[ink(message)]
        pub fn consents_of(&self, patient: AccountId, from: Option<ConsentId>, limit: u32) -> Page<ConsentEntry> {
            let head = self.patients.get(patient).unwrap_or_default().consents;
            linked_page(head, from, limit, |id| {
                let entry = self.consents.get(id).filter(|entry| entry.patient == patient)?;
                let previous = entry.previous_of_patient;
                Some((entry, previous))
            })
        }

        /// `patient`'s active delegates and their expiry (at most `MAX_DELEGATES`).
        #[ink(message)]
        pub fn delegates(&self, patient: AccountId) -> DelegateList {
            self.active_delegates(patient, self.env().block_timestamp())
        }

        #[ink(message)]
        pub fn emergency(&self, id: EmergencyId) -> Option<Emergency> {
            self.emergencies.get(id)
        }

        // ---- internals ----

        fn max_active() -> usize {
            usize::try_from(MAX_ACTIVE_PER_KEY).unwrap_or(usize::MAX)
        }

        fn max_delegates() -> usize {
            usize::try_from(MAX_DELEGATES).unwrap_or(usize::MAX)
        }

        fn active_delegates(&self, patient: AccountId, now: Timestamp) -> DelegateList {
            let mut list = self.delegates.get(patient).unwrap_or_default();
            list.retain(|(_, expires)| expires.is_none_or(|expires| now < expires));
            list
        }

        fn is_patient_or_delegate(&self, patient: AccountId, caller: AccountId, now: Timestamp) -> bool {
            caller == patient || self.active_delegates(patient, now).iter().any(|(account, _)| *account == caller)
        }

        fn ensure_patient_or_delegate(&self, patient: AccountId, caller: AccountId, now: Timestamp) -> Result<()> {
            if self.is_patient_or_delegate(patient, caller, now) {
                Ok(())
            } else {
                Err(Error::NotPatientOrDelegate)
            }
        }

        /// The indexed consents of (patient, grantee) that are neither revoked nor ended.
        fn live_ids(&self, patient: AccountId, grantee: Grantee, now: Timestamp) -> Vec<ConsentId> {
            let mut ids = self.index.get((patient, grantee)).unwrap_or_default();
            ids.retain(|id| {
                self.consents.get(*id).is_some_and(|c| {
                    c.status == ConsentStatus::Active && rules::timing(c.start, c.end, now) != Timing::Ended
                })
            });
            ids
        }

        fn active_emergency(&self, patient: AccountId, provider: AccountId, now: Timestamp) -> Option<EmergencyId> {
            let id = self.latest_emergency.get((patient, provider))?;
            self.emergencies.get(id).filter(|e| e.is_active(now)).map(|e| e.id)
        }

        /// Folds the indexed consents of one key into `verdict`; returns a Deny that applies.
        fn consider_key(
            &self,
            verdict: &mut Verdict,
            patient: AccountId,
            grantee: Grantee,
            role_lacking: Option<Role>,
            access: (Purpose, DataClass, Action),
            now: Timestamp,
        ) -> Option<Denied> {
            let (purpose, class, action) = access;
            for id in self.index.get((patient, grantee)).unwrap_or_default() {
                let Some(entry) = self.consents.get(id) else {
                    continue;
                };
                if entry.status != ConsentStatus::Active || !entry.matches(purpose, class, action) {
                    continue;
                }
                let timing = rules::timing(entry.start, entry.end, now);
                if let Some(denied) = verdict.consider(id, entry.provision == Provision::Deny, timing, role_lacking) {
                    return Some(denied);
                }
            }
            None
        }
    }

    impl ConsentCheck for Consent {
        /// The patient always. Anyone else must hold the purpose's role ([`Purpose::accessor_role`]); then an
        /// active emergency of the accessor (Emergency/Read) allows it; else the consents to the accessor and to the
        /// roles it holds decide: deny beats permit. Participants is asked once: `roles_of` when the patient has
        /// role consents, else `has_role` for the purpose's role.
        #[ink(message)]
        fn check(
            &self,
            patient: AccountId,
            accessor: AccountId,
            purpose: Purpose,
            class: DataClass,
            action: Action,
        ) -> core::result::Result<Basis, Denied> {
            if accessor == patient {
                return Ok(Basis::Patient);
            }
            let now = self.env().block_timestamp();
            let required = purpose.accessor_role();
            let granted_roles = self.patients.get(patient).unwrap_or_default().role_grants;
            let held = if granted_roles.is_empty() {
                let holds = client::has_role(self.participants, accessor, required)
                    .map_err(|_| Denied::ParticipantsUnreachable)?;
                if holds {
                    RoleSet::of(required)
                } else {
                    RoleSet::EMPTY
                }
            } else {
                client::roles_of(self.participants, accessor).map_err(|_| Denied::ParticipantsUnreachable)?
            };
            if !held.contains(required) {
                return Err(Denied::RoleNotHeld(required));
            }
            if purpose == Purpose::Emergency && action == Action::Read {
                if let Some(id) = self.active_emergency(patient, accessor, now) {
                    return Ok(Basis::Emergency(id));
                }
            }
            let access = (purpose, class, action);
            let mut verdict = Verdict::default();
            if let Some(denied) =
                self.consider_key(&mut verdict, patient, Grantee::Account(accessor), None, access, now)
            {
                return Err(denied);
            }
            for role in Role::ALL.into_iter().filter(|role| granted_roles.contains(*role)) {
                let lacking = if held.contains(role) { None } else { Some(role) };
                if let Some(denied) =
                    self.consider_key(&mut verdict, patient, Grantee::Role(role), lacking, access, now)
                {
                    return Err(denied);
                }
            }
            verdict.finish()
        }
    }
}

#[cfg(test)]
mod tests;
