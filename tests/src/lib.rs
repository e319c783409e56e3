//! The end-to-end harness: deploys the five healthchain contracts wired together on any ink_e2e backend (the
//! in-process sandbox or a substrate-contracts-node) and gives the scenarios short, typed ways to call them.
//!
//! A scenario is written once as `async fn scenario<C: Backend>(client: &mut C)` and run by two `#[test]`s in
//! `tests/scenarios.rs`, one per backend.

use core::fmt::Debug;
use ink_e2e::{CallBuilderFinal, ChainBackend, ContractsBackend, E2EBackend, Keypair};

pub use ink::primitives::AccountId;
pub type Env = ink::env::DefaultEnvironment;
pub type Balance = u128;

/// What a scenario needs of a backend. Both ink_e2e clients satisfy it.
pub trait Backend: E2EBackend<Env> + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug> {}

impl<C> Backend for C where C: E2EBackend<Env> + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug> {}

pub fn account(keypair: &Keypair) -> AccountId {
    AccountId::from(keypair.public_key().0)
}

/// Submits `message` as a transaction signed by `signer`; panics (failing the test) if it is refused or reverts.
pub async fn submit<C, Args, R>(client: &mut C, signer: &Keypair, message: &CallBuilderFinal<Env, Args, R>) -> R
where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
    Args: scale::Encode + Clone + Send + Sync,
    R: scale::Decode + Send + Debug,
    CallBuilderFinal<Env, Args, R>: Clone,
{
    let dry_run = client.call(signer, message).dry_run().await.unwrap_or_else(|e| panic!("dry run failed: {e:?}"));
    assert!(!dry_run.is_err(), "the call reverted: {:?}", dry_run.return_value());
    client.call(signer, message).submit().await.unwrap_or_else(|e| panic!("call failed: {e:?}")).return_value()
}

/// Submits a message that returns `Result<T, E>` and must succeed; returns the `T`.
pub async fn ok<C, Args, T, E>(
    client: &mut C,
    signer: &Keypair,
    message: &CallBuilderFinal<Env, Args, Result<T, E>>,
) -> T
where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
    Args: scale::Encode + Clone + Send + Sync,
    T: scale::Decode + Send + Debug,
    E: scale::Decode + Send + Debug,
    CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
{
    match submit(client, signer, message).await {
        Ok(value) => value,
        Err(error) => panic!("expected success, got {error:?}"),
    }
}

/// The free balance of `who`.
pub async fn balance<C: Backend>(client: &mut C, who: AccountId) -> Balance {
    match client.free_balance(who).await {
        Ok(balance) => balance,
        Err(_) => panic!("could not read the balance of {who:?}"),
    }
}

/// Submits a payable message that returns `Result<(), E>` with `value` attached; it must succeed.
pub async fn pay<C, Args, E>(
    client: &mut C,
    signer: &Keypair,
    message: &CallBuilderFinal<Env, Args, Result<(), E>>,
    value: Balance,
) where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
    Args: scale::Encode + Clone + Send + Sync,
    E: scale::Decode + Send + Debug,
    CallBuilderFinal<Env, Args, Result<(), E>>: Clone,
{
    let result = client
        .call(signer, message)
        .value(value)
        .submit()
        .await
        .unwrap_or_else(|e| panic!("payable call failed: {e:?}"))
        .return_value();
    assert!(result.is_ok(), "payable call refused: {result:?}");
}

/// Dry-runs a message that returns `Result<T, E>` and must be refused; returns the error.
pub async fn refused<C, Args, T, E>(
    client: &mut C,
    signer: &Keypair,
    message: &CallBuilderFinal<Env, Args, Result<T, E>>,
) -> E
where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
    Args: scale::Encode + Clone + Send + Sync,
    T: scale::Decode + Send + Debug,
    E: scale::Decode + Send + Debug,
    CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
{
    let dry_run = client.call(signer, message).dry_run().await.unwrap_or_else(|e| panic!("dry run failed: {e:?}"));
    match dry_run.return_value() {
        Ok(value) => panic!("expected a refusal, got Ok({value:?})"),
        Err(error) => error,
    }
}

/// Reads a message's answer without a transaction.
pub async fn read<C, Args, R>(client: &mut C, message: &CallBuilderFinal<Env, Args, R>) -> R
where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
    Args: scale::Encode + Clone + Send + Sync,
    R: scale::Decode + Send,
    CallBuilderFinal<Env, Args, R>: Clone,
{
    client
        .call(&ink_e2e::alice(), message)
        .dry_run()
        .await
        .unwrap_or_else(|e| panic!("read failed: {e:?}"))
        .return_value()
}

pub mod scenarios;
mod suite;

pub use suite::{Cast, Suite, FAR_FUTURE, NPI};
