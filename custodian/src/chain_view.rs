//! What the custodian reads from the chain, behind [`ChainView`]: its binding, blocks (finalized or not, with
//! their timestamps), the records contract's `RecordOpened` and `RecordErased` events in a block, a record at the
//! finalized head, and the stream of finalized blocks the shredder follows.
//!
//! [`Cached`] wraps any view and keeps what is final (a finalized block's number, timestamp and events never
//! change), so repeated releases citing one block answer from memory. [`FakeChain`] is an in-memory chain for tests;
//! the real view over a node is [`crate::subxt_view::SubxtChainView`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::stream::BoxStream;
use healthchain_format::{Account, Binding, Hash};
use interfaces::{Basis, Purpose, RecordStatus};

/// Blocks as the client's chain module names them (one definition for every off-chain part).
pub use healthchain_client::chain::{BlockInfo, BlockRef};

/// A `RecordOpened` of the custodian's records contract: a disclosure entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    /// The index of the event among all the block's events: with the block hash, the disclosure entry's id.
    pub event_index: u32,
    /// The record opened.
    pub record: u64,
    /// Who opened it.
    pub accessor: Account,
    /// The purpose of use.
    pub purpose: Purpose,
    /// Why the access was allowed.
    pub basis: Basis,
}

/// The events of the custodian's records contract it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsEvent {
    /// A disclosure entry a release can cite.
    Opened(Open),
    /// The patient erased the record: its key and blob are to be shredded.
    Erased {
        /// The index of the event among the block's events.
        event_index: u32,
        /// The record erased.
        record: u64,
    },
}

/// A record pointer as the records contract holds it at the finalized head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordInfo {
    /// The record id.
    pub id: u64,
    /// Who registered it.
    pub author: Account,
    /// Whose record it is.
    pub patient: Account,
    /// The `DataClass` index.
    pub class: u8,
    /// SHA-256 of the blob (all zeroes once erased).
    pub content_hash: Hash,
    /// The record's status.
    pub status: RecordStatus,
}

impl RecordInfo {
    /// Whether the record was erased.
    pub fn erased(&self) -> bool {
        self.status == RecordStatus::Erased
    }
}

/// Why the chain could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// The node did not answer or answered with an error.
    #[error("the node is unavailable: {0}")]
    Unavailable(String),
    /// The node answered with something the custodian cannot decode.
    #[error("could not decode the node's answer: {0}")]
    Decode(String),
}

/// The custodian's window on the chain. Everything is read at the finalized head or of a block named by hash.
#[async_trait]
pub trait ChainView: Send + Sync + 'static {
    /// The chain's genesis and the records contract served.
    fn binding(&self) -> Binding;
    /// The finalized head.
    async fn finalized_head(&self) -> Result<BlockRef, ChainError>;
    /// The block with this hash, or `None` if the node does not know it.
    async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>, ChainError>;
    /// The custodian's records contract's opens and erasures in this block, in event order.
    async fn events(&self, block: Hash) -> Result<Arc<Vec<RecordsEvent>>, ChainError>;
    /// The record at the finalized head, or `None` if there is no such record.
    async fn record(&self, id: u64) -> Result<Option<RecordInfo>, ChainError>;
    /// Finalized blocks from number `from` (inclusive) onward, forever.
    fn finalized_blocks(&self, from: u32) -> BoxStream<'static, Result<BlockRef, ChainError>>;
}

/// The name of a purpose of use, as the release log stores it.
pub fn purpose_name(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Treatment => "Treatment",
        Purpose::Emergency => "Emergency",
        Purpose::Payment => "Payment",
        Purpose::Operations => "Operations",
        Purpose::Research => "Research",
        Purpose::PublicHealth => "PublicHealth",
    }
}

/// The basis of an access, as the release log stores it: `Patient`, `Author`, `Consent(<id>)`, `Emergency(<id>)` or
/// `Representative(<id>)`.
pub fn basis_text(basis: Basis) -> String {
    match basis {
        Basis::Patient => "Patient".into(),
        Basis::Author => "Author".into(),
        Basis::Consent(id) => format!("Consent({id})"),
        Basis::Emergency(id) => format!("Emergency({id})"),
        Basis::Representative(id) => format!("Representative({id})"),
    }
}

