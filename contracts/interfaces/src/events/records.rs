//! Events of the records contract. `RecordOpened` is the disclosure entry a custodian releases a key against.
//!
//! Field types are written as the contract wrote them: ink! derives an event's signature topic from its name and
//! the field types as written.

use crate::{AccountId, Basis, DataClass, Purpose, RecordId};

/// A record pointer was registered. With `replaces`, that record is now Superseded by this one (its status and
/// `replaced_by` say so; no event of its own).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEnteredInError {
    #[ink(topic)]
    pub record: RecordId,
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub author: AccountId,
}

/// `accessor` opened `record`; the same entry was appended to the patient's disclosure log.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The patient (or their representative, `erased_by`) erased `record`: its locator and hash are wiped; custodians
/// destroy its data key and blob once this event is finalized.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordErased {
    #[ink(topic)]
    pub record: RecordId,
    #[ink(topic)]
    pub patient: AccountId,
    pub erased_by: AccountId,
}
