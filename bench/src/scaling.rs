//! Scaling with stored data: for each kind of entry (credentials, consents, records, disclosures, claims, custody
//! units) the key messages are dry-run after populating `small` entries and again after `large`, in the same local
//! state (the probes are dry runs only, so the first measurement does not change what the second sees). Each kind
//! gets fresh accounts, so "entries" counts that kind only (plus the few the per-message run made).
//!
//! Population takes the cheapest path: one transaction per entry without a dry run each ([`Bench::fill`]), by the
//! party that needs no other contract where the message allows it (the patient registers its own records and opens
//! its own record), and 100 serials per `custody.commission`.
//!
//! [`run`] is the one table of kinds; each names what it populates and how (a closure from entry numbers to a call)
//! and what it probes, and [`Scaler::scale`] drives every one the same way.

use std::{ops::Range, time::Instant};

use healthchain_tests::{account, npi_of, ok, pay, read, Backend, Message, FAR_FUTURE, GTIN};
use ink::primitives::AccountId;
use ink_e2e::Keypair;
use interfaces::{Action, ActionSet, ConsentCheck as _, DataClass, Grantee, Participants as _, Purpose, Role};

use claims::claims::ClaimLine;

use crate::measure::Bench;
use crate::messages::{claims::benefit, claims::terms, custody::expiry, permit, Ctx};
use crate::report::{Kind::*, Label, Scaling};

/// What a population account is funded with (its storage deposits on a node).
const FUNDS: u128 = 100_000_000_000_000_000;
/// At most this many serials per `custody.commission` (the contract's `MAX_PER_CALL`).
const SERIALS_PER_CALL: u64 = 100;

/// Every kind of entry, populated and probed in turn; returns the scaling rows and the seconds each phase took.
pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, small: u64, large: u64) -> (Vec<Scaling>, [f64; 3]) {
    let mut s = Scaler { b, small, large, seconds: [0.0; 3], rows: Vec::new() };
    credentials(&mut s, ctx).await;
    consents(&mut s, ctx).await;
    records(&mut s, ctx).await;
    disclosures(&mut s, ctx).await;
    claims(&mut s, ctx).await;
    units(&mut s, ctx).await;
    (s.rows, s.seconds)
}

/// The client, the two sizes, and what was measured so far.
pub struct Scaler<'r, 'c, C> {
    b: &'r mut Bench<'c, C>,
    small: u64,
    large: u64,
    /// Wall time populating to `small`, populating on to `large`, and probing, summed over the kinds.
    seconds: [f64; 3],
    rows: Vec<Scaling>,
}

impl<'c, C: Backend> Scaler<'_, 'c, C> {
    /// The one shape of every kind: populate entries `0..small` (each call of `make` adds `per_call` of them,
    /// submitted as `what` by `signer`), run `probes`, populate `small..large`, run `probes` again, and pair the two
    /// measurements of each probe into a row of `dimension`.
    async fn scale<M: Message>(
        &mut self,
        dimension: &str,
        (what, signer, per_call): (&str, &Keypair, u64),
        make: impl Fn(Range<u64>) -> M,
        probes: impl AsyncFn(&mut Bench<'c, C>),
    ) {
        println!("scaling: {dimension}");
        let mut at = Vec::new();
        for (phase, range) in [(0, 0..self.small), (1, self.small..self.large)] {
            let start = Instant::now();
            self.b.fill(what, signer, range, per_call, &make).await;
            let (probing, mark) = (Instant::now(), self.b.rows.len());
            probes(self.b).await;
            at.push(self.b.rows.split_off(mark));
            self.seconds[phase] += (probing - start).as_secs_f64();
            self.seconds[2] += probing.elapsed().as_secs_f64();
        }
        let (large, small) = (at.pop().unwrap_or_default(), at.pop().unwrap_or_default());
        for ((label, small), (_, large)) in small.into_iter().zip(large) {
            self.rows.push(Scaling::new(dimension, label, small, large));
        }
    }

    /// A new account, funded by the admin.
    async fn fresh(&mut self, ctx: &Ctx) -> Keypair {
        self.b.client.create_and_fund_account(&ctx.cast.admin, FUNDS).await
    }
}

/// The accounts population entries are made for (grantees, credential holders): never signers.
fn synthetic(tag: u8, i: u64) -> AccountId {
    let mut bytes = [tag; 32];
    bytes[..8].copy_from_slice(&i.to_le_bytes());
    AccountId::from(bytes)
}

