//! The custodian client against a tiny in-process HTTP stub: what it sends (method, path, headers, body) and how it
//! reads answers and errors.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    sync::{Arc, Mutex},
};

use healthchain_format::{DataKey, SealedKey};

use super::*;

/// A request as the stub saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// A canned answer: status, content type, body.
type Answer = (u16, &'static str, Vec<u8>);

/// Serves each connection with `answer(request)`, one request per connection; returns the base URL and the log of
/// requests seen.
fn stub(answer: impl Fn(&Seen) -> Answer + Send + 'static) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_owned();
            let target = parts.next().unwrap_or_default().to_owned();
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                    break;
                }
                if let Some((key, value)) = header.split_once(':') {
                    headers.push((key.trim().to_owned(), value.trim().to_owned()));
                }
            }
            let length = headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request = Seen { method, target, headers, body };
            let (status, content_type, body) = answer(&request);
            log.lock().expect("log").push(request);
            let mut stream = reader.into_inner();
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    (base, seen)
}

fn json(status: u16, value: serde_json::Value) -> Answer {
    (status, "application/json", value.to_string().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    hex0x::encode(bytes)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

#[test]
fn custodian_urls_must_be_http_base_urls() {
    assert_eq!(Custodian::new("https://c.example.org/").expect("https").base_url(), "https://c.example.org");
    assert_eq!(Custodian::new("http://127.0.0.1:8080/x").expect("path").base_url(), "http://127.0.0.1:8080/x");
    for bad in ["c.example.org", "ftp://c.example.org", "https://c.example.org/?a=1", "http://"] {
        let error = Custodian::new(bad).expect_err(bad);
        assert!(matches!(error, ClientError::Input(_)), "{bad}: {error}");
    }
}

#[test]
fn info_is_read_from_v1_info() {
    let (base, seen) = stub(|_| {
        json(
            200,
            serde_json::json!({
                "version": 1, "genesis": hex(&[1; 32]), "records": hex(&[2; 32]), "custodian_key": hex(&[3; 32]),
                "release_window_secs": 600, "max_blob_bytes": 1024
            }),
        )
    });
    let info = runtime().block_on(Custodian::new(&base).expect("custodian").info()).expect("info");
    assert_eq!(
        info,
        Info {
            version: 1,
            genesis: [1; 32],
            records: [2; 32],
            custodian_key: [3; 32],
            release_window_secs: 600,
            max_blob_bytes: 1024
        }
    );
    let seen = seen.lock().expect("log");
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("GET", "/v1/info"));
}

#[test]
fn blobs_are_put_under_their_hash_as_octet_streams() {
    let (base, seen) = stub(|request| {
        let status = if request.body == b"again" { 200 } else { 201 };
        json(status, serde_json::json!({ "content_hash": hex(&[0xab; 32]) }))
    });
    let custodian = Custodian::new(&base).expect("custodian");
    let rt = runtime();
    assert_eq!(rt.block_on(custodian.put_blob(&[0xab; 32], b"blob".to_vec())).expect("put"), Stored::Created);
    assert_eq!(rt.block_on(custodian.put_blob(&[0xab; 32], b"again".to_vec())).expect("put"), Stored::AlreadyHeld);
    let error = rt.block_on(custodian.put_blob(&[0xcd; 32], b"other".to_vec())).expect_err("answer names another");
    assert!(matches!(error, ClientError::Decode { .. }), "{error}");
    let seen = seen.lock().expect("log");
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].target, format!("/v1/blobs/0x{}", "ab".repeat(32)));
    assert_eq!(seen[0].header("content-type"), Some("application/octet-stream"));
    assert_eq!(seen[0].body, b"blob");
}

#[test]
fn error_answers_become_http_errors_with_the_stable_code() {
    let (base, _) = stub(|request| match request.target.as_str() {
        "/v1/keys" => json(409, serde_json::json!({ "code": "key_exists", "message": "another key\nis held" })),
        _ => (502, "text/html", b"<html>bad gateway</html>".to_vec()),
    });
    let custodian = Custodian::new(&base).expect("custodian");
    let rt = runtime();
    let deposit = DepositRequest {
        record: 4,
        author: [1; 32],
        content_hash: [2; 32],
        sealed_key: SealedKey { ephemeral_public: [3; 32], nonce: [4; 24], ciphertext: [5; 48] },
        time_ms: 6,
        signature: [7; 64],
    };
    let error = rt.block_on(custodian.deposit(&deposit)).expect_err("refused");
    assert_eq!(error.custodian_code(), Some("key_exists"));
    assert!(matches!(&error, ClientError::Http { status: 409, message, .. } if message == "another key is held"));
    assert_eq!(error.to_string(), "the custodian refused (409 key_exists): another key is held");
    let error = rt.block_on(custodian.info()).expect_err("not the API");
    assert!(
        matches!(&error, ClientError::Http { status: 502, code, message } if code == "http_502" && message.contains("bad gateway")),
        "{error}"
    );
}

