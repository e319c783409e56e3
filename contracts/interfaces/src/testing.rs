//! What every contract's `#[ink::test]` unit tests need, written once (feature `testing`): the clock, the caller,
//! accounts, balances and the events recorded so far. Other contracts are answered by [`crate::stubs`].

use crate::{AccountId, Timestamp};
use core::fmt::Debug;
use ink::env::{test, Event};
pub use ink::env::{test::DefaultAccounts, DefaultEnvironment as Env};
use scale::Decode;

/// One day in milliseconds.
pub const DAY: Timestamp = 86_400_000;

/// The block timestamp is `now` from here on.
pub fn at(now: Timestamp) {
    test::set_block_timestamp::<Env>(now);
}

/// Messages are called by `account` from here on.
pub fn as_caller(account: AccountId) {
    test::set_caller::<Env>(account);
}

/// The default test accounts (alice, bob, charlie, django, eve, frank).
pub fn accounts() -> DefaultAccounts<Env> {
    test::default_accounts::<Env>()
}

/// An account made of `n` repeated: for contract addresses and extra actors.
pub fn addr(n: u8) -> AccountId {
    AccountId::from([n; 32])
}

/// The balance of `account` (0 when it has none).
pub fn balance(account: AccountId) -> u128 {
    test::get_account_balance::<Env>(account).unwrap_or(0)
}

/// How many events were emitted so far.
pub fn events() -> usize {
    test::recorded_events().count()
}

/// The newest event, decoded as `E` (panics if there is none or it does not decode: a failed test).
pub fn last_event<E: Decode>() -> E {
    let event = test::recorded_events().last().expect("no event was emitted");
    E::decode(&mut &event.data[..]).expect("the last event is of another type")
}

/// The newest event of type `E`, found by its signature topic, whatever was emitted after it.
pub fn last_of<E: Event + Decode>() -> E {
    let signature = E::SIGNATURE_TOPIC.expect("anonymous events have no signature").to_vec();
    let event = test::recorded_events()
        .filter(|event| event.topics.first() == Some(&signature))
        .last()
        .expect("no event of this type was emitted");
    E::decode(&mut &event.data[..]).expect("the event does not decode")
}

/// The topics of the newest event, signature first.
pub fn last_topics() -> Vec<Vec<u8>> {
    test::recorded_events().last().expect("no event was emitted").topics
}

/// Asserts that `call` is refused with `expected` and emits nothing (what it may have written is checked by the
/// caller's own reads).
pub fn refused<T: Debug, E: Debug + PartialEq>(expected: E, call: impl FnOnce() -> Result<T, E>) {
    let before = events();
    let result = call();
    assert_eq!(result.as_ref().err(), Some(&expected), "{result:?}");
    assert_eq!(events(), before, "a refused call emitted an event");
}
