//! participants: issuers and credentials. No message calls another contract.

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env, FAR_FUTURE, NPI};
use ink::primitives::AccountId;
use ink_e2e::ContractsBackend;
use interfaces::{Participants as _, Role, RoleSet};

use super::{Ctx, FLOOR};
use crate::measure::{Bench, Kind, Label};

fn label(message: &'static str, case: &str) -> Label {
    Label::new("participants", message, case, Kind::Single)
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (&ctx.suite, &ctx.cast);
    let p = || suite.participants();
    let every_role = RoleSet::from_slice(&[
        Role::Provider,
        Role::Payer,
        Role::Manufacturer,
        Role::Distributor,
        Role::Pharmacy,
        Role::Regulator,
        Role::Researcher,
    ]);
    b.tx(
        label("appoint_issuer", "a board for every role"),
        &cast.admin,
        &p().appoint_issuer(account(&cast.board), every_role),
    )
    .await;
    let doctor = account(&cast.doctor);
    let attest = p().attest(doctor, Role::Provider, [1; 32], Some(NPI), 0, FAR_FUTURE);
    b.tx(label("attest", "a provider, with NPI check"), &cast.board, &attest).await;
    for (member, role) in [
        (&cast.payer, Role::Payer),
        (&cast.pharmacy, Role::Pharmacy),
        (&cast.manufacturer, Role::Manufacturer),
        (&cast.distributor, Role::Distributor),
        (&cast.researcher, Role::Researcher),
        (&cast.regulator, Role::Regulator),
    ] {
        let message = p().attest(account(member), role, [role as u8; 32], None, 0, FAR_FUTURE);
        b.run(&cast.board, &message).await;
    }

    // A credential's life: suspended, reinstated, revoked (by its issuer).
    let spare = AccountId::from([0x5A; 32]);
    b.run(&cast.board, &p().attest(spare, Role::Payer, [2; 32], None, 0, FAR_FUTURE)).await;
    b.tx(label("suspend", "by the issuer"), &cast.board, &p().suspend(spare, Role::Payer)).await;
    b.tx(label("reinstate", "by the issuer"), &cast.board, &p().reinstate(spare, Role::Payer)).await;
    b.tx(label("revoke", "by the issuer"), &cast.board, &p().revoke(spare, Role::Payer)).await;
    let second_board = AccountId::from([0x5B; 32]);
    b.run(&cast.admin, &p().appoint_issuer(second_board, RoleSet::of(Role::Payer))).await;
    b.tx(label("remove_issuer", "an appointed issuer"), &cast.admin, &p().remove_issuer(second_board)).await;

    let held =
        b.read(label("has_role", "an active provider"), &cast.admin, &p().has_role(doctor, Role::Provider)).await;
    assert!(held, "the doctor is a provider");
    b.read(label("roles_of", "an active provider"), &cast.admin, &p().roles_of(doctor)).await;
    b.read(label("credential", "a provider's"), &cast.admin, &p().credential(doctor, Role::Provider)).await;
    b.read(label("credentials_of", "one credential held"), &cast.admin, &p().credentials_of(doctor)).await;
    b.read(label("issuer", "an appointed issuer"), &cast.admin, &p().issuer(account(&cast.board))).await;
    b.read(label("admin", FLOOR), &cast.admin, &p().admin()).await;
}
