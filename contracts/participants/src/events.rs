//! The events of the participants contract: one per state change, with the accounts (and the role) as topics.
//! The admin events come from [`interfaces::governance`].

use crate::types::Authority;
use ink::prelude::string::String;
use ink::primitives::AccountId;
use interfaces::{Role, RoleSet, Timestamp};

/// The admin appointed `issuer`, or changed the roles it may attest, to `roles`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerAppointed {
    #[ink(topic)]
    pub issuer: AccountId,
    pub roles: RoleSet,
}

/// The admin removed `issuer`: the credentials it attested no longer count.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerRemoved {
    #[ink(topic)]
    pub issuer: AccountId,
}

/// `issuer` attested `role` to `account` for `[valid_from, valid_until)`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialAttested {
    #[ink(topic)]
    pub account: AccountId,
    #[ink(topic)]
    pub role: Role,
    #[ink(topic)]
    pub issuer: AccountId,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

/// `by` (the issuer or the admin, as `authority` says) suspended `account`'s credential for `role`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialSuspended {
    #[ink(topic)]
    pub account: AccountId,
    #[ink(topic)]
    pub role: Role,
    #[ink(topic)]
    pub by: AccountId,
    /// Whether `by` acted as the admin or as the credential's issuer.
    pub authority: Authority,
}

/// `by` (the issuer or the admin, as `authority` says) reinstated `account`'s suspended credential for `role`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialReinstated {
    #[ink(topic)]
    pub account: AccountId,
    #[ink(topic)]
    pub role: Role,
    #[ink(topic)]
    pub by: AccountId,
    /// Whether `by` acted as the admin or as the credential's issuer.
    pub authority: Authority,
}

/// `by` (the issuer or the admin, as `authority` says) revoked `account`'s credential for `role`: final unless the
/// admin lifts it.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRevoked {
    #[ink(topic)]
    pub account: AccountId,
    #[ink(topic)]
    pub role: Role,
    #[ink(topic)]
    pub by: AccountId,
    /// Whether `by` acted as the admin or as the credential's issuer.
    pub authority: Authority,
}

/// The admin `by` lifted the revocation of `account`'s credential for `role`: the revoked credential is cleared
/// (its NPI with it), so an issuer may attest the role to the account again.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationLifted {
    #[ink(topic)]
    pub account: AccountId,
    #[ink(topic)]
    pub role: Role,
    pub by: AccountId,
}

/// `issuer` attested the GS1 Company Prefix `prefix` to the Manufacturer `account`: GTINs that carry it are
/// `account`'s to register.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyPrefixAttested {
    #[ink(topic)]
    pub account: AccountId,
    pub prefix: String,
    #[ink(topic)]
    pub issuer: AccountId,
}

/// `by` (the prefix's issuer or the admin) withdrew the company prefix `prefix` from `account`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyPrefixWithdrawn {
    #[ink(topic)]
    pub account: AccountId,
    pub prefix: String,
    pub by: AccountId,
}
