//! Unit tests: every rule, every CARC path and every refusal of the claims contract.

use crate::claims::*;
use ink::{env::test, primitives::Hash};
use interfaces::{
    governance::Dependency, stubs, testing::*, AccountId, Action, Basis, DataClass, Purpose, RecordStatus,
    RecordSummary, Role, Timestamp,
};

/// Day 800 since the epoch (1972-03-11); the date of service is 1972-03-01: benefit year 1972 (calendar years).
const NOW: Timestamp = 800 * DAY;
const DOS: Timestamp = 790 * DAY;
const YEAR: u64 = 1972;
/// Prior authorizations are approved for dates of service before day 830.
const VALID: Timestamp = 830 * DAY;
/// The commitment of a claim's off-chain 837 detail (diagnoses included).
const DETAIL: [u8; 32] = [0x83; 32];

/// The stubbed contracts claims calls, and the claims contract's own account (which holds the escrows).
const PARTICIPANTS: AccountId = addr(0xA1);
const RECORDS: AccountId = addr(0xA2);
const CONSENT: AccountId = addr(0xA3);
const CONTRACT: AccountId = addr(0xC0);

struct World {
    c: Claims,
    admin: AccountId,
    payer: AccountId,
    provider: AccountId,
    patient: AccountId,
    stranger: AccountId,
    other_provider: AccountId,
    plan: PlanId,
}

/// The adjudication tests' terms, with 90 days for timely filing.
fn terms() -> PlanTerms {
    PlanTerms { timely_filing_ms: 90 * DAY, ..crate::adjudication::tests::TERMS }
}

fn line(service_code: u32, units: u32, charge: u128) -> ClaimLine {
    ClaimLine { service_code, units, charge }
}

/// The payer (bob) runs plan 1: code 100 covered at 200 a unit (limit 4), code 200 covered at 1000 a unit with
/// prior authorization, code 300 not covered. The patient (django) is enrolled from day 700; the providers
/// (charlie, frank) are in the plan's network.
fn world() -> World {
    test::set_callee::<Env>(CONTRACT);
    test::set_account_balance::<Env>(CONTRACT, 0);
    world_at_callee()
}

/// The world, deployed at whatever account is the callee now.
fn world_at_callee() -> World {
    let a = accounts();
    at(NOW);
    test::set_account_balance::<Env>(a.bob, 1_000_000);
    stubs::set_roles(PARTICIPANTS, a.bob, &[Role::Payer]);
    stubs::set_roles(PARTICIPANTS, a.charlie, &[Role::Provider]);
    stubs::set_roles(PARTICIPANTS, a.frank, &[Role::Provider]);
    stubs::set_roles(PARTICIPANTS, a.eve, &[]);
    stubs::deploy(RECORDS);
    stubs::deploy(CONSENT);
    as_caller(a.alice);
    let mut c = Claims::new(a.alice, PARTICIPANTS, RECORDS, CONSENT);
    as_caller(a.bob);
    let plan = c.create_plan(terms()).unwrap();
    let covered =
        |allowed_per_unit, unit_limit, prior_auth| Benefit { covered: true, allowed_per_unit, unit_limit, prior_auth };
    c.set_benefit(plan, 100, covered(200, 4, false)).unwrap();
    c.set_benefit(plan, 200, covered(1_000, 0, true)).unwrap();
    c.set_benefit(plan, 300, Benefit { covered: false, allowed_per_unit: 100, unit_limit: 0, prior_auth: false })
        .unwrap();
    c.enrol(plan, a.django, 700 * DAY, None).unwrap();
    c.admit_provider(plan, a.charlie).unwrap();
    c.admit_provider(plan, a.frank).unwrap();
    World {
        c,
        admin: a.alice,
        payer: a.bob,
        provider: a.charlie,
        patient: a.django,
        stranger: a.eve,
        other_provider: a.frank,
        plan,
    }
}

/// The payer funds `plan` with `amount` (moved from the payer's account to the contract's).
fn fund(w: &mut World, plan: PlanId, amount: u128) {
    as_caller(w.payer);
    test::transfer_in::<Env>(amount);
    w.c.fund(plan).unwrap();
    test::set_value_transferred::<Env>(0);
    books(w);
}

/// The payer funds the world's plan with `amount`.
fn fund_plan(w: &mut World, amount: u128) {
    let plan = w.plan;
    fund(w, plan, amount);
}

/// `paid + balance == funded - withdrawn` for every plan, and the contract holds exactly the escrows' balances.
fn books(w: &World) {
    let mut held = 0;
    // Plan ids start at 1; no test creates more than four plans.
    for plan in 1..5 {
        let e = w.c.escrow(plan);
        assert_eq!(e.paid + e.balance, e.funded - e.withdrawn + e.recouped, "plan {plan}: {e:?}");
        held += e.balance;
    }
    assert_eq!(balance(CONTRACT), held);
}

/// An escrow's (balance, owed, funded, withdrawn, paid).
fn money(e: Escrow) -> (u128, u128, u128, u128, u128) {
    (e.balance, e.owed, e.funded, e.withdrawn, e.paid)
}

fn submit(w: &mut World, date: Timestamp, lines: Vec<ClaimLine>) -> Result<ClaimId> {
    as_caller(w.provider);
    let result = w.c.submit(w.patient, w.plan, date, lines, Vec::new(), DETAIL);
    books(w);
    result
}

fn summary(patient: AccountId, status: RecordStatus) -> Option<RecordSummary> {
    Some(RecordSummary {
        patient,
        author: addr(0x99),
        class: DataClass::Labs,
        status,
        content_hash: [1; 32],
        created_at: DAY,
    })
}

/// A current Imaging record of `patient`.
fn current_imaging(patient: AccountId) -> Option<RecordSummary> {
    Some(RecordSummary { class: DataClass::Imaging, ..summary(patient, RecordStatus::Current).unwrap() })
}

fn codes(claim: &Claim) -> Vec<Vec<u16>> {
    claim.lines.iter().map(|l| l.codes()).collect()
}

fn dependencies(c: &Claims) -> [Option<AccountId>; 3] {
    [Dependency::Participants, Dependency::Records, Dependency::Consent].map(|d| c.dependency(d))
}

// ---- governance ----

#[ink::test]
fn only_the_admin_governs_and_transfer_takes_two_steps() {
    let mut w = world();
    as_caller(w.stranger);
    let before = events();
    assert_eq!(w.c.set_dependency(Dependency::Participants, addr(1)), Err(Error::NotAdmin));
    assert_eq!(w.c.set_dependency(Dependency::Records, addr(1)), Err(Error::NotAdmin));
    assert_eq!(w.c.set_dependency(Dependency::Consent, addr(1)), Err(Error::NotAdmin));
    assert_eq!(w.c.upgrade(Hash::from([1; 32])), Err(Error::NotAdmin));
    assert_eq!(w.c.propose_admin(w.stranger), Err(Error::NotAdmin));
    assert_eq!(w.c.accept_admin(), Err(Error::NotProposedAdmin));
    assert_eq!(events(), before);
    assert_eq!(dependencies(&w.c), [Some(PARTICIPANTS), Some(RECORDS), Some(CONSENT)]);

    as_caller(w.admin);
    w.c.set_dependency(Dependency::Records, addr(0x71)).unwrap();
    w.c.set_dependency(Dependency::Consent, addr(0x72)).unwrap();
    w.c.set_dependency(Dependency::Participants, addr(0x73)).unwrap();
    assert_eq!(events(), before + 3);
    assert_eq!(dependencies(&w.c), [Some(addr(0x73)), Some(addr(0x71)), Some(addr(0x72))]);
    // Nothing answers at the new participants address.
    as_caller(w.payer);
    assert_eq!(w.c.create_plan(terms()), Err(Error::ParticipantsUnreachable));

    as_caller(w.admin);
    w.c.propose_admin(w.payer).unwrap();
    assert_eq!(w.c.admin(), w.admin);
    assert_eq!(w.c.proposed_admin(), Some(w.payer));
    as_caller(w.payer);
    w.c.accept_admin().unwrap();
    assert_eq!(w.c.admin(), w.payer);
    assert_eq!(events(), before + 5);
}

// ---- plans, members, escrow ----

#[ink::test]
fn only_credentialed_payers_create_plans() {
    let mut w = world();
    assert_eq!(w.c.plan(w.plan).unwrap().payer, w.payer);
    assert_eq!(w.c.plan(w.plan).unwrap().terms, terms());
    let before = events();
    for refused in [w.stranger, w.provider] {
        as_caller(refused);
        assert_eq!(w.c.create_plan(terms()), Err(Error::NotPayer));
    }
    as_caller(w.payer);
    assert_eq!(w.c.create_plan(PlanTerms { coinsurance_bps: 10_001, ..terms() }), Err(Error::InvalidCoinsurance));
    assert_eq!(w.c.plan(2), None);
    assert_eq!(events(), before);
    assert_eq!(w.c.create_plan(PlanTerms { coinsurance_bps: 10_000, ..terms() }), Ok(2));
    assert_eq!(events(), before + 1);

    stubs::remove(PARTICIPANTS);
    assert_eq!(w.c.create_plan(terms()), Err(Error::ParticipantsUnreachable));
}

#[ink::test]
fn only_the_plan_payer_sets_benefits() {
    let mut w = world();
    let benefit = Benefit { covered: true, allowed_per_unit: 75, unit_limit: 2, prior_auth: false };
    let before = events();
    as_caller(w.stranger);
    assert_eq!(w.c.set_benefit(w.plan, 500, benefit), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.set_benefit(9, 500, benefit), Err(Error::PlanNotFound));
    assert_eq!(w.c.benefit(w.plan, 500), None);
    assert_eq!(events(), before);
    w.c.set_benefit(w.plan, 500, benefit).unwrap();
    assert_eq!(w.c.benefit(w.plan, 500), Some(benefit));
    assert_eq!(events(), before + 1);
}

