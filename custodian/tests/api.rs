//! The custodian's behaviour through its HTTP API over a fake chain: the happy path, and every refusal of issue #17
//! that can be checked without a node, each with its named error and nothing released.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use healthchain_custodian::chain_view::RecordsEvent;
use healthchain_custodian::shredder::Shredder;
use healthchain_custodian::Settings;
use healthchain_format::{
    content_hash, decrypt_document, record_aad, DataKey, DepositRequest, ReleaseRequest, ReleaseResponse,
};
use serde_json::json;

const DOCUMENT: &[u8] = b"2025-01-01 HbA1c 6.1 %: prediabetes; recheck in 3 months. Dr. A.";

/// Releases and expects a refusal with `code` and `status`, and that nothing was released.
async fn refused(h: &Harness, request: &ReleaseRequest, status: StatusCode, code: &str) {
    let log_before = h.release_log().await.len();
    let answer = h.post_json("/v1/releases", request).await;
    assert_eq!((answer.status, answer.code().as_str()), (status, code), "{}", answer.json());
    assert!(answer.json().get("sealed_key").is_none());
    assert!(!answer.json()["message"].as_str().unwrap_or_default().is_empty());
    assert_eq!(h.release_log().await.len(), log_before, "a refused release wrote a log row");
}

#[tokio::test]
async fn a_consented_reader_gets_the_document_byte_for_byte_and_the_release_log_shows_one_read() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let stored = h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    h.advance(6_000);
    let (request, ephemeral) = h.release_request(&reader(), 7, block.hash);

    let answer = h.post_json("/v1/releases", &request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    let response: ReleaseResponse = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!((response.record, response.block, response.event_index), (7, block.hash, 2));
    let key = response.open_key(&h.binding(), &request, &ephemeral).expect("the key opens for the reader");
    assert_eq!(key, stored.key);

    // The reader downloads the blob, checks its hash against the record and decrypts.
    let blob = h.call(Method::GET, &format!("/v1/blobs/0x{}", hex::encode(stored.hash)), Vec::new()).await;
    assert_eq!(blob.status, StatusCode::OK);
    assert_eq!(content_hash(&blob.body), stored.hash);
    let aad = record_aad(&h.binding(), &id(&patient()), CLASS);
    assert_eq!(decrypt_document(&key, &aad, &blob.body).unwrap(), DOCUMENT);

    // Exactly one release-log row, naming the disclosure entry.
    let log = h.release_log().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["record"], 7);
    assert_eq!(log[0]["reader"], format!("0x{}", hex::encode(id(&reader()))));
    assert_eq!(log[0]["block"], format!("0x{}", hex::encode(block.hash)));
    assert_eq!(log[0]["event_index"], 2);
    assert_eq!(log[0]["purpose"], "Treatment");
    assert_eq!(log[0]["basis"], "Consent(1)");
    assert_eq!(log[0]["released_at_ms"], h.now());
}

#[tokio::test]
async fn the_sealed_key_opens_only_with_the_requests_own_ephemeral_secret() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    let answer = h.post_json("/v1/releases", &request).await;
    let response: ReleaseResponse = serde_json::from_slice(&answer.body).unwrap();
    let other = healthchain_format::X25519Secret::random();
    assert!(response.open_key(&h.binding(), &request, &other).is_err());
}

#[tokio::test]
async fn a_release_without_the_readers_signature_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    // No signature.
    let (mut request, _) = h.release_request(&reader(), 7, block.hash);
    request.signature = [0; 64];
    refused(&h, &request, StatusCode::UNAUTHORIZED, "bad_signature").await;
    // A forged one: the reader's signature with a byte changed.
    let (mut request, _) = h.release_request(&reader(), 7, block.hash);
    request.signature[5] ^= 1;
    refused(&h, &request, StatusCode::UNAUTHORIZED, "bad_signature").await;
    // Another account's signature over a request naming the reader.
    let (request, _) = h.release_request_as(&stranger(), &reader(), 7, block.hash);
    refused(&h, &request, StatusCode::UNAUTHORIZED, "bad_signature").await;
    // A field changed after signing (the ephemeral key swapped for the attacker's).
    let (mut request, _) = h.release_request(&reader(), 7, block.hash);
    request.ephemeral_public = healthchain_format::X25519Secret::random().public();
    refused(&h, &request, StatusCode::UNAUTHORIZED, "bad_signature").await;
    // A request signed for another custodian's binding.
    let mut request = ReleaseRequest::unsigned(7, id(&reader()), block.hash, [9; 32], h.now());
    let other = healthchain_format::Binding { records: [0x11; 32], ..h.binding() };
    request.signature = reader().sign(&request.message(&other)).0;
    refused(&h, &request, StatusCode::UNAUTHORIZED, "bad_signature").await;
}

