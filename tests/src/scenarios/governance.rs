//! Scenario 8: governance by the council contract. The deployer hands records, claims and participants to a council
//! of 2 of 3 (each contract proposes the council as its admin; the council accepts by an approved call). Then:
//! - an upgrade of records waits two approvals and the timelock, runs, and records keeps its storage;
//! - the escrow-drain attack: two members queue a re-wiring of claims to a participants contract of their choice;
//!   the call is readable while it waits, it cannot run early, the payer withdraws its escrow meanwhile, and the
//!   third member cancels it;
//! - an ordinary admin call (appointing an issuer) runs as soon as two approved it, and a call the contract refuses
//!   fails the execution (`CallFailed`) and leaves the proposal open.
//!
//! Time: the upgrade waits a delay of a few seconds ([`crate::Clock`]: the sandbox's clock moves at once, a node's
//! wall clock is waited for); the re-wiring has a day's delay, which no one waits for.

use crate::{account, ok, pay, read, refused, Backend, Cast, Suite};
use claims::claims::{Error as ClaimsError, PlanTerms, YearStart};
use council::council::{Council, CouncilAction, CouncilConfig, CouncilRef, Error as CouncilError};
use interfaces::{governance::Dependency, AccountId, DataClass, Role, RoleSet};
use scale::Encode;

/// How long the executed upgrade waits (ms).
const UPGRADE_DELAY: u64 = 3_000;
const DAY: u64 = 86_400_000;

/// The code hash of `name`'s Wasm as the tests deploy it.
fn code_hash(name: &str) -> [u8; 32] {
    let wasm = crate::contracts().into_iter().find(|path| path.ends_with(format!("{name}.wasm"))).expect("built");
    let bytes = std::fs::read(&wasm).unwrap_or_else(|e| panic!("cannot read {}: {e}", wasm.display()));
    let mut hash = [0u8; 32];
    ink::env::hash_bytes::<ink::env::hash::Blake2x256>(&bytes, &mut hash);
    hash
}

/// A council call of `message` (its name) on `contract` with `args`.
fn call(contract: AccountId, message: [u8; 4], args: impl Encode) -> CouncilAction {
    CouncilAction::Call { contract, message, args: args.encode() }
}

