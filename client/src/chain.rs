//! The chain: a node of a Substrate contracts chain (pallet-contracts), reached over subxt 0.35.
//!
//! API:
//! - [`Chain::connect`], [`Chain::genesis`], [`Chain::finalized_head`], [`Chain::block_hash`], [`Chain::block`]:
//!   blocks, their timestamps and finality.
//! - [`Chain::records_events`]: the records contract's events in a block, each with its index among all the block's
//!   events (a disclosure entry is identified by (block hash, event index)).
//! - [`Chain::finalized_blocks`]: every finalized block from a height on, forever (backfill, then follow).
//! - [`Chain::query`]: dry-run a contract message at the finalized head (nothing is signed, nothing is written, no
//!   event can be cited).
//! - [`Chain::call`]: a signed contract call: dry run for gas and storage deposit limit, submit, wait until
//!   finalized and successful; a refusal comes back as [`ClientError::Contract`] with the records contract's error.
//! - [`records`]: the records contract's messages, typed ([`records::record`], [`records::register`],
//!   [`records::open`], [`records::erase`], [`records::disclosures`], [`records::can_open`]).
//!
//! Contract refusals are decoded as the records contract's `Error` (the only contract this client calls); a revert
//! that does not decode as one comes back as [`ClientError::Reverted`].

pub mod records;

use std::time::Duration;

use futures::{Stream, StreamExt};
use healthchain_format::{Account, Hash};
use ink::env::Event as _;
use interfaces::events::records::{RecordEnteredInError, RecordErased, RecordOpened, RecordRegistered};
use scale::{Decode, DecodeAll, Encode};
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    dynamic::Value,
    utils::H256,
    OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

use crate::error::{ClientError, Result};

/// How long [`Chain::call`] waits for its transaction to be finalized.
pub const FINALITY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long one node request may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The margin added to the dry run's gas: the call is submitted with `gas_required * (100 + GAS_MARGIN_PERCENT) / 100`.
pub const GAS_MARGIN_PERCENT: u64 = 20;

/// A block by number and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockRef {
    /// The block's height.
    pub number: u32,
    /// The block's hash.
    pub hash: Hash,
}

/// What [`Chain::block`] knows of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockInfo {
    /// The block's height.
    pub number: u32,
    /// The block's hash.
    pub hash: Hash,
    /// Its timestamp (pallet Timestamp's `Now`), ms since the Unix epoch.
    pub timestamp_ms: u64,
    /// True when the block is at or below the finalized head and is the canonical block at its height.
    pub finalized: bool,
}

/// A `Contracts::ContractEmitted` event: the emitting contract, the event's topics and its SCALE data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    /// The contract that emitted it.
    pub contract: Account,
    /// The event's topics; for an ink! 5 event the first is its signature topic.
    pub topics: Vec<Hash>,
    /// The event, SCALE encoded.
    pub data: Vec<u8>,
}

/// An event of the records contract, decoded with the types the contract emits (`interfaces::events::records`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordsEvent {
    /// A record pointer was registered.
    Registered(RecordRegistered),
    /// The author marked a record entered in error.
    EnteredInError(RecordEnteredInError),
    /// A record was opened: one entry of the patient's accounting of disclosures.
    Opened(RecordOpened),
    /// The patient erased a record.
    Erased(RecordErased),
}

impl RecordsEvent {
    /// Decodes `event` when its signature topic is one of the four records events; `Ok(None)` for any other event
    /// (the governance events, say). The caller checks that `event.contract` is the records contract.
    pub fn decode(event: &ContractEvent) -> Result<Option<RecordsEvent>> {
        let Some(signature) = event.topics.first() else { return Ok(None) };
        let signature = Some(*signature);
        let decoded = if signature == RecordRegistered::SIGNATURE_TOPIC {
            RecordsEvent::Registered(decode_event(&event.data, "a RecordRegistered event")?)
        } else if signature == RecordEnteredInError::SIGNATURE_TOPIC {
            RecordsEvent::EnteredInError(decode_event(&event.data, "a RecordEnteredInError event")?)
        } else if signature == RecordOpened::SIGNATURE_TOPIC {
            RecordsEvent::Opened(decode_event(&event.data, "a RecordOpened event")?)
        } else if signature == RecordErased::SIGNATURE_TOPIC {
            RecordsEvent::Erased(decode_event(&event.data, "a RecordErased event")?)
        } else {
            return Ok(None);
        };
        Ok(Some(decoded))
    }
}

