//! Scaling with stored data: for each kind of entry (credentials, consents, records, disclosures, claims, custody
//! units) the key messages are dry-run after populating `small` entries and again after `large`, in the same local
//! state (the probes are dry runs only, so the first measurement does not change what the second sees). Each kind
//! gets fresh accounts, so "entries" counts that kind only (plus the few the per-message run made).
//!
//! Population takes the cheapest path: one transaction per entry without a dry run each ([`Bench::fill`]), by the
//! party that needs no other contract where the message allows it (the patient registers its own records and opens
//! its own record), and 100 serials per `custody.commission`.

use core::fmt::Debug;
use std::time::{Duration, Instant};

use healthchain_tests::{account, Backend, Env, FAR_FUTURE, NPI};
use ink::primitives::AccountId;
use ink_e2e::{ContractsBackend, Keypair};
use interfaces::{
    Action, ActionSet, ConsentCheck as _, DataClass, DataClassSet, Participants as _, Purpose, PurposeSet, Role,
};

use claims::claims::{Benefit, ClaimLine, PlanTerms};
use consent::consent::{Grantee, Provision};

use crate::measure::{Bench, Cost, Kind, Label};
use crate::messages::{custody::EXPIRY, custody::GTIN, Ctx};

/// What a population account is funded with (its storage deposits on a node).
const FUNDS: u128 = 100_000_000_000_000_000;
/// At most this many serials per `commission` (the contract's `MAX_PER_CALL`).
const SERIALS_PER_CALL: u64 = 100;

/// One message measured at both sizes.
pub struct Scale {
    /// The kind of entry populated.
    pub dimension: &'static str,
    pub label: Label,
    pub small: Cost,
    pub large: Cost,
}

impl Scale {
    pub fn ratio_ref_time(&self) -> f64 {
        ratio(self.large.ref_time, self.small.ref_time)
    }

    pub fn ratio_proof_size(&self) -> f64 {
        ratio(self.large.proof_size, self.small.proof_size)
    }
}

pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        if a == 0 {
            1.0
        } else {
            f64::INFINITY
        }
    } else {
        a as f64 / b as f64
    }
}

/// Wall time of the scaling phases, summed over the kinds of entry.
#[derive(Default)]
pub struct Timings {
    pub populate_small: Duration,
    pub populate_large: Duration,
    pub probes: Duration,
}

/// The accounts population entries are made for (grantees, credential holders): never signers.
fn synthetic(tag: u8, i: u64) -> AccountId {
    let mut bytes = [tag; 32];
    bytes[..8].copy_from_slice(&i.to_le_bytes());
    AccountId::from(bytes)
}

fn pair(dimension: &'static str, small: Vec<(Label, Cost)>, large: Vec<(Label, Cost)>) -> Vec<Scale> {
    small.into_iter().zip(large).map(|((label, small), (_, large))| Scale { dimension, label, small, large }).collect()
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64) -> (Vec<Scale>, Timings)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let mut timings = Timings::default();
    let mut all = Vec::new();
    all.extend(credentials(b, ctx, small, large, &mut timings).await);
    all.extend(consents(b, ctx, small, large, &mut timings).await);
    all.extend(records(b, ctx, small, large, &mut timings).await);
    all.extend(disclosures(b, ctx, small, large, &mut timings).await);
    all.extend(claims(b, ctx, small, large, &mut timings).await);
    all.extend(units(b, ctx, small, large, &mut timings).await);
    (all, timings)
}

/// Runs `$body`, adding its wall time to `$slot`.
macro_rules! timed {
    ($slot:expr, $body:expr) => {{
        let start = Instant::now();
        let result = $body;
        $slot += start.elapsed();
        result
    }};
}

/// Makes sure `who` holds at least `need` (for storage deposits), topping it up from the admin. On a node //One and
/// //Two (the manufacturer and the distributor) hold only what the cast gave them, and commissioning thousands of
/// units pays a deposit for each; on the sandbox deposits are 1 per byte and this does nothing.
async fn ensure_funds<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, who: AccountId, need: u128)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    use ink_e2e::subxt::dynamic::Value;
    let held = healthchain_tests::balance(b.client, who).await;
    if held >= need {
        return;
    }
    let to = Value::unnamed_variant("Id", [Value::from_bytes(who)]);
    b.client
        .runtime_call(&ctx.cast.admin, "Balances", "transfer_allow_death", vec![to, Value::u128(need - held)])
        .await
        .unwrap_or_else(|e| panic!("could not give {who:?} the {need} its population needs: {e:?}"));
}

