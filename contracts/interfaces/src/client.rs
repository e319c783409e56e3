//! Typed cross-contract calls through the traits of this crate.
//!
//! Every call is made with `try_invoke`, so an address that holds no contract, a callee that traps or an answer
//! that does not decode comes back as [`Unreachable`], which each contract turns into a named `Error` instead of
//! trapping. With the `testing` feature (unit tests only) the answers come from [`crate::stubs`] instead.

use crate::{Action, Basis, DataClass, Denied, GtinHolding, Purpose, RecordId, RecordSummary, Role, RoleSet};
use ink::prelude::string::String;
use ink::primitives::AccountId;

/// The callee gave no answer: no contract at that address, it trapped, or its answer did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreachable;

#[cfg(not(feature = "testing"))]
fn answer<T>(result: Result<ink::MessageResult<T>, ink::env::Error>) -> Result<T, Unreachable> {
    match result {
        Ok(Ok(value)) => Ok(value),
        _ => Err(Unreachable),
    }
}

/// `Participants::has_role` of the contract at `participants`.
pub fn has_role(participants: AccountId, account: AccountId, role: Role) -> Result<bool, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(participants, crate::stubs::Message::HasRole, &(account, role))
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::Participants;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(Participants, ink::env::DefaultEnvironment) = participants.into();
        answer(callee.call().has_role(account, role).try_invoke())
    }
}

/// `Participants::roles_of` of the contract at `participants`.
pub fn roles_of(participants: AccountId, account: AccountId) -> Result<RoleSet, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(participants, crate::stubs::Message::RolesOf, &account)
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::Participants;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(Participants, ink::env::DefaultEnvironment) = participants.into();
        answer(callee.call().roles_of(account).try_invoke())
    }
}

/// `Participants::holds_gtin` of the contract at `participants`.
pub fn holds_gtin(participants: AccountId, account: AccountId, gtin: String) -> Result<GtinHolding, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(participants, crate::stubs::Message::HoldsGtin, &(account, gtin))
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::Participants;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(Participants, ink::env::DefaultEnvironment) = participants.into();
        answer(callee.call().holds_gtin(account, gtin).try_invoke())
    }
}

/// `ConsentCheck::check` of the contract at `consent`.
pub fn check(
    consent: AccountId,
    patient: AccountId,
    accessor: AccountId,
    purpose: Purpose,
    class: DataClass,
    action: Action,
) -> Result<Result<Basis, Denied>, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(consent, crate::stubs::Message::Check, &(patient, accessor, purpose, class, action))
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::ConsentCheck;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(ConsentCheck, ink::env::DefaultEnvironment) = consent.into();
        answer(callee.call().check(patient, accessor, purpose, class, action).try_invoke())
    }
}

/// `Representatives::represents` of the contract at `consent`.
pub fn represents(
    consent: AccountId,
    patient: AccountId,
    account: AccountId,
    class: DataClass,
) -> Result<bool, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(consent, crate::stubs::Message::Represents, &(patient, account, class))
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::Representatives;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(Representatives, ink::env::DefaultEnvironment) = consent.into();
        answer(callee.call().represents(patient, account, class).try_invoke())
    }
}

/// `RecordRegistry::summary` of the contract at `records`.
pub fn record_summary(records: AccountId, record: RecordId) -> Result<Option<RecordSummary>, Unreachable> {
    #[cfg(feature = "testing")]
    {
        crate::stubs::ask(records, crate::stubs::Message::Summary, &record)
    }
    #[cfg(not(feature = "testing"))]
    {
        use crate::RecordRegistry;
        use ink::codegen::TraitCallBuilder;
        let callee: ink::contract_ref!(RecordRegistry, ink::env::DefaultEnvironment) = records.into();
        answer(callee.call().summary(record).try_invoke())
    }
}
