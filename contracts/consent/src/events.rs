//! The events of the consent contract, one per state change. Those of consents, delegates and emergencies are defined
//! once in [`interfaces::events::consent`] (feature `consent-events`), so that the custodian, the indexer and the
//! clients decode the very types this contract emits; the governance events are [`interfaces::governance`]'s. The
//! review and access-request events are defined here until an off-chain reader decodes them (moving one keeps its
//! signature as long as its field types stay spelled the same). Re-exported by [`crate::consent`].

pub use interfaces::events::consent::{
    ConsentGranted, ConsentRevoked, DelegateAdded, DelegateRemoved, EmergencyAccessEnded, EmergencyAccessGranted,
    EmergencyDurationChanged,
};

use crate::types::RequestId;
use interfaces::{AccountId, ActionSet, ConsentId, DataClassSet, EmergencyId, Hash32, Purpose, Timestamp};

/// An emergency was reviewed after the fact (or while active), by the patient or a Regulator. Filter on the patient
/// or the provider (e.g. for the unjustified emergencies of a provider).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyReviewed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub emergency: EmergencyId,
    pub justified: bool,
    pub note_hash: Hash32,
    pub reviewed_by: AccountId,
}

/// A credentialed requester asked the patient for access.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequested {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
    pub purpose: Purpose,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub end: Option<Timestamp>,
    pub reason_hash: Hash32,
}

/// The patient approved an access request into `consent` (whose `ConsentGranted` is emitted with it).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestApproved {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
    pub consent: ConsentId,
}

/// The patient declined an access request.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestDeclined {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
}

/// The requester withdrew an access request.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestWithdrawn {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
}
