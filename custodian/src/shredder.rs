//! Crypto-shredding (docs/offchain-format.md, section 5): follows finalized blocks from the stored cursor; on a
//! `RecordErased` of the records contract it deletes the blob and the key, logs the erasure and advances the
//! cursor. The blob goes first and the key, log row and cursor in one transaction after it, so a restart at any
//! point repeats the block and loses nothing.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

use crate::blobs::{BlobError, BlobStore};
use crate::chain_view::{BlockRef, ChainError, ChainView, RecordsEvent};
use crate::keys::{KeyStore, KeyStoreError};
use crate::Clock;

/// Why processing a block failed.
#[derive(Debug, thiserror::Error)]
pub enum ShredError {
    /// Reading the chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The key store failed.
    #[error(transparent)]
    Keys(#[from] KeyStoreError),
    /// The blob store failed.
    #[error(transparent)]
    Blobs(#[from] BlobError),
    /// A blocking task failed.
    #[error("shredder task failed: {0}")]
    Task(String),
}

/// The shredder's parts.
#[derive(Clone)]
pub struct Shredder {
    /// The chain followed.
    pub chain: Arc<dyn ChainView>,
    /// The key store (keys, shred log, cursor).
    pub keys: KeyStore,
    /// The blob store.
    pub blobs: Arc<dyn BlobStore>,
    /// The clock of the shred log.
    pub clock: Clock,
}

impl Shredder {
    async fn keys<T: Send + 'static>(
        &self,
        f: impl FnOnce(&KeyStore) -> Result<T, KeyStoreError> + Send + 'static,
    ) -> Result<T, ShredError> {
        let keys = self.keys.clone();
        Ok(tokio::task::spawn_blocking(move || f(&keys))
            .await
            .map_err(|error| ShredError::Task(error.to_string()))??)
    }

    /// Processes one finalized block: shreds the records erased in it and advances the cursor to it. Returns the
    /// records erased.
    pub async fn process(&self, block: BlockRef) -> Result<Vec<u64>, ShredError> {
        let events = self.chain.events(block.hash).await?;
        let erased: Vec<u64> = events
            .iter()
            .filter_map(|event| match event {
                RecordsEvent::Erased { record, .. } => Some(*record),
                RecordsEvent::Opened(_) => None,
            })
            .collect();
        let records = erased.clone();
        let hashes = self.keys(move |keys| keys.content_hashes(&records)).await?;
        for hash in &hashes {
            self.blobs.delete(hash).await?;
        }
        let (records, now_ms) = (erased.clone(), (self.clock)());
        self.keys(move |keys| keys.shred(block.number, &records, now_ms)).await?;
        for record in &erased {
            tracing::info!(record, block = block.number, "shredded record {record}: its key and blob are destroyed");
        }
        Ok(erased)
    }

    /// Where to start: after the stored cursor, or at the finalized head on the first start (no key can be held
    /// for a record erased before: a deposit for an erased record is refused).
    pub async fn start(&self) -> Result<u32, ShredError> {
        match self.keys(|keys| keys.cursor()).await? {
            Some(cursor) => Ok(cursor.saturating_add(1)),
            None => Ok(self.chain.finalized_head().await?.number),
        }
    }

    /// Follows finalized blocks until `shutdown` resolves, retrying after failures (a failed block is retried: the
    /// cursor did not move past it).
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let followed = async {
                let mut blocks = self.chain.finalized_blocks(self.start().await?);
                while let Some(block) = blocks.next().await {
                    self.process(block?).await?;
                }
                Ok::<(), ShredError>(())
            };
            tokio::select! {
                _ = &mut shutdown => return,
                outcome = followed => {
                    match outcome {
                        Ok(()) => tracing::warn!("the finalized block stream ended: following again"),
                        Err(error) => tracing::warn!("shredder: {error}: retrying in 5 s"),
                    }
                }
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    }
}
