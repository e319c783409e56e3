//! The errors the custodian answers with: one variant per `code` of the specification's error table
//! (docs/offchain-format.md, section 6), each with its HTTP status and a plain one-line message.

use axum::http::StatusCode;

/// A refusal or failure of a custodian request. [`ApiError::code`] is the stable code programs match on; the
/// `Display` text is the plain sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The body or path is not what the API says.
    #[error("malformed request: {0}")]
    MalformedRequest(String),
    /// A blob or request body over the limit.
    #[error("the body is over the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit of this route, in bytes.
        limit: usize,
    },
    /// The signature is not the named account's.
    #[error("the signature is not the named account's: sign the request with that account's key")]
    BadSignature,
    /// `time_ms` is outside the allowed clock skew.
    #[error("time_ms {time_ms} is more than {skew_secs} s away from the custodian's clock ({now_ms}): check the clock and sign a fresh request")]
    StaleRequest {
        /// The request's time.
        time_ms: u64,
        /// The custodian's time.
        now_ms: u64,
        /// The allowed skew.
        skew_secs: u64,
    },
    /// The uploaded blob's SHA-256 is not the hash in the path.
    #[error("the blob's SHA-256 is 0x{}, not the hash in the path", hex::encode(.actual))]
    HashMismatch {
        /// SHA-256 of the uploaded bytes.
        actual: [u8; 32],
    },
    /// No blob with that hash.
    #[error("no blob with this content hash is stored here")]
    BlobNotFound,
    /// No such record on chain.
    #[error("record {0} does not exist in the records contract")]
    RecordNotFound(u64),
    /// A key deposit signed by someone other than the record's author.
    #[error("record {0} was registered by another account: only its author deposits its key")]
    NotAuthor(u64),
    /// A key deposit for a content hash other than the record's.
    #[error("record {0} has another content hash on chain: deposit the key of the blob it registers")]
    RecordHashDiffers(u64),
    /// Another key is already held for the record.
    #[error("another key is already held for record {0}")]
    KeyExists(u64),
    /// No key was deposited for the record.
    #[error("no key was deposited for record {0}: its author deposits it after registering")]
    KeyNotFound(u64),
    /// The record was erased: its key and blob are destroyed.
    #[error("record {0} was erased: its key and blob are destroyed")]
    RecordErased(u64),
    /// The cited block is unknown.
    #[error("the cited block is unknown to the custodian's node")]
    BlockNotFound,
    /// The cited block is not finalized yet.
    #[error("the cited block is not finalized yet: retry after finality")]
    BlockNotFinalized,
    /// The cited block holds no open of this record by this reader.
    #[error("the cited block holds no open of record {0} by the reader: cite the block of your records.open")]
    OpenNotFound(u64),
    /// The cited open is older than the release window.
    #[error("the cited open is older than the release window of {window_secs} s: open the record again")]
    OpenTooOld {
        /// The release window.
        window_secs: u64,
    },
    /// Every open of this record by this reader in that block was released already.
    #[error(
        "every open of record {0} by the reader in that block was released already: a second read is a second open"
    )]
    AlreadyReleased(u64),
    /// The custodian cannot reach its node.
    #[error("the custodian cannot reach its node: retry later")]
    ChainUnavailable,
    /// Anything else; the detail is logged, not answered.
    #[error("internal error of the custodian (logged)")]
    Internal,
}

impl ApiError {
    /// The stable code of the specification's error table.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedRequest(_) => "malformed_request",
            ApiError::BodyTooLarge { .. } => "body_too_large",
            ApiError::BadSignature => "bad_signature",
            ApiError::StaleRequest { .. } => "stale_request",
            ApiError::HashMismatch { .. } => "hash_mismatch",
            ApiError::BlobNotFound => "blob_not_found",
            ApiError::RecordNotFound(_) => "record_not_found",
            ApiError::NotAuthor(_) => "not_author",
            ApiError::RecordHashDiffers(_) => "record_hash_differs",
            ApiError::KeyExists(_) => "key_exists",
            ApiError::KeyNotFound(_) => "key_not_found",
            ApiError::RecordErased(_) => "record_erased",
            ApiError::BlockNotFound => "block_not_found",
            ApiError::BlockNotFinalized => "block_not_finalized",
            ApiError::OpenNotFound(_) => "open_not_found",
            ApiError::OpenTooOld { .. } => "open_too_old",
            ApiError::AlreadyReleased(_) => "already_released",
            ApiError::ChainUnavailable => "chain_unavailable",
            ApiError::Internal => "internal",
        }
    }

    /// The HTTP status of the specification's error table.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedRequest(_) | ApiError::StaleRequest { .. } | ApiError::HashMismatch { .. } => {
                StatusCode::BAD_REQUEST
            }
            ApiError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadSignature => StatusCode::UNAUTHORIZED,
            ApiError::NotAuthor(_) | ApiError::OpenNotFound(_) | ApiError::OpenTooOld { .. } => StatusCode::FORBIDDEN,
            ApiError::BlobNotFound
            | ApiError::RecordNotFound(_)
            | ApiError::KeyNotFound(_)
            | ApiError::BlockNotFound => StatusCode::NOT_FOUND,
            ApiError::RecordHashDiffers(_)
            | ApiError::KeyExists(_)
            | ApiError::BlockNotFinalized
            | ApiError::AlreadyReleased(_) => StatusCode::CONFLICT,
            ApiError::RecordErased(_) => StatusCode::GONE,
            ApiError::ChainUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::chain_view::ChainError> for ApiError {
    fn from(error: crate::chain_view::ChainError) -> Self {
        tracing::warn!("chain view: {error}");
        ApiError::ChainUnavailable
    }
}

impl From<crate::keys::KeyStoreError> for ApiError {
    fn from(error: crate::keys::KeyStoreError) -> Self {
        tracing::error!("key store: {error}");
        ApiError::Internal
    }
}

impl From<crate::blobs::BlobError> for ApiError {
    fn from(error: crate::blobs::BlobError) -> Self {
        tracing::error!("blob store: {error}");
        ApiError::Internal
    }
}
