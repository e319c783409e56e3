//! Locked, reproducible builds of the healthchain contracts.
//!
//! cargo-contract and ink_e2e build a contract through `contract-build`, which copies the contract's manifest into a
//! temporary workspace and copies `<workspace root>/Cargo.lock` to the root of that temporary folder. For a contract
//! that is a member of a larger workspace the manifest lands in a sub-folder (`contracts/records/Cargo.toml`) that
//! is its own workspace, so the copied lock is never read: every build resolved the newest crates published that
//! day ("Locking 172 packages to latest compatible versions").
//!
//! This crate gives contract-build what it needs to use the lock: for each contract it writes a standalone copy of
//! the manifest (`<out>/roots/<name>/Cargo.toml`: the contract's own manifest with the workspace's dependency table,
//! absolute paths to the real sources, no dev-dependencies) beside a copy of the committed `Cargo.lock`. That copy is
//! a workspace root, so contract-build's temporary workspace has the lock beside the manifest and cargo resolves
//! exactly the locked versions (it only drops the entries the contract does not use). The build runs offline, so it
//! cannot reach the registry for anything the lock lacks; [`check_lock`] refuses such a build before it starts.
//!
//! The bytes must not depend on where the repository is cloned. rustc's crate hashes (`-C metadata`, which order
//! symbols and so functions in the Wasm) include the absolute path of every path dependency that lies outside the
//! workspace being built, and contract-build's temporary workspace has the contract alone, so `interfaces` was
//! hashed by its absolute path: two clones gave two code hashes. So every build first copies the sources it needs
//! (the manifests and `src/` of the contracts, the lock and the toolchain file) to one fixed folder, [`STAGE`], and
//! builds from there, holding a lock on it (one build at a time on a machine).
//!
//! Release builds only: the tests, the story, the benchmark and deployments all run the bytes that are deployed.
//! The code hash of a build is BLAKE2b-256 of its optimized Wasm, the hash pallet-contracts stores it under.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use anyhow::{anyhow, bail, Context, Result};
use blake2::{digest::consts::U32, Blake2b, Digest};
pub use contract_build::Verbosity;
use contract_build::{
    BuildArtifacts, BuildMode, ExecuteArgs, Features, ImageVariant, ManifestPath, Network, OptimizationPasses,
    OutputType, Target, UnstableFlags, DEFAULT_MAX_MEMORY_PAGES,
};

/// Where every build takes its sources from: the same absolute path on every machine, so that the crate hashes
/// rustc derives from it are the same.
pub const STAGE: &str = "/tmp/healthchain-build";

/// The contracts of the suite, in deployment order.
pub const CONTRACTS: [&str; 6] = ["participants", "consent", "records", "claims", "custody", "council"];

/// The ERC-20 the benchmark compares against (`bench/erc20`).
pub const BASELINE: &str = "erc20";

/// One built contract.
#[derive(Debug, Clone)]
pub struct Built {
    pub name: String,
    /// The optimized Wasm, as deployed.
    pub wasm: PathBuf,
    /// The ink! metadata (`<name>.json`).
    pub metadata: PathBuf,
    /// Wasm and metadata in one file (`<name>.contract`), what cargo-contract uploads.
    pub bundle: PathBuf,
    /// BLAKE2b-256 of the Wasm: the code hash on chain.
    pub code_hash: [u8; 32],
    pub bytes: u64,
}

impl Built {
    pub fn code_hash_hex(&self) -> String {
        format!("0x{}", hex::encode(self.code_hash))
    }
}

/// BLAKE2b-256, the hash pallet-contracts keys code by.
pub fn code_hash(wasm: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(wasm).into()
}

/// The folder of contract `name` in the repository at `root`.
pub fn contract_dir(root: &Path, name: &str) -> Result<PathBuf> {
    [root.join("contracts").join(name), root.join("bench").join(name)]
        .into_iter()
        .find(|dir| dir.join("Cargo.toml").is_file())
        .ok_or_else(|| {
            anyhow!("no contract named {name}: expected contracts/{name}/Cargo.toml or bench/{name}/Cargo.toml")
        })
}

fn read_toml(path: &Path) -> Result<toml::Table> {
    let text = fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    text.parse::<toml::Table>().with_context(|| format!("{} is not valid TOML", path.display()))
}

