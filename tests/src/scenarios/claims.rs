//! Scenario 3: claims. Plan, enrolment, escrow; a claim with evidence is adjudicated and paid; duplicate -> 18;
//! not covered -> 96; deductible, copay and coinsurance exact; pended -> payer review; denied -> appeal ->
//! overturn pays the difference; short escrow -> approved-unpaid -> settled after funding, and the provider's
//! balance rises by exactly the benefit.

use super::{doctor_registers, grant_general};
use crate::{account, ok, pay, read, refused, Backend, Cast, Suite};
use claims::claims::{carc, Benefit, ClaimLine, Error as ClaimsError, LineDecision, Outcome, PlanTerms};
use consent::consent::Grantee;
use interfaces::{DataClass, Purpose};

const DAY: u64 = 86_400_000;
const OFFICE_VISIT: u32 = 99213;
const COSMETIC: u32 = 15780;

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, diagnosis_code: 1001, units, charge }
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
    };
    assert_eq!(refused(client, &cast.doctor, &c().create_plan(terms)).await, ClaimsError::NotPayer);
    let plan = ok(client, &cast.payer, &c().create_plan(terms)).await;
    let visit = Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false };
    ok(client, &cast.payer, &c().set_benefit(plan, OFFICE_VISIT, visit)).await;
    let cosmetic = Benefit { covered: false, allowed_per_unit: 0, unit_limit: 0, prior_auth: false };
    ok(client, &cast.payer, &c().set_benefit(plan, COSMETIC, cosmetic)).await;
    ok(client, &cast.payer, &c().enrol(plan, patient, 0, None)).await;
    pay(client, &cast.payer, &c().fund(plan), 1_000).await;

    // Evidence: an encounter note the payer may read for Payment only once the patient consents.
    grant_general(client, &suite, &cast, Grantee::Account(doctor), Purpose::Treatment).await;
    let note = doctor_registers(client, &suite, &cast, DataClass::Encounters, [50; 32]).await;
    let today = read(client, &suite.records().record(note)).await.expect("record").created_at;
    let submit = |lines: Vec<ClaimLine>| c().submit(patient, plan, today, lines, vec![note]);
    let visit_claim = submit(vec![line(OFFICE_VISIT, 1, 300)]);
    assert_eq!(refused(client, &cast.payer, &visit_claim).await, ClaimsError::NotProvider);
    assert_eq!(refused(client, &cast.doctor, &visit_claim).await, ClaimsError::EvidenceNotDisclosable(note));
    grant_general(client, &suite, &cast, Grantee::Account(payer), Purpose::Payment).await;

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
    for code in [carc::CONTRACTUAL, carc::DEDUCTIBLE, carc::COPAY, carc::COINSURANCE] {
        assert!(adjudicated.codes.contains(&code), "code {code} in {:?}", adjudicated.codes);
    }
    assert_eq!((claim.benefit, claim.paid), (72, 72));
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.paid, escrow.owed), (928, 72, 0));

    // The exact duplicate is denied with 18; a service the plan does not cover with 96.
    let duplicate = ok(client, &cast.doctor, &visit_claim).await;
    let duplicate = read(client, &c().claim(duplicate)).await.expect("claim");
    assert_eq!((duplicate.outcome, duplicate.reason, duplicate.paid), (Outcome::Denied, Some(carc::DUPLICATE), 0));
    let uncovered = ok(client, &cast.doctor, &submit(vec![line(COSMETIC, 1, 150)])).await;
    let denied = read(client, &c().claim(uncovered)).await.expect("claim");
    assert_eq!(denied.outcome, Outcome::Denied);
    assert!(denied.lines[0].codes.contains(&carc::NOT_COVERED));

    // Units above the plan's limit: pended, then the payer approves 150.
    let pended = ok(client, &cast.doctor, &submit(vec![line(OFFICE_VISIT, 6, 1_200)])).await;
    assert_eq!(read(client, &c().claim(pended)).await.expect("claim").outcome, Outcome::Pended);
    let review = c().review(pended, vec![LineDecision::Approve(150)]);
    assert_eq!(refused(client, &cast.doctor, &review).await, ClaimsError::NotPlanPayer);
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
    assert_eq!(refused(client, &cast.admin, &c().settle(short)).await, ClaimsError::InsufficientEscrow);

    // Funded again, anyone settles; the provider's balance rises by exactly the benefit.
    pay(client, &cast.payer, &c().fund(plan), 400).await;
    let before = crate::balance(client, doctor).await;
    assert_eq!(ok(client, &cast.admin, &c().settle(short)).await, 312);
    let after = crate::balance(client, doctor).await;
    assert_eq!(after - before, 312);
    let escrow = read(client, &c().escrow(plan)).await;
    assert_eq!((escrow.balance, escrow.owed, escrow.paid), (8 + 400 - 312, 0, 72 + 150 + 120 + 312));
    assert_eq!(escrow.paid + escrow.balance, escrow.funded - escrow.withdrawn, "never more paid than funded");
}