#[tokio::test]
async fn a_replayed_release_request_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    refused(&h, &request, StatusCode::CONFLICT, "already_released").await;
    // A fresh request citing the same open is refused too: a second read is a second open.
    h.advance(1);
    let (again, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &again, StatusCode::CONFLICT, "already_released").await;
    let second = h.open(7, &reader());
    let (request, _) = h.release_request(&reader(), 7, second.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    assert_eq!(h.release_log().await.len(), 2);
}

#[tokio::test]
async fn two_opens_in_one_block_release_twice_then_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.opens(&[(1, 7, &reader()), (4, 7, &reader())], true);
    let mut indexes = Vec::new();
    for _ in 0..2 {
        let (request, _) = h.release_request(&reader(), 7, block.hash);
        let answer = h.post_json("/v1/releases", &request).await;
        assert_eq!(answer.status, StatusCode::OK);
        indexes.push(answer.json()["event_index"].as_u64().unwrap());
    }
    assert_eq!(indexes, vec![1, 4]);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::CONFLICT, "already_released").await;
}

#[tokio::test]
async fn an_open_by_another_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    // The stranger cites the reader's open.
    let block = h.open(7, &reader());
    let (request, _) = h.release_request(&stranger(), 7, block.hash);
    refused(&h, &request, StatusCode::FORBIDDEN, "open_not_found").await;
    // The reader cites the stranger's open.
    let block = h.open(7, &stranger());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::FORBIDDEN, "open_not_found").await;
}

#[tokio::test]
async fn an_open_of_another_record_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    h.put(8, b"another document").await;
    let block = h.open(8, &reader());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::FORBIDDEN, "open_not_found").await;
}

#[tokio::test]
async fn an_open_older_than_the_release_window_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    h.advance(600_000);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    // At exactly the window it is still released...
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    let block = h.open(7, &reader());
    h.advance(600_001);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    // ... one millisecond later it is not.
    refused(&h, &request, StatusCode::FORBIDDEN, "open_too_old").await;
}

#[tokio::test]
async fn an_open_in_a_block_not_finalized_is_refused_then_released_after_finality() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.opens(&[(2, 7, &reader())], false);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::CONFLICT, "block_not_finalized").await;
    h.chain.finalize(block.number);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_dry_run_open_cites_no_block_and_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    // A dry run emits nothing: the reader can only cite a block it made up...
    let (request, _) = h.release_request(&reader(), 7, [0x42; 32]);
    refused(&h, &request, StatusCode::NOT_FOUND, "block_not_found").await;
    // ... or a real finalized block that holds no open of it.
    let block = h.chain.add_block(h.now(), Vec::new());
    h.chain.finalize(block.number);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::FORBIDDEN, "open_not_found").await;
}

#[tokio::test]
async fn a_request_outside_the_clock_skew_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    h.advance(120_001);
    refused(&h, &request, StatusCode::BAD_REQUEST, "stale_request").await;
}

#[tokio::test]
async fn a_record_erased_since_its_open_is_refused_before_and_after_shredding() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    // Erased on chain (finalized), not yet shredded here.
    let erased = h.chain.erase(7, h.now());
    h.chain.finalize(erased.number);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::GONE, "record_erased").await;
    let shredder = Shredder { chain: h.chain.clone(), keys: h.keys.clone(), blobs: h.blobs.clone(), clock: clock(&h) };
    shredder.process(erased).await.unwrap();
    refused(&h, &request, StatusCode::GONE, "record_erased").await;
}

fn clock(h: &Harness) -> healthchain_custodian::Clock {
    let now = h.now.clone();
    std::sync::Arc::new(move || now.load(std::sync::atomic::Ordering::SeqCst))
}

