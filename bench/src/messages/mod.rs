//! Every user-facing message of the five contracts, each measured once in a state where it succeeds, in an order
//! where each step leaves the state the next needs (the story's order: credentials, consent, records, claims,
//! custody), then the governance messages. The ERC-20 baseline comes first.
//!
//! Each measured message is one call: `b.tx(label, signer, &message)` for one that changes state (dry run, then the
//! transaction), `b.read(label, &message)` for a query; `ok(b.client, ..)` is a setup step, not measured.

mod baseline;
pub mod claims;
mod consent;
pub mod custody;
mod governance;
mod participants;
mod records;

use healthchain_tests::{
    account, expiry_next_year, npi_of, ok, pay, read, Backend, Cast, Message, Suite, COMPANY_PREFIX, FAR_FUTURE, GTIN,
};
use ink::primitives::AccountId;
use interfaces::{Action, ActionSet, ConsentId, DataClass, DataClassSet, Grantee, Provision, Purpose, PurposeSet};
use interfaces::{RecordId, Role};

use crate::measure::Bench;
use crate::report::{Group, Kind, Kind::*, Label};

pub use baseline::BASELINE;

/// The case of each contract's cheapest message (a getter of one field): the fixed cost of calling that contract.
pub const FLOOR: &str = "the cheapest message: the fixed cost of a call";
/// A day in milliseconds.
pub const DAY: u64 = 86_400_000;

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

/// A consent `patient` grants `to`: `actions` for `purpose` on every general data class, from now on, open-ended,
/// its document hash `hash` repeated.
pub fn permit(
    ctx: &Ctx,
    patient: AccountId,
    to: Grantee,
    purpose: Purpose,
    actions: ActionSet,
    hash: u8,
) -> impl Message<Output = ::consent::consent::Result<ConsentId>> {
    let (purposes, classes) = (PurposeSet::of(purpose), DataClassSet::GENERAL);
    ctx.suite.consent().grant(patient, to, Provision::Permit, purposes, classes, actions, 0, None, [hash; 32])
}

/// Deploys (the ERC-20 and the five contracts), then measures every message.
pub async fn run<C: Backend>(b: &mut Bench<'_, C>) -> Ctx {
    let cast = Cast::new(b.client).await;
    println!("ERC-20 baseline");
    baseline::run(b, &cast).await;
    let suite = Suite::deploy(b.client, &cast).await;
    let mut ctx = Ctx { suite, cast, note: 0, prescription: 0, today: 0 };
    participants::run(b, &ctx).await;
    consent::run(b, &ctx).await;
    records::run(b, &mut ctx).await;
    claims::run(b, &ctx).await;
    custody::run(b, &ctx).await;
    governance::run(b, &ctx).await;
    ctx
}
