//! The end-to-end harness: deploys the five healthchain contracts wired together on any ink_e2e backend (the
//! in-process sandbox or a substrate-contracts-node) and gives the scenarios short, typed ways to call them.
//!
//! A scenario is written once as `async fn scenario<C: Backend>(client: &mut C)` and run by two `#[test]`s in
//! `tests/scenarios.rs`, one per backend ([`on_sandbox`], [`on_node`]).
//!
//! The contracts are the release builds of `healthchain-build` (locked to Cargo.lock, the bytes that are deployed),
//! built once per run: scripts/test.sh and scripts/story.sh build them and pass their folder in
//! `$HEALTHCHAIN_WASM_DIR`; without it the first scenario of a process builds them (see [`contracts`]).

use core::{fmt::Debug, future::Future};
use ink_e2e::{CallBuilderFinal, ChainBackend, ContractsBackend, E2EBackend, Keypair};
use std::{path::PathBuf, sync::OnceLock};

pub use ink::primitives::AccountId;
pub type Env = ink::env::DefaultEnvironment;
pub type Balance = u128;

/// What a scenario needs of a backend. Both ink_e2e clients satisfy it.
pub trait Backend: E2EBackend<Env> + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug> {}

impl<C> Backend for C where C: E2EBackend<Env> + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug> {}

/// The in-process sandbox client (ink_e2e's `sandbox` backend, which carries drink's runtime into ink 5.1).
pub type SandboxClient = ink_e2e::SandboxClient<AccountId, ink::primitives::Hash, ink_e2e::DefaultSandbox>;
/// The client of a node.
pub type NodeClient = ink_e2e::Client<ink_e2e::PolkadotConfig, Env>;

/// The Wasm of the five contracts: `$HEALTHCHAIN_WASM_DIR/<name>/<name>.wasm` when set (built by the scripts),
/// else locked release builds made here once per process into `<target>/release/contracts`.
pub fn contracts() -> Vec<PathBuf> {
    static BUILT: OnceLock<Vec<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = match std::env::var_os("HEALTHCHAIN_WASM_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => build_here(),
            };
            healthchain_builder::CONTRACTS
                .iter()
                .map(|name| {
                    let wasm = healthchain_builder::artifact(&dir, name, "wasm");
                    assert!(
                        wasm.is_file(),
                        "{} is missing: run scripts/build.sh, or unset HEALTHCHAIN_WASM_DIR",
                        wasm.display()
                    );
                    wasm
                })
                .collect()
        })
        .clone()
}

fn build_here() -> PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let out = target.join("release").join("contracts");
    let toolchain = healthchain_builder::pinned_toolchain(&root).unwrap_or_else(|e| panic!("{e:#}"));
    // contract-build runs cargo in a temporary folder, where rust-toolchain.toml is not seen.
    std::env::set_var("RUSTUP_TOOLCHAIN", toolchain);
    for name in healthchain_builder::CONTRACTS {
        eprintln!("building {name} (set HEALTHCHAIN_WASM_DIR to use builds of scripts/build.sh instead)");
        healthchain_builder::build(&root, name, &out, healthchain_builder::Verbosity::Quiet)
            .unwrap_or_else(|e| panic!("the build of {name} failed: {e:#}"));
    }
    out
}

fn runtime() -> ink_e2e::tokio::runtime::Runtime {
    ink_e2e::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("could not start an async runtime: {e}"))
}

/// Runs `scenario` on a fresh in-process sandbox holding the contracts' code.
pub fn on_sandbox<F, R>(scenario: F)
where
    F: FnOnce(SandboxClient) -> R,
    R: Future<Output = ()>,
{
    let client = SandboxClient::new(contracts());
    runtime().block_on(scenario(client));
}

/// Runs `scenario` on a new `--dev` substrate-contracts-node ($CONTRACTS_NODE or on PATH) that lives as long as it.
pub fn on_node<F, R>(scenario: F)
where
    F: FnOnce(NodeClient) -> R,
    R: Future<Output = ()>,
{
    let contracts = contracts();
    runtime().block_on(async move {
        let node = ink_e2e::TestNodeProcess::<ink_e2e::PolkadotConfig>::build_with_env_or_default()
            .spawn()
            .await
            .unwrap_or_else(|e| panic!("could not start substrate-contracts-node: {e:?}"));
        let client = NodeClient::new(node.rpc(), contracts)
            .await
            .unwrap_or_else(|e| panic!("could not connect to the node: {e:?}"));
        scenario(client).await;
        drop(node);
    });
}

/// `account` as an SS58 address (generic Substrate prefix 42), as wallets and block explorers show it.
pub fn ss58(account: AccountId) -> String {
    ink_e2e::subxt::utils::AccountId32::from(*AsRef::<[u8; 32]>::as_ref(&account)).to_string()
}

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