#[ink::test]
fn enrolments_have_periods_and_end() {
    let mut w = world();
    let member = addr(0x55);
    let before = events();
    as_caller(w.stranger);
    assert_eq!(w.c.enrol(w.plan, member, 0, None), Err(Error::NotPlanPayer));
    assert_eq!(w.c.end_enrolment(w.plan, w.patient, NOW), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.enrol(7, member, 0, None), Err(Error::PlanNotFound));
    assert_eq!(w.c.enrol(w.plan, member, 10 * DAY, Some(10 * DAY)), Err(Error::InvalidPeriod));
    assert_eq!(w.c.enrol(w.plan, w.patient, 900 * DAY, None), Err(Error::AlreadyEnrolled));
    assert_eq!(w.c.end_enrolment(w.plan, member, NOW), Err(Error::NotEnrolled));
    assert_eq!(w.c.end_enrolment(w.plan, w.patient, 700 * DAY), Err(Error::InvalidPeriod));
    assert_eq!(events(), before);

    w.c.end_enrolment(w.plan, w.patient, 850 * DAY).unwrap();
    assert_eq!(w.c.end_enrolment(w.plan, w.patient, 900 * DAY), Err(Error::AlreadyEnded));
    w.c.end_enrolment(w.plan, w.patient, 820 * DAY).unwrap();
    assert_eq!(w.c.enrolment(w.plan, w.patient), Some(Enrolment { from: 700 * DAY, until: Some(820 * DAY) }));
    assert_eq!(w.c.enrol(w.plan, w.patient, 810 * DAY, None), Err(Error::AlreadyEnrolled));
    w.c.enrol(w.plan, w.patient, 820 * DAY, Some(900 * DAY)).unwrap();
    assert_eq!(w.c.enrolment(w.plan, w.patient), Some(Enrolment { from: 820 * DAY, until: Some(900 * DAY) }));
    assert_eq!(events(), before + 3);
}

#[ink::test]
fn only_the_payer_funds_and_withdraws_what_is_free() {
    let mut w = world();
    let plan = w.plan;
    as_caller(w.stranger);
    assert_eq!(w.c.fund(plan), Err(Error::NotPlanPayer));
    assert_eq!(w.c.withdraw(plan, 1), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.fund(plan), Err(Error::ZeroAmount));
    assert_eq!(w.c.fund(5), Err(Error::PlanNotFound));
    assert_eq!(w.c.withdraw(plan, 0), Err(Error::ZeroAmount));
    assert_eq!(w.c.withdraw(plan, 1), Err(Error::InsufficientFreeFunds));

    fund(&mut w, plan, 1_000);
    assert_eq!(money(w.c.escrow(plan)), (1_000, 0, 1_000, 0, 0));
    let payer_before = balance(w.payer);
    as_caller(w.payer);
    assert_eq!(w.c.withdraw(plan, 1_001), Err(Error::InsufficientFreeFunds));
    let before = events();
    w.c.withdraw(plan, 400).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(balance(w.payer), payer_before + 400);
    assert_eq!(money(w.c.escrow(plan)), (600, 0, 1_000, 400, 0));
    books(&w);
}

// ---- submission refusals ----

#[ink::test]
fn submissions_are_refused_and_nothing_is_stored() {
    let mut w = world();
    stubs::set_record(RECORDS, 1, None);
    stubs::set_record(RECORDS, 2, summary(w.stranger, RecordStatus::Current));
    stubs::set_record(RECORDS, 3, summary(w.patient, RecordStatus::Superseded));
    stubs::set_record(RECORDS, 4, summary(w.patient, RecordStatus::Current));
    stubs::set_record(RECORDS, 5, summary(w.patient, RecordStatus::Current));
    // The patient lets the payer read Labs for Payment; record 4 is Imaging, which is not disclosable.
    stubs::set_record(RECORDS, 4, current_imaging(w.patient));
    let key = (w.patient, w.payer, Purpose::Payment, DataClass::Labs, Action::Read);
    stubs::set_check(CONSENT, key, Ok(Basis::Consent(7)));

    let ok = vec![line(100, 1, 200)];
    let (p, plan) = (w.patient, w.plan);
    let before = events();
    type Case = (AccountId, PlanId, Timestamp, Vec<ClaimLine>, Vec<u64>, Error);
    let cases: Vec<Case> = vec![
        (w.stranger, plan, DOS, ok.clone(), vec![], Error::NotProvider),
        (w.payer, plan, DOS, ok.clone(), vec![], Error::NotProvider),
        (w.provider, plan, DOS, vec![], vec![], Error::NoLines),
        (w.provider, plan, DOS, vec![line(100, 1, 200); 17], vec![], Error::TooManyLines),
        (w.provider, plan, DOS, ok.clone(), vec![5; 9], Error::TooManyEvidence),
        (w.provider, plan, DOS, vec![line(100, 1, 200), line(100, 0, 200)], vec![], Error::ZeroUnits),
        (w.provider, 9, DOS, ok.clone(), vec![], Error::PlanNotFound),
        (w.provider, plan, NOW + 1, ok.clone(), vec![], Error::DateOfServiceInFuture),
        (w.provider, plan, DOS, ok.clone(), vec![5, 1], Error::EvidenceNotFound(1)),
        (w.provider, plan, DOS, ok.clone(), vec![2], Error::EvidenceOfAnotherPatient(2)),
        (w.provider, plan, DOS, ok.clone(), vec![3], Error::EvidenceNotCurrent(3)),
        (w.provider, plan, DOS, ok.clone(), vec![5, 4], Error::EvidenceNotDisclosable(4)),
    ];
    for (caller, plan, date, lines, evidence, error) in cases {
        as_caller(caller);
        assert_eq!(w.c.submit(p, plan, date, lines, evidence, DETAIL), Err(error));
    }
    as_caller(w.provider);
    stubs::remove(CONSENT);
    assert_eq!(w.c.submit(p, plan, DOS, ok.clone(), vec![5], DETAIL), Err(Error::ConsentUnreachable));
    stubs::remove(RECORDS);
    assert_eq!(w.c.submit(p, plan, DOS, ok.clone(), vec![5], DETAIL), Err(Error::RecordsUnreachable));
    stubs::remove(PARTICIPANTS);
    assert_eq!(w.c.submit(p, plan, DOS, ok.clone(), vec![5], DETAIL), Err(Error::ParticipantsUnreachable));

    assert_eq!(events(), before);
    assert_eq!(w.c.claim(1), None);
    assert_eq!(w.c.claims_by_provider(w.provider, None, 10).items, Vec::<ClaimId>::new());
    assert_eq!(w.c.accumulators(plan, p, YEAR), Accumulators::default());

    // Sixteen lines and eight evidence records are fine.
    stubs::set_roles(PARTICIPANTS, w.provider, &[Role::Provider]);
    stubs::set_record(RECORDS, 5, summary(w.patient, RecordStatus::Current));
    stubs::set_check(CONSENT, key, Ok(Basis::Consent(7)));
    let (summaries, checks) =
        (stubs::asked(RECORDS, stubs::Message::Summary), stubs::asked(CONSENT, stubs::Message::Check));
    let id = w.c.submit(p, plan, DOS, vec![line(300, 1, 10); 16], vec![5; 8], DETAIL).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.evidence, vec![5; 8]);
    assert_eq!(claim.lines.len(), 16);
    // Every record is looked up; consent is asked once for their one class (Labs).
    assert_eq!(stubs::asked(RECORDS, stubs::Message::Summary) - summaries, 8);
    assert_eq!(stubs::asked(CONSENT, stubs::Message::Check) - checks, 1);
    // A second class is asked about on its own.
    stubs::set_record(RECORDS, 6, summary(w.patient, RecordStatus::Current));
    stubs::set_record(RECORDS, 7, current_imaging(w.patient));
    let imaging = (w.patient, w.payer, Purpose::Payment, DataClass::Imaging, Action::Read);
    stubs::set_check(CONSENT, imaging, Ok(Basis::Consent(8)));
    let checks = stubs::asked(CONSENT, stubs::Message::Check);
    w.c.submit(p, plan, DOS - DAY, vec![line(300, 1, 10)], vec![5, 7, 6], DETAIL).unwrap();
    assert_eq!(stubs::asked(CONSENT, stubs::Message::Check) - checks, 2);
}

// ---- adjudication ----

#[ink::test]
fn a_benefit_above_the_maximum_allowed_is_refused_so_no_claim_can_brick_the_plan() {
    let mut w = world();
    as_caller(w.payer);
    let huge = Benefit { covered: true, allowed_per_unit: u128::MAX, unit_limit: 0, prior_auth: false };
    refused(Error::AllowedAboveMaximum, || w.c.set_benefit(w.plan, 700, huge));
    let over = Benefit { allowed_per_unit: MAX_ALLOWED_PER_UNIT + 1, ..huge };
    refused(Error::AllowedAboveMaximum, || w.c.set_benefit(w.plan, 700, over));
    assert_eq!(w.c.benefit(w.plan, 700), None);
    let most = Benefit { allowed_per_unit: MAX_ALLOWED_PER_UNIT, ..huge };
    w.c.set_benefit(w.plan, 700, most).unwrap();
    fund_plan(&mut w, 10_000);
    // The largest claim a provider can bill (16 lines of u32::MAX units at the most allowed) owes below 2^100:
    // the plan still owes and pays later claims and withdraws its free funds.
    let allowed = MAX_ALLOWED_PER_UNIT * u128::from(u32::MAX);
    let id = submit(&mut w, DOS, vec![line(700, u32::MAX, allowed); 16]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.paid), (Outcome::Approved, 0));
    assert!(w.c.escrow(w.plan).owed < 1 << 100);
    // A u128::MAX charge is pended (it is above 10x the allowed amount), and its review is bounded by the benefit.
    let pended = submit(&mut w, DOS - 3 * DAY, vec![line(700, u32::MAX, u128::MAX)]).unwrap();
    as_caller(w.payer);
    refused(Error::AmountAboveAllowed, || w.c.review(pended, vec![LineDecision::Approve(u128::MAX)]));
    w.c.review(pended, vec![LineDecision::Approve(allowed)]).unwrap();
    assert!(w.c.escrow(w.plan).owed < 1 << 101);
    let id = submit(&mut w, DOS - DAY, vec![line(100, 1, 150)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().outcome, Outcome::Approved);
    books(&w);
}

#[ink::test]
fn an_approved_claim_is_adjudicated_line_by_line_and_paid_at_once() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let provider_before = balance(w.provider);
    let before = events();
    // Line 0: 2 x 200 allowed, charge 450 -> eligible 400 (45), all deductible (1): benefit 0.
    // Line 1: eligible 600, the last 100 of the deductible (1), copay 25 (3), 20 % of 475 = 95 (2): benefit 380.
    let id = submit(&mut w, DOS, vec![line(100, 2, 450), line(100, 3, 600)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.outcome, Outcome::Approved);
    assert_eq!(claim.reason, None);
    let l0 = &claim.lines[0];
    assert_eq!((l0.submitted, l0.eligible, l0.deductible, l0.copay, l0.coinsurance), (450, 400, 400, 0, 0));
    assert_eq!((l0.patient_share, l0.benefit, l0.denied, l0.flagged), (400, 0, false, false));
    let l1 = &claim.lines[1];
    assert_eq!((l1.submitted, l1.eligible, l1.deductible, l1.copay, l1.coinsurance), (600, 600, 100, 25, 95));
    assert_eq!((l1.patient_share, l1.benefit), (220, 380));
    assert_eq!(codes(&claim), vec![vec![45, 1], vec![1, 3, 2]]);
    assert_eq!((claim.benefit, claim.paid), (380, 380));
    assert_eq!(balance(w.provider), provider_before + 380);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators { deductible_met: 500, out_of_pocket: 620 });
    assert_eq!(money(w.c.escrow(w.plan)), (9_620, 0, 10_000, 0, 380));
    assert_eq!(events(), before + 1, "one event: submitted, adjudicated and paid");
    let event = last_of::<ClaimSubmitted>();
    assert_eq!(
        event,
        ClaimSubmitted {
            claim: id,
            provider: w.provider,
            patient: w.patient,
            plan: w.plan,
            date_of_service: DOS,
            outcome: Outcome::Approved,
            reason: None,
            benefit: 380,
            paid: 380,
            replaces: None,
        }
    );
    assert_eq!(w.c.claims_by_provider(w.provider, None, 10).items, vec![id]);
    assert_eq!(w.c.claims_by_patient(w.patient, None, 10).items, vec![id]);
}

