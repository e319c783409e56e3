//! # records: who may open a medical record, and who did
//!
//! A registry of record **pointers** in the manner of FHIR DocumentReference. The chain never holds medical data:
//! the record lives encrypted off chain, and a pointer holds its patient, author, data class, the SHA-256 of the
//! encrypted blob, the blob's public locator (at most [`pointer::MAX_LOCATOR`] bytes), its status
//! (Current, Superseded, EnteredInError, Erased) and its `replaces` / `replaced_by` links.
//!
//! - **Registering** is for the patient (or their personal representative, HIPAA 164.502(g), as the consent contract
//!   answers), or for a credentialed Provider holding a Write consent (for Treatment) for the record's class, asked of
//!   the consent contract. Only a record's author supersedes it with a new version (or, for a record the patient
//!   wrote, the patient's representative for its class).
//! - **Opening** is a transaction: the same decision [`records::Records::can_open`] answers without side effects,
//!   and on success a disclosure entry (when, who, which record, purpose, basis) is appended to the patient's log
//!   (the HIPAA 164.528 accounting of disclosures, read page by page) and `RecordOpened` is emitted. That event, once
//!   finalized, is what a custodian releases the record's data key against (docs/offchain-format.md): the locator
//!   and hash are public, the key is not, so consent binds the data and not only the log. The basis: Patient; Author
//!   for the record's author opening for Treatment or Operations, unless a Deny of the patient's covers it; else a
//!   Representative, a Consent or an Emergency, as the consent contract answers.
//! - **Erasure** (GDPR Art. 17, crypto-shredding), by the patient or their representative for the record's class,
//!   wipes the locator and hash, and custodians
//!   following the chain destroy the data key and the blob; the disclosure history stays.
//!
//! Other contracts (claims, custody) read pointers through [`interfaces::RecordRegistry::summary`].
//!
//! Everything stored here is public on chain: pointers (who, which class, when, the hash and the public
//! locator of the encrypted blob, never the record or its key) and each patient's disclosure log (who opened which record, for what purpose, on
//! what basis).
//!
//! Layout: [`errors`], [`events`] (defined in `interfaces::events::records`), [`types`], and the pure rules in
//! [`pointer`] (the shape of a pointer, registering and replacing, opening and the disclosure entry it produces,
//! entered in error, erasure). The contract [`records`] only loads, calls the rule (which asks consent through
//! the closure it is given, when it needs its answer), writes what it returns and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod errors;
pub mod events;
pub mod pointer;
pub mod types;

