//! Unit tests: the whole lifecycle, every refusal, and the custody invariants checked after every step.

use crate::{custody::*, errors::Error, events::*, types::*};
use ink::{env::test, primitives::Hash};
use interfaces::{
    governance::{Dependency, DependencyChanged},
    stubs::{self, Message},
    testing::{self, accounts, addr, as_caller, at, events, last_event, last_of, last_topics, Env, DAY},
    AccountId, DataClass, GtinHolding, Hash32, RecordStatus, RecordSummary, Role, Timestamp, MAX_PAGE,
};
use std::collections::BTreeMap;

/// The maker's GTINs carry its GS1 Company Prefix 4006381 (GS1 Germany's example); the other maker's carry
/// 0614141 (GS1 US's example).
const GTIN: &str = "04006381333931";
const GTIN2: &str = "10614141000415";
/// Another GTIN of the maker's prefix, not registered in `world`.
const GTIN3: &str = "04006381333948";
const LOT: &str = "LOT-A1";
/// The batch's expiry as its packs carry it (GS1 AI(17)): 1971-02-04, so its units expire at the end of that day,
/// day 400 since 1970.
const EXPIRY: &str = "710204";
const EXPIRES_AT: Timestamp = 400 * DAY;
const NAME: Hash32 = [3; 32];
const REASON: Hash32 = [9; 32];
/// The prescription record (of the patient, by the prescriber) and the commitment the prescriber registers it
/// under, for `RX_UNITS` units.
const RX: u64 = 77;
const RX_COMMITMENT: Hash32 = [0x77; 32];
const RX_UNITS: u32 = 2;

struct World {
    c: Custody,
    admin: AccountId,
    maker: AccountId,
    other_maker: AccountId,
    distributor: AccountId,
    pharmacy: AccountId,
    regulator: AccountId,
    stranger: AccountId,
    patient: AccountId,
    prescriber: AccountId,
    participants: AccountId,
    records: AccountId,
    batch: BatchId,
    /// Owner and effective disposition of every unit at the last `check`.
    seen: BTreeMap<UnitId, (AccountId, Disposition)>,
}

fn s(text: &str) -> String {
    text.to_string()
}

fn serials(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

/// Everything a refusal must leave untouched.
#[derive(Debug, PartialEq)]
struct Snapshot {
    events: usize,
    units: Vec<Unit>,
    batches: Vec<Batch>,
    products: Vec<Option<Product>>,
}

fn snapshot(c: &Custody) -> Snapshot {
    Snapshot {
        events: events(),
        units: (1..).map_while(|id| c.unit(id)).collect(),
        batches: (1..).map_while(|id| c.batch(id)).collect(),
        products: [GTIN, GTIN2].iter().map(|g| c.product(s(g)).unwrap()).collect(),
    }
}

/// `call` is refused with `expected` and emits nothing ([`testing::refused`]), and it changes nothing stored.
fn refused<T: core::fmt::Debug>(c: &mut Custody, expected: Error, call: impl FnOnce(&mut Custody) -> Result<T, Error>) {
    let before = snapshot(c);
    testing::refused(expected, || call(c));
    assert_eq!(snapshot(c), before, "a refusal changes nothing");
}

impl World {
    /// Unit 1, `disposition` at the pharmacy, is refused every move its owner may try: ship, dispense, decommission
    /// (for `reason`) and flag as suspect.
    fn pharmacy_cannot_move_unit_1(&mut self, disposition: Disposition, reason: DecommissionReason) {
        let distributor = self.distributor;
        as_caller(self.pharmacy);
        let not_active = Error::UnitNotActive(1, disposition);
        refused(&mut self.c, not_active, |c| c.ship(vec![1], distributor));
        refused(&mut self.c, not_active, |c| c.dispense(1, None));
        refused(&mut self.c, not_active, |c| c.decommission(1, reason));
        refused(&mut self.c, not_active, |c| c.flag_suspect(1, REASON));
    }

    /// The invariants, after every step: exactly one owner per unit (a recipient only while in transit, never the
    /// owner); a recalled or illegitimate unit never changes owner; a dispensed (or destroyed) unit never moves
    /// again; the trail agrees with the unit; `verify` agrees with state.
    fn check(&mut self) {
        for id in 1.. {
            let Some(unit) = self.c.unit(id) else { break };
            let batch = self.c.batch(unit.batch).expect("a unit's batch exists");
            let effective = self.c.disposition(id).expect("a unit has a disposition");

            assert_eq!(self.c.unit_id(batch.gtin.clone(), unit.serial.clone()), Ok(Some(id)), "serial index");
            assert_eq!(unit.recipient.is_some(), unit.disposition == Disposition::InTransit, "unit {id}");
            assert_ne!(unit.recipient, Some(unit.owner), "unit {id}: one owner, never its own recipient");
            assert!(!matches!(unit.disposition, Disposition::Recalled | Disposition::Expired), "never stored");

            let len = u64::from(unit.trail_len);
            assert!(len >= 1, "commissioning is always on the trail");
            let last = self.c.trail(id, len - 1, 1).items;
            assert_eq!(last.len(), 1);
            assert_eq!(last[0].disposition, unit.disposition, "unit {id}: trail ends in its disposition");

            if let Some((owner, before)) = self.seen.get(&id).copied() {
                if matches!(
                    before,
                    Disposition::Recalled | Disposition::Illegitimate | Disposition::Dispensed | Disposition::Destroyed
                ) {
                    assert_eq!(unit.owner, owner, "unit {id} was {before:?}: its owner never changes");
                }
                match before {
                    Disposition::Illegitimate => assert_eq!(effective, Disposition::Illegitimate),
                    Disposition::Dispensed => {
                        assert!(matches!(effective, Disposition::Dispensed | Disposition::Illegitimate))
                    }
                    Disposition::Destroyed => {
                        assert!(matches!(effective, Disposition::Destroyed | Disposition::Illegitimate))
                    }
                    Disposition::Recalled => assert!(
                        !matches!(effective, Disposition::Active | Disposition::InTransit | Disposition::Expired),
                        "a recall is never lifted"
                    ),
                    _ => {}
                }
            }

            // Every commissioned unit read with its own lot and expiry is genuine, whatever its disposition.
            let verification = self
                .c
                .verify(batch.gtin.clone(), unit.serial.clone(), batch.lot.clone(), batch.expiry.clone())
                .unwrap();
            assert_eq!(
                verification,
                Verification {
                    identifier: IdentifierCheck::Genuine,
                    saleable: crate::verification::is_saleable(effective),
                    disposition: Some(effective),
                    owner: Some(unit.owner),
                    unit: Some(id),
                },
                "unit {id}"
            );
            let wrong_lot =
                self.c.verify(batch.gtin.clone(), unit.serial.clone(), s("OTHER"), batch.expiry.clone()).unwrap();
            assert_eq!((wrong_lot.identifier, wrong_lot.saleable), (IdentifierCheck::LotMismatch, false));
            self.seen.insert(id, (unit.owner, effective));
        }
    }

    fn ship(&mut self, from: AccountId, units: &[UnitId], to: AccountId) {
        as_caller(from);
        self.c.ship(units.to_vec(), to).unwrap();
        self.check();
    }

    fn receive(&mut self, by: AccountId, units: &[UnitId]) {
        as_caller(by);
        self.c.receive(units.to_vec()).unwrap();
        self.check();
    }

    /// Moves `units` from the maker to the pharmacy through the distributor.
    fn deliver_to_pharmacy(&mut self, units: &[UnitId]) {
        self.ship(self.maker, units, self.distributor);
        self.receive(self.distributor, units);
        self.ship(self.distributor, units, self.pharmacy);
        self.receive(self.pharmacy, units);
    }

    fn owner(&self, unit: UnitId) -> AccountId {
        self.c.unit(unit).unwrap().owner
    }

    fn disposition(&self, unit: UnitId) -> Disposition {
        self.c.disposition(unit).unwrap()
    }

    fn prescription(&self, patient: AccountId, class: DataClass, status: RecordStatus) -> RecordSummary {
        RecordSummary { patient, author: self.prescriber, class, status, content_hash: [1; 32], created_at: DAY }
    }
}

/// Deployed at day 10 by the admin; the maker registered GTIN, created batch 1 (LOT, EXPIRY) and commissioned
/// units 1..=5 (serials SN1..SN5).
fn world() -> World {
    let accounts = accounts();
    let (participants, records) = (addr(0xA0), addr(0xB0));
    let w = World {
        c: {
            at(10 * DAY);
            as_caller(accounts.alice);
            Custody::new(accounts.alice, participants, records)
        },
        admin: accounts.alice,
        maker: accounts.bob,
        other_maker: addr(0x60),
        distributor: accounts.charlie,
        pharmacy: accounts.django,
        regulator: accounts.eve,
        stranger: accounts.frank,
        patient: addr(0x50),
        prescriber: addr(0x44),
        participants,
        records,
        batch: 0,
        seen: BTreeMap::new(),
    };
    stubs::set_roles(participants, w.maker, &[Role::Manufacturer]);
    stubs::set_roles(participants, w.other_maker, &[Role::Manufacturer]);
    stubs::set_roles(participants, w.distributor, &[Role::Distributor]);
    stubs::set_roles(participants, w.pharmacy, &[Role::Pharmacy]);
    stubs::set_roles(participants, w.regulator, &[Role::Regulator]);
    stubs::set_roles(participants, w.stranger, &[Role::Provider]);
    stubs::set_roles(participants, w.patient, &[]);
    for gtin in [GTIN, GTIN2, GTIN3] {
        let holding = |held| if held { GtinHolding::PrefixHeld } else { GtinHolding::PrefixNotHeld };
        stubs::set_gtin_holding(participants, w.maker, gtin, holding(gtin != GTIN2));
        stubs::set_gtin_holding(participants, w.other_maker, gtin, holding(gtin == GTIN2));
    }
    stubs::set_roles(participants, w.prescriber, &[Role::Provider]);
    stubs::set_record(records, RX, Some(w.prescription(w.patient, DataClass::Medications, RecordStatus::Current)));
    let mut w = w;
    as_caller(w.maker);
    w.c.register_product(s(GTIN), NAME).unwrap();
    w.batch = w.c.create_batch(s(GTIN), s(LOT), s(EXPIRY)).unwrap();
    assert_eq!(w.c.commission(w.batch, serials("SN", 5)).unwrap(), (1, 5));
    as_caller(w.prescriber);
    w.c.register_prescription(RX, RX_COMMITMENT, RX_UNITS).unwrap();
    w.check();
    w
}

// ---- governance ----

#[ink::test]
fn deployer_is_admin_and_transfer_takes_two_steps() {
    let mut w = world();
    assert_eq!(w.c.admin(), w.admin);
    as_caller(w.stranger);
    refused(&mut w.c, Error::NotAdmin, |c| c.propose_admin(addr(1)));
    refused(&mut w.c, Error::NotProposedAdmin, |c| c.accept_admin());

    as_caller(w.admin);
    let before = events();
    w.c.propose_admin(w.regulator).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(w.c.proposed_admin(), Some(w.regulator));
    as_caller(w.stranger);
    refused(&mut w.c, Error::NotProposedAdmin, |c| c.accept_admin());
    as_caller(w.regulator);
    w.c.accept_admin().unwrap();
    assert_eq!(events(), before + 2);
    assert_eq!(w.c.admin(), w.regulator);
    as_caller(w.admin);
    refused(&mut w.c, Error::NotAdmin, |c| c.set_dependency(Dependency::Records, addr(1)));
}

#[ink::test]
fn only_the_admin_sets_dependencies_or_upgrades() {
    let mut w = world();
    for outsider in [w.stranger, w.maker, w.regulator] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotAdmin, |c| c.set_dependency(Dependency::Participants, addr(1)));
        refused(&mut w.c, Error::NotAdmin, |c| c.set_dependency(Dependency::Records, addr(1)));
        refused(&mut w.c, Error::NotAdmin, |c| c.upgrade(Hash::from([1; 32])));
    }
    assert_eq!(
        (w.c.dependency(Dependency::Participants).unwrap(), w.c.dependency(Dependency::Records).unwrap()),
        (w.participants, w.records)
    );

    as_caller(w.admin);
    let before = events();
    w.c.set_dependency(Dependency::Records, addr(0xB1)).unwrap();
    assert_eq!(
        last_event::<DependencyChanged>(),
        DependencyChanged { dependency: Dependency::Records, address: addr(0xB1) }
    );
    w.c.set_dependency(Dependency::Participants, addr(0xA1)).unwrap();
    assert_eq!(events(), before + 2);
    assert_eq!(
        (w.c.dependency(Dependency::Participants).unwrap(), w.c.dependency(Dependency::Records).unwrap()),
        (addr(0xA1), addr(0xB1))
    );
    refused(&mut w.c, Error::NotADependency, |c| c.set_dependency(Dependency::Consent, addr(0xC1)));
    assert_eq!(w.c.dependency(Dependency::Consent), None);

    // The new participants address holds no contract: credential checks report it, and nothing changes.
    as_caller(w.maker);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.register_product(s(GTIN2), NAME));
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.ship(vec![1], addr(9)));
}

