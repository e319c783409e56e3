//! The whole operations apps use (docs/offchain-format.md sections 1, 3, 4 and 5):
//! - [`put`]: a new data key, the document encrypted with the record's associated data, the blob uploaded,
//!   `records.register` finalized, the key deposited with the custodian signed by the author.
//! - [`get`]: a signed `records.open` finalized, a signed release request with an ephemeral X25519 key, the sealed
//!   key opened, the blob downloaded and checked against the record's content hash on chain, the document decrypted
//!   with the associated data rebuilt from the record on chain.
//! - [`erase`]: `records.erase` by the patient (the custodian shreds the key and blob once it is finalized).
//!
//! Each first checks that the custodian serves this chain and this records contract (its binding).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthchain_format::{
    content_hash, decrypt_document, encrypt_document, hex0x, locator, record_aad, Account, Binding, DataKey,
    DepositRequest, Hash, ReleaseRequest, X25519Secret,
};
use interfaces::{DataClass, Purpose, RecordId, RecordStatus};
use subxt_signer::sr25519::Keypair;

use crate::{
    chain::{records, Chain, Included},
    custodian::{Custodian, Info},
    error::{ClientError, Result},
};

/// How many times a deposit or release is retried when the custodian's view of the chain lags behind ours.
pub const RETRIES: u32 = 5;
/// The pause before the first retry (doubled each time).
pub const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// Custodian errors that mean "your transaction is finalized, but my node has not caught up yet": retried.
const LAGGING: [&str; 4] = ["record_not_found", "block_not_found", "block_not_finalized", "chain_unavailable"];

/// Encrypts `document` for `patient` under data class `class`, stores the blob with `custodian`, registers the
/// record signed by `author` and deposits its data key. Returns the new record's id. A registration the records
/// contract would refuse is refused before anything is uploaded.
pub async fn put(
    chain: &Chain,
    custodian: &Custodian,
    author: &Keypair,
    records: Account,
    patient: Account,
    class: DataClass,
    document: &[u8],
) -> Result<RecordId> {
    let info = custodian.info().await?;
    let binding = check_binding(chain, records, &info)?;
    let Sealed { key, blob, hash } = seal_document(&binding, &patient, class, document, info.max_blob_bytes)?;
    let locator = locator(custodian.base_url(), &hash);
    // Refused now (no consent, no credential, ...)? Then say so before leaving a blob with the custodian.
    let author_account = author.public_key().0;
    records::check_register(chain, author_account, records, patient, class, hash, locator.as_bytes(), None).await?;
    custodian.put_blob(&hash, blob).await?;
    let (record, _) = records::register(chain, author, records, patient, class, hash, locator.as_bytes(), None).await?;
    deposit(custodian, &binding, &info, author, record, hash, &key)
        .await
        .map_err(|error| ClientError::Deposit { record, source: Box::new(error) })?;
    Ok(record)
}

/// Deposits `key` for `record`, signed by `author`, retrying while the custodian's node lags.
async fn deposit(
    custodian: &Custodian,
    binding: &Binding,
    info: &Info,
    author: &Keypair,
    record: RecordId,
    hash: Hash,
    key: &DataKey,
) -> Result<()> {
    let mut pause = RETRY_PAUSE;
    let mut attempt = 0;
    loop {
        let mut request = DepositRequest::unsigned(
            binding,
            record,
            author.public_key().0,
            hash,
            key,
            &info.custodian_key,
            now_ms()?,
        )?;
        request.signature = author.sign(&request.message(binding)).0;
        match custodian.deposit(&request).await {
            Err(error) if attempt < RETRIES && is_lagging(&error) => {
                attempt += 1;
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2);
            }
            result => return result.map(|_| ()),
        }
    }
}

/// Reads record `record` as `reader` for `purpose`: opens it on chain (one entry of the patient's accounting of
/// disclosures), asks `custodian` for its key against that finalized open, downloads the blob, checks it against the
/// record's content hash on chain and decrypts it.
pub async fn get(
    chain: &Chain,
    custodian: &Custodian,
    reader: &Keypair,
    records: Account,
    record: RecordId,
    purpose: Purpose,
) -> Result<Vec<u8>> {
    let info = custodian.info().await?;
    let binding = check_binding(chain, records, &info)?;
    let pointer = records::record(chain, records, record).await?.ok_or(ClientError::RecordNotFound(record))?;
    if pointer.status == RecordStatus::Erased {
        return Err(ClientError::RecordErased(record));
    }
    let opened = records::open(chain, reader, records, record, purpose).await?;

    let ephemeral = X25519Secret::random();
    let mut pause = RETRY_PAUSE;
    let mut attempt = 0;
    let (request, response) = loop {
        let mut request =
            ReleaseRequest::unsigned(record, reader.public_key().0, opened.block.hash, ephemeral.public(), now_ms()?);
        request.signature = reader.sign(&request.message(&binding)).0;
        match custodian.release(&request).await {
            Ok(response) => break (request, response),
            Err(error) if attempt < RETRIES && is_lagging(&error) => {
                attempt += 1;
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2);
            }
            Err(error) => return Err(error),
        }
    };
    let key = response.open_key(&binding, &request, &ephemeral)?;
    let blob = custodian.get_blob(&pointer.content_hash, info.max_blob_bytes).await?;
    open_document(&binding, &pointer, &key, &blob)
}

