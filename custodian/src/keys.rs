//! The key store: SQLite (WAL, synchronous FULL) holding each record's data key sealed under the master key, the
//! release log, the shred log and the shredder's cursor.
//!
//! A release reads the key and inserts its release-log row in one transaction, committed before the answer is
//! sent: the row's `UNIQUE(block, event_index)` is the replay guard, and no key leaves without its row.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use healthchain_format::{decrypt_document, encrypt_document, Account, Binding, DataKey, Hash, NONCE_LEN};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::master_key::MasterKey;

/// Domain of the associated data a data key is sealed at rest with.
pub const KEYSTORE_DOMAIN: &[u8] = b"healthchain/keystore/v1";

/// Why the key store failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    /// SQLite failed.
    #[error("key store database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored key does not open under the master key (another master key, or the row was altered).
    #[error(
        "the stored key of record {0} does not open under this master key: is this the data dir's own master key?"
    )]
    Unseal(u64),
    /// A stored value has the wrong size.
    #[error("the key store holds a malformed row for record {0}")]
    Corrupt(u64),
    /// The data dir belongs to another chain or records contract.
    #[error("the key store {path} belongs to genesis {genesis} and records {records}: use that chain and contract, or another --data-dir")]
    OtherBinding {
        /// The database file.
        path: String,
        /// Its genesis (0x hex).
        genesis: String,
        /// Its records contract (0x hex).
        records: String,
    },
}

/// The outcome of a deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deposited {
    /// The key is now held.
    New,
    /// The same key for the same content hash was held already.
    Same,
    /// Another key (or the key of another content hash) is held for the record.
    Other,
    /// The record was shredded: no key is taken for it again.
    Shredded,
}

/// A disclosure entry to release against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The block holding the open.
    pub block: Hash,
    /// The open's event index in that block.
    pub event_index: u32,
    /// The purpose of use (`Treatment`, ...).
    pub purpose: String,
    /// The basis (`Consent(3)`, ...).
    pub basis: String,
}

/// One row of the release log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReleaseRow {
    /// Position in the log (increasing).
    pub seq: u64,
    /// The record released.
    pub record: u64,
    /// The reader it was released to.
    #[serde(with = "healthchain_format::hex0x")]
    pub reader: Account,
    /// The block of the open released against.
    #[serde(with = "healthchain_format::hex0x")]
    pub block: Hash,
    /// The open's event index.
    pub event_index: u32,
    /// The purpose of use.
    pub purpose: String,
    /// The basis of the access.
    pub basis: String,
    /// When the custodian released, ms since the Unix epoch.
    pub released_at_ms: u64,
}

/// The outcome of [`KeyStore::release`].
#[derive(Debug)]
pub enum Released<T> {
    /// The log row was committed; `T` is what the seal function made of the key.
    Released {
        /// The release log row's `seq`.
        seq: u64,
        /// The disclosure entry released against.
        event_index: u32,
        /// The sealed key.
        sealed: T,
    },
    /// No key is held for the record.
    KeyNotFound,
    /// The record was shredded (its erasure was processed meanwhile).
    Erased,
    /// Every candidate disclosure entry was released already.
    AlreadyReleased,
}

/// The key store. Cloning shares the one connection.
#[derive(Clone)]
pub struct KeyStore {
    conn: Arc<Mutex<Connection>>,
    master: Arc<MasterKey>,
    records: Account,
}

fn at_rest_aad(records: &Account, record: u64) -> Vec<u8> {
    let mut aad = Vec::with_capacity(KEYSTORE_DOMAIN.len() + 40);
    aad.extend_from_slice(KEYSTORE_DOMAIN);
    aad.extend_from_slice(records);
    aad.extend_from_slice(&record.to_le_bytes());
    aad
}

fn to_i64(value: u64) -> i64 {
    // Record ids, times and block numbers stay far below 2^63; a larger one is stored as its bit pattern.
    value as i64
}

fn shredded_in(conn: &Connection, record: u64) -> Result<bool, rusqlite::Error> {
    Ok(conn
        .query_row("SELECT 1 FROM shred_log WHERE record = ?1 LIMIT 1", [to_i64(record)], |_| Ok(()))
        .optional()?
        .is_some())
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
    record INTEGER PRIMARY KEY,
    content_hash BLOB NOT NULL,
    nonce BLOB NOT NULL,
    sealed BLOB NOT NULL,
    deposited_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS release_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record INTEGER NOT NULL,
    reader BLOB NOT NULL,
    block BLOB NOT NULL,
    event_index INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    basis TEXT NOT NULL,
    released_at_ms INTEGER NOT NULL,
    UNIQUE(block, event_index)
);
CREATE TABLE IF NOT EXISTS shred_log (record INTEGER NOT NULL, block INTEGER NOT NULL, shredded_at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS shred_log_record ON shred_log(record);
CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 0), block INTEGER NOT NULL);
";

