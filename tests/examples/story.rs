//! The healthcare story, end to end, with a readable log of every step and the state it leaves.
//!
//! `cargo run -p healthchain-tests --example story` runs it on the embedded in-process sandbox (fresh contracts);
//! `cargo run -p healthchain-tests --example story -- ws://127.0.0.1:9944 deployments/local.json` runs the same
//! story on a node, against the contracts of a deployment manifest (dev accounts sign).
//! `scripts/story.sh` wraps both; on a node it also starts a `healthchain-custodian` and names it in
//! `HEALTHCHAIN_CUSTODIAN`, for the last chapter (encrypted records read under consent, erased and shredded).

use healthchain_tests::{
    account, balance, expiry_next_year, ok, pay, read, refused, ss58, Backend, Cast, Suite, COMPANY_PREFIX, GTIN,
};
use ink_e2e::Keypair;
use interfaces::{
    Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Participants as _, Purpose, PurposeSet, Role,
    RoleSet,
};

use claims::claims::{Benefit, ClaimLine, PlanTerms, YearStart};
use consent::consent::{Grantee, Provision};
use custody::errors::Error as CustodyError;

struct Log {
    step: usize,
}

impl Log {
    fn step(&mut self, title: &str) {
        self.step += 1;
        println!("\n[{}] {title}", self.step);
    }

    fn did(&self, what: impl AsRef<str>) {
        println!("    - {}", what.as_ref());
    }
}

/// "doctor 5FHneW46..." : a role name and its SS58 address.
fn who(name: &str, keys: &Keypair) -> String {
    format!("{name:<13} {}", ss58(account(keys)))
}

