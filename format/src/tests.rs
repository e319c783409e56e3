//! Unit tests and the test vectors (`format/vectors.json`): `cargo test -p healthchain-format` checks the committed
//! vectors; `HEALTHCHAIN_WRITE_VECTORS=1 cargo test -p healthchain-format vectors` rewrites them (signatures are
//! randomized, so a rewrite changes them; every other byte is deterministic).

use super::*;
use serde_json::{json, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors.json");

fn binding() -> Binding {
    Binding { genesis: [0x11; 32], records: [0x22; 32] }
}

fn signer(seed: u8) -> schnorrkel::Keypair {
    schnorrkel::MiniSecretKey::from_bytes(&[seed; 32]).unwrap().expand_to_keypair(schnorrkel::ExpansionMode::Ed25519)
}

fn sign(pair: &schnorrkel::Keypair, message: &[u8]) -> [u8; 64] {
    pair.sign_simple(SIGNING_CONTEXT, message).to_bytes()
}

fn h(bytes: &[u8]) -> String {
    hex0x::encode(bytes)
}

fn unhex(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap().strip_prefix("0x").unwrap()).unwrap()
}

fn arr<const N: usize>(value: &Value) -> [u8; N] {
    unhex(value).try_into().unwrap()
}

/// The deterministic inputs and outputs of every section of the specification.
fn compute() -> Value {
    let b = binding();
    let patient = signer(3).public.to_bytes();
    let author = signer(4);
    let reader = signer(5);
    let key = DataKey([0x42; 32]);
    let document = b"Progress note: the patient is doing well.".to_vec();
    let class = 3u8; // Labs
    let aad = record_aad(&b, &patient, class);
    let blob = encrypt_document_with(&key, &[0x24; 24], &aad, &document);
    let hash = content_hash(&blob);
    let custodian = X25519Secret::from_bytes([0x33; 32]);
    let record = 7u64;
    let deposit_context = DepositRequest::context(&b, record, &hash);
    let deposit_sealed =
        seal_key_with(&key, &custodian.public(), &deposit_context, &X25519Secret::from_bytes([0x44; 32]), &[0x55; 24])
            .unwrap();
    let deposit = DepositRequest {
        record,
        author: author.public.to_bytes(),
        content_hash: hash,
        sealed_key: deposit_sealed,
        time_ms: 1_764_374_400_000,
        signature: [0; 64],
    };
    let reader_ephemeral = X25519Secret::from_bytes([0x66; 32]);
    let release = ReleaseRequest::unsigned(
        record,
        reader.public.to_bytes(),
        [0x77; 32],
        reader_ephemeral.public(),
        1_764_374_460_000,
    );
    let release_sealed = seal_key_with(
        &key,
        &release.ephemeral_public,
        &release.digest(&b),
        &X25519Secret::from_bytes([0x88; 32]),
        &[0x99; 24],
    )
    .unwrap();
    json!({
        "binding": { "genesis": h(&b.genesis), "records": h(&b.records) },
        "document": {
            "patient": h(&patient), "class": class, "plaintext": h(&document), "data_key": h(&key.0),
            "nonce": h(&[0x24; 24]), "aad": h(&aad), "blob": h(&blob), "content_hash": h(&hash),
            "locator": locator("https://custodian.example/", &hash),
        },
        "deposit": {
            "custodian_secret": h(&[0x33; 32]), "custodian_key": h(&custodian.public()),
            "ephemeral_secret": h(&[0x44; 32]), "context": h(&deposit_context),
            "request": serde_json::to_value(&deposit).unwrap(), "message": h(&deposit.message(&b)),
        },
        "release": {
            "reader_ephemeral_secret": h(&[0x66; 32]), "custodian_ephemeral_secret": h(&[0x88; 32]),
            "request": serde_json::to_value(&release).unwrap(), "message": h(&release.message(&b)),
            "digest": h(&release.digest(&b)), "sealed_key": serde_json::to_value(&release_sealed).unwrap(),
        },
    })
}