async fn fresh_patient<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) -> Keypair
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    b.client.create_and_fund_account(&ctx.cast.admin, FUNDS).await
}

// ---- participants: credentials ----

async fn credentials<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: credentials (participants)");
    let (suite, board) = (ctx.suite, &ctx.cast.board);
    let attest = |i| suite.participants().attest(synthetic(0xC1, i), Role::Payer, [9; 32], None, 0, FAR_FUTURE);
    timed!(t.populate_small, b.fill("attest", board, 0..small, attest).await);
    let at_small = timed!(t.probes, probe_credentials(b, ctx).await);
    timed!(t.populate_large, b.fill("attest", board, small..large, attest).await);
    let at_large = timed!(t.probes, probe_credentials(b, ctx).await);
    let last = suite.participants().has_role(synthetic(0xC1, large - 1), Role::Payer);
    assert!(b.query(&last).await, "population: the last credential is held");
    pair("credentials", at_small, at_large)
}

async fn probe_credentials<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (p, doctor) = (|| ctx.suite.participants(), account(&ctx.cast.doctor));
    let mut out = Vec::new();
    let l = Label::new("participants", "attest", "a new provider, with NPI check", Kind::Single);
    let attest = p().attest(synthetic(0xC2, 0), Role::Provider, [9; 32], Some(NPI), 0, FAR_FUTURE);
    out.push((l.clone(), b.probe(&l, &ctx.cast.board, &attest).await));
    let l = Label::new("participants", "has_role", "an active provider", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &p().has_role(doctor, Role::Provider)).await));
    let l = Label::new("participants", "roles_of", "an active provider", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &p().roles_of(doctor)).await));
    let l = Label::new("participants", "credentials_of", "one credential held", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &p().credentials_of(doctor)).await));
    out
}

// ---- consent: consents of one patient ----

async fn consents<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: consents of one patient (consent)");
    let suite = ctx.suite;
    let patient_keys = fresh_patient(b, ctx).await;
    let patient = account(&patient_keys);
    let read_write = ActionSet::of(Action::Read).with(Action::Write);
    let to_doctor = suite.consent().grant(
        patient,
        Grantee::Account(account(&ctx.cast.doctor)),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL,
        read_write,
        0,
        None,
        [8; 32],
    );
    let doctor_consent = b.run(&patient_keys, &to_doctor).await;
    let grant = |i| {
        suite.consent().grant(
            patient,
            Grantee::Account(synthetic(0xC3, i)),
            Provision::Permit,
            PurposeSet::of(Purpose::Treatment),
            DataClassSet::GENERAL,
            ActionSet::of(Action::Read),
            0,
            None,
            [8; 32],
        )
    };
    timed!(t.populate_small, b.fill("grant", &patient_keys, 0..small, grant).await);
    let at_small = timed!(t.probes, probe_consents(b, ctx, &patient_keys, doctor_consent).await);
    timed!(t.populate_large, b.fill("grant", &patient_keys, small..large, grant).await);
    let at_large = timed!(t.probes, probe_consents(b, ctx, &patient_keys, doctor_consent).await);
    // Ids are global, and only this patient was granted consents since the doctor's.
    let newest = b.query(&suite.consent().consents_of(patient, None, 1)).await;
    let newest = newest.items.first().map(|consent| consent.id);
    assert_eq!(newest, Some(doctor_consent + large), "population: the patient holds {} consents", large + 1);
    pair("consents", at_small, at_large)
}

async fn probe_consents<C: Backend>(
    b: &mut Bench<'_, C>,
    ctx: &Ctx,
    patient_keys: &Keypair,
    doctor_consent: u64,
) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (c, patient, doctor) = (|| ctx.suite.consent(), account(patient_keys), account(&ctx.cast.doctor));
    let mut out = Vec::new();
    let l = Label::new("consent", "grant", "to a new account", Kind::Single);
    let grant = c().grant(
        patient,
        Grantee::Account(synthetic(0xC4, 0)),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read),
        0,
        None,
        [8; 32],
    );
    out.push((l.clone(), b.probe(&l, patient_keys, &grant).await));
    let l = Label::new("consent", "check", "account consent, no role consents", Kind::Single);
    let check = c().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Read);
    out.push((l.clone(), b.probe(&l, &ctx.cast.admin, &check).await));
    let l = Label::new("consent", "consents_of", "a page of 10", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &c().consents_of(patient, None, 10)).await));
    let l = Label::new("consent", "revoke", "an account consent", Kind::Single);
    out.push((l.clone(), b.probe(&l, patient_keys, &c().revoke(doctor_consent)).await));
    out
}

