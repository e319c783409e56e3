//! Scenario 1: an issuer is appointed; a provider is credentialed; suspending the provider immediately stops it
//! registering records, opening them and submitting claims; reinstating it gives its rights back. An issuer does
//! not attest itself, an NPI is held by one account, what the admin suspended only the admin reinstates, and a
//! revocation is final until the admin lifts it.

use super::{doctor_registers, grant_general};
use crate::{account, ok, read, refused, Backend, Cast, Suite};
use claims::claims::{ClaimLine, Error as ClaimsError, PlanTerms, YearStart};
use consent::consent::Grantee;
use interfaces::{DataClass, Participants as _, Purpose, Role, RoleSet};
use participants::participants::{Authority, CredentialStatus, Error as ParticipantsError};
use records::records::Error as RecordsError;

pub async fn credentialing<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy(client, &cast).await;
    let (board, doctor, patient) = (account(&cast.board), account(&cast.doctor), account(&cast.patient));

    // Only the admin appoints; the board attests only the roles it was appointed for.
    let appoint = suite.participants().appoint_issuer(board, RoleSet::of(Role::Provider));
    assert_eq!(refused(client, &cast.doctor, &appoint).await, ParticipantsError::NotAdmin);
    ok(client, &cast.admin, &appoint).await;
    let payer_attest = suite.participants().attest(doctor, Role::Payer, [0; 32], None, 0, crate::FAR_FUTURE);
    assert_eq!(refused(client, &cast.board, &payer_attest).await, ParticipantsError::RoleNotAllowed);
    let bad_npi =
        suite.participants().attest(doctor, Role::Provider, [0; 32], Some(1_234_567_890), 0, crate::FAR_FUTURE);
    assert_eq!(refused(client, &cast.board, &bad_npi).await, ParticipantsError::InvalidNpi);
    let itself =
        suite.participants().attest(board, Role::Provider, [0; 32], Some(crate::npi_of(board)), 0, crate::FAR_FUTURE);
    assert_eq!(refused(client, &cast.board, &itself).await, ParticipantsError::SelfAttestation);

    assert!(!read(client, &suite.participants().has_role(doctor, Role::Provider)).await);
    suite.credential(client, &cast, doctor, Role::Provider).await;
    assert!(read(client, &suite.participants().has_role(doctor, Role::Provider)).await);
    assert_eq!(read(client, &suite.participants().roles_of(doctor)).await, RoleSet::of(Role::Provider));
    let npi = crate::npi_of(doctor);
    assert_eq!(read(client, &suite.participants().npi_holder(npi)).await, Some(doctor));
    let same_npi = suite.participants().attest(patient, Role::Provider, [0; 32], Some(npi), 0, crate::FAR_FUTURE);
    assert_eq!(refused(client, &cast.board, &same_npi).await, ParticipantsError::NpiTaken);

    // Credentialed and consented: the doctor registers and opens a record, and submits a claim.
    grant_general(client, &suite, &cast, Grantee::Account(doctor), Purpose::Treatment).await;
    let record = doctor_registers(client, &suite, &cast, DataClass::Labs, [2; 32]).await;
    ok(client, &cast.doctor, &suite.records().open(record, Purpose::Treatment)).await;
    let today = read(client, &suite.records().record(record)).await.expect("record").created_at;
    ok(client, &cast.admin, &suite.participants().appoint_issuer(account(&cast.admin), RoleSet::of(Role::Payer))).await;
    let payer_attest =
        suite.participants().attest(account(&cast.payer), Role::Payer, [0; 32], None, 0, crate::FAR_FUTURE);
    ok(client, &cast.admin, &payer_attest).await;
    let plan = ok(
        client,
        &cast.payer,
        &suite.claims().create_plan(PlanTerms {
            deductible: 0,
            coinsurance_bps: 0,
            copay: 0,
            out_of_pocket_max: 1_000,
            timely_filing_ms: 86_400_000,
            appeal_window_ms: 86_400_000,
            benefit_year_start: YearStart::JANUARY_1,
            settlement_delay_ms: 0,
            reversal_window_ms: 0,
        }),
    )
    .await;
    ok(client, &cast.payer, &suite.claims().enrol(plan, patient, 0, None)).await;
    ok(client, &cast.payer, &suite.claims().admit_provider(plan, doctor)).await;
    let lines = |units| vec![ClaimLine { service_code: 99213, units, charge: 100 }];
    ok(client, &cast.doctor, &suite.claims().submit(patient, plan, today, lines(1), vec![], [1; 32])).await;

    // Suspended: at once, neither registering nor opening, though the consent still stands.
    ok(client, &cast.board, &suite.participants().suspend(doctor, Role::Provider)).await;
    let credential = read(client, &suite.participants().credential(doctor, Role::Provider)).await.expect("credential");
    assert_eq!(credential.status, CredentialStatus::Suspended(Authority::Issuer));
    let register = suite.records().register(patient, DataClass::Labs, [3; 32], b"ipfs://x".to_vec(), None);
    assert_eq!(refused(client, &cast.doctor, &register).await, RecordsError::RoleNotHeld(Role::Provider));
    let open = suite.records().open(record, Purpose::Treatment);
    assert_eq!(refused(client, &cast.doctor, &open).await, RecordsError::RoleNotHeld(Role::Provider));
    assert_eq!(read(client, &suite.records().disclosures(patient, 0, 0)).await.len, 1, "refused opens are not logged");
    let claim = suite.claims().submit(patient, plan, today, lines(2), vec![], [2; 32]);
    assert_eq!(refused(client, &cast.doctor, &claim).await, ClaimsError::NotProvider);

    // Reinstated: rights back.
    ok(client, &cast.board, &suite.participants().reinstate(doctor, Role::Provider)).await;
    ok(client, &cast.doctor, &open).await;
    assert_eq!(read(client, &suite.records().disclosures(patient, 0, 0)).await.len, 2);
    ok(client, &cast.doctor, &claim).await;
    assert_eq!(read(client, &suite.claims().claims_by_provider(doctor, None, 10)).await.items.len(), 2);

    // What the admin suspended, only the admin reinstates.
    ok(client, &cast.admin, &suite.participants().suspend(doctor, Role::Provider)).await;
    let reinstate = suite.participants().reinstate(doctor, Role::Provider);
    assert_eq!(refused(client, &cast.board, &reinstate).await, ParticipantsError::SuspendedByAdmin);
    ok(client, &cast.admin, &reinstate).await;

    // Revoked: final, no issuer reinstates or re-attests it, until the admin lifts the revocation.
    ok(client, &cast.admin, &suite.participants().revoke(doctor, Role::Provider)).await;
    assert_eq!(refused(client, &cast.board, &reinstate).await, ParticipantsError::Revoked);
    let again = suite.participants().attest(doctor, Role::Provider, [1; 32], Some(npi), 0, crate::FAR_FUTURE);
    assert_eq!(refused(client, &cast.board, &again).await, ParticipantsError::Revoked);
    assert_eq!(refused(client, &cast.doctor, &open).await, RecordsError::RoleNotHeld(Role::Provider));
    ok(client, &cast.admin, &suite.participants().lift_revocation(doctor, Role::Provider)).await;
    ok(client, &cast.board, &again).await;
    ok(client, &cast.doctor, &open).await;
}
