//! Unit tests: every rule and every refusal of the participants contract, through its messages (the rules alone
//! are tested in `credential.rs`).

use crate::participants::*;
use ink::primitives::{AccountId, Hash};
use interfaces::{
    testing::{accounts, as_caller, at, events, last_event, last_topics, refused, DAY},
    GtinHolding, Hash32, Participants as _, Role, RoleSet,
};

const NPI: u64 = 1_234_567_893;
/// Another valid NPI.
const OTHER_NPI: u64 = 1_245_319_599;
const LICENCE: Hash32 = [7; 32];

struct World {
    contract: Participants,
    admin: AccountId,
    board: AccountId,
    provider: AccountId,
    stranger: AccountId,
    pharmacy_board: AccountId,
}

/// The admin deploys at day 10, appoints a medical board (Provider, Researcher) and a board of pharmacy.
fn world() -> World {
    let accounts = accounts();
    at(10 * DAY);
    as_caller(accounts.alice);
    let mut contract = Participants::new(accounts.alice);
    contract.appoint_issuer(accounts.bob, RoleSet::from_slice(&[Role::Provider, Role::Researcher])).unwrap();
    contract
        .appoint_issuer(accounts.frank, RoleSet::from_slice(&[Role::Pharmacy, Role::Distributor, Role::Manufacturer]))
        .unwrap();
    World {
        contract,
        admin: accounts.alice,
        board: accounts.bob,
        provider: accounts.charlie,
        stranger: accounts.eve,
        pharmacy_board: accounts.frank,
    }
}

/// The medical board credentials the provider for days 5..100.
fn credentialed() -> World {
    let mut w = world();
    as_caller(w.board);
    w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 5 * DAY, 100 * DAY).unwrap();
    w
}

#[ink::test]
fn deployer_is_admin_and_transfer_takes_two_steps() {
    let mut w = world();
    interfaces::two_step_admin_transfer!(w.contract, w.admin, w.stranger, w.board);
    as_caller(w.admin);
    assert_eq!(w.contract.appoint_issuer(w.stranger, RoleSet::of(Role::Payer)), Err(Error::NotAdmin));
}

#[ink::test]
fn only_the_admin_appoints_and_removes_issuers() {
    let mut w = world();
    as_caller(w.stranger);
    assert_eq!(w.contract.appoint_issuer(w.stranger, RoleSet::of(Role::Payer)), Err(Error::NotAdmin));
    assert_eq!(w.contract.remove_issuer(w.board), Err(Error::NotAdmin));
    assert_eq!(w.contract.upgrade(Hash::from([1; 32])), Err(Error::NotAdmin));

    as_caller(w.admin);
    assert_eq!(w.contract.appoint_issuer(w.stranger, RoleSet::EMPTY), Err(Error::InvalidRoleSet));
    assert_eq!(
        w.contract.appoint_issuer(w.stranger, RoleSet::of(Role::Issuer).with(Role::Payer)),
        Err(Error::InvalidRoleSet),
        "issuers are appointed, never attested"
    );
    assert_eq!(w.contract.issuer(w.stranger), None);

    assert_eq!(w.contract.remove_issuer(w.stranger), Err(Error::IssuerNotFound));
    let before = events();
    w.contract.remove_issuer(w.board).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(w.contract.issuer(w.board), None);
    assert!(!w.contract.has_role(w.board, Role::Issuer));
}

#[ink::test]
fn an_issuer_attests_a_provider_with_a_valid_npi() {
    let w = credentialed();
    let credential = w.contract.credential(w.provider, Role::Provider).unwrap();
    assert_eq!(credential.issuer, w.board);
    assert_eq!(credential.npi, Some(NPI));
    assert_eq!(credential.status, CredentialStatus::Active);
    assert_eq!(credential.attested_at, 10 * DAY);
    assert!(w.contract.has_role(w.provider, Role::Provider));
    assert!(!w.contract.has_role(w.provider, Role::Researcher));
    assert_eq!(w.contract.roles_of(w.provider), RoleSet::of(Role::Provider));
    assert_eq!(w.contract.credentials_of(w.provider), ink::prelude::vec![credential]);
    assert!(w.contract.has_role(w.board, Role::Issuer));
    assert_eq!(w.contract.roles_of(w.board), RoleSet::of(Role::Issuer));
}