// ---- records: records of one patient ----

async fn records<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: records of one patient (records)");
    let suite = ctx.suite;
    let patient_keys = fresh_patient(b, ctx).await;
    let patient = account(&patient_keys);
    let to_doctor = suite.consent().grant(
        patient,
        Grantee::Account(account(&ctx.cast.doctor)),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read).with(Action::Write),
        0,
        None,
        [8; 32],
    );
    b.run(&patient_keys, &to_doctor).await;
    let by_doctor = suite.records().register(patient, DataClass::Encounters, [0xE2; 32], b"ipfs://note".to_vec(), None);
    let record = b.run(&ctx.cast.doctor, &by_doctor).await;
    let register =
        |_| suite.records().register(patient, DataClass::Labs, [0x33; 32], b"ipfs://lab-result".to_vec(), None);
    timed!(t.populate_small, b.fill("register", &patient_keys, 0..small, register).await);
    let at_small = timed!(t.probes, probe_records(b, ctx, &patient_keys, record).await);
    timed!(t.populate_large, b.fill("register", &patient_keys, small..large, register).await);
    let at_large = timed!(t.probes, probe_records(b, ctx, &patient_keys, record).await);
    let count = b.query(&suite.records().records_of(patient, None, 0)).await.len;
    assert_eq!(count, large + 1, "population: the patient's records");
    pair("records", at_small, at_large)
}

async fn probe_records<C: Backend>(
    b: &mut Bench<'_, C>,
    ctx: &Ctx,
    patient_keys: &Keypair,
    record: u64,
) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (r, patient) = (|| ctx.suite.records(), account(patient_keys));
    let mut out = Vec::new();
    let register = r().register(patient, DataClass::Encounters, [0xE3; 32], b"ipfs://note".to_vec(), None);
    let l = Label::new("records", "register", "by a provider: consent check", Kind::Cross);
    out.push((l.clone(), b.probe(&l, &ctx.cast.doctor, &register).await));
    let register = r().register(patient, DataClass::Labs, [0x34; 32], b"ipfs://lab-result".to_vec(), None);
    let l = Label::new("records", "register", "by the patient", Kind::Single);
    out.push((l.clone(), b.probe(&l, patient_keys, &register).await));
    let l = Label::new("records", "open", "by the author: has_role", Kind::Cross);
    out.push((l.clone(), b.probe(&l, &ctx.cast.doctor, &r().open(record, Purpose::Treatment)).await));
    let l = Label::new("records", "verify", "a current record", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &r().verify(record, [0xE2; 32])).await));
    let l = Label::new("records", "records_of", "a page of 10", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &r().records_of(patient, None, 10)).await));
    out
}

// ---- records: disclosures of one patient's record ----

async fn disclosures<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: disclosures of one record (records)");
    let suite = ctx.suite;
    let patient_keys = fresh_patient(b, ctx).await;
    let patient = account(&patient_keys);
    let register = suite.records().register(patient, DataClass::Labs, [0x35; 32], b"ipfs://lab-result".to_vec(), None);
    let record = b.run(&patient_keys, &register).await;
    let to_doctor = suite.consent().grant(
        patient,
        Grantee::Account(account(&ctx.cast.doctor)),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read),
        0,
        None,
        [8; 32],
    );
    b.run(&patient_keys, &to_doctor).await;
    let open = |_| suite.records().open(record, Purpose::Treatment);
    timed!(t.populate_small, b.fill("open", &patient_keys, 0..small, open).await);
    let at_small = timed!(t.probes, probe_disclosures(b, ctx, &patient_keys, record).await);
    timed!(t.populate_large, b.fill("open", &patient_keys, small..large, open).await);
    let at_large = timed!(t.probes, probe_disclosures(b, ctx, &patient_keys, record).await);
    let count = b.query(&suite.records().disclosures(patient, 0, 0)).await.len;
    assert_eq!(count, large, "population: the patient's disclosure log");
    pair("disclosures", at_small, at_large)
}