// ---- manufacturers ----

#[ink::test]
fn a_credentialed_manufacturer_registers_a_product() {
    let mut w = world();
    let product = w.c.product(s(GTIN)).unwrap().unwrap();
    assert_eq!(product, Product { manufacturer: w.maker, name_hash: NAME, registered_at: 10 * DAY });

    as_caller(w.other_maker);
    w.c.register_product(s(GTIN2), [4; 32]).unwrap();
    assert_eq!(
        last_event::<ProductRegistered>(),
        ProductRegistered { gtin: s(GTIN2), manufacturer: w.other_maker, name_hash: [4; 32] }
    );
    let topics = last_topics();
    assert!(topics.iter().any(|t| t.as_slice() == AsRef::<[u8]>::as_ref(&w.other_maker)), "the maker is a topic");
    assert_eq!(w.c.product(s(GTIN2)).unwrap().unwrap().manufacturer, w.other_maker);
}

#[ink::test]
fn product_registration_refusals() {
    let mut w = world();
    as_caller(w.maker);
    for bad in ["04006381333932", "4006381333931", "0400638133393A", "", "004006381333931"] {
        refused(&mut w.c, Error::InvalidGtin, |c| c.register_product(s(bad), NAME));
    }
    refused(&mut w.c, Error::ProductExists, |c| c.register_product(s(GTIN), NAME));
    as_caller(w.other_maker);
    refused(&mut w.c, Error::ProductExists, |c| c.register_product(s(GTIN), NAME));
    for outsider in [w.distributor, w.pharmacy, w.regulator, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotManufacturer, |c| c.register_product(s(GTIN2), NAME));
    }
    stubs::remove(w.participants);
    as_caller(w.maker);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.register_product(s(GTIN2), NAME));
}

/// Regression: any credentialed Manufacturer could register another company's GTIN first; its counterfeits then
/// verified as genuine, and the real owner got `ProductExists` forever.
#[ink::test]
fn a_manufacturer_cannot_register_another_companys_gtin() {
    let mut w = world();
    let asked_before =
        (stubs::asked(w.participants, Message::HoldsGtin), stubs::asked(w.participants, Message::HasRole));
    as_caller(w.other_maker);
    refused(&mut w.c, Error::CompanyPrefixNotHeld, |c| c.register_product(s(GTIN3), NAME));
    as_caller(w.maker);
    refused(&mut w.c, Error::CompanyPrefixNotHeld, |c| c.register_product(s(GTIN2), NAME));
    w.c.register_product(s(GTIN3), NAME).unwrap();
    assert_eq!(w.c.product(s(GTIN3)).unwrap().map(|p| p.manufacturer), Some(w.maker));
    let asked_after =
        (stubs::asked(w.participants, Message::HoldsGtin), stubs::asked(w.participants, Message::HasRole));
    assert_eq!(
        asked_after,
        (asked_before.0 + 3, asked_before.1),
        "one call per registration, answering the credential too"
    );
}

/// A product squatted before prefixes were checked (here: registered, then reassigned) goes to its company.
#[ink::test]
fn a_regulator_reassigns_a_product_and_its_old_manufacturer_makes_no_more() {
    let mut w = world();
    let before = events();
    as_caller(w.regulator);
    w.c.reassign_product(s(GTIN), w.other_maker).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(
        last_event::<ProductReassigned>(),
        ProductReassigned { gtin: s(GTIN), from: w.maker, to: w.other_maker, by: w.regulator }
    );
    let product = w.c.product(s(GTIN)).unwrap().unwrap();
    assert_eq!((product.manufacturer, product.name_hash), (w.other_maker, NAME));
    assert_eq!(w.c.trail(1, 0, 10).len, 1, "no unit's trail changes");

    as_caller(w.maker);
    refused(&mut w.c, Error::NotProductManufacturer, |c| c.create_batch(s(GTIN), s("L2"), s(EXPIRY)));
    refused(&mut w.c, Error::NotProductManufacturer, |c| c.commission(w.batch, vec![s("NEW")]));
    as_caller(w.other_maker);
    let batch = w.c.create_batch(s(GTIN), s("L2"), s(EXPIRY)).unwrap();
    assert_eq!(w.c.commission(batch, vec![s("NEW")]), Ok((6, 1)));
    w.check();
}

#[ink::test]
fn product_reassignment_refusals() {
    let mut w = world();
    for outsider in [w.maker, w.other_maker, w.distributor, w.pharmacy, w.stranger, w.admin] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotRegulator, |c| c.reassign_product(s(GTIN), addr(7)));
    }
    as_caller(w.regulator);
    refused(&mut w.c, Error::InvalidGtin, |c| c.reassign_product("9".repeat(200), addr(7)));
    refused(&mut w.c, Error::ProductNotFound, |c| c.reassign_product(s(GTIN2), addr(7)));
    refused(&mut w.c, Error::AlreadyManufacturer, |c| c.reassign_product(s(GTIN), w.maker));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.reassign_product(s(GTIN), addr(7)));
}

