//! What the participants contract stores: issuers and the credentials they attest.

use ink::primitives::AccountId;
use interfaces::{Hash32, Role, RoleSet, Timestamp};

/// Where a credential stands. Revoked is final (see [`crate::credential::change_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum CredentialStatus {
    Active,
    Suspended,
    Revoked,
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