/// Adds the randomized parts (signatures by the seeds 4 and 5) to the computed vectors.
fn signed(mut vectors: Value) -> Value {
    let deposit_message = unhex(&vectors["deposit"]["message"]);
    vectors["deposit"]["request"]["signature"] = json!(h(&sign(&signer(4), &deposit_message)));
    let release_message = unhex(&vectors["release"]["message"]);
    vectors["release"]["request"]["signature"] = json!(h(&sign(&signer(5), &release_message)));
    vectors["signers"] = json!({
        "note": "sr25519 mini secret keys (ExpansionMode::Ed25519, as Substrate); signatures are randomized",
        "author_seed": h(&[4; 32]), "reader_seed": h(&[5; 32]),
    });
    vectors
}

#[test]
fn vectors() {
    let computed = compute();
    if std::env::var_os("HEALTHCHAIN_WRITE_VECTORS").is_some() {
        let text = serde_json::to_string_pretty(&signed(computed.clone())).unwrap();
        std::fs::write(VECTORS, text + "\n").unwrap();
    }
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(VECTORS).unwrap()).unwrap();
    for section in ["binding", "document"] {
        assert_eq!(committed[section], computed[section], "section {section} differs from format/vectors.json");
    }
    for (section, fields) in [
        ("deposit", &["custodian_key", "context", "message"][..]),
        ("release", &["message", "digest", "sealed_key"][..]),
    ] {
        for field in fields {
            assert_eq!(committed[section][*field], computed[section][*field], "{section}.{field} differs");
        }
    }
    // The committed signatures verify, through the request types as a custodian parses them.
    let b = binding();
    let deposit: DepositRequest = serde_json::from_value(committed["deposit"]["request"].clone()).unwrap();
    assert_eq!(deposit.verify(&b), Ok(()));
    let release: ReleaseRequest = serde_json::from_value(committed["release"]["request"].clone()).unwrap();
    assert_eq!(release.verify(&b), Ok(()));
    // And the keys open back to the data key, which decrypts the blob to the document.
    let custodian = X25519Secret::from_bytes(arr(&committed["deposit"]["custodian_secret"]));
    let key = deposit.open_key(&b, &custodian).unwrap();
    assert_eq!(key.0, arr::<32>(&committed["document"]["data_key"]));
    let sealed: SealedKey = serde_json::from_value(committed["release"]["sealed_key"].clone()).unwrap();
    let response = ReleaseResponse { record: 7, block: release.block, event_index: 0, sealed_key: sealed };
    let reader_ephemeral = X25519Secret::from_bytes(arr(&committed["release"]["reader_ephemeral_secret"]));
    assert_eq!(response.open_key(&b, &release, &reader_ephemeral).unwrap(), key);
    let document =
        decrypt_document(&key, &unhex(&committed["document"]["aad"]), &unhex(&committed["document"]["blob"]));
    assert_eq!(document.unwrap(), unhex(&committed["document"]["plaintext"]));
}

#[test]
fn a_document_round_trips_and_fails_under_another_binding() {
    let b = binding();
    let key = DataKey::random();
    let aad = record_aad(&b, &[1; 32], 7);
    let blob = encrypt_document(&key, &aad, b"note");
    assert_eq!(decrypt_document(&key, &aad, &blob).unwrap(), b"note");
    assert_eq!(blob.len(), NONCE_LEN + 4 + TAG_LEN);
    let other_patient = record_aad(&b, &[2; 32], 7);
    assert_eq!(decrypt_document(&key, &other_patient, &blob), Err(FormatError::Decrypt));
    let other_class = record_aad(&b, &[1; 32], 8);
    assert_eq!(decrypt_document(&key, &other_class, &blob), Err(FormatError::Decrypt));
    let other_chain = record_aad(&Binding { genesis: [9; 32], ..b }, &[1; 32], 7);
    assert_eq!(decrypt_document(&key, &other_chain, &blob), Err(FormatError::Decrypt));
    assert_eq!(decrypt_document(&DataKey::random(), &aad, &blob), Err(FormatError::Decrypt));
    let mut altered = blob.clone();
    altered[NONCE_LEN] ^= 1;
    assert_eq!(decrypt_document(&key, &aad, &altered), Err(FormatError::Decrypt));
    assert!(matches!(decrypt_document(&key, &aad, &blob[..39]), Err(FormatError::Malformed(_))));
}

#[test]
fn two_encryptions_of_one_document_differ() {
    let key = DataKey::random();
    assert_ne!(encrypt_document(&key, b"aad", b"same"), encrypt_document(&key, b"aad", b"same"));
}