#[ink::test]
fn out_of_pocket_cap_is_reached_mid_claim_and_years_are_separate() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    submit(&mut w, DOS, vec![line(100, 2, 450), line(100, 3, 600)]).unwrap();
    // 620 paid so far. Each 800 line: copay 25 + 20 % of 775 = 155 -> 180. 620 + 180 + 180 = 980: the third line
    // has 20 of room: copay 20, no coinsurance, benefit 780.
    let provider_before = balance(w.provider);
    let id = submit(&mut w, DOS + DAY, vec![line(100, 4, 800); 3]).unwrap();
    let claim = w.c.claim(id).unwrap();
    let shares: Vec<_> = claim.lines.iter().map(|l| (l.copay, l.coinsurance, l.patient_share, l.benefit)).collect();
    assert_eq!(shares, vec![(25, 155, 180, 620), (25, 155, 180, 620), (20, 0, 20, 780)]);
    assert_eq!(codes(&claim), vec![vec![3, 2], vec![3, 2], vec![3]]);
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Approved, 2_020, 2_020));
    assert_eq!(balance(w.provider), provider_before + 2_020);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators { deductible_met: 500, out_of_pocket: 1_000 });

    // Cap reached: the payer pays everything eligible.
    let id = submit(&mut w, DOS + 2 * DAY, vec![line(100, 1, 150)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.lines[0].patient_share, claim.benefit), (0, 150));
    assert!(claim.lines[0].codes().is_empty());

    // Day 729 is 1971-12-31, benefit year 1971: a fresh deductible.
    let id = submit(&mut w, 729 * DAY, vec![line(100, 1, 200)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.lines[0].deductible, claim.benefit), (200, 0));
    assert_eq!(w.c.accumulators(w.plan, w.patient, 1971), Accumulators { deductible_met: 200, out_of_pocket: 200 });
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR).out_of_pocket, 1_000);
}

#[ink::test]
fn the_patients_coinsurance_rounds_down() {
    let mut w = world();
    as_caller(w.payer);
    let plan =
        w.c.create_plan(PlanTerms {
            deductible: 0,
            coinsurance_bps: 3_333,
            copay: 0,
            out_of_pocket_max: 10_000,
            ..terms()
        })
        .unwrap();
    w.c.set_benefit(plan, 100, Benefit { covered: true, allowed_per_unit: 100, unit_limit: 0, prior_auth: false })
        .unwrap();
    w.c.enrol(plan, w.patient, 700 * DAY, None).unwrap();
    w.c.admit_provider(plan, w.provider).unwrap();
    fund(&mut w, plan, 1_000);
    as_caller(w.provider);
    // 29 x 33.33 % = 9.6657 -> 9 (benefit 20); 1 x 33.33 % = 0.33 -> 0 (benefit 1).
    let id = w.c.submit(w.patient, plan, DOS, vec![line(100, 1, 29), line(100, 1, 1)], vec![], DETAIL).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.lines[0].coinsurance, claim.lines[0].benefit), (9, 20));
    assert_eq!((claim.lines[1].coinsurance, claim.lines[1].benefit), (0, 1));
    assert_eq!(codes(&claim), vec![vec![2], vec![]]);
    assert_eq!((claim.benefit, claim.paid), (21, 21));
    books(&w);
}

#[ink::test]
fn uncovered_lines_make_a_claim_partial_or_denied() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    // Line 0: eligible 800, deductible 500, copay 25, 20 % of 275 = 55 -> benefit 220. Code 300 is not covered
    // and code 999 has no benefit: both 96.
    let id = submit(&mut w, DOS, vec![line(100, 4, 800), line(300, 1, 100), line(999, 1, 50)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.outcome, Outcome::Partial);
    assert_eq!(codes(&claim), vec![vec![1, 3, 2], vec![96], vec![96]]);
    assert!(claim.lines[1].denied && claim.lines[2].denied && !claim.lines[0].denied);
    assert_eq!((claim.lines[1].eligible, claim.lines[1].benefit), (0, 0));
    assert_eq!((claim.benefit, claim.paid), (220, 220));

    let provider_before = balance(w.provider);
    let id = submit(&mut w, DOS, vec![line(300, 1, 100), line(999, 2, 10)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.reason, claim.benefit), (Outcome::Denied, None, 0));
    assert_eq!(codes(&claim), vec![vec![96], vec![96]]);
    assert_eq!(balance(w.provider), provider_before);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators { deductible_met: 500, out_of_pocket: 580 });
}

#[ink::test]
fn claim_level_denials_carry_their_code() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let (late, early, ended) = (addr(0x55), addr(0x56), addr(0x57));
    as_caller(w.payer);
    w.c.enrol(w.plan, early, 795 * DAY, None).unwrap();
    w.c.enrol(w.plan, ended, 700 * DAY, None).unwrap();
    w.c.end_enrolment(w.plan, ended, 785 * DAY).unwrap();
    let lines = vec![line(100, 4, 800), line(300, 1, 100)];
    let cases = [
        (late, DOS, 31),
        (early, DOS, 26),
        (ended, DOS, 27),
        (ended, 784 * DAY, 0),
        (w.patient, 709 * DAY, 29),
        (w.patient, 710 * DAY, 0),
        (w.patient, 710 * DAY, 18),
    ];
    for (patient, date, code) in cases {
        as_caller(w.provider);
        let before = events();
        let id = w.c.submit(patient, w.plan, date, lines.clone(), vec![], DETAIL).unwrap();
        let claim = w.c.claim(id).unwrap();
        if code == 0 {
            assert_eq!((claim.outcome, claim.reason), (Outcome::Partial, None), "{date}");
            continue;
        }
        assert_eq!((claim.outcome, claim.reason, claim.benefit, claim.paid), (Outcome::Denied, Some(code), 0, 0));
        assert_eq!(codes(&claim), vec![vec![code], vec![code]]);
        assert!(claim.lines.iter().all(|l| l.denied && l.benefit == 0 && l.eligible == 0));
        assert_eq!(events(), before + 1, "submitted and adjudicated");
        assert_eq!(last_of::<ClaimSubmitted>().paid, 0);
        assert_eq!(last_of::<ClaimSubmitted>().reason, Some(code));
        books(&w);
    }
    assert_eq!(w.c.accumulators(w.plan, late, YEAR), Accumulators::default());
    assert_eq!(w.c.accumulators(w.plan, early, YEAR), Accumulators::default());
    // Only the two claims that were adjudicated touched the accumulators (one per patient).
    assert_eq!(w.c.accumulators(w.plan, w.patient, 1971).out_of_pocket, 580);
    assert_eq!(w.c.accumulators(w.plan, ended, YEAR).out_of_pocket, 580);

    // Another provider is not a duplicate.
    as_caller(w.other_provider);
    let id = w.c.submit(w.patient, w.plan, 710 * DAY, lines, vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, None);
}

#[ink::test]
fn prior_authorization_is_requested_decided_and_consumed_once() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let p = w.patient;
    // No authorization: 197.
    let id = submit(&mut w, DOS, vec![line(200, 1, 1_000)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, codes(&claim)), (Outcome::Denied, vec![vec![197]]));

    let before = events();
    as_caller(w.stranger);
    assert_eq!(w.c.request_prior_auth(p, w.plan, 200, 2), Err(Error::NotProvider));
    as_caller(w.provider);
    assert_eq!(w.c.request_prior_auth(p, 9, 200, 2), Err(Error::PlanNotFound));
    assert_eq!(w.c.request_prior_auth(p, w.plan, 200, 0), Err(Error::ZeroUnits));
    assert_eq!(events(), before);
    let auth = w.c.request_prior_auth(p, w.plan, 200, 2).unwrap();
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Requested);
    assert_eq!(w.c.request_prior_auth(p, w.plan, 200, 1), Err(Error::PriorAuthOpen(auth)));
    // A requested (undecided) authorization does not count.
    let id = submit(&mut w, DOS - DAY, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(codes(&w.c.claim(id).unwrap()), vec![vec![197]]);

    as_caller(w.stranger);
    assert_eq!(w.c.decide_prior_auth(auth, Some(VALID)), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.decide_prior_auth(9, Some(VALID)), Err(Error::PriorAuthNotFound));
    w.c.decide_prior_auth(auth, Some(VALID)).unwrap();
    assert_eq!(w.c.decide_prior_auth(auth, None), Err(Error::PriorAuthAlreadyDecided));
    assert_eq!(events(), before + 1 + 1 + 1, "requested, submitted, decided");

    // 3 units exceed the 2 approved (198); the 2-unit line consumes it; the next line finds it used (197).
    // Consumed line: eligible 2000, deductible 500, copay 25, 20 % of 1475 = 295 -> benefit 1180.
    let provider_before = balance(w.provider);
    let id =
        submit(&mut w, DOS - 2 * DAY, vec![line(200, 3, 3_000), line(200, 2, 2_000), line(200, 1, 1_000)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.outcome, Outcome::Partial);
    assert_eq!(codes(&claim), vec![vec![198], vec![1, 3, 2], vec![197]]);
    assert_eq!(claim.lines[1].prior_auth, Some(auth));
    assert_eq!((claim.lines[1].benefit, claim.benefit, claim.paid), (1_180, 1_180, 1_180));
    assert_eq!(balance(w.provider), provider_before + 1_180);
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Used(id));

    // A denied authorization does not count either, and frees the way for a new request.
    as_caller(w.provider);
    let second = w.c.request_prior_auth(p, w.plan, 200, 1).unwrap();
    as_caller(w.payer);
    w.c.decide_prior_auth(second, None).unwrap();
    assert_eq!(w.c.prior_auth(second).unwrap().status, AuthStatus::Denied);
    let id = submit(&mut w, DOS - 3 * DAY, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(codes(&w.c.claim(id).unwrap()), vec![vec![197]]);
    as_caller(w.provider);
    assert_eq!(w.c.request_prior_auth(p, w.plan, 200, 1), Ok(second + 1));
}

#[ink::test]
fn fraud_flags_pend_the_claim_without_paying_or_accumulating() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let provider_before = balance(w.provider);
    // 5 units above the limit of 4; code 300 stays denied.
    let id = submit(&mut w, DOS, vec![line(100, 5, 1_000), line(100, 1, 100), line(300, 1, 50)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Pended, 0, 0));
    assert_eq!(claim.lines.iter().map(|l| l.flagged).collect::<Vec<_>>(), vec![true, false, false]);
    assert_eq!(codes(&claim), vec![vec![], vec![], vec![96]]);
    assert!(claim.lines.iter().all(|l| l.benefit == 0 && l.eligible == 0 && l.patient_share == 0));
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators::default());
    assert_eq!(last_of::<ClaimSubmitted>().outcome, Outcome::Pended);

    // A charge of 10x the allowed amount (2000 for 1 x 200) is flagged; just below it is not.
    let id = submit(&mut w, DOS - DAY, vec![line(100, 1, 2_000)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().outcome, Outcome::Pended);
    let id = submit(&mut w, DOS - 2 * DAY, vec![line(100, 1, 1_999)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.lines[0].eligible), (Outcome::Approved, 200));
    assert_eq!(balance(w.provider), provider_before);
}