#[tokio::test]
async fn a_record_without_a_deposited_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.register(9, &author(), [5; 32]);
    let block = h.open(9, &reader());
    let (request, _) = h.release_request(&reader(), 9, block.hash);
    refused(&h, &request, StatusCode::NOT_FOUND, "key_not_found").await;
}

#[tokio::test]
async fn a_low_order_ephemeral_key_is_refused_without_consuming_the_open() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    let mut request = ReleaseRequest::unsigned(7, id(&reader()), block.hash, [0; 32], h.now());
    request.signature = reader().sign(&request.message(&h.binding())).0;
    refused(&h, &request, StatusCode::BAD_REQUEST, "malformed_request").await;
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_unreachable_node_answers_chain_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    h.chain.set_unavailable(true);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable").await;
    let health = h.call(Method::GET, "/v1/health", Vec::new()).await;
    assert_eq!((health.status, health.code().as_str()), (StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable"));
    h.chain.set_unavailable(false);
    let health = h.call(Method::GET, "/v1/health", Vec::new()).await;
    assert_eq!(health.json(), json!({ "finalized": block.number }));
}

#[tokio::test]
async fn repeated_releases_citing_one_finalized_block_read_it_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.opens(&[(0, 7, &reader()), (1, 7, &reader()), (2, 7, &reader())], true);
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    let calls = h.chain.calls();
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    // Only the record (its status may change) was read again.
    assert_eq!(h.chain.calls(), calls + 1);
}

#[tokio::test]
async fn a_blob_whose_hash_does_not_match_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let answer = h.put_blob(&content_hash(b"one blob"), b"another blob".to_vec()).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::BAD_REQUEST, "hash_mismatch"));
    let answer =
        h.call(Method::GET, &format!("/v1/blobs/0x{}", hex::encode(content_hash(b"one blob"))), Vec::new()).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::NOT_FOUND, "blob_not_found"));
    // A second upload of a stored blob answers 200.
    let hash = content_hash(b"one blob");
    assert_eq!(h.put_blob(&hash, b"one blob".to_vec()).await.status, StatusCode::CREATED);
    let again = h.put_blob(&hash, b"one blob".to_vec()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), json!({ "content_hash": format!("0x{}", hex::encode(hash)) }));
    // A path that is not a hash.
    let answer = h.call(Method::GET, "/v1/blobs/1234", Vec::new()).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::BAD_REQUEST, "malformed_request"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings { max_blob_bytes: 1024, ..Settings::default() };
    let h = Harness::with(dir.path(), healthchain_custodian::chain_view::FakeChain::new(RECORDS, T0), settings);
    let at_limit = vec![1u8; 1024];
    assert_eq!(h.put_blob(&content_hash(&at_limit), at_limit).await.status, StatusCode::CREATED);
    let over = vec![2u8; 1025];
    let answer = h.put_blob(&content_hash(&over), over).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"));
    assert!(!h.blobs.exists(&content_hash(&[2u8; 1025])).await.unwrap());
    // JSON bodies: 16 KiB.
    for uri in ["/v1/keys", "/v1/releases"] {
        let answer = h.call(Method::POST, uri, vec![b' '; 16 * 1024 + 1]).await;
        assert_eq!((answer.status, answer.code().as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"), "{uri}");
        let answer = h.call(Method::POST, uri, b"{\"record\": 1}".to_vec()).await;
        assert_eq!((answer.status, answer.code().as_str()), (StatusCode::BAD_REQUEST, "malformed_request"), "{uri}");
    }
}

#[tokio::test]
async fn a_deposit_by_anyone_but_the_author_or_for_another_hash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let key = DataKey::random();
    let blob = b"a blob".to_vec();
    let hash = content_hash(&blob);
    h.register(7, &author(), hash);
    let deposit = |request: DepositRequest| {
        let h = &h;
        async move { h.post_json("/v1/keys", &request).await }
    };

    // The blob is not stored yet.
    let answer = deposit(h.deposit_request(7, &author(), hash, &key)).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::NOT_FOUND, "blob_not_found"));
    h.put_blob(&hash, blob).await;
    // Signed by a stranger naming themself.
    let answer = deposit(h.deposit_request(7, &stranger(), hash, &key)).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::FORBIDDEN, "not_author"));
    // Signed by a stranger naming the author.
    let mut request = h.deposit_request(7, &author(), hash, &key);
    request.signature = stranger().sign(&request.message(&h.binding())).0;
    let answer = deposit(request).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::UNAUTHORIZED, "bad_signature"));
    // Another content hash.
    let answer = deposit(h.deposit_request(7, &author(), [1; 32], &key)).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::CONFLICT, "record_hash_differs"));
    // No such record.
    let answer = deposit(h.deposit_request(70, &author(), hash, &key)).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::NOT_FOUND, "record_not_found"));
    assert_eq!(h.keys.key_count().unwrap(), 0);

    // The author's deposit, then the same again (idempotent), then another key (refused).
    assert_eq!(deposit(h.deposit_request(7, &author(), hash, &key)).await.status, StatusCode::CREATED);
    let again = deposit(h.deposit_request(7, &author(), hash, &key)).await;
    assert_eq!((again.status, again.json()), (StatusCode::OK, json!({ "record": 7 })));
    let answer = deposit(h.deposit_request(7, &author(), hash, &DataKey::random())).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::CONFLICT, "key_exists"));
    assert_eq!(h.keys.key_count().unwrap(), 1);
}

