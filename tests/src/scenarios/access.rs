//! Scenario: access on request, and break-glass reviewed (issue #18). A provider asks the patient for access (refused
//! before: no consent), the patient approves it into a consent and the provider opens a record under it; a
//! provider breaks the glass, opens a record under the emergency, and a Regulator reviews it (the provider cannot),
//! which takes it off the patient's unreviewed emergencies.

use crate::{account, ok, read, refused, Backend, Cast, Suite};
use consent::consent::{Error as ConsentError, RequestStatus};
use interfaces::{Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Denied, Purpose};
use records::records::Error as RecordsError;

pub async fn access<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (doctor, patient, regulator) = (account(&cast.doctor), account(&cast.patient), account(&cast.regulator));

    // The patient keeps a Labs record; the doctor has no consent for it.
    let register = suite.records().register(patient, DataClass::Labs, [21; 32], b"ipfs://labs".to_vec(), None);
    let labs = ok(client, &cast.patient, &register).await;
    let open_labs = suite.records().open(labs, Purpose::Treatment);
    assert_eq!(refused(client, &cast.doctor, &open_labs).await, RecordsError::Denied(Denied::NoConsent));

    // The doctor asks for Read of Labs for Treatment; a researcher cannot ask for Treatment.
    let classes = DataClassSet::of(DataClass::Labs);
    let ask = suite.consent().request_access(
        patient,
        Purpose::Treatment,
        classes,
        ActionSet::of(Action::Read),
        None,
        [22; 32],
    );
    assert_eq!(refused(client, &cast.researcher, &ask).await, ConsentError::NotCredentialedForPurpose);
    let request = ok(client, &cast.doctor, &ask).await;
    assert_eq!(refused(client, &cast.doctor, &ask).await, ConsentError::RequestPending);
    let pending = read(client, &suite.consent().pending_requests(patient, None, 10)).await;
    assert_eq!((pending.items.len(), pending.len, pending.items[0].id), (1, 1, request));
    assert_eq!(refused(client, &cast.doctor, &open_labs).await, RecordsError::Denied(Denied::NoConsent));

    // Only the patient approves; the approval is a consent the doctor opens the record under.
    let approve = suite.consent().approve_request(request, [23; 32]);
    assert_eq!(refused(client, &cast.doctor, &approve).await, ConsentError::NotRequestPatient);
    let consent = ok(client, &cast.patient, &approve).await;
    let approved = read(client, &suite.consent().access_request(request)).await.expect("the request");
    assert_eq!(approved.status, RequestStatus::Approved(consent));
    assert_eq!(read(client, &suite.consent().pending_requests(patient, None, 10)).await.len, 0);
    assert_eq!(ok(client, &cast.doctor, &open_labs).await, Basis::Consent(consent));
    // What was asked for only: not Write.
    let write = suite.consent().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Write);
    assert_eq!(read(client, &write).await, Err(Denied::NoConsent));

    // Break-glass: the doctor declares an emergency and opens the record under it.
    let emergency = ok(client, &cast.doctor, &suite.consent().declare_emergency(patient, [24; 32])).await;
    let open_emergency = suite.records().open(labs, Purpose::Emergency);
    assert_eq!(ok(client, &cast.doctor, &open_emergency).await, Basis::Emergency(emergency));
    let unreviewed = read(client, &suite.consent().unreviewed_emergencies(patient, None, 10)).await;
    assert_eq!(unreviewed.items.iter().map(|emergency| emergency.id).collect::<Vec<_>>(), [emergency]);

    // The provider cannot review its own emergency, nor can a stranger; a Regulator does, once.
    let review = suite.consent().review_emergency(emergency, true, [25; 32]);
    assert_eq!(refused(client, &cast.doctor, &review).await, ConsentError::SelfReview);
    assert_eq!(refused(client, &cast.payer, &review).await, ConsentError::NotReviewer);
    ok(client, &cast.regulator, &review).await;
    assert_eq!(refused(client, &cast.patient, &review).await, ConsentError::AlreadyReviewed);
    let reviewed = read(client, &suite.consent().emergency(emergency)).await.expect("the emergency");
    let verdict = reviewed.review.map(|review| (review.justified, review.note_hash, review.reviewed_by));
    assert_eq!(verdict, Some((true, [25; 32], regulator)));
    assert_eq!(read(client, &suite.consent().unreviewed_emergencies(patient, None, 10)).await.len, 0);

    // The disclosure log: the consent, then the emergency.
    let log = read(client, &suite.records().disclosures(patient, 0, 10)).await;
    let bases: Vec<Basis> = log.items.iter().map(|disclosure| disclosure.basis).collect();
    assert_eq!(bases, [Basis::Consent(consent), Basis::Emergency(emergency)]);
}