#[test]
fn a_sealed_key_opens_only_with_its_secret_and_context() {
    let key = DataKey::random();
    let receiver = X25519Secret::random();
    let sealed = seal_key(&key, &receiver.public(), &[1; 32]).unwrap();
    assert_eq!(open_sealed_key(&sealed, &receiver, &[1; 32]).unwrap(), key);
    assert_eq!(open_sealed_key(&sealed, &receiver, &[2; 32]), Err(FormatError::Decrypt));
    assert_eq!(open_sealed_key(&sealed, &X25519Secret::random(), &[1; 32]), Err(FormatError::Decrypt));
    let mut altered = sealed.clone();
    altered.ciphertext[0] ^= 1;
    assert_eq!(open_sealed_key(&altered, &receiver, &[1; 32]), Err(FormatError::Decrypt));
}

#[test]
fn a_low_order_public_key_is_refused() {
    assert_eq!(seal_key(&DataKey::random(), &[0; 32], &[1; 32]).unwrap_err(), FormatError::LowOrderKey);
    let mut one = [0u8; 32];
    one[0] = 1;
    assert_eq!(seal_key(&DataKey::random(), &one, &[1; 32]).unwrap_err(), FormatError::LowOrderKey);
}

#[test]
fn a_signature_binds_the_signer_the_binding_and_every_field() {
    let b = binding();
    let reader = signer(5);
    let mut request = ReleaseRequest::unsigned(7, reader.public.to_bytes(), [3; 32], [4; 32], 1000);
    request.signature = sign(&reader, &request.message(&b));
    assert_eq!(request.verify(&b), Ok(()));
    assert_eq!(request.verify(&Binding { records: [9; 32], ..b }), Err(FormatError::BadSignature));
    for altered in [
        ReleaseRequest { record: 8, ..request.clone() },
        ReleaseRequest { block: [5; 32], ..request.clone() },
        ReleaseRequest { ephemeral_public: [6; 32], ..request.clone() },
        ReleaseRequest { time_ms: 1001, ..request.clone() },
        ReleaseRequest { reader: signer(6).public.to_bytes(), ..request.clone() },
    ] {
        assert_eq!(altered.verify(&b), Err(FormatError::BadSignature), "{altered:?}");
    }
    let not_a_point = ReleaseRequest { reader: [0xff; 32], ..request.clone() };
    assert_eq!(not_a_point.verify(&b), Err(FormatError::BadPublicKey));
}

#[test]
fn a_deposit_is_signed_by_its_author_and_opens_for_the_custodian() {
    let b = binding();
    let author = signer(4);
    let custodian = X25519Secret::random();
    let key = DataKey::random();
    let mut deposit =
        DepositRequest::unsigned(&b, 7, author.public.to_bytes(), [8; 32], &key, &custodian.public(), 5).unwrap();
    deposit.signature = sign(&author, &deposit.message(&b));
    assert_eq!(deposit.verify(&b), Ok(()));
    assert_eq!(deposit.open_key(&b, &custodian).unwrap(), key);
    let moved = DepositRequest { record: 8, ..deposit.clone() };
    assert_eq!(moved.verify(&b), Err(FormatError::BadSignature));
    assert_eq!(moved.open_key(&b, &custodian), Err(FormatError::Decrypt), "the sealed key is bound to record 7");
}

#[test]
fn requests_travel_as_0x_hex_json() {
    let request = ReleaseRequest::unsigned(7, [0xab; 32], [1; 32], [2; 32], 3);
    let text = serde_json::to_string(&request).unwrap();
    assert!(text.contains(&format!("\"reader\":\"0x{}\"", "ab".repeat(32))), "{text}");
    assert_eq!(serde_json::from_str::<ReleaseRequest>(&text).unwrap(), request);
    let short = text.replace(&format!("0x{}", "ab".repeat(32)), "0xabab");
    assert!(serde_json::from_str::<ReleaseRequest>(&short).is_err());
    let unprefixed = text.replace(&format!("0x{}", "ab".repeat(32)), &"ab".repeat(32));
    assert!(serde_json::from_str::<ReleaseRequest>(&unprefixed).is_err());
}

#[test]
fn a_locator_names_the_blob_by_its_hash() {
    assert_eq!(
        locator("http://127.0.0.1:8420/", &[0xcd; 32]),
        format!("http://127.0.0.1:8420/v1/blobs/0x{}", "cd".repeat(32))
    );
}
