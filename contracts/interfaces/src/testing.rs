//! What every contract's `#[ink::test]` unit tests need, written once (feature `testing`): the clock, the caller,
//! accounts, balances and the events recorded so far. Other contracts are answered by [`crate::stubs`].

use crate::{governance::AdminError, AccountId, Timestamp};
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

/// An account made of `n` repeated: for contract addresses and extra actors (a `const fn`, for constants).
pub const fn addr(n: u8) -> AccountId {
    AccountId([n; 32])
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

/// Checks a contract's two-step admin transfer through its own messages, on a fresh deployment by `admin`:
/// `stranger` can neither propose nor accept (refused, nothing emitted); the admin proposes `successor` (one event)
/// and nothing changes until `successor`, and no one else, accepts (one more event), which leaves no proposal.
/// The caller is `successor` afterwards. [`crate::two_step_admin_transfer!`] passes a contract's messages in (ink! 5
/// gives them no shared trait).
pub fn two_step_admin_transfer<C, E>(
    contract: &mut C,
    [admin, stranger, successor]: [AccountId; 3],
    propose: impl Fn(&mut C, AccountId) -> Result<(), E>,
    accept: impl Fn(&mut C) -> Result<(), E>,
    state: impl Fn(&C) -> (AccountId, Option<AccountId>),
) where
    E: Debug + PartialEq + From<AdminError>,
{
    assert_eq!(state(contract), (admin, None), "the deployer is admin");
    as_caller(stranger);
    refused(E::from(AdminError::NotAdmin), || propose(contract, stranger));
    refused(E::from(AdminError::NotProposedAdmin), || accept(contract));

    as_caller(admin);
    let before = events();
    propose(contract, successor).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(state(contract), (admin, Some(successor)), "nothing changes before acceptance");

    as_caller(stranger);
    refused(E::from(AdminError::NotProposedAdmin), || accept(contract));
    as_caller(successor);
    accept(contract).unwrap();
    assert_eq!(events(), before + 2);
    assert_eq!(state(contract), (successor, None));
}

/// [`testing::two_step_admin_transfer`](crate::testing::two_step_admin_transfer) of `contract` (a contract value
/// with the governance messages every healthchain contract has): `admin`, `stranger`, `successor`.
#[macro_export]
macro_rules! two_step_admin_transfer {
    ($contract:expr, $admin:expr, $stranger:expr, $successor:expr) => {
        $crate::testing::two_step_admin_transfer(
            &mut $contract,
            [$admin, $stranger, $successor],
            |c, to| c.propose_admin(to),
            |c| c.accept_admin(),
            |c| (c.admin(), c.proposed_admin()),
        )
    };
}