#[ink::test]
fn batches_are_created_by_the_products_manufacturer() {
    let mut w = world();
    let batch = w.c.batch(w.batch).unwrap();
    assert_eq!(
        batch,
        Batch {
            gtin: s(GTIN),
            lot: s(LOT),
            expiry: s(EXPIRY),
            expires_at: EXPIRES_AT,
            manufacturer: w.maker,
            created_at: 10 * DAY,
            units: 5,
            recall: None
        }
    );
    assert_eq!(w.c.batch_id(s(GTIN), s(LOT)), Ok(Some(w.batch)));

    as_caller(w.maker);
    let second = w.c.create_batch(s(GTIN), s("12345678901234567890"), s("700111")).unwrap();
    assert_eq!(second, w.batch + 1);
    assert_eq!(
        last_event::<BatchCreated>(),
        BatchCreated {
            batch: second,
            manufacturer: w.maker,
            gtin: s(GTIN),
            lot: s("12345678901234567890"),
            expiry: s("700111")
        }
    );
    // The same lot under another GTIN is another batch.
    as_caller(w.other_maker);
    w.c.register_product(s(GTIN2), NAME).unwrap();
    assert_eq!(w.c.create_batch(s(GTIN2), s(LOT), s(EXPIRY)), Ok(second + 1));
}

#[ink::test]
fn batch_refusals() {
    let mut w = world();
    as_caller(w.maker);
    refused(&mut w.c, Error::ProductNotFound, |c| c.create_batch(s(GTIN2), s("L2"), s(EXPIRY)));
    for bad in ["", "123456789012345678901", "LOT 2", "LOT#2"] {
        refused(&mut w.c, Error::InvalidLot, |c| c.create_batch(s(GTIN), s(bad), s(EXPIRY)));
    }
    // 1970-01-10 ended at day 10, now; 1970-01-01 long before.
    refused(&mut w.c, Error::ExpiryPassed, |c| c.create_batch(s(GTIN), s("L2"), s("700110")));
    refused(&mut w.c, Error::ExpiryPassed, |c| c.create_batch(s(GTIN), s("L2"), s("700101")));
    for bad in ["", "7102", "710230", "711301", "71020A", "7102040"] {
        refused(&mut w.c, Error::InvalidExpiry, |c| c.create_batch(s(GTIN), s("L2"), s(bad)));
    }
    refused(&mut w.c, Error::InvalidExpiry, |c| c.create_batch(s(GTIN), s("L2"), "7".repeat(300)));
    refused(&mut w.c, Error::LotExists, |c| c.create_batch(s(GTIN), s(LOT), s(EXPIRY)));
    for outsider in [w.other_maker, w.distributor, w.regulator, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotProductManufacturer, |c| c.create_batch(s(GTIN), s("L2"), s(EXPIRY)));
    }
    stubs::set_roles(w.participants, w.maker, &[]);
    as_caller(w.maker);
    refused(&mut w.c, Error::NotManufacturer, |c| c.create_batch(s(GTIN), s("L2"), s(EXPIRY)));
}

#[ink::test]
fn commissioning_creates_active_units_owned_by_the_maker() {
    let mut w = world();
    let unit = w.c.unit(3).unwrap();
    assert_eq!(
        unit,
        Unit {
            batch: w.batch,
            serial: s("SN3"),
            owner: w.maker,
            disposition: Disposition::Active,
            recipient: None,
            decommissioned: None,
            prescription: None,
            deadline: None,
            trail_len: 1
        }
    );
    assert_eq!(w.c.unit_id(s(GTIN), s("SN3")), Ok(Some(3)));
    assert_eq!(w.c.unit_id(s(GTIN2), s("SN3")), Ok(None));
    assert_eq!(
        w.c.trail(3, 0, 10).items,
        vec![TrailEntry {
            step: BusinessStep::Commissioning,
            disposition: Disposition::Active,
            from: None,
            to: Some(w.maker),
            at: 10 * DAY
        }]
    );

    // A full call of MAX_PER_CALL continues the ids; one event for the call.
    as_caller(w.maker);
    let before = events();
    assert_eq!(w.c.commission(w.batch, serials("X-", MAX_PER_CALL)), Ok((6, 100)));
    assert_eq!(events(), before + 1);
    assert_eq!(
        last_event::<UnitsCommissioned>(),
        UnitsCommissioned { batch: w.batch, manufacturer: w.maker, first: 6, count: 100 }
    );
    assert_eq!(w.c.batch(w.batch).unwrap().units, 105);
    assert_eq!(w.c.unit(105).unwrap().serial, s("X-100"));
    assert_eq!(w.c.unit(106), None);
    w.check();

    // The same serial under another GTIN is another unit.
    as_caller(w.other_maker);
    w.c.register_product(s(GTIN2), NAME).unwrap();
    let other = w.c.create_batch(s(GTIN2), s(LOT), s(EXPIRY)).unwrap();
    assert_eq!(w.c.commission(other, vec![s("SN1")]), Ok((106, 1)));
    assert_eq!(w.c.unit_id(s(GTIN2), s("SN1")), Ok(Some(106)));
    assert_eq!(w.c.unit_id(s(GTIN), s("SN1")), Ok(Some(1)));
    w.check();
}

#[ink::test]
fn commissioning_refusals() {
    let mut w = world();
    as_caller(w.maker);
    refused(&mut w.c, Error::EmptyList, |c| c.commission(1, vec![]));
    refused(&mut w.c, Error::TooMany, |c| c.commission(1, serials("Y", MAX_PER_CALL + 1)));
    refused(&mut w.c, Error::BatchNotFound, |c| c.commission(9, vec![s("A")]));
    refused(&mut w.c, Error::InvalidSerial(1), |c| c.commission(1, vec![s("OK"), s("NOT OK")]));
    refused(&mut w.c, Error::InvalidSerial(0), |c| c.commission(1, vec![s("123456789012345678901")]));
    refused(&mut w.c, Error::InvalidSerial(2), |c| c.commission(1, vec![s("A"), s("B"), s("")]));
    refused(&mut w.c, Error::DuplicateSerial(2), |c| c.commission(1, vec![s("A"), s("B"), s("A"), s("B")]));
    refused(&mut w.c, Error::SerialExists(1), |c| c.commission(1, vec![s("NEW"), s("SN4")]));
    for outsider in [w.other_maker, w.distributor, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotProductManufacturer, |c| c.commission(1, vec![s("A")]));
    }

    as_caller(w.maker);
    w.c.set_next_unit(u64::MAX - 1);
    refused(&mut w.c, Error::Overflow, |c| c.commission(1, vec![s("A"), s("B")]));
    w.c.set_next_unit(6);

    stubs::set_roles(w.participants, w.maker, &[Role::Distributor]);
    refused(&mut w.c, Error::NotManufacturer, |c| c.commission(1, vec![s("A")]));
    stubs::set_roles(w.participants, w.maker, &[Role::Manufacturer]);

    at(EXPIRES_AT);
    refused(&mut w.c, Error::BatchExpired, |c| c.commission(1, vec![s("A")]));
    at(EXPIRES_AT - 1);
    w.c.recall(1, REASON).unwrap();
    refused(&mut w.c, Error::BatchUnderRecall, |c| c.commission(1, vec![s("A")]));
    w.check();
}

// ---- moving units ----

#[ink::test]
fn the_whole_lifecycle_from_maker_to_patient() {
    let mut w = world();
    at(11 * DAY);
    as_caller(w.maker);
    let before = events();
    w.c.ship(vec![1, 2, 3], w.distributor).unwrap();
    assert_eq!(events(), before + 3, "one event per unit");
    assert_eq!(last_event::<UnitShipped>(), UnitShipped { unit: 3, from: w.maker, to: w.distributor });
    let unit = w.c.unit(1).unwrap();
    assert_eq!((unit.owner, unit.disposition, unit.recipient), (w.maker, Disposition::InTransit, Some(w.distributor)));
    w.check();

    at(12 * DAY);
    w.receive(w.distributor, &[1, 2, 3]);
    assert_eq!(last_event::<UnitReceived>(), UnitReceived { unit: 3, from: w.maker, to: w.distributor });
    assert_eq!((w.owner(1), w.disposition(1)), (w.distributor, Disposition::Active));

    at(13 * DAY);
    w.ship(w.distributor, &[1, 2], w.pharmacy);
    at(14 * DAY);
    w.receive(w.pharmacy, &[1, 2]);
    assert_eq!(w.owner(1), w.pharmacy);

    at(15 * DAY);
    as_caller(w.pharmacy);
    w.c.dispense(1, Some(RX_COMMITMENT)).unwrap();
    assert_eq!(
        last_event::<UnitDispensed>(),
        UnitDispensed { unit: 1, pharmacy: w.pharmacy, prescription: Some(RX_COMMITMENT) }
    );
    assert_eq!((w.owner(1), w.disposition(1)), (w.pharmacy, Disposition::Dispensed));
    w.check();
    w.c.dispense(2, None).unwrap();
    w.check();

    let trail = w.c.trail(1, 0, 50).items;
    let steps: Vec<_> = trail.iter().map(|e| (e.step, e.disposition, e.from, e.to, e.at)).collect();
    assert_eq!(
        steps,
        vec![
            (BusinessStep::Commissioning, Disposition::Active, None, Some(w.maker), 10 * DAY),
            (BusinessStep::Shipping, Disposition::InTransit, Some(w.maker), Some(w.distributor), 11 * DAY),
            (BusinessStep::Receiving, Disposition::Active, Some(w.maker), Some(w.distributor), 12 * DAY),
            (BusinessStep::Shipping, Disposition::InTransit, Some(w.distributor), Some(w.pharmacy), 13 * DAY),
            (BusinessStep::Receiving, Disposition::Active, Some(w.distributor), Some(w.pharmacy), 14 * DAY),
            (BusinessStep::Dispensing, Disposition::Dispensed, Some(w.pharmacy), None, 15 * DAY),
        ]
    );

    // A dispensed unit never moves again.
    w.pharmacy_cannot_move_unit_1(Disposition::Dispensed, DecommissionReason::Sampled);
    w.check();
}

