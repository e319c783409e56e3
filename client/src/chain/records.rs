//! The records contract's messages, typed: each message's selector and SCALE arguments ([`input`]), and calls that
//! decode its answer, its refusals ([`ClientError::Contract`]) and the events it emits.
//!
//! Reads ([`record`], [`disclosures`], [`can_open`]) are dry runs at the finalized head; writes ([`register`],
//! [`open`], [`erase`]) are signed transactions that return once finalized.

use healthchain_format::{Account, Hash};
use interfaces::{AccountId, Basis, DataClass, Page, Purpose, RecordId};
use scale::Encode;
use subxt_signer::sr25519::Keypair;

pub use ::records::{
    errors::Error,
    types::{Disclosure, Record},
};

use super::{BlockRef, Chain, Included, RecordsEvent};
use crate::error::{ClientError, Result};

/// The selectors and argument encodings of the messages this client sends, checked against the contract's metadata
/// in the tests.
pub mod input {
    use super::*;

    /// `register(patient, class, content_hash, locator, replaces)`.
    pub const REGISTER: [u8; 4] = ink::selector_bytes!("register");
    /// `open(record, purpose)`.
    pub const OPEN: [u8; 4] = ink::selector_bytes!("open");
    /// `erase(record)`.
    pub const ERASE: [u8; 4] = ink::selector_bytes!("erase");
    /// `record(id)`.
    pub const RECORD: [u8; 4] = ink::selector_bytes!("record");
    /// `disclosures(patient, from, limit)`.
    pub const DISCLOSURES: [u8; 4] = ink::selector_bytes!("disclosures");
    /// `can_open(record, accessor, purpose)`.
    pub const CAN_OPEN: [u8; 4] = ink::selector_bytes!("can_open");

    fn with_args(selector: [u8; 4], args: impl Encode) -> Vec<u8> {
        let mut bytes = selector.to_vec();
        args.encode_to(&mut bytes);
        bytes
    }

    /// The input of `register`.
    pub fn register(
        patient: Account,
        class: DataClass,
        content_hash: Hash,
        locator: &[u8],
        replaces: Option<RecordId>,
    ) -> Vec<u8> {
        with_args(REGISTER, (AccountId::from(patient), class, content_hash, locator, replaces))
    }

    /// The input of `open`.
    pub fn open(record: RecordId, purpose: Purpose) -> Vec<u8> {
        with_args(OPEN, (record, purpose))
    }

    /// The input of `erase`.
    pub fn erase(record: RecordId) -> Vec<u8> {
        with_args(ERASE, record)
    }

    /// The input of `record`.
    pub fn record(id: RecordId) -> Vec<u8> {
        with_args(RECORD, id)
    }

    /// The input of `disclosures`.
    pub fn disclosures(patient: Account, from: u64, limit: u32) -> Vec<u8> {
        with_args(DISCLOSURES, (AccountId::from(patient), from, limit))
    }

    /// The input of `can_open`.
    pub fn can_open(record: RecordId, accessor: Account, purpose: Purpose) -> Vec<u8> {
        with_args(CAN_OPEN, (record, AccountId::from(accessor), purpose))
    }
}

/// A finalized `open`: the block holding it and the index of its `RecordOpened` among the block's events (the
/// disclosure entry a release request cites), and the basis the contract allowed it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The finalized block holding the open.
    pub block: BlockRef,
    /// The index of the `RecordOpened` among the block's events.
    pub event_index: u32,
    /// Why the contract allowed it (Patient, Author, Consent, Emergency).
    pub basis: Basis,
}

/// The record `id` at the finalized head (None if there is none).
pub async fn record(chain: &Chain, records: Account, id: RecordId) -> Result<Option<Record>> {
    chain.query(records, records, input::record(id)).await
}

/// A page of `patient`'s accounting of disclosures, oldest first (at most `interfaces::MAX_PAGE` entries).
pub async fn disclosures(
    chain: &Chain,
    records: Account,
    patient: Account,
    from: u64,
    limit: u32,
) -> Result<Page<Disclosure>> {
    chain.query(records, records, input::disclosures(patient, from, limit)).await
}

/// The basis `open` would be allowed on for `accessor`, or its refusal; nothing is logged.
pub async fn can_open(
    chain: &Chain,
    records: Account,
    id: RecordId,
    accessor: Account,
    purpose: Purpose,
) -> Result<Basis> {
    chain
        .query::<core::result::Result<Basis, Error>>(records, records, input::can_open(id, accessor, purpose))
        .await?
        .map_err(ClientError::Contract)
}

/// Dry-runs `register` as `author` (at the finalized head): its refusal, if the contract would refuse it now. Nothing
/// is signed or written.
#[allow(clippy::too_many_arguments)]
pub async fn check_register(
    chain: &Chain,
    author: Account,
    records: Account,
    patient: Account,
    class: DataClass,
    content_hash: Hash,
    locator: &[u8],
    replaces: Option<RecordId>,
) -> Result<()> {
    let input = input::register(patient, class, content_hash, locator, replaces);
    chain
        .query::<core::result::Result<RecordId, Error>>(author, records, input)
        .await?
        .map(|_| ())
        .map_err(ClientError::Contract)
}

/// Registers a record pointer signed by `signer` (the author) and returns its id (read from the finalized
/// `RecordRegistered` event) with the transaction.
#[allow(clippy::too_many_arguments)]
pub async fn register(
    chain: &Chain,
    signer: &Keypair,
    records: Account,
    patient: Account,
    class: DataClass,
    content_hash: Hash,
    locator: &[u8],
    replaces: Option<RecordId>,
) -> Result<(RecordId, Included)> {
    let included =
        chain.call(signer, records, input::register(patient, class, content_hash, locator, replaces)).await?;
    let author = AccountId::from(signer.public_key().0);
    let id = included
        .records_events(&records)?
        .into_iter()
        .find_map(|(_, event)| match event {
            RecordsEvent::Registered(event) if event.author == author && event.patient == AccountId::from(patient) => {
                Some(event.record)
            }
            _ => None,
        })
        .ok_or(ClientError::MissingEvent("RecordRegistered"))?;
    Ok((id, included))
}

/// Opens record `id` for `purpose` as `signer` (the reader) and returns once the open is finalized, with the block
/// and event index a release request cites.
pub async fn open(chain: &Chain, signer: &Keypair, records: Account, id: RecordId, purpose: Purpose) -> Result<Opened> {
    let included = chain.call(signer, records, input::open(id, purpose)).await?;
    let reader = AccountId::from(signer.public_key().0);
    included
        .records_events(&records)?
        .into_iter()
        .find_map(|(event_index, event)| match event {
            RecordsEvent::Opened(event) if event.record == id && event.accessor == reader => {
                Some(Opened { block: included.block, event_index, basis: event.basis })
            }
            _ => None,
        })
        .ok_or(ClientError::MissingEvent("RecordOpened"))
}

/// Erases record `id` as `signer` (its patient) and returns once finalized; the custodian shreds its key and blob
/// when it sees the finalized `RecordErased`.
pub async fn erase(chain: &Chain, signer: &Keypair, records: Account, id: RecordId) -> Result<Included> {
    let included = chain.call(signer, records, input::erase(id)).await?;
    let erased = included
        .records_events(&records)?
        .iter()
        .any(|(_, event)| matches!(event, RecordsEvent::Erased(event) if event.record == id));
    if !erased {
        return Err(ClientError::MissingEvent("RecordErased"));
    }
    Ok(included)
}