#[ink::test]
fn the_payer_reviews_pended_claims() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let approved = submit(&mut w, DOS - DAY, vec![line(100, 1, 200)]).unwrap();
    let id = submit(&mut w, DOS, vec![line(100, 5, 1_000), line(100, 1, 100), line(300, 1, 50)]).unwrap();
    let pended = w.c.claim(id).unwrap();
    let approve_all = vec![LineDecision::Approve(800), LineDecision::Approve(100), LineDecision::Deny(204)];

    let before = events();
    as_caller(w.stranger);
    assert_eq!(w.c.review(id, approve_all.clone()), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.review(99, approve_all.clone()), Err(Error::ClaimNotFound));
    assert_eq!(w.c.review(approved, vec![LineDecision::Approve(1)]), Err(Error::NotPended));
    assert_eq!(w.c.review(id, approve_all[..2].to_vec()), Err(Error::DecisionCountMismatch));
    let too_much = vec![LineDecision::Approve(1_001), LineDecision::Approve(100), LineDecision::Deny(204)];
    assert_eq!(w.c.review(id, too_much), Err(Error::AmountAboveAllowed));
    for code in [0, 1, 2, 3, 45] {
        let bad = vec![LineDecision::Approve(800), LineDecision::Approve(100), LineDecision::Deny(code)];
        assert_eq!(w.c.review(id, bad), Err(Error::InvalidReasonCode));
    }
    assert_eq!(w.c.claim(id).unwrap(), pended);
    assert_eq!(events(), before);

    let provider_before = balance(w.provider);
    w.c.review(id, approve_all).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Partial, 900, 900));
    assert_eq!(codes(&claim), vec![vec![45], vec![], vec![204]]);
    assert_eq!((claim.lines[0].eligible, claim.lines[0].benefit), (800, 800));
    assert!(claim.lines[2].denied && !claim.lines[0].denied);
    assert_eq!(balance(w.provider), provider_before + 900);
    assert_eq!(events(), before + 1, "reviewed and paid");
    let event = last_event::<ClaimReviewed>();
    assert_eq!(
        (event.claim, event.payer, event.outcome, event.benefit, event.paid),
        (id, w.payer, Outcome::Partial, 900, 900)
    );
    assert_eq!(w.c.review(id, vec![LineDecision::Deny(50); 3]), Err(Error::NotPended));
    books(&w);
}

#[ink::test]
fn a_short_escrow_owes_and_settles_later_never_paying_more_than_funded() {
    let mut w = world();
    fund_plan(&mut w, 100);
    let provider_before = balance(w.provider);
    // Benefit 220 (deductible 500, copay 25, coinsurance 55): the escrow holds 100.
    let first = submit(&mut w, DOS, vec![line(100, 4, 800)]).unwrap();
    let claim = w.c.claim(first).unwrap();
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Approved, 220, 0));
    assert_eq!(money(w.c.escrow(w.plan)), (100, 220, 100, 0, 0));
    as_caller(w.payer);
    assert_eq!(w.c.withdraw(w.plan, 1), Err(Error::InsufficientFreeFunds));
    assert_eq!(w.c.settle(w.plan), Err(Error::InsufficientEscrow));

    // 300 held, but 220 of it is owed to the first claim: the second (benefit 140) waits its turn.
    fund_plan(&mut w, 200);
    let second = submit(&mut w, DOS - DAY, vec![line(100, 1, 200)]).unwrap();
    assert_eq!((w.c.claim(second).unwrap().benefit, w.c.claim(second).unwrap().paid), (140, 0));
    assert_eq!(w.c.escrow(w.plan).owed, 360);

    as_caller(w.stranger);
    let before = events();
    assert_eq!(w.c.settle(w.plan), Ok(220));
    assert_eq!(events(), before + 1);
    assert_eq!(last_event::<ClaimPaid>().claim, first);
    assert_eq!(balance(w.provider), provider_before + 220);
    books(&w);
    assert_eq!(w.c.settle(w.plan), Err(Error::InsufficientEscrow));
    assert_eq!(w.c.settle(77), Err(Error::NothingOwed));

    fund_plan(&mut w, 100);
    as_caller(w.stranger);
    assert_eq!(w.c.settle(w.plan), Ok(140));
    assert_eq!(last_event::<ClaimPaid>().claim, second);
    assert_eq!(w.c.settle(w.plan), Err(Error::NothingOwed));
    assert_eq!(balance(w.provider), provider_before + 360);
    assert_eq!(money(w.c.escrow(w.plan)), (40, 0, 400, 0, 360));
    as_caller(w.payer);
    assert_eq!(w.c.withdraw(w.plan, 41), Err(Error::InsufficientFreeFunds));
    w.c.withdraw(w.plan, 40).unwrap();
    assert_eq!(money(w.c.escrow(w.plan)), (0, 0, 400, 40, 360));
    books(&w);
}

#[ink::test]
fn a_refused_transfer_leaves_the_claim_owed() {
    // The contract's account holds nothing the chain knows of: every transfer out is refused.
    let broke = addr(0xC9);
    test::set_callee::<Env>(broke);
    let mut w = world_at_callee();
    as_caller(w.payer);
    test::set_value_transferred::<Env>(500);
    w.c.fund(w.plan).unwrap();
    test::set_value_transferred::<Env>(0);
    assert_eq!(w.c.withdraw(w.plan, 100), Err(Error::TransferFailed));
    assert_eq!(w.c.escrow(w.plan).balance, 500);

    as_caller(w.provider);
    let id = w.c.submit(w.patient, w.plan, DOS, vec![line(100, 4, 800)], vec![], DETAIL).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Approved, 220, 0));
    assert_eq!(money(w.c.escrow(w.plan)), (500, 220, 500, 0, 0));
    assert_eq!(w.c.settle(w.plan), Err(Error::TransferFailed));
    assert_eq!(w.c.claim(id).unwrap().paid, 0);

    test::set_account_balance::<Env>(broke, 1_000_000);
    let provider_before = balance(w.provider);
    assert_eq!(w.c.settle(w.plan), Ok(220));
    assert_eq!(balance(w.provider), provider_before + 220);
    assert_eq!(balance(broke), 1_000_000 - 220);
    assert_eq!(money(w.c.escrow(w.plan)), (280, 0, 500, 0, 220));
}

// ---- appeals ----

#[ink::test]
fn denied_and_partial_claims_are_appealed_within_the_window() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let partial = submit(&mut w, DOS, vec![line(100, 4, 800), line(300, 1, 100)]).unwrap();
    let approved = submit(&mut w, DOS - DAY, vec![line(100, 1, 200)]).unwrap();
    let reason = [9; 32];
    let before = events();

    as_caller(w.stranger);
    assert_eq!(w.c.appeal(partial, reason), Err(Error::NotClaimParty));
    as_caller(w.patient);
    assert_eq!(w.c.appeal(99, reason), Err(Error::ClaimNotFound));
    assert_eq!(w.c.appeal(approved, reason), Err(Error::NotAppealable));
    as_caller(w.payer);
    assert_eq!(w.c.decide_appeal(partial, None), Err(Error::NoPendingAppeal));
    at(NOW + 30 * DAY);
    as_caller(w.patient);
    assert_eq!(w.c.appeal(partial, reason), Err(Error::AppealWindowClosed));
    assert_eq!(events(), before);

    at(NOW + 30 * DAY - 1);
    w.c.appeal(partial, reason).unwrap();
    let appeal = w.c.claim(partial).unwrap().appeal.unwrap();
    assert_eq!((appeal.by, appeal.reason_hash, appeal.status), (w.patient, reason, AppealStatus::Pending));
    as_caller(w.provider);
    assert_eq!(w.c.appeal(partial, reason), Err(Error::AlreadyAppealed));
    assert_eq!(events(), before + 1);

    // Line 0 keeps its 220 (with its 580 patient share it may not exceed 800); line 1 (96, charge 100) gets 80.
    let claim_before = w.c.claim(partial).unwrap();
    as_caller(w.stranger);
    assert_eq!(w.c.decide_appeal(partial, Some(vec![220, 80])), Err(Error::NotPlanPayer));
    as_caller(w.payer);
    assert_eq!(w.c.decide_appeal(99, None), Err(Error::ClaimNotFound));
    assert_eq!(w.c.decide_appeal(partial, Some(vec![220])), Err(Error::DecisionCountMismatch));
    assert_eq!(w.c.decide_appeal(partial, Some(vec![219, 80])), Err(Error::AmountBelowBenefit));
    assert_eq!(w.c.decide_appeal(partial, Some(vec![221, 80])), Err(Error::AmountAboveAllowed));
    assert_eq!(w.c.decide_appeal(partial, Some(vec![220, 101])), Err(Error::AmountAboveAllowed));
    assert_eq!(w.c.claim(partial).unwrap(), claim_before);
    assert_eq!(events(), before + 1);

    let provider_before = balance(w.provider);
    w.c.decide_appeal(partial, Some(vec![220, 80])).unwrap();
    let claim = w.c.claim(partial).unwrap();
    assert_eq!(claim.appeal.unwrap().status, AppealStatus::Overturned);
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Approved, 300, 300));
    assert_eq!(codes(&claim), vec![vec![1, 3, 2], vec![45]]);
    assert_eq!((claim.lines[1].eligible, claim.lines[1].benefit, claim.lines[1].denied), (80, 80, false));
    assert_eq!(balance(w.provider), provider_before + 80);
    assert_eq!(events(), before + 2, "decided and paid");
    let event = last_event::<AppealDecided>();
    assert_eq!((event.claim, event.overturned, event.added_benefit, event.paid), (partial, true, 80, 80));
    assert_eq!(w.c.decide_appeal(partial, None), Err(Error::NoPendingAppeal));
    books(&w);
}