#[tokio::test]
async fn a_deposit_sealed_to_another_key_or_for_an_erased_record_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let blob = b"a blob".to_vec();
    let hash = content_hash(&blob);
    h.put_blob(&hash, blob).await;
    h.register(7, &author(), hash);
    let binding = h.binding();
    let elsewhere = healthchain_format::X25519Secret::random().public();
    let mut request =
        DepositRequest::unsigned(&binding, 7, id(&author()), hash, &DataKey::random(), &elsewhere, h.now()).unwrap();
    request.signature = author().sign(&request.message(&binding)).0;
    let answer = h.post_json("/v1/keys", &request).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::BAD_REQUEST, "malformed_request"));
    h.chain.erase(7, h.now());
    let answer = h.post_json("/v1/keys", &h.deposit_request(7, &author(), hash, &DataKey::random())).await;
    assert_eq!((answer.status, answer.code().as_str()), (StatusCode::GONE, "record_erased"));
    assert_eq!(h.keys.key_count().unwrap(), 0);
}

#[tokio::test]
async fn info_names_the_binding_and_the_custodian_key() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let info = h.call(Method::GET, "/v1/info", Vec::new()).await;
    assert_eq!(info.status, StatusCode::OK);
    assert_eq!(
        info.json(),
        json!({
            "version": 1,
            "genesis": format!("0x{}", hex::encode(h.binding().genesis)),
            "records": format!("0x{}", hex::encode(RECORDS)),
            "custodian_key": format!("0x{}", hex::encode(h.custodian.public_key())),
            "release_window_secs": 600,
            "max_blob_bytes": 16 * 1024 * 1024,
        })
    );
    let answer = h.call(Method::GET, "/v2/info", Vec::new()).await;
    assert_eq!(answer.code(), "malformed_request");
}

#[tokio::test]
async fn the_release_log_is_paged() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let reader = reader();
    let block = h.opens(&(0..5).map(|index| (index, 7, &reader)).collect::<Vec<_>>(), true);
    for _ in 0..5 {
        let (request, _) = h.release_request(&reader, 7, block.hash);
        assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    }
    let page = h.call(Method::GET, "/v1/releases?limit=2", Vec::new()).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next"].as_u64().expect("a next page");
    let page = h.call(Method::GET, &format!("/v1/releases?from={next}&limit=100"), Vec::new()).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert_eq!(page["items"][0]["seq"].as_u64(), Some(next));
    assert!(page["next"].is_null());
    let answer = h.call(Method::GET, "/v1/releases?limit=0", Vec::new()).await;
    assert_eq!(answer.code(), "malformed_request");
    let answer = h.call(Method::GET, "/v1/releases?from=x", Vec::new()).await;
    assert_eq!(answer.code(), "malformed_request");
}