#[ink::test]
fn attestation_refusals_change_nothing() {
    let mut w = world();
    let before = events();
    let (p, c) = (w.provider, &mut w.contract);

    as_caller(w.stranger);
    refused(Error::NotIssuer, || c.attest(p, Role::Provider, LICENCE, Some(NPI), 0, 100 * DAY));

    as_caller(w.board);
    refused(Error::RoleNotAllowed, || c.attest(p, Role::Pharmacy, LICENCE, None, 0, 100 * DAY));
    refused(Error::RoleNotAttestable, || c.attest(p, Role::Issuer, LICENCE, None, 0, 100 * DAY));
    refused(Error::NpiRequired, || c.attest(p, Role::Provider, LICENCE, None, 0, 100 * DAY));
    refused(Error::InvalidNpi, || c.attest(p, Role::Provider, LICENCE, Some(1_234_567_890), 0, 100 * DAY));
    refused(Error::NpiNotExpected, || c.attest(p, Role::Researcher, LICENCE, Some(NPI), 0, 100 * DAY));
    refused(Error::InvalidPeriod, || c.attest(p, Role::Provider, LICENCE, Some(NPI), 50 * DAY, 50 * DAY));
    // Ends at the current time.
    refused(Error::PeriodEnded, || c.attest(p, Role::Provider, LICENCE, Some(NPI), DAY, 10 * DAY));

    assert_eq!(events(), before);
    assert!(w.contract.credentials_of(w.provider).is_empty());
    assert_eq!(w.contract.roles_of(w.provider), RoleSet::EMPTY);
}

#[ink::test]
fn a_live_credential_is_not_attested_twice_a_revoked_one_not_until_lifted_and_an_expired_one_is_replaced() {
    let mut w = credentialed();
    as_caller(w.board);
    assert_eq!(
        w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY),
        Err(Error::CredentialExists)
    );
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    assert_eq!(
        w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY),
        Err(Error::CredentialExists),
        "a suspension is not escaped by re-attesting"
    );
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    refused(Error::Revoked, || w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 0, 200 * DAY));
    as_caller(w.admin);
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    as_caller(w.board);
    w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 0, 200 * DAY).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider));

    at(200 * DAY);
    assert!(!w.contract.has_role(w.provider, Role::Provider));
    w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 200 * DAY, 300 * DAY).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider), "renewed after expiry");
}

#[ink::test]
fn has_role_holds_only_inside_the_validity_period() {
    let mut w = world();
    as_caller(w.board);
    w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 20 * DAY, 30 * DAY).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider), "not yet valid");
    at(20 * DAY);
    assert!(w.contract.has_role(w.provider, Role::Provider), "valid from its first millisecond");
    at(30 * DAY - 1);
    assert!(w.contract.has_role(w.provider, Role::Provider));
    at(30 * DAY);
    assert!(!w.contract.has_role(w.provider, Role::Provider), "expired at valid_until");
    assert_eq!(w.contract.roles_of(w.provider), RoleSet::EMPTY);
}

#[ink::test]
fn suspension_reinstatement_and_revocation() {
    let mut w = credentialed();
    as_caller(w.board);
    let before = events();

    assert_eq!(w.contract.reinstate(w.provider, Role::Provider), Err(Error::NotSuspended));
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider), "suspended");
    assert_eq!(w.contract.suspend(w.provider, Role::Provider), Err(Error::NotActive));

    w.contract.reinstate(w.provider, Role::Provider).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider), "reinstated");

    w.contract.revoke(w.provider, Role::Provider).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider), "revoked");
    assert_eq!(w.contract.revoke(w.provider, Role::Provider), Err(Error::AlreadyRevoked));
    assert_eq!(w.contract.reinstate(w.provider, Role::Provider), Err(Error::Revoked), "revocation is final");
    assert_eq!(w.contract.suspend(w.provider, Role::Provider), Err(Error::NotActive));
    assert_eq!(events(), before + 3);
    let status = w.contract.credential(w.provider, Role::Provider).unwrap().status;
    assert_eq!(status, CredentialStatus::Revoked(Authority::Issuer));
}

