//! Releasing a record's data key to a reader (docs/offchain-format.md, section 4): the checks in the
//! specification's order, each refusal a named [`ApiError`], then the release-log row committed before the answer.

use healthchain_format::{FormatError, ReleaseRequest, ReleaseResponse};

use crate::chain_view::{basis_text, purpose_name, RecordsEvent};
use crate::keys::{Disclosure, Released};
use crate::{ApiError, Custodian};

/// Checks `request` and, if every check passes, logs the release and answers the data key sealed to the request's
/// ephemeral key. Nothing is released on any error; a release-log row exists for every key answered.
pub async fn release(custodian: &Custodian, request: ReleaseRequest) -> Result<ReleaseResponse, ApiError> {
    let binding = *custodian.binding();
    let settings = custodian.settings();
    // 1. The signature is the reader's.
    request.verify(&binding).map_err(|_| ApiError::BadSignature)?;
    // 2. time_ms is within the clock skew.
    let now_ms = custodian.now_ms();
    if request.time_ms.abs_diff(now_ms) > settings.clock_skew_secs.saturating_mul(1000) {
        return Err(ApiError::StaleRequest { time_ms: request.time_ms, now_ms, skew_secs: settings.clock_skew_secs });
    }
    // 3. The block is finalized.
    let block = custodian.chain().block(request.block).await?.ok_or(ApiError::BlockNotFound)?;
    if !block.finalized {
        return Err(ApiError::BlockNotFinalized);
    }
    // 4. The block's timestamp is within the release window.
    if now_ms.saturating_sub(block.timestamp_ms) > settings.release_window_secs.saturating_mul(1000) {
        return Err(ApiError::OpenTooOld { window_secs: settings.release_window_secs });
    }
    // 5. The block holds an open of this record by this reader, not released before.
    let events = custodian.chain().events(request.block).await?;
    let candidates: Vec<Disclosure> = events
        .iter()
        .filter_map(|event| match event {
            RecordsEvent::Opened(open) if open.record == request.record && open.accessor == request.reader => {
                Some(Disclosure {
                    block: request.block,
                    event_index: open.event_index,
                    purpose: purpose_name(open.purpose).to_string(),
                    basis: basis_text(open.basis),
                })
            }
            _ => None,
        })
        .collect();
    if candidates.is_empty() {
        return Err(ApiError::OpenNotFound(request.record));
    }
    let indexes: Vec<u32> = candidates.iter().map(|candidate| candidate.event_index).collect();
    let released = custodian.with_keys(move |keys| Ok(keys.released(&request.block, &indexes)?)).await?;
    if released.iter().all(|released| *released) {
        return Err(ApiError::AlreadyReleased(request.record));
    }
    // 6. The record is not erased (on chain at the finalized head, or shredded here already).
    let record = custodian.chain().record(request.record).await?.ok_or(ApiError::RecordNotFound(request.record))?;
    let id = request.record;
    if record.erased() || custodian.with_keys(move |keys| Ok(keys.shredded(id)?)).await? {
        return Err(ApiError::RecordErased(id));
    }
    // 7. The key is held: read it, log the release, seal it to the reader, commit; only then answer.
    let reader = request.reader;
    let outcome = custodian
        .with_keys(move |keys| Ok(keys.release(id, &reader, &candidates, now_ms, |key| request.seal(&binding, key))?))
        .await?;
    match outcome {
        Ok(Released::Released { seq, event_index, sealed }) => {
            tracing::info!(seq, record = id, event_index, "released the key of record {id} (release log {seq})");
            Ok(ReleaseResponse { record: id, block: block.hash, event_index, sealed_key: sealed })
        }
        Ok(Released::KeyNotFound) => Err(ApiError::KeyNotFound(id)),
        Ok(Released::Erased) => Err(ApiError::RecordErased(id)),
        Ok(Released::AlreadyReleased) => Err(ApiError::AlreadyReleased(id)),
        Err(FormatError::LowOrderKey) => Err(ApiError::MalformedRequest(
            "ephemeral_public is a low-order X25519 point: draw a fresh ephemeral key".into(),
        )),
        Err(error) => {
            tracing::error!("sealing a released key failed: {error}");
            Err(ApiError::Internal)
        }
    }
}
