//! records: registering, opening (with the disclosure log), erasure. A provider's registration asks participants
//! (has_role) and consent (check); opening by anyone but the patient asks participants, and consent unless the
//! opener is the author.

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env};
use ink_e2e::ContractsBackend;
use interfaces::{Basis, DataClass, Purpose, RecordRegistry as _, Role};

use super::Ctx;
use crate::measure::{Bench, Kind, Label};

fn label(message: &'static str, case: &str, kind: Kind) -> Label {
    Label::new("records", message, case, kind)
}

/// A typical encrypted-pointer location (an IPFS CID URL), 40 bytes.
const LOCATION: &[u8] = b"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf";

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &mut Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let r = || suite.records();
    let patient = account(&cast.patient);
    let register = |class, hash: u8, location: &[u8], replaces| {
        r().register(patient, class, [hash; 32], location.to_vec(), replaces)
    };

    let own = b
        .tx(
            label("register", "by the patient", Kind::Single),
            &cast.patient,
            &register(DataClass::Labs, 0x11, LOCATION, None),
        )
        .await;
    let note = register(DataClass::Encounters, 0xE1, LOCATION, None);
    ctx.note = b.tx(label("register", "by a provider: check (+ roles_of)", Kind::Cross), &cast.doctor, &note).await;
    ctx.prescription = b.run(&cast.doctor, &register(DataClass::Medications, 0xD1, LOCATION, None)).await;
    let old = b.run(&cast.doctor, &register(DataClass::Imaging, 0x21, LOCATION, None)).await;
    let newer = register(DataClass::Imaging, 0x22, LOCATION, Some(old));
    b.tx(
        label("register", "by a provider, superseding a record: check (+ roles_of)", Kind::Cross),
        &cast.doctor,
        &newer,
    )
    .await;
    let note = ctx.note;
    ctx.today = b.query(&r().record(note)).await.expect("the note").created_at;

    b.tx(label("open", "by the patient", Kind::Single), &cast.patient, &r().open(note, Purpose::Treatment)).await;
    b.tx(label("open", "by the author: has_role", Kind::Cross), &cast.doctor, &r().open(note, Purpose::Treatment))
        .await;
    let by_payer = r().open(note, Purpose::Payment);
    b.tx(label("open", "by a consented payer: check (+ roles_of)", Kind::Cross), &cast.payer, &by_payer).await;
    let colleague = b.client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    let attest = suite.participants().attest(
        account(&colleague),
        Role::Provider,
        [3; 32],
        Some(healthchain_tests::NPI),
        0,
        healthchain_tests::FAR_FUTURE,
    );
    b.run(&cast.board, &attest).await;
    b.run(&colleague, &suite.consent().declare_emergency(patient, [13; 32])).await;
    let emergency = r().open(note, Purpose::Emergency);
    b.tx(label("open", "break-glass: check (+ roles_of)", Kind::Cross), &colleague, &emergency).await;

    let can_open = r().can_open(note, account(&cast.payer), Purpose::Payment);
    let basis = b.read(label("can_open", "a consented payer", Kind::Cross), &cast.admin, &can_open).await;
    assert!(matches!(basis, Ok(Basis::Consent(_))), "can_open: {basis:?}");
    assert!(
        b.read(label("verify", "a current record", Kind::Single), &cast.admin, &r().verify(note, [0xE1; 32])).await
    );
    b.read(label("record", "one record", Kind::Single), &cast.admin, &r().record(note)).await;
    b.read(label("summary", "one record (RecordRegistry)", Kind::Single), &cast.admin, &r().summary(note)).await;
    b.read(label("records_of", "a page of 10", Kind::Single), &cast.admin, &r().records_of(patient, None, 10)).await;
    b.read(label("disclosures", "a page of 10", Kind::Single), &cast.admin, &r().disclosures(patient, 0, 10)).await;
    b.read(label("admin", super::FLOOR, Kind::Single), &cast.admin, &r().admin()).await;

    let mistake = b.run(&cast.doctor, &register(DataClass::Labs, 0x31, LOCATION, None)).await;
    b.tx(
        label("mark_entered_in_error", "by the author", Kind::Single),
        &cast.doctor,
        &r().mark_entered_in_error(mistake),
    )
    .await;
    b.tx(label("erase", "by the patient", Kind::Single), &cast.patient, &r().erase(own)).await;

    // Input size: the location, 16 bytes to MAX_LOCATION (512).
    for (bytes, hash) in [(16usize, 0x41u8), (512, 0x42)] {
        let location = vec![b'x'; bytes];
        let items = u32::try_from(bytes).unwrap_or(u32::MAX);
        let message = register(DataClass::Labs, hash, &location, None);
        b.tx(
            label("register", &format!("by the patient, {bytes}-byte location"), Kind::Single)
                .items("location bytes", items),
            &cast.patient,
            &message,
        )
        .await;
    }
}
