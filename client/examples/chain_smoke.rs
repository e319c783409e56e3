//! A manual check of the chain module on a development node, without cargo-contract: instantiates the records
//! contract alone (its participants and consent addresses are placeholders: the patient's own register, open and
//! erase never ask them), then registers, reads, opens and erases a record as //Alice through `chain::records`,
//! checking the finalized events, the disclosure log and a refusal.
//!
//!   substrate-contracts-node --dev --tmp --rpc-port 9955 &
//!   cargo run -p healthchain-client --example chain_smoke -- ws://127.0.0.1:9955 <records.wasm>
//!
//! (<records.wasm>: `<target>/release/contracts/records/records.wasm` of scripts/build.sh.) Development chains only.

use healthchain_client::{
    chain::records::{self, Error},
    Chain, ClientError,
};
use interfaces::{Basis, DataClass, Purpose, RecordStatus};
use scale::Encode;
use subxt::dynamic::Value;
use subxt_signer::sr25519::dev;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or_else(|| "ws://127.0.0.1:9955".into());
    let wasm_path = args.next().ok_or("pass the node URL and the path of records.wasm")?;
    let code = std::fs::read(&wasm_path)?;
    let chain = Chain::connect(&url).await?;
    let alice = dev::alice();
    let patient = alice.public_key().0;
    println!("genesis {}", hex::encode(chain.genesis()));

    // Instantiate records(participants, consent) with placeholder addresses.
    let mut data = ink::selector_bytes!("new").to_vec();
    ([1u8; 32], [2u8; 32]).encode_to(&mut data);
    let tx = subxt::dynamic::tx(
        "Contracts",
        "instantiate_with_code",
        vec![
            Value::u128(0),
            Value::named_composite([
                ("ref_time", Value::u128(500_000_000_000)),
                ("proof_size", Value::u128(5_000_000)),
            ]),
            Value::unnamed_variant("None", []),
            Value::from_bytes(code),
            Value::from_bytes(data),
            Value::from_bytes(std::process::id().to_le_bytes()),
        ],
    );
    let events =
        chain.client().tx().sign_and_submit_then_watch_default(&tx, &alice).await?.wait_for_finalized_success().await?;
    let mut records_address = None;
    for event in events.iter() {
        let event = event?;
        if event.pallet_name() == "Contracts" && event.variant_name() == "Instantiated" {
            let (_deployer, contract) = <([u8; 32], [u8; 32]) as scale::Decode>::decode(&mut event.field_bytes())?;
            records_address = Some(contract);
        }
    }
    let records_address = records_address.ok_or("no Instantiated event")?;
    println!("records at {}", hex::encode(records_address));

    let head = chain.finalized_head().await?;
    println!("finalized head #{} {}", head.number, hex::encode(head.hash));
    assert_eq!(chain.block_hash(head.number).await?, Some(head.hash));
    assert_eq!(chain.block_hash(head.number + 1_000_000).await?, None, "no block above the best");
    assert_eq!(chain.block([0xee; 32]).await?, None, "an unknown block is None");

    // register -> record
    let locator = b"https://custodian.example/v1/blobs/0x0101";
    let (id, included) =
        records::register(&chain, &alice, records_address, patient, DataClass::Labs, [1; 32], locator, None).await?;
    println!("registered record {id} in block #{}", included.block.number);
    let record = records::record(&chain, records_address, id).await?.ok_or("the record is not there")?;
    assert_eq!((record.content_hash, record.status, record.class), ([1; 32], RecordStatus::Current, DataClass::Labs));

    // A refusal comes back typed and submits nothing.
    match records::register(&chain, &alice, records_address, patient, DataClass::Labs, [0; 32], locator, None).await {
        Err(ClientError::Contract(Error::EmptyContentHash)) => println!("zero hash refused: EmptyContentHash"),
        other => return Err(format!("expected EmptyContentHash, got {other:?}").into()),
    }

    // open: the finalized RecordOpened, its block and index, matching records_events of that block.
    let opened = records::open(&chain, &alice, records_address, id, Purpose::Treatment).await?;
    println!("opened in block #{} event {} basis {:?}", opened.block.number, opened.event_index, opened.basis);
    assert_eq!(opened.basis, Basis::Patient);
    let info = chain.block(opened.block.hash).await?.ok_or("the open's block is unknown")?;
    assert!(info.finalized, "the open's block is finalized");
    println!("block timestamp {} ms", info.timestamp_ms);
    let in_block = chain.records_events(opened.block.hash, records_address).await?;
    assert!(
        in_block.iter().any(|(index, event)| *index == opened.event_index
            && matches!(event, healthchain_client::RecordsEvent::Opened(o) if o.record == id)),
        "records_events shows the open at its index: {in_block:?}"
    );
    assert_eq!(records::can_open(&chain, records_address, id, patient, Purpose::Treatment).await?, Basis::Patient);
    let page = records::disclosures(&chain, records_address, patient, 0, 10).await?;
    assert_eq!(page.len, 1);
    assert_eq!(page.items[0].record, id);

    // finalized_blocks backfills from an old height.
    use futures::StreamExt;
    let first: Vec<_> = chain.finalized_blocks(1).take(3).collect().await;
    let numbers: Vec<u32> = first.into_iter().map(|block| block.map(|b| b.number)).collect::<Result<_, _>>()?;
    assert_eq!(numbers, vec![1, 2, 3]);

    // erase (while finalized_blocks waits for the next finalized block), then opening is refused.
    let next = chain.finalized_head().await?.number + 1;
    let follower = tokio::spawn(chain.finalized_blocks(next).take(1).collect::<Vec<_>>());
    let erased = records::erase(&chain, &alice, records_address, id).await?;
    println!("erased in block #{}", erased.block.number);
    let followed = tokio::time::timeout(std::time::Duration::from_secs(60), follower).await??;
    let followed = followed.into_iter().next().ok_or("finalized_blocks ended")??;
    assert_eq!((followed.number, followed.hash), (next, chain.block_hash(next).await?.ok_or("no block")?));
    println!("finalized_blocks followed the new head #{}", followed.number);
    match records::open(&chain, &alice, records_address, id, Purpose::Treatment).await {
        Err(ClientError::Contract(Error::Erased)) => println!("open after erasure refused: Erased"),
        other => return Err(format!("expected Erased, got {other:?}").into()),
    }
    println!("chain smoke test passed");
    Ok(())
}
