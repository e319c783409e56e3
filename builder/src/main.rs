//! `healthchain-build`: locked release builds of the contracts, one progress line each, the compiler's output in a
//! log file, and the code hashes written to or checked against `contracts/code-hashes.json`.
//!
//! ```text
//! healthchain-build [--root DIR] [--out DIR] [--log FILE] [--write-hashes | --check-hashes] [CONTRACT ...]
//! ```
//! Without contracts it builds the five of the suite. `--root` is the checkout to build (default: this one; another
//! clone or tag to verify its code hashes), `--out` defaults to `<cargo target dir>/release/contracts`, `--log` to
//! `<out>/build.log`.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
    time::Instant,
};

use anyhow::{anyhow, bail, Context, Result};
use contract_build::Verbosity;
use healthchain_builder::{build, code_hash, code_hashes_json, pinned_toolchain, Built, CODE_HASHES, CONTRACTS};

struct Options {
    /// The checkout whose contracts are built (default: the one this binary was built from).
    root: PathBuf,
    out: PathBuf,
    log: Option<PathBuf>,
    write_hashes: bool,
    check_hashes: bool,
    /// Internal: build this one contract in this process (the parent sends its output to the log).
    one: Option<String>,
    contracts: Vec<String>,
}

/// The working directory when it is a checkout (scripts run from the root), else the checkout this binary was
/// compiled in. A target dir shared by two clones can hand one clone the other's binary, so the compiled-in path
/// is only the fallback.
fn repository_root() -> PathBuf {
    let here = std::env::current_dir().unwrap_or_default();
    if here.join("rust-toolchain.toml").is_file() && here.join("contracts").is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

fn parse(root: &Path) -> Result<Options> {
    let mut options = Options {
        root: root.to_path_buf(),
        out: target_dir(root).join("release").join("contracts"),
        log: None,
        write_hashes: false,
        check_hashes: false,
        one: None,
        contracts: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => options.out = PathBuf::from(value()?),
            "--root" => options.root = PathBuf::from(value()?).canonicalize()?,
            "--log" => options.log = Some(PathBuf::from(value()?)),
            "--one" => options.one = Some(value()?),
            "--write-hashes" => options.write_hashes = true,
            "--check-hashes" => options.check_hashes = true,
            "-h" | "--help" => {
                println!(
                    "healthchain-build [--root DIR] [--out DIR] [--log FILE] [--write-hashes | --check-hashes] [CONTRACT ...]"
                );
                std::process::exit(0);
            }
            flag if flag.starts_with('-') => bail!("unknown option {flag}: see healthchain-build --help"),
            name => options.contracts.push(name.to_owned()),
        }
    }
    if options.write_hashes
        && !CONTRACTS.iter().all(|c| options.contracts.is_empty() || options.contracts.iter().any(|n| n == c))
    {
        bail!("--write-hashes writes the code hashes of every contract: run it without contract names");
    }
    if options.contracts.is_empty() {
        options.contracts = CONTRACTS.iter().map(|c| c.to_string()).collect();
    }
    if options.write_hashes && options.check_hashes {
        bail!("--write-hashes and --check-hashes exclude each other");
    }
    Ok(options)
}

/// The record a child leaves for its parent: `<out>/<name>/build.json`.
fn receipt(out: &Path, name: &str) -> PathBuf {
    out.join(name).join("build.json")
}

/// Builds one contract in this process (called as a child, its output going to the log).
fn build_one(root: &Path, name: &str, out: &Path) -> Result<()> {
    let built = build(root, name, out, Verbosity::Default)?;
    let json = serde_json::json!({ "code_hash": built.code_hash_hex(), "bytes": built.bytes });
    fs::write(receipt(out, name), json.to_string())?;
    Ok(())
}

