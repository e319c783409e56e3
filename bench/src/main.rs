//! healthchain-bench: ref_time, proof_size and storage deposit of every user-facing message of the five healthchain
//! contracts, side by side with ink!'s ERC-20, and how they scale with the data on chain (issue #9).
//!
//! On the in-process sandbox by default (its weights and deposits are NOT a chain's), on a substrate-contracts-node
//! with `--node URL`. The contracts must be release builds (`scripts/build.sh`; `scripts/bench.sh` does it). Writes
//! `bench/results/<backend>.json` and BENCHMARKS.md (`--render`: only BENCHMARKS.md, from bench/results, nothing
//! measured). Options: see [`USAGE`].
//!
//! - `messages`: every message measured once ([`measure`] says how), the ERC-20 baseline first;
//! - `scaling`: the key messages after a few and after many stored entries of each kind;
//! - `report`: the results file (typed) and the Markdown rendered from it.

mod measure;
mod messages;
mod report;
mod scaling;

use std::{
    path::{Path, PathBuf},
    process::exit,
    time::Instant,
};

use healthchain_tests::Backend;
use measure::Bench;
use report::{round, Group, Run, CONTRACTS};

/// Entries populated before the first scaling measurement.
const SMALL: u64 = 10;

const USAGE: &str = "\
usage: healthchain-bench [--node ws://HOST:PORT] [--count N] [--node-count N] [--wasm-dir DIR]
                         [--results DIR] [--markdown FILE] [--compare FILE] [--quiet] [--render]
  --node URL        run on a substrate-contracts-node instead of the in-process sandbox
  --count N         entries populated per kind for the scaling table on the sandbox (default 10000)
  --node-count N    the same on a node, where every entry is a block (default 1000)
  --wasm-dir DIR    the release builds of scripts/build.sh, DIR/<name>/<name>.wasm
                    (default $CARGO_TARGET_DIR/release/contracts, else target/release/contracts)
  --results DIR     where <backend>.json goes (default bench/results)
  --markdown FILE   the report rendered from every results file (default BENCHMARKS.md)
  --compare FILE    print the changes against an earlier results file
  --quiet           do not print each row as it is measured
  --render          measure nothing: render --markdown from the results files in --results";

/// The command line, parsed: see [`USAGE`].
#[derive(Default)]
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
    let (wasm_dir, results, markdown) =
        (target.join("release/contracts"), root.join("bench/results"), root.join("BENCHMARKS.md"));
    let mut o = Options { count: 10_000, node_count: 1_000, wasm_dir, results, markdown, ..Options::default() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| die(format!("{arg} needs a value\n{USAGE}")));
        let count = |text: String| match text.replace('_', "").parse::<u64>() {
            Ok(n) if n > SMALL => n,
            _ => die(format!("{arg} takes a whole number above {SMALL}, not '{text}'")),
        };
        match arg.as_str() {
            "--node" => o.node = Some(value()),
            "--count" => o.count = count(value()),
            "--node-count" => o.node_count = count(value()),
            "--wasm-dir" => o.wasm_dir = value().into(),
            "--results" => o.results = value().into(),
            "--markdown" => o.markdown = value().into(),
            "--compare" => o.compare = Some(value().into()),
            "--quiet" => o.quiet = true,
            "--render" => o.render = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                exit(0)
            }
            other => die(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    o
}