#[ink::test]
fn trail_is_read_page_by_page() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1]);
    assert_eq!(w.c.unit(1).unwrap().trail_len, 5);
    let first = w.c.trail(1, 0, 2);
    assert_eq!((first.items.len(), first.next, first.len), (2, Some(2), 5));
    let second = w.c.trail(1, 2, 2);
    assert_eq!(second.items[0].step, BusinessStep::Receiving);
    assert_eq!(second.next, Some(4));
    let third = w.c.trail(1, 4, 2);
    assert_eq!((third.items.len(), third.next), (1, None));
    assert_eq!(third.items[0].step, BusinessStep::Receiving);
    assert!(w.c.trail(1, 9, 2).items.is_empty());
    assert!(w.c.trail(99, 0, 10).items.is_empty(), "unknown unit");

    as_caller(w.maker);
    w.c.commission(1, serials("Z", 60)).unwrap();
    let ids: Vec<UnitId> = (6..66).collect();
    for _ in 0..30 {
        w.c.ship(ids.clone(), w.distributor).unwrap();
        w.c.void_shipment(ids.clone()).unwrap();
    }
    assert_eq!(w.c.unit(6).unwrap().trail_len, 61);
    let page = w.c.trail(6, 0, 1000);
    assert_eq!(page.items.len(), MAX_PAGE as usize, "a page is capped");
    assert_eq!(page.next, Some(u64::from(MAX_PAGE)));
    w.check();
}

#[ink::test]
fn returns_go_back_up_the_flow_to_the_units_own_manufacturer() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1, 2]);
    w.ship(w.pharmacy, &[1, 2], w.distributor);
    w.receive(w.distributor, &[1, 2]);

    as_caller(w.distributor);
    refused(&mut w.c, Error::NotUnitManufacturer(1), |c| c.ship(vec![1, 2], w.other_maker));
    w.ship(w.distributor, &[1, 2], w.maker);
    w.receive(w.maker, &[1, 2]);
    assert_eq!((w.owner(1), w.disposition(1)), (w.maker, Disposition::Active));
}

#[ink::test]
fn ship_refusals_name_the_bad_unit_and_change_nothing() {
    let mut w = world();
    as_caller(w.maker);
    refused(&mut w.c, Error::EmptyList, |c| c.ship(vec![], w.distributor));
    refused(&mut w.c, Error::TooMany, |c| c.ship((1..=101).collect(), w.distributor));
    refused(&mut w.c, Error::ShipToSelf, |c| c.ship(vec![1], w.maker));
    for wrong in [w.pharmacy, w.other_maker, w.regulator, w.stranger, w.patient] {
        refused(&mut w.c, Error::RecipientNotAuthorised, |c| c.ship(vec![1], wrong));
    }
    refused(&mut w.c, Error::DuplicateUnit(2), |c| c.ship(vec![2, 1, 2], w.distributor));
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.ship(vec![1, 2, 99], w.distributor));
    for outsider in [w.stranger, w.regulator] {
        as_caller(outsider);
        refused(&mut w.c, Error::SenderNotTradingPartner, |c| c.ship(vec![1], w.distributor));
    }
    as_caller(w.other_maker);
    refused(&mut w.c, Error::NotOwner(1), |c| c.ship(vec![1], w.distributor));

    // Already in transit.
    w.ship(w.maker, &[3], w.distributor);
    as_caller(w.maker);
    refused(&mut w.c, Error::UnitNotActive(3, Disposition::InTransit), |c| c.ship(vec![1, 3], w.distributor));
    // Quarantined.
    w.c.flag_suspect(4, REASON).unwrap();
    refused(&mut w.c, Error::UnitNotActive(4, Disposition::Quarantined), |c| c.ship(vec![1, 4], w.distributor));
    // A distributor does not ship to another distributor.
    w.receive(w.distributor, &[3]);
    as_caller(w.distributor);
    stubs::set_roles(w.participants, addr(0x70), &[Role::Distributor]);
    refused(&mut w.c, Error::RecipientNotAuthorised, |c| c.ship(vec![3], addr(0x70)));
    // The sender's credential lapsed.
    stubs::set_roles(w.participants, w.distributor, &[]);
    refused(&mut w.c, Error::SenderNotTradingPartner, |c| c.ship(vec![3], w.pharmacy));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.ship(vec![3], w.pharmacy));
    stubs::deploy(w.participants);
    stubs::set_roles(w.participants, w.distributor, &[Role::Distributor]);

    // Expired.
    at(EXPIRES_AT);
    as_caller(w.maker);
    refused(&mut w.c, Error::UnitExpired(1), |c| c.ship(vec![1], w.distributor));
    w.check();
}

#[ink::test]
fn receive_refusals_and_voided_shipments() {
    let mut w = world();
    w.ship(w.maker, &[1, 2], w.distributor);

    as_caller(w.distributor);
    refused(&mut w.c, Error::EmptyList, |c| c.receive(vec![]));
    refused(&mut w.c, Error::TooMany, |c| c.receive((1..=101).collect()));
    refused(&mut w.c, Error::DuplicateUnit(1), |c| c.receive(vec![1, 1]));
    refused(&mut w.c, Error::UnitNotFound(42), |c| c.receive(vec![1, 42]));
    refused(&mut w.c, Error::UnitNotInTransit(3), |c| c.receive(vec![1, 3]));
    for wrong in [w.pharmacy, w.maker, w.stranger] {
        as_caller(wrong);
        refused(&mut w.c, Error::NotRecipient(1), |c| c.receive(vec![1]));
    }

    // Only the shipper voids, only while in transit.
    for wrong in [w.distributor, w.stranger] {
        as_caller(wrong);
        refused(&mut w.c, Error::NotOwner(1), |c| c.void_shipment(vec![1]));
    }
    as_caller(w.maker);
    refused(&mut w.c, Error::EmptyList, |c| c.void_shipment(vec![]));
    refused(&mut w.c, Error::TooMany, |c| c.void_shipment((1..=101).collect()));
    refused(&mut w.c, Error::UnitNotFound(42), |c| c.void_shipment(vec![42]));
    refused(&mut w.c, Error::DuplicateUnit(2), |c| c.void_shipment(vec![2, 2]));
    refused(&mut w.c, Error::UnitNotInTransit(3), |c| c.void_shipment(vec![1, 3]));
    w.c.void_shipment(vec![1]).unwrap();
    assert_eq!(last_event::<ShipmentVoided>(), ShipmentVoided { unit: 1, shipper: w.maker, recipient: w.distributor });
    assert_eq!((w.owner(1), w.disposition(1)), (w.maker, Disposition::Active));
    assert_eq!(w.c.unit(1).unwrap().recipient, None);
    let last = w.c.trail(1, 2, 1).items[0];
    assert_eq!((last.step, last.from, last.to), (BusinessStep::VoidShipping, Some(w.maker), Some(w.distributor)));
    w.check();

    as_caller(w.distributor);
    refused(&mut w.c, Error::UnitNotInTransit(1), |c| c.receive(vec![2, 1]));
    w.receive(w.distributor, &[2]);
}

/// Regression: `receive` made no credential check, so a recipient suspended while the unit was in transit still
/// became its owner.
#[ink::test]
fn a_recipient_suspended_in_transit_cannot_receive_and_the_shipper_voids() {
    let mut w = world();
    w.ship(w.maker, &[1, 2], w.distributor);
    stubs::set_roles(w.participants, w.distributor, &[]);
    as_caller(w.distributor);
    refused(&mut w.c, Error::RecipientNotAuthorised, |c| c.receive(vec![1, 2]));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.receive(vec![1]));
    stubs::deploy(w.participants);
    assert_eq!((w.owner(1), w.disposition(1)), (w.maker, Disposition::InTransit));
    as_caller(w.maker);
    w.c.void_shipment(vec![1, 2]).unwrap();
    w.check();
    // Reinstated, it receives again.
    stubs::set_roles(w.participants, w.distributor, &[Role::Distributor]);
    w.ship(w.maker, &[1], w.distributor);
    w.receive(w.distributor, &[1]);
    assert_eq!(w.owner(1), w.distributor);
}

