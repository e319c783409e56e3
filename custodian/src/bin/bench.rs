//! The custodian benchmark (issue #17, "Performance"): key releases per second and their latency over the
//! in-process HTTP router with the chain view answering from its cache, document encryption and decryption
//! throughput, and the resident memory of a custodian holding 100,000 keys. A measurement, not a check:
//!
//! ```text
//! cargo run --release -p healthchain-custodian --features bench --bin healthchain-custodian-bench -- [--out FILE] [--dir DIR] [--releases N] [--keys N]
//! ```
//!
//! Prints its progress, then the Markdown section BENCHMARKS.md ends with, and writes that section to `--out`
//! (default `bench/results/custodian.md`; `healthchain-bench --render` appends it). The memory figures come from a
//! child process (this program again, with `--memory-phase`), so that the buffers of the other measurements do not
//! count.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{exit, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use common::*;
use healthchain_custodian::keys::Deposited;
use healthchain_format::{decrypt_document, encrypt_document, record_aad, Binding, DataKey, Hash, ReleaseRequest};

const USAGE: &str = "\
usage: cargo run --release -p healthchain-custodian --features bench --bin healthchain-custodian-bench -- [--out FILE] [--dir DIR] [--releases N] [--keys N]
  --out FILE      the Markdown section written (default bench/results/custodian.md)
  --dir DIR       where the temporary data dirs go (default the system's temp dir; its disk is what fsync waits on)
  --releases N    releases per latency row (default 2000)
  --keys N        keys held for the memory figure (default 100000)";

/// Releases before each measured series, not measured (SQLite's page cache, the allocator, the blocking pool).
const WARM_UP: usize = 100;
/// Releases answered by the custodian holding `--keys` keys before its memory is read.
const MEMORY_RELEASES: usize = 1_000;
/// Concurrency of the memory phase's releases.
const MEMORY_CONCURRENCY: usize = 8;
/// Documents encrypted and decrypted per pass, and their size.
const DOCUMENTS: usize = 64;
const DOCUMENT_BYTES: usize = 1 << 20;
/// Passes over the documents; the fastest counts (other builds share the machine).
const CRYPTO_PASSES: usize = 3;

/// The issue's targets.
const RELEASES_PER_SEC: f64 = 1_000.0;
const P99_MS: f64 = 5.0;
const CRYPTO_MB_PER_SEC: f64 = 200.0;
const RESIDENT_MB: f64 = 100.0;

struct Options {
    out: PathBuf,
    dir: PathBuf,
    releases: usize,
    keys: u64,
    memory_phase: bool,
}

fn die(message: impl AsRef<str>) -> ! {
    eprintln!("error: {}", message.as_ref());
    exit(2)
}

fn options() -> Options {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut o = Options {
        out: root.join("bench/results/custodian.md"),
        dir: std::env::temp_dir(),
        releases: 2_000,
        keys: 100_000,
        memory_phase: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| die(format!("{arg} needs a value\n{USAGE}")));
        let mut count = |min: u64| {
            let text = value();
            match text.replace(['_', ','], "").parse::<u64>() {
                Ok(n) if n >= min => n,
                _ => die(format!("{arg} takes a whole number of at least {min}, not '{text}'")),
            }
        };
        match arg.as_str() {
            "--out" => o.out = value().into(),
            "--dir" => o.dir = value().into(),
            "--releases" => o.releases = count(100) as usize,
            "--keys" => o.keys = count(MEMORY_RELEASES as u64),
            "--memory-phase" => o.memory_phase = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                exit(0)
            }
            other => die(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    o
}

/// The key store's `synchronous` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// The key store's own setting: every commit (every release) waits for an fsync.
    Full,
    /// WAL's lighter setting, for comparison only: a commit survives a crash of the process, not a power cut.
    Normal,
}

impl Durability {
    fn name(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }

    /// `PRAGMA synchronous`'s numeric value.
    fn level(self) -> i64 {
        match self {
            Durability::Full => 2,
            Durability::Normal => 1,
        }
    }

    /// Sets it on the harness's key store (the one connection every clone shares) and checks it took.
    fn set(self, h: &Harness) {
        let level = h.keys.with_connection(|conn| {
            conn.pragma_update(None, "synchronous", self.name())?;
            conn.pragma_query_value(None, "synchronous", |row| row.get::<_, i64>(0))
        });
        assert_eq!(level.expect("PRAGMA synchronous"), self.level(), "synchronous {} did not take", self.name());
    }
}

/// One series of releases.
struct Series {
    releases: usize,
    concurrency: usize,
    per_sec: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

impl Series {
    fn line(&self) -> String {
        format!(
            "{} releases, {} concurrent: {:.0}/s, p50 {}, p99 {}, max {}",
            self.releases,
            self.concurrency,
            self.per_sec,
            ms(self.p50),
            ms(self.p99),
            ms(self.max)
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// `count` finalized blocks, each with one open of `record` by the reader (event index 1), every one read once
/// through the custodian's chain view so that block and events answer from its cache; and the signed requests.
async fn cited_blocks(h: &Harness, records: &[u64]) -> Vec<ReleaseRequest> {
    let blocks: Vec<_> = records.iter().map(|record| h.opens(&[(1, *record, &reader())], false)).collect();
    let last = blocks.last().expect("at least one block");
    h.chain.finalize(last.number);
    for block in &blocks {
        h.custodian.chain().block(block.hash).await.expect("block").expect("known");
        h.custodian.chain().events(block.hash).await.expect("events");
    }
    let requests = blocks.iter().zip(records).map(|(block, record)| h.release_request(&reader(), *record, block.hash));
    requests.map(|(request, _)| request).collect()
}

/// Sends `requests` over `concurrency` tasks (each its share, one after the other) and times each release.
async fn release_all(h: &Arc<Harness>, requests: Vec<ReleaseRequest>, concurrency: usize) -> Series {
    let releases = requests.len();
    let chunks: Vec<Vec<_>> = requests.chunks(releases.div_ceil(concurrency)).map(<[_]>::to_vec).collect();
    let start = Instant::now();
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let h = h.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(chunk.len());
                for request in chunk {
                    let one = Instant::now();
                    let answer = h.post_json("/v1/releases", &request).await;
                    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
                    latencies.push(one.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(releases);
    for task in tasks {
        latencies.extend(task.await.expect("a release task"));
    }
    let elapsed = start.elapsed();
    latencies.sort();
    // Nearest rank.
    let p = |q: f64| latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1];
    let (p50, p99, max) = (p(0.50), p(0.99), latencies[latencies.len() - 1]);
    Series { releases, concurrency, per_sec: releases as f64 / elapsed.as_secs_f64(), p50, p99, max }
}

/// `releases` releases of one record at `concurrency` in a fresh custodian with the key store at `durability`.
async fn release_series(dir: &Path, durability: Durability, concurrency: usize, releases: usize) -> Series {
    let data = tempfile::tempdir_in(dir).expect("a temporary data dir");
    let h = Arc::new(Harness::new(data.path()));
    durability.set(&h);
    h.put(7, b"a document").await;
    let requests = cited_blocks(&h, &vec![7; WARM_UP + releases]).await;
    let (warm_up, measured) = requests.split_at(WARM_UP);
    release_all(&h, warm_up.to_vec(), 1).await;
    let series = release_all(&h, measured.to_vec(), concurrency).await;
    let (log, _) = h.keys.releases(0, u32::MAX).expect("the release log");
    assert_eq!(log.len(), WARM_UP + releases, "one release-log row per release");
    series
}

/// Encryption and decryption throughput, MB/s (10^6 bytes), the fastest of [`CRYPTO_PASSES`].
fn crypto() -> (f64, f64) {
    let binding = Binding { genesis: [0x6e; 32], records: RECORDS };
    let (key, aad) = (DataKey::random(), record_aad(&binding, &id(&patient()), CLASS));
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let documents: Vec<Vec<u8>> = (0..DOCUMENTS)
        .map(|_| {
            (0..DOCUMENT_BYTES)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect()
        })
        .collect();
    let megabytes = (DOCUMENTS * DOCUMENT_BYTES) as f64 / 1e6;
    let (mut encrypt, mut decrypt) = (Duration::MAX, Duration::MAX);
    for pass in 1..=CRYPTO_PASSES {
        let start = Instant::now();
        let blobs: Vec<Vec<u8>> = documents.iter().map(|document| encrypt_document(&key, &aad, document)).collect();
        let encrypted = start.elapsed();
        let start = Instant::now();
        for (blob, document) in blobs.iter().zip(&documents) {
            let opened = decrypt_document(&key, &aad, blob).expect("the blob opens");
            assert_eq!(opened.len(), document.len());
        }
        let decrypted = start.elapsed();
        println!(
            "  pass {pass}: encrypt {:.0} MB/s, decrypt {:.0} MB/s",
            megabytes / encrypted.as_secs_f64(),
            megabytes / decrypted.as_secs_f64()
        );
        (encrypt, decrypt) = (encrypt.min(encrypted), decrypt.min(decrypted));
    }
    (megabytes / encrypt.as_secs_f64(), megabytes / decrypt.as_secs_f64())
}

/// `VmRSS` and `VmHWM` of this process, KiB.
fn resident() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|line| line.starts_with(name));
        line.and_then(|line| line.split_whitespace().nth(1)).and_then(|kib| kib.parse().ok()).unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A content hash for a deposited key (the store does not check it against a blob).
fn hash_of(record: u64) -> Hash {
    let mut hash = [0xc4; 32];
    hash[..8].copy_from_slice(&record.to_le_bytes());
    hash
}

/// The memory phase (in its own process): deposits `keys` keys through the key store, answers
/// [`MEMORY_RELEASES`] releases of as many records spread over them, then prints a `RESULT` line.
async fn memory_phase(o: &Options) {
    let data = tempfile::tempdir_in(&o.dir).expect("a temporary data dir");
    let h = Arc::new(Harness::new(data.path()));
    let (rss_empty, _) = resident();
    // One transaction per deposit (the API's unit); NORMAL while filling so that 100,000 commits do not each
    // wait for the disk. Releases run at the store's own FULL.
    Durability::Normal.set(&h);
    let start = Instant::now();
    for record in 1..=o.keys {
        let deposited = h.keys.deposit(record, &hash_of(record), &DataKey::random(), h.now()).expect("deposit");
        assert_eq!(deposited, Deposited::New);
        if record % 20_000 == 0 {
            println!("  {record} keys deposited ({:.1} s)", start.elapsed().as_secs_f64());
        }
    }
    let deposit_s = start.elapsed().as_secs_f64();
    Durability::Full.set(&h);
    assert_eq!(h.keys.key_count().expect("key count"), o.keys);
    let stride = o.keys / MEMORY_RELEASES as u64;
    let records: Vec<u64> = (0..MEMORY_RELEASES as u64).map(|i| 1 + i * stride).collect();
    for record in &records {
        h.register(*record, &author(), hash_of(*record));
    }
    let requests = cited_blocks(&h, &records).await;
    let series = release_all(&h, requests, MEMORY_CONCURRENCY).await;
    println!("  {}", series.line());
    let (rss, hwm) = resident();
    let db_bytes: u64 = std::fs::read_dir(data.path())
        .map(|entries| entries.flatten().filter_map(|entry| entry.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    println!(
        "RESULT keys={} deposit_s={deposit_s:.3} rss_empty_kib={rss_empty} rss_kib={rss} hwm_kib={hwm} db_bytes={db_bytes} \
         per_sec={:.1} p99_us={}",
        o.keys,
        series.per_sec,
        series.p99.as_micros()
    );
}

/// What the memory phase reported.
struct Memory {
    deposit_s: f64,
    rss_empty_kib: u64,
    rss_kib: u64,
    hwm_kib: u64,
    db_bytes: u64,
    per_sec: f64,
    p99: Duration,
}

/// Runs the memory phase in a child process, passing its progress through.
fn memory(o: &Options) -> Memory {
    let exe = std::env::current_exe().unwrap_or_else(|e| die(format!("cannot find this program: {e}")));
    let mut child = Command::new(exe)
        .args(["--memory-phase", "--keys", &o.keys.to_string(), "--dir"])
        .arg(&o.dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| die(format!("cannot start the memory phase: {e}")));
    let mut result = None;
    for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines().map_while(Result::ok) {
        match line.strip_prefix("RESULT ") {
            Some(fields) => result = Some(fields.to_string()),
            None => println!("{line}"),
        }
    }
    let status = child.wait().unwrap_or_else(|e| die(format!("the memory phase: {e}")));
    let fields =
        result.filter(|_| status.success()).unwrap_or_else(|| die(format!("the memory phase failed ({status})")));
    let field = |name: &str| -> f64 {
        let value = fields.split_whitespace().find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='));
        value.and_then(|v| v.parse().ok()).unwrap_or_else(|| die(format!("no {name} in '{fields}'")))
    };
    Memory {
        deposit_s: field("deposit_s"),
        rss_empty_kib: field("rss_empty_kib") as u64,
        rss_kib: field("rss_kib") as u64,
        hwm_kib: field("hwm_kib") as u64,
        db_bytes: field("db_bytes") as u64,
        per_sec: field("per_sec"),
        p99: Duration::from_micros(field("p99_us") as u64),
    }
}

/// The first `model name` of /proc/cpuinfo.
fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info.lines().find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, m)| m.trim()));
    model.unwrap_or("unknown").to_string()
}

/// The 1, 5 and 15 minute load averages (what `uptime` shows).
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(", ")
}

/// The type of the file system holding `path` (the longest mount point of /proc/mounts above it).
fn file_system(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let above = mounts.lines().filter_map(|line| {
        let mut fields = line.split_whitespace();
        let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
        path.starts_with(point).then(|| (point.len(), kind.to_string()))
    });
    above.max().map_or("unknown".into(), |(_, kind)| kind)
}

/// Today's date, UTC (YYYY-MM-DD).
fn today() -> String {
    let days = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn met(ok: bool) -> &'static str {
    if ok {
        "yes"
    } else {
        "**no**"
    }
}

fn main() {
    let o = options();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let runtime = runtime.unwrap_or_else(|e| die(format!("no tokio runtime: {e}")));
    if o.memory_phase {
        runtime.block_on(memory_phase(&o));
        return;
    }
    std::fs::create_dir_all(&o.dir).unwrap_or_else(|e| die(format!("cannot create {}: {e}", o.dir.display())));
    let (load_before, started) = (load_average(), Instant::now());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let (cpu, fs) = (cpu_model(), file_system(&o.dir));
    println!(
        "custodian benchmark: {cores} cores ({cpu}), load average {load_before}; data dirs in {} ({fs})",
        o.dir.display()
    );

    println!("releases: {} per series after {WARM_UP} unmeasured, 2 tokio workers", o.releases);
    let mut series = Vec::new();
    for durability in [Durability::Full, Durability::Normal] {
        for concurrency in [1, 8] {
            let one = runtime.block_on(release_series(&o.dir, durability, concurrency, o.releases));
            println!("  synchronous {}: {}", durability.name(), one.line());
            series.push((durability, one));
        }
    }

    println!("encryption: {DOCUMENTS} documents of {} MiB, one thread", DOCUMENT_BYTES >> 20);
    let (encrypt, decrypt) = crypto();
    let round_trip = 1.0 / (1.0 / encrypt + 1.0 / decrypt);
    println!("  best: encrypt {encrypt:.0} MB/s, decrypt {decrypt:.0} MB/s, encrypt then decrypt {round_trip:.0} MB/s");

    println!(
        "memory: a custodian in its own process holding {} keys, then answering {MEMORY_RELEASES} releases",
        o.keys
    );
    let m = memory(&o);
    let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
    println!(
        "  VmRSS {:.1} MB (empty {:.1} MB), VmHWM {:.1} MB; key store {:.1} MB on disk; deposits took {:.1} s",
        mb(m.rss_kib),
        mb(m.rss_empty_kib),
        mb(m.hwm_kib),
        m.db_bytes as f64 / 1e6,
        m.deposit_s
    );
    let (load_after, minutes) = (load_average(), started.elapsed().as_secs_f64() / 60.0);

    let mut md = String::new();
    let keys = thousands(o.keys);
    let _ = write!(
        md,
        "## Custodian\n\n\
         Written by `scripts/bench.sh --custodian` (the program `custodian/src/bin/bench.rs`; the script then renders \
         this file again) on {date}: {cores} cores (`nproc`), \
         CPU {cpu}, load average {load_before} at the start and {load_after} at the end ({minutes:.1} minutes; \
         other builds may have shared the machine), data dirs on {fs}.\n\n\
         Releases go through the custodian's HTTP router in process (no TCP) on a tokio multi-thread runtime with 2 \
         workers, over a `FakeChain` behind the `Cached` view with every cited block read once beforehand, so the \
         block and its events come from the cache; the record itself is read each time, from memory here, from the \
         node's finalized head in production (one more round trip there). Requests are signed beforehand: a \
         release's time covers the sr25519 verification, the checks, the SQLite transaction (read and unseal the key, \
         insert the release-log row, commit) and sealing the key to the reader. {releases} releases of one record per \
         row, each citing its own block, after {WARM_UP} unmeasured; with 8 concurrent, each latency includes the wait \
         for the key store (one connection). `synchronous` FULL is the key store's setting: every release's commit \
         waits for an fsync, so a released key always has its log row even after a power cut (the audit property); \
         NORMAL (WAL) is shown for comparison only (the row survives a crash of the process, not of the machine).\n\n\
         Encryption: `encrypt_document` and `decrypt_document` (XChaCha20-Poly1305) on {DOCUMENTS} documents of \
         1 MiB, one thread, the fastest of {CRYPTO_PASSES} passes; MB = 10^6 bytes. Memory: a custodian (key store \
         and router as in `custodian/tests/common`) in its own process, {keys} keys deposited through \
         `KeyStore::deposit` (one transaction each, at `synchronous` NORMAL while filling: {deposit_s:.1} s), then \
         {memory_releases} releases of as many records spread over them at FULL, 8 concurrent ({mem_rate:.0}/s, p99 \
         {mem_p99}); VmRSS and VmHWM (the peak) from /proc/self/status afterwards, {empty:.1} MB before the first \
         deposit; the key store is {db:.1} MB on disk.\n\n\
         | figure | measured | target | met |\n|---|--:|--:|---|\n",
        date = today(),
        memory_releases = thousands(MEMORY_RELEASES),
        releases = thousands(o.releases),
        deposit_s = m.deposit_s,
        mem_rate = m.per_sec,
        mem_p99 = ms(m.p99),
        empty = mb(m.rss_empty_kib),
        db = m.db_bytes as f64 / 1e6,
    );
    for (durability, s) in &series {
        let (name, c) = (durability.name(), s.concurrency);
        let p99_ms = s.p99.as_secs_f64() * 1e3;
        let _ = writeln!(
            md,
            "| releases/s, {c} concurrent, synchronous {name} | {} | ≥ 1,000 | {} |",
            thousands(s.per_sec.round() as u64),
            met(s.per_sec >= RELEASES_PER_SEC)
        );
        let _ = writeln!(md, "| p50 of one release, {c} concurrent, synchronous {name} | {} | | |", ms(s.p50));
        let _ = writeln!(
            md,
            "| p99 of one release, {c} concurrent, synchronous {name} | {} | ≤ 5 ms | {} |",
            ms(s.p99),
            met(p99_ms <= P99_MS)
        );
    }
    for (what, rate) in [("encrypt", encrypt), ("decrypt", decrypt), ("encrypt then decrypt", round_trip)] {
        let _ = writeln!(md, "| {what} | {rate:.0} MB/s | ≥ 200 MB/s | {} |", met(rate >= CRYPTO_MB_PER_SEC));
    }
    for (what, kib) in [("VmRSS", m.rss_kib), ("VmHWM (peak)", m.hwm_kib)] {
        let _ = writeln!(
            md,
            "| {what} with {keys} keys | {:.1} MB | ≤ 100 MB | {} |",
            mb(kib),
            met(mb(kib) <= RESIDENT_MB)
        );
    }
    md.push('\n');
    println!("\n{md}");
    if let Some(parent) = o.out.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| die(format!("cannot create {}: {e}", parent.display())));
    }
    std::fs::write(&o.out, &md).unwrap_or_else(|e| die(format!("cannot write {}: {e}", o.out.display())));
    println!("wrote {}", o.out.display());
}

/// 1234567 -> "1,234,567".
fn thousands(n: impl ToString) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
