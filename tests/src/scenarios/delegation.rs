//! Scenario: a delegate grants within its scope, and its grants end with its delegation (issue #18). The patient
//! delegates Treatment Read of Labs to a family member; the delegate's grant beyond that scope, or to itself, is
//! refused; its grant to the doctor lets the doctor open the Labs record; once the patient removes the delegate the
//! doctor's open is refused, though nobody revoked that consent; the delegate never revokes the patient's own Deny.

use crate::{account, ok, read, refused, Backend, Cast, Suite, FUNDS};
use consent::consent::{Error as ConsentError, Grantee, Provision};
use interfaces::{Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Denied, Purpose, PurposeSet};
use records::records::Error as RecordsError;

pub async fn delegation<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (doctor, patient, payer) = (account(&cast.doctor), account(&cast.patient), account(&cast.payer));
    let family = client.create_and_fund_account(&cast.admin, FUNDS).await;
    let delegate = account(&family);

    let register = suite.records().register(patient, DataClass::Labs, [31; 32], b"ipfs://labs".to_vec(), None);
    let labs = ok(client, &cast.patient, &register).await;
    let labs_only = DataClassSet::of(DataClass::Labs);
    let read_only = ActionSet::of(Action::Read);
    let treatment = PurposeSet::of(Purpose::Treatment);
    let add = suite.consent().add_delegate(patient, delegate, treatment, labs_only, read_only, None);
    ok(client, &cast.patient, &add).await;

    // The delegate grants within its scope only, and never to itself.
    let grant = |grantee, purposes, classes, actions| {
        suite.consent().grant(patient, grantee, Provision::Permit, purposes, classes, actions, 0, None, [32; 32])
    };
    let beyond_class = grant(Grantee::Account(doctor), treatment, DataClassSet::of(DataClass::MentalHealth), read_only);
    assert_eq!(refused(client, &family, &beyond_class).await, ConsentError::ClassOutsideScope);
    let beyond_purpose = grant(Grantee::Account(payer), PurposeSet::of(Purpose::Payment), labs_only, read_only);
    assert_eq!(refused(client, &family, &beyond_purpose).await, ConsentError::PurposeOutsideScope);
    let beyond_action = grant(Grantee::Account(doctor), treatment, labs_only, read_only.with(Action::Write));
    assert_eq!(refused(client, &family, &beyond_action).await, ConsentError::ActionOutsideScope);
    let to_itself = grant(Grantee::Account(delegate), treatment, labs_only, read_only);
    assert_eq!(refused(client, &family, &to_itself).await, ConsentError::GrantToDelegate);

    // Within scope: the doctor opens the Labs record under the delegate's consent.
    let consent = ok(client, &family, &grant(Grantee::Account(doctor), treatment, labs_only, read_only)).await;
    let open_labs = suite.records().open(labs, Purpose::Treatment);
    assert_eq!(ok(client, &cast.doctor, &open_labs).await, Basis::Consent(consent));

    // The delegate cannot revoke a consent the patient made (here a Deny of the payer).
    let deny = suite.consent().grant(
        patient,
        Grantee::Account(payer),
        Provision::Deny,
        PurposeSet::of(Purpose::Payment),
        labs_only,
        read_only,
        0,
        None,
        [33; 32],
    );
    let patients_deny = ok(client, &cast.patient, &deny).await;
    assert_eq!(refused(client, &family, &suite.consent().revoke(patients_deny)).await, ConsentError::NotOwnGrant);

    // The patient removes the delegate: its grant ends with it, without anyone revoking it.
    ok(client, &cast.patient, &suite.consent().remove_delegate(patient, delegate)).await;
    assert_eq!(refused(client, &cast.doctor, &open_labs).await, RecordsError::Denied(Denied::NoConsent));
    let check = suite.consent().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Read);
    assert_eq!(read(client, &check).await, Err(Denied::NoConsent));
    // Adding the delegate again does not bring the old grant back: it was made under the delegation that ended.
    ok(client, &cast.patient, &add).await;
    assert_eq!(refused(client, &cast.doctor, &open_labs).await, RecordsError::Denied(Denied::NoConsent));
}
