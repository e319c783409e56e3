//! Events of the consent contract.
//!
//! Field types are written as the contract wrote them: ink! derives an event's signature topic from its name and
//! the field types as written.

use crate::{
    AccountId, ActionSet, ConsentId, DataClassSet, DelegationId, EmergencyId, Grantee, Hash32, Provision, Purpose,
    PurposeSet, RepresentationId, RequestId, Timestamp,
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

/// The patient (or their representative, `added_by`) added (or replaced) a delegate who may grant, within the scope
/// of `delegation`, and revoke its own grants; those grants count only while this delegation lives.
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
    pub added_by: AccountId,
}

/// A delegate was removed (by the patient or their representative, `removed_by`).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegateRemoved {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
    pub removed_by: AccountId,
}

/// An issuer (a court, a registrar) attested that `representative` is `patient`'s personal representative (HIPAA
/// 164.502(g)) in `[valid_from, valid_until)`, for every class but `excluded`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentationAttested {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub representative: AccountId,
    pub representation: RepresentationId,
    pub issuer: AccountId,
    pub valid_from: Timestamp,
    pub valid_until: Option<Timestamp>,
    pub excluded: DataClassSet,
}

/// A representation was ended before its period did (by its issuer or the admin, `ended_by`).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentationEnded {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub representative: AccountId,
    pub representation: RepresentationId,
    pub ended_by: AccountId,
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

/// An emergency was reviewed after the fact (or while active), by the patient, their representative or a Regulator.
/// Filter on the patient or the provider (e.g. for the unjustified emergencies of a provider).
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

/// A credentialed requester asked the patient for access (replacing its expired pending request, if any).
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
    /// The requester's expired pending request this one replaces (it left the pending list, closed as Expired).
    pub replaces: Option<RequestId>,
}

/// The patient (or their representative, `approved_by`) approved an access request into `consent` (whose
/// `ConsentGranted` is emitted with it).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestApproved {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
    pub consent: ConsentId,
    pub approved_by: AccountId,
}

/// The patient (or their representative, `declined_by`) declined an access request.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestDeclined {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub requester: AccountId,
    pub request: RequestId,
    pub declined_by: AccountId,
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