#[ink::test]
fn only_the_credentials_issuer_or_the_admin_changes_it() {
    let mut w = credentialed();
    for outsider in [w.stranger, w.pharmacy_board, w.provider] {
        as_caller(outsider);
        assert_eq!(w.contract.suspend(w.provider, Role::Provider), Err(Error::NotCredentialIssuer));
        assert_eq!(w.contract.revoke(w.provider, Role::Provider), Err(Error::NotCredentialIssuer));
        assert_eq!(w.contract.reinstate(w.provider, Role::Provider), Err(Error::NotCredentialIssuer));
    }
    as_caller(w.board);
    assert_eq!(w.contract.suspend(w.stranger, Role::Provider), Err(Error::CredentialNotFound));
    assert!(w.contract.has_role(w.provider, Role::Provider));

    as_caller(w.admin);
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    w.contract.reinstate(w.provider, Role::Provider).unwrap();
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider));
}

#[ink::test]
fn removing_an_issuer_or_narrowing_its_roles_voids_its_credentials() {
    let mut w = credentialed();
    as_caller(w.admin);
    w.contract.appoint_issuer(w.board, RoleSet::of(Role::Researcher)).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider), "issuer no longer allowed Provider");
    w.contract.appoint_issuer(w.board, RoleSet::of(Role::Provider)).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider));

    w.contract.remove_issuer(w.board).unwrap();
    assert!(!w.contract.has_role(w.provider, Role::Provider), "issuer removed");
    as_caller(w.board);
    assert_eq!(w.contract.attest(w.stranger, Role::Provider, LICENCE, Some(NPI), 0, 100 * DAY), Err(Error::NotIssuer));
    assert_eq!(w.contract.suspend(w.provider, Role::Provider), Ok(()), "it may still suspend what it attested");
}

#[ink::test]
fn credentials_of_lists_every_role_held() {
    let mut w = credentialed();
    as_caller(w.pharmacy_board);
    w.contract.attest(w.provider, Role::Pharmacy, LICENCE, None, 0, 100 * DAY).unwrap();
    as_caller(w.board);
    w.contract.attest(w.provider, Role::Researcher, LICENCE, None, 0, 100 * DAY).unwrap();
    let roles: ink::prelude::vec::Vec<Role> = w.contract.credentials_of(w.provider).iter().map(|c| c.role).collect();
    assert_eq!(roles, [Role::Provider, Role::Pharmacy, Role::Researcher]);
    assert_eq!(
        w.contract.roles_of(w.provider),
        RoleSet::from_slice(&[Role::Provider, Role::Pharmacy, Role::Researcher])
    );
}

#[ink::test]
fn events_carry_what_changed_with_the_accounts_and_role_as_topics() {
    let mut w = world();
    as_caller(w.admin);
    let roles = RoleSet::of(Role::Payer);
    w.contract.appoint_issuer(w.stranger, roles).unwrap();
    assert_eq!(last_event::<IssuerAppointed>(), IssuerAppointed { issuer: w.stranger, roles });
    assert_eq!(last_topics().len(), 2, "signature, issuer");
    w.contract.remove_issuer(w.stranger).unwrap();
    assert_eq!(last_event::<IssuerRemoved>(), IssuerRemoved { issuer: w.stranger });
    assert_eq!(last_topics().len(), 2, "signature, issuer");

    as_caller(w.board);
    w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 5 * DAY, 100 * DAY).unwrap();
    assert_eq!(
        last_event::<CredentialAttested>(),
        CredentialAttested {
            account: w.provider,
            role: Role::Provider,
            issuer: w.board,
            valid_from: 5 * DAY,
            valid_until: 100 * DAY
        }
    );
    assert_eq!(last_topics().len(), 4, "signature, account, role, issuer");

    w.contract.suspend(w.provider, Role::Provider).unwrap();
    let (account, role, by) = (w.provider, Role::Provider, w.board);
    let authority = Authority::Issuer;
    assert_eq!(last_event::<CredentialSuspended>(), CredentialSuspended { account, role, by, authority });
    assert_eq!(last_topics().len(), 4, "signature, account, role, by");
    w.contract.reinstate(w.provider, Role::Provider).unwrap();
    assert_eq!(last_event::<CredentialReinstated>(), CredentialReinstated { account, role, by, authority });
    as_caller(w.admin);
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    let authority = Authority::Admin;
    assert_eq!(last_event::<CredentialRevoked>(), CredentialRevoked { account, role, by: w.admin, authority });
    assert_eq!(last_topics().len(), 4, "signature, account, role, by");
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    assert_eq!(last_event::<RevocationLifted>(), RevocationLifted { account, role, by: w.admin });
    assert_eq!(last_topics().len(), 3, "signature, account, role");
}