/// participants: credentials, attested by the board to new accounts.
async fn credentials<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (p, board, doctor) = (|| ctx.suite.participants(), &ctx.cast.board, account(&ctx.cast.doctor));
    let l = |message, case| Label::new("participants", message, case, Single);
    let attest = |r: Range<u64>| p().attest(synthetic(0xC1, r.start), Role::Payer, [9; 32], None, 0, FAR_FUTURE);
    let provider =
        p().attest(synthetic(0xC2, 0), Role::Provider, [9; 32], Some(npi_of(synthetic(0xC2, 0))), 0, FAR_FUTURE);
    let probes = async |b: &mut Bench<'_, C>| {
        b.probe(l("attest", "a new provider, with NPI check"), board, &provider).await;
        b.read(l("has_role", "an active provider"), &p().has_role(doctor, Role::Provider)).await;
        b.read(l("roles_of", "an active provider"), &p().roles_of(doctor)).await;
        b.read(l("credentials_of", "one credential held"), &p().credentials_of(doctor)).await;
    };
    s.scale("credentials", ("attest", board, 1), attest, probes).await;
    let last = read(s.b.client, &p().has_role(synthetic(0xC1, s.large - 1), Role::Payer)).await;
    assert!(last, "population: the last credential is held");
}

/// consent: consents of one patient, each to a new account.
async fn consents<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (c, doctor, keys) = (|| ctx.suite.consent(), account(&ctx.cast.doctor), s.fresh(ctx).await);
    let (patient, reads) = (account(&keys), ActionSet::of(Action::Read));
    let l = |message, case| Label::new("consent", message, case, Single);
    let to_doctor = permit(ctx, patient, Grantee::Account(doctor), Purpose::Treatment, reads.with(Action::Write), 8);
    let doctor_consent = ok(s.b.client, &keys, &to_doctor).await;
    let grant = |tag, i| permit(ctx, patient, Grantee::Account(synthetic(tag, i)), Purpose::Treatment, reads, 8);
    let check = c().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Read);
    let probes = async |b: &mut Bench<'_, C>| {
        b.probe(l("grant", "to a new account"), &keys, &grant(0xC4, 0)).await;
        b.probe(l("check", "account consent, no role consents"), &ctx.cast.admin, &check).await;
        b.read(l("consents_of", "a page of 10"), &c().consents_of(patient, None, 10)).await;
        b.probe(l("revoke", "an account consent"), &keys, &c().revoke(doctor_consent)).await;
    };
    s.scale("consents", ("grant", &keys, 1), |r| grant(0xC3, r.start), probes).await;
    // Ids are global, and only this patient was granted consents since the doctor's.
    let newest = read(s.b.client, &c().consents_of(patient, None, 1)).await.items.first().map(|consent| consent.id);
    assert_eq!(newest, Some(doctor_consent + s.large), "population: the patient holds {} consents", s.large + 1);
}

/// records: records of one patient, registered by the patient.
async fn records<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (r, doctor, keys) = (|| ctx.suite.records(), &ctx.cast.doctor, s.fresh(ctx).await);
    let patient = account(&keys);
    let l = |message, case, kind| Label::new("records", message, case, kind);
    let read_write = ActionSet::of(Action::Read).with(Action::Write);
    let doctor_writes = permit(ctx, patient, Grantee::Account(account(doctor)), Purpose::Treatment, read_write, 8);
    ok(s.b.client, &keys, &doctor_writes).await;
    let note = |hash| r().register(patient, DataClass::Encounters, [hash; 32], b"ipfs://note".to_vec(), None);
    let lab = |hash| r().register(patient, DataClass::Labs, [hash; 32], b"ipfs://lab-result".to_vec(), None);
    let record = ok(s.b.client, doctor, &note(0xE2)).await;
    let probes = async |b: &mut Bench<'_, C>| {
        b.probe(l("register", "by a provider: consent check", Cross), doctor, &note(0xE3)).await;
        b.probe(l("register", "by the patient", Single), &keys, &lab(0x34)).await;
        b.probe(l("open", "by the author: consent check", Cross), doctor, &r().open(record, Purpose::Treatment)).await;
        b.read(l("verify", "a current record", Single), &r().verify(record, [0xE2; 32])).await;
        b.read(l("records_of", "a page of 10", Single), &r().records_of(patient, None, 10)).await;
    };
    s.scale("records", ("register", &keys, 1), |_| lab(0x33), probes).await;
    let count = read(s.b.client, &r().records_of(patient, None, 0)).await.len;
    assert_eq!(count, s.large + 1, "population: the patient's records");
}