/// Makes every `path = "..."` of a dependency table absolute, relative to `base`.
fn absolute_paths(dependencies: &mut toml::Table, base: &Path) -> Result<()> {
    for (name, dependency) in dependencies.iter_mut() {
        if let Some(path) = dependency.get_mut("path") {
            let relative = path.as_str().ok_or_else(|| anyhow!("dependency {name}: path is not a string"))?;
            let absolute =
                base.join(relative).canonicalize().with_context(|| format!("dependency {name}: {relative}"))?;
            *path = toml::Value::String(absolute.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// Replaces every `{ workspace = true, ... }` dependency by the workspace's entry, with the member's own keys
/// added (`features` are joined, as cargo does): contract-build empties the `[workspace]` table of the copy it
/// builds, so nothing may be inherited from it.
fn inline_workspace_dependencies(dependencies: &mut toml::Table, workspace: &toml::Table) -> Result<()> {
    for (name, dependency) in dependencies.iter_mut() {
        let Some(member) = dependency.as_table().filter(|d| d.get("workspace").and_then(|w| w.as_bool()) == Some(true))
        else {
            continue;
        };
        let mut merged = match workspace.get(name) {
            Some(toml::Value::String(version)) => {
                let mut table = toml::Table::new();
                table.insert("version".into(), toml::Value::String(version.clone()));
                table
            }
            Some(toml::Value::Table(table)) => table.clone(),
            _ => bail!("dependency {name} inherits from the workspace, which does not declare it"),
        };
        for (key, value) in member {
            match (key.as_str(), value) {
                ("workspace", _) => {}
                ("features", toml::Value::Array(features)) => {
                    let mut all = merged.get("features").and_then(|f| f.as_array()).cloned().unwrap_or_default();
                    all.extend(features.iter().filter(|f| !all.contains(f)).cloned().collect::<Vec<_>>());
                    merged.insert("features".into(), toml::Value::Array(all));
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
        *dependency = toml::Value::Table(merged);
    }
    Ok(())
}

/// Writes the standalone manifest of contract `name` and a copy of the lock to `<out>/roots/<name>/`; returns the
/// manifest's path.
pub fn standalone_root(root: &Path, name: &str, out: &Path) -> Result<PathBuf> {
    let dir = contract_dir(root, name)?.canonicalize()?;
    let root = root.canonicalize()?;
    let workspace = read_toml(&root.join("Cargo.toml"))?;
    let mut manifest = read_toml(&dir.join("Cargo.toml"))?;
    let mut workspace_dependencies = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    absolute_paths(&mut workspace_dependencies, &root)?;

    manifest.remove("dev-dependencies");
    if let Some(toml::Value::Table(dependencies)) = manifest.get_mut("dependencies") {
        absolute_paths(dependencies, &dir)?;
        inline_workspace_dependencies(dependencies, &workspace_dependencies)?;
    }
    let lib = manifest.entry("lib").or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let lib = lib.as_table_mut().ok_or_else(|| anyhow!("{name}: [lib] is not a table"))?;
    let lib_path = lib.get("path").and_then(|p| p.as_str()).unwrap_or("src/lib.rs").to_owned();
    lib.insert("path".into(), toml::Value::String(dir.join(lib_path).to_string_lossy().into_owned()));
    manifest.insert("workspace".into(), toml::Value::Table(toml::Table::new()));

    let standalone = out.join("roots").join(name);
    fs::create_dir_all(&standalone)?;
    let path = standalone.join("Cargo.toml");
    let header =
        "# Written by healthchain-builder from the contract's manifest: do not edit (see builder/src/lib.rs).\n";
    fs::write(&path, format!("{header}{}", toml::to_string(&manifest)?))?;
    fs::copy(root.join("Cargo.lock"), standalone.join("Cargo.lock")).context("could not copy Cargo.lock")?;
    Ok(path)
}

/// The `(name, version, source)` of every package a lock file lists.
fn locked_packages(lock: &Path) -> Result<BTreeSet<(String, String, String)>> {
    let lock = read_toml(lock)?;
    let packages =
        lock.get("package").and_then(|p| p.as_array()).ok_or_else(|| anyhow!("a lock file without packages"))?;
    Ok(packages
        .iter()
        .filter_map(|p| {
            let field = |key: &str| p.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let source = field("source");
            // Path packages (the workspace's own) carry no source; they are rebuilt from the tree anyway.
            (!source.is_empty()).then(|| (field("name"), field("version"), source))
        })
        .collect())
}

/// Refuses a build that would compile any crate the `committed` lock does not pin: resolves the standalone root
/// `manifest` offline in a scratch copy (cargo prunes what is unused and adds what is missing) and compares.
pub fn check_lock(committed: &Path, manifest: &Path) -> Result<()> {
    let committed = locked_packages(committed)?;
    let dir = manifest.parent().ok_or_else(|| anyhow!("manifest without a folder"))?;
    let scratch = dir.with_extension("lock-check");
    fs::create_dir_all(&scratch)?;
    fs::copy(manifest, scratch.join("Cargo.toml"))?;
    fs::copy(dir.join("Cargo.lock"), scratch.join("Cargo.lock"))?;
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--offline", "--format-version", "1", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .output()
        .context("could not run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo could not resolve {} offline from Cargo.lock: {} (run 'cargo fetch --locked' first)",
            manifest.display(),
            String::from_utf8_lossy(&output.stderr).split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    let resolved = locked_packages(&scratch.join("Cargo.lock"))?;
    let unlocked: Vec<String> =
        resolved.difference(&committed).map(|(name, version, _)| format!("{name} {version}")).collect();
    if !unlocked.is_empty() {
        bail!(
            "the build would resolve crates Cargo.lock does not pin: {} (add them to the workspace lock with a \
             workspace build, then commit Cargo.lock)",
            unlocked.join(", ")
        );
    }
    Ok(())
}

/// Holds the build lock (a folder beside [`STAGE`] naming the holder's pid) until dropped.
struct StageLock(PathBuf);

impl StageLock {
    /// Takes the lock, waiting while another live process holds it; a lock left by a dead process is taken over.
    fn take() -> Result<StageLock> {
        let path = PathBuf::from(format!("{STAGE}.lock"));
        let mut waited = false;
        loop {
            match fs::create_dir(&path) {
                Ok(()) => {
                    fs::write(path.join("pid"), std::process::id().to_string())?;
                    return Ok(StageLock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path.join("pid")).unwrap_or_default();
                    let alive = !holder.trim().is_empty() && Path::new("/proc").join(holder.trim()).exists();
                    if !alive {
                        // Gone without unlocking (killed): take it over, or wait for a writer between mkdir and pid.
                        std::thread::sleep(std::time::Duration::from_millis(500));
                        if fs::read_to_string(path.join("pid")).unwrap_or_default() == holder {
                            let _ = fs::remove_dir_all(&path);
                        }
                        continue;
                    }
                    if !waited {
                        eprintln!("waiting for another healthchain contract build (pid {}) to finish", holder.trim());
                        waited = true;
                    }
                    std::thread::sleep(std::time::Duration::from_secs(2));
                }
                Err(e) => return Err(e).with_context(|| format!("could not create the build lock {}", path.display())),
            }
        }
    }
}

impl Drop for StageLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Writes `bytes` to `path` unless it already holds them (an unchanged file keeps its mtime, so cargo's
/// fingerprints stay fresh and an unchanged contract is not recompiled).
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Mirrors the folder `from` into `to`: copies what changed, removes what `from` no longer has.
fn mirror(from: &Path, to: &Path) -> Result<()> {
    let mut wanted = BTreeSet::new();
    if from.is_dir() {
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            let name = entry.file_name();
            wanted.insert(name.clone());
            if entry.file_type()?.is_dir() {
                mirror(&entry.path(), &to.join(&name))?;
            } else {
                write_if_changed(&to.join(&name), &fs::read(entry.path())?)?;
            }
        }
    }
    if to.is_dir() {
        for entry in fs::read_dir(to)? {
            let entry = entry?;
            if !wanted.contains(&entry.file_name()) {
                if entry.file_type()?.is_dir() {
                    fs::remove_dir_all(entry.path())?;
                } else {
                    fs::remove_file(entry.path())?;
                }
            }
        }
    }
    Ok(())
}

/// Copies what a contract build reads from the repository at `root` to [`STAGE`]: the workspace manifest, the
/// lock, the toolchain file, and the manifest and `src/` of every crate under `contracts/` and of `bench/erc20`.
pub fn stage(root: &Path) -> Result<PathBuf> {
    let stage = PathBuf::from(STAGE);
    for file in ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"] {
        write_if_changed(&stage.join(file), &fs::read(root.join(file)).with_context(|| format!("{file} is missing"))?)?;
    }
    let mut crates: Vec<PathBuf> = fs::read_dir(root.join("contracts"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crates.push(root.join("bench").join(BASELINE));
    let mut staged = BTreeSet::new();
    for dir in crates {
        let relative = dir.strip_prefix(root)?.to_path_buf();
        write_if_changed(&stage.join(&relative).join("Cargo.toml"), &fs::read(dir.join("Cargo.toml"))?)?;
        mirror(&dir.join("src"), &stage.join(&relative).join("src"))?;
        staged.insert(relative);
    }
    // Crates the repository no longer has.
    if let Ok(entries) = fs::read_dir(stage.join("contracts")) {
        for entry in entries.flatten() {
            let relative = PathBuf::from("contracts").join(entry.file_name());
            if !staged.contains(&relative) {
                fs::remove_dir_all(entry.path())?;
            }
        }
    }
    Ok(stage)
}

/// Downloads the crates the standard library's own lock pins (`compiler_builtins` ...): contract-build compiles
/// `core` and `alloc` from source (`-Zbuild-std`), and the build runs offline. Nothing is resolved: the toolchain's
/// `library/Cargo.lock` fixes every version. Does nothing once they are in cargo's cache.
pub fn fetch_std() -> Result<()> {
    let rustc = std::process::Command::new("rustc").args(["--print", "sysroot"]).output().context("rustc not found")?;
    let sysroot = String::from_utf8(rustc.stdout)?.trim().to_owned();
    let library = Path::new(&sysroot).join("lib/rustlib/src/rust/library/Cargo.toml");
    if !library.is_file() {
        bail!("the toolchain has no rust-src: run 'rustup component add rust-src'");
    }
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["fetch", "--locked", "--manifest-path"])
        .arg(&library)
        // The library's manifest uses unstable cargo features, as contract-build's own build-std does.
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .context("could not run cargo fetch")?;
    if !output.status.success() {
        bail!(
            "could not download the standard library's dependencies: {} (check access to crates.io)",
            String::from_utf8_lossy(&output.stderr).split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    Ok(())
}

/// Where the outputs of `name` are kept: `<out>/<name>/<name>.{wasm,json,contract}`.
pub fn artifact(out: &Path, name: &str, extension: &str) -> PathBuf {
    out.join(name).join(format!("{name}.{extension}"))
}

/// Release-builds contract `name` of the repository at `root` against the committed lock, with the toolchain
/// `rust-toolchain.toml` pins, from the fixed [`STAGE`], and keeps its Wasm, metadata and bundle in `<out>/<name>/`.
pub fn build(root: &Path, name: &str, out: &Path, verbosity: Verbosity) -> Result<Built> {
    let _lock = StageLock::take()?;
    fetch_std()?;
    let root = stage(&root.canonicalize()?)?;
    let manifest = standalone_root(&root, name, out)?;
    check_lock(&root.join("Cargo.lock"), &manifest)?;
    let args = ExecuteArgs {
        manifest_path: ManifestPath::new(&manifest)?,
        verbosity,
        build_mode: BuildMode::Release,
        features: Features::default(),
        network: Network::Offline,
        build_artifact: BuildArtifacts::All,
        unstable_flags: UnstableFlags::default(),
        optimization_passes: Some(OptimizationPasses::default()),
        keep_debug_symbols: false,
        extra_lints: false,
        output_type: OutputType::HumanReadable,
        skip_wasm_validation: false,
        target: Target::Wasm,
        max_memory_pages: DEFAULT_MAX_MEMORY_PAGES,
        image: ImageVariant::Default,
    };
    let result = contract_build::execute(args).with_context(|| format!("the build of {name} failed"))?;
    let wasm = result.dest_wasm.ok_or_else(|| anyhow!("{name}: no Wasm was produced"))?;
    let metadata = result.metadata_result.ok_or_else(|| anyhow!("{name}: no metadata was produced"))?;
    let kept = out.join(name);
    fs::create_dir_all(&kept)?;
    let bytes = fs::read(&wasm)?;
    let built = Built {
        name: name.to_owned(),
        wasm: artifact(out, name, "wasm"),
        metadata: artifact(out, name, "json"),
        bundle: artifact(out, name, "contract"),
        code_hash: code_hash(&bytes),
        bytes: bytes.len() as u64,
    };
    fs::write(&built.wasm, &bytes)?;
    fs::copy(&metadata.dest_metadata, &built.metadata)?;
    fs::copy(&metadata.dest_bundle, &built.bundle)?;
    Ok(built)
}

/// The toolchain `rust-toolchain.toml` pins ("1.86.0").
pub fn pinned_toolchain(root: &Path) -> Result<String> {
    let file = read_toml(&root.join("rust-toolchain.toml"))?;
    file.get("toolchain")
        .and_then(|t| t.get("channel"))
        .and_then(|c| c.as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("rust-toolchain.toml names no channel"))
}

/// The committed code hashes (`contracts/code-hashes.json`): `{ name: { code_hash, bytes } }`.
pub const CODE_HASHES: &str = "contracts/code-hashes.json";

pub fn code_hashes_json(toolchain: &str, built: &[Built]) -> serde_json::Value {
    let contracts: serde_json::Map<String, serde_json::Value> = built
        .iter()
        .map(|b| (b.name.clone(), serde_json::json!({ "code_hash": b.code_hash_hex(), "bytes": b.bytes })))
        .collect();
    serde_json::json!({
        "about": "Code hashes (BLAKE2b-256 of the optimized Wasm, as pallet-contracts stores them) of the release \
                  builds of this commit, written by scripts/build.sh and checked by scripts/test.sh.",
        "toolchain": toolchain,
        "builder": "contract-build 5.0.0 (the version ink_e2e 5.1.1 pins), release, offline, locked",
        "contracts": contracts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// A crate that needs `hex`, resolved against `lock`.
    fn probe(name: &str, lock: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("healthchain-builder-{name}-{}", std::process::id()));
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "").unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"{}\"\n\n\
                 [dependencies]\nhex = \"0.4\"\n\n[workspace]\n",
                dir.join("src/lib.rs").display()
            ),
        )
        .unwrap();
        fs::write(dir.join("Cargo.lock"), lock).unwrap();
        dir.join("Cargo.toml")
    }

    #[test]
    fn a_build_that_stays_inside_the_lock_passes() {
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        let manifest = probe("locked", &lock);
        check_lock(&root().join("Cargo.lock"), &manifest).unwrap();
    }

    #[test]
    fn a_build_that_would_resolve_a_crate_the_lock_lacks_is_refused() {
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        // The committed lock without its hex entry: the probe needs hex, so cargo must resolve it anew.
        let without_hex: String = lock
            .split("\n[[package]]\n")
            .filter(|p| !p.starts_with("name = \"hex\"\n"))
            .collect::<Vec<_>>()
            .join("\n[[package]]\n");
        assert_ne!(without_hex, lock, "the lock pins hex");
        let committed = std::env::temp_dir().join(format!("healthchain-builder-committed-{}.lock", std::process::id()));
        fs::write(&committed, &without_hex).unwrap();
        let manifest = probe("unlocked", &without_hex);
        let error = check_lock(&committed, &manifest).unwrap_err().to_string();
        assert!(error.contains("Cargo.lock does not pin: hex 0.4"), "{error}");
    }

    #[test]
    fn a_standalone_root_is_its_own_workspace_with_the_lock_beside_it() {
        let out = std::env::temp_dir().join(format!("healthchain-builder-roots-{}", std::process::id()));
        let manifest = standalone_root(&root(), "records", &out).unwrap();
        let written = read_toml(&manifest).unwrap();
        assert_eq!(written["workspace"], toml::Value::Table(toml::Table::new()), "its own, empty workspace");
        assert_eq!(written["dependencies"]["ink"]["version"].as_str(), Some("5.1.1"), "inlined from the workspace");
        assert!(written["dependencies"]["ink"].get("workspace").is_none());
        assert!(written.get("dev-dependencies").is_none());
        let interfaces = written["dependencies"]["interfaces"]["path"].as_str().unwrap();
        assert!(Path::new(interfaces).is_absolute() && Path::new(interfaces).join("Cargo.toml").is_file());
        let lib = written["lib"]["path"].as_str().unwrap();
        assert!(Path::new(lib).is_absolute() && lib.ends_with("contracts/records/src/lib.rs"), "{lib}");
        assert_eq!(
            fs::read(manifest.with_file_name("Cargo.lock")).unwrap(),
            fs::read(root().join("Cargo.lock")).unwrap()
        );
        check_lock(&root().join("Cargo.lock"), &manifest).unwrap();
    }

    #[test]
    fn the_code_hash_is_blake2b_256() {
        // BLAKE2b-256 of the empty string.
        assert_eq!(hex::encode(code_hash(b"")), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    }
}
