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

/// What a scenario needs of a backend. Both ink_e2e clients satisfy it. Its errors print (`Debug`), so no function
/// generic over a backend needs a `where` clause for them.
pub trait Backend:
    E2EBackend<Env>
    + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug>
    + ContractsBackend<Env, Error: Debug>
    + Clock
{
}

impl<C> Backend for C where
    C: E2EBackend<Env>
        + ChainBackend<AccountId = AccountId, Balance = Balance, Error: Debug>
        + ContractsBackend<Env, Error: Debug>
        + Clock
{
}

/// Letting time pass, the same way on both backends, so that periods, windows and timelocks are tested end to end.
pub trait Clock {
    /// Lets `ms` pass before the next call.
    fn advance(&mut self, ms: u64) -> impl Future<Output = ()>;
}

impl Clock for SandboxClient {
    /// The sandbox's clock moves on at once ([`sandbox::advance`]).
    async fn advance(&mut self, ms: u64) {
        sandbox::advance(ms);
    }
}

impl Clock for NodeClient {
    /// A node stamps each block with the wall clock: wait (plus a second for the block time's granularity), then make
    /// a block, since calls (and dry runs) see the time of the newest block.
    async fn advance(&mut self, ms: u64) {
        ink_e2e::tokio::time::sleep(std::time::Duration::from_millis(ms.saturating_add(1_000))).await;
        let block = self.create_and_fund_account(&ink_e2e::alice(), 1_000_000_000).await;
        drop(block);
    }
}

/// A message's call builder as the helpers below take it: arguments that encode, an answer that decodes.
pub trait Message {
    type Args: scale::Encode + Clone + Send + Sync;
    type Output: scale::Decode + Send;

    fn builder(&self) -> &CallBuilderFinal<Env, Self::Args, Self::Output>;
}

impl<Args, R> Message for CallBuilderFinal<Env, Args, R>
where
    Args: scale::Encode + Clone + Send + Sync,
    R: scale::Decode + Send,
{
    type Args = Args;
    type Output = R;

    fn builder(&self) -> &Self {
        self
    }
}

/// The in-process sandbox client (ink_e2e's `sandbox` backend, which carries drink's runtime into ink 5.1), on
/// [`TestSandbox`]: `DefaultSandbox`'s runtime with a clock the test moves.
pub type SandboxClient = ink_e2e::SandboxClient<AccountId, ink::primitives::Hash, TestSandbox>;
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
    on_node_at(|client, _url| scenario(client));
}

/// [`on_node`], also handing the scenario the node's WebSocket URL (for off-chain parts that connect to it).
pub fn on_node_at<F, R>(scenario: F)
where
    F: FnOnce(NodeClient, String) -> R,
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
        scenario(client, node.url().to_string()).await;
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

/// What `message` signed by `signer` would return, without a transaction.
async fn dry_run<C: Backend, M: Message>(client: &mut C, signer: &Keypair, message: &M) -> M::Output {
    let dry_run = client.call(signer, message.builder()).dry_run().await;
    dry_run.unwrap_or_else(|e| panic!("dry run failed: {e:?}")).return_value()
}

/// Submits `message` as a transaction signed by `signer` with `value` attached; returns its answer.
async fn transact<C: Backend, M: Message>(client: &mut C, signer: &Keypair, message: &M, value: Balance) -> M::Output {
    let result = client.call(signer, message.builder()).value(value).submit().await;
    result.unwrap_or_else(|e| panic!("call failed: {e:?}")).return_value()
}

/// Submits `message` as a transaction signed by `signer`; panics (failing the test) if it is refused or reverts.
pub async fn submit<C: Backend, M: Message<Output: Debug>>(client: &mut C, signer: &Keypair, message: &M) -> M::Output {
    let dry_run = client.call(signer, message.builder()).dry_run().await;
    let dry_run = dry_run.unwrap_or_else(|e| panic!("dry run failed: {e:?}"));
    assert!(!dry_run.is_err(), "the call reverted: {:?}", dry_run.return_value());
    transact(client, signer, message, 0).await
}

/// Submits a message that returns `Result<T, E>` and must succeed; returns the `T`.
pub async fn ok<C: Backend, T: Debug, E: Debug>(
    client: &mut C,
    signer: &Keypair,
    message: &impl Message<Output = Result<T, E>>,
) -> T {
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
pub async fn pay<C: Backend, E: Debug>(
    client: &mut C,
    signer: &Keypair,
    message: &impl Message<Output = Result<(), E>>,
    value: Balance,
) {
    let result = transact(client, signer, message, value).await;
    assert!(result.is_ok(), "payable call refused: {result:?}");
}

/// Dry-runs a message that returns `Result<T, E>` and must be refused; returns the error.
pub async fn refused<C: Backend, T: Debug, E>(
    client: &mut C,
    signer: &Keypair,
    message: &impl Message<Output = Result<T, E>>,
) -> E {
    match dry_run(client, signer, message).await {
        Ok(value) => panic!("expected a refusal, got Ok({value:?})"),
        Err(error) => error,
    }
}

/// Reads a message's answer without a transaction.
pub async fn read<C: Backend, M: Message>(client: &mut C, message: &M) -> M::Output {
    dry_run(client, &ink_e2e::alice(), message).await
}

pub mod sandbox;
pub mod scenarios;
mod suite;

pub use sandbox::TestSandbox;

pub use suite::{expiry_next_year, npi_check_digit, npi_of, Cast, Suite, COMPANY_PREFIX, FAR_FUTURE, FUNDS, GTIN, NPI};