/// records: the disclosure log of one patient's record, opened by the patient.
async fn disclosures<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (r, doctor, keys) = (|| ctx.suite.records(), &ctx.cast.doctor, s.fresh(ctx).await);
    let patient = account(&keys);
    let l = |message, case, kind| Label::new("records", message, case, kind);
    let lab = r().register(patient, DataClass::Labs, [0x35; 32], b"ipfs://lab-result".to_vec(), None);
    let record = ok(s.b.client, &keys, &lab).await;
    let reads = ActionSet::of(Action::Read);
    ok(s.b.client, &keys, &permit(ctx, patient, Grantee::Account(account(doctor)), Purpose::Treatment, reads, 8)).await;
    let open = r().open(record, Purpose::Treatment);
    let probes = async |b: &mut Bench<'_, C>| {
        b.probe(l("open", "by a consented provider: consent check", Cross), doctor, &open).await;
        b.probe(l("open", "by the patient", Single), &keys, &open).await;
        b.read(l("disclosures", "a page of 10", Single), &r().disclosures(patient, 0, 10)).await;
    };
    s.scale("disclosures", ("open", &keys, 1), |_| open.clone(), probes).await;
    let count = read(s.b.client, &r().disclosures(patient, 0, 0)).await.len;
    assert_eq!(count, s.large, "population: the patient's disclosure log");
}

/// claims: claims of one patient and provider, submitted by the doctor.
async fn claims<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (c, cast, keys) = (|| ctx.suite.claims(), &ctx.cast, s.fresh(ctx).await);
    let (patient, doctor, payer) = (account(&keys), account(&cast.doctor), &cast.payer);
    let l = |message, case, kind| Label::new("claims", message, case, kind);
    let plan = ok(s.b.client, payer, &c().create_plan(terms(0))).await;
    ok(s.b.client, payer, &c().set_benefit(plan, 99213, benefit(true, 200, 4, false))).await;
    ok(s.b.client, payer, &c().enrol(plan, patient, 0, None)).await;
    ok(s.b.client, payer, &c().admit_provider(plan, doctor)).await;
    pay(s.b.client, payer, &c().fund(plan), 1_000_000).await;
    let reads = ActionSet::of(Action::Read);
    ok(s.b.client, &keys, &permit(ctx, patient, Grantee::Account(account(payer)), Purpose::Payment, reads, 8)).await;
    let lab = ctx.suite.records().register(patient, DataClass::Labs, [0x36; 32], b"ipfs://lab-result".to_vec(), None);
    let evidence = ok(s.b.client, &keys, &lab).await;
    let submit = |service_code, units, charge, evidence| {
        let line = ClaimLine { service_code, units, charge };
        c().submit(patient, plan, ctx.today, vec![line], evidence, [0x83; 32])
    };
    let probes = async |b: &mut Bench<'_, C>| {
        let paid = submit(99213, 1, 300, vec![evidence]);
        b.probe(l("submit", "1 line, 1 evidence record: approved and paid", Cross), &cast.doctor, &paid).await;
        let first = read(b.client, &c().claims_by_patient(patient, None, 1)).await.items[0];
        b.read(l("claim", "one line", Single), &c().claim(first)).await;
        b.read(l("claims_by_patient", "a page of 10", Single), &c().claims_by_patient(patient, None, 10)).await;
        b.read(l("claims_by_provider", "a page of 10", Single), &c().claims_by_provider(doctor, None, 10)).await;
    };
    // Population: claims for a service the plan does not cover (denied with CARC 96 at once, nothing paid), each
    // different (its units: duplicates are told by service code and units, not by charge), so that none is a
    // duplicate.
    let denied = |r: Range<u64>| submit(11111, u32::try_from(r.start + 1).unwrap_or(u32::MAX), 100, vec![]);
    s.scale("claims", ("submit", &cast.doctor, 1), denied, probes).await;
    // The patient is fresh and its claims were submitted one after another: ids newest - (large - 1) ..= newest.
    let newest = read(s.b.client, &c().claims_by_patient(patient, None, 1)).await.items;
    let first = newest.first().map(|id| id - (s.large - 1)).expect("population: the patient has claims");
    let oldest = read(s.b.client, &c().claims_by_patient(patient, Some(first), 10)).await;
    assert_eq!((oldest.items, oldest.next), (vec![first], None), "population: the patient's {} claims", s.large);
}

