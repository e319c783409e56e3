//! The custodian as a separate process against a substrate-contracts-node, with the five contracts deployed and the
//! cast credentialed by the e2e harness: consent binds the data, not only the log. Runs with the `node` feature
//! (scripts/test.sh turns it on when it finds a node).
#![cfg(feature = "node")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::records::records::Error as RecordsError;
use healthchain_client::chain::records as on_chain;
use healthchain_client::{flows, Chain, ClientError, Custodian, Keypair};
use healthchain_format::{Binding, DataKey, DepositRequest, ReleaseRequest, X25519Secret};
use healthchain_tests::scenarios::grant_general;
use healthchain_tests::{account, ok, on_node_at, Cast, NodeClient, Suite, FUNDS};
use interfaces::{Basis, DataClass, Denied, Purpose, Role};

/// How old an open may be; short, so the test can wait it out.
const RELEASE_WINDOW_SECS: u64 = 6;

/// A `healthchain-custodian` process on a free loopback port, killed when dropped.
struct Process {
    child: Child,
    url: String,
}

impl Process {
    fn start(node: &str, records: &[u8; 32], data: &Path, port: u16) -> Process {
        let child = Command::new(env!("CARGO_BIN_EXE_healthchain-custodian"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--node", node])
            .args(["--records", &format!("0x{}", hex::encode(records))])
            .arg("--data-dir")
            .arg(data)
            .args(["--release-window-secs", &RELEASE_WINDOW_SECS.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("healthchain-custodian starts");
        Process { child, url: format!("http://127.0.0.1:{port}") }
    }

    async fn ready(&self) -> Custodian {
        let api = Custodian::new(&self.url).expect("a custodian URL");
        for _ in 0..100 {
            if api.health().await.is_ok() {
                return api;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the custodian at {} did not answer /v1/health within 10 s", self.url);
    }

    /// SIGKILL: no shutdown, no flush beyond what was committed.
    fn kill(mut self) {
        self.child.kill().expect("kill the custodian");
        self.child.wait().expect("reap the custodian");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The harness's transactions return once in a block; the client reads at the finalized head, which the dev node
/// moves one second later. Waits that out.
async fn until_final() {
    tokio::time::sleep(Duration::from_millis(2500)).await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn code(error: ClientError) -> String {
    match error {
        ClientError::Http { code, .. } => code,
        other => panic!("expected a custodian error, got {other}"),
    }
}

/// A release request for `record` citing `block`, signed by `signer`.
fn request(binding: &Binding, signer: &Keypair, record: u64, block: [u8; 32]) -> (ReleaseRequest, X25519Secret) {
    let ephemeral = X25519Secret::random();
    let mut request = ReleaseRequest::unsigned(record, signer.public_key().0, block, ephemeral.public(), now_ms());
    request.signature = signer.sign(&request.message(binding)).0;
    (request, ephemeral)
}

async fn new_provider(client: &mut NodeClient, suite: &Suite, cast: &Cast) -> Keypair {
    let keypair = client_account(client, cast).await;
    suite.credential(client, cast, account(&keypair), Role::Provider).await;
    keypair
}

async fn client_account(client: &mut NodeClient, cast: &Cast) -> Keypair {
    use ink_e2e::ChainBackend as _;
    client.create_and_fund_account(&cast.admin, FUNDS).await
}

#[test]
fn consent_binds_the_data_through_the_custodian() {
    on_node_at(|mut client, node| async move {
        let client = &mut client;
        let cast = Cast::new(client).await;
        let suite = Suite::deploy_credentialed(client, &cast).await;
        let records_at: [u8; 32] = *suite.records.as_ref();
        let patient = account(&cast.patient);
        let data = tempfile::tempdir().unwrap();
        let port = free_port();
        let process = Process::start(&node, &records_at, data.path(), port);
        let api = process.ready().await;
        let chain = Chain::connect(&node).await.expect("connect to the node");
        let binding = Binding { genesis: chain.genesis(), records: records_at };

        // The doctor (consented to write) writes an encrypted note.
        grant_general(client, &suite, &cast, grantee(&cast.doctor), Purpose::Treatment).await;
        until_final().await;
        let note = b"Progress note: chest pain resolved; continue aspirin 81 mg.".to_vec();
        let record =
            flows::put(&chain, &api, &cast.doctor, records_at, *patient.as_ref(), DataClass::Encounters, &note)
                .await
                .expect("the doctor writes the note");
        let on_chain = on_chain::record(&chain, records_at, record).await.unwrap().expect("the record");
        assert!(String::from_utf8_lossy(&on_chain.locator).starts_with(&api.base_url().to_string()));

        // A key deposit by anyone but the author, or for another hash than the record's, is refused.
        let custodian_key = api.info().await.unwrap().custodian_key;
        let deposit = |signer: &Keypair, hash: [u8; 32]| {
            let key = DataKey::random();
            let mut request =
                DepositRequest::unsigned(&binding, record, signer.public_key().0, hash, &key, &custodian_key, now_ms())
                    .unwrap();
            request.signature = signer.sign(&request.message(&binding)).0;
            request
        };
        let intruder = client_account(client, &cast).await;
        assert_eq!(code(api.deposit(&deposit(&intruder, on_chain.content_hash)).await.unwrap_err()), "not_author");
        assert_eq!(code(api.deposit(&deposit(&cast.doctor, [1; 32])).await.unwrap_err()), "record_hash_differs");
        assert_eq!(code(api.deposit(&deposit(&cast.doctor, on_chain.content_hash)).await.unwrap_err()), "key_exists");

        // A consented colleague reads it back byte for byte: one disclosure on chain, one release-log row.
        let colleague = new_provider(client, &suite, &cast).await;
        let consent = grant_general(client, &suite, &cast, grantee(&colleague), Purpose::Treatment).await;
        until_final().await;
        let read = flows::get(&chain, &api, &colleague, records_at, record, Purpose::Treatment).await;
        assert_eq!(read.expect("the colleague reads the note"), note);
        let disclosures = on_chain::disclosures(&chain, records_at, *patient.as_ref(), 0, 10).await.unwrap();
        assert_eq!(disclosures.items.len(), 1, "{disclosures:?}");
        assert_eq!(disclosures.items[0].basis, Basis::Consent(consent));
        let log = api.releases(0, 10).await.unwrap();
        assert_eq!(log.items.len(), 1, "{log:?}");
        assert_eq!(
            (log.items[0].record, log.items[0].reader),
            (record, *AsRef::<[u8; 32]>::as_ref(&account(&colleague)))
        );

        // The colleague's own open, released once; the same request again is a replay.
        let opened = on_chain::open(&chain, &colleague, records_at, record, Purpose::Treatment).await.unwrap();
        let (first, _) = request(&binding, &colleague, record, opened.block.hash);
        api.release(&first).await.expect("released against a fresh finalized open");
        assert_eq!(code(api.release(&first).await.unwrap_err()), "already_released");

        // A stranger (a credentialed provider without consent) is refused on chain, and nothing is released.
        let stranger = new_provider(client, &suite, &cast).await;
        until_final().await;
        let refused = flows::get(&chain, &api, &stranger, records_at, record, Purpose::Treatment).await.unwrap_err();
        assert!(matches!(refused, ClientError::Contract(RecordsError::Denied(Denied::NoConsent))), "{refused}");
        // Citing the colleague's open under the stranger's signature finds no open of the stranger's.
        let opened = on_chain::open(&chain, &colleague, records_at, record, Purpose::Treatment).await.unwrap();
        let (theirs, _) = request(&binding, &stranger, record, opened.block.hash);
        assert_eq!(code(api.release(&theirs).await.unwrap_err()), "open_not_found");
        // The colleague's request with the stranger's signature, or a forged one, is not the colleague's.
        let (mut forged, _) = request(&binding, &colleague, record, opened.block.hash);
        forged.signature = stranger.sign(&forged.message(&binding)).0;
        assert_eq!(code(api.release(&forged).await.unwrap_err()), "bad_signature");
        forged.signature = [7; 64];
        assert_eq!(code(api.release(&forged).await.unwrap_err()), "bad_signature");

        // An open of another record does not release this one; a block without an open (what a dry run would
        // leave: nothing) releases nothing.
        let other = flows::put(&chain, &api, &cast.doctor, records_at, *patient.as_ref(), DataClass::Labs, b"K 4.1")
            .await
            .unwrap();
        let other_open = on_chain::open(&chain, &colleague, records_at, other, Purpose::Treatment).await.unwrap();
        let (wrong_record, _) = request(&binding, &colleague, record, other_open.block.hash);
        assert_eq!(code(api.release(&wrong_record).await.unwrap_err()), "open_not_found");
        let head = chain.finalized_head().await.unwrap();
        let (no_open, _) = request(&binding, &colleague, record, head.hash);
        assert_eq!(code(api.release(&no_open).await.unwrap_err()), "open_not_found");

        // The still unreleased open of the colleague (`opened`) ages past the release window.
        tokio::time::sleep(Duration::from_secs(RELEASE_WINDOW_SECS + 2)).await;
        let (late, _) = request(&binding, &colleague, record, opened.block.hash);
        assert_eq!(code(api.release(&late).await.unwrap_err()), "open_too_old");

        // Killed mid-flight and restarted on the same data dir: the keys and the log are all there.
        let released_before = api.releases(0, 100).await.unwrap().items.len();
        process.kill();
        let process = Process::start(&node, &records_at, data.path(), port);
        let api = process.ready().await;
        assert_eq!(api.releases(0, 100).await.unwrap().items.len(), released_before);
        let again = flows::get(&chain, &api, &colleague, records_at, record, Purpose::Treatment).await;
        assert_eq!(again.expect("read after a restart"), note);

        // Revoking the consent stops the next release: the open itself is refused on chain.
        ok(client, &cast.patient, &suite.consent().revoke(consent)).await;
        until_final().await;
        let revoked = flows::get(&chain, &api, &colleague, records_at, record, Purpose::Treatment).await.unwrap_err();
        assert!(matches!(revoked, ClientError::Contract(RecordsError::Denied(_))), "{revoked}");

        // Break-glass: the stranger declares an emergency; its open releases, logged with basis Emergency.
        let emergency = ok(client, &stranger, &suite.consent().declare_emergency(patient, [9; 32])).await;
        until_final().await;
        let urgent = flows::get(&chain, &api, &stranger, records_at, record, Purpose::Emergency).await;
        assert_eq!(urgent.expect("a break-glass read"), note);
        let log = api.releases(0, 100).await.unwrap().items;
        assert_eq!(log.last().unwrap().basis, format!("Emergency({emergency})"));

        // The patient erases the record: the custodian shreds key and blob once the erasure is finalized; an open
        // made before the erasure no longer releases.
        let before_erasure =
            on_chain::open(&chain, &cast.patient, records_at, record, Purpose::Treatment).await.unwrap();
        flows::erase(&chain, &cast.patient, records_at, record).await.expect("the patient erases the note");
        let (after, _) = request(&binding, &cast.patient, record, before_erasure.block.hash);
        let mut shredded = false;
        for _ in 0..50 {
            if code(api.release(&after).await.unwrap_err()) == "record_erased"
                && api.get_blob(&on_chain.content_hash, 1 << 20).await.is_err()
            {
                shredded = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(shredded, "the custodian shreds an erased record's key and blob");
        assert!(!data_holds(data.path(), &on_chain.content_hash), "no copy of the blob is left on disk");
        drop(process);
    });
}

/// The consent grantee naming `keypair`'s account.
fn grantee(keypair: &Keypair) -> consent::consent::Grantee {
    consent::consent::Grantee::Account(account(keypair))
}

/// Whether any file under `dir` is named after `hash` (the directory blob store names blobs by their hash).
fn data_holds(dir: &Path, hash: &[u8; 32]) -> bool {
    let name = hex::encode(hash);
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n.to_string_lossy().contains(&name)) {
                return true;
            }
        }
    }
    false
}
