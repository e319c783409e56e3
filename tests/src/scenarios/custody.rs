//! Scenario 4: drug custody. Two manufacturers, each registering only GTINs of its own GS1 Company Prefix (a
//! squatting attempt refused); commission, ship, receive; a prescription registered by the doctor from its
//! Medications record and consumed by dispensing, with no patient on the trail; a recall freezes a unit in transit;
//! suspect, quarantine, illegitimate, with the DSCSA clocks on chain; a counterfeit serial is unknown; a dispensed
//! unit is genuine and not saleable.

use super::{doctor_registers, grant_general};
use crate::{account, expiry_next_year, ok, read, refused, Backend, Cast, Suite, FUNDS, GTIN};
use consent::consent::Grantee;
use custody::{
    errors::Error as CustodyError,
    types::{DeadlineKind, Disposition, IdentifierCheck},
};
use interfaces::{DataClass, Purpose, Role};

pub const LOT: &str = "LOT-2026-A";
/// Another GTIN of the cast manufacturer's prefix (0312345), and a GTIN of the rival's (0614141).
pub const GTIN_2: &str = "00312345000011";
pub const RIVAL_PREFIX: &str = "0614141";
pub const RIVAL_GTIN: &str = "00614141000418";

pub async fn custody<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (manufacturer, distributor, pharmacy, patient) =
        (account(&cast.manufacturer), account(&cast.distributor), account(&cast.pharmacy), account(&cast.patient));
    let c = || suite.custody();
    let now = read(client, &suite.participants().credential(manufacturer, Role::Manufacturer)).await;
    let expiry = expiry_next_year(now.expect("the manufacturer's credential").attested_at);

    // Two manufacturers, each with its GS1 Company Prefix; neither registers the other's GTINs.
    let rival = client.create_and_fund_account(&ink_e2e::alice(), FUNDS).await;
    suite.credential(client, &cast, account(&rival), Role::Manufacturer).await;
    ok(client, &cast.board, &suite.participants().attest_company_prefix(account(&rival), RIVAL_PREFIX.into())).await;
    ok(client, &rival, &c().register_product(RIVAL_GTIN.into(), [2; 32])).await;
    let squat = c().register_product(GTIN_2.into(), [3; 32]);
    assert_eq!(refused(client, &rival, &squat).await, CustodyError::CompanyPrefixNotHeld);
    let squat_back = c().register_product("00614141000425".into(), [3; 32]);
    assert_eq!(refused(client, &cast.manufacturer, &squat_back).await, CustodyError::CompanyPrefixNotHeld);
    let bad_gtin = c().register_product("00312345678907".into(), [1; 32]);
    assert_eq!(refused(client, &cast.manufacturer, &bad_gtin).await, CustodyError::InvalidGtin);
    ok(client, &cast.manufacturer, &c().register_product(GTIN.into(), [1; 32])).await;
    ok(client, &cast.manufacturer, &c().register_product(GTIN_2.into(), [1; 32])).await;
    assert_eq!(read(client, &c().product(GTIN_2.into())).await.unwrap().map(|p| p.manufacturer), Some(manufacturer));
    // A Regulator reassigns a product; only its new manufacturer makes batches of it.
    ok(client, &cast.regulator, &c().reassign_product(GTIN_2.into(), account(&rival))).await;
    let old_maker = c().create_batch(GTIN_2.into(), "L-R".into(), expiry.clone());
    assert_eq!(refused(client, &cast.manufacturer, &old_maker).await, CustodyError::NotProductManufacturer);
    ok(client, &rival, &c().create_batch(GTIN_2.into(), "L-R".into(), expiry.clone())).await;

    // Manufacturer: a batch (AI(17) expiry) and three serialised units. Identifiers too long for a storage key are
    // refused by name.
    let too_long = c().create_batch(GTIN.into(), "L".repeat(200), expiry.clone());
    assert_eq!(refused(client, &cast.manufacturer, &too_long).await, CustodyError::InvalidLot);
    assert_eq!(read(client, &c().unit_id(GTIN.into(), "S".repeat(200))).await, Err(CustodyError::InvalidSerial(0)));
    let batch = ok(client, &cast.manufacturer, &c().create_batch(GTIN.into(), LOT.into(), expiry.clone())).await;
    let serials = vec!["SN0001".to_string(), "SN0002".to_string(), "SN0003".to_string()];
    let (first, count) = ok(client, &cast.manufacturer, &c().commission(batch, serials)).await;
    assert_eq!(count, 3);
    let (u1, u2, u3) = (first, first + 1, first + 2);
    let again = c().commission(batch, vec!["SN0002".to_string()]);
    assert_eq!(refused(client, &cast.manufacturer, &again).await, CustodyError::SerialExists(0));

    // Only along the flow, only by the owner, all or nothing.
    let skip = c().ship(vec![u1], pharmacy);
    assert_eq!(refused(client, &cast.manufacturer, &skip).await, CustodyError::RecipientNotAuthorised);
    let not_owner = c().ship(vec![u1], pharmacy);
    assert_eq!(refused(client, &cast.distributor, &not_owner).await, CustodyError::NotOwner(u1));

    // Manufacturer -> distributor -> pharmacy, two steps each.
    ok(client, &cast.manufacturer, &c().ship(vec![u1, u2, u3], distributor)).await;
    assert_eq!(read(client, &c().disposition(u1)).await, Some(Disposition::InTransit));
    assert_eq!(read(client, &c().unit(u1)).await.expect("unit").owner, manufacturer, "shipping keeps the owner");
    let wrong_receiver = c().receive(vec![u1]);
    assert_eq!(refused(client, &cast.pharmacy, &wrong_receiver).await, CustodyError::NotRecipient(u1));
    ok(client, &cast.distributor, &c().receive(vec![u1, u2, u3])).await;
    assert_eq!(read(client, &c().unit(u2)).await.expect("unit").owner, distributor);
    ok(client, &cast.distributor, &c().ship(vec![u1, u3], pharmacy)).await;
    ok(client, &cast.pharmacy, &c().receive(vec![u1, u3])).await;

    // The doctor registers its Medications record as a prescription of one unit under a commitment; the pharmacy
    // dispenses against the commitment. Neither the patient nor the record is on the unit's trail.
    grant_general(client, &suite, &cast, Grantee::Account(account(&cast.doctor)), Purpose::Treatment).await;
    let labs = doctor_registers(client, &suite, &cast, DataClass::Labs, [20; 32]).await;
    let record = doctor_registers(client, &suite, &cast, DataClass::Medications, [21; 32]).await;
    let commitment = [0xC1; 32];
    let with_labs = c().register_prescription(labs, commitment, 1);
    assert_eq!(refused(client, &cast.doctor, &with_labs).await, CustodyError::PrescriptionNotMedications);
    let not_author = c().register_prescription(record, commitment, 1);
    assert_eq!(refused(client, &cast.pharmacy, &not_author).await, CustodyError::NotPrescriber);
    assert_eq!(refused(client, &cast.patient, &not_author).await, CustodyError::NotPrescriber);
    ok(client, &cast.doctor, &c().register_prescription(record, commitment, 1)).await;
    let unknown = c().dispense(u1, Some([0xC2; 32]));
    assert_eq!(refused(client, &cast.pharmacy, &unknown).await, CustodyError::PrescriptionNotFound);
    ok(client, &cast.pharmacy, &c().dispense(u1, Some(commitment))).await;
    let exhausted = c().dispense(u3, Some(commitment));
    assert_eq!(refused(client, &cast.pharmacy, &exhausted).await, CustodyError::PrescriptionExhausted);
    let prescription = read(client, &c().prescription(commitment)).await.expect("the prescription");
    assert_eq!((prescription.quantity, prescription.dispensed, prescription.pharmacy), (1, 1, Some(pharmacy)));
    let dispensed = read(client, &c().verify(GTIN.into(), "SN0001".into(), LOT.into(), expiry.clone())).await;
    let dispensed = dispensed.expect("a valid identifier");
    assert_eq!(
        (dispensed.identifier, dispensed.saleable, dispensed.disposition, dispensed.owner),
        (IdentifierCheck::Genuine, false, Some(Disposition::Dispensed), Some(pharmacy)),
        "a dispensed unit is genuine, and not saleable"
    );
    let trail = read(client, &c().trail(u1, 0, 50)).await;
    assert_eq!(trail.items.len(), 6, "commissioning, 2 x (shipping, receiving), dispensing");
    assert_eq!(trail.items[5].to, None, "no patient on the trail");
    assert!(trail.items.iter().all(|entry| entry.to != Some(patient) && entry.from != Some(patient)));
    assert_eq!(read(client, &c().unit(u1)).await.expect("unit").prescription, Some(commitment));
    let after_dispense = c().ship(vec![u1], distributor);
    assert!(
        matches!(refused(client, &cast.pharmacy, &after_dispense).await, CustodyError::UnitNotActive(id, _) if id == u1)
    );

    // A recall freezes a unit in transit: the pharmacy cannot receive it; it is genuine and not saleable.
    ok(client, &cast.distributor, &c().ship(vec![u2], pharmacy)).await;
    ok(client, &cast.manufacturer, &c().recall(batch, [30; 32])).await;
    assert_eq!(refused(client, &cast.pharmacy, &c().receive(vec![u2])).await, CustodyError::UnitRecalled(u2));
    assert_eq!(read(client, &c().unit(u2)).await.expect("unit").owner, distributor, "a recalled unit keeps its owner");
    let recalled = read(client, &c().verify(GTIN.into(), "SN0002".into(), LOT.into(), expiry.clone())).await.unwrap();
    assert_eq!(
        (recalled.identifier, recalled.saleable, recalled.disposition),
        (IdentifierCheck::Genuine, false, Some(Disposition::Recalled))
    );

    // Suspect -> quarantine -> illegitimate (on a unit of another batch, not recalled), with the DSCSA clocks: 30
    // days to investigate, then 24 hours to notify the trading partners.
    let batch_b = ok(client, &cast.manufacturer, &c().create_batch(GTIN.into(), "LOT-B".into(), expiry.clone())).await;
    let (u4, _) = ok(client, &cast.manufacturer, &c().commission(batch_b, vec!["SN0004".to_string()])).await;
    ok(client, &cast.regulator, &c().flag_suspect(u4, [40; 32])).await;
    assert_eq!(read(client, &c().disposition(u4)).await, Some(Disposition::Quarantined));
    let investigation = read(client, &c().deadline(0)).await.expect("the investigation clock");
    assert_eq!((investigation.unit, investigation.kind, investigation.met), (u4, DeadlineKind::Investigation, None));
    assert_eq!(read(client, &c().overdue(0, 10)).await.items, vec![], "not overdue yet");
    let quarantined = c().ship(vec![u4], distributor);
    assert!(
        matches!(refused(client, &cast.manufacturer, &quarantined).await, CustodyError::UnitNotActive(id, _) if id == u4)
    );
    assert_eq!(refused(client, &cast.manufacturer, &c().declare_illegitimate(u4)).await, CustodyError::NotRegulator);
    ok(client, &cast.regulator, &c().declare_illegitimate(u4)).await;
    let met = read(client, &c().deadline(0)).await.and_then(|d| d.met).expect("investigated");
    let notification = read(client, &c().deadline(1)).await.expect("the notification clock");
    assert_eq!((notification.kind, notification.due), (DeadlineKind::Notification, met + 86_400_000));
    let not_owner = c().notify_trading_partners(u4, vec![distributor]);
    assert_eq!(refused(client, &cast.regulator, &not_owner).await, CustodyError::NotOwner(u4));
    ok(client, &cast.manufacturer, &c().notify_trading_partners(u4, vec![distributor])).await;
    assert!(read(client, &c().deadline(1)).await.and_then(|d| d.met).is_some(), "notified");
    let fake = read(client, &c().verify(GTIN.into(), "SN0004".into(), "LOT-B".into(), expiry.clone())).await.unwrap();
    assert_eq!((fake.saleable, fake.disposition), (false, Some(Disposition::Illegitimate)));

    // A counterfeit serial is unknown; a real serial with the wrong lot is a mismatch.
    let counterfeit = read(client, &c().verify(GTIN.into(), "FAKE-999".into(), LOT.into(), expiry.clone())).await;
    let counterfeit = counterfeit.unwrap();
    assert_eq!((counterfeit.identifier, counterfeit.owner), (IdentifierCheck::UnknownSerial, None));
    let wrong_lot = read(client, &c().verify(GTIN.into(), "SN0003".into(), "LOT-X".into(), expiry)).await.unwrap();
    assert_eq!(wrong_lot.identifier, IdentifierCheck::LotMismatch);
}
