//! Scenario: a guardian acting for a minor (issue #18, HIPAA 164.502(g) personal representatives). The board (an
//! appointed issuer, standing for a court) attests a family member as the minor patient's guardian until the age of
//! majority, SubstanceUse excluded (adolescent-confidential). The guardian grants the doctor a Permit, under which the
//! doctor opens the minor's Labs record; the guardian opens it itself with basis Representative, which the
//! disclosure log records; it cannot open, erase or grant anything of the minor's SubstanceUse record. Once its period
//! is over the guardian is refused, and what it granted stays.

use crate::{account, ok, read, refused, Backend, Cast, Suite, FUNDS};
use consent::consent::{Error as ConsentError, Grantee, Provision};
use interfaces::{
    Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Denied, Purpose, PurposeSet, RecordId,
    Representatives as _, Role, Timestamp,
};
use records::records::Error as RecordsError;

/// How long after the first record the minor comes of age, in ms: long enough for the guardian's acts on a node.
const UNTIL_MAJORITY: Timestamp = 20_000;

pub async fn guardian<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (doctor, patient, board) = (account(&cast.doctor), account(&cast.patient), account(&cast.board));
    let family = client.create_and_fund_account(&cast.admin, FUNDS).await;
    let guardian = account(&family);

    // The minor keeps an adolescent-confidential record of their own; its time is the chain's clock.
    let substance_use = minor_registers(client, &suite, &cast, DataClass::SubstanceUse, 41).await;
    let now = created_at(client, &suite, substance_use).await;

    // The board attests the guardian until the age of majority, SubstanceUse excluded.
    let majority = now + UNTIL_MAJORITY;
    let excluded = DataClassSet::of(DataClass::SubstanceUse);
    let represent = suite.consent().represent(patient, guardian, now, Some(majority), excluded);
    assert_eq!(refused(client, &cast.doctor, &represent).await, ConsentError::NotIssuer);
    let representation = ok(client, &cast.board, &represent).await;
    let stored = read(client, &suite.consent().representation_of(patient, guardian)).await.expect("attested");
    assert_eq!((stored.id, stored.issuer, stored.valid_until), (representation, board, Some(majority)));

    // The guardian grants the doctor Treatment Read and Write of the general classes, as the patient would.
    let read_write = ActionSet::of(Action::Read).with(Action::Write);
    let grant = |classes| {
        let treatment = PurposeSet::of(Purpose::Treatment);
        let (grantee, permit) = (Grantee::Account(doctor), Provision::Permit);
        suite.consent().grant(patient, grantee, permit, treatment, classes, read_write, 0, None, [42; 32])
    };
    let consent = ok(client, &family, &grant(DataClassSet::GENERAL)).await;
    let granted = read(client, &suite.consent().consent(consent)).await.expect("granted");
    assert_eq!((granted.granted_by, granted.delegation), (guardian, None));
    assert_eq!(refused(client, &family, &grant(excluded)).await, ConsentError::ClassExcluded);

    // The doctor opens the minor's Labs record under the guardian's consent.
    let labs = minor_registers(client, &suite, &cast, DataClass::Labs, 43).await;
    let open_labs = suite.records().open(labs, Purpose::Treatment);
    assert_eq!(ok(client, &cast.doctor, &open_labs).await, Basis::Consent(consent));

    // The guardian opens it itself, as the patient: its own basis, in the disclosure log.
    assert_eq!(ok(client, &family, &open_labs).await, Basis::Representative(representation));
    let log = read(client, &suite.records().disclosures(patient, 0, 10)).await;
    let entry = log.items.last().expect("logged");
    assert_eq!((entry.accessor, entry.record, entry.basis), (guardian, labs, Basis::Representative(representation)));
    let bases: Vec<Basis> = log.items.iter().map(|entry| entry.basis).collect();
    assert_eq!(bases, [Basis::Consent(consent), Basis::Representative(representation)]);

    // Nothing of the confidential record: not opened (the guardian is no provider), not erased.
    let open_substance_use = suite.records().open(substance_use, Purpose::Treatment);
    assert_eq!(refused(client, &family, &open_substance_use).await, RecordsError::RoleNotHeld(Role::Provider));
    let erase = suite.records().erase(substance_use);
    assert_eq!(refused(client, &family, &erase).await, RecordsError::NotPatient);
    let represents = |class| suite.consent().represents(patient, guardian, class);
    assert!(read(client, &represents(DataClass::Labs)).await);
    assert!(!read(client, &represents(DataClass::SubstanceUse)).await);

    // The age of majority: the clock passes it ([`crate::Clock`]: at once on the sandbox, waited for on a node).
    let record = minor_registers(client, &suite, &cast, DataClass::Labs, 44).await;
    let clock = created_at(client, &suite, record).await;
    client.advance(majority.saturating_sub(clock)).await;
    let record = minor_registers(client, &suite, &cast, DataClass::Labs, 45).await;
    assert!(created_at(client, &suite, record).await >= majority, "the clock passed the age of majority");
    assert!(!read(client, &represents(DataClass::Labs)).await);
    assert_eq!(refused(client, &family, &open_labs).await, RecordsError::RoleNotHeld(Role::Provider));
    let check = suite.consent().check(patient, guardian, Purpose::Treatment, DataClass::Labs, Action::Read);
    assert_eq!(read(client, &check).await, Err(Denied::RoleNotHeld(Role::Provider)));
    assert_eq!(refused(client, &family, &grant(DataClassSet::GENERAL)).await, ConsentError::NotPatientOrDelegate);
    // What the guardian granted stays: the patient, now of age, revokes it if they wish.
    assert_eq!(ok(client, &cast.doctor, &open_labs).await, Basis::Consent(consent));
}

/// The minor registers a record of `class` for themself (content hash `[n; 32]`).
async fn minor_registers<C: Backend>(client: &mut C, suite: &Suite, cast: &Cast, class: DataClass, n: u8) -> RecordId {
    let register = suite.records().register(account(&cast.patient), class, [n; 32], b"ipfs://minor".to_vec(), None);
    ok(client, &cast.patient, &register).await
}

/// When `record` was registered: the chain's clock at its block.
async fn created_at<C: Backend>(client: &mut C, suite: &Suite, record: RecordId) -> Timestamp {
    read(client, &suite.records().record(record)).await.expect("registered").created_at
}