#[ink::test]
fn a_lifted_or_expired_credential_is_replaced_in_place() {
    let mut w = credentialed();
    as_caller(w.board);
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    as_caller(w.admin);
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    as_caller(w.board);
    at(20 * DAY);
    w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 20 * DAY, 40 * DAY).unwrap();
    let credential = w.contract.credential(w.provider, Role::Provider).unwrap();
    assert_eq!((credential.licence_hash, credential.status), ([9; 32], CredentialStatus::Active));
    assert_eq!((credential.valid_from, credential.valid_until, credential.attested_at), (20 * DAY, 40 * DAY, 20 * DAY));
    assert_eq!(w.contract.credentials_of(w.provider), ink::prelude::vec![credential], "still one entry per role");
}

/// Regression (issue #18): an issuer could attest itself.
#[ink::test]
fn an_issuer_cannot_attest_itself() {
    let mut w = world();
    as_caller(w.board);
    refused(Error::SelfAttestation, || w.contract.attest(w.board, Role::Researcher, LICENCE, None, 0, 100 * DAY));
    refused(Error::SelfAttestation, || w.contract.attest(w.board, Role::Provider, LICENCE, Some(NPI), 0, 100 * DAY));
    assert!(w.contract.credentials_of(w.board).is_empty());
    assert_eq!(w.contract.roles_of(w.board), RoleSet::of(Role::Issuer));
    assert_eq!(w.contract.npi_holder(NPI), None);

    // The admin appointed as an issuer is an issuer like any other.
    as_caller(w.admin);
    w.contract.appoint_issuer(w.admin, RoleSet::of(Role::Payer)).unwrap();
    refused(Error::SelfAttestation, || w.contract.attest(w.admin, Role::Payer, LICENCE, None, 0, 100 * DAY));
    w.contract.attest(w.stranger, Role::Payer, LICENCE, None, 0, 100 * DAY).unwrap();
}

/// Regression (issue #18): an issuer reinstated a credential the admin suspended.
#[ink::test]
fn what_the_admin_suspended_only_the_admin_reinstates() {
    let mut w = credentialed();
    as_caller(w.admin);
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    let suspended = w.contract.credential(w.provider, Role::Provider).unwrap();
    assert_eq!(suspended.status, CredentialStatus::Suspended(Authority::Admin));
    assert_eq!(
        last_event::<CredentialSuspended>(),
        CredentialSuspended { account: w.provider, role: Role::Provider, by: w.admin, authority: Authority::Admin }
    );

    as_caller(w.board);
    refused(Error::SuspendedByAdmin, || w.contract.reinstate(w.provider, Role::Provider));
    refused(Error::NotActive, || w.contract.suspend(w.provider, Role::Provider));
    assert_eq!(w.contract.credential(w.provider, Role::Provider), Some(suspended));
    assert!(!w.contract.has_role(w.provider, Role::Provider));

    as_caller(w.admin);
    w.contract.reinstate(w.provider, Role::Provider).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider));
    assert_eq!(
        last_event::<CredentialReinstated>(),
        CredentialReinstated { account: w.provider, role: Role::Provider, by: w.admin, authority: Authority::Admin }
    );
}

