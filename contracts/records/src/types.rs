//! What the records contract stores (record pointers, the disclosure log) and what `open` hands back.

use ink::{prelude::vec::Vec, primitives::AccountId};
use interfaces::{Basis, DataClass, Hash32, Purpose, RecordId, RecordStatus, RecordSummary, Timestamp};

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
    /// Public locator of the encrypted blob (not a secret: the key is held by a custodian); empty once erased.
    pub locator: Vec<u8>,
    pub created_at: Timestamp,
    pub status: RecordStatus,
    /// The record this one superseded.
    pub replaces: Option<RecordId>,
    /// The record that superseded this one.
    pub replaced_by: Option<RecordId>,
    /// The patient's record registered before this one (the link of `records_of`).
    pub previous_of_patient: Option<RecordId>,
}

impl Record {
    /// What other contracts may know of this record ([`interfaces::RecordRegistry::summary`]).
    pub fn summary(&self) -> RecordSummary {
        RecordSummary {
            patient: self.patient,
            author: self.author,
            class: self.class,
            status: self.status,
            content_hash: self.content_hash,
            created_at: self.created_at,
        }
    }
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