/// The release .wasm of every contract, with its size; a one-line error naming the fix when one is missing or is a
/// debug build. ink_e2e (the test suite, the story) writes its debug builds to `<target>/ink/<name>/<name>.wasm`: a
/// debug build imports `debug_message` (ink's `ink-debug` feature, which contract-build turns on for debug builds
/// only), a release build does not.
fn wasm_files(dir: &Path) -> [(&'static str, PathBuf, u64); 7] {
    let fix = "run scripts/bench.sh, or scripts/build.sh with the same CARGO_TARGET_DIR (or pass --wasm-dir)";
    CONTRACTS.map(|name| {
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
    })
}

/// Everything measured on one client (the backend `o` names): the per-message rows, then the scaling table, with the
/// time each phase took.
async fn bench<C: Backend>(client: &mut C, o: &Options) -> Run {
    let (backend, large) = if o.node.is_some() { ("node", o.node_count) } else { ("sandbox", o.count) };
    let (mut b, start) = (Bench::new(client, !o.quiet), Instant::now());
    let ctx = messages::run(&mut b).await;
    let measured = start.elapsed().as_secs_f64();
    println!("per-message measurements: {} rows in {measured:.0} s", b.rows.len());
    println!("scaling: {SMALL} then {large} entries of each kind");
    let mut run = Run::new(backend, o.node.clone(), (SMALL, large), std::mem::take(&mut b.rows));
    let (scaling, [to_small, to_large, probes]) = scaling::run(&mut b, &ctx, SMALL, large).await;
    let timings = [
        ("per_message_measurement", measured),
        ("population_to_small", to_small),
        ("population_to_large", to_large),
        ("scaling_probes", probes),
        ("total", start.elapsed().as_secs_f64()),
    ];
    run.timings_s = timings.into_iter().map(|(phase, secs)| (phase.to_string(), round(secs))).collect();
    (run.scaling, run.not_measured) = (scaling, b.notes);
    run
}

/// Measures on the backend the options name; writes its results file.
fn measure(o: &Options) {
    let wasm = wasm_files(&o.wasm_dir);
    for (name, path, size) in &wasm {
        println!("{name:<13} {size:>7} bytes  {}", path.display());
    }
    let paths = wasm.each_ref().map(|(_, path, _)| path.clone());
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread().enable_all().build();
    let runtime = runtime.unwrap_or_else(|e| die(format!("no tokio runtime: {e}")));
    let mut run = runtime.block_on(async {
        let Some(url) = &o.node else {
            println!("backend: in-process sandbox (ink_e2e DefaultSandbox runtime; its weights and deposits are not a chain's)");
            return bench(&mut healthchain_tests::SandboxClient::new(paths), o).await;
        };
        println!("backend: substrate-contracts-node at {url}");
        let rpc = ink_e2e::RpcClient::from_url(url.as_str()).await.unwrap_or_else(|e| {
            die(format!("node unreachable at {url} ({e}): start one, e.g. 'substrate-contracts-node --dev --tmp'"))
        });
        let client = ink_e2e::Client::<ink_e2e::PolkadotConfig, healthchain_tests::Env>::new(rpc, paths).await;
        bench(&mut client.unwrap_or_else(|e| die(format!("could not talk to the node at {url}: {e:?}"))), o).await
    });
    run.code_sizes = wasm.into_iter().map(|(name, _, size)| (name.to_string(), size)).collect();
    for (phase, secs) in &run.timings_s {
        println!("time: {phase:<26} {secs:>8.1} s");
    }
    if let Some(path) = &o.compare {
        match report::read(path) {
            Ok(before) => print!("{}", report::compare(&run, &before)),
            Err(e) => eprintln!("warning: {e}: no comparison"),
        }
    }
    let json_path = o.results.join(format!("{}.json", run.backend));
    let written = std::fs::create_dir_all(&o.results).and_then(|()| std::fs::write(&json_path, run.to_json()));
    written.unwrap_or_else(|e| die(format!("cannot write {}: {e}", json_path.display())));
    let misses = run.rows.iter().filter(|r| r.label.group == Group::Message && !r.meets).count();
    let (flat_misses, target) = (run.scaling.iter().filter(|r| !r.meets).count(), report::SCALING_TARGET);
    println!("wrote {}: {misses} state-changing message rows over their ratio target; {flat_misses} scaling rows over {target}", json_path.display());
}

fn main() {
    let o = options();
    if !o.render {
        measure(&o);
    }
    let runs = report::load_runs(&o.results).unwrap_or_else(|e| die(e));
    std::fs::write(&o.markdown, report::markdown(&runs))
        .unwrap_or_else(|e| die(format!("cannot write {}: {e}", o.markdown.display())));
    println!("wrote {} from {} results file(s) in {}", o.markdown.display(), runs.len(), o.results.display());
}
