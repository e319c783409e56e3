//! Stand-ins for the other contracts in `#[ink::test]` unit tests (feature `testing`).
//!
//! ink! 5's off-chain environment cannot call another contract, so with this feature the [`crate::client`] calls
//! read their answers from a per-thread table that a test fills through the typed setters below, one per message
//! of the traits in [`crate::traits`]. Each `#[ink::test]` runs on its own thread, so tests do not see each
//! other's answers. An address that was never [`deploy`]ed (or was [`remove`]d) answers nothing, as an account
//! without a contract does on chain; a deployed one answers what was set, or the message's refusal
//! ([`Message::default_answer`]: no role, no consent, no record) where nothing was.

use crate::{
    client::Unreachable, Action, Basis, DataClass, Denied, GtinHolding, Purpose, RecordId, RecordSummary, Role, RoleSet,
};
use ink::primitives::AccountId;
use scale::{Decode, Encode};
use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
};

/// A message of another contract that a contract calls through [`crate::client`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Message {
    /// `Participants::has_role(account, role)`
    HasRole,
    /// `Participants::roles_of(account)`
    RolesOf,
    /// `Participants::holds_gtin(account, gtin)`
    HoldsGtin,
    /// `ConsentCheck::check(patient, accessor, purpose, class, action)`
    Check,
    /// `Representatives::represents(patient, account, class)`
    Represents,
    /// `RecordRegistry::summary(record)`
    Summary,
}

impl Message {
    /// The encoded answer of a deployed stub to a call nobody set an answer for: the refusal of the message.
    fn default_answer(self) -> Vec<u8> {
        match self {
            Message::HasRole => false.encode(),
            Message::RolesOf => RoleSet::EMPTY.encode(),
            Message::HoldsGtin => GtinHolding::NotManufacturer.encode(),
            Message::Check => Result::<Basis, Denied>::Err(Denied::NoConsent).encode(),
            Message::Represents => false.encode(),
            Message::Summary => Option::<RecordSummary>::None.encode(),
        }
    }
}

type Key = (AccountId, Message, Vec<u8>);