fn decode_event<E: Decode>(data: &[u8], what: &'static str) -> Result<E> {
    E::decode_all(&mut &data[..]).map_err(|error| ClientError::Decode { what, reason: error.to_string() })
}

/// A finalized, successful transaction: its block and the contract events it emitted, each with its index among all
/// the block's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The (finalized) block holding the transaction.
    pub block: BlockRef,
    /// The transaction's `ContractEmitted` events, with their index among the block's events.
    pub events: Vec<(u32, ContractEvent)>,
}

impl Included {
    /// The transaction's events of the records contract at `records`, decoded, with their indexes.
    pub fn records_events(&self, records: &Account) -> Result<Vec<(u32, RecordsEvent)>> {
        let mut out = Vec::new();
        for (index, event) in self.events.iter().filter(|(_, event)| &event.contract == records) {
            if let Some(decoded) = RecordsEvent::decode(event)? {
                out.push((*index, decoded));
            }
        }
        Ok(out)
    }
}

/// A connection to a node.
#[derive(Clone)]
pub struct Chain {
    client: OnlineClient<PolkadotConfig>,
    rpc: LegacyRpcMethods<PolkadotConfig>,
    genesis: Hash,
}

impl core::fmt::Debug for Chain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Chain").field("genesis", &healthchain_format::hex0x::encode(&self.genesis)).finish()
    }
}

impl Chain {
    /// Connects to the node at `url` (`ws://` only on localhost; `wss://` anywhere) and reads its metadata.
    pub async fn connect(url: &str) -> Result<Chain> {
        let connect_error =
            |error: subxt::Error| ClientError::Connect { url: url.to_owned(), reason: one_line(&error) };
        let connecting = async {
            let rpc_client = RpcClient::from_url(url).await.map_err(connect_error)?;
            let client =
                OnlineClient::<PolkadotConfig>::from_rpc_client(rpc_client.clone()).await.map_err(connect_error)?;
            Ok::<_, ClientError>((client, LegacyRpcMethods::new(rpc_client)))
        };
        let (client, rpc) = tokio::time::timeout(REQUEST_TIMEOUT, connecting)
            .await
            .map_err(|_| ClientError::Connect { url: url.to_owned(), reason: "no answer in time".into() })??;
        let genesis = client.genesis_hash().0;
        Ok(Chain { client, rpc, genesis })
    }

    /// The chain's genesis hash (half of a custodian's binding).
    pub fn genesis(&self) -> Hash {
        self.genesis
    }

    /// The subxt client, for what this API does not cover.
    pub fn client(&self) -> &OnlineClient<PolkadotConfig> {
        &self.client
    }

    /// The latest finalized block.
    pub async fn finalized_head(&self) -> Result<BlockRef> {
        let hash = timed(self.rpc.chain_get_finalized_head()).await?;
        let number = self
            .header_number(hash)
            .await?
            .ok_or_else(|| ClientError::Rpc("the finalized head has no header".into()))?;
        Ok(BlockRef { number, hash: hash.0 })
    }

    /// The canonical block hash at height `number` (None above the best block).
    pub async fn block_hash(&self, number: u32) -> Result<Option<Hash>> {
        let hash = timed(self.rpc.chain_get_block_hash(Some(number.into()))).await?;
        Ok(hash.map(|hash| hash.0))
    }

