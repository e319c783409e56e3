//! Governance, measured apart: the two-step admin transfer of every contract, the dependency setters, and `upgrade`
//! to the contract's own code hash (a dry run: the same `set_code_hash` work as a real upgrade, without needing a
//! second build of the code).

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env};
use ink_e2e::ContractsBackend;
use interfaces::governance::Dependency;

const PARTICIPANTS: Dependency = Dependency::Participants;

use super::Ctx;
use crate::measure::{Bench, Group, Kind, Label};

fn label(contract: &'static str, message: &'static str, case: &str) -> Label {
    Label::new(contract, message, case, Kind::Single).group(Group::Admin)
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let (admin, next) = (&cast.admin, &cast.board);
    let proposed = "to a new account";
    let accepted = "by the proposed account";

    // One macro arm per contract: the call builders are different types.
    macro_rules! transfer_admin {
        ($name:literal, $builder:expr) => {{
            b.tx(label($name, "propose_admin", proposed), admin, &$builder.propose_admin(account(next))).await;
            b.tx(label($name, "accept_admin", accepted), next, &$builder.accept_admin()).await;
            b.run(next, &$builder.propose_admin(account(admin))).await;
            b.run(admin, &$builder.accept_admin()).await;
        }};
    }
    transfer_admin!("participants", suite.participants());
    transfer_admin!("consent", suite.consent());
    transfer_admin!("records", suite.records());
    transfer_admin!("claims", suite.claims());
    transfer_admin!("custody", suite.custody());

    // Uploading code that is already on chain stores nothing and returns its hash.
    macro_rules! upgrade {
        ($name:literal, $builder:expr) => {{
            let label = label($name, "upgrade", "to its own code hash (dry run)");
            match b.client.upload($name, admin).submit().await {
                Ok(uploaded) => b.try_probe(label, admin, &$builder.upgrade(uploaded.code_hash)).await,
                Err(e) => b.note(format!("{label}: not measured, its code hash is unknown (upload failed: {e:?})")),
            }
        }};
    }
    upgrade!("participants", suite.participants());
    upgrade!("consent", suite.consent());
    upgrade!("records", suite.records());
    upgrade!("claims", suite.claims());
    upgrade!("custody", suite.custody());

    let same = "participants, the same address again";
    b.tx(
        label("consent", "set_dependency", same),
        admin,
        &suite.consent().set_dependency(PARTICIPANTS, suite.participants),
    )
    .await;
    let duration = consent::consent::DEFAULT_EMERGENCY_DURATION;
    b.tx(label("consent", "set_emergency_duration", "24 h"), admin, &suite.consent().set_emergency_duration(duration))
        .await;
    b.tx(
        label("records", "set_dependency", same),
        admin,
        &suite.records().set_dependency(PARTICIPANTS, suite.participants),
    )
    .await;
    b.tx(
        label("claims", "set_dependency", same),
        admin,
        &suite.claims().set_dependency(PARTICIPANTS, suite.participants),
    )
    .await;
    b.tx(
        label("custody", "set_dependency", same),
        admin,
        &suite.custody().set_dependency(PARTICIPANTS, suite.participants),
    )
    .await;
}
