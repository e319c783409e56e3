//! A custodian over a [`FakeChain`] in a temporary data dir, driven through its HTTP router in process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use healthchain_client::Keypair;
use healthchain_custodian::blobs::{BlobStore, DirStore};
use healthchain_custodian::chain_view::{BlockRef, Cached, ChainView, FakeChain, Open, RecordInfo, RecordsEvent};
use healthchain_custodian::keys::KeyStore;
use healthchain_custodian::master_key::MasterKey;
use healthchain_custodian::{http, Custodian, Settings};
use healthchain_format::{
    content_hash, encrypt_document, record_aad, Account, Binding, DataKey, DepositRequest, Hash, ReleaseRequest,
    X25519Secret,
};
use interfaces::{Basis, Purpose, RecordStatus};
use serde_json::Value;
use tower::ServiceExt;

/// The records contract served.
pub const RECORDS: Account = [0x7e; 32];
/// The test clock's start: 2025-01-01.
pub const T0: u64 = 1_735_689_600_000;
/// A document's data class (Labs).
pub const CLASS: u8 = 3;

/// An account key from a seed byte.
pub fn account(seed: u8) -> Keypair {
    Keypair::from_seed([seed; 32]).expect("a 32-byte seed is a valid sr25519 mini secret")
}

/// The patient, the author (a doctor), the reader (a consented colleague) and a stranger.
pub fn patient() -> Keypair {
    account(3)
}
pub fn author() -> Keypair {
    account(4)
}
pub fn reader() -> Keypair {
    account(5)
}
pub fn stranger() -> Keypair {
    account(6)
}

/// The raw account of a keypair.
pub fn id(pair: &Keypair) -> Account {
    pair.public_key().0
}

/// A custodian over a fake chain, its data dir and a settable clock.
pub struct Harness {
    pub dir: PathBuf,
    pub chain: Arc<FakeChain>,
    pub custodian: Arc<Custodian>,
    pub keys: KeyStore,
    pub blobs: Arc<dyn BlobStore>,
    pub app: Router,
    pub now: Arc<AtomicU64>,
}

/// A document stored and registered by [`Harness::put`].
pub struct Stored {
    pub record: u64,
    pub key: DataKey,
    pub blob: Vec<u8>,
    pub hash: Hash,
    pub document: Vec<u8>,
}

/// An HTTP answer.
pub struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {:?}", String::from_utf8_lossy(&self.body)))
    }
    /// The error code of a refusal.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_else(|| panic!("no code in {}", self.json())).to_string()
    }
}

impl Harness {
    /// A fresh data dir.
    pub fn new(dir: &Path) -> Harness {
        Harness::with(dir, FakeChain::new(RECORDS, T0 - 3_600_000), Settings::default())
    }

    /// A custodian over `chain` in `dir` (reopening whatever is there).
    pub fn with(dir: &Path, chain: Arc<FakeChain>, settings: Settings) -> Harness {
        let now = Arc::new(AtomicU64::new(T0));
        let (master, _) = MasterKey::load_or_generate(&dir.join("master.key")).expect("master key");
        let secret = master.x25519_secret();
        let keys = KeyStore::open(&dir.join("keys.sqlite"), master, &chain.binding()).expect("key store");
        let blobs: Arc<dyn BlobStore> = Arc::new(DirStore::open(&dir.join("blobs")).expect("blob dir"));
        let clock_now = now.clone();
        let view: Arc<dyn ChainView> = Arc::new(Cached::new(chain.clone()));
        let custodian = Arc::new(Custodian::new(
            view,
            keys.clone(),
            blobs.clone(),
            secret,
            settings,
            Arc::new(move || clock_now.load(Ordering::SeqCst)),
        ));
        let app = http::router(custodian.clone());
        Harness { dir: dir.to_path_buf(), chain, custodian, keys, blobs, app, now }
    }

    /// The same data dir and chain, as after a restart.
    pub fn restart(self) -> Harness {
        let (dir, chain, settings) = (self.dir.clone(), self.chain.clone(), self.custodian.settings().clone());
        let now = self.now.load(Ordering::SeqCst);
        drop(self);
        let harness = Harness::with(&dir, chain, settings);
        harness.now.store(now, Ordering::SeqCst);
        harness
    }

    pub fn binding(&self) -> Binding {
        *self.custodian.binding()
    }

