//! participants: issuers and credentials. No message calls another contract.

use interfaces::{Participants as _, Role::*, RoleSet};

use super::*;

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (p, cast) = (|| ctx.suite.participants(), &ctx.cast);
    let l = |message, case| Label::new("participants", message, case, Kind::Single);
    let (admin, board, doctor) = (&cast.admin, &cast.board, account(&cast.doctor));
    let every_role =
        RoleSet::from_slice(&[Provider, Payer, Manufacturer, Distributor, Pharmacy, Regulator, Researcher]);
    b.tx(l("appoint_issuer", "a board for every role"), admin, &p().appoint_issuer(account(board), every_role)).await;
    let attest = p().attest(doctor, Provider, [1; 32], Some(npi_of(doctor)), 0, FAR_FUTURE);
    b.tx(l("attest", "a provider, with NPI check"), board, &attest).await;
    for (member, role) in [
        (&cast.payer, Payer),
        (&cast.pharmacy, Pharmacy),
        (&cast.manufacturer, Manufacturer),
        (&cast.distributor, Distributor),
        (&cast.researcher, Researcher),
        (&cast.regulator, Regulator),
    ] {
        ok(b.client, board, &p().attest(account(member), role, [role as u8; 32], None, 0, FAR_FUTURE)).await;
    }

    // The manufacturer's GS1 Company Prefix, which custody's register_product asks for (holds_gtin).
    let manufacturer = account(&cast.manufacturer);
    let prefix = p().attest_company_prefix(manufacturer, COMPANY_PREFIX.into());
    b.tx(l("attest_company_prefix", "7 digits: credential + 4 prefix reads"), board, &prefix).await;
    ok(b.client, board, &p().attest_company_prefix(manufacturer, "0999".into())).await;
    b.tx(l("withdraw_company_prefix", "by its issuer"), board, &p().withdraw_company_prefix("0999".into())).await;
    let holds = p().holds_gtin(manufacturer, GTIN.into());
    b.read(l("holds_gtin", "a 7-digit prefix: has_role + 6 prefix reads + issuer"), &holds).await;
    b.read(l("company_prefix", "an attested prefix"), &p().company_prefix(COMPANY_PREFIX.into())).await;

    // A credential's life: suspended, reinstated, revoked (by its issuer).
    let spare = AccountId::from([0x5A; 32]);
    ok(b.client, board, &p().attest(spare, Payer, [2; 32], None, 0, FAR_FUTURE)).await;
    b.tx(l("suspend", "by the issuer"), board, &p().suspend(spare, Payer)).await;
    b.tx(l("reinstate", "by the issuer"), board, &p().reinstate(spare, Payer)).await;
    b.tx(l("revoke", "by the issuer"), board, &p().revoke(spare, Payer)).await;
    b.tx(l("lift_revocation", "by the admin"), admin, &p().lift_revocation(spare, Payer)).await;
    let second_board = AccountId::from([0x5B; 32]);
    ok(b.client, admin, &p().appoint_issuer(second_board, RoleSet::of(Payer))).await;
    b.tx(l("remove_issuer", "an appointed issuer"), admin, &p().remove_issuer(second_board)).await;

    let held = b.read(l("has_role", "an active provider"), &p().has_role(doctor, Provider)).await;
    assert!(held, "the doctor is a provider");
    b.read(l("roles_of", "an active provider"), &p().roles_of(doctor)).await;
    b.read(l("credential", "a provider's"), &p().credential(doctor, Provider)).await;
    b.read(l("credentials_of", "one credential held"), &p().credentials_of(doctor)).await;
    b.read(l("issuer", "an appointed issuer"), &p().issuer(account(board))).await;
    b.read(l("npi_holder", "a held NPI"), &p().npi_holder(npi_of(doctor))).await;
    b.read(l("admin", FLOOR), &p().admin()).await;
}
