//! healthchain's key custodian: holds the encrypted blobs of a data holder's records and their data keys (sealed at
//! rest under a master key), and releases a record's key only against a finalized on-chain `RecordOpened` of the
//! requesting reader, writing one release-log row per disclosure entry. On a finalized `RecordErased` it destroys
//! the key and the blob (crypto-shredding).
//!
//! The format and the HTTP API are specified in `docs/offchain-format.md`; the modules follow its sections:
//! [`deposit`] (section 3), [`release`] (4), [`shredder`] (5), [`http`] (6).

pub mod blobs;
pub mod chain_view;
pub mod config;
pub mod deposit;
pub mod error;
pub mod http;
pub mod keys;
pub mod master_key;
pub mod release;
pub mod shredder;
pub mod subxt_view;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use healthchain_format::{Binding, X25519Secret};

pub use error::ApiError;

/// The clock the custodian checks request times and release windows against, in ms since the Unix epoch.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0))
}

/// The limits and windows of the custodian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How old (by its block's timestamp) an open may be when its release is requested.
    pub release_window_secs: u64,
    /// How far a request's `time_ms` may be from the custodian's clock.
    pub clock_skew_secs: u64,
    /// The largest blob accepted.
    pub max_blob_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { release_window_secs: 600, clock_skew_secs: 120, max_blob_bytes: 16 * 1024 * 1024 }
    }
}

/// The largest JSON request body accepted.
pub const MAX_JSON_BYTES: usize = 16 * 1024;

/// Everything a request needs: the binding, the chain view, the key store, the blob store, the custodian's X25519
/// secret, the settings and the clock.
pub struct Custodian {
    binding: Binding,
    chain: Arc<dyn chain_view::ChainView>,
    keys: keys::KeyStore,
    blobs: Arc<dyn blobs::BlobStore>,
    secret: X25519Secret,
    public: [u8; 32],
    settings: Settings,
    clock: Clock,
}

impl Custodian {
    /// Assembles a custodian. `secret` is [`master_key::MasterKey::x25519_secret`] of the key store's master key.
    pub fn new(
        chain: Arc<dyn chain_view::ChainView>,
        keys: keys::KeyStore,
        blobs: Arc<dyn blobs::BlobStore>,
        secret: X25519Secret,
        settings: Settings,
        clock: Clock,
    ) -> Self {
        let public = secret.public();
        Custodian { binding: chain.binding(), chain, keys, blobs, secret, public, settings, clock }
    }

    /// The chain and records contract served.
    pub fn binding(&self) -> &Binding {
        &self.binding
    }

    /// The X25519 public key authors seal deposits to (`custodian_key` of `GET /v1/info`).
    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The key store.
    pub fn keys(&self) -> &keys::KeyStore {
        &self.keys
    }

    /// The blob store.
    pub fn blobs(&self) -> &Arc<dyn blobs::BlobStore> {
        &self.blobs
    }

    /// The chain view.
    pub fn chain(&self) -> &Arc<dyn chain_view::ChainView> {
        &self.chain
    }

    /// Now, by the custodian's clock (ms since the Unix epoch).
    pub fn now_ms(&self) -> u64 {
        (self.clock)()
    }

    /// Runs key-store work on the blocking pool (SQLite commits wait for the disk).
    pub(crate) async fn with_keys<T: Send + 'static>(
        &self,
        f: impl FnOnce(&keys::KeyStore) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let keys = self.keys.clone();
        tokio::task::spawn_blocking(move || f(&keys)).await.map_err(|error| {
            tracing::error!("key store task failed: {error}");
            ApiError::Internal
        })?
    }
}