    /// The block's number, timestamp and whether it is finalized; None if the node does not know the block.
    pub async fn block(&self, hash: Hash) -> Result<Option<BlockInfo>> {
        let Some(number) = self.header_number(H256(hash)).await? else { return Ok(None) };
        let finalized = self.finalized_head().await?;
        let canonical = self.block_hash(number).await?;
        let timestamp_ms = self.timestamp(hash).await?;
        Ok(Some(BlockInfo {
            number,
            hash,
            timestamp_ms,
            finalized: number <= finalized.number && canonical == Some(hash),
        }))
    }

    /// The records contract's events in block `block`, each with its index among all the block's events. Events of
    /// other contracts and the records contract's other events (governance) are left out.
    pub async fn records_events(&self, block: Hash, records: Account) -> Result<Vec<(u32, RecordsEvent)>> {
        let events = timed(self.client.events().at(H256(block))).await?;
        let mut out = Vec::new();
        for event in events.iter() {
            let event = event.map_err(subxt_error)?;
            let Some(emitted) = contract_event(&event)? else { continue };
            if emitted.contract != records {
                continue;
            }
            if let Some(decoded) = RecordsEvent::decode(&emitted)? {
                out.push((event.index(), decoded));
            }
        }
        Ok(out)
    }

    /// The finalized blocks from height `from` on, in order, forever: first those finalized already (by number),
    /// then each newly finalized one (filling the gaps when finality jumps several blocks). The stream ends after
    /// yielding an error.
    pub fn finalized_blocks(&self, from: u32) -> impl Stream<Item = Result<BlockRef>> + Send + 'static {
        struct State {
            chain: Chain,
            next: u32,
            finalized: Option<u32>,
            heads: Option<futures::stream::BoxStream<'static, Result<u32>>>,
            failed: bool,
        }
        let state = State { chain: self.clone(), next: from, finalized: None, heads: None, failed: false };
        futures::stream::unfold(state, |mut state| async move {
            if state.failed {
                return None;
            }
            let result = async {
                loop {
                    let known = match state.finalized {
                        Some(known) => known,
                        None => {
                            let head = state.chain.finalized_head().await?;
                            state.finalized = Some(head.number);
                            head.number
                        }
                    };
                    if state.next <= known {
                        let number = state.next;
                        let hash = state.chain.block_hash(number).await?.ok_or_else(|| {
                            ClientError::Rpc(format!("the node has no block at finalized height {number}"))
                        })?;
                        state.next = number.saturating_add(1);
                        return Ok(BlockRef { number, hash });
                    }
                    if state.heads.is_none() {
                        let subscription =
                            state.chain.client.blocks().subscribe_finalized().await.map_err(subxt_error)?;
                        state.heads = Some(
                            subscription.map(|block| block.map(|block| block.number()).map_err(subxt_error)).boxed(),
                        );
                    }
                    let heads = state.heads.as_mut().ok_or_else(|| ClientError::Rpc("no subscription".into()))?;
                    match heads.next().await {
                        Some(number) => state.finalized = Some(number?.max(known)),
                        None => return Err(ClientError::Rpc("the node ended the finalized-heads subscription".into())),
                    }
                }
            }
            .await;
            state.failed = result.is_err();
            Some((result, state))
        })
    }

    /// Dry-runs a contract message at the finalized head as `origin` and decodes its answer as `R`, the message's
    /// return type (for a message returning `Result<T, Error>` a refusal comes back as [`ClientError::Contract`]).
    /// Nothing is signed or written, and no event of it can be cited.
    pub async fn query<R: Decode>(&self, origin: Account, contract: Account, input: Vec<u8>) -> Result<R> {
        let head = timed(self.rpc.chain_get_finalized_head()).await?;
        let dry = self.dry_run(origin, contract, input, Some(head)).await?;
        decode_return(&dry.returned)
    }

    /// Signed call of a contract message: dry-runs it for the gas (plus [`GAS_MARGIN_PERCENT`]) and the storage
    /// deposit limit, submits `Contracts.call`, and waits until its block is finalized and the call succeeded. A
    /// message the contract refuses is not submitted: it comes back as [`ClientError::Contract`].
    pub async fn call(&self, signer: &Keypair, contract: Account, input: Vec<u8>) -> Result<Included> {
        let origin = signer.public_key().0;
        let dry = self.dry_run(origin, contract, input.clone(), None).await?;
        if let Returned::Reverted(data) = &dry.returned {
            return Err(refusal(data));
        }
        let gas = dry.gas_required.with_margin();
        let deposit_limit = match dry.storage_deposit {
            StorageDeposit::Charge(amount) => amount,
            StorageDeposit::Refund(_) => 0,
        };
        let tx = subxt::dynamic::tx(
            "Contracts",
            "call",
            vec![
                Value::unnamed_variant("Id", [Value::from_bytes(contract)]),
                Value::u128(0),
                Value::named_composite([
                    ("ref_time", Value::u128(gas.ref_time.into())),
                    ("proof_size", Value::u128(gas.proof_size.into())),
                ]),
                Value::unnamed_variant("Some", [Value::u128(deposit_limit)]),
                Value::from_bytes(input),
            ],
        );
        // The next nonce as the node sees it, pool included: subxt's default reads it at the finalized head, which
        // is behind while the signer's earlier transactions wait for finality ("Transaction is outdated").
        let nonce = timed(self.rpc.system_account_next_index(&subxt::utils::AccountId32(origin))).await?;
        let params =
            subxt::config::polkadot::PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
        let progress = timed(self.client.tx().sign_and_submit_then_watch(&tx, signer, params)).await?;
        let in_block = tokio::time::timeout(FINALITY_TIMEOUT, progress.wait_for_finalized())
            .await
            .map_err(|_| ClientError::NotFinalized(format!("no finality within {} s", FINALITY_TIMEOUT.as_secs())))?
            .map_err(|error| match error {
                subxt::Error::Transaction(error) => ClientError::NotFinalized(error.to_string()),
                error => subxt_error(error),
            })?;
        let block_hash = in_block.block_hash();
        let events = in_block.wait_for_success().await.map_err(subxt_error)?;
        let number = self
            .header_number(block_hash)
            .await?
            .ok_or_else(|| ClientError::Rpc("the node does not know the block it finalized".into()))?;
        let mut emitted = Vec::new();
        for event in events.iter() {
            let event = event.map_err(subxt_error)?;
            if let Some(contract_event) = contract_event(&event)? {
                emitted.push((event.index(), contract_event));
            }
        }
        Ok(Included { block: BlockRef { number, hash: block_hash.0 }, events: emitted })
    }

    /// `ContractsApi_call` (the runtime API a dry run is) at `at` (None: the best block).
    async fn dry_run(&self, origin: Account, dest: Account, input: Vec<u8>, at: Option<H256>) -> Result<DryRun> {
        let request = CallRequest { origin, dest, value: 0, gas_limit: None, storage_deposit_limit: None, input };
        let bytes = timed(self.rpc.state_call("ContractsApi_call", Some(&request.encode()), at)).await?;
        let result = ContractResult::decode(&mut &bytes[..])
            .map_err(|error| ClientError::Decode { what: "the dry run's ContractResult", reason: error.to_string() })?;
        let metadata = self.client.metadata();
        result.into_dry_run(&|index, error| module_error_name(&metadata, index, error))
    }

    async fn header_number(&self, hash: H256) -> Result<Option<u32>> {
        Ok(timed(self.rpc.chain_get_header(Some(hash))).await?.map(|header| header.number))
    }

    /// pallet Timestamp's `Now` in block `hash`.
    async fn timestamp(&self, hash: Hash) -> Result<u64> {
        let address = subxt::dynamic::storage("Timestamp", "Now", ());
        let value = timed(self.client.storage().at(H256(hash)).fetch(&address))
            .await?
            .ok_or_else(|| ClientError::Rpc("the block holds no Timestamp.Now".into()))?;
        u64::decode_all(&mut value.encoded())
            .map_err(|error| ClientError::Decode { what: "Timestamp.Now", reason: error.to_string() })
    }
}

