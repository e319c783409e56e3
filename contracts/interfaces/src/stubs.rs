//! Stand-ins for the other contracts in `#[ink::test]` unit tests (feature `stubs`).
//!
//! ink! 5's off-chain environment cannot call another contract, so with this feature the [`crate::client`] calls
//! read their answers from a per-thread table that a test fills. Each `#[ink::test]` runs on its own thread, so
//! tests do not see each other's answers. An address that was never [`deploy`]ed (or was [`remove`]d) answers
//! nothing, as an account without a contract does on chain.

use crate::{client::Unreachable, Action, Basis, DataClass, Denied, Purpose, RecordId, RecordSummary, Role, RoleSet};
use ink::primitives::AccountId;
use scale::{Decode, Encode};
use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
};

type Key = (AccountId, &'static str, Vec<u8>);

thread_local! {
    static CONTRACTS: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
    static ANSWERS: RefCell<BTreeMap<Key, Vec<u8>>> = const { RefCell::new(BTreeMap::new()) };
    static ASKED: RefCell<BTreeMap<(AccountId, &'static str), u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// How many times `message` of `contract` was called (answered or not) on this thread.
pub fn asked(contract: AccountId, message: &'static str) -> u32 {
    ASKED.with(|a| a.borrow().get(&(contract, message)).copied().unwrap_or(0))
}

/// From now on `contract` answers calls (with the defaults where no answer was set).
pub fn deploy(contract: AccountId) {
    CONTRACTS.with(|c| c.borrow_mut().insert(contract));
}

/// From now on calls to `contract` are [`Unreachable`].
pub fn remove(contract: AccountId) {
    CONTRACTS.with(|c| c.borrow_mut().remove(&contract));
}

/// `contract` answers `message(args)` with `result`.
pub fn answer<A: Encode, R: Encode>(contract: AccountId, message: &'static str, args: A, result: R) {
    ANSWERS.with(|a| a.borrow_mut().insert((contract, message, args.encode()), result.encode()));
}

pub(crate) fn ask<A: Encode, R: Decode>(
    contract: AccountId,
    message: &'static str,
    args: &A,
    default: R,
) -> Result<R, Unreachable> {
    ASKED.with(|a| *a.borrow_mut().entry((contract, message)).or_insert(0) += 1);
    if !CONTRACTS.with(|c| c.borrow().contains(&contract)) {
        return Err(Unreachable);
    }
    match ANSWERS.with(|a| a.borrow().get(&(contract, message, args.encode())).cloned()) {
        Some(bytes) => R::decode(&mut &bytes[..]).map_err(|_| Unreachable),
        None => Ok(default),
    }
}

/// The participants contract at `participants` says `account` holds exactly `roles`.
pub fn set_roles(participants: AccountId, account: AccountId, roles: &[Role]) {
    deploy(participants);
    for role in Role::ALL {
        answer(participants, "has_role", (account, role), roles.contains(&role));
    }
    answer(participants, "roles_of", account, RoleSet::from_slice(roles));
}

/// The consent contract at `consent` answers `check(patient, accessor, purpose, class, action)` with `result`.
pub fn set_check(
    consent: AccountId,
    (patient, accessor, purpose, class, action): (AccountId, AccountId, Purpose, DataClass, Action),
    result: Result<Basis, Denied>,
) {
    deploy(consent);
    answer(consent, "check", (patient, accessor, purpose, class, action), result);
}

/// The records contract at `records` answers `summary(record)` with `summary`.
pub fn set_record(records: AccountId, record: RecordId, summary: Option<RecordSummary>) {
    deploy(records);
    answer(records, "summary", record, summary);
}
