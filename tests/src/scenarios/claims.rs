//! Scenario 3: claims. Plan, network, enrolment, escrow; a claim with evidence (and its off-chain 837 detail by
//! hash) is adjudicated and paid; duplicate (lines in another order, another charge) -> 18; out of network -> 242;
//! not covered -> 96; deductible, copay and coinsurance exact with their group codes; pended -> payer review (never
//! above what the benefit allows); denied -> appeal -> overturn pays the difference; short escrow ->
//! approved-unpaid -> settled from the plan's queue after funding, and the provider's balance rises by exactly the
//! benefit. Settlement that can be stopped, on a plan paying 30 days after the decision: settle refused before the
//! delay -> the payer voids with a reason; the patient disputes -> pended; paid at once by the payer -> reversed ->
//! the recoupment netted off the provider's next payment.

use super::{doctor_registers, grant_general};
use crate::{account, ok, pay, read, refused, Backend, Cast, Suite};
use claims::claims::{
    carc, Adjustment, Benefit, ClaimLine, Error as ClaimsError, Group, LineDecision, Outcome, PlanTerms, YearStart,
};
use consent::consent::Grantee;
use interfaces::{DataClass, Purpose};

const DAY: u64 = 86_400_000;
const OFFICE_VISIT: u32 = 99213;
const COSMETIC: u32 = 15780;

/// The commitment of the claims' off-chain 837 detail (their diagnoses stay off chain).
const DETAIL: [u8; 32] = [0x83; 32];

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, units, charge }
}