#[ink::test]
fn an_upheld_appeal_changes_nothing_but_its_status() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let denied = submit(&mut w, DOS, vec![line(300, 1, 100)]).unwrap();
    as_caller(w.provider);
    w.c.appeal(denied, [3; 32]).unwrap();
    as_caller(w.payer);
    let provider_before = balance(w.provider);
    let before = events();
    w.c.decide_appeal(denied, None).unwrap();
    let claim = w.c.claim(denied).unwrap();
    assert_eq!(claim.appeal.unwrap().status, AppealStatus::Upheld);
    assert_eq!((claim.outcome, claim.benefit, claim.paid), (Outcome::Denied, 0, 0));
    assert_eq!(balance(w.provider), provider_before);
    assert_eq!(events(), before + 1);
    books(&w);
}

// ---- reads ----

#[ink::test]
fn claims_are_listed_page_by_page() {
    let mut w = world();
    for day in 0..3 {
        submit(&mut w, DOS - day * DAY, vec![line(300, 1, 10)]).unwrap();
    }
    as_caller(w.other_provider);
    w.c.submit(w.patient, w.plan, DOS, vec![line(300, 1, 10)], vec![], DETAIL).unwrap();

    let page = w.c.claims_by_provider(w.provider, None, 2);
    assert_eq!((page.items, page.next), (vec![3, 2], Some(1)));
    let page = w.c.claims_by_provider(w.provider, Some(1), 2);
    assert_eq!((page.items, page.next), (vec![1], None));
    let page = w.c.claims_by_provider(w.other_provider, None, 10);
    assert_eq!((page.items, page.next), (vec![4], None));
    let page = w.c.claims_by_patient(w.patient, Some(3), 50);
    assert_eq!((page.items, page.next), (vec![3, 2, 1], None));
    let page = w.c.claims_by_patient(w.patient, None, 50);
    assert_eq!((page.items, page.next, page.len), (vec![4, 3, 2, 1], None, 4));
    assert_eq!(w.c.claims_by_provider(w.provider, None, 0).len, 3);
    assert_eq!(w.c.claims_by_patient(w.stranger, None, 10).items, Vec::<ClaimId>::new());
    // Another provider's claim starts no walk through this provider's list.
    assert_eq!(w.c.claims_by_provider(w.provider, Some(4), 10).items, Vec::<ClaimId>::new());
    let claim = w.c.claim(4).unwrap();
    assert_eq!((claim.previous_of_provider, claim.previous_of_patient), (None, Some(3)));
    assert_eq!(w.c.claim(5), None);
}

#[ink::test]
fn ids_start_at_one() {
    let mut w = world();
    assert_eq!((w.plan, w.c.plan(0)), (1, None));
    as_caller(w.provider);
    assert_eq!(w.c.request_prior_auth(w.patient, w.plan, 200, 1), Ok(1));
    assert_eq!(w.c.prior_auth(0), None);
    assert_eq!(submit(&mut w, DOS, vec![line(300, 1, 10)]), Ok(1));
    assert_eq!(w.c.claim(0), None);
    assert_eq!(last_of::<ClaimSubmitted>().claim, 1);
    as_caller(w.payer);
    assert_eq!(w.c.create_plan(terms()), Ok(2));
}

// ---- issue 19: the attacks, each prevented ----

#[ink::test]
fn a_zero_charge_line_is_refused_not_stored_as_approved() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let before = events();
    as_caller(w.provider);
    refused(Error::ZeroCharge, || w.c.submit(w.patient, w.plan, DOS, vec![line(100, 1, 0)], vec![], DETAIL));
    let mixed = vec![line(100, 1, 200), line(100, 1, 0)];
    refused(Error::ZeroCharge, || w.c.submit(w.patient, w.plan, DOS, mixed, vec![], DETAIL));
    assert_eq!((events(), w.c.claim(1)), (before, None));
}

#[ink::test]
fn no_diagnosis_is_stored_the_claim_commits_to_its_off_chain_detail() {
    let mut w = world();
    let id = submit(&mut w, DOS, vec![line(100, 1, 200)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.detail, DETAIL);
    // A line is service code, units and charge: nothing else is on chain.
    assert_eq!(claim.lines[0].line, ClaimLine { service_code: 100, units: 1, charge: 200 });
    assert_eq!(scale::Encode::encode(&claim.lines[0].line).len(), 4 + 4 + 16);
}

#[ink::test]
fn adjustments_carry_their_group_codes() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    // 45 (CO) then 1 (PR); 96 (CO).
    let id = submit(&mut w, DOS, vec![line(100, 2, 450), line(300, 1, 100)]).unwrap();
    let groups: Vec<Vec<(Group, u16)>> =
        w.c.claim(id)
            .unwrap()
            .lines
            .iter()
            .map(|line| line.adjustments.iter().map(|adjustment| (adjustment.group, adjustment.code)).collect())
            .collect();
    assert_eq!(
        groups,
        vec![
            vec![(Group::ContractualObligation, 45), (Group::PatientResponsibility, 1)],
            vec![(Group::ContractualObligation, 96)]
        ]
    );
    // The duplicate (18) is an other adjustment (OA); not a member (31) a contractual obligation.
    let id = submit(&mut w, DOS, vec![line(300, 1, 100), line(100, 2, 450)]).unwrap();
    assert_eq!(
        w.c.claim(id).unwrap().lines[0].adjustments,
        vec![Adjustment { group: Group::OtherAdjustment, code: 18 }]
    );
}

#[ink::test]
fn a_review_accepts_only_documented_denial_codes() {
    let mut w = world();
    let id = submit(&mut w, DOS, vec![line(100, 5, 1_000)]).unwrap();
    as_caller(w.payer);
    for code in [0, 1, 2, 3, 15, 45, 77, u16::MAX] {
        refused(Error::InvalidReasonCode, || w.c.review(id, vec![LineDecision::Deny(code)]));
    }
    w.c.review(id, vec![LineDecision::Deny(carc::NOT_MEDICALLY_NECESSARY)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(claim.lines[0].adjustments, vec![Adjustment { group: Group::ContractualObligation, code: 50 }]);
}

#[ink::test]
fn a_review_or_overturn_of_u128_max_cannot_brick_the_plan() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    // A u128::MAX charge is pended (above 10x allowed); approving u128::MAX was allowed (up to the charge).
    let pended = submit(&mut w, DOS, vec![line(100, 1, u128::MAX)]).unwrap();
    let denied = submit(&mut w, DOS - DAY, vec![line(300, 1, u128::MAX)]).unwrap();
    as_caller(w.payer);
    let before = w.c.escrow(w.plan);
    refused(Error::AmountAboveAllowed, || w.c.review(pended, vec![LineDecision::Approve(u128::MAX)]));
    // What benefit 100 allows (200 a unit) less nothing: 201 is refused, 200 approved.
    refused(Error::AmountAboveAllowed, || w.c.review(pended, vec![LineDecision::Approve(201)]));
    assert_eq!(w.c.escrow(w.plan), before);
    w.c.review(pended, vec![LineDecision::Approve(200)]).unwrap();
    as_caller(w.provider);
    w.c.appeal(denied, [1; 32]).unwrap();
    as_caller(w.payer);
    // Code 300 (not covered) allows 100 a unit.
    refused(Error::AmountAboveAllowed, || w.c.decide_appeal(denied, Some(vec![u128::MAX])));
    refused(Error::AmountAboveAllowed, || w.c.decide_appeal(denied, Some(vec![101])));
    w.c.decide_appeal(denied, Some(vec![100])).unwrap();
    // The plan still pays new claims and withdraws its free funds.
    let id = submit(&mut w, DOS - 2 * DAY, vec![line(100, 4, 800)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().paid, 220);
    let escrow = w.c.escrow(w.plan);
    as_caller(w.payer);
    w.c.withdraw(w.plan, escrow.balance - escrow.owed).unwrap();
    books(&w);
}

#[ink::test]
fn duplicates_are_caught_whatever_the_order_of_the_lines_or_the_charges() {
    let mut w = world();
    fund_plan(&mut w, 100_000);
    let lines = vec![line(100, 4, 800), line(100, 1, 200)];
    let first = submit(&mut w, DOS, lines.clone()).unwrap();
    assert_eq!(w.c.claim(first).unwrap().reason, None);
    let provider_before = balance(w.provider);
    // The same lines in another order; a charge one unit lower; a millisecond later the same day: 18, unpaid.
    for (date, lines) in [
        (DOS, vec![line(100, 1, 200), line(100, 4, 800)]),
        (DOS, vec![line(100, 4, 799), line(100, 1, 200)]),
        (DOS + 1, lines.clone()),
    ] {
        let id = submit(&mut w, date, lines).unwrap();
        let claim = w.c.claim(id).unwrap();
        assert_eq!((claim.outcome, claim.reason, claim.paid), (Outcome::Denied, Some(18), 0));
    }
    assert_eq!(balance(w.provider), provider_before);
    // Another day, or other units, is another claim.
    let other_day = submit(&mut w, DOS - DAY, lines.clone()).unwrap();
    let other_units = submit(&mut w, DOS, vec![line(100, 3, 600)]).unwrap();
    for id in [other_day, other_units] {
        assert_eq!(w.c.claim(id).unwrap().reason, None);
    }
}

#[ink::test]
fn a_claim_denied_at_claim_level_under_one_plan_is_no_duplicate_under_another() {
    let mut w = world();
    as_caller(w.payer);
    let other = w.c.create_plan(terms()).unwrap();
    w.c.set_benefit(other, 100, Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false })
        .unwrap();
    let member = addr(0x55);
    w.c.enrol(other, member, 700 * DAY, None).unwrap();
    w.c.admit_provider(other, w.provider).unwrap();
    as_caller(w.provider);
    let lines = vec![line(100, 1, 200)];
    // Not a member of plan 1: 31, and not indexed.
    let id = w.c.submit(member, w.plan, DOS, lines.clone(), vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, Some(31));
    let id = w.c.submit(member, other, DOS, lines.clone(), vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, None);
    // A duplicate (18) is not indexed either, and the original stays the one that counts.
    let id = w.c.submit(member, other, DOS, lines, vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, Some(18));
}

#[ink::test]
fn a_corrected_claim_replaces_the_original_instead_of_tripping_the_duplicate_rule() {
    let mut w = world();
    fund_plan(&mut w, 100);
    // Benefit 220 owed (the escrow holds 100): unpaid, so its provider may correct it.
    let original = submit(&mut w, DOS, vec![line(100, 4, 800)]).unwrap();
    assert_eq!(w.c.escrow(w.plan).owed, 220);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators { deductible_met: 500, out_of_pocket: 580 });
    let corrected = vec![line(100, 4, 800), line(100, 1, 200)];
    let before = events();
    as_caller(w.provider);
    let id = w.c.replace_claim(original, DOS, corrected.clone(), vec![], [0x84; 32]).unwrap();
    assert_eq!(events(), before + 1);
    let event = last_of::<ClaimSubmitted>();
    assert_eq!((event.claim, event.replaces, event.reason), (id, Some(original), None));
    let old = w.c.claim(original).unwrap();
    assert_eq!((old.correction, old.benefit), (Some(Correction::ReplacedBy(id)), 0));
    let new = w.c.claim(id).unwrap();
    assert_eq!((new.replaces, new.detail, new.reason), (Some(original), [0x84; 32], None));
    // Adjudicated afresh: the original's share left the accumulators first (deductible 500 again, then 200).
    // Line 0: 500 + 25 + 55 = 580, benefit 220; line 1: copay 25 + 20 % of 175 = 35, benefit 140.
    assert_eq!(new.benefit, 360);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators { deductible_met: 500, out_of_pocket: 640 });
    assert_eq!(w.c.escrow(w.plan).owed, 360);
    books(&w);
    // The original cannot be corrected twice, settled, reviewed or appealed.
    refused(Error::AlreadyCorrected, || w.c.void_claim(original));
    // The queue passes over the original (nothing owed): the replacement is next, once the escrow holds it.
    as_caller(w.stranger);
    refused(Error::InsufficientEscrow, || w.c.settle(w.plan));
    fund_plan(&mut w, 300);
    as_caller(w.stranger);
    assert_eq!(w.c.settle(w.plan), Ok(360));
    assert_eq!(last_event::<ClaimPaid>().claim, id);
    assert_eq!(w.c.claim(original).unwrap().paid, 0);
    // Resubmitting the replacement's lines is a duplicate of the replacement.
    let dup = submit(&mut w, DOS, corrected).unwrap();
    assert_eq!(w.c.claim(dup).unwrap().reason, Some(18));
}