#[ink::contract]
pub mod records {
    use crate::pointer;
    pub use crate::{
        errors::{Error, Result},
        events::*,
        types::*,
    };
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        linked_page, page_range, Action, Basis, DataClass, Hash32, ListHead, Page, Purpose, RecordId, RecordRegistry,
        RecordStatus, RecordSummary,
    };

    #[ink(storage)]
    pub struct Records {
        admin: Admin,
        /// The participants contract. Not asked: consent's `check` asks it for the purpose's role, the Author basis
        /// goes through `check`, and consent answers who represents a patient.
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
        /// `admin` governs it (the council contract in a deployment, see `council`); `participants` and `consent` are the contracts asked.
        #[ink(constructor)]
        pub fn new(admin: AccountId, participants: AccountId, consent: AccountId) -> Self {
            Self {
                admin: Admin::new(admin),
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

        /// The patient, their personal representative (basis Representative, as consent answers), or a credentialed
        /// Provider with a Write consent (for Treatment) for `class`: register a pointer to an encrypted record. With
        /// `replaces`, that record (Current, same patient, same class, and written by the caller: only its author
        /// supersedes it; or written by the patient and the caller their representative for the class, asked of
        /// consent) becomes Superseded by the new one. Returns the new record's id. The rules:
        /// [`pointer::register`].
        #[ink(message)]
        pub fn register(
            &mut self,
            patient: AccountId,
            class: DataClass,
            content_hash: Hash32,
            locator: Vec<u8>,
            replaces: Option<RecordId>,
        ) -> Result<RecordId> {
            let author = self.env().caller();
            let id = self.next_id;
            let list = self.patient_records.get(patient).unwrap_or_default();
            let mut replaced = replaces.and_then(|id| self.records.get(id));
            // The new pointer as asked: a new record is Current.
            let record = Record {
                id,
                patient,
                author,
                class,
                content_hash,
                locator,
                created_at: self.env().block_timestamp(),
                status: RecordStatus::Current,
                replaces,
                replaced_by: None,
                previous_of_patient: list.newest,
            };
            pointer::register(
                &record,
                replaced.as_mut(),
                |purpose, action| self.consent_check(patient, author, purpose, class, action),
                || self.represents(patient, author, class),
            )?;
            let next_id = id.checked_add(1).ok_or(Error::Overflow)?;
            let list = list.pushed(id).ok_or(Error::Overflow)?;

            self.next_id = next_id;
            self.records.insert(id, &record);
            self.patient_records.insert(patient, &list);
            if let Some(replaced) = replaced {
                self.records.insert(replaced.id, &replaced);
            }
            self.env().emit_event(RecordRegistered { record: id, patient, author, class, replaces });
            Ok(id)
        }

        /// The author: mark a Current or Superseded record as entered in error. Its links are kept; a record it
        /// superseded stays Superseded (register a new one to replace it). The rules:
        /// [`pointer::mark_entered_in_error`].
        #[ink(message)]
        pub fn mark_entered_in_error(&mut self, record: RecordId) -> Result<()> {
            let author = self.env().caller();
            let mut record = self.records.get(record).ok_or(Error::RecordNotFound)?;
            pointer::mark_entered_in_error(&mut record, author)?;
            self.records.insert(record.id, &record);
            self.env().emit_event(RecordEnteredInError { record: record.id, patient: record.patient, author });
            Ok(())
        }

        /// The patient, or a personal representative of theirs for the record's class (asked of the consent
        /// contract, only when the caller is not the patient): erase a record (GDPR Art. 17). Locator and hash are
        /// wiped, the status becomes Erased; the links and the disclosure history stay. Erased records can no longer
        /// be opened or verified. The rules: [`pointer::erase`].
        #[ink(message)]
        pub fn erase(&mut self, record: RecordId) -> Result<()> {
            let caller = self.env().caller();
            let mut record = self.records.get(record).ok_or(Error::RecordNotFound)?;
            let (patient, class) = (record.patient, record.class);
            pointer::erase(&mut record, caller, || self.represents(patient, caller, class))?;
            self.records.insert(record.id, &record);
            self.env().emit_event(RecordErased { record: record.id, patient, erased_by: caller });
            Ok(())
        }

        // ---- opening ----

        /// Open `record` for `purpose`: on success appends a disclosure entry to the patient's log, emits
        /// `RecordOpened` (what a custodian releases the data key against, once finalized) and returns the basis.
        /// A dry run opens nothing: it logs nothing and emits nothing anyone can cite. The patient opens with basis
        /// Patient; their personal representative with basis Representative (as consent answers; a record entered in
        /// error too); the author, for Treatment or Operations, with basis Author while a credentialed Provider whom no
        /// Deny of the patient's covers for the record's class; anyone else (the author for any other purpose too)
        /// needs the purpose's role and the consent contract's Read permission (basis Consent or Emergency).
        /// Refusals give the reason and log nothing. The rules: [`pointer::open`].
        ///
        /// Storage reads are constant: the record, the patient's log count (plus the cross-contract questions).
        #[ink(message)]
        pub fn open(&mut self, record: RecordId, purpose: Purpose) -> Result<Basis> {
            let accessor = self.env().caller();
            let record = self.records.get(record).ok_or(Error::RecordNotFound)?;
            let disclosure = self.decide(&record, accessor, purpose)?;
            let patient = record.patient;
            let index = self.disclosure_count.get(patient).unwrap_or(0);
            let count = index.checked_add(1).ok_or(Error::Overflow)?;
            self.disclosures.insert((patient, index), &disclosure);
            self.disclosure_count.insert(patient, &count);
            let basis = disclosure.basis;
            self.env().emit_event(RecordOpened { record: record.id, patient, accessor, purpose, basis });
            Ok(basis)
        }

        /// The decision `open` would take for `accessor`, without logging or events (for gateways' dry runs).
        #[ink(message)]
        pub fn can_open(&self, record: RecordId, accessor: AccountId, purpose: Purpose) -> Result<Basis> {
            let record = self.records.get(record).ok_or(Error::RecordNotFound)?;
            self.decide(&record, accessor, purpose).map(|disclosure| disclosure.basis)
        }

        // ---- reads ----

        /// True when `record` exists, is not erased and its content hash is `content_hash`.
        #[ink(message)]
        pub fn verify(&self, record: RecordId, content_hash: Hash32) -> bool {
            self.records.get(record).is_some_and(|record| pointer::verifies(&record, &content_hash))
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

        /// [`pointer::open`] for `accessor`, asking consent (once) only when the rule needs it.
        fn decide(&self, record: &Record, accessor: AccountId, purpose: Purpose) -> Result<Disclosure> {
            pointer::open(record, accessor, purpose, self.env().block_timestamp(), |purpose, action| {
                self.consent_check(record.patient, accessor, purpose, record.class, action)
            })
        }

        /// Does `account` represent `patient` for `class`, as the consent contract answers?
        fn represents(&self, patient: AccountId, account: AccountId, class: DataClass) -> Result<bool> {
            client::represents(self.consent, patient, account, class).map_err(|_| Error::ConsentUnreachable)
        }

        /// Consent's answer for `accessor` on `patient`'s data of `class`, its refusals under records' own names.
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
                .map_err(Error::from)
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
            self.records.get(record).map(|record| record.summary())
        }
    }
}

#[cfg(test)]
mod tests;