/// Runs a node request under [`REQUEST_TIMEOUT`].
async fn timed<T>(request: impl core::future::Future<Output = Result<T, subxt::Error>>) -> Result<T> {
    tokio::time::timeout(REQUEST_TIMEOUT, request)
        .await
        .map_err(|_| ClientError::Rpc(format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())))?
        .map_err(subxt_error)
}

/// A `Contracts::ContractEmitted` event as a [`ContractEvent`]; None for any other event.
fn contract_event(event: &subxt::events::EventDetails<PolkadotConfig>) -> Result<Option<ContractEvent>> {
    if event.pallet_name() != "Contracts" || event.variant_name() != "ContractEmitted" {
        return Ok(None);
    }
    let (contract, data) = <(Account, Vec<u8>)>::decode_all(&mut event.field_bytes())
        .map_err(|error| ClientError::Decode { what: "a ContractEmitted event", reason: error.to_string() })?;
    let topics = event.topics().iter().map(|topic| topic.0).collect();
    Ok(Some(ContractEvent { contract, topics, data }))
}

/// One line for a subxt error.
fn one_line(error: &subxt::Error) -> String {
    error.to_string().replace('\n', " ")
}

/// A subxt error as a [`ClientError`].
pub(crate) fn subxt_error(error: subxt::Error) -> ClientError {
    match error {
        subxt::Error::Runtime(error) => ClientError::Dispatch(error.to_string()),
        subxt::Error::Transaction(error) => ClientError::NotFinalized(error.to_string()),
        subxt::Error::Codec(error) => ClientError::Decode { what: "an answer of the node", reason: error.to_string() },
        subxt::Error::Decode(error) => ClientError::Decode { what: "an answer of the node", reason: error.to_string() },
        error => ClientError::Rpc(one_line(&error)),
    }
}