#[ink::test]
fn a_voided_claim_releases_what_it_was_owed_its_share_and_its_authorization() {
    let mut w = world();
    fund_plan(&mut w, 100);
    as_caller(w.provider);
    let auth = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    as_caller(w.payer);
    w.c.decide_prior_auth(auth, Some(VALID)).unwrap();
    let id = submit(&mut w, DOS, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Used(id));
    assert_eq!(w.c.escrow(w.plan).owed, 380);

    let claim_before = w.c.claim(id).unwrap();
    as_caller(w.stranger);
    refused(Error::NotClaimProvider, || w.c.void_claim(id));
    as_caller(w.other_provider);
    refused(Error::NotClaimProvider, || w.c.void_claim(id));
    refused(Error::NotClaimProvider, || w.c.replace_claim(id, DOS, vec![line(100, 1, 200)], vec![], DETAIL));
    as_caller(w.provider);
    refused(Error::ClaimNotFound, || w.c.void_claim(99));
    refused(Error::ClaimNotFound, || w.c.replace_claim(99, DOS, vec![line(100, 1, 200)], vec![], DETAIL));
    refused(Error::ZeroCharge, || w.c.replace_claim(id, DOS, vec![line(100, 1, 0)], vec![], DETAIL));
    stubs::set_roles(PARTICIPANTS, w.provider, &[]);
    refused(Error::NotProvider, || w.c.void_claim(id));
    stubs::set_roles(PARTICIPANTS, w.provider, &[Role::Provider]);
    assert_eq!(w.c.claim(id).unwrap(), claim_before);
    assert_eq!(w.c.escrow(w.plan).owed, 380);

    w.c.void_claim(id).unwrap();
    let event = last_event::<ClaimVoided>();
    assert_eq!((event.claim, event.provider, event.plan, event.released), (id, w.provider, w.plan, 380));
    assert_eq!(w.c.claim(id).unwrap().correction, Some(Correction::Voided));
    assert_eq!(w.c.escrow(w.plan).owed, 0);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators::default());
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Approved);
    // The authorization is open again: a new request waits for it, and the next claim consumes it.
    as_caller(w.provider);
    refused(Error::PriorAuthOpen(auth), || w.c.request_prior_auth(w.patient, w.plan, 200, 1));
    let again = submit(&mut w, DOS, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!((w.c.claim(again).unwrap().reason, w.c.claim(again).unwrap().lines[0].prior_auth), (None, Some(auth)));
    books(&w);
}

#[ink::test]
fn a_paid_or_appealed_claim_is_not_corrected() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let paid = submit(&mut w, DOS, vec![line(100, 4, 800)]).unwrap();
    assert_eq!(w.c.claim(paid).unwrap().paid, 220);
    as_caller(w.provider);
    refused(Error::ClaimAlreadyPaid, || w.c.void_claim(paid));
    refused(Error::ClaimAlreadyPaid, || w.c.replace_claim(paid, DOS, vec![line(100, 1, 200)], vec![], DETAIL));
    let denied = submit(&mut w, DOS - DAY, vec![line(300, 1, 100)]).unwrap();
    as_caller(w.patient);
    w.c.appeal(denied, [1; 32]).unwrap();
    as_caller(w.provider);
    refused(Error::AppealPending, || w.c.void_claim(denied));
    as_caller(w.payer);
    w.c.decide_appeal(denied, None).unwrap();
    as_caller(w.provider);
    w.c.void_claim(denied).unwrap();
    as_caller(w.patient);
    refused(Error::ClaimCorrected, || w.c.appeal(denied, [1; 32]));
    // A voided pended claim is not reviewed.
    let pended = submit(&mut w, DOS - 2 * DAY, vec![line(100, 5, 1_000)]).unwrap();
    as_caller(w.provider);
    w.c.void_claim(pended).unwrap();
    as_caller(w.payer);
    refused(Error::ClaimCorrected, || w.c.review(pended, vec![LineDecision::Approve(1)]));
}

#[ink::test]
fn a_revoked_payer_is_refused_by_every_payer_message() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let pended = submit(&mut w, DOS, vec![line(100, 5, 1_000)]).unwrap();
    let denied = submit(&mut w, DOS - DAY, vec![line(300, 1, 100)]).unwrap();
    as_caller(w.provider);
    w.c.appeal(denied, [1; 32]).unwrap();
    let auth = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    stubs::set_roles(PARTICIPANTS, w.payer, &[]);
    as_caller(w.payer);
    test::transfer_in::<Env>(5);
    let escrow = w.c.escrow(w.plan);
    let benefit = Benefit { covered: true, allowed_per_unit: 1, unit_limit: 0, prior_auth: false };
    refused(Error::NotPayer, || w.c.create_plan(terms()));
    refused(Error::NotPayer, || w.c.set_benefit(w.plan, 500, benefit));
    refused(Error::NotPayer, || w.c.enrol(w.plan, addr(0x55), 0, None));
    refused(Error::NotPayer, || w.c.end_enrolment(w.plan, w.patient, NOW));
    refused(Error::NotPayer, || w.c.fund(w.plan));
    refused(Error::NotPayer, || w.c.withdraw(w.plan, 1));
    refused(Error::NotPayer, || w.c.decide_prior_auth(auth, Some(VALID)));
    refused(Error::NotPayer, || w.c.review(pended, vec![LineDecision::Approve(100)]));
    refused(Error::NotPayer, || w.c.decide_appeal(denied, None));
    test::set_value_transferred::<Env>(0);
    assert_eq!(w.c.escrow(w.plan), escrow);
    assert_eq!(w.c.claim(pended).unwrap().outcome, Outcome::Pended);
    assert_eq!(w.c.benefit(w.plan, 500), None);
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Requested);
    // Another credentialed payer is still not this plan's payer (asked first, without a call).
    let asked = stubs::asked(PARTICIPANTS, stubs::Message::HasRole);
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.withdraw(w.plan, 1));
    assert_eq!(stubs::asked(PARTICIPANTS, stubs::Message::HasRole), asked);
}

#[ink::test]
fn a_revoked_provider_is_refused_and_not_paid_through_settle() {
    let mut w = world();
    fund_plan(&mut w, 100);
    let owed = submit(&mut w, DOS, vec![line(100, 4, 800)]).unwrap();
    let denied = submit(&mut w, DOS - DAY, vec![line(300, 1, 100)]).unwrap();
    fund_plan(&mut w, 1_000);
    stubs::set_roles(PARTICIPANTS, w.provider, &[]);
    as_caller(w.provider);
    refused(Error::NotProvider, || {
        w.c.submit(w.patient, w.plan, DOS - 2 * DAY, vec![line(100, 1, 200)], vec![], DETAIL)
    });
    refused(Error::NotProvider, || w.c.request_prior_auth(w.patient, w.plan, 200, 1));
    refused(Error::NotProvider, || w.c.appeal(denied, [1; 32]));
    refused(Error::NotProvider, || w.c.replace_claim(owed, DOS, vec![line(100, 1, 200)], vec![], DETAIL));
    as_caller(w.stranger);
    let provider_before = balance(w.provider);
    refused(Error::PayeeNotCredentialed, || w.c.settle(w.plan));
    assert_eq!((balance(w.provider), w.c.claim(owed).unwrap().paid), (provider_before, 0));
    // The patient still appeals (patients hold no credential).
    as_caller(w.patient);
    w.c.appeal(denied, [1; 32]).unwrap();
    // Reinstated, it is paid.
    stubs::set_roles(PARTICIPANTS, w.provider, &[Role::Provider]);
    as_caller(w.stranger);
    assert_eq!(w.c.settle(w.plan), Ok(220));
    books(&w);
}