async fn probe_disclosures<C: Backend>(
    b: &mut Bench<'_, C>,
    ctx: &Ctx,
    patient_keys: &Keypair,
    record: u64,
) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (r, patient) = (|| ctx.suite.records(), account(patient_keys));
    let mut out = Vec::new();
    let l = Label::new("records", "open", "by a consented provider: consent check", Kind::Cross);
    out.push((l.clone(), b.probe(&l, &ctx.cast.doctor, &r().open(record, Purpose::Treatment)).await));
    let l = Label::new("records", "open", "by the patient", Kind::Single);
    out.push((l.clone(), b.probe(&l, patient_keys, &r().open(record, Purpose::Treatment)).await));
    let l = Label::new("records", "disclosures", "a page of 10", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &r().disclosures(patient, 0, 10)).await));
    out
}

// ---- claims: claims of one patient and provider ----

async fn claims<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: claims of one patient and provider (claims)");
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let patient_keys = fresh_patient(b, ctx).await;
    let patient = account(&patient_keys);
    let terms = PlanTerms {
        deductible: 0,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 100_000,
        timely_filing_ms: 365 * 86_400_000,
        appeal_window_ms: 30 * 86_400_000,
    };
    let plan = b.run(&cast.payer, &suite.claims().create_plan(terms)).await;
    let visit = Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false };
    b.run(&cast.payer, &suite.claims().set_benefit(plan, 99213, visit)).await;
    b.run(&cast.payer, &suite.claims().enrol(plan, patient, 0, None)).await;
    b.run_paying(&cast.payer, &suite.claims().fund(plan), 1_000_000).await;
    let to_payer = suite.consent().grant(
        patient,
        Grantee::Account(account(&cast.payer)),
        Provision::Permit,
        PurposeSet::of(Purpose::Payment),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read),
        0,
        None,
        [8; 32],
    );
    b.run(&patient_keys, &to_payer).await;
    let register = suite.records().register(patient, DataClass::Labs, [0x36; 32], b"ipfs://lab-result".to_vec(), None);
    let evidence = b.run(&patient_keys, &register).await;
    // Population: claims for a service the plan does not cover (denied with CARC 96 at once, nothing paid), each
    // different (its charge), so that none is a duplicate.
    let today = ctx.today;
    let submit = |i: u64| {
        let line = ClaimLine { service_code: 11111, diagnosis_code: 1, units: 1, charge: 100 + u128::from(i) };
        suite.claims().submit(patient, plan, today, vec![line], vec![])
    };
    timed!(t.populate_small, b.fill("submit", &cast.doctor, 0..small, submit).await);
    let at_small = timed!(t.probes, probe_claims(b, ctx, patient, plan, evidence).await);
    timed!(t.populate_large, b.fill("submit", &cast.doctor, small..large, submit).await);
    let at_large = timed!(t.probes, probe_claims(b, ctx, patient, plan, evidence).await);
    // The patient is fresh and its claims were submitted one after another: ids newest - (large - 1) ..= newest.
    let newest = b.query(&suite.claims().claims_by_patient(patient, None, 1)).await.items;
    let first = newest.first().map(|id| id - (large - 1)).expect("population: the patient has claims");
    let oldest = b.query(&suite.claims().claims_by_patient(patient, Some(first), 10)).await;
    assert_eq!((oldest.items, oldest.next), (vec![first], None), "population: the patient's {large} claims");
    pair("claims", at_small, at_large)
}

async fn probe_claims<C: Backend>(
    b: &mut Bench<'_, C>,
    ctx: &Ctx,
    patient: AccountId,
    plan: u64,
    evidence: u64,
) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (c, doctor) = (|| ctx.suite.claims(), account(&ctx.cast.doctor));
    let mut out = Vec::new();
    let line = ClaimLine { service_code: 99213, diagnosis_code: 4019, units: 1, charge: 300 };
    let submit = c().submit(patient, plan, ctx.today, vec![line], vec![evidence]);
    let l = Label::new("claims", "submit", "1 line, 1 evidence record: approved and paid", Kind::Cross);
    out.push((l.clone(), b.probe(&l, &ctx.cast.doctor, &submit).await));
    let first = b.query(&c().claims_by_patient(patient, None, 1)).await.items[0];
    let l = Label::new("claims", "claim", "one line", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &c().claim(first)).await));
    let l = Label::new("claims", "claims_by_patient", "a page of 10", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &c().claims_by_patient(patient, None, 10)).await));
    let l = Label::new("claims", "claims_by_provider", "a page of 10", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &c().claims_by_provider(doctor, None, 10)).await));
    out
}

// ---- custody: units ----

