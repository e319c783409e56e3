//! The sandbox the scenarios, the story and the benchmark run on: ink_e2e's `DefaultSandbox` runtime unchanged (same
//! pallets, same weights, same deposits), with two differences in how it is driven.
//!
//! 1. A clock the test sets. ink_e2e's sandbox stamps its one block once, in seconds where contracts read
//!    milliseconds, and never moves it, so no period, window or timelock could be tested on it. Here every call runs
//!    at the time of this thread's clock: the wall clock in ms when the sandbox was made, moved on by [`advance`].
//!    (Each test runs its scenario on its own thread, so tests do not move each other's clocks.)
//! 2. The block's event log is cleared before every call. The sandbox never starts a new block, and ink_e2e's
//!    sandbox calls ask pallet-contracts to collect every event of the block after each call
//!    (`CollectEvents::UnsafeCollect`). With the log never cleared, each call decodes every event emitted before it,
//!    so populating 10,000 entries costs quadratic time (measured: 14 ms a call at first, 150 ms after 5,000 calls).
//!    On a chain every block starts with an empty log, so clearing it changes no measured weight or deposit:
//!    pallet-contracts charges an event by its size and topics, not by the events before it.

use ink_sandbox::{
    frame_support::sp_runtime::traits::Dispatchable, frame_system, macros::BlockBuilder, pallet_timestamp,
    AccountIdFor, DefaultSandbox, Extension, RuntimeMetadataPrefixed, Sandbox, Snapshot, TestExternalities,
};
use std::cell::Cell;

type Runtime = <DefaultSandbox as Sandbox>::Runtime;

/// What `DefaultSandbox` funds at genesis (its constants): the default actor, with 10^15.
const DEFAULT_ACCOUNT: [u8; 32] = [1; 32];
const INITIAL_BALANCE: u128 = 1_000_000_000_000_000;

thread_local! {
    /// This thread's sandbox time (ms since the epoch).
    static NOW: Cell<u64> = const { Cell::new(0) };
}

/// The sandbox time of this thread (ms since the epoch).
pub fn now() -> u64 {
    NOW.get()
}

/// Moves this thread's sandbox clock on by `ms`.
pub fn advance(ms: u64) {
    NOW.set(NOW.get().saturating_add(ms));
}

/// `DefaultSandbox`'s runtime, externalities and dry runs; every call at this thread's clock, on an empty event log.
pub struct TestSandbox {
    ext: TestExternalities,
}

impl Default for TestSandbox {
    fn default() -> Self {
        let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis());
        NOW.set(wall.map_or(0, |ms| u64::try_from(ms).unwrap_or(u64::MAX)));
        let ext = BlockBuilder::<Runtime>::new_ext(vec![(DEFAULT_ACCOUNT.into(), INITIAL_BALANCE)]);
        Self { ext }
    }
}

impl Sandbox for TestSandbox {
    type Runtime = Runtime;

    fn execute_with<T>(&mut self, execute: impl FnOnce() -> T) -> T {
        self.ext.execute_with(|| {
            frame_system::Pallet::<Runtime>::reset_events();
            pallet_timestamp::Now::<Runtime>::put(NOW.get());
            execute()
        })
    }

    fn dry_run<T>(&mut self, action: impl FnOnce(&mut Self) -> T) -> T {
        // As `DefaultSandbox`: keep the backend, run, drop what the run changed.
        let backend_backup = self.ext.as_backend();
        let result = action(self);
        self.ext.commit_all().expect("the sandbox commits its changes");
        self.ext.backend = backend_backup;
        result
    }

    fn register_extension<E: ::core::any::Any + Extension>(&mut self, ext: E) {
        self.ext.register_extension(ext);
    }

    fn initialize_block(
        height: frame_system::pallet_prelude::BlockNumberFor<Runtime>,
        parent_hash: <Runtime as frame_system::Config>::Hash,
    ) {
        BlockBuilder::<Runtime>::initialize_block(height, parent_hash)
    }

    fn finalize_block(
        height: frame_system::pallet_prelude::BlockNumberFor<Runtime>,
    ) -> <Runtime as frame_system::Config>::Hash {
        BlockBuilder::<Runtime>::finalize_block(height)
    }

    fn default_actor() -> AccountIdFor<Runtime> {
        DEFAULT_ACCOUNT.into()
    }

    fn get_metadata() -> RuntimeMetadataPrefixed {
        <DefaultSandbox as Sandbox>::get_metadata()
    }

    fn convert_account_to_origin(
        account: AccountIdFor<Runtime>,
    ) -> <<Runtime as frame_system::Config>::RuntimeCall as Dispatchable>::RuntimeOrigin {
        <DefaultSandbox as Sandbox>::convert_account_to_origin(account)
    }

    fn take_snapshot(&mut self) -> Snapshot {
        let mut backend = self.ext.as_backend().clone();
        let raw_key_values = backend
            .backend_storage_mut()
            .drain()
            .into_iter()
            .filter(|(_, (_, r))| *r > 0)
            .collect::<Vec<(Vec<u8>, (Vec<u8>, i32))>>();
        let root = backend.root().to_owned();
        Snapshot { storage: raw_key_values, storage_root: root }
    }

    fn restore_snapshot(&mut self, snapshot: Snapshot) {
        self.ext = TestExternalities::from_raw_snapshot(snapshot.storage, snapshot.storage_root, Default::default());
    }
}