// ---- the dry run's types (pallet-contracts' `ContractsApi_call`, mirrored as far as needed) ----

/// A weight: pallet-contracts' gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub(crate) struct Weight {
    #[codec(compact)]
    ref_time: u64,
    #[codec(compact)]
    proof_size: u64,
}

impl Weight {
    /// The weight plus [`GAS_MARGIN_PERCENT`].
    fn with_margin(self) -> Weight {
        let grow = |value: u64| value.saturating_add(value / 100 * GAS_MARGIN_PERCENT + GAS_MARGIN_PERCENT);
        Weight { ref_time: grow(self.ref_time), proof_size: grow(self.proof_size) }
    }
}

/// The arguments of `ContractsApi_call`: origin, dest, value, gas limit, storage deposit limit, input.
#[derive(Debug, Encode)]
pub(crate) struct CallRequest {
    origin: Account,
    dest: Account,
    value: u128,
    gas_limit: Option<Weight>,
    storage_deposit_limit: Option<u128>,
    input: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Decode)]
#[cfg_attr(test, derive(Encode))]
pub(crate) enum StorageDeposit {
    Refund(u128),
    Charge(u128),
}

#[derive(Debug, Decode)]
#[cfg_attr(test, derive(Encode))]
pub(crate) struct ExecReturnValue {
    flags: u32,
    data: Vec<u8>,
}

/// `sp_runtime::DispatchError`, as far as needed to name it.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
#[cfg_attr(test, derive(Encode))]
pub(crate) enum DispatchError {
    Other,
    CannotLookup,
    BadOrigin,
    Module {
        index: u8,
        error: [u8; 4],
    },
    ConsumerRemaining,
    NoProviders,
    TooManyConsumers,
    Token(u8),
    Arithmetic(u8),
    Transactional(u8),
    Exhausted,
    Corruption,
    Unavailable,
    RootNotAllowed,
    /// Newer runtimes only.
    Trie(u8),
}