// ---- dispensing and decommissioning ----

#[ink::test]
fn a_prescriber_registers_a_prescription_under_a_commitment() {
    let w = world();
    assert_eq!(
        last_event::<PrescriptionRegistered>(),
        PrescriptionRegistered { commitment: RX_COMMITMENT, prescriber: w.prescriber, quantity: RX_UNITS }
    );
    assert_eq!(
        w.c.prescription(RX_COMMITMENT),
        Some(Prescription {
            prescriber: w.prescriber,
            quantity: RX_UNITS,
            dispensed: 0,
            pharmacy: None,
            registered_at: 10 * DAY
        })
    );
    assert_eq!(w.c.prescription([0; 32]), None);
}

/// Regression: `dispense` accepted any Current Medications record of the patient as the prescription, one the
/// patient registered included, and the same one any number of times.
#[ink::test]
fn prescription_registration_refusals() {
    let mut w = world();
    let (patient, prescriber) = (w.patient, w.prescriber);
    let record = |author, patient, class, status| RecordSummary {
        patient,
        author,
        class,
        status,
        content_hash: [1; 32],
        created_at: DAY,
    };
    let (medications, current) = (DataClass::Medications, RecordStatus::Current);
    stubs::set_record(w.records, 81, Some(record(patient, patient, medications, current)));
    stubs::set_record(w.records, 82, Some(record(prescriber, patient, DataClass::Labs, current)));
    stubs::set_record(w.records, 83, Some(record(prescriber, patient, medications, RecordStatus::Superseded)));
    stubs::set_record(w.records, 84, Some(record(prescriber, patient, medications, RecordStatus::Erased)));
    stubs::set_record(w.records, 85, Some(record(prescriber, prescriber, medications, current)));
    stubs::set_record(w.records, 86, Some(record(w.stranger, patient, medications, current)));
    stubs::set_record(w.records, 87, Some(record(prescriber, patient, medications, current)));
    let fresh = [0x88; 32];

    as_caller(prescriber);
    refused(&mut w.c, Error::InvalidQuantity, |c| c.register_prescription(87, fresh, 0));
    refused(&mut w.c, Error::InvalidQuantity, |c| c.register_prescription(87, fresh, 1_001));
    refused(&mut w.c, Error::PrescriptionExists, |c| c.register_prescription(87, RX_COMMITMENT, 1));
    refused(&mut w.c, Error::RecordAlreadyPrescribed, |c| c.register_prescription(RX, fresh, 1));
    refused(&mut w.c, Error::PrescriptionNotFound, |c| c.register_prescription(12345, fresh, 1));
    refused(&mut w.c, Error::NotPrescriber, |c| c.register_prescription(81, fresh, 1));
    refused(&mut w.c, Error::PrescriptionNotMedications, |c| c.register_prescription(82, fresh, 1));
    refused(&mut w.c, Error::PrescriptionNotCurrent, |c| c.register_prescription(83, fresh, 1));
    refused(&mut w.c, Error::PrescriptionNotCurrent, |c| c.register_prescription(84, fresh, 1));
    refused(&mut w.c, Error::SelfPrescribed, |c| c.register_prescription(85, fresh, 1));
    refused(&mut w.c, Error::NotPrescriber, |c| c.register_prescription(86, fresh, 1));
    // The patient registering a record it wrote of itself, and every other role, are refused.
    as_caller(patient);
    refused(&mut w.c, Error::SelfPrescribed, |c| c.register_prescription(81, fresh, 1));
    refused(&mut w.c, Error::NotPrescriber, |c| c.register_prescription(87, fresh, 1));
    for outsider in [w.pharmacy, w.maker, w.regulator, w.distributor] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotPrescriber, |c| c.register_prescription(87, fresh, 1));
    }
    // The author, no longer a credentialed Provider.
    as_caller(prescriber);
    stubs::set_roles(w.participants, prescriber, &[]);
    refused(&mut w.c, Error::NotProvider, |c| c.register_prescription(87, fresh, 1));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.register_prescription(87, fresh, 1));
    stubs::set_roles(w.participants, prescriber, &[Role::Provider]);
    stubs::remove(w.records);
    refused(&mut w.c, Error::RecordsUnreachable, |c| c.register_prescription(87, fresh, 1));
    assert_eq!(w.c.prescription(fresh), None);
    stubs::deploy(w.records);
    w.c.register_prescription(87, fresh, 1).unwrap();
    assert_eq!(w.c.prescription(fresh).map(|p| p.quantity), Some(1));
}

/// Regression: the custody trail and `UnitDispensed` put the patient's account next to the drug and the pharmacy.
#[ink::test]
fn dispensing_consumes_the_prescription_and_names_no_patient() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1, 2, 3]);
    as_caller(w.pharmacy);
    refused(&mut w.c, Error::PrescriptionNotFound, |c| c.dispense(1, Some([0x99; 32])));
    w.c.dispense(1, Some(RX_COMMITMENT)).unwrap();
    assert_eq!(
        last_event::<UnitDispensed>(),
        UnitDispensed { unit: 1, pharmacy: w.pharmacy, prescription: Some(RX_COMMITMENT) }
    );
    let patient: &[u8] = w.patient.as_ref();
    assert!(last_topics().iter().all(|topic| topic.as_slice() != patient), "the patient is no topic");
    assert_eq!(w.c.unit(1).unwrap().prescription, Some(RX_COMMITMENT));
    let last = w.c.trail(1, 5, 1).items[0];
    assert_eq!((last.step, last.from, last.to), (BusinessStep::Dispensing, Some(w.pharmacy), None));
    let held = w.c.prescription(RX_COMMITMENT).unwrap();
    assert_eq!((held.dispensed, held.pharmacy), (1, Some(w.pharmacy)));
    w.check();

    // Another pharmacy cannot dispense against a prescription held by the first.
    let other_pharmacy = addr(0x70);
    stubs::set_roles(w.participants, other_pharmacy, &[Role::Pharmacy]);
    stubs::set_roles(w.participants, w.distributor, &[Role::Distributor]);
    w.ship(w.maker, &[4], w.distributor);
    w.receive(w.distributor, &[4]);
    w.ship(w.distributor, &[4], other_pharmacy);
    w.receive(other_pharmacy, &[4]);
    as_caller(other_pharmacy);
    refused(&mut w.c, Error::PrescriptionOfAnotherPharmacy, |c| c.dispense(4, Some(RX_COMMITMENT)));

    // Each unit consumes one; past the quantity, a named refusal.
    as_caller(w.pharmacy);
    w.c.dispense(2, Some(RX_COMMITMENT)).unwrap();
    assert_eq!(w.c.prescription(RX_COMMITMENT).unwrap().dispensed, RX_UNITS);
    refused(&mut w.c, Error::PrescriptionExhausted, |c| c.dispense(3, Some(RX_COMMITMENT)));
    w.c.dispense(3, None).unwrap();
    assert_eq!(w.c.unit(3).unwrap().prescription, None);
    w.check();
}

#[ink::test]
fn dispensing_refusals() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1]);
    w.ship(w.maker, &[2], w.distributor);
    w.receive(w.distributor, &[2]);

    as_caller(w.pharmacy);
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.dispense(99, None));
    refused(&mut w.c, Error::NotOwner(2), |c| c.dispense(2, None));
    as_caller(w.distributor);
    refused(&mut w.c, Error::NotPharmacy, |c| c.dispense(2, None));

    // The pharmacy's credential lapsed.
    as_caller(w.pharmacy);
    stubs::set_roles(w.participants, w.pharmacy, &[Role::Provider]);
    refused(&mut w.c, Error::NotPharmacy, |c| c.dispense(1, None));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.dispense(1, None));
    stubs::set_roles(w.participants, w.pharmacy, &[Role::Pharmacy]);

    // In transit back, quarantined, expired.
    w.ship(w.pharmacy, &[1], w.distributor);
    as_caller(w.pharmacy);
    refused(&mut w.c, Error::UnitNotActive(1, Disposition::InTransit), |c| c.dispense(1, None));
    w.c.void_shipment(vec![1]).unwrap();
    w.c.flag_suspect(1, REASON).unwrap();
    refused(&mut w.c, Error::UnitNotActive(1, Disposition::Quarantined), |c| c.dispense(1, None));
    as_caller(w.regulator);
    w.c.clear_suspect(1).unwrap();
    at(EXPIRES_AT);
    as_caller(w.pharmacy);
    refused(&mut w.c, Error::UnitExpired(1), |c| c.dispense(1, None));
    w.check();
    at(EXPIRES_AT - 1);
    w.c.dispense(1, None).unwrap();
    w.check();
}

