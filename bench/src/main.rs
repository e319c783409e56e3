//! healthchain-bench: ref_time, proof_size and storage deposit of every user-facing message of the five healthchain
//! contracts, side by side with ink!'s ERC-20, and how they scale with the data on chain (issue #9).
//!
//! ```text
//! healthchain-bench                          the in-process sandbox (weights and deposits NOT a chain's)
//! healthchain-bench --node ws://127.0.0.1:9944   a substrate-contracts-node (its real weights and deposits)
//! ```
//! The contracts must be release builds (`cargo contract build --release`; `scripts/bench.sh` does it). Writes
//! `bench/results/<backend>.json` and BENCHMARKS.md. Options: see `usage()`.

mod measure;
mod messages;
mod report;
mod sandbox;
mod scaling;

use core::fmt::Debug;
use std::{
    path::{Path, PathBuf},
    process::exit,
    time::Instant,
};

use healthchain_tests::{Backend, Env};
use ink_e2e::ContractsBackend;

use measure::{Bench, Row};
use report::Run;
use scaling::{Scale, Timings};

/// The contracts, by the name ink_e2e knows them by (the .wasm file's stem).
const CONTRACTS: [&str; 6] = ["participants", "consent", "records", "claims", "custody", "erc20"];
/// Entries populated before the first scaling measurement.
const SMALL: u64 = 10;

fn usage() -> &'static str {
    "usage: healthchain-bench [--node ws://HOST:PORT] [--count N] [--node-count N] [--wasm-dir DIR]\n\
     \x20                        [--results DIR] [--markdown FILE] [--compare FILE] [--quiet]\n\
     \x20 --node URL        run on a substrate-contracts-node instead of the in-process sandbox\n\
     \x20 --count N         entries populated per kind for the scaling table on the sandbox (default 10000)\n\
     \x20 --node-count N    the same on a node, where every entry is a block (default 1000)\n\
     \x20 --wasm-dir DIR    the release builds of scripts/build.sh, DIR/<name>/<name>.wasm\n\
     \x20                   (default $CARGO_TARGET_DIR/release/contracts, else target/release/contracts)\n\
     \x20 --results DIR     where <backend>.json goes (default bench/results)\n\
     \x20 --markdown FILE   the report rendered from every results file (default BENCHMARKS.md)\n\
     \x20 --compare FILE    print the changes against an earlier results file"
}

struct Options {
    node: Option<String>,
    count: u64,
    node_count: u64,
    wasm_dir: PathBuf,
    results: PathBuf,
    markdown: PathBuf,
    compare: Option<PathBuf>,
    quiet: bool,
}

fn die(message: impl AsRef<str>) -> ! {
    eprintln!("error: {}", message.as_ref());
    exit(2)
}

fn options() -> Options {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let mut o = Options {
        node: None,
        count: 10_000,
        node_count: 1_000,
        wasm_dir: target.join("release").join("contracts"),
        results: root.join("bench/results"),
        markdown: root.join("BENCHMARKS.md"),
        compare: None,
        quiet: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| die(format!("{name} needs a value\n{}", usage())));
        let count = |name: &str, text: String| -> u64 {
            match text.replace('_', "").parse::<u64>() {
                Ok(n) if n > SMALL => n,
                _ => die(format!("{name} takes a whole number above {SMALL}, not '{text}'")),
            }
        };
        match arg.as_str() {
            "--node" => o.node = Some(value("--node")),
            "--count" => o.count = count("--count", value("--count")),
            "--node-count" => o.node_count = count("--node-count", value("--node-count")),
            "--wasm-dir" => o.wasm_dir = PathBuf::from(value("--wasm-dir")),
            "--results" => o.results = PathBuf::from(value("--results")),
            "--markdown" => o.markdown = PathBuf::from(value("--markdown")),
            "--compare" => o.compare = Some(PathBuf::from(value("--compare"))),
            "--quiet" => o.quiet = true,
            "-h" | "--help" => {
                println!("{}", usage());
                exit(0)
            }
            other => die(format!("unknown argument '{other}'\n{}", usage())),
        }
    }
    o
}

/// The release .wasm of every contract, with its size; a one-line error naming the fix when one is missing or is a
/// debug build. ink_e2e (the test suite, the story) writes its debug builds to the same place as cargo-contract's
/// release builds, `<target>/ink/<name>/<name>.wasm`: a debug build imports `debug_message` (ink's `ink-debug`
/// feature, which contract-build turns on for debug builds only), a release build does not.
fn wasm_files(dir: &Path) -> Vec<(String, PathBuf, u64)> {
    CONTRACTS
        .iter()
        .map(|name| {
            let path = dir.join(name).join(format!("{name}.wasm"));
            let manifest = if *name == "erc20" {
                "bench/erc20/Cargo.toml".to_string()
            } else {
                format!("contracts/{name}/Cargo.toml")
            };
            let fix = format!(
                "run scripts/bench.sh, or scripts/build.sh with the same CARGO_TARGET_DIR (or pass --wasm-dir); \
                 {manifest} is the contract"
            );
            let code = std::fs::read(&path)
                .unwrap_or_else(|_| die(format!("no release build of {name} at {}: {fix}", path.display())));
            if code.windows(b"debug_message".len()).any(|w| w == b"debug_message") {
                die(format!(
                    "{} is a debug build (it imports debug_message; ink_e2e writes its debug builds there): {fix}",
                    path.display()
                ));
            }
            (name.to_string(), path, code.len() as u64)
        })
        .collect()
}

