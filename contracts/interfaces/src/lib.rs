//! Shared vocabulary of the healthchain contracts: roles, purposes of use, data classes, the traits the contracts
//! call each other through, typed clients for those calls, and the two-step governance admin every contract has.
//!
//! This is a plain library, not a contract: it has no `ink-as-dependency` feature on purpose (ink_e2e would try to
//! build it as a contract).
#![cfg_attr(not(feature = "std"), no_std)]

pub mod admin;
pub mod client;
mod vocabulary;

#[cfg(feature = "stubs")]
pub mod stubs;

pub use ink::primitives::AccountId;
pub use vocabulary::*;

/// Milliseconds since the Unix epoch, as `block_timestamp()` gives it in ink!'s default environment.
pub type Timestamp = u64;
/// SHA-256 of an encrypted payload or signed document.
pub type Hash32 = [u8; 32];
pub type ConsentId = u64;
pub type EmergencyId = u64;
pub type RecordId = u64;

/// Who is who: answered by the participants contract.
#[ink::trait_definition]
pub trait Participants {
    /// True only for an Active credential inside its validity period whose issuer is still appointed and allowed
    /// the role.
    #[ink(message)]
    fn has_role(&self, account: AccountId, role: Role) -> bool;

    /// Every role `has_role` is true for.
    #[ink(message)]
    fn roles_of(&self, account: AccountId) -> RoleSet;
}

/// May `accessor` do `action` on `patient`'s data of `class` for `purpose`? Answered by the consent contract.
#[ink::trait_definition]
pub trait ConsentCheck {
    #[ink(message)]
    fn check(
        &self,
        patient: AccountId,
        accessor: AccountId,
        purpose: Purpose,
        class: DataClass,
        action: Action,
    ) -> Result<Basis, Denied>;
}

/// What other contracts may know of a record pointer. Answered by the records contract.
#[ink::trait_definition]
pub trait RecordRegistry {
    /// Patient, author, class, status and content hash of a record; `None` for an unknown id.
    #[ink(message)]
    fn summary(&self, record: RecordId) -> Option<RecordSummary>;
}