/// `custodian`: the node's URL and the custodian's, when the story runs on a node beside a custodian.
async fn story<C: Backend>(client: &mut C, suite: Suite, mut cast: Cast, custodian: Option<(String, String)>) {
    let mut log = Log { step: 0 };
    // A new patient every run, so the story can run again on the same deployment.
    cast.patient = client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    let (doctor, payer, pharmacy, patient) =
        (account(&cast.doctor), account(&cast.payer), account(&cast.pharmacy), account(&cast.patient));
    let patient_bytes: &[u8; 32] = patient.as_ref();
    let run_tag: String = patient_bytes[..3].iter().map(|b| format!("{b:02X}")).collect();
    println!("contracts:");
    for (name, address) in [
        ("council", suite.council.expect("a governed suite")),
        ("participants", suite.participants),
        ("consent", suite.consent),
        ("records", suite.records),
        ("claims", suite.claims),
        ("custody", suite.custody),
    ] {
        println!("    {name:<13} {}", ss58(address));
    }
    println!("people:");
    for (name, keys) in [
        ("admin", &cast.admin),
        ("board", &cast.board),
        ("doctor", &cast.doctor),
        ("patient", &cast.patient),
        ("payer", &cast.payer),
        ("pharmacy", &cast.pharmacy),
        ("manufacturer", &cast.manufacturer),
        ("distributor", &cast.distributor),
    ] {
        println!("    {}", who(name, keys));
    }
    println!("(after '->': what each message emits; the unit tests assert those events)");

    // 1. Credentials.
    log.step("Credentials: the council appoints a board; the board credentials a provider, a payer, a pharmacy and the supply chain");
    let roles =
        RoleSet::from_slice(&[Role::Provider, Role::Payer, Role::Pharmacy, Role::Manufacturer, Role::Distributor]);
    let board = account(&cast.board);
    if read(client, &suite.participants().issuer(board)).await.map(|i| i.roles) != Some(roles) {
        let appoint = ink::selector_bytes!("appoint_issuer");
        let id = suite.through_council(client, &cast, suite.participants, appoint, (board, roles)).await;
        log.did(format!(
            "council.propose(Call participants.appoint_issuer(board, {{Provider, Payer, Pharmacy, Manufacturer, \
             Distributor}})) -> ProposalCreated, ProposalQueued; council.execute({id}) -> ProposalExecuted, \
             IssuerAppointed (the admin governs alone here: scripts/deploy.sh --council/--threshold/--delay-ms)"
        ));
    }
    for (who, name, role) in [
        (&cast.doctor, "doctor", Role::Provider),
        (&cast.payer, "payer", Role::Payer),
        (&cast.pharmacy, "pharmacy", Role::Pharmacy),
        (&cast.manufacturer, "manufacturer", Role::Manufacturer),
        (&cast.distributor, "distributor", Role::Distributor),
    ] {
        if !read(client, &suite.participants().has_role(account(who), role)).await {
            suite.credential(client, &cast, account(who), role).await;
            let npi = if role == Role::Provider {
                format!(", NPI {}", healthchain_tests::npi_of(account(who)))
            } else {
                String::new()
            };
            log.did(format!("participants.attest({name}, {role:?}{npi}) -> CredentialAttested"));
        }
        let held = read(client, &suite.participants().has_role(account(who), role)).await;
        log.did(format!("has_role({name}, {role:?}) = {held}"));
    }

    // 2. Consent.
    log.step("Consent: the patient lets the doctor treat (read and write) and the payer see records for payment");
    let grant = |grantee, purpose, actions| {
        suite.consent().grant(
            patient,
            grantee,
            Provision::Permit,
            PurposeSet::of(purpose),
            DataClassSet::GENERAL,
            actions,
            0,
            None,
            [7; 32],
        )
    };
    let treat = ok(
        client,
        &cast.patient,
        &grant(Grantee::Account(doctor), Purpose::Treatment, ActionSet::of(Action::Read).with(Action::Write)),
    )
    .await;
    log.did(format!(
        "consent.grant(doctor, Permit, Treatment, every non-sensitive class, Read+Write) -> ConsentGranted #{treat}"
    ));
    let payment =
        ok(client, &cast.patient, &grant(Grantee::Account(payer), Purpose::Payment, ActionSet::of(Action::Read))).await;
    log.did(format!(
        "consent.grant(payer, Permit, Payment, every non-sensitive class, Read) -> ConsentGranted #{payment}"
    ));
    let mental = read(
        client,
        &suite.consent().check(patient, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read),
    )
    .await;
    log.did(format!(
        "consent.check(doctor, Treatment, MentalHealth, Read) = {mental:?} (sensitive classes must be named)"
    ));

    // 3. Records.
    log.step("Records: the doctor registers an encounter note and a prescription; the payer opens the note");
    let register = |class, hash: u8, locator: &str| {
        suite.records().register(patient, class, [hash; 32], locator.as_bytes().to_vec(), None)
    };
    let note = ok(client, &cast.doctor, &register(DataClass::Encounters, 0xE1, "ipfs://bafy-encounter-note.enc")).await;
    log.did(format!("records.register(patient, Encounters, sha256 e1e1…, ipfs://bafy-encounter-note.enc) -> RecordRegistered #{note}"));
    let prescription =
        ok(client, &cast.doctor, &register(DataClass::Medications, 0xD1, "ipfs://bafy-prescription.enc")).await;
    log.did(format!("records.register(patient, Medications, sha256 d1d1…) -> RecordRegistered #{prescription}"));
    let basis = ok(client, &cast.payer, &suite.records().open(note, Purpose::Payment)).await;
    log.did(format!("records.open(#{note}, Payment) by the payer -> RecordOpened on basis {basis:?}"));
    let disclosures = read(client, &suite.records().disclosures(patient, 0, 10)).await;
    for d in &disclosures.items {
        let who = if d.accessor == payer {
            "payer"
        } else if d.accessor == doctor {
            "doctor"
        } else {
            "someone"
        };
        let basis = match d.basis {
            Basis::Consent(id) => format!("consent #{id}"),
            other => format!("{other:?}"),
        };
        log.did(format!(
            "disclosure log: at {} ms, {who} opened record #{} for {:?} under {basis}",
            d.at, d.record, d.purpose
        ));
    }

    // 4. Claims.
    log.step("Claims: the payer sets up a plan and funds it; the doctor's claim is adjudicated and paid at once");
    let terms = PlanTerms {
        deductible: 100,
        coinsurance_bps: 2_000,
        copay: 10,
        out_of_pocket_max: 5_000,
        timely_filing_ms: 365 * 86_400_000,
        appeal_window_ms: 30 * 86_400_000,
        benefit_year_start: YearStart::JANUARY_1,
        settlement_delay_ms: 0,
        reversal_window_ms: 30 * 86_400_000,
    };
    let plan = ok(client, &cast.payer, &suite.claims().create_plan(terms)).await;
    log.did(format!(
        "claims.create_plan(deductible 100, coinsurance 20 %, copay 10, out-of-pocket max 5000) -> PlanCreated #{plan}"
    ));
    ok(
        client,
        &cast.payer,
        &suite.claims().set_benefit(
            plan,
            99213,
            Benefit { covered: true, allowed_per_unit: 200, unit_limit: 4, prior_auth: false },
        ),
    )
    .await;
    log.did("claims.set_benefit(99213 office visit: covered, allowed 200 a unit, at most 4 units) -> BenefitSet");
    ok(client, &cast.payer, &suite.claims().enrol(plan, patient, 0, None)).await;
    log.did("claims.enrol(patient, from 0, open-ended) -> MemberEnrolled");
    ok(client, &cast.payer, &suite.claims().admit_provider(plan, doctor)).await;
    log.did("claims.admit_provider(doctor) -> ProviderAdmitted (in the plan's network)");
    pay(client, &cast.payer, &suite.claims().fund(plan), 10_000).await;
    log.did("claims.fund(10 000) -> PlanFunded");
    let today = read(client, &suite.records().record(note)).await.map(|r| r.created_at).unwrap_or_default();
    let lines = vec![ClaimLine { service_code: 99213, units: 1, charge: 300 }];
    // The 837 detail (with its diagnoses) stays off chain: the claim carries its hash.
    let detail = [0x83; 32];
    let before = balance(client, doctor).await;
    let claim_id =
        ok(client, &cast.doctor, &suite.claims().submit(patient, plan, today, lines, vec![note], detail)).await;
    let after = balance(client, doctor).await;
    let claim = read(client, &suite.claims().claim(claim_id)).await.expect("the claim");
    let line = &claim.lines[0];
    log.did(format!("claims.submit(99213 x1, charge 300, evidence record #{note}) -> ClaimSubmitted #{claim_id} (adjudicated and paid)"));
    log.did(format!(
        "adjudication: outcome {:?}; submitted {}, eligible {}, deductible {}, copay {}, coinsurance {}, patient share {}, benefit {}; CARC {:?}",
        claim.outcome, line.submitted, line.eligible, line.deductible, line.copay, line.coinsurance, line.patient_share, line.benefit, line.codes()
    ));
    let escrow = read(client, &suite.claims().escrow(plan)).await;
    log.did(format!("paid {} to the doctor (balance change {} after fees and the claim's storage deposit); escrow now {} (funded {}, paid {})",
        claim.paid, after as i128 - before as i128, escrow.balance, escrow.funded, escrow.paid));

    // 5. Custody.
    log.step("Custody: a drug unit is commissioned, shipped, received and dispensed against the prescription");
    let c = || suite.custody();
    if read(client, &c().product(GTIN.into())).await.ok().flatten().is_none() {
        let prefix = suite.participants().company_prefix(COMPANY_PREFIX.into());
        if read(client, &prefix).await.is_none() {
            let attest = suite.participants().attest_company_prefix(account(&cast.manufacturer), COMPANY_PREFIX.into());
            ok(client, &cast.board, &attest).await;
            log.did(format!("participants.attest_company_prefix(manufacturer, GS1 prefix {COMPANY_PREFIX}) -> CompanyPrefixAttested"));
        }
        ok(client, &cast.manufacturer, &c().register_product(GTIN.into(), [0xAB; 32])).await;
        log.did(format!("custody.register_product(GTIN {GTIN}, of the manufacturer's prefix) -> ProductRegistered"));
    }
    let lot = format!("LOT-{run_tag}");
    let expiry = expiry_next_year(today);
    let batch = ok(client, &cast.manufacturer, &c().create_batch(GTIN.into(), lot.clone(), expiry.clone())).await;
    log.did(format!("custody.create_batch({GTIN}, {lot}, AI(17) expiry {expiry}) -> BatchCreated #{batch}"));
    let serials = vec![format!("SN{run_tag}1"), format!("SN{run_tag}2")];
    let (first, count) = ok(client, &cast.manufacturer, &c().commission(batch, serials.clone())).await;
    let (u1, u2) = (first, first + 1);
    log.did(format!("custody.commission({count} serials {serials:?}) -> UnitsCommissioned #{u1}..#{u2}"));
    ok(client, &cast.manufacturer, &c().ship(vec![u1, u2], account(&cast.distributor))).await;
    log.did(format!("custody.ship([#{u1}, #{u2}], distributor) -> UnitShipped x2 (in transit)"));
    ok(client, &cast.distributor, &c().receive(vec![u1, u2])).await;
    log.did("custody.receive by the distributor -> UnitReceived x2 (owner: distributor)");
    ok(client, &cast.distributor, &c().ship(vec![u1, u2], pharmacy)).await;
    ok(client, &cast.pharmacy, &c().receive(vec![u1, u2])).await;
    log.did("custody.ship to the pharmacy, custody.receive by the pharmacy -> owner: pharmacy");
    // The doctor's commitment to the prescription (in practice a hash of the record, the patient and a salt it
    // writes on the prescription): here the record id, unique per deployment.
    let mut commitment = [0xC0; 32];
    commitment[..8].copy_from_slice(&prescription.to_le_bytes());
    ok(client, &cast.doctor, &c().register_prescription(prescription, commitment, 1)).await;
    log.did(format!("custody.register_prescription(record #{prescription}, commitment, 1 unit) by the doctor -> PrescriptionRegistered"));
    ok(client, &cast.pharmacy, &c().dispense(u1, Some(commitment))).await;
    log.did(format!("custody.dispense(#{u1}, prescription commitment) -> UnitDispensed (no patient on chain)"));
    let verify = read(client, &c().verify(GTIN.into(), serials[0].clone(), lot.clone(), expiry.clone())).await;
    log.did(format!("custody.verify({GTIN}, {}) = {verify:?}", serials[0]));
    let trail = read(client, &c().trail(u1, 0, 20)).await;
    let steps: Vec<String> = trail.items.iter().map(|t| format!("{}/{}", t.step.cbv(), t.disposition.cbv())).collect();
    log.did(format!("trail of #{u1}: {}", steps.join(" -> ")));

    // 6. Recall.
    log.step("Recall: the manufacturer recalls the batch; the other unit freezes at the pharmacy");
    ok(client, &cast.manufacturer, &c().recall(batch, [0xEE; 32])).await;
    log.did(format!("custody.recall(batch #{batch}) -> BatchRecalled"));
    let verify = read(client, &c().verify(GTIN.into(), serials[1].clone(), lot, expiry)).await;
    log.did(format!("custody.verify({GTIN}, {}) = {verify:?}", serials[1]));
    let frozen = refused(client, &cast.pharmacy, &c().ship(vec![u2], account(&cast.distributor))).await;
    assert_eq!(frozen, CustodyError::UnitRecalled(u2));
    log.did(format!("custody.ship([#{u2}]) by the pharmacy refused: {frozen:?}"));
    // 7. The custodian: consent binds the data, not only the log.
    log.step("Records off chain: an encrypted note, read under consent through the custodian, erased and shredded");
    match custodian {
        Some((node, url)) => custodian_chapter(client, &suite, &cast, &log, &node, &url).await,
        None => log.did(
            "needs a node: the custodian releases a key only against a finalized on-chain open, so it follows a \
             chain (run scripts/story.sh ws://127.0.0.1:9944 against a node)",
        ),
    }
    println!("\nThe story ran to the end.");
}