impl DispatchError {
    /// The error's name: `Pallet::Error (its doc)` for a module error as `module_error` names it, the variant
    /// otherwise.
    fn describe(&self, module_error: &dyn Fn(u8, u8) -> Option<String>) -> String {
        match self {
            DispatchError::Module { index, error } => {
                module_error(*index, error[0]).unwrap_or_else(|| format!("module error {index}/{}", error[0]))
            }
            other => format!("{other:?}"),
        }
    }
}

/// The name of pallet `index`'s error `error` in `metadata`: `Pallet::Error (first doc line)`.
fn module_error_name(metadata: &subxt::Metadata, index: u8, error: u8) -> Option<String> {
    let pallet = metadata.pallet_by_index(index)?;
    let variant = pallet.error_variant_by_index(error)?;
    let docs = variant.docs.first().map(|doc| format!(" ({})", doc.trim())).unwrap_or_default();
    Some(format!("{}::{}{docs}", pallet.name(), variant.name))
}

/// `ContractResult<Result<ExecReturnValue, DispatchError>, Balance, EventRecord>` up to its result (the events that
/// follow are not collected by a dry run and are left undecoded).
#[derive(Debug, Decode)]
#[cfg_attr(test, derive(Encode))]
pub(crate) struct ContractResult {
    _gas_consumed: Weight,
    gas_required: Weight,
    storage_deposit: StorageDeposit,
    debug_message: Vec<u8>,
    result: core::result::Result<ExecReturnValue, DispatchError>,
}

/// pallet-contracts' return flag: the contract reverted.
const REVERT: u32 = 1;

/// What a dry run answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Returned {
    /// The message returned these bytes.
    Ok(Vec<u8>),
    /// The message reverted with these bytes.
    Reverted(Vec<u8>),
}

#[derive(Debug)]
pub(crate) struct DryRun {
    gas_required: Weight,
    storage_deposit: StorageDeposit,
    returned: Returned,
}

impl ContractResult {
    fn into_dry_run(self, module_error: &dyn Fn(u8, u8) -> Option<String>) -> Result<DryRun> {
        match self.result {
            Ok(value) => Ok(DryRun {
                gas_required: self.gas_required,
                storage_deposit: self.storage_deposit,
                returned: if value.flags & REVERT != 0 {
                    Returned::Reverted(value.data)
                } else {
                    Returned::Ok(value.data)
                },
            }),
            Err(error) => {
                let debug = String::from_utf8_lossy(&self.debug_message);
                let debug = debug.trim();
                let debug = if debug.is_empty() { String::new() } else { format!(" ({})", debug.replace('\n', " ")) };
                Err(ClientError::Dispatch(format!("{}{debug}", error.describe(module_error))))
            }
        }
    }
}

/// The answer of an ink! message: `R` when it returned, its refusal when it reverted.
pub(crate) fn decode_return<R: Decode>(returned: &Returned) -> Result<R> {
    match returned {
        Returned::Reverted(data) => Err(refusal(data)),
        Returned::Ok(data) => match ink::MessageResult::<R>::decode_all(&mut &data[..]) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(ClientError::Reverted(format!("{error:?}"))),
            Err(error) => Err(ClientError::Decode { what: "the contract's answer", reason: error.to_string() }),
        },
    }
}

/// The error of a reverted ink! message: `Ok(Err(records::Error))` for a refusal, `Err(LangError)` for a call the
/// contract could not dispatch.
pub(crate) fn refusal(data: &[u8]) -> ClientError {
    type Refusal = ink::MessageResult<core::result::Result<(), ::records::errors::Error>>;
    match Refusal::decode_all(&mut &data[..]) {
        Ok(Ok(Err(error))) => ClientError::Contract(error),
        Ok(Err(error)) => ClientError::Reverted(format!("{error:?}")),
        _ => ClientError::Reverted(format!("data 0x{}", hex::encode(data))),
    }
}

#[cfg(test)]
mod tests;
