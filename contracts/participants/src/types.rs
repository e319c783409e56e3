//! What the participants contract stores: issuers and the credentials they attest.

use ink::primitives::AccountId;
use interfaces::{Hash32, Role, RoleSet, Timestamp};

/// Who made a status change: the governance admin, or the issuer that attested the credential. The admin's changes
/// only the admin undoes (see [`crate::credential::change_status`]). When the admin is also the credential's issuer,
/// its changes are the admin's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Authority {
    Admin,
    Issuer,
}

/// Where a credential stands, and by whose authority it was suspended or revoked. Revoked is final: no issuer
/// reinstates or re-attests it; only the admin lifts a revocation (see [`crate::credential::lift_revocation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum CredentialStatus {
    Active,
    Suspended(Authority),
    Revoked(Authority),
}

impl CredentialStatus {
    pub fn is_revoked(self) -> bool {
        matches!(self, CredentialStatus::Revoked(_))
    }
}

/// One role attested to one account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Credential {
    pub role: Role,
    /// Hash of the licence identifier (the identifier itself stays off chain).
    pub licence_hash: Hash32,
    /// National Provider Identifier, for providers only.
    pub npi: Option<u64>,
    pub issuer: AccountId,
    /// Valid in `[valid_from, valid_until)`, in milliseconds.
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
    pub status: CredentialStatus,
    pub attested_at: Timestamp,
}

/// An appointed issuer and the roles it may attest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Issuer {
    pub roles: RoleSet,
    pub appointed_at: Timestamp,
}

/// A GS1 Company Prefix attested to a Manufacturer (see [`crate::company_prefix`]): stored at the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct CompanyPrefix {
    /// The company (its Manufacturer account) GS1 licensed the prefix to.
    pub holder: AccountId,
    /// The issuer that attested it; it (or the admin) withdraws it.
    pub issuer: AccountId,
    pub attested_at: Timestamp,
}
