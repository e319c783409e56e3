//! records: registering, opening (with the disclosure log), erasure. A provider's registration asks participants
//! (has_role) and consent (check); opening by anyone but the patient asks consent (check, which asks participants
//! for the role), the author included (a Deny beats the Author basis).

use interfaces::{Basis, RecordRegistry as _};

use super::*;

/// A typical public locator (a custodian blob URL is longer; the 16-to-512-byte rows show the slope), 40 bytes.
const LOCATOR: &[u8] = b"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf";

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &mut Ctx) {
    let (suite, cast) = (ctx.suite, &ctx.cast);
    let r = || suite.records();
    let l = |message, case: &str, kind| Label::new("records", message, case, kind);
    let (patient, me, doctor) = (account(&cast.patient), &cast.patient, &cast.doctor);
    let register =
        |class, hash, locator: &[u8], replaces| r().register(patient, class, [hash; 32], locator.into(), replaces);

    let own = b.tx(l("register", "by the patient", Single), me, &register(DataClass::Labs, 0x11, LOCATOR, None)).await;
    let note = register(DataClass::Encounters, 0xE1, LOCATOR, None);
    let note = b.tx(l("register", "by a provider: check (+ roles_of)", Cross), doctor, &note).await;
    ctx.note = note;
    ctx.prescription = ok(b.client, doctor, &register(DataClass::Medications, 0xD1, LOCATOR, None)).await;
    let old = ok(b.client, doctor, &register(DataClass::Imaging, 0x21, LOCATOR, None)).await;
    let newer = register(DataClass::Imaging, 0x22, LOCATOR, Some(old));
    b.tx(l("register", "by a provider, superseding a record: check (+ roles_of)", Cross), doctor, &newer).await;
    ctx.today = read(b.client, &r().record(note)).await.expect("the note").created_at;

    let open = |purpose| r().open(note, purpose);
    b.tx(l("open", "by the patient", Single), me, &open(Purpose::Treatment)).await;
    b.tx(l("open", "by the author: consent check", Cross), doctor, &open(Purpose::Treatment)).await;
    b.tx(l("open", "by a consented payer: check (+ roles_of)", Cross), &cast.payer, &open(Purpose::Payment)).await;
    let colleague = b.client.create_and_fund_account(&cast.admin, 1_000_000_000_000_000).await;
    let attest = suite.participants().attest(
        account(&colleague),
        Role::Provider,
        [3; 32],
        Some(npi_of(account(&colleague))),
        0,
        FAR_FUTURE,
    );
    ok(b.client, &cast.board, &attest).await;
    ok(b.client, &colleague, &suite.consent().declare_emergency(patient, [13; 32])).await;
    b.tx(l("open", "break-glass: check (+ roles_of)", Cross), &colleague, &open(Purpose::Emergency)).await;

    let can_open = r().can_open(note, account(&cast.payer), Purpose::Payment);
    let basis = b.read(l("can_open", "a consented payer", Cross), &can_open).await;
    assert!(matches!(basis, Ok(Basis::Consent(_))), "can_open: {basis:?}");
    assert!(b.read(l("verify", "a current record", Single), &r().verify(note, [0xE1; 32])).await);
    b.read(l("record", "one record", Single), &r().record(note)).await;
    b.read(l("summary", "one record (RecordRegistry)", Single), &r().summary(note)).await;
    b.read(l("records_of", "a page of 10", Single), &r().records_of(patient, None, 10)).await;
    b.read(l("disclosures", "a page of 10", Single), &r().disclosures(patient, 0, 10)).await;
    b.read(l("admin", FLOOR, Single), &r().admin()).await;

    let mistake = ok(b.client, doctor, &register(DataClass::Labs, 0x31, LOCATOR, None)).await;
    b.tx(l("mark_entered_in_error", "by the author", Single), doctor, &r().mark_entered_in_error(mistake)).await;
    b.tx(l("erase", "by the patient", Single), me, &r().erase(own)).await;

    // Input size: the locator, 16 bytes to MAX_LOCATOR (512).
    for (bytes, hash) in [(16, 0x41), (512, 0x42)] {
        let label = l("register", &format!("by the patient, {bytes}-byte locator"), Single);
        let message = register(DataClass::Labs, hash, &vec![b'x'; bytes], None);
        b.tx(label.items("locator bytes", bytes), me, &message).await;
    }
}
