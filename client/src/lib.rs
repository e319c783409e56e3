//! # healthchain-client: the reference client of healthchain
//!
//! What apps and scripts use to write and read records under the off-chain format (docs/offchain-format.md):
//! - [`flows`]: the whole operations: [`flows::put`] (encrypt, upload, register, deposit the key),
//!   [`flows::get`] (open on chain, release request, download, check, decrypt), [`flows::erase`].
//! - [`chain`]: the node (blocks, finality, the records contract's events, dry runs and signed contract calls) and
//!   [`chain::records`], the records contract's messages.
//! - [`custodian`]: the custodian's HTTP API.
//! - [`error`]: [`ClientError`], one variant per cause.
//!
//! The CLI `healthchain` (src/main.rs) is a thin shell over [`flows`].

#![warn(missing_docs)]

pub mod args;
pub mod chain;
pub mod custodian;
pub mod error;
pub mod flows;

pub use chain::{BlockInfo, BlockRef, Chain, ContractEvent, Included, RecordsEvent};
pub use custodian::Custodian;
pub use error::{ClientError, Result};
pub use subxt_signer::sr25519::Keypair;
