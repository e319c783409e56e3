//! What the consent contract stores (consents, each patient's list and role grants, delegates, emergencies) and its
//! bounds, with what each stored value says of itself as methods. Re-exported by [`crate::consent`].
//!
//! [`Grantee`] and [`Provision`] are the shared vocabulary's ([`interfaces`]): the events and the other contracts
//! speak of them too.

use ink::prelude::vec::Vec;
use interfaces::{
    AccountId, Action, ActionSet, ConsentId, DataClass, DataClassSet, EmergencyId, Hash32, ListHead, Purpose,
    PurposeSet, RoleSet, Timestamp,
};
pub use interfaces::{Grantee, Provision};

/// The most live (not revoked, not ended) consents one (patient, grantee) key may hold: `check` reads at most this
/// many consents per key.
pub const MAX_ACTIVE_PER_KEY: u32 = 16;
/// The most delegates a patient may have at once.
pub const MAX_DELEGATES: u32 = 8;
/// How long break-glass access lasts unless the admin changes it: 24 hours, in milliseconds.
pub const DEFAULT_EMERGENCY_DURATION: u64 = 86_400_000;

/// A key of the consent index: (patient, grantee).
pub type IndexKey = (AccountId, Grantee);
/// A patient's delegates and their expiry.
pub type DelegateList = Vec<(AccountId, Option<Timestamp>)>;

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

impl ConsentEntry {
    /// Does this consent speak to `action` on `class` for `purpose`? (Sensitive classes only when named.)
    pub fn matches(&self, purpose: Purpose, class: DataClass, action: Action) -> bool {
        self.purposes.contains(purpose) && self.classes.covers(class) && self.actions.contains(action)
    }
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
