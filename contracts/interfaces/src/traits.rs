//! The traits the contracts call each other through (`#[ink::trait_definition]`): their selectors are derived from
//! the trait and message names, so moving them between modules changes nothing on chain.

use crate::{Action, Basis, DataClass, Denied, GtinHolding, Purpose, RecordId, RecordSummary, Role, RoleSet};
use ink::prelude::string::String;
use ink::primitives::AccountId;

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

    /// Whether `account` is a credentialed Manufacturer holding the GS1 Company Prefix of `gtin` (the longest
    /// attested prefix that follows its indicator digit). A `gtin` that is not 14 ASCII digits is no one's.
    #[ink(message)]
    fn holds_gtin(&self, account: AccountId, gtin: String) -> GtinHolding;
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

/// Who acts as a patient: answered by the consent contract.
#[ink::trait_definition]
pub trait Representatives {
    /// True while `account` is a live personal representative of `patient` (attested by an issuer, in its period,
    /// not ended) whose representation does not exclude `class`.
    #[ink(message)]
    fn represents(&self, patient: AccountId, account: AccountId, class: DataClass) -> bool;
}

/// What other contracts may know of a record pointer. Answered by the records contract.
#[ink::trait_definition]
pub trait RecordRegistry {
    /// Patient, author, class, status and content hash of a record; `None` for an unknown id.
    #[ink(message)]
    fn summary(&self, record: RecordId) -> Option<RecordSummary>;
}
