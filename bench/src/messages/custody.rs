//! custody: products, batches, serialised units and their moves. Registering asks participants `holds_gtin` (the
//! caller's credential and GS1 Company Prefix); creating a batch, commissioning and shipping ask participants
//! (has_role / roles_of); receiving asks the recipient's roles again; registering a prescription asks records
//! (summary) and participants (has_role); dispensing asks participants; a regulator's steps ask participants for
//! the Regulator role.

use ::custody::types::DecommissionReason;

use super::*;

fn serials(prefix: &str, count: u32) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i:05}")).collect()
}

/// A GS1 AI(17) expiry ahead of the chain's clock (the end of next year).
pub fn expiry(ctx: &Ctx) -> String {
    expiry_next_year(ctx.today)
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (c, cast) = (|| ctx.suite.custody(), &ctx.cast);
    let l = |message, case: &str, kind| Label::new("custody", message, case, kind);
    let (manufacturer, distributor, pharmacy) = (&cast.manufacturer, &cast.distributor, &cast.pharmacy);
    let regulator = &cast.regulator;
    let expiry = expiry(ctx);

    let register = c().register_product(GTIN.into(), [0xAB; 32]);
    b.tx(l("register_product", "by the prefix's manufacturer: holds_gtin", Cross), manufacturer, &register).await;
    let create = c().create_batch(GTIN.into(), "LOT-A".into(), expiry.clone());
    let batch = b.tx(l("create_batch", "by the product's manufacturer: has_role", Cross), manufacturer, &create).await;
    let commission = c().commission(batch, vec!["SN-A-00001".into()]);
    let (u1, _) = b.tx(l("commission", "1 serial: has_role", Cross), manufacturer, &commission).await;
    let (u2, _) = ok(b.client, manufacturer, &c().commission(batch, serials("SN-B-", 4))).await;
    let (u3, u4, u5) = (u2 + 1, u2 + 2, u2 + 3);

    let ship = c().ship(vec![u1], account(distributor));
    b.tx(l("ship", "1 unit, manufacturer to distributor: roles_of x2", Cross), manufacturer, &ship).await;
    let receive = c().receive(vec![u1]);
    b.tx(l("receive", "1 unit, by the recipient: roles_of", Cross), distributor, &receive).await;
    ok(b.client, manufacturer, &c().ship(vec![u2], account(distributor))).await;
    b.tx(l("void_shipment", "1 unit, by the shipper", Single), manufacturer, &c().void_shipment(vec![u2])).await;
    ok(b.client, distributor, &c().ship(vec![u1], account(pharmacy))).await;
    ok(b.client, pharmacy, &c().receive(vec![u1])).await;
    let commitment = [0xC1; 32];
    let prescribe = c().register_prescription(ctx.prescription, commitment, 2);
    b.tx(l("register_prescription", "by its author: summary + has_role", Cross), &cast.doctor, &prescribe).await;
    let dispense = c().dispense(u1, Some(commitment));
    b.tx(l("dispense", "with a prescription: has_role", Cross), pharmacy, &dispense).await;
    let damaged = c().decommission(u3, DecommissionReason::Damaged);
    b.tx(l("decommission", "damaged, by the owner", Single), manufacturer, &damaged).await;
    b.tx(l("flag_suspect", "by the owner", Single), manufacturer, &c().flag_suspect(u4, [40; 32])).await;
    b.tx(l("clear_suspect", "by a regulator: has_role", Cross), regulator, &c().clear_suspect(u4)).await;
    b.tx(l("flag_suspect", "by a regulator: has_role", Cross), regulator, &c().flag_suspect(u5, [41; 32])).await;
    let illegitimate = c().declare_illegitimate(u5);
    b.tx(l("declare_illegitimate", "by a regulator: has_role", Cross), regulator, &illegitimate).await;
    let notify = c().notify_trading_partners(u5, vec![account(distributor)]);
    b.tx(l("notify_trading_partners", "1 partner, by the owner", Single), manufacturer, &notify).await;
    let batch_b = ok(b.client, manufacturer, &c().create_batch(GTIN.into(), "LOT-B".into(), expiry.clone())).await;
    b.tx(l("recall", "by the batch's manufacturer", Single), manufacturer, &c().recall(batch_b, [50; 32])).await;
    let batch_c = ok(b.client, manufacturer, &c().create_batch(GTIN.into(), "LOT-C".into(), expiry.clone())).await;
    b.tx(l("recall", "by a regulator: has_role", Cross), regulator, &c().recall(batch_c, [51; 32])).await;
    let reassign = c().reassign_product(GTIN.into(), account(distributor));
    b.tx(l("reassign_product", "by a regulator: has_role", Cross), regulator, &reassign).await;
    ok(b.client, regulator, &c().reassign_product(GTIN.into(), account(manufacturer))).await;

    let verify = c().verify(GTIN.into(), "SN-B-00000".into(), "LOT-A".into(), expiry.clone());
    let answer = b.read(l("verify", "a genuine, saleable unit", Single), &verify).await;
    assert!(answer.as_ref().is_ok_and(|v| v.saleable), "verify: {answer:?}");
    let trail = b.read(l("trail", "a page of 10 (6 entries)", Single), &c().trail(u1, 0, 10)).await;
    assert_eq!(trail.items.len(), 6);
    b.read(l("unit", "", Single), &c().unit(u1)).await;
    b.read(l("disposition", "", Single), &c().disposition(u1)).await;
    assert!(matches!(b.read(l("product", "", Single), &c().product(GTIN.into())).await, Ok(Some(_))));
    b.read(l("batch", "", Single), &c().batch(batch)).await;
    let batch_id = c().batch_id(GTIN.into(), "LOT-A".into());
    assert!(matches!(b.read(l("batch_id", "", Single), &batch_id).await, Ok(Some(_))));
    let unit_id = c().unit_id(GTIN.into(), "SN-A-00001".into());
    assert!(matches!(b.read(l("unit_id", "", Single), &unit_id).await, Ok(Some(_))));
    b.read(l("prescription", "", Single), &c().prescription(commitment)).await;
    b.read(l("overdue", "a page of 10 (2 clocks, none overdue)", Single), &c().overdue(0, 10)).await;
    b.read(l("admin", FLOOR, Single), &c().admin()).await;

    // Input size: serials per commission and units per move, up to MAX_PER_CALL (100).
    for count in [10, 50, 100] {
        let label = l("commission", &format!("{count} serials"), Cross).items("serials", count as usize);
        let (first, _) =
            b.tx(label, manufacturer, &c().commission(batch, serials(&format!("SN-C{count}-"), count))).await;
        let units: Vec<u64> = (first..first + u64::from(count)).collect();
        let label = |message, kind| l(message, &format!("{count} units"), kind).items("units", count as usize);
        let ship = c().ship(units.clone(), account(distributor));
        if b.try_call(label("ship", Cross), manufacturer, &ship, true).await {
            b.try_call(label("receive", Cross), distributor, &c().receive(units), true).await;
        }
    }
}
