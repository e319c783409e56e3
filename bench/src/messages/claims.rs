//! claims: plans, enrolment, escrow, prior authorization, submission with adjudication, review, appeals. Creating a
//! plan and requesting a prior authorization ask participants (has_role); submitting asks participants, and records
//! (summary) and consent (check) for each evidence record.

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env, FAR_FUTURE};
use ink::primitives::AccountId;
use ink_e2e::ContractsBackend;
use interfaces::{DataClass, RecordId};

use claims::adjudication::plan_year;
use claims::claims::{Benefit, ClaimLine, LineDecision, PlanTerms};

use super::Ctx;
use crate::measure::{Bench, Kind, Label};

const DAY: u64 = 86_400_000;
const OFFICE_VISIT: u32 = 99213;
const COSMETIC: u32 = 15780;
const MRI: u32 = 70553;

fn label(message: &'static str, case: &str, kind: Kind) -> Label {
    Label::new("claims", message, case, kind)
}

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, diagnosis_code: 4019, units, charge }
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let c = || suite.claims();
    let (patient, doctor) = (account(&cast.patient), account(&cast.doctor));
    let terms = PlanTerms {
        deductible: 100,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 100_000,
        timely_filing_ms: 365 * DAY,
        appeal_window_ms: 30 * DAY,
    };
    let plan =
        b.tx(label("create_plan", "by a payer: has_role", Kind::Cross), &cast.payer, &c().create_plan(terms)).await;
    let visit = Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false };
    b.tx(
        label("set_benefit", "a covered service", Kind::Single),
        &cast.payer,
        &c().set_benefit(plan, OFFICE_VISIT, visit),
    )
    .await;
    let cosmetic = Benefit { covered: false, allowed_per_unit: 0, unit_limit: 0, prior_auth: false };
    b.run(&cast.payer, &c().set_benefit(plan, COSMETIC, cosmetic)).await;
    let mri = Benefit { covered: true, allowed_per_unit: 900, unit_limit: 1, prior_auth: true };
    b.run(&cast.payer, &c().set_benefit(plan, MRI, mri)).await;
    b.tx(label("enrol", "open-ended", Kind::Single), &cast.payer, &c().enrol(plan, patient, 0, None)).await;
    b.pay(label("fund", "payable, 1 000 000", Kind::Single), &cast.payer, &c().fund(plan), 1_000_000).await;

    let today = ctx.today;
    let submit = |lines: Vec<ClaimLine>, evidence: Vec<RecordId>| c().submit(patient, plan, today, lines, evidence);
    let first = submit(vec![line(OFFICE_VISIT, 1, 300)], vec![ctx.note]);
    let first_id =
        b.tx(label("submit", "1 line, 1 evidence record: approved and paid", Kind::Cross), &cast.doctor, &first).await;

    // Input size: lines (1 to MAX_LINES = 16) and evidence records (0, 1, MAX_EVIDENCE = 8), on a funded plan.
    let mut evidence = Vec::new();
    for n in 0..8u8 {
        let register =
            suite.records().register(patient, DataClass::Labs, [0x60 + n; 32], b"ipfs://lab-result".to_vec(), None);
        evidence.push(b.run(&cast.patient, &register).await);
    }
    for lines in [1u32, 16] {
        let claim = submit((0..lines).map(|i| line(OFFICE_VISIT, 1, 301 + u128::from(i))).collect(), vec![]);
        let case = format!("{lines} line(s), no evidence: approved and paid");
        b.tx(label("submit", &case, Kind::Cross).items("lines", lines), &cast.doctor, &claim).await;
    }
    for records in [1usize, 8] {
        let claim = submit(vec![line(OFFICE_VISIT, 1, 400 + records as u128)], evidence[..records].to_vec());
        let case = format!("1 line, {records} evidence record(s) of one class: approved and paid");
        let items = u32::try_from(records).unwrap_or(u32::MAX);
        b.tx(label("submit", &case, Kind::Cross).items("evidence records", items), &cast.doctor, &claim).await;
    }

    let request = c().request_prior_auth(patient, plan, MRI, 1);
    let auth = b.tx(label("request_prior_auth", "by a provider: has_role", Kind::Cross), &cast.doctor, &request).await;
    b.tx(label("decide_prior_auth", "approve", Kind::Single), &cast.payer, &c().decide_prior_auth(auth, true)).await;

    let pended = b.run(&cast.doctor, &submit(vec![line(OFFICE_VISIT, 6, 1_200)], vec![])).await;
    let review = c().review(pended, vec![LineDecision::Approve(150)]);
    b.tx(label("review", "approve a pended line, paid", Kind::Single), &cast.payer, &review).await;
    let denied = b.run(&cast.doctor, &submit(vec![line(COSMETIC, 1, 150)], vec![])).await;
    b.tx(label("appeal", "a denied claim, by the provider", Kind::Single), &cast.doctor, &c().appeal(denied, [60; 32]))
        .await;
    let overturn = c().decide_appeal(denied, Some(vec![120]));
    b.tx(label("decide_appeal", "overturn, the difference paid", Kind::Single), &cast.payer, &overturn).await;

    // Short escrow: withdraw all but 8, a claim is approved but owed, the plan is funded again, anyone settles.
    let escrow = b.query(&c().escrow(plan)).await;
    let free = escrow.balance - escrow.owed;
    b.tx(label("withdraw", "free funds, to the payer", Kind::Single), &cast.payer, &c().withdraw(plan, free - 8)).await;
    let short = b.run(&cast.doctor, &submit(vec![line(OFFICE_VISIT, 2, 400)], vec![])).await;
    b.run_paying(&cast.payer, &c().fund(plan), 1_000).await;
    b.tx(label("settle", "an owed claim, by anyone", Kind::Single), &cast.admin, &c().settle(short)).await;

    let member = AccountId::from([0x88; 32]);
    b.run(&cast.payer, &c().enrol(plan, member, 0, None)).await;
    b.tx(
        label("end_enrolment", "an open-ended enrolment", Kind::Single),
        &cast.payer,
        &c().end_enrolment(plan, member, FAR_FUTURE),
    )
    .await;

    b.read(label("plan", "", Kind::Single), &cast.admin, &c().plan(plan)).await;
    b.read(label("benefit", "", Kind::Single), &cast.admin, &c().benefit(plan, OFFICE_VISIT)).await;
    b.read(label("enrolment", "", Kind::Single), &cast.admin, &c().enrolment(plan, patient)).await;
    b.read(label("escrow", "", Kind::Single), &cast.admin, &c().escrow(plan)).await;
    let year = plan_year(today);
    b.read(label("accumulators", "", Kind::Single), &cast.admin, &c().accumulators(plan, patient, year)).await;
    let claim = b.read(label("claim", "one line", Kind::Single), &cast.admin, &c().claim(first_id)).await;
    assert!(claim.is_some_and(|claim| claim.paid > 0), "the first claim was paid");
    b.read(
        label("claims_by_provider", "a page of 10", Kind::Single),
        &cast.admin,
        &c().claims_by_provider(doctor, None, 10),
    )
    .await;
    b.read(
        label("claims_by_patient", "a page of 10", Kind::Single),
        &cast.admin,
        &c().claims_by_patient(patient, None, 10),
    )
    .await;
    b.read(label("prior_auth", "", Kind::Single), &cast.admin, &c().prior_auth(auth)).await;
    b.read(label("admin", super::FLOOR, Kind::Single), &cast.admin, &c().admin()).await;
}