    pub fn now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    pub fn advance(&self, ms: u64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }

    /// Sends a request to the router.
    pub async fn call(&self, method: Method, uri: &str, body: Vec<u8>) -> Answer {
        let request = Request::builder().method(method).uri(uri).body(Body::from(body)).expect("request");
        let response = self.app.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
        Answer { status, body }
    }

    pub async fn post_json(&self, uri: &str, body: &impl serde::Serialize) -> Answer {
        self.call(Method::POST, uri, serde_json::to_vec(body).expect("JSON")).await
    }

    /// Uploads a blob.
    pub async fn put_blob(&self, hash: &Hash, blob: Vec<u8>) -> Answer {
        self.call(Method::PUT, &format!("/v1/blobs/0x{}", hex::encode(hash)), blob).await
    }

    /// A finalized block (timestamp now) holding the records contract's `RecordRegistered`-free pointer: sets the
    /// record on the fake chain as `records.register` would.
    pub fn register(&self, record: u64, author: &Keypair, hash: Hash) {
        self.chain.set_record(RecordInfo {
            id: record,
            author: id(author),
            patient: id(&patient()),
            class: CLASS,
            content_hash: hash,
            status: RecordStatus::Current,
        });
    }

    /// A signed deposit of `key` for `record`.
    pub fn deposit_request(&self, record: u64, signer: &Keypair, hash: Hash, key: &DataKey) -> DepositRequest {
        let binding = self.binding();
        let mut request =
            DepositRequest::unsigned(&binding, record, id(signer), hash, key, &self.custodian.public_key(), self.now())
                .expect("seal to the custodian");
        request.signature = signer.sign(&request.message(&binding)).0;
        request
    }

    /// Encrypts `document` for record `record`, uploads the blob, registers the record (by the author) and
    /// deposits the key: the write half of the story.
    pub async fn put(&self, record: u64, document: &[u8]) -> Stored {
        let key = DataKey::random();
        let blob = encrypt_document(&key, &record_aad(&self.binding(), &id(&patient()), CLASS), document);
        let hash = content_hash(&blob);
        let answer = self.put_blob(&hash, blob.clone()).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&answer.body));
        self.register(record, &author(), hash);
        let answer = self.post_json("/v1/keys", &self.deposit_request(record, &author(), hash, &key)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&answer.body));
        Stored { record, key, blob, hash, document: document.to_vec() }
    }

    /// A block (timestamp now) holding these opens (event indexes as given), finalized unless `finalized` is false.
    pub fn opens(&self, opens: &[(u32, u64, &Keypair)], finalized: bool) -> BlockRef {
        let events = opens
            .iter()
            .map(|(event_index, record, accessor)| {
                RecordsEvent::Opened(Open {
                    event_index: *event_index,
                    record: *record,
                    accessor: id(accessor),
                    purpose: Purpose::Treatment,
                    basis: Basis::Consent(1),
                })
            })
            .collect();
        let block = self.chain.add_block(self.now(), events);
        if finalized {
            self.chain.finalize(block.number);
        }
        block
    }

    /// `accessor` opens `record` in a new finalized block (event index 2).
    pub fn open(&self, record: u64, accessor: &Keypair) -> BlockRef {
        self.opens(&[(2, record, accessor)], true)
    }

    /// A release request signed by `signer` naming `reader`, with a fresh ephemeral key.
    pub fn release_request_as(
        &self,
        signer: &Keypair,
        reader: &Keypair,
        record: u64,
        block: Hash,
    ) -> (ReleaseRequest, X25519Secret) {
        let ephemeral = X25519Secret::random();
        let mut request = ReleaseRequest::unsigned(record, id(reader), block, ephemeral.public(), self.now());
        request.signature = signer.sign(&request.message(&self.binding())).0;
        (request, ephemeral)
    }

    pub fn release_request(&self, reader: &Keypair, record: u64, block: Hash) -> (ReleaseRequest, X25519Secret) {
        self.release_request_as(reader, reader, record, block)
    }

    /// The release log rows, as `GET /v1/releases` answers them.
    pub async fn release_log(&self) -> Vec<Value> {
        let answer = self.call(Method::GET, "/v1/releases", Vec::new()).await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.json()["items"].as_array().expect("items").clone()
    }
}
