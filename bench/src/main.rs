//! healthchain-bench: ref_time, proof_size and storage deposit of every user-facing message of the five healthchain
//! contracts, side by side with ink!'s ERC-20, and how they scale with the data on chain (issue #9).
//!
//! On the in-process sandbox by default (its weights and deposits are NOT a chain's), on a substrate-contracts-node
//! with `--node URL`. The contracts must be release builds (`scripts/build.sh`; `scripts/bench.sh` does it). Writes
//! `bench/results/<backend>.json` and BENCHMARKS.md (`--render`: only BENCHMARKS.md, from bench/results, nothing
//! measured). Options: see `usage()`.
//!
//! - `messages`: every message measured once ([`measure`] says how), the ERC-20 baseline first;
//! - `scaling`: the key messages after a few and after many stored entries of each kind;
//! - `report`: the results file (typed) and the Markdown rendered from it.

mod measure;
mod messages;
mod report;
mod sandbox;
mod scaling;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::exit,
    time::Instant,
};

use healthchain_tests::Backend;
use measure::{Bench, Group};
use report::{Measured, Run};

/// The contracts, by the name ink_e2e knows them by (the .wasm file's stem).
const CONTRACTS: [&str; 6] = ["participants", "consent", "records", "claims", "custody", "erc20"];
/// Entries populated before the first scaling measurement.
const SMALL: u64 = 10;

fn usage() -> &'static str {
    "usage: healthchain-bench [--node ws://HOST:PORT] [--count N] [--node-count N] [--wasm-dir DIR]\n\
     \x20                        [--results DIR] [--markdown FILE] [--compare FILE] [--quiet] [--render]\n\
     \x20 --node URL        run on a substrate-contracts-node instead of the in-process sandbox\n\
     \x20 --count N         entries populated per kind for the scaling table on the sandbox (default 10000)\n\
     \x20 --node-count N    the same on a node, where every entry is a block (default 1000)\n\
     \x20 --wasm-dir DIR    the release builds of scripts/build.sh, DIR/<name>/<name>.wasm\n\
     \x20                   (default $CARGO_TARGET_DIR/release/contracts, else target/release/contracts)\n\
     \x20 --results DIR     where <backend>.json goes (default bench/results)\n\
     \x20 --markdown FILE   the report rendered from every results file (default BENCHMARKS.md)\n\
     \x20 --compare FILE    print the changes against an earlier results file\n\
     \x20 --quiet           do not print each row as it is measured\n\
     \x20 --render          measure nothing: render --markdown from the results files in --results"
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
    render: bool,
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
        render: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| die(format!("{arg} needs a value\n{}", usage())));
        let count = |text: String| match text.replace('_', "").parse::<u64>() {
            Ok(n) if n > SMALL => n,
            _ => die(format!("{arg} takes a whole number above {SMALL}, not '{text}'")),
        };
        match arg.as_str() {
            "--node" => o.node = Some(value()),
            "--count" => o.count = count(value()),
            "--node-count" => o.node_count = count(value()),
            "--wasm-dir" => o.wasm_dir = PathBuf::from(value()),
            "--results" => o.results = PathBuf::from(value()),
            "--markdown" => o.markdown = PathBuf::from(value()),
            "--compare" => o.compare = Some(PathBuf::from(value())),
            "--quiet" => o.quiet = true,
            "--render" => o.render = true,
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
/// debug build. ink_e2e (the test suite, the story) writes its debug builds to `<target>/ink/<name>/<name>.wasm`: a
/// debug build imports `debug_message` (ink's `ink-debug` feature, which contract-build turns on for debug builds
/// only), a release build does not.
fn wasm_files(dir: &Path) -> Vec<(&'static str, PathBuf, u64)> {
    let fix = "run scripts/bench.sh, or scripts/build.sh with the same CARGO_TARGET_DIR (or pass --wasm-dir)";
    let wasm = |name: &'static str| {
        let path = dir.join(name).join(format!("{name}.wasm"));
        let manifest = if name == "erc20" { "bench/erc20".into() } else { format!("contracts/{name}") };
        let fix = format!("{fix}; {manifest}/Cargo.toml is the contract");
        let code = std::fs::read(&path)
            .unwrap_or_else(|_| die(format!("no release build of {name} at {}: {fix}", path.display())));
        if code.windows(b"debug_message".len()).any(|w| w == b"debug_message") {
            let why = "it imports debug_message; ink_e2e writes its debug builds there";
            die(format!("{} is a debug build ({why}): {fix}", path.display()));
        }
        (name, path, code.len() as u64)
    };
    CONTRACTS.map(wasm).into()
}

