//! [`ClientError`]: everything the client library and the CLI can fail with, one variant per cause, each message one
//! plain line that says what to do about it where something can be done.

use healthchain_format::FormatError;
use interfaces::RecordId;

/// Why a client operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node could not be reached (or did not answer the handshake).
    #[error("cannot reach the node at {url} ({reason}): start one (e.g. 'substrate-contracts-node --dev') or pass its URL with --node")]
    Connect {
        /// The node URL that was tried.
        url: String,
        /// What the transport said.
        reason: String,
    },
    /// The node failed a request (connection lost, request refused, unexpected answer).
    #[error("the node failed a request: {0}")]
    Rpc(String),
    /// The records contract refused the message, for this reason: nothing changed on chain.
    #[error("the records contract refused: {0:?} ({explained})", explained = explain(.0))]
    Contract(records::errors::Error),
    /// The contract call reverted without one of the records contract's own errors (a trap, an unknown selector, a
    /// contract that is not the records contract).
    #[error("the contract call reverted: {0}; check the records contract address (--records or --deployment)")]
    Reverted(String),
    /// The chain refused or failed the transaction or the dry run (a module error such as Contracts::ContractTrapped,
    /// fees that cannot be paid, ...).
    #[error("the chain refused the call: {0}")]
    Dispatch(String),
    /// The transaction was dropped, found invalid, or not finalized in time.
    #[error("the transaction was not finalized: {0}; check the node is producing and finalizing blocks, then retry")]
    NotFinalized(String),
    /// Bytes from the node or the custodian did not decode as what they should be.
    #[error("cannot decode {what}: {reason}")]
    Decode {
        /// What was being decoded.
        what: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// The custodian answered with an error (`{code, message}` of the HTTP API).
    #[error("the custodian refused ({status} {code}): {message}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The stable error code (`record_erased`, `open_not_found`, ...), or `http_<status>` when the body was not
        /// an error of the API.
        code: String,
        /// The custodian's sentence for people.
        message: String,
    },
    /// The custodian could not be reached or the exchange broke off.
    #[error("cannot reach the custodian at {url} ({reason}): check the URL given with --custodian and that it runs")]
    Unreachable {
        /// The custodian URL that was tried.
        url: String,
        /// What the transport said.
        reason: String,
    },
    /// The custodian serves another chain or another records contract than the one used here.
    #[error("the custodian serves {what} {theirs}, not {ours}: use the custodian of this records contract, or the records contract and node it serves")]
    WrongCustodian {
        /// "the chain with genesis" or "the records contract".
        what: &'static str,
        /// What the custodian serves (0x hex).
        theirs: String,
        /// What this client uses (0x hex).
        ours: String,
    },
    /// A format operation failed (decryption, sealing, a malformed key).
    #[error("{0}")]
    Format(#[from] FormatError),
    /// No record has this id on chain (at the finalized head).
    #[error(
        "record {0} does not exist on chain (at the finalized head): check the record id and the records contract"
    )]
    RecordNotFound(RecordId),
    /// The record was erased: nothing can be read any more.
    #[error("record {0} was erased by its patient: its key and blob are destroyed")]
    RecordErased(RecordId),
    /// The downloaded blob's SHA-256 is not the content hash of the record on chain: the custodian served other bytes.
    #[error("the blob of record {record} does not match its content hash on chain (expected 0x{expected}, got 0x{actual}): do not use it; report the custodian")]
    HashMismatch {
        /// The record.
        record: RecordId,
        /// The content hash on chain (hex).
        expected: String,
        /// The SHA-256 of the downloaded blob (hex).
        actual: String,
    },
    /// The record was registered but its data key could not be deposited with the custodian.
    #[error("record {record} is registered but its key deposit failed ({source}): nobody can read it; erase it ('healthchain erase --record {record}' as the patient) and put the document again")]
    Deposit {
        /// The registered record.
        record: RecordId,
        /// Why the deposit failed.
        source: Box<ClientError>,
    },
    /// A finalized transaction did not emit the event it must emit.
    #[error(
        "the finalized transaction emitted no {0} event of the records contract: check the records contract address"
    )]
    MissingEvent(&'static str),
    /// Bad input from the user (an unparsable account, an unknown name, an oversized document, ...).
    #[error("{0}")]
    Input(String),
    /// Reading or writing a local file failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being read or written, with its path.
        what: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl ClientError {
    /// The stable code of a custodian error (`Http`), if this is one.
    pub fn custodian_code(&self) -> Option<&str> {
        match self {
            ClientError::Http { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// What a records refusal means for the person who met it, and what to do.
pub fn explain(error: &records::errors::Error) -> &'static str {
    use interfaces::Denied;
    use records::errors::Error;
    match error {
        Error::NotAdmin | Error::NotProposedAdmin | Error::UpgradeFailed | Error::NotADependency => {
            "an administration message: sign with the records contract's admin"
        }
        Error::EmptyLocator => "the locator is empty",
        Error::LocatorTooLong => "the locator is too long: use a custodian with a shorter base URL",
        Error::EmptyContentHash => "the content hash is all zeroes",
        Error::RecordNotFound => "no record has this id: check the id and the records contract",
        Error::ReplacedRecordNotFound => "the record to replace does not exist",
        Error::ReplacedRecordOfAnotherPatient => "the record to replace belongs to another patient",
        Error::ReplacedRecordOfAnotherClass => "the record to replace is of another data class",
        Error::ReplacedRecordNotCurrent => "the record to replace is not current",
        Error::NotAuthorOfReplaced => {
            "only the author of the record to replace may supersede it: sign with its author's key, or register a new record without replaces"
        }
        Error::NotAuthor => "only the record's author may do this: sign with the author's key",
        Error::NotPatient => "only the record's patient may do this: sign with the patient's key",
        Error::Erased => "the record was erased by its patient: nothing can be read any more",
        Error::AlreadyErased => "the record was erased already",
        Error::EnteredInError => "the record is entered in error: only its patient may still open it",
        Error::RoleNotHeld(_) => "the signer lacks the credential this purpose needs: ask an issuer for it, or use another purpose",
        Error::Denied(Denied::NoConsent) => "the patient has given no consent for this: ask the patient for one",
        Error::Denied(Denied::DeniedByConsent(_)) => "a consent of the patient forbids this",
        Error::Denied(Denied::Expired(_)) => "the consent that allowed this has ended: ask the patient to renew it",
        Error::Denied(Denied::NotYetValid(_)) => "the consent that allows this starts later: retry then",
        Error::Denied(Denied::Revoked(_)) => "the patient revoked the consent that allowed this",
        Error::Denied(_) => "the consent contract refused",
        Error::ParticipantsUnreachable | Error::ConsentUnreachable => {
            "the records contract could not ask the participants or consent contract: tell the contracts' admin (its wiring is broken)"
        }
        Error::Overflow => "a counter of the contract would overflow: tell the contracts' admin",
    }
}

/// The client's result type.
pub type Result<T, E = ClientError> = core::result::Result<T, E>;