pub async fn governance<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (first, second, third) = (&cast.admin, &cast.board, &cast.regulator);
    let members = vec![account(first), account(second), account(third)];
    let delay = UPGRADE_DELAY;

    let council = client
        .instantiate("council", first, &mut CouncilRef::new(members.clone(), 2, delay))
        .submit()
        .await
        .expect("instantiate council")
        .account_id;
    let cc = || ink_e2e::create_call_builder::<Council>(council);
    assert_eq!(read(client, &cc().config()).await, CouncilConfig { members, threshold: 2, delay_ms: delay });

    // Each contract proposes the council as its admin; the council accepts (not timelocked: accepting hands
    // nothing away), two members approving.
    for contract in [suite.records, suite.claims, suite.participants] {
        let propose_admin = ink_e2e::create_call_builder::<records::records::Records>(contract).propose_admin(council);
        ok(client, first, &propose_admin).await;
        let id = ok(client, first, &cc().propose(call(contract, ink::selector_bytes!("accept_admin"), ()))).await;
        assert_eq!(refused(client, first, &cc().execute(id)).await, CouncilError::NotQueued);
        ok(client, second, &cc().approve(id)).await;
        ok(client, third, &cc().execute(id)).await;
    }
    assert_eq!(read(client, &suite.records().admin()).await, council);
    assert_eq!(read(client, &suite.claims().admin()).await, council);
    let not_admin = records::records::Error::NotAdmin;
    let unknown_code = ink::primitives::Hash::from([0xAB; 32]);
    assert_eq!(refused(client, first, &suite.records().upgrade(unknown_code)).await, not_admin, "no key governs alone");

    // An upgrade of records (to the code it runs, so that its storage visibly survives): two approvals, the delay.
    let patient = account(&cast.patient);
    let register = suite.records().register(patient, DataClass::Labs, [5; 32], b"ipfs://x".to_vec(), None);
    let record = ok(client, &cast.patient, &register).await;
    let upgrade = call(suite.records, ink::selector_bytes!("upgrade"), code_hash("records"));
    let id = ok(client, first, &cc().propose(upgrade)).await;
    ok(client, second, &cc().approve(id)).await;
    assert_eq!(refused(client, third, &cc().execute(id)).await, CouncilError::TooEarly);
    client.advance(delay).await;
    ok(client, third, &cc().execute(id)).await;
    let summary = read(client, &interfaces::RecordRegistry::summary(&suite.records(), record)).await;
    assert_eq!(summary.map(|s| s.patient), Some(patient), "the upgraded contract kept its storage");

    // A day's delay from now on (after the current one).
    let id = ok(client, first, &cc().propose(CouncilAction::SetDelay { delay_ms: DAY })).await;
    ok(client, second, &cc().approve(id)).await;
    client.advance(delay).await;
    ok(client, first, &cc().execute(id)).await;

    // The escrow-drain attack, seen and stopped. A funded plan first.
    let terms = PlanTerms {
        deductible: 0,
        coinsurance_bps: 0,
        copay: 0,
        out_of_pocket_max: 1_000,
        timely_filing_ms: DAY,
        appeal_window_ms: DAY,
        benefit_year_start: YearStart::JANUARY_1,
        settlement_delay_ms: 0,
        reversal_window_ms: DAY,
    };
    let plan = ok(client, &cast.payer, &suite.claims().create_plan(terms)).await;
    pay(client, &cast.payer, &suite.claims().fund(plan), 5_000).await;
    let fake = suite.consent; // any contract that is not participants
    let rewire = call(suite.claims, ink::selector_bytes!("set_dependency"), (Dependency::Participants, fake));
    let attack = ok(client, first, &cc().propose(rewire.clone())).await;
    ok(client, second, &cc().approve(attack)).await;
    let queued = read(client, &cc().proposals()).await;
    assert_eq!((queued.len(), &queued[0].action), (1, &rewire), "what it would do is readable while it waits");
    assert_eq!(refused(client, second, &cc().execute(attack)).await, CouncilError::TooEarly);
    ok(client, &cast.payer, &suite.claims().withdraw(plan, 5_000)).await;
    ok(client, third, &cc().cancel(attack)).await;
    assert_eq!(refused(client, first, &cc().execute(attack)).await, CouncilError::ProposalNotFound);
    assert_eq!(read(client, &suite.claims().dependency(Dependency::Participants)).await, Some(suite.participants));
    let not_payer = refused(client, &cast.doctor, &suite.claims().create_plan(terms)).await;
    assert_eq!(not_payer, ClaimsError::NotPayer, "claims still asks the real participants contract");

    // An ordinary admin call runs once approved; one the contract refuses fails and stays open.
    let issuer = account(&cast.researcher);
    let roles = RoleSet::of(Role::Researcher);
    let appoint = call(suite.participants, ink::selector_bytes!("appoint_issuer"), (issuer, roles));
    let id = ok(client, first, &cc().propose(appoint)).await;
    ok(client, third, &cc().approve(id)).await;
    ok(client, second, &cc().execute(id)).await;
    assert_eq!(read(client, &suite.participants().issuer(issuer)).await.map(|i| i.roles), Some(roles));
    let lift = call(suite.participants, ink::selector_bytes!("lift_revocation"), (issuer, Role::Provider));
    let id = ok(client, first, &cc().propose(lift)).await;
    ok(client, second, &cc().approve(id)).await;
    assert_eq!(refused(client, first, &cc().execute(id)).await, CouncilError::CallFailed, "nothing to lift");
    assert_eq!(read(client, &cc().proposals()).await.len(), 1);
    ok(client, first, &cc().cancel(id)).await;
}