/// Everything measured on one client.
struct Measured {
    rows: Vec<Row>,
    notes: Vec<String>,
    scaling: Vec<Scale>,
    timings: Vec<(&'static str, f64)>,
}

/// Everything measured on one client: the per-message rows, then the scaling table.
async fn bench<C: Backend>(client: &mut C, large: u64, quiet: bool) -> Measured
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let mut b = Bench::new(client);
    b.verbose = !quiet;
    let start = Instant::now();
    let ctx = messages::run(&mut b).await;
    let measured = start.elapsed().as_secs_f64();
    println!("per-message measurements: {} rows in {measured:.0} s", b.rows.len());
    println!("scaling: {SMALL} then {large} entries of each kind");
    let (scale, Timings { populate_small, populate_large, probes }) = scaling::run(&mut b, &ctx, SMALL, large).await;
    let timings = vec![
        ("per_message_measurement", measured),
        ("population_to_small", populate_small.as_secs_f64()),
        ("population_to_large", populate_large.as_secs_f64()),
        ("scaling_probes", probes.as_secs_f64()),
        ("total", start.elapsed().as_secs_f64()),
    ];
    Measured { rows: b.rows, notes: b.notes, scaling: scale, timings }
}

fn main() {
    let o = options();
    let wasm = wasm_files(&o.wasm_dir);
    let paths: Vec<PathBuf> = wasm.iter().map(|(_, path, _)| path.clone()).collect();
    let code_sizes: Vec<(String, u64)> = wasm.iter().map(|(name, _, size)| (name.clone(), *size)).collect();
    for (name, path, size) in &wasm {
        println!("{name:<13} {size:>7} bytes  {}", path.display());
    }
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| die(format!("no tokio runtime: {e}")));
    let (backend, large, Measured { rows, notes, scaling, timings }) = runtime.block_on(async {
        match &o.node {
            None => {
                println!("backend: in-process sandbox (ink_e2e DefaultSandbox runtime; its weights and deposits are not a chain's)");
                let mut client = ink_e2e::SandboxClient::<_, _, sandbox::BenchSandbox>::new(paths);
                ("sandbox", o.count, bench(&mut client, o.count, o.quiet).await)
            }
            Some(url) => {
                println!("backend: substrate-contracts-node at {url}");
                let rpc = ink_e2e::RpcClient::from_url(url.as_str()).await.unwrap_or_else(|e| {
                    die(format!("node unreachable at {url} ({e}): start one, e.g. 'substrate-contracts-node --dev --tmp'"))
                });
                let mut client = ink_e2e::Client::<ink_e2e::PolkadotConfig, Env>::new(rpc, paths)
                    .await
                    .unwrap_or_else(|e| die(format!("could not talk to the node at {url}: {e:?}")));
                ("node", o.node_count, bench(&mut client, o.node_count, o.quiet).await)
            }
        }
    });
    for (phase, secs) in &timings {
        println!("time: {phase:<26} {secs:>8.1} s");
    }
    let run = Run { backend, node_url: o.node.clone(), small: SMALL, large, code_sizes, rows, notes, scaling, timings };
    let json = run.to_json();

    if let Some(path) = &o.compare {
        match std::fs::read_to_string(path).map(|text| serde_json::from_str::<serde_json::Value>(&text)) {
            Ok(Ok(before)) => print!("{}", report::compare(&json, &before)),
            Ok(Err(e)) => eprintln!("warning: {} is not a results file ({e}): no comparison", path.display()),
            Err(e) => eprintln!("warning: cannot read {} ({e}): no comparison", path.display()),
        }
    }
    std::fs::create_dir_all(&o.results).unwrap_or_else(|e| die(format!("cannot create {}: {e}", o.results.display())));
    let json_path = o.results.join(format!("{backend}.json"));
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|e| die(format!("cannot encode the results: {e}")));
    std::fs::write(&json_path, text + "\n")
        .unwrap_or_else(|e| die(format!("cannot write {}: {e}", json_path.display())));
    let markdown = report::markdown(&report::load_runs(&o.results));
    std::fs::write(&o.markdown, markdown)
        .unwrap_or_else(|e| die(format!("cannot write {}: {e}", o.markdown.display())));
    let misses = json["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["group"] == "message" && r["meets"] == false)
        .count();
    let flat_misses = json["scaling"].as_array().into_iter().flatten().filter(|r| r["meets"] == false).count();
    println!("wrote {} and {}", json_path.display(), o.markdown.display());
    println!(
        "{misses} state-changing message rows over their ratio target; {flat_misses} scaling rows over {}",
        report::SCALING_TARGET
    );
}