#[tokio::test]
async fn after_a_restart_the_keys_and_the_release_log_are_still_there() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let stored = h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    let public = h.custodian.public_key();

    let h = h.restart();
    assert_eq!(h.custodian.public_key(), public, "the custodian key is derived from the same master key");
    assert_eq!(h.keys.key_count().unwrap(), 1);
    assert_eq!(h.release_log().await.len(), 1);
    refused(&h, &request, StatusCode::CONFLICT, "already_released").await;
    let block = h.open(7, &reader());
    let (request, ephemeral) = h.release_request(&reader(), 7, block.hash);
    let answer = h.post_json("/v1/releases", &request).await;
    let response: ReleaseResponse = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(response.open_key(&h.binding(), &request, &ephemeral).unwrap(), stored.key);
}

#[tokio::test]
async fn a_release_whose_log_row_cannot_be_written_returns_no_key_and_consumes_no_open() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    h.put(7, DOCUMENT).await;
    let block = h.open(7, &reader());
    h.keys.with_connection(|conn| {
        conn.execute_batch(
            "CREATE TRIGGER fail_release BEFORE INSERT ON release_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap()
    });
    let (request, _) = h.release_request(&reader(), 7, block.hash);
    refused(&h, &request, StatusCode::INTERNAL_SERVER_ERROR, "internal").await;
    h.keys.with_connection(|conn| conn.execute_batch("DROP TRIGGER fail_release;").unwrap());
    assert_eq!(h.post_json("/v1/releases", &request).await.status, StatusCode::OK);
    assert_eq!(h.release_log().await.len(), 1);
}

#[tokio::test]
async fn a_finalized_erasure_shreds_the_key_and_the_blob_and_a_restart_resumes_from_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    let erased = h.put(7, DOCUMENT).await;
    let kept = h.put(8, b"kept").await;
    let shredder = Shredder { chain: h.chain.clone(), keys: h.keys.clone(), blobs: h.blobs.clone(), clock: clock(&h) };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(shredder.clone().run(async move {
        let _ = stopped.await;
    }));

    let erasure = h.chain.erase(7, h.now());
    // Not finalized: nothing happens.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(h.keys.key_count().unwrap(), 2);
    h.chain.finalize(erasure.number);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while h.keys.cursor().unwrap() != Some(erasure.number) {
        assert!(std::time::Instant::now() < deadline, "the shredder did not reach the erasure");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    task.await.unwrap();

    assert!(h.keys.held(7).unwrap().is_none());
    assert!(h.keys.shredded(7).unwrap());
    assert!(!h.blobs.exists(&erased.hash).await.unwrap());
    assert!(h.keys.held(8).unwrap().is_some() && h.blobs.exists(&kept.hash).await.unwrap());
    let answer = h.call(Method::GET, &format!("/v1/blobs/0x{}", hex::encode(erased.hash)), Vec::new()).await;
    assert_eq!(answer.code(), "blob_not_found");
    // A deposit for the erased record is refused, even if the chain still showed it current.
    h.register(7, &author(), erased.hash);
    h.put_blob(&erased.hash, erased.blob.clone()).await;
    let answer = h.post_json("/v1/keys", &h.deposit_request(7, &author(), erased.hash, &erased.key)).await;
    assert_eq!(answer.code(), "record_erased");

    // After a restart the shredder starts after its cursor.
    let h = h.restart();
    let shredder = Shredder { chain: h.chain.clone(), keys: h.keys.clone(), blobs: h.blobs.clone(), clock: clock(&h) };
    assert_eq!(shredder.start().await.unwrap(), erasure.number + 1);
    // Processing a block again is harmless (a crash between the blob and the transaction repeats it).
    assert_eq!(shredder.process(erasure).await.unwrap(), vec![7]);
    assert!(h.keys.held(8).unwrap().is_some());
}

#[tokio::test]
async fn the_first_start_of_the_shredder_begins_at_the_finalized_head() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path());
    for _ in 0..3 {
        h.chain.add_block(h.now(), vec![RecordsEvent::Erased { event_index: 0, record: 99 }]);
    }
    h.chain.finalize(3);
    let shredder = Shredder { chain: h.chain.clone(), keys: h.keys.clone(), blobs: h.blobs.clone(), clock: clock(&h) };
    assert_eq!(shredder.start().await.unwrap(), 3);
}
