//! claims: plans, networks, enrolment, escrow, prior authorization, submission with adjudication, corrections,
//! review, appeals, settlement (delay, queue, void, dispute, reversal). Every payer and provider message asks
//! participants once (has_role); submitting also asks records (summary) and consent (check) for each evidence
//! record.

use ::claims::adjudication::benefit_year;
use ::claims::claims::{carc, Benefit, ClaimLine, LineDecision, PlanTerms, YearStart};

use super::*;

const OFFICE_VISIT: u32 = 99213;
const COSMETIC: u32 = 15780;
const MRI: u32 = 70553;

/// A plan's terms: 20 % coinsurance, a copay of 10, a year to file a claim, 30 days to appeal or reverse, calendar
/// benefit years, paid at once (no settlement delay).
pub fn terms(deductible: u128) -> PlanTerms {
    let (timely_filing_ms, appeal_window_ms) = (365 * DAY, 30 * DAY);
    PlanTerms {
        deductible,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 100_000,
        timely_filing_ms,
        appeal_window_ms,
        benefit_year_start: YearStart::JANUARY_1,
        settlement_delay_ms: 0,
        reversal_window_ms: 30 * DAY,
    }
}

/// The commitment of a claim's off-chain 837 detail.
const DETAIL: [u8; 32] = [0x83; 32];

