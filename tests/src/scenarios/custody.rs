//! Scenario 4: drug custody. Commission, ship, receive and dispense against a prescription record of the records
//! contract; a recall freezes a unit in transit; suspect, quarantine, illegitimate; a counterfeit serial is unknown.

use super::{doctor_registers, grant_general};
use crate::{account, ok, read, refused, Backend, Cast, Suite, FAR_FUTURE};
use consent::consent::Grantee;
use custody::{
    errors::Error as CustodyError,
    types::{Disposition, VerifyResult},
};
use interfaces::{DataClass, Purpose};

pub const GTIN: &str = "00312345678906";
pub const LOT: &str = "LOT-2026-A";
pub const EXPIRY: u64 = FAR_FUTURE - 1;

pub async fn custody<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (manufacturer, distributor, pharmacy, patient) =
        (account(&cast.manufacturer), account(&cast.distributor), account(&cast.pharmacy), account(&cast.patient));
    let c = || suite.custody();

    // Manufacturer: product, batch, three serialised units.
    let bad_gtin = c().register_product("00312345678907".into(), [1; 32]);
    assert_eq!(refused(client, &cast.manufacturer, &bad_gtin).await, CustodyError::InvalidGtin);
    ok(client, &cast.manufacturer, &c().register_product(GTIN.into(), [1; 32])).await;
    let batch = ok(client, &cast.manufacturer, &c().create_batch(GTIN.into(), LOT.into(), EXPIRY)).await;
    let serials = vec!["SN0001".to_string(), "SN0002".to_string(), "SN0003".to_string()];
    let (first, count) = ok(client, &cast.manufacturer, &c().commission(batch, serials)).await;
    assert_eq!(count, 3);
    let (u1, u2) = (first, first + 1);
    let again = c().commission(batch, vec!["SN0002".to_string()]);
    assert_eq!(refused(client, &cast.manufacturer, &again).await, CustodyError::SerialExists(0));

    // Only along the flow, only by the owner, all or nothing.
    let skip = c().ship(vec![u1], pharmacy);
    assert_eq!(refused(client, &cast.manufacturer, &skip).await, CustodyError::RecipientNotAuthorised);
    let not_owner = c().ship(vec![u1], pharmacy);
    assert_eq!(refused(client, &cast.distributor, &not_owner).await, CustodyError::NotOwner(u1));

    // Manufacturer -> distributor -> pharmacy, two steps each.
    ok(client, &cast.manufacturer, &c().ship(vec![u1, u2], distributor)).await;
    assert_eq!(read(client, &c().disposition(u1)).await, Some(Disposition::InTransit));
    assert_eq!(read(client, &c().unit(u1)).await.expect("unit").owner, manufacturer, "shipping keeps the owner");
    let wrong_receiver = c().receive(vec![u1]);
    assert_eq!(refused(client, &cast.pharmacy, &wrong_receiver).await, CustodyError::NotRecipient(u1));
    ok(client, &cast.distributor, &c().receive(vec![u1, u2])).await;
    assert_eq!(read(client, &c().unit(u2)).await.expect("unit").owner, distributor);
    ok(client, &cast.distributor, &c().ship(vec![u1], pharmacy)).await;
    ok(client, &cast.pharmacy, &c().receive(vec![u1])).await;

    // Dispensing against the patient's prescription, a Medications record written by the doctor.
    grant_general(client, &suite, &cast, Grantee::Account(account(&cast.doctor)), Purpose::Treatment).await;
    let labs = doctor_registers(client, &suite, &cast, DataClass::Labs, [20; 32]).await;
    let prescription = doctor_registers(client, &suite, &cast, DataClass::Medications, [21; 32]).await;
    let with_labs = c().dispense(u1, patient, Some(labs));
    assert_eq!(refused(client, &cast.pharmacy, &with_labs).await, CustodyError::PrescriptionNotMedications);
    let someone_else = c().dispense(u1, manufacturer, Some(prescription));
    assert_eq!(refused(client, &cast.pharmacy, &someone_else).await, CustodyError::PrescriptionOfAnotherPatient);
    ok(client, &cast.pharmacy, &c().dispense(u1, patient, Some(prescription))).await;
    let dispensed = read(client, &c().verify(GTIN.into(), "SN0001".into(), LOT.into(), EXPIRY)).await;
    assert_eq!(
        (dispensed.authentic, dispensed.reason, dispensed.owner),
        (false, VerifyResult::Dispensed, Some(pharmacy))
    );
    let trail = read(client, &c().trail(u1, 0, 50)).await;
    assert_eq!(trail.items.len(), 6, "commissioning, 2 x (shipping, receiving), dispensing");
    assert_eq!(trail.items[5].to, Some(patient));
    let after_dispense = c().ship(vec![u1], distributor);
    assert!(
        matches!(refused(client, &cast.pharmacy, &after_dispense).await, CustodyError::UnitNotActive(id, _) if id == u1)
    );

    // A recall freezes a unit in transit: the pharmacy cannot receive it, verify says Recalled.
    ok(client, &cast.distributor, &c().ship(vec![u2], pharmacy)).await;
    ok(client, &cast.manufacturer, &c().recall(batch, [30; 32])).await;
    assert_eq!(refused(client, &cast.pharmacy, &c().receive(vec![u2])).await, CustodyError::UnitRecalled(u2));
    assert_eq!(read(client, &c().unit(u2)).await.expect("unit").owner, distributor, "a recalled unit keeps its owner");
    let recalled = read(client, &c().verify(GTIN.into(), "SN0002".into(), LOT.into(), EXPIRY)).await;
    assert_eq!((recalled.authentic, recalled.reason), (false, VerifyResult::Recalled));

    // Suspect -> quarantine -> illegitimate (on a unit of another batch, not recalled).
    let batch_b = ok(client, &cast.manufacturer, &c().create_batch(GTIN.into(), "LOT-B".into(), EXPIRY)).await;
    let (u4, _) = ok(client, &cast.manufacturer, &c().commission(batch_b, vec!["SN0004".to_string()])).await;
    ok(client, &cast.regulator, &c().flag_suspect(u4, [40; 32])).await;
    assert_eq!(read(client, &c().disposition(u4)).await, Some(Disposition::Quarantined));
    let quarantined = c().ship(vec![u4], distributor);
    assert!(
        matches!(refused(client, &cast.manufacturer, &quarantined).await, CustodyError::UnitNotActive(id, _) if id == u4)
    );
    assert_eq!(refused(client, &cast.manufacturer, &c().declare_illegitimate(u4)).await, CustodyError::NotRegulator);
    ok(client, &cast.regulator, &c().declare_illegitimate(u4)).await;
    let fake = read(client, &c().verify(GTIN.into(), "SN0004".into(), "LOT-B".into(), EXPIRY)).await;
    assert_eq!((fake.authentic, fake.reason), (false, VerifyResult::Illegitimate));

    // A counterfeit serial is unknown; a real serial with the wrong lot is a mismatch.
    let counterfeit = read(client, &c().verify(GTIN.into(), "FAKE-999".into(), LOT.into(), EXPIRY)).await;
    assert_eq!(
        (counterfeit.authentic, counterfeit.reason, counterfeit.owner),
        (false, VerifyResult::UnknownSerial, None)
    );
    let wrong_lot = read(client, &c().verify(GTIN.into(), "SN0003".into(), "LOT-X".into(), EXPIRY)).await;
    assert_eq!(wrong_lot.reason, VerifyResult::LotMismatch);
}
