//! # records: who may open a medical record, and who did
//!
//! A registry of record **pointers** in the manner of FHIR DocumentReference. The chain never holds medical data:
//! the record lives encrypted off chain, and a pointer holds its patient, author, data class, the SHA-256 of the
//! encrypted payload, the encrypted off-chain location (at most [`pointer::MAX_LOCATION`] bytes), its status
//! (Current, Superseded, EnteredInError, Erased) and its `replaces` / `replaced_by` links.
//!
//! - **Registering** is for the patient, or for a credentialed Provider holding a Write consent (for Treatment) for
//!   the record's class, asked of the consent contract.
//! - **Opening** is a transaction: the same decision [`records::Records::can_open`] answers without side effects,
//!   and on success the pointer is returned and a disclosure entry (when, who, which record, purpose, basis) is
//!   appended to the patient's log: the HIPAA 164.528 accounting of disclosures, read page by page.
//! - **Erasure** (GDPR Art. 17, crypto-shredding) wipes the location and hash; the disclosure history stays.
//!
//! Other contracts (claims, custody) read pointers through [`interfaces::RecordRegistry::summary`].
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod pointer;

#[ink::contract]
pub mod records {
    use crate::pointer::{self, PointerError, ERASED_HASH};
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, page_range, Action, Basis, DataClass, Denied, Hash32, ListHead, Page, Purpose, RecordId,
        RecordRegistry, RecordStatus, RecordSummary, Role,
    };

    /// One record pointer (FHIR DocumentReference).
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Record {
        pub id: RecordId,
        pub patient: AccountId,
        /// Who registered it: the patient, or a Provider.
        pub author: AccountId,
        pub class: DataClass,
        /// SHA-256 of the encrypted payload; all zeroes once erased.
        pub content_hash: Hash32,
        /// Encrypted off-chain address; empty once erased.
        pub location: Vec<u8>,
        pub created_at: Timestamp,
        pub status: RecordStatus,
        /// The record this one superseded.
        pub replaces: Option<RecordId>,
        /// The record that superseded this one.
        pub replaced_by: Option<RecordId>,
        /// The patient's record registered before this one (the link of `records_of`).
        pub previous_of_patient: Option<RecordId>,
    }

    /// What `open` hands back: where the encrypted record lives and the hash to check it against.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub struct Pointer {
        pub location: Vec<u8>,
        pub content_hash: Hash32,
    }

    /// One entry of a patient's accounting of disclosures (HIPAA 164.528).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Disclosure {
        pub at: Timestamp,
        pub accessor: AccountId,
        pub record: RecordId,
        pub purpose: Purpose,
        /// Patient, Author, Consent(id) or Emergency(id).
        pub basis: Basis,
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
        /// The location is empty.
        EmptyLocation,
        /// The location is longer than `MAX_LOCATION` bytes.
        LocationTooLong,
        /// The content hash is all zeroes.
        EmptyContentHash,
        /// No record has this id.
        RecordNotFound,
        /// The record named in `replaces` does not exist.
        ReplacedRecordNotFound,
        /// The record named in `replaces` belongs to another patient.
        ReplacedRecordOfAnotherPatient,
        /// The record named in `replaces` is of another data class.
        ReplacedRecordOfAnotherClass,
        /// The record named in `replaces` is not Current.
        ReplacedRecordNotCurrent,
        /// Only the record's author may do this.
        NotAuthor,
        /// Only the record's patient may do this.
        NotPatient,
        /// The record was erased.
        RecordErased,
        /// The record was already erased.
        AlreadyErased,
        /// The record is entered in error (only its patient may still open it; it cannot be marked twice).
        EnteredInError,
        /// The caller does not hold the role the purpose requires (`Purpose::accessor_role`; Provider to register
        /// for a patient), or the role of the role consent that would allow it, as the consent contract answered.
        RoleNotHeld(Role),
        /// The consent contract refused, for this reason.
        Denied(Denied),
        /// The participants contract could not be asked.
        ParticipantsUnreachable,
        /// The consent contract could not be asked.
        ConsentUnreachable,
        /// A counter would overflow.
        Overflow,
    }

    interfaces::admin_errors!(Error);

    impl From<PointerError> for Error {
        fn from(error: PointerError) -> Self {
            match error {
                PointerError::EmptyLocation => Error::EmptyLocation,
                PointerError::LocationTooLong => Error::LocationTooLong,
                PointerError::EmptyContentHash => Error::EmptyContentHash,
            }
        }
    }

    pub type Result<T> = core::result::Result<T, Error>;

    /// A record pointer was registered. With `replaces`, that record is now Superseded by this one (its status
    /// and `replaced_by` say so; no event of its own).
    #[ink(event)]
    pub struct RecordRegistered {
        #[ink(topic)]
        pub record: RecordId,
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub author: AccountId,
        pub class: DataClass,
        pub replaces: Option<RecordId>,
    }

    /// The author marked `record` entered in error.
    #[ink(event)]
    pub struct RecordEnteredInError {
        #[ink(topic)]
        pub record: RecordId,
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub author: AccountId,
    }

    /// `accessor` opened `record`; the same entry was appended to the patient's disclosure log.
    #[ink(event)]
    pub struct RecordOpened {
        #[ink(topic)]
        pub record: RecordId,
        #[ink(topic)]
        pub patient: AccountId,
        #[ink(topic)]
        pub accessor: AccountId,
        pub purpose: Purpose,
        pub basis: Basis,
    }

    /// The patient erased `record`: its location and hash are wiped.
    #[ink(event)]
    pub struct RecordErased {
        #[ink(topic)]
        pub record: RecordId,
        #[ink(topic)]
        pub patient: AccountId,
    }

    #[ink(storage)]
    pub struct Records {
        admin: Admin,
        participants: AccountId,
        consent: AccountId,
        /// The id the next record gets (ids start at 1).
        next_id: RecordId,
        records: Mapping<RecordId, Record>,
        /// Each patient's records, newest first, linked through `Record::previous_of_patient`.
        patient_records: Mapping<AccountId, ListHead>,
        /// A patient's disclosure log: `(patient, index) -> entry`, plus the count.
        disclosures: Mapping<(AccountId, u64), Disclosure>,
        disclosure_count: Mapping<AccountId, u64>,
    }

    impl Records {
        /// The caller becomes the governance admin; `participants` and `consent` are the contracts asked.
        #[ink(constructor)]
        pub fn new(participants: AccountId, consent: AccountId) -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                participants,
                consent,
                next_id: 1,
                records: Mapping::new(),
                patient_records: Mapping::new(),
                disclosures: Mapping::new(),
                disclosure_count: Mapping::new(),
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
                Dependency::Consent => self.consent = address,
                _ => return Err(Error::NotADependency),
            }
            self.env().emit_event(DependencyChanged { dependency, address });
            Ok(())
        }

        // ---- writing ----

        /// The patient, or a credentialed Provider with a Write consent (for Treatment) for `class`: register a
        /// pointer to an encrypted record. With `replaces`, that record (Current, same patient, same class) becomes
        /// Superseded by the new one. Returns the new record's id.
        #[ink(message)]
        pub fn register(
            &mut self,
            patient: AccountId,
            class: DataClass,
            content_hash: Hash32,
            location: Vec<u8>,
            replaces: Option<RecordId>,
        ) -> Result<RecordId> {
            let author = self.env().caller();
            pointer::validate(&location, &content_hash)?;
            let replaced = match replaces {
                Some(old_id) => {
                    let old = self.records.get(old_id).ok_or(Error::ReplacedRecordNotFound)?;
                    if old.patient != patient {
                        return Err(Error::ReplacedRecordOfAnotherPatient);
                    }
                    if old.class != class {
                        return Err(Error::ReplacedRecordOfAnotherClass);
                    }
                    if old.status != RecordStatus::Current {
                        return Err(Error::ReplacedRecordNotCurrent);
                    }
                    Some(old)
                }
                None => None,
            };
            if author != patient {
                // Consent also requires the Treatment purpose's role, Provider.
                self.consent_check(patient, author, Purpose::Treatment, class, Action::Write)?;
            }

            let id = self.next_id;
            let next_id = id.checked_add(1).ok_or(Error::Overflow)?;
            let list = self.patient_records.get(patient).unwrap_or_default();
            let next_list = list.pushed(id).ok_or(Error::Overflow)?;

            let record = Record {
                id,
                patient,
                author,
                class,
                content_hash,
                location,
                created_at: self.env().block_timestamp(),
                status: RecordStatus::Current,
                replaces,
                replaced_by: None,
                previous_of_patient: list.newest,
            };
            self.next_id = next_id;
            self.records.insert(id, &record);
            self.patient_records.insert(patient, &next_list);
            self.env().emit_event(RecordRegistered { record: id, patient, author, class, replaces });
            if let Some(mut old) = replaced {
                old.status = RecordStatus::Superseded;
                old.replaced_by = Some(id);
                self.records.insert(old.id, &old);
            }
            Ok(id)
        }

        /// The author: mark a Current or Superseded record as entered in error. Its links are kept; a record it
        /// superseded stays Superseded (register a new one to replace it).
        #[ink(message)]
        pub fn mark_entered_in_error(&mut self, record: RecordId) -> Result<()> {
            let caller = self.env().caller();
            let mut entry = self.records.get(record).ok_or(Error::RecordNotFound)?;
            if entry.author != caller {
                return Err(Error::NotAuthor);
            }
            match entry.status {
                RecordStatus::Current | RecordStatus::Superseded => {}
                RecordStatus::EnteredInError => return Err(Error::EnteredInError),
                RecordStatus::Erased => return Err(Error::RecordErased),
            }
            entry.status = RecordStatus::EnteredInError;
            self.records.insert(record, &entry);
            self.env().emit_event(RecordEnteredInError { record, patient: entry.patient, author: caller });
            Ok(())
        }

        /// The patient: erase a record (GDPR Art. 17). Location and hash are wiped, the status becomes Erased; the
        /// links and the disclosure history stay. Erased records can no longer be opened or verified.
        #[ink(message)]
        pub fn erase(&mut self, record: RecordId) -> Result<()> {
            let caller = self.env().caller();
            let mut entry = self.records.get(record).ok_or(Error::RecordNotFound)?;
            if entry.patient != caller {
                return Err(Error::NotPatient);
            }
            if entry.status == RecordStatus::Erased {
                return Err(Error::AlreadyErased);
            }
            entry.status = RecordStatus::Erased;
            entry.location = Vec::new();
            entry.content_hash = ERASED_HASH;
            self.records.insert(record, &entry);
            self.env().emit_event(RecordErased { record, patient: caller });
            Ok(())
        }

        // ---- opening ----

        /// Open `record` for `purpose`: on success returns where the encrypted record lives and its hash, and
        /// appends a disclosure entry to the patient's log. The patient opens with basis Patient; the author, while
        /// a credentialed Provider, with basis Author; anyone else needs the purpose's role and the consent
        /// contract's Read permission (basis Consent or Emergency). Refusals give the reason and log nothing.
        ///
        /// Storage reads are constant: the record, the patient's log count (plus the cross-contract questions).
        #[ink(message)]
        pub fn open(&mut self, record: RecordId, purpose: Purpose) -> Result<Pointer> {
            let accessor = self.env().caller();
            let entry = self.records.get(record).ok_or(Error::RecordNotFound)?;
            let basis = self.decide(&entry, accessor, purpose)?;
            let patient = entry.patient;
            let index = self.disclosure_count.get(patient).unwrap_or(0);
            let next_index = index.checked_add(1).ok_or(Error::Overflow)?;
            let disclosure = Disclosure { at: self.env().block_timestamp(), accessor, record, purpose, basis };
            self.disclosures.insert((patient, index), &disclosure);
            self.disclosure_count.insert(patient, &next_index);
            self.env().emit_event(RecordOpened { record, patient, accessor, purpose, basis });
            Ok(Pointer { location: entry.location, content_hash: entry.content_hash })
        }

        /// The decision `open` would take for `accessor`, without logging or events (for gateways' dry runs).
        #[ink(message)]
        pub fn can_open(&self, record: RecordId, accessor: AccountId, purpose: Purpose) -> Result<Basis> {
            let entry = self.records.get(record).ok_or(Error::RecordNotFound)?;
            self.decide(&entry, accessor, purpose)
        }

        // ---- reads ----

        /// True when `record` exists, is not erased and its content hash is `content_hash`.
        #[ink(message)]
        pub fn verify(&self, record: RecordId, content_hash: Hash32) -> bool {
            self.records.get(record).is_some_and(|r| r.status != RecordStatus::Erased && r.content_hash == content_hash)
        }

        #[ink(message)]
        pub fn record(&self, id: RecordId) -> Option<Record> {
            self.records.get(id)
        }

        /// A page of `patient`'s record ids, newest first: `from` None for the newest, then the page's `next`.
        #[ink(message)]
        pub fn records_of(&self, patient: AccountId, from: Option<RecordId>, limit: u32) -> Page<RecordId> {
            let head = self.patient_records.get(patient).unwrap_or_default();
            linked_page(head, from, limit, |id| {
                let record = self.records.get(id).filter(|record| record.patient == patient)?;
                Some((id, record.previous_of_patient))
            })
        }

        /// A page of `patient`'s accounting of disclosures, oldest first. Public, like everything in contract
        /// storage: it names accounts, records and purposes, never medical data.
        #[ink(message)]
        pub fn disclosures(&self, patient: AccountId, from: u64, limit: u32) -> Page<Disclosure> {
            let len = self.disclosure_count.get(patient).unwrap_or(0);
            let (start, end, next) = page_range(len, from, limit);
            let items = (start..end).filter_map(|i| self.disclosures.get((patient, i))).collect();
            Page { items, next, len }
        }

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
                Dependency::Consent => Some(self.consent),
                _ => None,
            }
        }

        // ---- internals ----

        /// The one decision behind `open` and `can_open`.
        fn decide(&self, record: &Record, accessor: AccountId, purpose: Purpose) -> Result<Basis> {
            match record.status {
                RecordStatus::Erased => return Err(Error::RecordErased),
                RecordStatus::EnteredInError if accessor != record.patient => return Err(Error::EnteredInError),
                _ => {}
            }
            if accessor == record.patient {
                return Ok(Basis::Patient);
            }
            if accessor == record.author
                && client::has_role(self.participants, accessor, Role::Provider)
                    .map_err(|_| Error::ParticipantsUnreachable)?
            {
                return Ok(Basis::Author);
            }
            // Consent also requires the purpose's role (`Purpose::accessor_role`).
            self.consent_check(record.patient, accessor, purpose, record.class, Action::Read)
        }

        fn consent_check(
            &self,
            patient: AccountId,
            accessor: AccountId,
            purpose: Purpose,
            class: DataClass,
            action: Action,
        ) -> Result<Basis> {
            client::check(self.consent, patient, accessor, purpose, class, action)
                .map_err(|_| Error::ConsentUnreachable)?
                .map_err(|denied| match denied {
                    Denied::RoleNotHeld(role) => Error::RoleNotHeld(role),
                    Denied::ParticipantsUnreachable => Error::ParticipantsUnreachable,
                    denied => Error::Denied(denied),
                })
        }

        /// Tests only: pretend `next` ids were handed out already.
        #[cfg(test)]
        pub(crate) fn set_next_id(&mut self, next: RecordId) {
            self.next_id = next;
        }

        /// Tests only: pretend `patient`'s log already holds `count` entries.
        #[cfg(test)]
        pub(crate) fn set_disclosure_count(&mut self, patient: AccountId, count: u64) {
            self.disclosure_count.insert(patient, &count);
        }
    }

    impl RecordRegistry for Records {
        #[ink(message)]
        fn summary(&self, record: RecordId) -> Option<RecordSummary> {
            self.records.get(record).map(|r| RecordSummary {
                patient: r.patient,
                author: r.author,
                class: r.class,
                status: r.status,
                content_hash: r.content_hash,
                created_at: r.created_at,
            })
        }
    }
}

#[cfg(test)]
mod tests;