#[ink::test]
fn the_admin_takes_over_an_issuers_suspension_and_the_issuer_undoes_its_own() {
    let mut w = credentialed();
    as_caller(w.board);
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    w.contract.reinstate(w.provider, Role::Provider).unwrap();
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    as_caller(w.admin);
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    let status = w.contract.credential(w.provider, Role::Provider).unwrap().status;
    assert_eq!(status, CredentialStatus::Suspended(Authority::Admin));
    as_caller(w.board);
    refused(Error::SuspendedByAdmin, || w.contract.reinstate(w.provider, Role::Provider));
}

/// Regression (issue #18): "Revoked is final" was false: any issuer re-attested a credential the admin revoked.
#[ink::test]
fn a_revoked_credential_stays_revoked_until_the_admin_lifts_it() {
    let mut w = credentialed();
    as_caller(w.admin);
    w.contract.appoint_issuer(w.stranger, RoleSet::of(Role::Provider)).unwrap();
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    let revoked = w.contract.credential(w.provider, Role::Provider).unwrap();
    assert_eq!(revoked.status, CredentialStatus::Revoked(Authority::Admin));

    for issuer in [w.board, w.stranger] {
        as_caller(issuer);
        refused(Error::Revoked, || w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 0, 200 * DAY));
    }
    as_caller(w.board);
    refused(Error::Revoked, || w.contract.reinstate(w.provider, Role::Provider));
    as_caller(w.admin);
    refused(Error::Revoked, || w.contract.reinstate(w.provider, Role::Provider));
    at(100 * DAY);
    as_caller(w.board);
    refused(Error::Revoked, || w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 0, 200 * DAY));
    assert_eq!(w.contract.credential(w.provider, Role::Provider), Some(revoked.clone()), "expiry lifts nothing");

    // Only the admin lifts it, and only a revocation.
    refused(Error::NotAdmin, || w.contract.lift_revocation(w.provider, Role::Provider));
    as_caller(w.admin);
    refused(Error::CredentialNotFound, || w.contract.lift_revocation(w.stranger, Role::Provider));
    assert_eq!(w.contract.credential(w.provider, Role::Provider), Some(revoked));
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    assert_eq!(w.contract.credential(w.provider, Role::Provider), None, "cleared");
    assert!(w.contract.credentials_of(w.provider).is_empty());
    assert_eq!(w.contract.roles_of(w.provider), RoleSet::EMPTY);
    refused(Error::CredentialNotFound, || w.contract.lift_revocation(w.provider, Role::Provider));

    as_caller(w.stranger);
    w.contract.attest(w.provider, Role::Provider, [9; 32], Some(NPI), 0, 200 * DAY).unwrap();
    assert!(w.contract.has_role(w.provider, Role::Provider));
    as_caller(w.admin);
    refused(Error::NotRevoked, || w.contract.lift_revocation(w.provider, Role::Provider));
    assert!(w.contract.has_role(w.provider, Role::Provider));
}

