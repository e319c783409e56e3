//! Scenario 5: faults across contracts. A contract wired to an account that holds no contract, or to a contract that
//! does not answer the trait, gives its caller a named error, not a trap; the admin can re-wire it. The deepest
//! chain (records -> consent -> participants for a role grant) runs within the sandbox's 5-frame depth. An upgrade
//! to code the chain does not have is refused with `UpgradeFailed` by every contract (the off-chain unit-test
//! environment cannot set a code hash, so this is where that error is produced).

use crate::{account, ok, read, refused, Backend, Cast, Suite};
use consent::consent::{ConsentRef, Error as ConsentError};
use interfaces::{governance::Dependency, DataClass, Purpose};
use records::records::{Error as RecordsError, RecordsRef};

pub async fn faults<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let patient = account(&cast.patient);

    // consent wired to an account that is no contract: declaring an emergency asks participants and gets nothing.
    let nobody = account(&cast.admin);
    let consent = client
        .instantiate("consent", &cast.admin, &mut ConsentRef::new(account(&cast.admin), nobody))
        .submit()
        .await
        .expect("instantiate consent")
        .account_id;
    let consent_calls = || ink_e2e::create_call_builder::<consent::consent::Consent>(consent);
    let declare = consent_calls().declare_emergency(patient, [1; 32]);
    assert_eq!(refused(client, &cast.doctor, &declare).await, ConsentError::ParticipantsUnreachable);

    // Only the admin re-wires it; then it works.
    let rewire = consent_calls().set_dependency(Dependency::Participants, suite.participants);
    assert_eq!(refused(client, &cast.doctor, &rewire).await, ConsentError::NotAdmin);
    ok(client, &cast.admin, &rewire).await;
    ok(client, &cast.doctor, &declare).await;

    // records wired to a contract that does not implement ConsentCheck (participants): a named error.
    let records = client
        .instantiate(
            "records",
            &cast.admin,
            &mut RecordsRef::new(account(&cast.admin), suite.participants, suite.participants),
        )
        .submit()
        .await
        .expect("instantiate records")
        .account_id;
    let records_calls = || ink_e2e::create_call_builder::<records::records::Records>(records);
    let register = records_calls().register(patient, DataClass::Labs, [2; 32], b"ipfs://x".to_vec(), None);
    assert_eq!(refused(client, &cast.doctor, &register).await, RecordsError::ConsentUnreachable);
    // The patient's own registration needs no other contract.
    let record = ok(client, &cast.patient, &register).await;
    let open = records_calls().open(record, Purpose::Treatment);
    assert_eq!(refused(client, &cast.doctor, &open).await, RecordsError::ConsentUnreachable);
    ok(client, &cast.admin, &records_calls().set_dependency(Dependency::Consent, suite.consent)).await;
    assert_eq!(
        refused(client, &cast.doctor, &open).await,
        RecordsError::Denied(interfaces::Denied::NoConsent),
        "re-wired: now the consent contract answers"
    );
    assert_eq!(read(client, &records_calls().disclosures(patient, 0, 0)).await.len, 0);

    // Upgrading to code that was never uploaded: a named error from each contract, nothing changes.
    let unknown_code = ink::primitives::Hash::from([0xAB; 32]);
    assert_eq!(
        refused(client, &cast.admin, &suite.participants().upgrade(unknown_code)).await,
        participants::participants::Error::UpgradeFailed
    );
    assert_eq!(refused(client, &cast.admin, &suite.consent().upgrade(unknown_code)).await, ConsentError::UpgradeFailed);
    assert_eq!(refused(client, &cast.admin, &suite.records().upgrade(unknown_code)).await, RecordsError::UpgradeFailed);
    assert_eq!(
        refused(client, &cast.admin, &suite.claims().upgrade(unknown_code)).await,
        claims::claims::Error::UpgradeFailed
    );
    assert_eq!(
        refused(client, &cast.admin, &suite.custody().upgrade(unknown_code)).await,
        custody::errors::Error::UpgradeFailed
    );
    assert_eq!(
        refused(client, &cast.doctor, &suite.custody().upgrade(unknown_code)).await,
        custody::errors::Error::NotAdmin
    );
}
