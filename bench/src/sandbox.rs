//! The sandbox the benchmark runs on: ink_e2e's `DefaultSandbox` runtime unchanged (same pallets, same weights, same
//! deposits), with one difference in how it is driven: the block's event log is cleared before every call.
//!
//! Why: the sandbox never starts a new block, and ink_e2e's sandbox calls ask pallet-contracts to collect every event
//! of the block after each call (`CollectEvents::UnsafeCollect`). With the log never cleared, each call decodes every
//! event emitted before it, so populating 10,000 entries costs quadratic time (measured: 14 ms a call at first,
//! 150 ms after 5,000 calls). On a chain every block starts with an empty log, so clearing it changes no measured
//! weight or deposit: pallet-contracts charges an event by its size and topics, not by the events before it.

use ink_sandbox::{
    frame_support::sp_runtime::traits::Dispatchable, frame_system, macros::BlockBuilder, AccountIdFor, DefaultSandbox,
    Extension, RuntimeMetadataPrefixed, Sandbox, Snapshot, TestExternalities,
};

type Runtime = <DefaultSandbox as Sandbox>::Runtime;

/// What `DefaultSandbox` funds at genesis (its constants): the default actor, with 10^15.
const DEFAULT_ACCOUNT: [u8; 32] = [1; 32];
const INITIAL_BALANCE: u128 = 1_000_000_000_000_000;

/// `DefaultSandbox`'s runtime, externalities and dry runs; the block's events are cleared before each call.
pub struct BenchSandbox {
    ext: TestExternalities,
}

impl Default for BenchSandbox {
    fn default() -> Self {
        let ext = BlockBuilder::<Runtime>::new_ext(vec![(DEFAULT_ACCOUNT.into(), INITIAL_BALANCE)]);
        Self { ext }
    }
}

impl Sandbox for BenchSandbox {
    type Runtime = Runtime;

    fn execute_with<T>(&mut self, execute: impl FnOnce() -> T) -> T {
        self.ext.execute_with(|| {
            frame_system::Pallet::<Runtime>::reset_events();
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
