//! Every user-facing message of the five contracts, each measured once in a state where it succeeds, in an order
//! where each step leaves the state the next needs (the story's order: credentials, consent, records, claims,
//! custody), then the governance messages. The ERC-20 baseline comes first.

mod baseline;
mod claims;
mod consent;
pub mod custody;
mod governance;
mod participants;
mod records;

use core::fmt::Debug;
use healthchain_tests::{Backend, Cast, Env, Suite};
use ink_e2e::ContractsBackend;
use interfaces::RecordId;

use crate::measure::Bench;

pub use baseline::BASELINE;

/// The case of each contract's cheapest message (a getter of one field): the fixed cost of calling that contract.
pub const FLOOR: &str = "the cheapest message: the fixed cost of a call";

/// What the steps share: the deployment, the people and the ids made on the way.
pub struct Ctx {
    pub suite: Suite,
    pub cast: Cast,
    /// The doctor's encounter note for the patient (claims evidence).
    pub note: RecordId,
    /// The doctor's prescription for the patient (custody dispensing).
    pub prescription: RecordId,
    /// The note's creation time: the claims' date of service.
    pub today: u64,
}

/// Deploys (the ERC-20 and the five contracts), then measures every message.
pub async fn run<C: Backend>(b: &mut Bench<'_, C>) -> Ctx
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let cast = Cast::new(b.client).await;
    println!("ERC-20 baseline");
    baseline::run(b, &cast).await;
    let suite = Suite::deploy(b.client, &cast).await;
    let mut ctx = Ctx { suite, cast, note: 0, prescription: 0, today: 0 };
    println!("participants");
    participants::run(b, &ctx).await;
    println!("consent");
    consent::run(b, &ctx).await;
    println!("records");
    records::run(b, &mut ctx).await;
    println!("claims");
    claims::run(b, &ctx).await;
    println!("custody");
    custody::run(b, &ctx).await;
    println!("governance");
    governance::run(b, &ctx).await;
    ctx
}