impl KeyStore {
    /// Opens (or creates) the store at `path` for `binding`, refusing one created for another binding.
    pub fn open(path: &Path, master: MasterKey, binding: &Binding) -> Result<Self, KeyStoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed release-log row survives a power cut, not only a crash of the process.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        for (name, value) in [("genesis", binding.genesis), ("records", binding.records)] {
            conn.execute("INSERT OR IGNORE INTO meta (name, value) VALUES (?1, ?2)", params![name, value.as_slice()])?;
        }
        let stored = |name: &str| -> Result<Vec<u8>, rusqlite::Error> {
            conn.query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| row.get(0))
        };
        let (genesis, records) = (stored("genesis")?, stored("records")?);
        if genesis != binding.genesis || records != binding.records {
            return Err(KeyStoreError::OtherBinding {
                path: path.display().to_string(),
                genesis: format!("0x{}", hex::encode(genesis)),
                records: format!("0x{}", hex::encode(records)),
            });
        }
        Ok(KeyStore { conn: Arc::new(Mutex::new(conn)), master: Arc::new(master), records: binding.records })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // SQLite rolls back an unfinished transaction of a panicked holder when it is reused or dropped.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the connection (tests: fault injection).
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        f(&self.conn())
    }

    fn seal(&self, record: u64, key: &DataKey) -> ([u8; NONCE_LEN], Vec<u8>) {
        let blob = encrypt_document(self.master.sealing_key(), &at_rest_aad(&self.records, record), &key.0);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&blob[..NONCE_LEN]);
        (nonce, blob[NONCE_LEN..].to_vec())
    }

    fn unseal(&self, record: u64, nonce: &[u8], sealed: &[u8]) -> Result<DataKey, KeyStoreError> {
        let mut blob = Vec::with_capacity(nonce.len() + sealed.len());
        blob.extend_from_slice(nonce);
        blob.extend_from_slice(sealed);
        let mut opened = decrypt_document(self.master.sealing_key(), &at_rest_aad(&self.records, record), &blob)
            .map_err(|_| KeyStoreError::Unseal(record))?;
        let key: Result<[u8; 32], _> = opened.as_slice().try_into();
        opened.fill(0);
        Ok(DataKey(key.map_err(|_| KeyStoreError::Corrupt(record))?))
    }

    /// Stores `key` for `record` unless a key is held for it; the same key for the same content hash again is
    /// [`Deposited::Same`].
    pub fn deposit(
        &self,
        record: u64,
        content_hash: &Hash,
        key: &DataKey,
        now_ms: u64,
    ) -> Result<Deposited, KeyStoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<(Vec<u8>, Vec<u8>, Vec<u8>)> = tx
            .query_row("SELECT content_hash, nonce, sealed FROM keys WHERE record = ?1", [to_i64(record)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        if shredded_in(&tx, record)? {
            return Ok(Deposited::Shredded);
        }
        if let Some((held_hash, nonce, sealed)) = held {
            let same = held_hash == content_hash && self.unseal(record, &nonce, &sealed)? == *key;
            return Ok(if same { Deposited::Same } else { Deposited::Other });
        }
        let (nonce, sealed) = self.seal(record, key);
        tx.execute(
            "INSERT INTO keys (record, content_hash, nonce, sealed, deposited_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![to_i64(record), content_hash.as_slice(), nonce.as_slice(), sealed, to_i64(now_ms)],
        )?;
        tx.commit()?;
        Ok(Deposited::New)
    }

    /// The content hash of the key held for `record`, if one is held.
    pub fn held(&self, record: u64) -> Result<Option<Hash>, KeyStoreError> {
        let hash: Option<Vec<u8>> = self
            .conn()
            .query_row("SELECT content_hash FROM keys WHERE record = ?1", [to_i64(record)], |row| row.get(0))
            .optional()?;
        hash.map(|hash| hash.as_slice().try_into().map_err(|_| KeyStoreError::Corrupt(record))).transpose()
    }

    /// How many keys are held.
    pub fn key_count(&self) -> Result<u64, KeyStoreError> {
        Ok(self.conn().query_row("SELECT COUNT(*) FROM keys", [], |row| row.get::<_, i64>(0))? as u64)
    }

    /// Whether the shredder destroyed `record`'s key (a finalized `RecordErased` was seen).
    pub fn shredded(&self, record: u64) -> Result<bool, KeyStoreError> {
        Ok(shredded_in(&self.conn(), record)?)
    }

    /// Which of `event_indexes` of `block` were released already.
    pub fn released(&self, block: &Hash, event_indexes: &[u32]) -> Result<Vec<bool>, KeyStoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached("SELECT 1 FROM release_log WHERE block = ?1 AND event_index = ?2")?;
        event_indexes
            .iter()
            .map(|index| Ok(statement.query_row(params![block.as_slice(), index], |_| Ok(())).optional()?.is_some()))
            .collect()
    }

    /// Releases `record`'s key against the first of `candidates` (opens by `reader` in one block) not released
    /// before: in one transaction, reads and unseals the key, inserts the release-log row and calls `seal` on the
    /// key; commits only if `seal` succeeded. The answer may be sent only after this returns `Released`.
    pub fn release<T, E>(
        &self,
        record: u64,
        reader: &Account,
        candidates: &[Disclosure],
        now_ms: u64,
        seal: impl FnOnce(&DataKey) -> Result<T, E>,
    ) -> Result<Result<Released<T>, E>, KeyStoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<(Vec<u8>, Vec<u8>)> = tx
            .query_row("SELECT nonce, sealed FROM keys WHERE record = ?1", [to_i64(record)], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let Some((nonce, sealed)) = held else {
            let erased = shredded_in(&tx, record)?;
            return Ok(Ok(if erased { Released::Erased } else { Released::KeyNotFound }));
        };
        let key = self.unseal(record, &nonce, &sealed)?;
        let mut chosen = None;
        for candidate in candidates {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO release_log (record, reader, block, event_index, purpose, basis, released_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    to_i64(record),
                    reader.as_slice(),
                    candidate.block.as_slice(),
                    candidate.event_index,
                    candidate.purpose,
                    candidate.basis,
                    to_i64(now_ms)
                ],
            )?;
            if inserted == 1 {
                chosen = Some((tx.last_insert_rowid() as u64, candidate.event_index));
                break;
            }
        }
        let Some((seq, event_index)) = chosen else {
            return Ok(Ok(Released::AlreadyReleased));
        };
        let sealed = match seal(&key) {
            Ok(sealed) => sealed,
            Err(error) => return Ok(Err(error)),
        };
        tx.commit()?;
        Ok(Ok(Released::Released { seq, event_index, sealed }))
    }

    /// Up to `limit` release-log rows from `seq >= from`, and the `from` of the next page if there is one.
    pub fn releases(&self, from: u64, limit: u32) -> Result<(Vec<ReleaseRow>, Option<u64>), KeyStoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT seq, record, reader, block, event_index, purpose, basis, released_at_ms FROM release_log
             WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![to_i64(from), i64::from(limit) + 1], |row| {
            let bytes = |index: usize| -> rusqlite::Result<[u8; 32]> {
                let value: Vec<u8> = row.get(index)?;
                value.as_slice().try_into().map_err(|_| {
                    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Blob, "not 32 bytes".into())
                })
            };
            Ok(ReleaseRow {
                seq: row.get::<_, i64>(0)? as u64,
                record: row.get::<_, i64>(1)? as u64,
                reader: bytes(2)?,
                block: bytes(3)?,
                event_index: row.get(4)?,
                purpose: row.get(5)?,
                basis: row.get(6)?,
                released_at_ms: row.get::<_, i64>(7)? as u64,
            })
        })?;
        let mut items = rows.collect::<Result<Vec<_>, _>>()?;
        let next = if items.len() > limit as usize { items.pop().map(|row| row.seq) } else { None };
        Ok((items, next))
    }

    /// The last finalized block number the shredder processed.
    pub fn cursor(&self) -> Result<Option<u32>, KeyStoreError> {
        Ok(self.conn().query_row("SELECT block FROM cursor WHERE id = 0", [], |row| row.get(0)).optional()?)
    }

    /// The content hashes of the keys held for `records` (the blobs to delete before [`KeyStore::shred`]).
    pub fn content_hashes(&self, records: &[u64]) -> Result<Vec<Hash>, KeyStoreError> {
        records.iter().filter_map(|record| self.held(*record).transpose()).collect()
    }

    /// Records finalized block `block`: destroys the keys of `erased`, logs each erasure and advances the cursor
    /// to `block`, in one transaction.
    pub fn shred(&self, block: u32, erased: &[u64], now_ms: u64) -> Result<(), KeyStoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for record in erased {
            tx.execute("DELETE FROM keys WHERE record = ?1", [to_i64(*record)])?;
            tx.execute(
                "INSERT INTO shred_log (record, block, shredded_at_ms) VALUES (?1, ?2, ?3)",
                params![to_i64(*record), block, to_i64(now_ms)],
            )?;
        }
        tx.execute("INSERT INTO cursor (id, block) VALUES (0, ?1) ON CONFLICT(id) DO UPDATE SET block = ?1", [block])?;
        tx.commit()?;
        Ok(())
    }
}