#[ink::test]
fn owners_decommission_units() {
    let mut w = world();
    as_caller(w.maker);
    w.c.decommission(1, DecommissionReason::Damaged).unwrap();
    assert_eq!(
        last_event::<UnitDecommissioned>(),
        UnitDecommissioned { unit: 1, owner: w.maker, reason: DecommissionReason::Damaged }
    );
    let unit = w.c.unit(1).unwrap();
    assert_eq!((unit.disposition, unit.decommissioned), (Disposition::Destroyed, Some(DecommissionReason::Damaged)));
    assert_eq!(w.c.trail(1, 1, 1).items[0].step, BusinessStep::Decommissioning);
    w.check();

    refused(&mut w.c, Error::UnitNotActive(1, Disposition::Destroyed), |c| c.ship(vec![1], w.distributor));
    refused(&mut w.c, Error::UnitNotActive(1, Disposition::Destroyed), |c| {
        c.decommission(1, DecommissionReason::Destroyed)
    });
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.decommission(99, DecommissionReason::Destroyed));
    as_caller(w.distributor);
    refused(&mut w.c, Error::NotOwner(2), |c| c.decommission(2, DecommissionReason::Destroyed));

    w.ship(w.maker, &[2], w.distributor);
    as_caller(w.maker);
    refused(&mut w.c, Error::UnitNotActive(2, Disposition::InTransit), |c| {
        c.decommission(2, DecommissionReason::Sampled)
    });

    // Expired and recalled units end by decommissioning.
    at(EXPIRES_AT);
    w.c.decommission(3, DecommissionReason::Sampled).unwrap();
    w.check();
    w.c.recall(w.batch, REASON).unwrap();
    w.check();
    w.c.decommission(4, DecommissionReason::Destroyed).unwrap();
    assert_eq!(w.disposition(4), Disposition::Destroyed);
    w.check();
}

// ---- safety ----

#[ink::test]
fn a_recall_freezes_every_unit_of_the_batch_wherever_it_is() {
    let mut w = world();
    as_caller(w.maker);
    let other = w.c.create_batch(s(GTIN), s("LOT-B"), s(EXPIRY)).unwrap();
    w.c.commission(other, vec![s("B1")]).unwrap(); // unit 6
    w.deliver_to_pharmacy(&[1]);
    w.ship(w.maker, &[2, 3], w.distributor);
    w.receive(w.distributor, &[2]);
    w.ship(w.distributor, &[2], w.pharmacy); // 2 in transit to the pharmacy, 3 to the distributor, 4 and 5 at maker
    let trails: Vec<u32> = (1..=6).map(|id| w.c.unit(id).unwrap().trail_len).collect();

    as_caller(w.regulator);
    let before = events();
    w.c.recall(w.batch, REASON).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(last_event::<BatchRecalled>(), BatchRecalled { batch: w.batch, by: w.regulator, reason_hash: REASON });
    assert_eq!(w.c.batch(w.batch).unwrap().recall, Some(Recall { by: w.regulator, reason_hash: REASON, at: 10 * DAY }));
    assert_eq!((1..=6).map(|id| w.c.unit(id).unwrap().trail_len).collect::<Vec<_>>(), trails, "O(1): no unit written");
    w.check();
    for id in 1..=5 {
        assert_eq!(w.disposition(id), Disposition::Recalled);
    }
    assert_eq!(w.disposition(6), Disposition::Active, "another batch is untouched");

    as_caller(w.pharmacy);
    refused(&mut w.c, Error::UnitRecalled(1), |c| c.dispense(1, None));
    refused(&mut w.c, Error::UnitRecalled(1), |c| c.ship(vec![1], w.distributor));
    refused(&mut w.c, Error::UnitRecalled(2), |c| c.receive(vec![2]));
    as_caller(w.distributor);
    refused(&mut w.c, Error::UnitRecalled(3), |c| c.receive(vec![3]));
    as_caller(w.maker);
    refused(&mut w.c, Error::UnitRecalled(4), |c| c.ship(vec![6, 4], w.distributor));
    w.ship(w.maker, &[6], w.distributor);

    // The shipper may void a recalled shipment (the owner does not change) and then destroy the units.
    as_caller(w.distributor);
    w.c.void_shipment(vec![2]).unwrap();
    assert_eq!((w.owner(2), w.disposition(2)), (w.distributor, Disposition::Recalled));
    w.c.decommission(2, DecommissionReason::Destroyed).unwrap();
    w.check();

    as_caller(w.maker);
    refused(&mut w.c, Error::AlreadyRecalled, |c| c.recall(w.batch, [1; 32]));
    w.c.recall(other, REASON).unwrap();
    assert_eq!(last_event::<BatchRecalled>().by, w.maker);
    w.check();
}

#[ink::test]
fn recall_refusals() {
    let mut w = world();
    for outsider in [w.other_maker, w.distributor, w.pharmacy, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotManufacturerOrRegulator, |c| c.recall(w.batch, REASON));
    }
    as_caller(w.regulator);
    refused(&mut w.c, Error::BatchNotFound, |c| c.recall(9, REASON));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.recall(w.batch, REASON));
    // The manufacturer recalls its own batch without asking participants.
    as_caller(w.maker);
    w.c.recall(w.batch, REASON).unwrap();
    w.check();
}

#[ink::test]
fn suspect_units_are_quarantined_then_cleared() {
    let mut w = world();
    as_caller(w.maker);
    w.c.flag_suspect(1, REASON).unwrap();
    assert_eq!(
        last_event::<UnitQuarantined>(),
        UnitQuarantined { unit: 1, by: w.maker, owner: w.maker, reason_hash: REASON, investigate_by: 40 * DAY }
    );
    assert_eq!(w.disposition(1), Disposition::Quarantined);
    let trail_entry = w.c.trail(1, 1, 1).items[0];
    assert_eq!(
        (trail_entry.step, trail_entry.disposition, trail_entry.from),
        (BusinessStep::Holding, Disposition::Quarantined, Some(w.maker))
    );
    w.check();
    refused(&mut w.c, Error::UnitNotActive(1, Disposition::Quarantined), |c| c.flag_suspect(1, REASON));
    refused(&mut w.c, Error::NotRegulator, |c| c.clear_suspect(1));
    refused(&mut w.c, Error::UnitNotActive(1, Disposition::Quarantined), |c| {
        c.decommission(1, DecommissionReason::Destroyed)
    });

    as_caller(w.regulator);
    refused(&mut w.c, Error::UnitNotQuarantined(2), |c| c.clear_suspect(2));
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.clear_suspect(99));
    w.c.clear_suspect(1).unwrap();
    assert_eq!(last_event::<UnitCleared>(), UnitCleared { unit: 1, by: w.regulator, owner: w.maker });
    assert_eq!((w.owner(1), w.disposition(1)), (w.maker, Disposition::Active));
    assert_eq!(w.c.trail(1, 2, 1).items[0].step, BusinessStep::Inspecting);
    w.check();

    // A Regulator flags a unit it does not own; a stranger may not.
    as_caller(w.stranger);
    refused(&mut w.c, Error::NotOwnerOrRegulator, |c| c.flag_suspect(2, REASON));
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.flag_suspect(99, REASON));
    as_caller(w.regulator);
    w.c.flag_suspect(2, REASON).unwrap();
    assert_eq!(last_event::<UnitQuarantined>().by, w.regulator);
    w.check();
}

#[ink::test]
fn flagging_a_unit_in_transit_voids_the_shipment() {
    let mut w = world();
    w.ship(w.maker, &[1], w.distributor);
    as_caller(w.maker);
    let before = events();
    w.c.flag_suspect(1, REASON).unwrap();
    assert_eq!(events(), before + 2, "ShipmentVoided and UnitQuarantined");
    assert_eq!(last_of::<ShipmentVoided>(), ShipmentVoided { unit: 1, shipper: w.maker, recipient: w.distributor });
    assert_eq!(
        last_event::<UnitQuarantined>(),
        UnitQuarantined { unit: 1, by: w.maker, owner: w.maker, reason_hash: REASON, investigate_by: 40 * DAY },
        "the voided shipment first"
    );
    assert_eq!(w.c.unit(1).unwrap().recipient, None);
    w.check();
    as_caller(w.distributor);
    refused(&mut w.c, Error::UnitNotInTransit(1), |c| c.receive(vec![1]));
}