async fn units<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64, t: &mut Timings) -> Vec<Scale>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    println!("scaling: custody units (custody)");
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let c = || suite.custody();
    let (manufacturer, distributor, pharmacy) = (&cast.manufacturer, &cast.distributor, &cast.pharmacy);
    let batch = b.run(manufacturer, &c().create_batch(GTIN.into(), "LOT-S".into(), EXPIRY)).await;
    let probes: Vec<String> = ["SC-A", "SC-B", "SC-C"].iter().map(|s| s.to_string()).collect();
    let (ua, _) = b.run(manufacturer, &c().commission(batch, probes)).await;
    let (ub, uc) = (ua + 1, ua + 2);
    b.run(manufacturer, &c().ship(vec![ub, uc], account(distributor))).await;
    b.run(distributor, &c().receive(vec![uc])).await;
    b.run(distributor, &c().ship(vec![uc], account(pharmacy))).await;
    b.run(pharmacy, &c().receive(vec![uc])).await;
    let state = UnitProbes { batch, active: ua, in_transit: ub, at_pharmacy: uc };

    let chunks = |from: u64, to: u64| -> Vec<(u64, u64)> {
        (from..to).step_by(SERIALS_PER_CALL as usize).map(|start| (start, (start + SERIALS_PER_CALL).min(to))).collect()
    };
    let commission =
        |(start, end): (u64, u64)| c().commission(batch, (start..end).map(|i| format!("SU{i:07}")).collect());
    let small_chunks = chunks(0, small);
    let fill_small = |k: u64| commission(small_chunks[k as usize]);
    timed!(t.populate_small, b.fill("commission", manufacturer, 0..small_chunks.len() as u64, fill_small).await);
    let at_small = timed!(t.probes, probe_units(b, ctx, &state).await);
    // The deposit of one unit (the 1-serial commission probe), twice over, for every unit to come.
    let per_unit = u128::try_from(at_small[0].1.deposit.max(1)).unwrap_or(1);
    ensure_funds(b, ctx, account(manufacturer), per_unit * 2 * u128::from(large - small)).await;
    let large_chunks = chunks(small, large);
    let fill_large = |k: u64| commission(large_chunks[k as usize]);
    timed!(
        t.populate_large,
        b.fill("commission (100 serials a call)", manufacturer, 0..large_chunks.len() as u64, fill_large).await
    );
    let at_large = timed!(t.probes, probe_units(b, ctx, &state).await);
    let last = b.query(&c().unit_id(GTIN.into(), format!("SU{:07}", large - 1))).await;
    assert!(last.is_some(), "population: the last unit exists");
    pair("custody units", at_small, at_large)
}

struct UnitProbes {
    batch: u64,
    active: u64,
    in_transit: u64,
    at_pharmacy: u64,
}

async fn probe_units<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, s: &UnitProbes) -> Vec<(Label, Cost)>
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (c, cast) = (|| ctx.suite.custody(), &ctx.cast);
    let mut out = Vec::new();
    let l = Label::new("custody", "commission", "1 serial: has_role", Kind::Cross);
    out.push((l.clone(), b.probe(&l, &cast.manufacturer, &c().commission(s.batch, vec!["SC-NEW".into()])).await));
    let l = Label::new("custody", "ship", "1 unit, manufacturer to distributor: roles_of x2", Kind::Cross);
    let ship = c().ship(vec![s.active], account(&cast.distributor));
    out.push((l.clone(), b.probe(&l, &cast.manufacturer, &ship).await));
    let l = Label::new("custody", "receive", "1 unit, by the recipient", Kind::Single);
    out.push((l.clone(), b.probe(&l, &cast.distributor, &c().receive(vec![s.in_transit])).await));
    let l = Label::new("custody", "dispense", "no prescription: has_role", Kind::Cross);
    let dispense = c().dispense(s.at_pharmacy, account(&cast.patient), None);
    out.push((l.clone(), b.probe(&l, &cast.pharmacy, &dispense).await));
    let l = Label::new("custody", "verify", "an authentic unit", Kind::Single);
    let verify = c().verify(GTIN.into(), "SC-A".into(), "LOT-S".into(), EXPIRY);
    out.push((l.clone(), b.probe_read(&l, &verify).await));
    let l = Label::new("custody", "trail", "a page of 10 (5 entries)", Kind::Single);
    out.push((l.clone(), b.probe_read(&l, &c().trail(s.at_pharmacy, 0, 10)).await));
    out
}
