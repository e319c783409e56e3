//! claims: plans, enrolment, escrow, prior authorization, submission with adjudication, review, appeals. Creating a
//! plan and requesting a prior authorization ask participants (has_role); submitting asks participants, and records
//! (summary) and consent (check) for each evidence record.

use ::claims::adjudication::plan_year;
use ::claims::claims::{Benefit, ClaimLine, LineDecision, PlanTerms};

use super::*;

const OFFICE_VISIT: u32 = 99213;
const COSMETIC: u32 = 15780;
const MRI: u32 = 70553;

/// A plan's terms: 20 % coinsurance, a copay of 10, a year to file a claim, 30 days to appeal.
pub fn terms(deductible: u128) -> PlanTerms {
    let (timely_filing_ms, appeal_window_ms) = (365 * DAY, 30 * DAY);
    PlanTerms {
        deductible,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 100_000,
        timely_filing_ms,
        appeal_window_ms,
    }
}

/// A plan's benefit for one service code.
pub fn benefit(covered: bool, allowed_per_unit: u128, unit_limit: u32, prior_auth: bool) -> Benefit {
    Benefit { covered, allowed_per_unit, unit_limit, prior_auth }
}

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, diagnosis_code: 4019, units, charge }
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (c, cast) = (|| ctx.suite.claims(), &ctx.cast);
    let l = |message, case: &str, kind| Label::new("claims", message, case, kind);
    let (patient, doctor, payer, admin) = (account(&cast.patient), &cast.doctor, &cast.payer, &cast.admin);
    let plan = b.tx(l("create_plan", "by a payer: has_role", Cross), payer, &c().create_plan(terms(100))).await;
    let visit = c().set_benefit(plan, OFFICE_VISIT, benefit(true, 200, 4, false));
    b.tx(l("set_benefit", "a covered service", Single), payer, &visit).await;
    ok(b.client, payer, &c().set_benefit(plan, COSMETIC, benefit(false, 0, 0, false))).await;
    ok(b.client, payer, &c().set_benefit(plan, MRI, benefit(true, 900, 1, true))).await;
    b.tx(l("enrol", "open-ended", Single), payer, &c().enrol(plan, patient, 0, None)).await;
    b.pay(l("fund", "payable, 1 000 000", Single), payer, &c().fund(plan), 1_000_000).await;

    let submit = |lines: Vec<ClaimLine>, evidence: Vec<RecordId>| c().submit(patient, plan, ctx.today, lines, evidence);
    let first = submit(vec![line(OFFICE_VISIT, 1, 300)], vec![ctx.note]);
    let first = b.tx(l("submit", "1 line, 1 evidence record: approved and paid", Cross), doctor, &first).await;

    // Input size: lines (1 to MAX_LINES = 16) and evidence records (0, 1, MAX_EVIDENCE = 8), on a funded plan.
    let mut evidence = Vec::new();
    for n in 0..8u8 {
        let lab =
            ctx.suite.records().register(patient, DataClass::Labs, [0x60 + n; 32], b"ipfs://lab-result".to_vec(), None);
        evidence.push(ok(b.client, &cast.patient, &lab).await);
    }
    for lines in [1u32, 16] {
        let claim = submit((0..lines).map(|i| line(OFFICE_VISIT, 1, 301 + u128::from(i))).collect(), vec![]);
        let label = l("submit", &format!("{lines} line(s), no evidence: approved and paid"), Cross);
        b.tx(label.items("lines", lines as usize), doctor, &claim).await;
    }
    for records in [1usize, 8] {
        let claim = submit(vec![line(OFFICE_VISIT, 1, 400 + records as u128)], evidence[..records].to_vec());
        let label =
            l("submit", &format!("1 line, {records} evidence record(s) of one class: approved and paid"), Cross);
        b.tx(label.items("evidence records", records), doctor, &claim).await;
    }

    let request = c().request_prior_auth(patient, plan, MRI, 1);
    let auth = b.tx(l("request_prior_auth", "by a provider: has_role", Cross), doctor, &request).await;
    b.tx(l("decide_prior_auth", "approve", Single), payer, &c().decide_prior_auth(auth, true)).await;

    let pended = ok(b.client, doctor, &submit(vec![line(OFFICE_VISIT, 6, 1_200)], vec![])).await;
    let review = c().review(pended, vec![LineDecision::Approve(150)]);
    b.tx(l("review", "approve a pended line, paid", Single), payer, &review).await;
    let denied = ok(b.client, doctor, &submit(vec![line(COSMETIC, 1, 150)], vec![])).await;
    b.tx(l("appeal", "a denied claim, by the provider", Single), doctor, &c().appeal(denied, [60; 32])).await;
    let overturn = c().decide_appeal(denied, Some(vec![120]));
    b.tx(l("decide_appeal", "overturn, the difference paid", Single), payer, &overturn).await;

    // Short escrow: withdraw all but 8, a claim is approved but owed, the plan is funded again, anyone settles.
    let escrow = read(b.client, &c().escrow(plan)).await;
    let free = escrow.balance - escrow.owed;
    b.tx(l("withdraw", "free funds, to the payer", Single), payer, &c().withdraw(plan, free - 8)).await;
    let short = ok(b.client, doctor, &submit(vec![line(OFFICE_VISIT, 2, 400)], vec![])).await;
    pay(b.client, payer, &c().fund(plan), 1_000).await;
    b.tx(l("settle", "an owed claim, by anyone", Single), admin, &c().settle(short)).await;

    let member = AccountId::from([0x88; 32]);
    ok(b.client, payer, &c().enrol(plan, member, 0, None)).await;
    let end = c().end_enrolment(plan, member, FAR_FUTURE);
    b.tx(l("end_enrolment", "an open-ended enrolment", Single), payer, &end).await;

    b.read(l("plan", "", Single), &c().plan(plan)).await;
    b.read(l("benefit", "", Single), &c().benefit(plan, OFFICE_VISIT)).await;
    b.read(l("enrolment", "", Single), &c().enrolment(plan, patient)).await;
    b.read(l("escrow", "", Single), &c().escrow(plan)).await;
    b.read(l("accumulators", "", Single), &c().accumulators(plan, patient, plan_year(ctx.today))).await;
    let claim = b.read(l("claim", "one line", Single), &c().claim(first)).await;
    assert!(claim.is_some_and(|claim| claim.paid > 0), "the first claim was paid");
    b.read(l("claims_by_provider", "a page of 10", Single), &c().claims_by_provider(account(doctor), None, 10)).await;
    b.read(l("claims_by_patient", "a page of 10", Single), &c().claims_by_patient(patient, None, 10)).await;
    b.read(l("prior_auth", "", Single), &c().prior_auth(auth)).await;
    b.read(l("admin", FLOOR, Single), &c().admin()).await;
}