#[test]
fn deposits_and_releases_post_the_format_json() {
    let (base, seen) = stub(|request| match request.target.as_str() {
        "/v1/keys" => json(201, serde_json::json!({ "record": 4 })),
        _ => {
            let asked: serde_json::Value = serde_json::from_slice(&request.body).expect("json body");
            json(
                200,
                serde_json::json!({
                    "record": asked["record"], "block": asked["block"], "event_index": 3,
                    "sealed_key": { "ephemeral_public": hex(&[1; 32]), "nonce": hex(&[2; 24]), "ciphertext": hex(&[3; 48]) }
                }),
            )
        }
    });
    let custodian = Custodian::new(&base).expect("custodian");
    let rt = runtime();
    let binding = healthchain_format::Binding { genesis: [8; 32], records: [9; 32] };
    let deposit = DepositRequest::unsigned(&binding, 4, [1; 32], [2; 32], &DataKey::random(), &[9; 32], 77)
        .expect("unsigned deposit");
    assert_eq!(rt.block_on(custodian.deposit(&deposit)).expect("deposit"), Stored::Created);
    let request = ReleaseRequest::unsigned(4, [1; 32], [6; 32], [7; 32], 88);
    let response = rt.block_on(custodian.release(&request)).expect("release");
    assert_eq!((response.record, response.block, response.event_index), (4, [6; 32], 3));

    let seen = seen.lock().expect("log");
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("POST", "/v1/keys"));
    let sent: DepositRequest = serde_json::from_slice(&seen[0].body).expect("deposit json");
    assert_eq!(sent, deposit);
    assert_eq!((seen[1].method.as_str(), seen[1].target.as_str()), ("POST", "/v1/releases"));
    let sent: serde_json::Value = serde_json::from_slice(&seen[1].body).expect("release json");
    assert_eq!(sent["block"], hex(&[6; 32]));
    assert_eq!(sent["time_ms"], 88);
    assert!(seen[1].header("content-type").is_some_and(|value| value.starts_with("application/json")));
}

#[test]
fn a_release_answer_for_another_block_is_refused() {
    let (base, _) = stub(|_| {
        json(
            200,
            serde_json::json!({
                "record": 4, "block": hex(&[0xee; 32]), "event_index": 3,
                "sealed_key": { "ephemeral_public": hex(&[1; 32]), "nonce": hex(&[2; 24]), "ciphertext": hex(&[3; 48]) }
            }),
        )
    });
    let request = ReleaseRequest::unsigned(4, [1; 32], [6; 32], [7; 32], 88);
    let error = runtime().block_on(Custodian::new(&base).expect("custodian").release(&request)).expect_err("mismatch");
    assert!(matches!(error, ClientError::Decode { what: "the custodian's release answer", .. }), "{error}");
}

#[test]
fn blobs_over_the_limit_are_refused_while_reading() {
    let (base, seen) = stub(|_| (200, "application/octet-stream", vec![1u8; 100]));
    let custodian = Custodian::new(&base).expect("custodian");
    let rt = runtime();
    assert_eq!(rt.block_on(custodian.get_blob(&[5; 32], 100)).expect("at the limit"), vec![1u8; 100]);
    let error = rt.block_on(custodian.get_blob(&[5; 32], 99)).expect_err("over the limit");
    assert!(matches!(&error, ClientError::Decode { what: "the blob", reason } if reason.contains("99")), "{error}");
    assert_eq!(seen.lock().expect("log")[0].target, format!("/v1/blobs/0x{}", "05".repeat(32)));
}

#[test]
fn the_release_log_is_paged_with_from_and_a_bounded_limit() {
    let (base, seen) = stub(|_| {
        json(
            200,
            serde_json::json!({ "items": [{
                "seq": 10, "record": 4, "reader": hex(&[1; 32]), "block": hex(&[2; 32]), "event_index": 3,
                "purpose": "Treatment", "basis": "Consent(3)", "released_at_ms": 99
            }], "next": 11 }),
        )
    });
    let custodian = Custodian::new(&base).expect("custodian");
    let rt = runtime();
    let page = rt.block_on(custodian.releases(10, 5000)).expect("page");
    assert_eq!(page.next, Some(11));
    assert_eq!(page.items[0].basis, "Consent(3)");
    assert_eq!(page.items[0].reader, [1; 32]);
    rt.block_on(custodian.releases(0, 0)).expect("page");
    let seen = seen.lock().expect("log");
    assert_eq!(seen[0].target, "/v1/releases?from=10&limit=1000");
    assert_eq!(seen[1].target, "/v1/releases?from=0&limit=1");
}

#[test]
fn an_unreachable_custodian_is_named_with_its_url() {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let base = format!("http://127.0.0.1:{port}");
    let error = runtime().block_on(Custodian::new(&base).expect("custodian").health()).expect_err("nobody listens");
    assert!(matches!(&error, ClientError::Unreachable { url, .. } if url == &base), "{error}");
    assert!(error.to_string().contains("--custodian"), "{error}");
}

#[test]
fn http_errors_are_one_line_and_bounded() {
    let long = "x".repeat(5000);
    let error = http_error(StatusCode::INTERNAL_SERVER_ERROR, long.as_bytes());
    assert!(matches!(&error, ClientError::Http { message, .. } if message.len() == 200));
    let error = http_error(StatusCode::NOT_FOUND, b"");
    assert!(matches!(&error, ClientError::Http { message, code, .. } if message == "Not Found" && code == "http_404"));
}