pub async fn claims<C: Backend>(client: &mut C) {
    let cast = Cast::new(client).await;
    let suite = Suite::deploy_credentialed(client, &cast).await;
    let (doctor, patient, payer) = (account(&cast.doctor), account(&cast.patient), account(&cast.payer));
    let c = || suite.claims();

    // The payer's plan: deductible 100, 20 % coinsurance, copay 10 a line, out-of-pocket max 10 000.
    let terms = PlanTerms {
        deductible: 100,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 10_000,
        timely_filing_ms: 365 * DAY,
        appeal_window_ms: 30 * DAY,
        benefit_year_start: YearStart::JANUARY_1,
        settlement_delay_ms: 0,
        reversal_window_ms: 30 * DAY,
    };
    assert_eq!(refused(client, &cast.doctor, &c().create_plan(terms)).await, ClaimsError::NotPayer);
    let plan = ok(client, &cast.payer, &c().create_plan(terms)).await;
    let visit = Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false };
    ok(client, &cast.payer, &c().set_benefit(plan, OFFICE_VISIT, visit)).await;
    // Not covered, but allowing 200 a unit: what an appeal's overturn may grant at most.
    let cosmetic = Benefit { covered: false, allowed_per_unit: 200, unit_limit: 0, prior_auth: false };
    ok(client, &cast.payer, &c().set_benefit(plan, COSMETIC, cosmetic)).await;
    ok(client, &cast.payer, &c().enrol(plan, patient, 0, None)).await;
    pay(client, &cast.payer, &c().fund(plan), 1_000).await;

    // Evidence: an encounter note the payer may read for Payment only once the patient consents.
    grant_general(client, &suite, &cast, Grantee::Account(doctor), Purpose::Treatment).await;
    let note = doctor_registers(client, &suite, &cast, DataClass::Encounters, [50; 32]).await;
    let today = read(client, &suite.records().record(note)).await.expect("record").created_at;
    let submit = |lines: Vec<ClaimLine>| c().submit(patient, plan, today, lines, vec![note], DETAIL);
    let visit_claim = submit(vec![line(OFFICE_VISIT, 1, 300)]);
    assert_eq!(refused(client, &cast.payer, &visit_claim).await, ClaimsError::NotProvider);
    assert_eq!(refused(client, &cast.doctor, &visit_claim).await, ClaimsError::EvidenceNotDisclosable(note));
    grant_general(client, &suite, &cast, Grantee::Account(payer), Purpose::Payment).await;

    // Out of the plan's network: denied with 242 at claim level, never paid; then the payer admits the doctor.
    let outside = ok(client, &cast.doctor, &submit(vec![line(OFFICE_VISIT, 2, 300)])).await;
    let outside = read(client, &c().claim(outside)).await.expect("claim");
    assert_eq!((outside.outcome, outside.reason, outside.paid), (Outcome::Denied, Some(carc::OUT_OF_NETWORK), 0));
    assert_eq!(refused(client, &cast.doctor, &c().admit_provider(plan, doctor)).await, ClaimsError::NotPlanPayer);
    ok(client, &cast.payer, &c().admit_provider(plan, doctor)).await;
    assert!(read(client, &c().in_network(plan, doctor)).await);

    // Approved and paid at once: allowed 200 (45 for 100), deductible 100 (1), copay 10 (3), 20 % of 90 = 18 (2).
    let first = ok(client, &cast.doctor, &visit_claim).await;
    let claim = read(client, &c().claim(first)).await.expect("claim");
    assert_eq!(claim.outcome, Outcome::Approved);
    let adjudicated = &claim.lines[0];
    assert_eq!(
        (
            adjudicated.submitted,
            adjudicated.eligible,
            adjudicated.deductible,
            adjudicated.copay,
            adjudicated.coinsurance
        ),
        (300, 200, 100, 10, 18)
    );
    assert_eq!((adjudicated.patient_share, adjudicated.benefit), (128, 72));
    let adjustments: Vec<(Group, u16)> = adjudicated.adjustments.iter().map(|a| (a.group, a.code)).collect();
    let (co, pr) = (Group::ContractualObligation, Group::PatientResponsibility);
    assert_eq!(
        adjustments,
        [(co, carc::CONTRACTUAL), (pr, carc::DEDUCTIBLE), (pr, carc::COPAY), (pr, carc::COINSURANCE)]
    );
    assert_eq!((claim.benefit, claim.paid, claim.detail), (72, 72, DETAIL));
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.paid, escrow.owed), (928, 72, 0));

    // The same service on the same day, even charged one unit lower, is denied with 18 (OA); a service the plan
    // does not cover with 96.
    let duplicate = ok(client, &cast.doctor, &submit(vec![line(OFFICE_VISIT, 1, 299)])).await;
    let duplicate = read(client, &c().claim(duplicate)).await.expect("claim");
    assert_eq!((duplicate.outcome, duplicate.reason, duplicate.paid), (Outcome::Denied, Some(carc::DUPLICATE), 0));
    assert_eq!(duplicate.lines[0].adjustments, [Adjustment { group: Group::OtherAdjustment, code: carc::DUPLICATE }]);
    let uncovered = ok(client, &cast.doctor, &submit(vec![line(COSMETIC, 1, 150)])).await;
    let denied = read(client, &c().claim(uncovered)).await.expect("claim");
    assert_eq!(denied.outcome, Outcome::Denied);
    assert!(denied.lines[0].codes().contains(&carc::NOT_COVERED));

    // Units above the plan's limit: pended, then the payer approves 150.
    let pended = ok(client, &cast.doctor, &submit(vec![line(OFFICE_VISIT, 6, 1_200)])).await;
    assert_eq!(read(client, &c().claim(pended)).await.expect("claim").outcome, Outcome::Pended);
    let review = c().review(pended, vec![LineDecision::Approve(150)]);
    assert_eq!(refused(client, &cast.doctor, &review).await, ClaimsError::NotPlanPayer);
    // Never above what the benefit allows (6 x 200), whatever the charge; denials only with a listed code.
    let too_much = c().review(pended, vec![LineDecision::Approve(u128::MAX)]);
    assert_eq!(refused(client, &cast.payer, &too_much).await, ClaimsError::AmountAboveAllowed);
    let not_a_denial = c().review(pended, vec![LineDecision::Deny(carc::CONTRACTUAL)]);
    assert_eq!(refused(client, &cast.payer, &not_a_denial).await, ClaimsError::InvalidReasonCode);
    ok(client, &cast.payer, &review).await;
    let reviewed = read(client, &c().claim(pended)).await.expect("claim");
    assert_eq!((reviewed.outcome, reviewed.paid), (Outcome::Approved, 150));

    // Denied -> appeal by the provider -> overturned with 120: pays the difference (120).
    ok(client, &cast.doctor, &c().appeal(uncovered, [60; 32])).await;
    assert_eq!(refused(client, &cast.doctor, &c().appeal(uncovered, [60; 32])).await, ClaimsError::AlreadyAppealed);
    ok(client, &cast.payer, &c().decide_appeal(uncovered, Some(vec![120]))).await;
    let overturned = read(client, &c().claim(uncovered)).await.expect("claim");
    assert_eq!(overturned.paid, 120);
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.paid), (1_000 - 72 - 150 - 120, 72 + 150 + 120));

    // Short escrow: withdraw all but 8, then a claim of benefit 312 is approved but unpaid.
    ok(client, &cast.payer, &c().withdraw(plan, 650)).await;
    let short = ok(client, &cast.doctor, &submit(vec![line(OFFICE_VISIT, 2, 400)])).await;
    let unpaid = read(client, &c().claim(short)).await.expect("claim");
    // Deductible already met this year: copay 10, 20 % of 390 = 78, benefit 400 - 88 = 312.
    assert_eq!((unpaid.outcome, unpaid.benefit, unpaid.paid), (Outcome::Approved, 312, 0));
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.owed), (8, 312));
    assert_eq!(refused(client, &cast.admin, &c().settle(plan)).await, ClaimsError::InsufficientEscrow);
    assert_eq!(read(client, &c().claim(short)).await.expect("claim").paid, 0);

    // Funded again, anyone settles the plan's queue; the provider's balance rises by exactly the benefit.
    pay(client, &cast.payer, &c().fund(plan), 400).await;
    let before = crate::balance(client, doctor).await;
    assert_eq!(ok(client, &cast.admin, &c().settle(plan)).await, 312);
    let after = crate::balance(client, doctor).await;
    assert_eq!(after - before, 312);
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.owed, escrow.paid), (8 + 400 - 312, 0, 72 + 150 + 120 + 312));
    assert_eq!(escrow.paid + escrow.balance, escrow.funded - escrow.withdrawn, "never more paid than funded");

    // Settlement that can be stopped: a plan paying 30 days after the decision, reversible for 30 days.
    let delayed_terms = PlanTerms { deductible: 0, settlement_delay_ms: 30 * DAY, ..terms };
    let delayed = ok(client, &cast.payer, &c().create_plan(delayed_terms)).await;
    ok(client, &cast.payer, &c().set_benefit(delayed, OFFICE_VISIT, visit)).await;
    ok(client, &cast.payer, &c().enrol(delayed, patient, 0, None)).await;
    ok(client, &cast.payer, &c().admit_provider(delayed, doctor)).await;
    pay(client, &cast.payer, &c().fund(delayed), 10_000).await;
    let on_delayed = |units| c().submit(patient, delayed, today, vec![line(OFFICE_VISIT, units, 200)], vec![], DETAIL);
    // Approved, owed and not paid at once: settle waits for the delay; the payer voids it with a reason.
    let voided = ok(client, &cast.doctor, &on_delayed(1)).await;
    let owed = read(client, &c().claim(voided)).await.expect("claim");
    // Copay 10, 20 % of 190 = 38: benefit 152.
    assert_eq!((owed.outcome, owed.benefit, owed.paid), (Outcome::Approved, 152, 0));
    assert_eq!(refused(client, &cast.admin, &c().settle(delayed)).await, ClaimsError::NotYetPayable);
    let void = c().void_payment(voided, carc::NOT_MEDICALLY_NECESSARY);
    assert_eq!(refused(client, &cast.doctor, &void).await, ClaimsError::NotPlanPayer);
    ok(client, &cast.payer, &void).await;
    let voided = read(client, &c().claim(voided)).await.expect("claim");
    assert_eq!((voided.outcome, voided.reason, voided.benefit), (Outcome::Denied, Some(50), 0));
    // The patient disputes another ("service not received"): it pends for the payer's review.
    let disputed = ok(client, &cast.doctor, &on_delayed(2)).await;
    assert_eq!(refused(client, &cast.doctor, &c().dispute(disputed)).await, ClaimsError::NotClaimPatient);
    ok(client, &cast.patient, &c().dispute(disputed)).await;
    let disputed = read(client, &c().claim(disputed)).await.expect("claim");
    assert_eq!((disputed.outcome, disputed.benefit, disputed.disputed), (Outcome::Pended, 0, true));
    // The payer pays a third at once, then reverses it: the doctor owes its 152 back, netted off the next payment.
    let reversed = ok(client, &cast.doctor, &on_delayed(3)).await;
    let before = crate::balance(client, doctor).await;
    assert_eq!(ok(client, &cast.payer, &c().pay_now(reversed)).await, 152);
    assert_eq!(crate::balance(client, doctor).await - before, 152);
    ok(client, &cast.payer, &c().reverse(reversed, carc::LACKS_INFORMATION)).await;
    assert_eq!(read(client, &c().recoupment(delayed, doctor)).await, 152);
    let next = ok(client, &cast.doctor, &on_delayed(4)).await;
    let before = crate::balance(client, doctor).await;
    assert_eq!(ok(client, &cast.payer, &c().pay_now(next)).await, 152);
    assert_eq!(crate::balance(client, doctor).await, before, "all of it netted off the recoupment");
    assert_eq!(read(client, &c().recoupment(delayed, doctor)).await, 0);
    let escrow = read(client, &c().escrow(delayed)).await;
    assert_eq!((escrow.paid, escrow.recouped, escrow.balance), (304, 152, 10_000 - 152));
    assert_eq!(escrow.paid + escrow.balance, escrow.funded - escrow.withdrawn + escrow.recouped);
}