/// Regression (issue #18): the same NPI could be attested to several accounts.
#[ink::test]
fn an_npi_is_held_by_one_account() {
    let mut w = credentialed();
    assert_eq!(w.contract.npi_holder(NPI), Some(w.provider));
    assert_eq!(w.contract.npi_holder(OTHER_NPI), None);

    // Another issuer, another account, the same NPI: refused, whatever the first credential's status.
    as_caller(w.admin);
    w.contract.appoint_issuer(w.pharmacy_board, RoleSet::of(Role::Provider)).unwrap();
    let other = w.stranger;
    as_caller(w.pharmacy_board);
    refused(Error::NpiTaken, || w.contract.attest(other, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY));
    as_caller(w.board);
    w.contract.suspend(w.provider, Role::Provider).unwrap();
    refused(Error::NpiTaken, || w.contract.attest(other, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY));
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    refused(Error::NpiTaken, || w.contract.attest(other, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY));
    assert_eq!(w.contract.credential(other, Role::Provider), None);
    assert_eq!(w.contract.npi_holder(NPI), Some(w.provider), "a revoked provider keeps its NPI");

    // Another NPI is fine.
    w.contract.attest(other, Role::Provider, LICENCE, Some(OTHER_NPI), 0, 200 * DAY).unwrap();
    assert_eq!(w.contract.npi_holder(OTHER_NPI), Some(other));

    // Lifting the revocation releases it.
    as_caller(w.admin);
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    assert_eq!(w.contract.npi_holder(NPI), None);
    let third = accounts().django;
    as_caller(w.board);
    w.contract.attest(third, Role::Provider, LICENCE, Some(NPI), 0, 50 * DAY).unwrap();
    assert_eq!(w.contract.npi_holder(NPI), Some(third));
    refused(Error::NpiTaken, || w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 0, 200 * DAY));

    // Expiry releases it too; the holder renews with the same NPI.
    at(50 * DAY);
    assert_eq!(w.contract.npi_holder(NPI), None);
    w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 50 * DAY, 200 * DAY).unwrap();
    assert_eq!(w.contract.npi_holder(NPI), Some(w.provider));
    w.contract.revoke(w.provider, Role::Provider).unwrap();
    as_caller(w.admin);
    w.contract.lift_revocation(w.provider, Role::Provider).unwrap();
    as_caller(w.board);
    w.contract.attest(w.provider, Role::Provider, LICENCE, Some(NPI), 50 * DAY, 200 * DAY).unwrap();
    assert_eq!(w.contract.npi_holder(NPI), Some(w.provider), "re-attested to its holder");
}

// ---- GS1 company prefixes ----

/// Two real-format companies: GS1's example prefix 0614141 and an NDC labeler's 0300123, each with a GTIN-14.
const ACME_PREFIX: &str = "0614141";
const ACME_GTIN: &str = "00614141000418";
const GLOBEX_PREFIX: &str = "0300123";
const GLOBEX_GTIN: &str = "00300123456785";

/// The board of pharmacy credentials two manufacturers (days 5..100) and attests each its company prefix.
fn two_companies() -> (World, AccountId, AccountId) {
    let mut w = world();
    let (acme, globex) = (accounts().django, AccountId::from([0x60; 32]));
    as_caller(w.pharmacy_board);
    for maker in [acme, globex] {
        w.contract.attest(maker, Role::Manufacturer, LICENCE, None, 5 * DAY, 100 * DAY).unwrap();
    }
    w.contract.attest_company_prefix(acme, ACME_PREFIX.into()).unwrap();
    w.contract.attest_company_prefix(globex, GLOBEX_PREFIX.into()).unwrap();
    (w, acme, globex)
}

#[ink::test]
fn a_gtin_is_held_by_the_manufacturer_whose_company_prefix_it_carries() {
    let (w, acme, globex) = two_companies();
    assert_eq!(
        last_event::<CompanyPrefixAttested>(),
        CompanyPrefixAttested { account: globex, prefix: GLOBEX_PREFIX.into(), issuer: w.pharmacy_board }
    );
    assert_eq!(
        w.contract.company_prefix(ACME_PREFIX.into()),
        Some(CompanyPrefix { holder: acme, issuer: w.pharmacy_board, attested_at: 10 * DAY })
    );
    assert_eq!(w.contract.company_prefix("x".repeat(300)), None, "no key is built of what is no prefix");
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::PrefixHeld);
    assert_eq!(w.contract.holds_gtin(globex, GLOBEX_GTIN.into()), GtinHolding::PrefixHeld);
    assert_eq!(w.contract.holds_gtin(globex, ACME_GTIN.into()), GtinHolding::PrefixNotHeld, "squatting");
    assert_eq!(w.contract.holds_gtin(acme, GLOBEX_GTIN.into()), GtinHolding::PrefixNotHeld);
    assert_eq!(w.contract.holds_gtin(w.provider, ACME_GTIN.into()), GtinHolding::NotManufacturer);
    assert_eq!(w.contract.holds_gtin(acme, "9".repeat(300)), GtinHolding::PrefixNotHeld);
}

