//! Governance, measured apart: the two-step admin transfer of every contract, the dependency setters, and `upgrade`
//! to the contract's own code hash (a dry run: the same `set_code_hash` work as a real upgrade, without needing a
//! second build of the code).

use interfaces::governance::Dependency::Participants;

use super::*;

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (suite, admin, next) = (ctx.suite, &ctx.cast.admin, &ctx.cast.board);
    let l = |contract, message, case| Label::new(contract, message, case, Kind::Single).group(Group::Admin);

    // One macro arm per contract: the call builders are different types. The admin hands over to the board and back;
    // uploading code that is already on chain stores nothing and returns its hash, which `upgrade` is dry-run to.
    macro_rules! governance {
        ($name:literal, $builder:expr) => {{
            b.tx(l($name, "propose_admin", "to a new account"), admin, &$builder.propose_admin(account(next))).await;
            b.tx(l($name, "accept_admin", "by the proposed account"), next, &$builder.accept_admin()).await;
            ok(b.client, next, &$builder.propose_admin(account(admin))).await;
            ok(b.client, admin, &$builder.accept_admin()).await;
            let label = l($name, "upgrade", "to its own code hash (dry run)");
            match b.client.upload($name, admin).submit().await {
                Ok(uploaded) => {
                    b.try_call(label, admin, &$builder.upgrade(uploaded.code_hash), false).await;
                }
                Err(e) => b.note(format!("{label}: not measured, its code hash is unknown (upload failed: {e:?})")),
            }
        }};
    }
    governance!("participants", suite.participants());
    governance!("consent", suite.consent());
    governance!("records", suite.records());
    governance!("claims", suite.claims());
    governance!("custody", suite.custody());

    let (same, p) = ("participants, the same address again", suite.participants);
    b.tx(l("consent", "set_dependency", same), admin, &suite.consent().set_dependency(Participants, p)).await;
    let day = suite.consent().set_emergency_duration(::consent::consent::DEFAULT_EMERGENCY_DURATION);
    b.tx(l("consent", "set_emergency_duration", "24 h"), admin, &day).await;
    b.tx(l("records", "set_dependency", same), admin, &suite.records().set_dependency(Participants, p)).await;
    b.tx(l("claims", "set_dependency", same), admin, &suite.claims().set_dependency(Participants, p)).await;
    b.tx(l("custody", "set_dependency", same), admin, &suite.custody().set_dependency(Participants, p)).await;
}