/// A plan's benefit for one service code.
pub fn benefit(covered: bool, allowed_per_unit: u128, unit_limit: u32, prior_auth: bool) -> Benefit {
    Benefit { covered, allowed_per_unit, unit_limit, prior_auth }
}

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, units, charge }
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (c, cast) = (|| ctx.suite.claims(), &ctx.cast);
    let l = |message, case: &str, kind| Label::new("claims", message, case, kind);
    let (patient, doctor, payer, admin) = (account(&cast.patient), &cast.doctor, &cast.payer, &cast.admin);
    let plan = b.tx(l("create_plan", "by a payer: has_role", Cross), payer, &c().create_plan(terms(100))).await;
    let visit = c().set_benefit(plan, OFFICE_VISIT, benefit(true, 200, 4, false));
    b.tx(l("set_benefit", "a covered service", Cross), payer, &visit).await;
    // Not covered, but allowing 200 a unit: what an appeal's overturn may grant.
    ok(b.client, payer, &c().set_benefit(plan, COSMETIC, benefit(false, 200, 0, false))).await;
    ok(b.client, payer, &c().set_benefit(plan, MRI, benefit(true, 900, 1, true))).await;
    b.tx(l("enrol", "open-ended", Cross), payer, &c().enrol(plan, patient, 0, None)).await;
    let doctor_account = account(doctor);
    b.tx(l("admit_provider", "into the plan's network", Cross), payer, &c().admit_provider(plan, doctor_account)).await;
    b.pay(l("fund", "payable, 1 000 000", Cross), payer, &c().fund(plan), 1_000_000).await;

    let submit =
        |lines: Vec<ClaimLine>, evidence: Vec<RecordId>| c().submit(patient, plan, ctx.today, lines, evidence, DETAIL);
    let first = submit(vec![line(OFFICE_VISIT, 1, 300)], vec![ctx.note]);
    let first = b.tx(l("submit", "1 line, 1 evidence record: approved and paid", Cross), doctor, &first).await;

    // Input size: lines (1 to MAX_LINES = 16) and evidence records (0, 1, MAX_EVIDENCE = 8), on a funded plan.
    let mut evidence = Vec::new();
    for n in 0..8u8 {
        let lab =
            ctx.suite.records().register(patient, DataClass::Labs, [0x60 + n; 32], b"ipfs://lab-result".to_vec(), None);
        evidence.push(ok(b.client, &cast.patient, &lab).await);
    }
    // Each claim's services differ (duplicates are told by service codes and units, not charges), so none is a
    // duplicate of another: 3 units, 16 lines of 1, then 2 and 4 units.
    for lines in [1u32, 16] {
        let units = if lines == 1 { 3 } else { 1 };
        let claim = submit((0..lines).map(|_| line(OFFICE_VISIT, units, 301)).collect(), vec![]);
        let label = l("submit", &format!("{lines} line(s), no evidence: approved and paid"), Cross);
        b.tx(label.items("lines", lines as usize), doctor, &claim).await;
    }
    for records in [1usize, 8] {
        let units = if records == 1 { 2 } else { 4 };
        let claim = submit(vec![line(OFFICE_VISIT, units, 400)], evidence[..records].to_vec());
        let label =
            l("submit", &format!("1 line, {records} evidence record(s) of one class: approved and paid"), Cross);
        b.tx(label.items("evidence records", records), doctor, &claim).await;
    }

    let request = c().request_prior_auth(patient, plan, MRI, 1);
    let auth = b.tx(l("request_prior_auth", "by a provider: has_role", Cross), doctor, &request).await;
    let approve = c().decide_prior_auth(auth, Some(FAR_FUTURE));
    b.tx(l("decide_prior_auth", "approve until a date", Cross), payer, &approve).await;
    let second = ok(b.client, doctor, &c().request_prior_auth(patient, plan, OFFICE_VISIT, 1)).await;
    b.tx(l("revoke_prior_auth", "a requested one", Cross), payer, &c().revoke_prior_auth(second)).await;

    let pended = ok(b.client, doctor, &submit(vec![line(OFFICE_VISIT, 6, 1_200)], vec![])).await;
    let review = c().review(pended, vec![LineDecision::Approve(150)]);
    b.tx(l("review", "approve a pended line, paid", Cross), payer, &review).await;
    let denied = ok(b.client, doctor, &submit(vec![line(COSMETIC, 1, 150)], vec![])).await;
    b.tx(l("appeal", "a denied claim, by the provider", Cross), doctor, &c().appeal(denied, [60; 32])).await;
    let overturn = c().decide_appeal(denied, Some(vec![120]));
    b.tx(l("decide_appeal", "overturn, the difference paid", Cross), payer, &overturn).await;

    // Corrections: an unpaid claim (here an uncovered service, denied) is replaced (frequency code 7), and the
    // replacement voided (8).
    let original = ok(b.client, doctor, &submit(vec![line(COSMETIC, 2, 150)], vec![])).await;
    let replace = c().replace_claim(original, ctx.today, vec![line(COSMETIC, 3, 150)], vec![], DETAIL);
    let replacement = b.tx(l("replace_claim", "frequency code 7, 1 line", Cross), doctor, &replace).await;
    b.tx(l("void_claim", "frequency code 8", Cross), doctor, &c().void_claim(replacement)).await;

    // Short escrow: withdraw all but 8, a claim is approved but owed (queued), funded again, anyone settles.
    let escrow = read(b.client, &c().escrow(plan)).await;
    let free = escrow.balance - escrow.owed;
    b.tx(l("withdraw", "free funds, to the payer", Cross), payer, &c().withdraw(plan, free - 8)).await;
    ok(b.client, doctor, &submit(vec![line(OFFICE_VISIT, 1, 200); 2], vec![])).await;
    pay(b.client, payer, &c().fund(plan), 1_000).await;
    b.tx(l("settle", "the head of the plan's queue, by anyone", Cross), admin, &c().settle(plan)).await;

    // Settlement that can be stopped: a plan paying 30 days after the decision.
    let delayed = ok(b.client, payer, &c().create_plan(PlanTerms { settlement_delay_ms: 30 * DAY, ..terms(0) })).await;
    ok(b.client, payer, &c().set_benefit(delayed, OFFICE_VISIT, benefit(true, 200, 4, false))).await;
    ok(b.client, payer, &c().enrol(delayed, patient, 0, None)).await;
    ok(b.client, payer, &c().admit_provider(delayed, doctor_account)).await;
    pay(b.client, payer, &c().fund(delayed), 100_000).await;
    let on_delayed =
        |units| c().submit(patient, delayed, ctx.today, vec![line(OFFICE_VISIT, units, 300)], vec![], DETAIL);
    let owed = ok(b.client, doctor, &on_delayed(1)).await;
    b.tx(
        l("void_payment", "an owed claim, by the payer", Cross),
        payer,
        &c().void_payment(owed, carc::NOT_MEDICALLY_NECESSARY),
    )
    .await;
    let owed = ok(b.client, doctor, &on_delayed(2)).await;
    b.tx(l("dispute", "an owed claim, by the patient", Single), &cast.patient, &c().dispute(owed)).await;
    let owed = ok(b.client, doctor, &on_delayed(3)).await;
    b.tx(l("pay_now", "an owed claim, by the payer", Cross), payer, &c().pay_now(owed)).await;
    b.tx(l("reverse", "a paid claim, by the payer", Cross), payer, &c().reverse(owed, carc::LACKS_INFORMATION)).await;
    let netted = ok(b.client, doctor, &on_delayed(4)).await;
    b.tx(l("pay_now", "netting a recoupment off", Cross), payer, &c().pay_now(netted)).await;

    let member = AccountId::from([0x88; 32]);
    ok(b.client, payer, &c().enrol(plan, member, 0, None)).await;
    let end = c().end_enrolment(plan, member, FAR_FUTURE);
    b.tx(l("end_enrolment", "an open-ended enrolment", Cross), payer, &end).await;
    let outsider = AccountId::from([0x89; 32]);
    ok(b.client, payer, &c().admit_provider(plan, outsider)).await;
    b.tx(l("remove_provider", "from the plan's network", Cross), payer, &c().remove_provider(plan, outsider)).await;

    b.read(l("plan", "", Single), &c().plan(plan)).await;
    b.read(l("benefit", "", Single), &c().benefit(plan, OFFICE_VISIT)).await;
    b.read(l("enrolment", "", Single), &c().enrolment(plan, patient)).await;
    b.read(l("enrolments", "one period", Single), &c().enrolments(plan, patient)).await;
    b.read(l("in_network", "", Single), &c().in_network(plan, doctor_account)).await;
    b.read(l("recoupment", "", Single), &c().recoupment(delayed, doctor_account)).await;
    b.read(l("escrow", "", Single), &c().escrow(plan)).await;
    let year = benefit_year(ctx.today, YearStart::JANUARY_1);
    b.read(l("accumulators", "", Single), &c().accumulators(plan, patient, year)).await;
    let claim = b.read(l("claim", "one line", Single), &c().claim(first)).await;
    assert!(claim.is_some_and(|claim| claim.paid > 0), "the first claim was paid");
    b.read(l("claims_by_provider", "a page of 10", Single), &c().claims_by_provider(account(doctor), None, 10)).await;
    b.read(l("claims_by_patient", "a page of 10", Single), &c().claims_by_patient(patient, None, 10)).await;
    b.read(l("prior_auth", "", Single), &c().prior_auth(auth)).await;
    b.read(l("admin", FLOOR, Single), &c().admin()).await;
}
