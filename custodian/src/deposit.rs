//! Depositing a record's data key (docs/offchain-format.md, section 3): the author's signed deposit is checked
//! against the record at the finalized head and the stored blob, then the key is sealed at rest.

use healthchain_format::DepositRequest;

use crate::keys::Deposited;
use crate::{ApiError, Custodian};

/// What a deposit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepositOutcome {
    /// The key is now held (`201`).
    Stored,
    /// The same key was held already (`200`).
    AlreadyHeld,
}

/// Checks `request` and stores its key. Checks, in order: the signature is `author`'s; the record exists; its
/// author is `author`; it is not erased; its content hash is the request's; the blob is stored; the sealed key opens
/// for this custodian; no other key is held.
pub async fn deposit(custodian: &Custodian, request: DepositRequest) -> Result<DepositOutcome, ApiError> {
    let binding = *custodian.binding();
    let id = request.record;
    request.verify(&binding).map_err(|_| ApiError::BadSignature)?;
    let record = custodian.chain().record(id).await?.ok_or(ApiError::RecordNotFound(id))?;
    if record.author != request.author {
        return Err(ApiError::NotAuthor(id));
    }
    // Before the hash: an erased record's hash is zeroed on chain, and "erased" is the precise answer.
    if record.erased() || custodian.with_keys(move |keys| Ok(keys.shredded(id)?)).await? {
        return Err(ApiError::RecordErased(id));
    }
    if record.content_hash != request.content_hash {
        return Err(ApiError::RecordHashDiffers(id));
    }
    if !custodian.blobs().exists(&request.content_hash).await? {
        return Err(ApiError::BlobNotFound);
    }
    let key = request.open_key(&binding, &custodian.secret).map_err(|_| {
        ApiError::MalformedRequest(
            "the sealed key does not open with this custodian's key: seal it to custodian_key of GET /v1/info".into(),
        )
    })?;
    let (hash, now_ms) = (request.content_hash, custodian.now_ms());
    match custodian.with_keys(move |keys| Ok(keys.deposit(id, &hash, &key, now_ms)?)).await? {
        Deposited::New => {
            tracing::info!(record = id, "stored the key of record {id}");
            Ok(DepositOutcome::Stored)
        }
        Deposited::Same => Ok(DepositOutcome::AlreadyHeld),
        Deposited::Other => Err(ApiError::KeyExists(id)),
        Deposited::Shredded => Err(ApiError::RecordErased(id)),
    }
}