/// Entries kept by [`Cached`] per kind before the oldest are dropped.
pub const CACHE_ENTRIES: usize = 65_536;

struct Cache {
    blocks: HashMap<Hash, BlockInfo>,
    events: HashMap<Hash, Arc<Vec<RecordsEvent>>>,
    order: VecDeque<Hash>,
}

/// A [`ChainView`] that remembers finalized blocks and their events (both final), up to [`CACHE_ENTRIES`] blocks.
/// Records are always read afresh: their status changes (erasure).
pub struct Cached<C> {
    inner: C,
    cache: Mutex<Cache>,
}

impl<C: ChainView> Cached<C> {
    /// Wraps `inner`.
    pub fn new(inner: C) -> Self {
        Cached {
            inner,
            cache: Mutex::new(Cache { blocks: HashMap::new(), events: HashMap::new(), order: VecDeque::new() }),
        }
    }

    /// The wrapped view.
    pub fn inner(&self) -> &C {
        &self.inner
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock leaves only complete entries: the cache stays usable.
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl<C: ChainView> ChainView for Cached<C> {
    fn binding(&self) -> Binding {
        self.inner.binding()
    }

    async fn finalized_head(&self) -> Result<BlockRef, ChainError> {
        self.inner.finalized_head().await
    }

    async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>, ChainError> {
        if let Some(info) = self.lock().blocks.get(&hash) {
            return Ok(Some(*info));
        }
        let info = self.inner.block(hash).await?;
        if let Some(info) = info.filter(|info| info.finalized) {
            let mut cache = self.lock();
            if cache.blocks.insert(hash, info).is_none() {
                cache.order.push_back(hash);
                while cache.order.len() > CACHE_ENTRIES {
                    if let Some(old) = cache.order.pop_front() {
                        cache.blocks.remove(&old);
                        cache.events.remove(&old);
                    }
                }
            }
        }
        Ok(info)
    }

    async fn events(&self, block: Hash) -> Result<Arc<Vec<RecordsEvent>>, ChainError> {
        {
            let cache = self.lock();
            if let Some(events) = cache.events.get(&block) {
                return Ok(events.clone());
            }
        }
        let events = self.inner.events(block).await?;
        let mut cache = self.lock();
        // Only the events of a block known to be finalized are final.
        if cache.blocks.contains_key(&block) {
            cache.events.insert(block, events.clone());
        }
        Ok(events)
    }

    async fn record(&self, id: u64) -> Result<Option<RecordInfo>, ChainError> {
        self.inner.record(id).await
    }

    fn finalized_blocks(&self, from: u32) -> BoxStream<'static, Result<BlockRef, ChainError>> {
        self.inner.finalized_blocks(from)
    }
}

#[async_trait]
impl<C: ChainView + ?Sized> ChainView for Arc<C> {
    fn binding(&self) -> Binding {
        (**self).binding()
    }
    async fn finalized_head(&self) -> Result<BlockRef, ChainError> {
        (**self).finalized_head().await
    }
    async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>, ChainError> {
        (**self).block(hash).await
    }
    async fn events(&self, block: Hash) -> Result<Arc<Vec<RecordsEvent>>, ChainError> {
        (**self).events(block).await
    }
    async fn record(&self, id: u64) -> Result<Option<RecordInfo>, ChainError> {
        (**self).record(id).await
    }
    fn finalized_blocks(&self, from: u32) -> BoxStream<'static, Result<BlockRef, ChainError>> {
        (**self).finalized_blocks(from)
    }
}

struct FakeBlock {
    info: BlockInfo,
    events: Arc<Vec<RecordsEvent>>,
}

struct FakeState {
    blocks: Vec<FakeBlock>,
    records: HashMap<u64, RecordInfo>,
    finalized: u32,
    unavailable: bool,
    calls: u64,
}

/// An in-memory chain for tests: blocks are appended with their events and finalized explicitly; records are set
/// directly. Block 0 (genesis) exists and is finalized from the start.
pub struct FakeChain {
    binding: Binding,
    state: Mutex<FakeState>,
    finalized_tx: tokio::sync::watch::Sender<u32>,
}