/// A document encrypted for its record: the data key, the blob and its content hash.
pub struct Sealed {
    /// The record's data key.
    pub key: DataKey,
    /// `nonce ‖ ciphertext`, what the custodian stores.
    pub blob: Vec<u8>,
    /// SHA-256 of the blob, what the record on chain holds.
    pub hash: Hash,
}

/// Encrypts `document` under a new data key with the associated data of (`binding`, `patient`, `class`), refusing a
/// blob over `max_blob_bytes`.
pub fn seal_document(
    binding: &Binding,
    patient: &Account,
    class: DataClass,
    document: &[u8],
    max_blob_bytes: u64,
) -> Result<Sealed> {
    let key = DataKey::random();
    let blob = encrypt_document(&key, &record_aad(binding, patient, class as u8), document);
    if blob.len() as u64 > max_blob_bytes {
        return Err(ClientError::Input(format!(
            "the document encrypts to {} bytes, more than the custodian stores ({max_blob_bytes} bytes): split it or use another custodian",
            blob.len()
        )));
    }
    let hash = content_hash(&blob);
    Ok(Sealed { key, blob, hash })
}

/// Checks `blob` against the content hash of `record` (as read on chain) and decrypts it with the associated data
/// rebuilt from the record: a blob of another record, patient, class, contract or chain is refused.
pub fn open_document(binding: &Binding, record: &records::Record, key: &DataKey, blob: &[u8]) -> Result<Vec<u8>> {
    let actual = content_hash(blob);
    if actual != record.content_hash {
        return Err(ClientError::HashMismatch {
            record: record.id,
            expected: hex::encode(record.content_hash),
            actual: hex::encode(actual),
        });
    }
    let aad = record_aad(binding, &record.patient.0, record.class as u8);
    Ok(decrypt_document(key, &aad, blob)?)
}

/// Erases record `record` as `patient` (the record's patient) and returns once finalized.
pub async fn erase(chain: &Chain, patient: &Keypair, records: Account, record: RecordId) -> Result<Included> {
    records::erase(chain, patient, records, record).await
}

/// The binding of `custodian`, checked against this chain and records contract.
pub fn check_binding(chain: &Chain, records: Account, info: &Info) -> Result<Binding> {
    binding_of(chain.genesis(), records, info)
}

/// The binding `(genesis, records)` if `info` says the custodian serves exactly it.
pub(crate) fn binding_of(genesis: Hash, records: Account, info: &Info) -> Result<Binding> {
    if info.genesis != genesis {
        return Err(ClientError::WrongCustodian {
            what: "the chain with genesis",
            theirs: hex0x::encode(&info.genesis),
            ours: hex0x::encode(&genesis),
        });
    }
    if info.records != records {
        return Err(ClientError::WrongCustodian {
            what: "the records contract",
            theirs: hex0x::encode(&info.records),
            ours: hex0x::encode(&records),
        });
    }
    Ok(Binding { genesis, records })
}

/// True for custodian errors that go away once its node has caught up with the finalized block we cite.
pub(crate) fn is_lagging(error: &ClientError) -> bool {
    error.custodian_code().is_some_and(|code| LAGGING.contains(&code))
}