/// Builds `name` in a child process whose output is appended to `log`; reads back what it built.
fn build_logged(root: &Path, name: &str, out: &Path, log: &Path) -> Result<Built> {
    let _ = fs::remove_file(receipt(out, name));
    let log_file = fs::OpenOptions::new().create(true).append(true).open(log)?;
    let status = Command::new(std::env::current_exe()?)
        .args(["--one", name, "--out"])
        .arg(out)
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .status()
        .context("could not start the build")?;
    if !status.success() {
        bail!("the build of {name} failed: see {} (the last lines say why)", log.display());
    }
    let wasm = healthchain_builder::artifact(out, name, "wasm");
    let bytes = fs::read(&wasm).with_context(|| format!("{name}: the build left no {}", wasm.display()))?;
    Ok(Built {
        name: name.to_owned(),
        code_hash: code_hash(&bytes),
        bytes: bytes.len() as u64,
        metadata: healthchain_builder::artifact(out, name, "json"),
        bundle: healthchain_builder::artifact(out, name, "contract"),
        wasm,
    })
}

/// 24179 -> "24,179".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn check(root: &Path, built: &[Built]) -> Result<()> {
    let path = root.join(CODE_HASHES);
    let text = fs::read_to_string(&path)
        .with_context(|| format!("{} is missing: run scripts/build.sh --write-hashes and commit it", CODE_HASHES))?;
    let committed: serde_json::Value = serde_json::from_str(&text)?;
    let mut differ = Vec::new();
    for b in built {
        let expected = committed["contracts"][&b.name]["code_hash"].as_str().unwrap_or("(none)");
        if expected != b.code_hash_hex() {
            differ.push(format!(
                "error: {}: built code hash {} differs from {} in {CODE_HASHES}: if the source changed on purpose, run \
                 scripts/build.sh --write-hashes and commit the file",
                b.name,
                b.code_hash_hex(),
                expected
            ));
        }
    }
    if differ.is_empty() {
        println!("==> code hashes match {CODE_HASHES} ({} contracts)", built.len());
        Ok(())
    } else {
        Err(HashesDiffer(differ.join("\n")).into())
    }
}

fn run() -> Result<()> {
    let options = parse(&repository_root())?;
    let root = options.root.clone();
    // contract-build runs cargo in a temporary folder, where rust-toolchain.toml is not seen: pin it here.
    std::env::set_var("RUSTUP_TOOLCHAIN", pinned_toolchain(&root)?);
    fs::create_dir_all(&options.out)?;
    if let Some(name) = &options.one {
        return build_one(&root, name, &options.out);
    }
    let log = options.log.clone().unwrap_or_else(|| options.out.join("build.log"));
    fs::write(&log, "")?;
    let total = options.contracts.len();
    let mut built = Vec::new();
    for (i, name) in options.contracts.iter().enumerate() {
        let start = Instant::now();
        println!("==> building {name} ({}/{total})", i + 1);
        let b = build_logged(&root, name, &options.out, &log)?;
        println!(
            "    {name}: {} B, code hash {} ({:.0} s)",
            thousands(b.bytes),
            b.code_hash_hex(),
            start.elapsed().as_secs_f64()
        );
        built.push(b);
    }
    println!("==> built in {} (compiler output: {})", options.out.display(), log.display());
    if options.write_hashes {
        let suite: Vec<Built> = built.iter().filter(|b| CONTRACTS.contains(&b.name.as_str())).cloned().collect();
        let json = code_hashes_json(&pinned_toolchain(&root)?, &suite);
        fs::write(root.join(CODE_HASHES), serde_json::to_string_pretty(&json)? + "\n")?;
        println!("==> wrote {CODE_HASHES}");
    }
    if options.check_hashes {
        check(&root, &built)?;
    }
    Ok(())
}

/// The exit status when everything built but a code hash differs from the committed file.
const HASHES_DIFFER: u8 = 3;

#[derive(Debug)]
struct HashesDiffer(String);

impl std::fmt::Display for HashesDiffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HashesDiffer {}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<HashesDiffer>() => {
            eprintln!("{error}");
            ExitCode::from(HASHES_DIFFER)
        }
        Err(error) => {
            for line in format!("{error:#}").lines() {
                let line = line.trim_start_matches("error: ");
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}