/// Everything measured on one client: the per-message rows, then the scaling table.
async fn bench<C: Backend>(client: &mut C, large: u64, quiet: bool) -> Measured {
    let mut b = Bench::new(client, !quiet);
    let start = Instant::now();
    let ctx = messages::run(&mut b).await;
    let measured = start.elapsed().as_secs_f64();
    println!("per-message measurements: {} rows in {measured:.0} s", b.rows.len());
    println!("scaling: {SMALL} then {large} entries of each kind");
    let rows = std::mem::take(&mut b.rows);
    let (scaling, t) = scaling::run(&mut b, &ctx, SMALL, large).await;
    let timings = vec![
        ("per_message_measurement", measured),
        ("population_to_small", t.populate_small.as_secs_f64()),
        ("population_to_large", t.populate_large.as_secs_f64()),
        ("scaling_probes", t.probes.as_secs_f64()),
        ("total", start.elapsed().as_secs_f64()),
    ];
    Measured { rows, notes: b.notes, scaling, timings }
}

/// Measures on the backend the options name; writes its results file.
fn measure(o: &Options) -> Run {
    let wasm = wasm_files(&o.wasm_dir);
    for (name, path, size) in &wasm {
        println!("{name:<13} {size:>7} bytes  {}", path.display());
    }
    let paths: Vec<PathBuf> = wasm.iter().map(|(_, path, _)| path.clone()).collect();
    let code_sizes: BTreeMap<String, u64> = wasm.iter().map(|(name, _, size)| (name.to_string(), *size)).collect();
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread().enable_all().build();
    let runtime = runtime.unwrap_or_else(|e| die(format!("no tokio runtime: {e}")));
    let (backend, large, measured) = runtime.block_on(async {
        let Some(url) = &o.node else {
            println!("backend: in-process sandbox (ink_e2e DefaultSandbox runtime; its weights and deposits are not a chain's)");
            let mut client = ink_e2e::SandboxClient::<_, _, sandbox::BenchSandbox>::new(paths);
            return ("sandbox", o.count, bench(&mut client, o.count, o.quiet).await);
        };
        println!("backend: substrate-contracts-node at {url}");
        let rpc = ink_e2e::RpcClient::from_url(url.as_str()).await.unwrap_or_else(|e| {
            die(format!("node unreachable at {url} ({e}): start one, e.g. 'substrate-contracts-node --dev --tmp'"))
        });
        let mut client = ink_e2e::Client::<ink_e2e::PolkadotConfig, healthchain_tests::Env>::new(rpc, paths)
            .await
            .unwrap_or_else(|e| die(format!("could not talk to the node at {url}: {e:?}")));
        ("node", o.node_count, bench(&mut client, o.node_count, o.quiet).await)
    });
    for (phase, secs) in &measured.timings {
        println!("time: {phase:<26} {secs:>8.1} s");
    }
    let run = Run::new(backend, o.node.clone(), (SMALL, large), code_sizes, measured);
    if let Some(path) = &o.compare {
        match report::read(path) {
            Ok(before) => print!("{}", report::compare(&run, &before)),
            Err(e) => eprintln!("warning: {e}: no comparison"),
        }
    }
    std::fs::create_dir_all(&o.results).unwrap_or_else(|e| die(format!("cannot create {}: {e}", o.results.display())));
    let json_path = o.results.join(format!("{backend}.json"));
    std::fs::write(&json_path, run.to_json())
        .unwrap_or_else(|e| die(format!("cannot write {}: {e}", json_path.display())));
    println!("wrote {}", json_path.display());
    run
}

fn main() {
    let o = options();
    let run = (!o.render).then(|| measure(&o));
    let runs = report::load_runs(&o.results).unwrap_or_else(|e| die(e));
    std::fs::write(&o.markdown, report::markdown(&runs))
        .unwrap_or_else(|e| die(format!("cannot write {}: {e}", o.markdown.display())));
    println!("wrote {} from {} results file(s) in {}", o.markdown.display(), runs.len(), o.results.display());
    if let Some(run) = run {
        let misses = run.rows.iter().filter(|r| r.label.group == Group::Message && !r.meets).count();
        let flat_misses = run.scaling.iter().filter(|r| !r.meets).count();
        let target = report::SCALING_TARGET;
        println!(
            "{misses} state-changing message rows over their ratio target; {flat_misses} scaling rows over {target}"
        );
    }
}
