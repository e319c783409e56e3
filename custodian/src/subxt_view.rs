//! The [`ChainView`] over a node: healthchain-client's [`Chain`] (subxt 0.35), reading the records contract's
//! events with the contract's own event types and its `record` message at the finalized head. Wrap it in
//! [`crate::chain_view::Cached`] so finalized blocks are read once.

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{BoxStream, StreamExt};
use healthchain_client::chain::{records, Chain};
use healthchain_client::ClientError;
use healthchain_format::{Account, Binding, Hash};

use crate::chain_view::{BlockInfo, BlockRef, ChainError, ChainView, Open, RecordInfo, RecordsEvent};

/// The chain as a node shows it, for the records contract at `records`.
#[derive(Clone)]
pub struct SubxtChainView {
    chain: Chain,
    records: Account,
}

fn chain_error(error: ClientError) -> ChainError {
    match error {
        ClientError::Decode { .. } => ChainError::Decode(error.to_string()),
        error => ChainError::Unavailable(error.to_string()),
    }
}

impl SubxtChainView {
    /// Connects to the node at `url`.
    pub async fn connect(url: &str, records: Account) -> Result<Self, ChainError> {
        Ok(SubxtChainView { chain: Chain::connect(url).await.map_err(chain_error)?, records })
    }

    /// A view over an existing connection.
    pub fn new(chain: Chain, records: Account) -> Self {
        SubxtChainView { chain, records }
    }
}

#[async_trait]
impl ChainView for SubxtChainView {
    fn binding(&self) -> Binding {
        Binding { genesis: self.chain.genesis(), records: self.records }
    }

    async fn finalized_head(&self) -> Result<BlockRef, ChainError> {
        self.chain.finalized_head().await.map_err(chain_error)
    }

    async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>, ChainError> {
        self.chain.block(hash).await.map_err(chain_error)
    }

    async fn events(&self, block: Hash) -> Result<Arc<Vec<RecordsEvent>>, ChainError> {
        let events = self.chain.records_events(block, self.records).await.map_err(chain_error)?;
        Ok(Arc::new(
            events
                .into_iter()
                .filter_map(|(event_index, event)| match event {
                    healthchain_client::RecordsEvent::Opened(opened) => Some(RecordsEvent::Opened(Open {
                        event_index,
                        record: opened.record,
                        accessor: *opened.accessor.as_ref(),
                        purpose: opened.purpose,
                        basis: opened.basis,
                    })),
                    healthchain_client::RecordsEvent::Erased(erased) => {
                        Some(RecordsEvent::Erased { event_index, record: erased.record })
                    }
                    _ => None,
                })
                .collect(),
        ))
    }

    async fn record(&self, id: u64) -> Result<Option<RecordInfo>, ChainError> {
        let record = records::record(&self.chain, self.records, id).await.map_err(chain_error)?;
        Ok(record.map(|record| RecordInfo {
            id: record.id,
            author: *record.author.as_ref(),
            patient: *record.patient.as_ref(),
            class: record.class as u8,
            content_hash: record.content_hash,
            status: record.status,
        }))
    }

    fn finalized_blocks(&self, from: u32) -> BoxStream<'static, Result<BlockRef, ChainError>> {
        self.chain.finalized_blocks(from).map(|block| block.map_err(chain_error)).boxed()
    }
}
