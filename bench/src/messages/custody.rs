//! custody: products, batches, serialised units and their moves. Registering, creating a batch, commissioning and
//! shipping ask participants (has_role / roles_of); dispensing asks participants and, with a prescription, records
//! (summary); a regulator's steps ask participants for the Regulator role.

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env, FAR_FUTURE};
use ink_e2e::ContractsBackend;

use custody::custody::DecommissionReason;

use super::Ctx;
use crate::measure::{Bench, Kind, Label};

pub const GTIN: &str = "00312345678906";
pub const EXPIRY: u64 = FAR_FUTURE - 1;

fn label(message: &'static str, case: &str, kind: Kind) -> Label {
    Label::new("custody", message, case, kind)
}

fn serials(prefix: &str, count: u32) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i:05}")).collect()
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let c = || suite.custody();
    let (manufacturer, distributor, pharmacy) = (&cast.manufacturer, &cast.distributor, &cast.pharmacy);

    let register = c().register_product(GTIN.into(), [0xAB; 32]);
    b.tx(label("register_product", "by a manufacturer: has_role", Kind::Cross), manufacturer, &register).await;
    let create = c().create_batch(GTIN.into(), "LOT-A".into(), EXPIRY);
    let batch = b
        .tx(label("create_batch", "by the product's manufacturer: has_role", Kind::Cross), manufacturer, &create)
        .await;
    let commission = c().commission(batch, vec!["SN-A-00001".into()]);
    let (u1, _) = b.tx(label("commission", "1 serial: has_role", Kind::Cross), manufacturer, &commission).await;
    let (u2, _) = b.run(manufacturer, &c().commission(batch, serials("SN-B-", 4))).await;
    let (u3, u4, u5) = (u2 + 1, u2 + 2, u2 + 3);

    let ship = c().ship(vec![u1], account(distributor));
    b.tx(label("ship", "1 unit, manufacturer to distributor: roles_of x2", Kind::Cross), manufacturer, &ship).await;
    b.tx(label("receive", "1 unit, by the recipient", Kind::Single), distributor, &c().receive(vec![u1])).await;
    b.run(manufacturer, &c().ship(vec![u2], account(distributor))).await;
    b.tx(label("void_shipment", "1 unit, by the shipper", Kind::Single), manufacturer, &c().void_shipment(vec![u2]))
        .await;
    b.run(distributor, &c().ship(vec![u1], account(pharmacy))).await;
    b.run(pharmacy, &c().receive(vec![u1])).await;
    let dispense = c().dispense(u1, account(&cast.patient), Some(ctx.prescription));
    b.tx(label("dispense", "with a prescription: has_role + summary", Kind::Cross), pharmacy, &dispense).await;
    b.tx(
        label("decommission", "damaged, by the owner", Kind::Single),
        manufacturer,
        &c().decommission(u3, DecommissionReason::Damaged),
    )
    .await;
    b.tx(label("flag_suspect", "by the owner", Kind::Single), manufacturer, &c().flag_suspect(u4, [40; 32])).await;
    b.tx(label("clear_suspect", "by a regulator: has_role", Kind::Cross), &cast.regulator, &c().clear_suspect(u4))
        .await;
    b.tx(
        label("flag_suspect", "by a regulator: has_role", Kind::Cross),
        &cast.regulator,
        &c().flag_suspect(u5, [41; 32]),
    )
    .await;
    let illegitimate = c().declare_illegitimate(u5);
    b.tx(label("declare_illegitimate", "by a regulator: has_role", Kind::Cross), &cast.regulator, &illegitimate).await;
    let batch_b = b.run(manufacturer, &c().create_batch(GTIN.into(), "LOT-B".into(), EXPIRY)).await;
    b.tx(label("recall", "by the batch's manufacturer", Kind::Single), manufacturer, &c().recall(batch_b, [50; 32]))
        .await;
    let batch_c = b.run(manufacturer, &c().create_batch(GTIN.into(), "LOT-C".into(), EXPIRY)).await;
    b.tx(label("recall", "by a regulator: has_role", Kind::Cross), &cast.regulator, &c().recall(batch_c, [51; 32]))
        .await;

    let verify = c().verify(GTIN.into(), "SN-B-00000".into(), "LOT-A".into(), EXPIRY);
    let answer = b.read(label("verify", "an authentic unit", Kind::Single), &cast.admin, &verify).await;
    assert!(answer.authentic, "verify: {answer:?}");
    let trail =
        b.read(label("trail", "a page of 10 (6 entries)", Kind::Single), &cast.admin, &c().trail(u1, 0, 10)).await;
    assert_eq!(trail.items.len(), 6);
    b.read(label("unit", "", Kind::Single), &cast.admin, &c().unit(u1)).await;
    b.read(label("disposition", "", Kind::Single), &cast.admin, &c().disposition(u1)).await;
    b.read(label("product", "", Kind::Single), &cast.admin, &c().product(GTIN.into())).await;
    b.read(label("batch", "", Kind::Single), &cast.admin, &c().batch(batch)).await;
    b.read(label("batch_id", "", Kind::Single), &cast.admin, &c().batch_id(GTIN.into(), "LOT-A".into())).await;
    b.read(label("unit_id", "", Kind::Single), &cast.admin, &c().unit_id(GTIN.into(), "SN-A-00001".into())).await;
    b.read(label("admin", super::FLOOR, Kind::Single), &cast.admin, &c().admin()).await;

    // Input size: serials per commission and units per move, up to MAX_PER_CALL (100).
    for count in [10u32, 50, 100] {
        let message = c().commission(batch, serials(&format!("SN-C{count}-"), count));
        let (first, _) = b
            .tx(
                label("commission", &format!("{count} serials"), Kind::Cross).items("serials", count),
                manufacturer,
                &message,
            )
            .await;
        let units: Vec<u64> = (first..first + u64::from(count)).collect();
        let ship = c().ship(units.clone(), account(distributor));
        let shipped = b
            .try_tx(label("ship", &format!("{count} units"), Kind::Cross).items("units", count), manufacturer, &ship)
            .await;
        if shipped.is_some() {
            let receive = c().receive(units);
            b.try_tx(
                label("receive", &format!("{count} units"), Kind::Single).items("units", count),
                distributor,
                &receive,
            )
            .await;
        }
    }
}
