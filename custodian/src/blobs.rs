//! The blob store: encrypted documents addressed by their content hash (SHA-256), in a local directory
//! ([`DirStore`], the default) or an S3-compatible object store ([`S3Store`]). Callers check the hash before
//! `put`; the stores only keep bytes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use healthchain_format::Hash;
use object_store::{aws::AmazonS3Builder, path::Path as ObjectPath, ObjectStore, PutPayload};

/// Why the blob store failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The local directory failed.
    #[error("blob directory {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// The object store failed.
    #[error("object store: {0}")]
    ObjectStore(#[from] object_store::Error),
    /// A blocking task panicked or was cancelled.
    #[error("blob store task failed: {0}")]
    Task(String),
}

/// Blobs by content hash.
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `blob` under `hash` (replacing nothing: the bytes of one hash are one blob).
    async fn put(&self, hash: &Hash, blob: Bytes) -> Result<(), BlobError>;
    /// The blob, or `None`.
    async fn get(&self, hash: &Hash) -> Result<Option<Bytes>, BlobError>;
    /// Deletes the blob; deleting a missing blob succeeds.
    async fn delete(&self, hash: &Hash) -> Result<(), BlobError>;
    /// Whether the blob is stored.
    async fn exists(&self, hash: &Hash) -> Result<bool, BlobError>;
}

fn name(hash: &Hash) -> String {
    hex::encode(hash)
}

/// Blobs as files `<dir>/<hex hash>`, written to a temporary file, synced, then renamed into place.
pub struct DirStore {
    dir: PathBuf,
}

impl DirStore {
    /// A store in `dir`, created if missing.
    pub fn open(dir: &Path) -> Result<Self, BlobError> {
        std::fs::create_dir_all(dir).map_err(|source| BlobError::Io { path: dir.to_path_buf(), source })?;
        Ok(DirStore { dir: dir.to_path_buf() })
    }

    fn path(&self, hash: &Hash) -> PathBuf {
        self.dir.join(name(hash))
    }

    async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, BlobError> + Send + 'static,
    ) -> Result<T, BlobError> {
        tokio::task::spawn_blocking(f).await.map_err(|error| BlobError::Task(error.to_string()))?
    }
}

fn put_file(dir: &Path, path: &Path, blob: &[u8]) -> Result<(), BlobError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BlobError::Io { path, source }
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let temporary = dir.join(format!(".tmp-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(blob)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(io(path))
}

#[async_trait]
impl BlobStore for DirStore {
    async fn put(&self, hash: &Hash, blob: Bytes) -> Result<(), BlobError> {
        let (dir, path) = (self.dir.clone(), self.path(hash));
        Self::blocking(move || put_file(&dir, &path, &blob)).await
    }

    async fn get(&self, hash: &Hash) -> Result<Option<Bytes>, BlobError> {
        let path = self.path(hash);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(BlobError::Io { path, source }),
        }
    }

    async fn delete(&self, hash: &Hash) -> Result<(), BlobError> {
        let path = self.path(hash);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(BlobError::Io { path, source }),
        }
    }

    async fn exists(&self, hash: &Hash) -> Result<bool, BlobError> {
        let path = self.path(hash);
        tokio::fs::try_exists(&path).await.map_err(|source| BlobError::Io { path, source })
    }
}

/// Where an [`S3Store`] keeps its blobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The bucket.
    pub bucket: String,
    /// The endpoint URL (`None`: AWS itself).
    pub endpoint: Option<String>,
    /// The region.
    pub region: String,
    /// The access key id.
    pub access_key_id: Option<String>,
    /// The secret access key.
    pub secret_access_key: Option<String>,
}

/// Blobs as objects `blobs/<hex hash>` of an S3-compatible bucket.
pub struct S3Store {
    store: Arc<dyn ObjectStore>,
}

impl S3Store {
    /// Connects (lazily) to the bucket. Plain HTTP is allowed only for a loopback endpoint.
    pub fn new(config: &S3Config) -> Result<Self, BlobError> {
        let mut builder = AmazonS3Builder::new().with_bucket_name(&config.bucket).with_region(&config.region);
        if let Some(endpoint) = &config.endpoint {
            let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|prefix| endpoint.starts_with(prefix));
            builder = builder.with_endpoint(endpoint).with_allow_http(loopback);
        }
        if let Some(id) = &config.access_key_id {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        Ok(S3Store { store: Arc::new(builder.build()?) })
    }

    fn path(hash: &Hash) -> ObjectPath {
        ObjectPath::from(format!("blobs/{}", name(hash)))
    }
}

#[async_trait]
impl BlobStore for S3Store {
    async fn put(&self, hash: &Hash, blob: Bytes) -> Result<(), BlobError> {
        self.store.put(&Self::path(hash), PutPayload::from_bytes(blob)).await?;
        Ok(())
    }

    async fn get(&self, hash: &Hash) -> Result<Option<Bytes>, BlobError> {
        match self.store.get(&Self::path(hash)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn delete(&self, hash: &Hash) -> Result<(), BlobError> {
        match self.store.delete(&Self::path(hash)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    async fn exists(&self, hash: &Hash) -> Result<bool, BlobError> {
        match self.store.head(&Self::path(hash)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthchain_format::content_hash;

    async fn round_trip(store: &dyn BlobStore) {
        let blob = Bytes::from(format!("blob {:?}", std::time::SystemTime::now()));
        let hash = content_hash(&blob);
        assert!(!store.exists(&hash).await.unwrap());
        assert_eq!(store.get(&hash).await.unwrap(), None);
        store.put(&hash, blob.clone()).await.unwrap();
        assert!(store.exists(&hash).await.unwrap());
        assert_eq!(store.get(&hash).await.unwrap(), Some(blob.clone()));
        store.put(&hash, blob.clone()).await.unwrap();
        assert_eq!(store.get(&hash).await.unwrap(), Some(blob));
        store.delete(&hash).await.unwrap();
        assert!(!store.exists(&hash).await.unwrap());
        assert_eq!(store.get(&hash).await.unwrap(), None);
        store.delete(&hash).await.unwrap();
    }

    #[tokio::test]
    async fn dir_store_puts_gets_and_deletes_by_hash_leaving_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::open(&dir.path().join("blobs")).unwrap();
        round_trip(&store).await;
        let blob = Bytes::from_static(b"kept");
        store.put(&content_hash(&blob), blob).await.unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path().join("blobs"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec![hex::encode(content_hash(b"kept"))]);
    }

    /// Runs against the S3 server at `HEALTHCHAIN_S3_ENDPOINT` (scripts/s3-server.sh starts moto and creates the
    /// bucket `healthchain-test`); skipped, saying so, when it is not set.
    #[tokio::test]
    async fn s3_store_puts_gets_and_deletes_by_hash() {
        let Ok(endpoint) = std::env::var("HEALTHCHAIN_S3_ENDPOINT") else {
            eprintln!("skipped: HEALTHCHAIN_S3_ENDPOINT is not set (start a loopback S3 with scripts/s3-server.sh)");
            return;
        };
        let store = S3Store::new(&S3Config {
            bucket: std::env::var("HEALTHCHAIN_S3_BUCKET").unwrap_or_else(|_| "healthchain-test".into()),
            endpoint: Some(endpoint),
            region: "us-east-1".into(),
            access_key_id: Some(std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "testing".into())),
            secret_access_key: Some(std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "testing".into())),
        })
        .unwrap();
        round_trip(&store).await;
    }
}