/// custody: units of one batch, commissioned by the manufacturer 100 serials a call.
async fn units<C: Backend>(s: &mut Scaler<'_, '_, C>, ctx: &Ctx) {
    let (c, cast) = (|| ctx.suite.custody(), &ctx.cast);
    let (manufacturer, distributor, pharmacy) = (&cast.manufacturer, &cast.distributor, &cast.pharmacy);
    let l = |message, case, kind| Label::new("custody", message, case, kind);
    let expiry = expiry(ctx);
    let batch = ok(s.b.client, manufacturer, &c().create_batch(GTIN.into(), "LOT-S".into(), expiry.clone())).await;
    let (active, _) =
        ok(s.b.client, manufacturer, &c().commission(batch, vec!["SC-A".into(), "SC-B".into(), "SC-C".into()])).await;
    let (in_transit, at_pharmacy) = (active + 1, active + 2);
    ok(s.b.client, manufacturer, &c().ship(vec![in_transit, at_pharmacy], account(distributor))).await;
    ok(s.b.client, distributor, &c().receive(vec![at_pharmacy])).await;
    ok(s.b.client, distributor, &c().ship(vec![at_pharmacy], account(pharmacy))).await;
    ok(s.b.client, pharmacy, &c().receive(vec![at_pharmacy])).await;
    let one = c().commission(batch, vec!["SC-NEW".into()]);
    // On a node //One holds only what the cast gave it: the deposit of one unit, twice over, for every unit to come.
    let deposit = u128::try_from(s.b.dry("commission", manufacturer, &one).await.0.deposit.max(1)).unwrap_or(1);
    ensure_funds(s.b, ctx, account(manufacturer), deposit * 2 * u128::from(s.large)).await;
    let verify = c().verify(GTIN.into(), "SC-A".into(), "LOT-S".into(), expiry);
    let probes = async |b: &mut Bench<'_, C>| {
        b.probe(l("commission", "1 serial: has_role", Cross), manufacturer, &one).await;
        let ship = c().ship(vec![active], account(distributor));
        b.probe(l("ship", "1 unit, manufacturer to distributor: roles_of x2", Cross), manufacturer, &ship).await;
        let receive = c().receive(vec![in_transit]);
        b.probe(l("receive", "1 unit, by the recipient: roles_of", Cross), distributor, &receive).await;
        let dispense = c().dispense(at_pharmacy, None);
        b.probe(l("dispense", "no prescription: has_role", Cross), pharmacy, &dispense).await;
        let answer = b.read(l("verify", "a genuine, saleable unit", Single), &verify).await;
        assert!(answer.is_ok_and(|v| v.saleable), "a genuine, saleable unit");
        b.read(l("trail", "a page of 10 (5 entries)", Single), &c().trail(at_pharmacy, 0, 10)).await;
    };
    let commission = |r: Range<u64>| c().commission(batch, r.map(|i| format!("SU{i:07}")).collect());
    s.scale("custody units", ("commission", manufacturer, SERIALS_PER_CALL), commission, probes).await;
    let last = read(s.b.client, &c().unit_id(GTIN.into(), format!("SU{:07}", s.large - 1))).await;
    assert!(last.is_ok_and(|unit| unit.is_some()), "population: the last unit exists");
}

/// Makes sure `who` holds at least `need` (for storage deposits), topping it up from the admin. On a node //One and
/// //Two (the manufacturer and the distributor) hold only what the cast gave them, and commissioning thousands of
/// units pays a deposit for each; on the sandbox deposits are 1 per byte and this does nothing.
async fn ensure_funds<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx, who: AccountId, need: u128) {
    use ink_e2e::subxt::dynamic::Value;
    let held = healthchain_tests::balance(b.client, who).await;
    if held < need {
        let to = Value::unnamed_variant("Id", [Value::from_bytes(who)]);
        b.client
            .runtime_call(&ctx.cast.admin, "Balances", "transfer_allow_death", vec![to, Value::u128(need - held)])
            .await
            .unwrap_or_else(|e| panic!("could not give {who:?} the {need} its population needs: {e:?}"));
    }
}