#[ink::test]
fn illegitimate_units_never_move_again() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1]);
    w.ship(w.pharmacy, &[1], w.distributor);
    for outsider in [w.pharmacy, w.maker, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotRegulator, |c| c.declare_illegitimate(1));
    }
    as_caller(w.regulator);
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.declare_illegitimate(99));
    stubs::remove(w.participants);
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.declare_illegitimate(1));
    refused(&mut w.c, Error::ParticipantsUnreachable, |c| c.clear_suspect(1));
    stubs::set_roles(w.participants, w.regulator, &[Role::Regulator]);

    let before = events();
    w.c.declare_illegitimate(1).unwrap();
    assert_eq!(events(), before + 2, "the pending return is voided");
    assert_eq!(
        last_event::<UnitDeclaredIllegitimate>(),
        UnitDeclaredIllegitimate { unit: 1, by: w.regulator, owner: w.pharmacy, notify_by: 11 * DAY }
    );
    assert_eq!((w.owner(1), w.disposition(1)), (w.pharmacy, Disposition::Illegitimate));
    w.check();
    refused(&mut w.c, Error::AlreadyIllegitimate(1), |c| c.declare_illegitimate(1));
    refused(&mut w.c, Error::UnitNotQuarantined(1), |c| c.clear_suspect(1));

    w.pharmacy_cannot_move_unit_1(Disposition::Illegitimate, DecommissionReason::Destroyed);
    as_caller(w.distributor);
    refused(&mut w.c, Error::UnitNotInTransit(1), |c| c.receive(vec![1]));

    // A quarantined unit, after investigation, and even a dispensed one can be declared illegitimate.
    as_caller(w.maker);
    w.c.flag_suspect(2, REASON).unwrap();
    as_caller(w.regulator);
    w.c.declare_illegitimate(2).unwrap();
    w.check();
    // The illegitimate verdict outranks a later recall.
    w.c.recall(w.batch, REASON).unwrap();
    w.check();
    assert_eq!(w.disposition(1), Disposition::Illegitimate);
    assert_eq!(w.disposition(3), Disposition::Recalled);
}

// ---- DSCSA clocks ----

#[ink::test]
fn suspect_units_must_be_investigated_within_30_days_and_illegitimate_ones_notified_within_24_hours() {
    let mut w = world();
    as_caller(w.maker);
    w.c.flag_suspect(1, REASON).unwrap();
    at(11 * DAY);
    w.c.flag_suspect(2, REASON).unwrap();
    assert_eq!(w.c.unit(1).unwrap().deadline, Some(0));
    let investigation = |unit, due| Deadline { unit, kind: DeadlineKind::Investigation, due, met: None };
    assert_eq!(w.c.deadline(1), Some(investigation(2, 41 * DAY)));

    at(40 * DAY - 1);
    assert_eq!(w.c.overdue(0, 10).items, vec![]);
    at(41 * DAY);
    assert_eq!(w.c.overdue(0, 10).items, vec![(0, investigation(1, 40 * DAY)), (1, investigation(2, 41 * DAY))]);
    let first = w.c.overdue(0, 1);
    assert_eq!((first.items.len(), first.next, first.len), (1, Some(1), 2), "a bounded page of the log");

    // Cleared late: met, and the log keeps when.
    as_caller(w.regulator);
    w.c.clear_suspect(1).unwrap();
    assert_eq!(w.c.deadline(0).unwrap().met, Some(41 * DAY));
    assert_eq!(w.c.unit(1).unwrap().deadline, None);
    // Declared illegitimate: its investigation is met, the owner's 24 hours to notify start.
    w.c.declare_illegitimate(2).unwrap();
    assert_eq!(last_event::<UnitDeclaredIllegitimate>().notify_by, 42 * DAY);
    assert_eq!(w.c.deadline(1).unwrap().met, Some(41 * DAY));
    let notification = Deadline { unit: 2, kind: DeadlineKind::Notification, due: 42 * DAY, met: None };
    assert_eq!(w.c.deadline(2), Some(notification));
    assert_eq!(w.c.overdue(0, 10).items, vec![]);
    at(42 * DAY);
    assert_eq!(w.c.overdue(0, 10).items, vec![(2, notification)]);

    // Only its owner notifies, and only partners other than itself, each once.
    let partners = vec![w.distributor, addr(0x71)];
    for outsider in [w.regulator, w.distributor, w.stranger] {
        as_caller(outsider);
        refused(&mut w.c, Error::NotOwner(2), |c| c.notify_trading_partners(2, partners.clone()));
    }
    as_caller(w.maker);
    refused(&mut w.c, Error::EmptyList, |c| c.notify_trading_partners(2, vec![]));
    refused(&mut w.c, Error::TooMany, |c| c.notify_trading_partners(2, (0..17).map(addr).collect()));
    refused(&mut w.c, Error::InvalidPartners, |c| c.notify_trading_partners(2, vec![w.distributor, w.distributor]));
    refused(&mut w.c, Error::InvalidPartners, |c| c.notify_trading_partners(2, vec![w.maker]));
    refused(&mut w.c, Error::NoNotificationDue(1), |c| c.notify_trading_partners(1, partners.clone()));
    refused(&mut w.c, Error::UnitNotFound(99), |c| c.notify_trading_partners(99, partners.clone()));
    let before = events();
    w.c.notify_trading_partners(2, partners.clone()).unwrap();
    assert_eq!(events(), before + 2, "one event per partner");
    assert_eq!(
        last_event::<TradingPartnerNotified>(),
        TradingPartnerNotified { unit: 2, by: w.maker, partner: addr(0x71) }
    );
    assert!(last_topics().iter().any(|t| t.as_slice() == AsRef::<[u8]>::as_ref(&addr(0x71))), "partner is a topic");
    assert_eq!(w.c.deadline(2).unwrap().met, Some(42 * DAY));
    assert_eq!(w.c.overdue(0, 10).items, vec![]);
    refused(&mut w.c, Error::NoNotificationDue(2), |c| c.notify_trading_partners(2, partners.clone()));
    w.check();
}

#[ink::test]
fn a_unit_declared_illegitimate_without_quarantine_starts_only_the_notification_clock() {
    let mut w = world();
    as_caller(w.regulator);
    w.c.declare_illegitimate(3).unwrap();
    assert_eq!(w.c.overdue(0, 10).len, 1);
    assert_eq!(w.c.deadline(0).map(|d| (d.unit, d.kind, d.due)), Some((3, DeadlineKind::Notification, 11 * DAY)));
    at(11 * DAY - 1);
    as_caller(w.maker);
    w.c.notify_trading_partners(3, vec![w.distributor]).unwrap();
    at(12 * DAY);
    assert_eq!(w.c.overdue(0, 10).items, vec![], "met in time");
}

/// (participants' has_role, participants' roles_of, records' summary) calls so far.
fn asked(w: &World) -> (u32, u32, u32) {
    (
        stubs::asked(w.participants, Message::HasRole),
        stubs::asked(w.participants, Message::RolesOf),
        stubs::asked(w.records, Message::Summary),
    )
}

#[ink::test]
fn other_contracts_are_asked_only_what_a_rule_needs() {
    let mut w = world();
    w.deliver_to_pharmacy(&[3, 4]);
    let start = asked(&w);

    // An owner quarantining its own unit asks nobody; neither does a refusal found in storage.
    as_caller(w.maker);
    w.c.flag_suspect(1, REASON).unwrap();
    refused(&mut w.c, Error::EmptyList, |c| c.ship(vec![], w.distributor));
    refused(&mut w.c, Error::ShipToSelf, |c| c.ship(vec![2], w.maker));
    as_caller(w.pharmacy);
    refused(&mut w.c, Error::NotOwner(5), |c| c.dispense(5, Some(RX_COMMITMENT)));
    assert_eq!(asked(&w), start);

    // A shipment asks the roles of both parties, once each.
    w.ship(w.maker, &[2], w.distributor);
    assert_eq!(asked(&w), (start.0, start.1 + 2, start.2));
    w.receive(w.distributor, &[2]);
    assert_eq!(asked(&w), (start.0, start.1 + 3, start.2), "receiving asks the recipient's roles, once");

    // Dispensing asks for the Pharmacy role; a prescription is read from storage (records were asked when it was
    // registered).
    as_caller(w.pharmacy);
    w.c.dispense(3, None).unwrap();
    assert_eq!(asked(&w), (start.0 + 1, start.1 + 3, start.2));
    w.c.dispense(4, Some(RX_COMMITMENT)).unwrap();
    assert_eq!(asked(&w), (start.0 + 2, start.1 + 3, start.2));

    // Registering a prescription asks records and participants once each.
    stubs::set_record(w.records, 90, Some(w.prescription(w.patient, DataClass::Medications, RecordStatus::Current)));
    as_caller(w.prescriber);
    w.c.register_prescription(90, [0x90; 32], 1).unwrap();
    assert_eq!(asked(&w), (start.0 + 3, start.1 + 3, start.2 + 1));

    // The manufacturer recalls its own batch without asking; a Regulator is asked for.
    as_caller(w.maker);
    w.c.recall(w.batch, REASON).unwrap();
    assert_eq!(asked(&w), (start.0 + 3, start.1 + 3, start.2 + 1));
    as_caller(w.other_maker);
    w.c.register_product(s(GTIN2), NAME).unwrap();
    let other = w.c.create_batch(s(GTIN2), s(LOT), s(EXPIRY)).unwrap();
    let before = asked(&w);
    as_caller(w.regulator);
    w.c.recall(other, REASON).unwrap();
    assert_eq!(asked(&w), (before.0 + 1, before.1, before.2));
    w.check();
}