#[ink::test]
fn a_prefix_counts_only_while_the_credential_and_the_issuer_do() {
    let (mut w, acme, _) = two_companies();
    as_caller(w.pharmacy_board);
    w.contract.suspend(acme, Role::Manufacturer).unwrap();
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::NotManufacturer);
    w.contract.reinstate(acme, Role::Manufacturer).unwrap();
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::PrefixHeld);
    // The board no longer attests Manufacturers: its credentials, and so its prefixes, stop counting.
    as_caller(w.admin);
    w.contract.appoint_issuer(w.pharmacy_board, RoleSet::of(Role::Pharmacy)).unwrap();
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::NotManufacturer, "its credential too");
    at(100 * DAY);
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::NotManufacturer, "expired");
}

#[ink::test]
fn company_prefix_refusals_change_nothing() {
    let (mut w, acme, globex) = two_companies();
    let before = events();
    let c = &mut w.contract;
    as_caller(w.stranger);
    refused(Error::NotIssuer, || c.attest_company_prefix(acme, "0614142".into()));
    as_caller(w.board);
    refused(Error::RoleNotAllowed, || c.attest_company_prefix(acme, "0614142".into()));
    as_caller(w.pharmacy_board);
    refused(Error::SelfAttestation, || c.attest_company_prefix(w.pharmacy_board, "0614142".into()));
    refused(Error::InvalidCompanyPrefix, || c.attest_company_prefix(acme, "061".into()));
    refused(Error::InvalidCompanyPrefix, || c.attest_company_prefix(acme, "0".repeat(300)));
    refused(Error::ManufacturerCredentialRequired, || c.attest_company_prefix(w.provider, "0614142".into()));
    refused(Error::CompanyPrefixExists, || c.attest_company_prefix(acme, ACME_PREFIX.into()));
    refused(Error::CompanyPrefixTaken, || c.attest_company_prefix(globex, ACME_PREFIX.into()));
    refused(Error::CompanyPrefixTaken, || c.attest_company_prefix(globex, "06141419".into()));
    refused(Error::CompanyPrefixNotFound, || c.withdraw_company_prefix("0614142".into()));
    refused(Error::InvalidCompanyPrefix, || c.withdraw_company_prefix("0".repeat(300)));
    as_caller(w.stranger);
    refused(Error::NotCredentialIssuer, || c.withdraw_company_prefix(ACME_PREFIX.into()));
    as_caller(acme);
    refused(Error::NotCredentialIssuer, || c.withdraw_company_prefix(ACME_PREFIX.into()));
    assert_eq!(events(), before);
    assert_eq!(w.contract.company_prefix(ACME_PREFIX.into()).map(|p| p.holder), Some(acme));
}

#[ink::test]
fn the_issuer_or_the_admin_withdraws_a_prefix() {
    let (mut w, acme, globex) = two_companies();
    as_caller(w.pharmacy_board);
    w.contract.withdraw_company_prefix(ACME_PREFIX.into()).unwrap();
    assert_eq!(
        last_event::<CompanyPrefixWithdrawn>(),
        CompanyPrefixWithdrawn { account: acme, prefix: ACME_PREFIX.into(), by: w.pharmacy_board }
    );
    assert_eq!(w.contract.company_prefix(ACME_PREFIX.into()), None);
    assert_eq!(w.contract.holds_gtin(acme, ACME_GTIN.into()), GtinHolding::PrefixNotHeld);
    as_caller(w.admin);
    w.contract.withdraw_company_prefix(GLOBEX_PREFIX.into()).unwrap();
    assert_eq!(w.contract.holds_gtin(globex, GLOBEX_GTIN.into()), GtinHolding::PrefixNotHeld);
    // Withdrawn, the prefix may be attested to the company GS1 licenses it to now.
    as_caller(w.pharmacy_board);
    w.contract.attest_company_prefix(globex, ACME_PREFIX.into()).unwrap();
    assert_eq!(w.contract.holds_gtin(globex, ACME_GTIN.into()), GtinHolding::PrefixHeld);
}
