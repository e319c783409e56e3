//! Governance, measured apart: the two-step admin transfer of every contract, the dependency setters, and `upgrade`
//! to the contract's own code hash (a dry run: the same `set_code_hash` work as a real upgrade, without needing a
//! second build of the code); then the council of a deployment (2 of 2, no delay) governing participants: a
//! proposal, the approval that queues it, its execution (the council calls participants), a cancellation.

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

    council(b, ctx).await;
}

async fn council<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    use ::council::council::{Council, CouncilAction, CouncilRef};
    let (suite, admin, second) = (ctx.suite, &ctx.cast.admin, &ctx.cast.board);
    let l = |message, case, kind| Label::new("council", message, case, kind).group(Group::Admin);
    let mut constructor = CouncilRef::new(vec![account(admin), account(second)], 2, 0);
    let council = match b.client.instantiate("council", admin, &mut constructor).submit().await {
        Ok(instantiated) => instantiated.account_id,
        Err(e) => return b.note(format!("council: not measured (instantiation failed: {e:?})")),
    };
    let cc = || ink_e2e::create_call_builder::<Council>(council);
    b.read(l("config", FLOOR, Single), &cc().config()).await;
    // participants under the council: it proposes the council, the council accepts (two approvals).
    let call = |message, args: Vec<u8>| CouncilAction::Call { contract: suite.participants, message, args };
    ok(b.client, admin, &suite.participants().propose_admin(council)).await;
    let id = ok(b.client, admin, &cc().propose(call(ink::selector_bytes!("accept_admin"), Vec::new()))).await;
    ok(b.client, second, &cc().approve(id)).await;
    ok(b.client, admin, &cc().execute(id)).await;

    let roles = interfaces::RoleSet::of(Role::Researcher);
    let issuer = account(&ctx.cast.researcher);
    let appoint = call(ink::selector_bytes!("appoint_issuer"), scale::Encode::encode(&(issuer, roles)));
    let id = b.tx(l("propose", "a call of participants.appoint_issuer", Single), admin, &cc().propose(appoint)).await;
    b.tx(l("approve", "the second of two approvals (queues it)", Single), second, &cc().approve(id)).await;
    b.tx(l("execute", "calls participants.appoint_issuer", Cross), admin, &cc().execute(id)).await;
    let wait = CouncilAction::SetDelay { delay_ms: DAY };
    let id = b.tx(l("propose", "a timelocked delay change", Single), admin, &cc().propose(wait)).await;
    b.tx(l("cancel", "an open proposal", Single), second, &cc().cancel(id)).await;
    // participants back to the admin, for what runs after.
    let back = call(ink::selector_bytes!("propose_admin"), scale::Encode::encode(&account(admin)));
    let id = ok(b.client, admin, &cc().propose(back)).await;
    ok(b.client, second, &cc().approve(id)).await;
    ok(b.client, admin, &cc().execute(id)).await;
    ok(b.client, admin, &suite.participants().accept_admin()).await;
}