#[ink::test]
fn the_payer_admits_and_removes_network_providers() {
    let mut w = world();
    let newcomer = addr(0x66);
    stubs::set_roles(PARTICIPANTS, newcomer, &[Role::Provider]);
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.admit_provider(w.plan, newcomer));
    refused(Error::NotPlanPayer, || w.c.remove_provider(w.plan, w.provider));
    as_caller(w.payer);
    refused(Error::PlanNotFound, || w.c.admit_provider(9, newcomer));
    refused(Error::AlreadyInNetwork, || w.c.admit_provider(w.plan, w.provider));
    refused(Error::NotInNetwork, || w.c.remove_provider(w.plan, newcomer));
    stubs::set_roles(PARTICIPANTS, w.payer, &[]);
    refused(Error::NotPayer, || w.c.admit_provider(w.plan, newcomer));
    refused(Error::NotPayer, || w.c.remove_provider(w.plan, w.provider));
    stubs::set_roles(PARTICIPANTS, w.payer, &[Role::Payer]);
    assert!(!w.c.in_network(w.plan, newcomer) && w.c.in_network(w.plan, w.provider));

    w.c.admit_provider(w.plan, newcomer).unwrap();
    let event = last_event::<ProviderAdmitted>();
    assert_eq!((event.plan, event.payer, event.provider), (w.plan, w.payer, newcomer));
    assert!(w.c.in_network(w.plan, newcomer));
    w.c.remove_provider(w.plan, newcomer).unwrap();
    let event = last_event::<ProviderRemoved>();
    assert_eq!((event.plan, event.payer, event.provider), (w.plan, w.payer, newcomer));
    assert!(!w.c.in_network(w.plan, newcomer));
}

#[ink::test]
fn a_provider_outside_the_network_is_denied_242_never_paid() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    let outsider = addr(0x66);
    stubs::set_roles(PARTICIPANTS, outsider, &[Role::Provider]);
    let provider_before = balance(outsider);
    as_caller(outsider);
    let id = w.c.submit(w.patient, w.plan, DOS, vec![line(100, 4, 800)], vec![], DETAIL).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.reason, claim.benefit, claim.paid), (Outcome::Denied, Some(242), 0, 0));
    assert_eq!(claim.lines[0].adjustments, vec![Adjustment { group: Group::ContractualObligation, code: 242 }]);
    assert_eq!(balance(outsider), provider_before);
    assert_eq!(w.c.accumulators(w.plan, w.patient, YEAR), Accumulators::default());
    // Admitted, the same claim is paid (a claim denied at claim level is no duplicate).
    as_caller(w.payer);
    w.c.admit_provider(w.plan, outsider).unwrap();
    as_caller(outsider);
    let id = w.c.submit(w.patient, w.plan, DOS, vec![line(100, 4, 800)], vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().paid, 220);
    // Removed again: denied again.
    as_caller(w.payer);
    w.c.remove_provider(w.plan, outsider).unwrap();
    as_caller(outsider);
    let id = w.c.submit(w.patient, w.plan, DOS - DAY, vec![line(100, 1, 200)], vec![], DETAIL).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, Some(242));
    books(&w);
}

#[ink::test]
fn a_prior_authorization_is_its_providers_no_other_consumes_or_squats_it() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    // The other provider asks first: that does not block the provider's own request (no squatting).
    as_caller(w.other_provider);
    let theirs = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    as_caller(w.provider);
    let mine = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    refused(Error::PriorAuthOpen(mine), || w.c.request_prior_auth(w.patient, w.plan, 200, 2));
    as_caller(w.payer);
    w.c.decide_prior_auth(mine, Some(VALID)).unwrap();
    let event = last_event::<PriorAuthDecided>();
    assert_eq!((event.auth, event.approved, event.valid_until), (mine, true, Some(VALID)));
    // The other provider's claim cannot consume it: its own request is undecided (197).
    as_caller(w.other_provider);
    let id = w.c.submit(w.patient, w.plan, DOS, vec![line(200, 1, 1_000)], vec![], DETAIL).unwrap();
    assert_eq!(codes(&w.c.claim(id).unwrap()), vec![vec![197]]);
    assert_eq!(w.c.prior_auth(mine).unwrap().status, AuthStatus::Approved);
    assert_eq!(w.c.prior_auth(theirs).unwrap().status, AuthStatus::Requested);
    // The provider's claim does.
    let id = submit(&mut w, DOS, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().lines[0].prior_auth, Some(mine));
    assert_eq!(w.c.prior_auth(mine).unwrap().status, AuthStatus::Used(id));
}

#[ink::test]
fn a_prior_authorization_expires_and_is_approved_only_into_the_future() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    as_caller(w.provider);
    let auth = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    as_caller(w.payer);
    refused(Error::InvalidPeriod, || w.c.decide_prior_auth(auth, Some(NOW)));
    // Valid for dates of service before tomorrow: two days later, a claim for tomorrow finds it expired (197) and
    // does not consume it; a claim for today does.
    w.c.decide_prior_auth(auth, Some(NOW + DAY)).unwrap();
    at(NOW + 2 * DAY);
    let id = submit(&mut w, NOW + DAY, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(codes(&w.c.claim(id).unwrap()), vec![vec![197]]);
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Approved);
    let id = submit(&mut w, NOW, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().lines[0].prior_auth, Some(auth));
}

#[ink::test]
fn the_payer_revokes_an_open_prior_authorization() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    as_caller(w.provider);
    let auth = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    as_caller(w.payer);
    w.c.decide_prior_auth(auth, Some(VALID)).unwrap();
    let before = w.c.prior_auth(auth);
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.revoke_prior_auth(auth));
    as_caller(w.payer);
    refused(Error::PriorAuthNotFound, || w.c.revoke_prior_auth(9));
    stubs::set_roles(PARTICIPANTS, w.payer, &[]);
    refused(Error::NotPayer, || w.c.revoke_prior_auth(auth));
    stubs::set_roles(PARTICIPANTS, w.payer, &[Role::Payer]);
    assert_eq!(w.c.prior_auth(auth), before);

    w.c.revoke_prior_auth(auth).unwrap();
    let event = last_event::<PriorAuthRevoked>();
    assert_eq!((event.auth, event.payer, event.provider), (auth, w.payer, w.provider));
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Revoked);
    refused(Error::PriorAuthNotOpen, || w.c.revoke_prior_auth(auth));
    refused(Error::PriorAuthAlreadyDecided, || w.c.decide_prior_auth(auth, Some(VALID)));
    // No claim consumes it; its provider may ask again.
    let id = submit(&mut w, DOS, vec![line(200, 1, 1_000)]).unwrap();
    assert_eq!(codes(&w.c.claim(id).unwrap()), vec![vec![197]]);
    as_caller(w.provider);
    assert_eq!(w.c.request_prior_auth(w.patient, w.plan, 200, 1), Ok(auth + 1));
}

#[ink::test]
fn a_pended_claim_does_not_consume_a_prior_authorization() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    as_caller(w.provider);
    let auth = w.c.request_prior_auth(w.patient, w.plan, 200, 1).unwrap();
    as_caller(w.payer);
    w.c.decide_prior_auth(auth, Some(VALID)).unwrap();
    // Line 0 is flagged (5 units above the limit of 4): the claim pends, the authorized line 1 consumes nothing.
    let id = submit(&mut w, DOS, vec![line(100, 5, 1_000), line(200, 1, 1_000)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.lines[1].prior_auth), (Outcome::Pended, None));
    assert_eq!(w.c.prior_auth(auth).unwrap().status, AuthStatus::Approved);
}

