//! Events of the consent contract.
//!
//! Field types are written as the contract wrote them: ink! derives an event's signature topic from its name and
//! the field types as written.

use crate::{
    AccountId, ActionSet, ConsentId, DataClassSet, DelegationId, EmergencyId, Grantee, Hash32, Provision, PurposeSet,
    Timestamp,
};

/// A consent was granted (by the patient or a delegate, `granted_by`).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A consent was revoked.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRevoked {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub grantee: Grantee,
    #[ink(topic)]
    pub consent: ConsentId,
    pub revoked_by: AccountId,
}

/// The patient added (or replaced) a delegate who may grant, within the scope of `delegation`, and revoke its own
/// grants; those grants count only while this delegation lives.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegateAdded {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
    pub delegation: DelegationId,
    pub purposes: PurposeSet,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub expires: Option<Timestamp>,
}

/// A delegate was removed.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegateRemoved {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
}

/// A provider declared break-glass emergency access to the patient's data until `until`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Emergency access ended before its time.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccessEnded {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    #[ink(topic)]
    pub emergency: EmergencyId,
    pub ended_by: AccountId,
}

/// The admin changed how long break-glass access lasts.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyDurationChanged {
    #[ink(topic)]
    pub admin: AccountId,
    pub duration_ms: u64,
}