thread_local! {
    static CONTRACTS: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
    static ANSWERS: RefCell<BTreeMap<Key, Vec<u8>>> = const { RefCell::new(BTreeMap::new()) };
    static ASKED: RefCell<BTreeMap<(AccountId, Message), u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// How many times `message` of `contract` was called (answered or not) on this thread.
pub fn asked(contract: AccountId, message: Message) -> u32 {
    ASKED.with(|a| a.borrow().get(&(contract, message)).copied().unwrap_or(0))
}

/// From now on `contract` answers calls (with the refusals where no answer was set).
pub fn deploy(contract: AccountId) {
    CONTRACTS.with(|c| c.borrow_mut().insert(contract));
}

/// From now on calls to `contract` are [`Unreachable`].
pub fn remove(contract: AccountId) {
    CONTRACTS.with(|c| c.borrow_mut().remove(&contract));
}

fn answer<A: Encode, R: Encode>(contract: AccountId, message: Message, args: A, result: R) {
    deploy(contract);
    ANSWERS.with(|a| a.borrow_mut().insert((contract, message, args.encode()), result.encode()));
}

/// The answer of `contract` to `message(args)`, as [`crate::client`] sees it.
pub(crate) fn ask<A: Encode, R: Decode>(contract: AccountId, message: Message, args: &A) -> Result<R, Unreachable> {
    ASKED.with(|a| *a.borrow_mut().entry((contract, message)).or_insert(0) += 1);
    if !CONTRACTS.with(|c| c.borrow().contains(&contract)) {
        return Err(Unreachable);
    }
    let bytes = ANSWERS
        .with(|a| a.borrow().get(&(contract, message, args.encode())).cloned())
        .unwrap_or_else(|| message.default_answer());
    R::decode(&mut &bytes[..]).map_err(|_| Unreachable)
}

/// The participants contract at `participants` says `account` holds exactly `roles` (both `has_role` and
/// `roles_of`).
pub fn set_roles(participants: AccountId, account: AccountId, roles: &[Role]) {
    for role in Role::ALL {
        answer(participants, Message::HasRole, (account, role), roles.contains(&role));
    }
    set_roles_of(participants, account, RoleSet::from_slice(roles));
}

/// The participants contract at `participants` answers `roles_of(account)` with `roles`, leaving `has_role` as it
/// is (to tell which of the two a contract asked).
pub fn set_roles_of(participants: AccountId, account: AccountId, roles: RoleSet) {
    answer(participants, Message::RolesOf, account, roles);
}

/// The participants contract at `participants` answers `holds_gtin(account, gtin)` with `holding`.
pub fn set_gtin_holding(participants: AccountId, account: AccountId, gtin: &str, holding: GtinHolding) {
    answer(participants, Message::HoldsGtin, (account, String::from(gtin)), holding);
}

/// The consent contract at `consent` answers `check(patient, accessor, purpose, class, action)` with `result`.
pub fn set_check(
    consent: AccountId,
    (patient, accessor, purpose, class, action): (AccountId, AccountId, Purpose, DataClass, Action),
    result: Result<Basis, Denied>,
) {
    answer(consent, Message::Check, (patient, accessor, purpose, class, action), result);
}

/// The consent contract at `consent` answers `represents(patient, account, class)` with `answer`.
pub fn set_represents(
    consent: AccountId,
    (patient, account, class): (AccountId, AccountId, DataClass),
    represents: bool,
) {
    answer(consent, Message::Represents, (patient, account, class), represents);
}

/// The records contract at `records` answers `summary(record)` with `summary`.
pub fn set_record(records: AccountId, record: RecordId, summary: Option<RecordSummary>) {
    answer(records, Message::Summary, record, summary);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{client, testing::addr};

    #[test]
    fn each_message_has_its_own_answers_and_count() {
        let (participants, consent, who) = (addr(1), addr(2), addr(3));
        assert_eq!(client::has_role(participants, who, Role::Payer), Err(Unreachable), "not deployed");
        set_roles(participants, who, &[Role::Payer]);
        assert_eq!(client::has_role(participants, who, Role::Payer), Ok(true));
        assert_eq!(client::has_role(participants, who, Role::Provider), Ok(false));
        assert_eq!(client::roles_of(participants, who), Ok(RoleSet::of(Role::Payer)));
        set_roles_of(participants, who, RoleSet::EMPTY);
        assert_eq!(client::roles_of(participants, who), Ok(RoleSet::EMPTY));
        assert_eq!(client::has_role(participants, who, Role::Payer), Ok(true), "has_role kept its answer");
        assert_eq!(
            (asked(participants, Message::HasRole), asked(participants, Message::RolesOf)),
            (4, 2),
            "asked even when unreachable"
        );
        assert_eq!(asked(participants, Message::Check), 0);

        deploy(consent);
        let key = (who, who, Purpose::Treatment, DataClass::Labs, Action::Read);
        assert_eq!(client::check(consent, key.0, key.1, key.2, key.3, key.4), Ok(Err(Denied::NoConsent)));
        set_check(consent, key, Ok(Basis::Patient));
        assert_eq!(client::check(consent, key.0, key.1, key.2, key.3, key.4), Ok(Ok(Basis::Patient)));
        assert_eq!(client::record_summary(consent, 1), Ok(None), "a deployed stub refuses what was not set");
        assert_eq!(client::represents(consent, key.0, who, DataClass::Labs), Ok(false), "represents nobody by default");
        set_represents(consent, (key.0, who, DataClass::Labs), true);
        assert_eq!(client::represents(consent, key.0, who, DataClass::Labs), Ok(true));
        assert_eq!(client::represents(consent, key.0, who, DataClass::Genomic), Ok(false), "per class");
        assert_eq!(asked(consent, Message::Represents), 3);
        remove(consent);
        assert_eq!(client::check(consent, key.0, key.1, key.2, key.3, key.4), Err(Unreachable));
    }
}