#[ink::test]
fn re_enrolling_keeps_the_earlier_period_so_its_dates_stay_covered() {
    let mut w = world();
    fund_plan(&mut w, 10_000);
    as_caller(w.payer);
    // Covered days 700..750, then again from day 780.
    w.c.end_enrolment(w.plan, w.patient, 750 * DAY).unwrap();
    w.c.enrol(w.plan, w.patient, 780 * DAY, None).unwrap();
    assert_eq!(
        w.c.enrolments(w.plan, w.patient),
        vec![Enrolment { from: 700 * DAY, until: Some(750 * DAY) }, Enrolment { from: 780 * DAY, until: None }]
    );
    assert_eq!(w.c.enrolment(w.plan, w.patient), Some(Enrolment { from: 780 * DAY, until: None }));
    // The regression: a date in the earlier period was denied 26 once the new period replaced it.
    let id = submit(&mut w, 740 * DAY, vec![line(100, 1, 200)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, None);
    // Between the periods: lapse in coverage (200, PR).
    let id = submit(&mut w, 760 * DAY, vec![line(100, 1, 200)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(
        (claim.reason, claim.lines[0].adjustments.clone()),
        (Some(200), vec![Adjustment { group: Group::PatientResponsibility, code: 200 }])
    );
    let id = submit(&mut w, DOS, vec![line(100, 1, 200)]).unwrap();
    assert_eq!(w.c.claim(id).unwrap().reason, None);
}

#[ink::test]
fn enrolment_periods_are_bounded_per_member() {
    let mut w = world();
    let member = addr(0x55);
    as_caller(w.payer);
    for n in 0..u64::from(MAX_ENROLMENTS) {
        w.c.enrol(w.plan, member, n * 10 * DAY, Some((n * 10 + 5) * DAY)).unwrap();
    }
    let before = w.c.enrolments(w.plan, member);
    refused(Error::TooManyEnrolments, || w.c.enrol(w.plan, member, 1_000 * DAY, None));
    assert_eq!(w.c.enrolments(w.plan, member), before);
    assert_eq!(before.len(), 8);
}

#[ink::test]
fn accumulators_reset_on_the_plans_benefit_year_start() {
    let mut w = world();
    as_caller(w.payer);
    refused(Error::InvalidYearStart, || {
        w.c.create_plan(PlanTerms { benefit_year_start: YearStart { month: 2, day: 29 }, ..terms() })
    });
    refused(Error::InvalidYearStart, || {
        w.c.create_plan(PlanTerms { benefit_year_start: YearStart { month: 13, day: 1 }, ..terms() })
    });
    // Benefit years start on March 1: 1972-02-29 (day 789) is in 1971's, 1972-03-01 (day 790) starts 1972's.
    let march = w.c.create_plan(PlanTerms { benefit_year_start: YearStart { month: 3, day: 1 }, ..terms() }).unwrap();
    w.c.set_benefit(march, 100, Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false })
        .unwrap();
    w.c.enrol(march, w.patient, 700 * DAY, None).unwrap();
    w.c.admit_provider(march, w.provider).unwrap();
    fund(&mut w, march, 10_000);
    as_caller(w.provider);
    let before = w.c.submit(w.patient, march, 789 * DAY, vec![line(100, 2, 400)], vec![], DETAIL).unwrap();
    let after = w.c.submit(w.patient, march, 790 * DAY, vec![line(100, 2, 400)], vec![], DETAIL).unwrap();
    // Both pay a fresh deductible: the second is in a new benefit year.
    for id in [before, after] {
        assert_eq!(w.c.claim(id).unwrap().lines[0].deductible, 400);
    }
    assert_eq!(w.c.accumulators(march, w.patient, 1971).deductible_met, 400);
    assert_eq!(w.c.accumulators(march, w.patient, 1972).deductible_met, 400);
}

// ---- settlement that can be stopped ----

/// A second plan of the payer, like the first but paying claims 3 days after their decision (settlement delay)
/// and reversible for 30 days after payment; the patient enrolled, the providers in its network, 10 000 funded.
fn delayed_plan(w: &mut World) -> PlanId {
    as_caller(w.payer);
    let plan =
        w.c.create_plan(PlanTerms { settlement_delay_ms: 3 * DAY, reversal_window_ms: 30 * DAY, ..terms() }).unwrap();
    w.c.set_benefit(plan, 100, Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false })
        .unwrap();
    w.c.enrol(plan, w.patient, 700 * DAY, None).unwrap();
    w.c.admit_provider(plan, w.provider).unwrap();
    w.c.admit_provider(plan, w.other_provider).unwrap();
    fund(w, plan, 10_000);
    plan
}

fn submit_to(w: &mut World, plan: PlanId, provider: AccountId, date: Timestamp, lines: Vec<ClaimLine>) -> ClaimId {
    as_caller(provider);
    let id = w.c.submit(w.patient, plan, date, lines, vec![], DETAIL).unwrap();
    books(w);
    id
}

#[ink::test]
fn an_approved_claim_is_paid_after_the_settlement_delay_in_submission_order() {
    let mut w = world();
    let plan = delayed_plan(&mut w);
    let (provider, other) = (w.provider, w.other_provider);
    // Benefit 220 (deductible 500, copay 25, 20 % of 275 = 55), then 140 (copay 25, 20 % of 175 = 35).
    let first = submit_to(&mut w, plan, provider, DOS, vec![line(100, 4, 800)]);
    let second = submit_to(&mut w, plan, other, DOS, vec![line(100, 1, 200)]);
    let claim = w.c.claim(first).unwrap();
    assert_eq!((claim.benefit, claim.paid, claim.payable_at), (220, 0, NOW + 3 * DAY));
    assert_eq!(last_of::<ClaimSubmitted>().paid, 0, "never paid at once under a settlement delay");
    // Owed amounts stay reserved: nothing beyond the free funds may be withdrawn.
    as_caller(w.payer);
    refused(Error::InsufficientFreeFunds, || w.c.withdraw(plan, 10_000 - 360 + 1));

    as_caller(w.stranger);
    refused(Error::NotYetPayable, || w.c.settle(plan));
    at(NOW + 3 * DAY);
    let (before_first, before_other) = (balance(provider), balance(other));
    assert_eq!(w.c.settle(plan), Ok(220));
    assert_eq!(last_event::<ClaimPaid>().claim, first);
    assert_eq!(w.c.settle(plan), Ok(140));
    assert_eq!(last_event::<ClaimPaid>().claim, second);
    assert_eq!((balance(provider), balance(other)), (before_first + 220, before_other + 140));
    refused(Error::NothingOwed, || w.c.settle(plan));
    books(&w);
}

#[ink::test]
fn the_payer_pays_at_once_or_voids_with_a_reason_during_the_delay() {
    let mut w = world();
    let plan = delayed_plan(&mut w);
    let provider = w.provider;
    let first = submit_to(&mut w, plan, provider, DOS, vec![line(100, 4, 800)]);
    let second = submit_to(&mut w, plan, provider, DOS - DAY, vec![line(100, 1, 200)]);
    assert_eq!(w.c.accumulators(plan, w.patient, YEAR).out_of_pocket, 580 + 60);

    // The payer pays the second at once, ahead of the queue.
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.pay_now(second));
    as_caller(w.payer);
    let before = balance(provider);
    assert_eq!(w.c.pay_now(second), Ok(140));
    assert_eq!(balance(provider), before + 140);
    refused(Error::NothingOwed, || w.c.pay_now(second));

    // And voids the first with a reason before it is paid.
    let claim_before = w.c.claim(first).unwrap();
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.void_payment(first, 50));
    as_caller(w.payer);
    refused(Error::InvalidReasonCode, || w.c.void_payment(first, 45));
    refused(Error::ClaimAlreadyPaid, || w.c.void_payment(second, 50));
    refused(Error::ClaimNotFound, || w.c.void_payment(99, 50));
    stubs::set_roles(PARTICIPANTS, w.payer, &[]);
    refused(Error::NotPayer, || w.c.void_payment(first, 50));
    stubs::set_roles(PARTICIPANTS, w.payer, &[Role::Payer]);
    assert_eq!(w.c.claim(first).unwrap(), claim_before);

    w.c.void_payment(first, 50).unwrap();
    let event = last_event::<PaymentVoided>();
    assert_eq!((event.claim, event.payer, event.reason, event.released), (first, w.payer, 50, 220));
    let claim = w.c.claim(first).unwrap();
    assert_eq!((claim.outcome, claim.reason, claim.benefit), (Outcome::Denied, Some(50), 0));
    assert_eq!(codes(&claim), vec![vec![50]]);
    assert_eq!(w.c.escrow(plan).owed, 0);
    assert_eq!(w.c.accumulators(plan, w.patient, YEAR).out_of_pocket, 60, "the voided claim's share is undone");
    refused(Error::NothingOwed, || w.c.void_payment(first, 50));
    // The queue passes over both (one paid, one voided).
    at(NOW + 3 * DAY);
    as_caller(w.stranger);
    w.c.settle(plan).unwrap();
    let event = last_event::<QueueAdvanced>();
    assert_eq!((event.plan, event.passed), (plan, 2));
    refused(Error::NothingOwed, || w.c.settle(plan));
    // The provider may still appeal the voided claim.
    as_caller(w.provider);
    w.c.appeal(first, [1; 32]).unwrap();
    books(&w);
}

#[ink::test]
fn the_patient_disputes_a_claim_within_the_delay_and_it_pends_for_review() {
    let mut w = world();
    let plan = delayed_plan(&mut w);
    let provider = w.provider;
    let id = submit_to(&mut w, plan, provider, DOS, vec![line(100, 4, 800)]);
    as_caller(w.provider);
    refused(Error::NotClaimPatient, || w.c.dispute(id));
    as_caller(w.patient);
    refused(Error::ClaimNotFound, || w.c.dispute(99));
    w.c.dispute(id).unwrap();
    let event = last_event::<ClaimDisputed>();
    assert_eq!((event.claim, event.patient, event.payer, event.released), (id, w.patient, w.payer, 220));
    let claim = w.c.claim(id).unwrap();
    assert_eq!((claim.outcome, claim.benefit, claim.disputed), (Outcome::Pended, 0, true));
    assert_eq!((w.c.escrow(plan).owed, w.c.accumulators(plan, w.patient, YEAR)), (0, Accumulators::default()));
    refused(Error::AlreadyDisputed, || w.c.dispute(id));
    at(NOW + 3 * DAY);
    as_caller(w.stranger);
    w.c.settle(plan).unwrap();
    assert_eq!(last_event::<QueueAdvanced>().passed, 1, "a disputed claim is not paid");
    // The payer reviews it: approved again, it is owed after a new delay and queued again.
    as_caller(w.payer);
    w.c.review(id, vec![LineDecision::Approve(200)]).unwrap();
    let claim = w.c.claim(id).unwrap();
    assert_eq!(
        (claim.outcome, claim.benefit, claim.paid, claim.payable_at),
        (Outcome::Approved, 200, 0, NOW + 6 * DAY)
    );
    as_caller(w.stranger);
    refused(Error::NotYetPayable, || w.c.settle(plan));
    at(NOW + 6 * DAY);
    assert_eq!(w.c.settle(plan), Ok(200));
    // Once the delay is over, a claim can no longer be disputed.
    let late = submit_to(&mut w, plan, provider, DOS - DAY, vec![line(100, 4, 800)]);
    assert_eq!(w.c.claim(late).unwrap().benefit, 220);
    at(NOW + 9 * DAY);
    as_caller(w.patient);
    refused(Error::SettlementDelayOver, || w.c.dispute(late));
    books(&w);
}

#[ink::test]
fn a_reversed_claim_is_recouped_from_the_providers_next_payments() {
    let mut w = world();
    let plan = delayed_plan(&mut w);
    let provider = w.provider;
    let paid = submit_to(&mut w, plan, provider, DOS, vec![line(100, 4, 800)]);
    as_caller(w.payer);
    refused(Error::NotPaid, || w.c.reverse(paid, 16));
    w.c.pay_now(paid).unwrap();
    let claim_before = w.c.claim(paid).unwrap();
    as_caller(w.stranger);
    refused(Error::NotPlanPayer, || w.c.reverse(paid, 16));
    as_caller(w.payer);
    refused(Error::InvalidReasonCode, || w.c.reverse(paid, 2));
    stubs::set_roles(PARTICIPANTS, w.payer, &[]);
    refused(Error::NotPayer, || w.c.reverse(paid, 16));
    stubs::set_roles(PARTICIPANTS, w.payer, &[Role::Payer]);
    at(NOW + 30 * DAY);
    refused(Error::ReversalWindowClosed, || w.c.reverse(paid, 16));
    assert_eq!(w.c.claim(paid).unwrap(), claim_before);

    at(NOW + 30 * DAY - 1);
    w.c.reverse(paid, 16).unwrap();
    let event = last_event::<ClaimReversed>();
    assert_eq!((event.claim, event.provider, event.reason, event.recoupment), (paid, provider, 16, 220));
    let claim = w.c.claim(paid).unwrap();
    assert_eq!(
        (claim.outcome, claim.reason, claim.reversed, claim.benefit, claim.paid),
        (Outcome::Denied, Some(16), true, 220, 220)
    );
    assert_eq!(w.c.recoupment(plan, provider), 220);
    refused(Error::AlreadyReversed, || w.c.reverse(paid, 16));
    assert_eq!(w.c.accumulators(plan, w.patient, YEAR), Accumulators::default());

    // The provider's next payments from the plan net it off: 500 + 25 + 55 -> 220 netted whole (nothing moves),
    // then the rest of the recoupment is gone and the next is transferred.
    let next = submit_to(&mut w, plan, provider, DOS - DAY, vec![line(100, 4, 800)]);
    let after = submit_to(&mut w, plan, provider, DOS - 2 * DAY, vec![line(100, 2, 400)]);
    at(NOW + 40 * DAY);
    as_caller(w.stranger);
    let before = balance(provider);
    assert_eq!(w.c.settle(plan), Ok(220));
    let event = last_event::<ClaimPaid>();
    assert_eq!((event.claim, event.amount, event.recouped), (next, 220, 220));
    assert_eq!((balance(provider), w.c.recoupment(plan, provider)), (before, 0));
    assert_eq!(w.c.settle(plan), Ok(w.c.claim(after).unwrap().benefit));
    assert_eq!(last_event::<ClaimPaid>().recouped, 0);
    assert_eq!(balance(provider), before + w.c.claim(after).unwrap().benefit);
    let escrow = w.c.escrow(plan);
    assert_eq!((escrow.recouped, escrow.recoupable), (220, 0));
    books(&w);
}