impl FakeChain {
    /// A chain with genesis block 0 (timestamp `genesis_ms`) serving `records`.
    pub fn new(records: Account, genesis_ms: u64) -> Arc<Self> {
        let genesis = block_hash_of(0);
        let info = BlockInfo { number: 0, hash: genesis, timestamp_ms: genesis_ms, finalized: true };
        let (finalized_tx, _) = tokio::sync::watch::channel(0);
        Arc::new(FakeChain {
            binding: Binding { genesis, records },
            state: Mutex::new(FakeState {
                blocks: vec![FakeBlock { info, events: Arc::new(Vec::new()) }],
                records: HashMap::new(),
                finalized: 0,
                unavailable: false,
                calls: 0,
            }),
            finalized_tx,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends a block (not finalized) with these events and returns it.
    pub fn add_block(&self, timestamp_ms: u64, events: Vec<RecordsEvent>) -> BlockRef {
        let mut state = self.state();
        let number = state.blocks.len() as u32;
        let hash = block_hash_of(number);
        state.blocks.push(FakeBlock {
            info: BlockInfo { number, hash, timestamp_ms, finalized: false },
            events: Arc::new(events),
        });
        BlockRef { number, hash }
    }

    /// Finalizes every block up to `number`.
    pub fn finalize(&self, number: u32) {
        let mut state = self.state();
        let number = number.min(state.blocks.len() as u32 - 1);
        state.finalized = state.finalized.max(number);
        let finalized = state.finalized;
        for block in state.blocks.iter_mut().take(finalized as usize + 1) {
            block.info.finalized = true;
        }
        drop(state);
        self.finalized_tx.send_replace(finalized);
    }

    /// Sets (or replaces) a record.
    pub fn set_record(&self, record: RecordInfo) {
        self.state().records.insert(record.id, record);
    }

    /// Marks a record erased as the contract does (status Erased, content hash zeroed) and appends a block with
    /// its `RecordErased` (not finalized).
    pub fn erase(&self, id: u64, timestamp_ms: u64) -> BlockRef {
        if let Some(record) = self.state().records.get_mut(&id) {
            record.status = RecordStatus::Erased;
            record.content_hash = [0; 32];
        }
        self.add_block(timestamp_ms, vec![RecordsEvent::Erased { event_index: 0, record: id }])
    }

    /// Makes every read fail as an unreachable node does (or succeed again).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.state().unavailable = unavailable;
    }

    /// How many reads reached this chain (to check caching).
    pub fn calls(&self) -> u64 {
        self.state().calls
    }

    fn read(&self) -> Result<std::sync::MutexGuard<'_, FakeState>, ChainError> {
        let mut state = self.state();
        state.calls += 1;
        if state.unavailable {
            return Err(ChainError::Unavailable("the fake node is down".into()));
        }
        Ok(state)
    }
}

/// The hash the fake chain gives block `number`.
pub fn block_hash_of(number: u32) -> Hash {
    let mut hash = [0xb1; 32];
    hash[..4].copy_from_slice(&number.to_le_bytes());
    hash
}

#[async_trait]
impl ChainView for FakeChain {
    fn binding(&self) -> Binding {
        self.binding
    }

    async fn finalized_head(&self) -> Result<BlockRef, ChainError> {
        let state = self.read()?;
        Ok(BlockRef { number: state.finalized, hash: block_hash_of(state.finalized) })
    }

    async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>, ChainError> {
        Ok(self.read()?.blocks.iter().find(|block| block.info.hash == hash).map(|block| block.info))
    }

    async fn events(&self, block: Hash) -> Result<Arc<Vec<RecordsEvent>>, ChainError> {
        let state = self.read()?;
        Ok(state.blocks.iter().find(|b| b.info.hash == block).map(|b| b.events.clone()).unwrap_or_default())
    }

    async fn record(&self, id: u64) -> Result<Option<RecordInfo>, ChainError> {
        Ok(self.read()?.records.get(&id).copied())
    }

    fn finalized_blocks(&self, from: u32) -> BoxStream<'static, Result<BlockRef, ChainError>> {
        let receiver = self.finalized_tx.subscribe();
        Box::pin(futures::stream::unfold((from, receiver), |(next, mut receiver)| async move {
            loop {
                if next <= *receiver.borrow_and_update() {
                    return Some((Ok(BlockRef { number: next, hash: block_hash_of(next) }), (next + 1, receiver)));
                }
                if receiver.changed().await.is_err() {
                    return None;
                }
            }
        }))
    }
}