#[ink::test]
fn verify_tells_genuine_from_counterfeit_and_saleable_from_not() {
    let mut w = world();
    let verify = |c: &Custody, gtin: &str, serial: &str, lot: &str, expiry: &str| {
        c.verify(s(gtin), s(serial), s(lot), s(expiry)).unwrap()
    };
    let genuine = |saleable, disposition, owner, unit| Verification {
        identifier: IdentifierCheck::Genuine,
        saleable,
        disposition: Some(disposition),
        owner: Some(owner),
        unit: Some(unit),
    };
    assert_eq!(verify(&w.c, GTIN, "SN1", LOT, EXPIRY), genuine(true, Disposition::Active, w.maker, 1));
    assert_eq!(verify(&w.c, GTIN, "SN999", LOT, EXPIRY), crate::verification::UNKNOWN);
    assert_eq!(verify(&w.c, GTIN2, "SN1", LOT, EXPIRY), crate::verification::UNKNOWN);
    let lot = verify(&w.c, GTIN, "SN1", "LOT-FAKE", EXPIRY);
    assert_eq!((lot.identifier, lot.saleable, lot.unit), (IdentifierCheck::LotMismatch, false, Some(1)));
    let expiry = verify(&w.c, GTIN, "SN1", LOT, "710205");
    assert_eq!((expiry.identifier, expiry.saleable), (IdentifierCheck::ExpiryMismatch, false));
    assert_eq!(w.c.verify(s(GTIN), s("SN1"), s(LOT), s("710230")), Err(Error::InvalidExpiry));

    w.ship(w.maker, &[1], w.distributor);
    assert_eq!(verify(&w.c, GTIN, "SN1", LOT, EXPIRY), genuine(true, Disposition::InTransit, w.maker, 1));
    w.receive(w.distributor, &[1]);
    assert_eq!(verify(&w.c, GTIN, "SN1", LOT, EXPIRY).owner, Some(w.distributor));

    // Usable through the whole expiry day: expired from 00:00 UTC of the next.
    at(EXPIRES_AT - 1);
    assert!(verify(&w.c, GTIN, "SN2", LOT, EXPIRY).saleable);
    at(EXPIRES_AT);
    assert_eq!(verify(&w.c, GTIN, "SN2", LOT, EXPIRY), genuine(false, Disposition::Expired, w.maker, 2));
    w.check();
}

/// Regression: `verify` answered `authentic: false` for a genuine unit that was dispensed or recalled (the story
/// printed it).
#[ink::test]
fn a_dispensed_or_recalled_unit_is_still_genuine_and_not_saleable() {
    let mut w = world();
    w.deliver_to_pharmacy(&[1]);
    as_caller(w.pharmacy);
    w.c.dispense(1, None).unwrap();
    let dispensed = w.c.verify(s(GTIN), s("SN1"), s(LOT), s(EXPIRY)).unwrap();
    assert_eq!(
        (dispensed.identifier, dispensed.saleable, dispensed.disposition),
        (IdentifierCheck::Genuine, false, Some(Disposition::Dispensed))
    );
    as_caller(w.maker);
    w.c.recall(w.batch, REASON).unwrap();
    let recalled = w.c.verify(s(GTIN), s("SN2"), s(LOT), s(EXPIRY)).unwrap();
    assert_eq!(
        (recalled.identifier, recalled.saleable, recalled.disposition),
        (IdentifierCheck::Genuine, false, Some(Disposition::Recalled))
    );
    w.check();
}

/// A pack printed with DD 00 (end of month) names the same day as the batch's last day of the month.
#[ink::test]
fn an_ai17_expiry_with_dd_00_is_the_last_day_of_its_month() {
    let mut w = world();
    as_caller(w.maker);
    let batch = w.c.create_batch(s(GTIN), s("EOM"), s("710200")).unwrap();
    assert_eq!(w.c.batch(batch).unwrap().expires_at, (365 + 31 + 28) * DAY, "the end of 1971-02-28");
    w.c.commission(batch, vec![s("EOM-1")]).unwrap();
    for printed in ["710200", "710228"] {
        let answer = w.c.verify(s(GTIN), s("EOM-1"), s("EOM"), s(printed)).unwrap();
        assert_eq!((answer.identifier, answer.saleable), (IdentifierCheck::Genuine, true), "{printed}");
    }
    let wrong = w.c.verify(s(GTIN), s("EOM-1"), s("EOM"), s("710227")).unwrap();
    assert_eq!(wrong.identifier, IdentifierCheck::ExpiryMismatch);
    // Shipped and dispensed through the last minute of that day; refused from the next.
    at((365 + 31 + 28) * DAY - 1);
    w.ship(w.maker, &[6], w.distributor);
    at((365 + 31 + 28) * DAY);
    as_caller(w.maker);
    w.c.void_shipment(vec![6]).unwrap();
    refused(&mut w.c, Error::UnitExpired(6), |c| c.ship(vec![6], w.distributor));
}

#[ink::test]
fn single_unit_messages_refuse_unknown_units() {
    let mut w = world();
    as_caller(w.pharmacy);
    refused(&mut w.c, Error::UnitNotFound(0), |c| c.dispense(0, None));
    assert_eq!(w.c.unit(0), None);
    assert_eq!(w.c.disposition(0), None);
    assert_eq!(w.c.unit_id(s(GTIN), s("nope")), Ok(None));
    assert_eq!(w.c.batch(0), None);
    assert_eq!(w.c.batch_id(s(GTIN), s("nope")), Ok(None));
    assert_eq!(w.c.product(s(GTIN2)), Ok(None));
}

/// Regression: a GTIN plus a serial or lot of more than about 124 bytes made a storage key over 128 bytes, and the
/// contract trapped in `verify`, `product`, `batch_id`, `unit_id` and `create_batch` instead of answering.
#[ink::test]
fn identifiers_too_long_for_a_storage_key_are_refused_by_name_before_any_key_is_built() {
    let mut w = world();
    let long = "9".repeat(200);
    let valid_long_gtin = format!("{}1", "0".repeat(199));
    for gtin in [long.as_str(), valid_long_gtin.as_str(), "garbage"] {
        assert_eq!(w.c.verify(s(gtin), s("SN1"), s(LOT), s(EXPIRY)), Err(Error::InvalidGtin));
        assert_eq!(w.c.product(s(gtin)), Err(Error::InvalidGtin));
        assert_eq!(w.c.batch_id(s(gtin), s(LOT)), Err(Error::InvalidGtin));
        assert_eq!(w.c.unit_id(s(gtin), s("SN1")), Err(Error::InvalidGtin));
        as_caller(w.maker);
        refused(&mut w.c, Error::InvalidGtin, |c| c.create_batch(s(gtin), s(LOT), s(EXPIRY)));
        refused(&mut w.c, Error::InvalidGtin, |c| c.register_product(s(gtin), NAME));
    }
    assert_eq!(w.c.verify(s(GTIN), long.clone(), s(LOT), s(EXPIRY)), Err(Error::InvalidSerial(0)));
    assert_eq!(w.c.verify(s(GTIN), s("SN1"), long.clone(), s(EXPIRY)), Err(Error::InvalidLot));
    assert_eq!(w.c.verify(s(GTIN), s("SN1"), s(LOT), long.clone()), Err(Error::InvalidExpiry));
    assert_eq!(w.c.unit_id(s(GTIN), long.clone()), Err(Error::InvalidSerial(0)));
    assert_eq!(w.c.batch_id(s(GTIN), long.clone()), Err(Error::InvalidLot));
    refused(&mut w.c, Error::InvalidLot, |c| c.create_batch(s(GTIN), long.clone(), s(EXPIRY)));
    refused(&mut w.c, Error::InvalidSerial(0), |c| c.commission(1, vec![long.clone()]));
    // The longest identifiers a pack can carry are answered.
    let (serial20, lot20) = ("S".repeat(20), "L".repeat(20));
    assert_eq!(w.c.unit_id(s(GTIN), serial20.clone()), Ok(None));
    assert_eq!(w.c.batch_id(s(GTIN), lot20.clone()), Ok(None));
    assert_eq!(w.c.verify(s(GTIN), serial20, lot20, s(EXPIRY)), Ok(crate::verification::UNKNOWN));
}

#[ink::test]
fn commissioning_cost_per_unit_does_not_grow_with_the_units_on_chain() {
    let mut w = world();
    let callee = test::callee::<Env>();
    as_caller(w.maker);
    let measure = |c: &mut Custody, prefix: &str| {
        let (reads, writes) = test::get_contract_storage_rw::<Env>(&callee);
        c.commission(w.batch, serials(prefix, 10)).unwrap();
        let (reads_after, writes_after) = test::get_contract_storage_rw::<Env>(&callee);
        (reads_after - reads, writes_after - writes)
    };
    let few = measure(&mut w.c, "A-");
    for round in 0..10 {
        w.c.commission(w.batch, serials(&format!("FILL{round}-"), MAX_PER_CALL)).unwrap();
    }
    let many = measure(&mut w.c, "B-");
    assert_eq!(many, few, "10 units cost the same storage reads and writes with 15 or 1,015 units on chain");
}
