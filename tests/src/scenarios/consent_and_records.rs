//! Scenario 2: consent-gated records. A provider writes under a Write consent; the doctor opens under Treatment; a
//! researcher is refused until the patient grants Research to the Researcher role, and again after revocation; the
//! Author basis covers Treatment and Operations only, yields to the patient's Deny, and only the author supersedes; a
//! deny for MentalHealth beats a broad permit; break-glass opens a record and the disclosure log says Emergency; an
//! erased record cannot be opened.

use super::{doctor_registers, grant_general};
use crate::{account, ok, read, refused, Backend, Cast, Suite};
use consent::consent::{Grantee, Provision};
use interfaces::{
    Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Denied, Purpose, PurposeSet, RecordStatus,
    Role,
};
use records::records::Error as RecordsError;

pub async fn consent_and_records<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (doctor, patient, researcher) = (account(&cast.doctor), account(&cast.patient), account(&cast.researcher));

    // Without a Write consent the doctor cannot register.
    let register = suite.records().register(patient, DataClass::Labs, [5; 32], b"ipfs://labs".to_vec(), None);
    assert_eq!(refused(client, &cast.doctor, &register).await, RecordsError::Denied(Denied::NoConsent));

    // Treatment consent (Read + Write, every non-sensitive class): register, then open.
    grant_general(client, &suite, &cast, Grantee::Account(doctor), Purpose::Treatment).await;
    let labs = doctor_registers(client, &suite, &cast, DataClass::Labs, [5; 32]).await;
    let record = read(client, &suite.records().record(labs)).await.expect("the record");
    assert_eq!((record.patient, record.author, record.status), (patient, doctor, RecordStatus::Current));
    // The author opens it as its author; a colleague opens it under a Treatment consent of its own.
    ok(client, &cast.doctor, &suite.records().open(labs, Purpose::Treatment)).await;
    let colleague_keys = client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    let colleague = account(&colleague_keys);
    suite.credential(client, &cast, colleague, Role::Provider).await;
    let open_labs_for_treatment = suite.records().open(labs, Purpose::Treatment);
    assert_eq!(
        refused(client, &colleague_keys, &open_labs_for_treatment).await,
        RecordsError::Denied(Denied::NoConsent)
    );
    let colleague_consent = grant_general(client, &suite, &cast, Grantee::Account(colleague), Purpose::Treatment).await;
    let basis = ok(client, &colleague_keys, &open_labs_for_treatment).await;
    assert_eq!(basis, Basis::Consent(colleague_consent));
    assert!(read(client, &suite.records().verify(labs, [5; 32])).await);
    assert!(!read(client, &suite.records().verify(labs, [6; 32])).await);

    // Only the author supersedes: the colleague may write Labs for the patient, not rewrite the doctor's record.
    let rewrite = suite.records().register(patient, DataClass::Labs, [6; 32], b"ipfs://labs-v2".to_vec(), Some(labs));
    assert_eq!(refused(client, &colleague_keys, &rewrite).await, RecordsError::NotAuthorOfReplaced);
    // The Author basis covers Treatment and Operations only: for Payment the doctor is like anyone else (no payer).
    let for_payment = suite.records().open(labs, Purpose::Payment);
    assert_eq!(refused(client, &cast.doctor, &for_payment).await, RecordsError::RoleNotHeld(Role::Payer));
    // And never against the patient's Deny: denied for Operations, the author still opens for Treatment.
    let deny_operations = suite.consent().grant(
        patient,
        Grantee::Account(doctor),
        Provision::Deny,
        PurposeSet::of(Purpose::Operations),
        DataClassSet::of(DataClass::Labs),
        ActionSet::of(Action::Read),
        0,
        None,
        [8; 32],
    );
    let deny_operations = ok(client, &cast.patient, &deny_operations).await;
    let for_operations = suite.records().open(labs, Purpose::Operations);
    assert_eq!(
        refused(client, &cast.doctor, &for_operations).await,
        RecordsError::Denied(Denied::DeniedByConsent(deny_operations))
    );
    assert_eq!(
        read(client, &suite.records().can_open(labs, doctor, Purpose::Treatment)).await,
        Ok(Basis::Author),
        "the Deny names Operations only"
    );

    // The researcher: refused, then allowed by a role grant, then refused after revocation.
    let research = suite.records().open(labs, Purpose::Research);
    assert_eq!(refused(client, &cast.researcher, &research).await, RecordsError::Denied(Denied::NoConsent));
    let role_grant = suite.consent().grant(
        patient,
        Grantee::Role(Role::Researcher),
        Provision::Permit,
        PurposeSet::of(Purpose::Research),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read),
        0,
        None,
        [9; 32],
    );
    let research_consent = ok(client, &cast.patient, &role_grant).await;
    assert_eq!(
        read(client, &suite.consent().check(patient, researcher, Purpose::Research, DataClass::Labs, Action::Read))
            .await,
        Ok(Basis::Consent(research_consent)),
        "the role grant holds through participants, cross-contract"
    );
    ok(client, &cast.researcher, &research).await;
    ok(client, &cast.patient, &suite.consent().revoke(research_consent)).await;
    assert_eq!(
        refused(client, &cast.researcher, &research).await,
        RecordsError::Denied(Denied::Revoked(research_consent)),
        "a revoked consent says so"
    );

    // A deny for MentalHealth beats a permit that names it.
    let mental = ok(
        client,
        &cast.patient,
        &suite.records().register(patient, DataClass::MentalHealth, [7; 32], b"ipfs://mh".to_vec(), None),
    )
    .await;
    let open_mental = suite.records().open(mental, Purpose::Treatment);
    assert_eq!(
        refused(client, &cast.doctor, &open_mental).await,
        RecordsError::Denied(Denied::NoConsent),
        "a broad grant never covers a sensitive class"
    );
    let permit_named = suite.consent().grant(
        patient,
        Grantee::Account(doctor),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL.with(DataClass::MentalHealth),
        ActionSet::of(Action::Read),
        0,
        None,
        [10; 32],
    );
    ok(client, &cast.patient, &permit_named).await;
    let deny = suite.consent().grant(
        patient,
        Grantee::Account(doctor),
        Provision::Deny,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::of(DataClass::MentalHealth),
        ActionSet::of(Action::Read),
        0,
        None,
        [11; 32],
    );
    let deny_id = ok(client, &cast.patient, &deny).await;
    assert_eq!(
        refused(client, &cast.doctor, &open_mental).await,
        RecordsError::Denied(Denied::DeniedByConsent(deny_id))
    );

    // Break-glass: the doctor declares an emergency and opens the record; the log says Emergency.
    let emergency = ok(client, &cast.doctor, &suite.consent().declare_emergency(patient, [12; 32])).await;
    ok(client, &cast.doctor, &suite.records().open(mental, Purpose::Emergency)).await;
    let count = read(client, &suite.records().disclosures(patient, 0, 0)).await.len;
    assert_eq!(count, 4, "four successful opens: author, colleague, researcher, emergency");
    let log = read(client, &suite.records().disclosures(patient, 0, 10)).await;
    let bases: Vec<(u64, Basis)> = log.items.iter().map(|d| (d.record, d.basis)).collect();
    assert_eq!(
        bases,
        [
            (labs, Basis::Author),
            (labs, Basis::Consent(colleague_consent)),
            (labs, Basis::Consent(research_consent)),
            (mental, Basis::Emergency(emergency))
        ]
    );
    assert_eq!((log.items[1].accessor, log.items[2].accessor, log.items[3].accessor), (colleague, researcher, doctor));
    assert_eq!(log.items[3].purpose, Purpose::Emergency);
    assert_eq!(log.next, None);

    // The patient ends the emergency early: no more emergency access.
    ok(client, &cast.patient, &suite.consent().end_emergency(emergency)).await;
    let again = suite.records().open(mental, Purpose::Emergency);
    assert!(matches!(refused(client, &cast.doctor, &again).await, RecordsError::Denied(_)));

    // Erasure: locator and hash wiped, opening refused, the log stays.
    ok(client, &cast.patient, &suite.records().erase(labs)).await;
    let open_labs = suite.records().open(labs, Purpose::Treatment);
    assert_eq!(refused(client, &cast.doctor, &open_labs).await, RecordsError::Erased);
    let erased = read(client, &suite.records().record(labs)).await.expect("the record");
    assert_eq!((erased.status, erased.content_hash, erased.locator.len()), (RecordStatus::Erased, [0; 32], 0));
    assert!(!read(client, &suite.records().verify(labs, [5; 32])).await);
    assert_eq!(read(client, &suite.records().disclosures(patient, 0, 0)).await.len, 4);
}