/// Now, in ms since the Unix epoch.
fn now_ms() -> Result<u64> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| ClientError::Input("the system clock is before 1970: set the clock".into()))?;
    u64::try_from(since.as_millis())
        .map_err(|_| ClientError::Input("the system clock is out of range: set the clock".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthchain_format::FormatError;

    fn info(genesis: Hash, records: Account) -> Info {
        Info { version: 1, genesis, records, custodian_key: [9; 32], release_window_secs: 600, max_blob_bytes: 1 << 20 }
    }

    #[test]
    fn the_binding_is_the_custodians_only_when_chain_and_contract_match() {
        let binding = binding_of([1; 32], [2; 32], &info([1; 32], [2; 32])).expect("same binding");
        assert_eq!(binding, Binding { genesis: [1; 32], records: [2; 32] });
        let other_chain = binding_of([1; 32], [2; 32], &info([3; 32], [2; 32])).expect_err("other chain");
        assert!(
            matches!(other_chain, ClientError::WrongCustodian { what: "the chain with genesis", .. }),
            "{other_chain}"
        );
        let other_contract = binding_of([1; 32], [2; 32], &info([1; 32], [4; 32])).expect_err("other contract");
        assert!(matches!(other_contract, ClientError::WrongCustodian { what: "the records contract", .. }));
        assert!(other_contract.to_string().contains(&hex0x::encode(&[4u8; 32])));
    }

    #[test]
    fn only_a_lagging_custodian_is_retried() {
        let http = |code: &str| ClientError::Http { status: 409, code: code.into(), message: String::new() };
        assert!(is_lagging(&http("block_not_finalized")));
        assert!(is_lagging(&http("record_not_found")));
        assert!(is_lagging(&http("chain_unavailable")));
        assert!(!is_lagging(&http("open_not_found")));
        assert!(!is_lagging(&http("already_released")));
        assert!(!is_lagging(&http("bad_signature")));
        assert!(!is_lagging(&ClientError::RecordNotFound(1)));
    }

    fn record_of(sealed: &Sealed, patient: Account, class: DataClass) -> records::Record {
        records::Record {
            id: 3,
            patient: patient.into(),
            author: [8; 32].into(),
            class,
            content_hash: sealed.hash,
            locator: b"https://c/v1/blobs/0x".to_vec(),
            created_at: 0,
            status: RecordStatus::Current,
            replaces: None,
            replaced_by: None,
            previous_of_patient: None,
        }
    }

    const BINDING: Binding = Binding { genesis: [1; 32], records: [2; 32] };

    #[test]
    fn a_sealed_document_opens_only_as_its_own_record() {
        let sealed = seal_document(&BINDING, &[5; 32], DataClass::Labs, b"potassium 4.1", 1 << 10).expect("seal");
        assert_eq!(sealed.hash, content_hash(&sealed.blob));
        let record = record_of(&sealed, [5; 32], DataClass::Labs);
        assert_eq!(open_document(&BINDING, &record, &sealed.key, &sealed.blob).expect("opens"), b"potassium 4.1");

        let other_patient = record_of(&sealed, [6; 32], DataClass::Labs);
        let error = open_document(&BINDING, &other_patient, &sealed.key, &sealed.blob).expect_err("other patient");
        assert!(matches!(error, ClientError::Format(FormatError::Decrypt)), "{error}");
        let other_class = record_of(&sealed, [5; 32], DataClass::Genomic);
        assert!(open_document(&BINDING, &other_class, &sealed.key, &sealed.blob).is_err());
        let other_chain = Binding { genesis: [9; 32], records: [2; 32] };
        assert!(open_document(&other_chain, &record, &sealed.key, &sealed.blob).is_err());
        let wrong_key = DataKey::random();
        assert!(open_document(&BINDING, &record, &wrong_key, &sealed.blob).is_err());
    }

    #[test]
    fn a_blob_that_is_not_the_records_is_refused_before_decrypting() {
        let sealed = seal_document(&BINDING, &[5; 32], DataClass::Labs, b"note", 1 << 10).expect("seal");
        let record = record_of(&sealed, [5; 32], DataClass::Labs);
        let mut altered = sealed.blob.clone();
        altered[30] ^= 1;
        let error = open_document(&BINDING, &record, &sealed.key, &altered).expect_err("altered");
        assert!(
            matches!(&error, ClientError::HashMismatch { record: 3, expected, .. } if expected == &hex::encode(sealed.hash))
        );
    }

    #[test]
    fn documents_over_the_custodians_limit_are_refused_before_upload() {
        // The blob is the document plus a 24-byte nonce and a 16-byte tag.
        assert!(seal_document(&BINDING, &[5; 32], DataClass::Labs, &[0; 60], 100).is_ok());
        let error = seal_document(&BINDING, &[5; 32], DataClass::Labs, &[0; 61], 100).err().expect("over");
        assert!(matches!(&error, ClientError::Input(text) if text.contains("101 bytes")), "{error}");
    }

    #[test]
    fn the_clock_reads_after_2020() {
        assert!(now_ms().expect("clock") > 1_577_836_800_000);
    }
}