/// A doctor writes an encrypted note through the custodian, a consented colleague reads it, a stranger is refused,
/// the patient erases it and the custodian shreds its key and blob.
async fn custodian_chapter<C: Backend>(client: &mut C, suite: &Suite, cast: &Cast, log: &Log, node: &str, url: &str) {
    use healthchain_client::{chain::records as on_chain, flows, Chain, ClientError, Custodian};
    let fail = |what: &str, error: ClientError| -> ! {
        eprintln!("error: {what}: {error}");
        std::process::exit(1)
    };
    let chain = Chain::connect(node).await.unwrap_or_else(|e| fail("the client could not connect to the node", e));
    let api = Custodian::new(url).unwrap_or_else(|e| fail("bad custodian URL", e));
    let records: [u8; 32] = *suite.records.as_ref();
    let patient = account(&cast.patient);
    let note = b"Progress note: chest pain resolved after treatment; continue aspirin 81 mg daily.";
    let record = flows::put(&chain, &api, &cast.doctor, records, *patient.as_ref(), DataClass::Encounters, note)
        .await
        .unwrap_or_else(|e| fail("the doctor could not write the note", e));
    let pointer = on_chain::record(&chain, records, record).await.ok().flatten().expect("the record just registered");
    log.did(format!(
        "doctor: encrypted a {}-byte note (XChaCha20-Poly1305, fresh data key), stored the blob with the custodian, \
         records.register -> #{record} (locator {}), deposited the key",
        note.len(),
        String::from_utf8_lossy(&pointer.locator)
    ));

    let colleague = client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    suite.credential(client, cast, account(&colleague), Role::Provider).await;
    let stranger = client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    suite.credential(client, cast, account(&stranger), Role::Provider).await;
    let consent = suite.consent().grant(
        patient,
        Grantee::Account(account(&colleague)),
        Provision::Permit,
        PurposeSet::of(Purpose::Treatment),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read),
        0,
        None,
        [3; 32],
    );
    let consent = ok(client, &cast.patient, &consent).await;
    log.did(format!(
        "{} (a provider) gets the patient's Treatment Read consent #{consent}",
        who("colleague", &colleague)
    ));
    let read = flows::get(&chain, &api, &colleague, records, record, Purpose::Treatment)
        .await
        .unwrap_or_else(|e| fail("the consented colleague could not read the note", e));
    assert_eq!(read, note, "the note comes back byte for byte");
    log.did(format!(
        "colleague: records.open (finalized) -> release request -> key sealed to its ephemeral key -> blob checked \
         against the on-chain hash and decrypted: {:?}",
        String::from_utf8_lossy(&read)
    ));
    match flows::get(&chain, &api, &stranger, records, record, Purpose::Treatment).await {
        Err(refused) => log.did(format!("{} without consent: refused, {refused}", who("stranger", &stranger))),
        Ok(_) => fail("a stranger read the note", ClientError::Input("consent did not bind".into())),
    }
    let releases = api.releases(0, 100).await.unwrap_or_else(|e| fail("the release log", e));
    let ours: Vec<_> = releases.items.iter().filter(|row| row.record == record).collect();
    log.did(format!(
        "custodian release log for #{record}: {} row(s): {}",
        ours.len(),
        ours.iter().map(|row| format!("{} on {}", ss58(row.reader.into()), row.basis)).collect::<Vec<_>>().join(", ")
    ));

    flows::erase(&chain, &cast.patient, records, record)
        .await
        .unwrap_or_else(|e| fail("the patient could not erase", e));
    let mut shredded = false;
    for _ in 0..50 {
        if api.get_blob(&pointer.content_hash, 1 << 20).await.is_err() {
            shredded = true;
            break;
        }
        ink_e2e::tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    log.did(format!(
        "patient: records.erase(#{record}) -> RecordErased; the custodian, following finalized blocks, {}",
        if shredded { "destroyed the data key and the blob (crypto-shredding)" } else { "has NOT shredded yet" }
    ));
    assert!(shredded, "the custodian shreds an erased record within 10 s");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(async move {
        match args.as_slice() {
            [] => {
                println!("healthchain story on the embedded in-process sandbox");
                let mut client = healthchain_tests::SandboxClient::new(healthchain_tests::contracts());
                let cast = Cast::new(&mut client).await;
                let suite = Suite::deploy_governed(&mut client, &cast).await;
                story(&mut client, suite, cast, None).await;
            }
            [url, manifest] => {
                println!("healthchain story on the node at {url}, contracts of {manifest}");
                let suite = Suite::from_manifest(manifest).unwrap_or_else(|e| {
                    eprintln!("error: {e}");
                    std::process::exit(1)
                });
                let rpc = ink_e2e::RpcClient::from_url(url.as_str()).await.unwrap_or_else(|e| {
                    eprintln!("error: node unreachable at {url} ({e}): start one, e.g. substrate-contracts-node --dev");
                    std::process::exit(1)
                });
                let mut client = healthchain_tests::NodeClient::new(rpc, Vec::<std::path::PathBuf>::new())
                    .await
                    .unwrap_or_else(|e| {
                        eprintln!("error: could not talk to the node at {url}: {e:?}");
                        std::process::exit(1)
                    });
                let cast = Cast::new(&mut client).await;
                let custodian = std::env::var("HEALTHCHAIN_CUSTODIAN").ok().map(|custodian| (url.clone(), custodian));
                if custodian.is_none() {
                    println!("(HEALTHCHAIN_CUSTODIAN is not set: the custodian chapter is skipped; scripts/story.sh sets it)");
                }
                story(&mut client, suite, cast, custodian).await;
            }
            _ => {
                eprintln!("usage: story [NODE_URL MANIFEST]");
                std::process::exit(2);
            }
        }
    });
}
