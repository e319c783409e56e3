//! The results: a JSON file per backend (`bench/results/<backend>.json`, every figure, for comparing runs) and
//! BENCHMARKS.md, rendered from every results file present (so a sandbox run and a node run sit side by side).
//! [`Run`] is that file: written from the measurements, read back to render the Markdown and to compare runs.

use std::{collections::BTreeMap, fmt::Write as _, path::Path};

use serde::{Deserialize, Serialize};

use crate::measure::{Cost, Group, Kind, Label};
use crate::messages::{BASELINE, FLOOR};

/// A scaling ratio (cost at the large count / cost at the small one) at or under this is flat.
pub const SCALING_TARGET: f64 = 1.05;
/// The contracts in the order of the tables.
const CONTRACTS: [&str; 6] = ["participants", "consent", "records", "claims", "custody", "erc20"];

/// One run of the benchmark: `bench/results/<backend>.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Run {
    /// "sandbox" or "node".
    pub backend: String,
    pub node_url: Option<String>,
    /// Whose weights and deposits these are.
    pub weights_and_deposits: String,
    pub entries_small: u64,
    pub entries_large: u64,
    /// Optimized .wasm bytes per contract.
    pub code_sizes: BTreeMap<String, u64>,
    /// The ERC-20 transfer every ratio is taken against.
    pub baseline: Baseline,
    pub targets: Targets,
    pub rows: Vec<Row>,
    /// What could not be measured, and why.
    pub not_measured: Vec<String>,
    pub scaling: Vec<Scaling>,
    /// Wall time of each phase, in seconds.
    pub timings_s: BTreeMap<String, f64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub contract: String,
    pub message: String,
    pub case: String,
    pub ref_time: u64,
    pub proof_size: u64,
}

/// The ratio targets: ref_time of a single- and a cross-contract message to the baseline's, and scaling.
#[derive(Debug, Serialize, Deserialize)]
pub struct Targets {
    pub single: f64,
    pub cross: f64,
    pub scaling: f64,
}

/// One measured message: what it is and what its dry run cost (their fields, side by side in the file), and how that
/// compares with the baseline.
#[derive(Debug, Serialize, Deserialize)]
pub struct Row {
    #[serde(flatten)]
    pub label: Label,
    #[serde(flatten)]
    pub cost: Cost,
    pub ratio_ref_time: f64,
    pub ratio_proof_size: f64,
    /// The ceiling on ratio_ref_time for its kind.
    pub target: f64,
    pub meets: bool,
}

/// One message measured after `entries_small` and after `entries_large` entries of its dimension.
#[derive(Debug, Serialize, Deserialize)]
pub struct Scaling {
    /// The kind of entry populated.
    pub dimension: String,
    pub contract: String,
    pub message: String,
    pub case: String,
    pub kind: Kind,
    pub small: Figures,
    pub large: Figures,
    pub ratio_ref_time: f64,
    pub ratio_proof_size: f64,
    pub meets: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Figures {
    pub ref_time: u64,
    pub proof_size: u64,
    #[serde(with = "decimal")]
    pub deposit: i128,
}

/// A deposit is written as a decimal string (an i128 is past what many JSON readers take as a number).
pub mod decimal {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(n)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

pub fn ratio(a: u64, b: u64) -> f64 {
    match (a, b) {
        (0, 0) => 1.0,
        (_, 0) => f64::INFINITY,
        _ => a as f64 / b as f64,
    }
}

/// To three decimals, as written in the file.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Row {
    fn new((label, cost): (Label, Cost), baseline: &Baseline) -> Self {
        let (ratio_ref_time, target) = (ratio(cost.ref_time, baseline.ref_time), label.kind.target());
        let ratio_proof_size = round(ratio(cost.proof_size, baseline.proof_size));
        let meets = ratio_ref_time <= target;
        Row { ratio_ref_time: round(ratio_ref_time), ratio_proof_size, target, meets, label, cost }
    }

    fn name(&self) -> String {
        name(&self.label.message, &self.label.case)
    }
}

impl Scaling {
    /// `label` measured at `small` and at `large` entries of `dimension`.
    pub fn new(dimension: &str, label: Label, small: Cost, large: Cost) -> Self {
        let figures = |c: Cost| Figures { ref_time: c.ref_time, proof_size: c.proof_size, deposit: c.deposit };
        let (rr, rp) = (ratio(large.ref_time, small.ref_time), ratio(large.proof_size, small.proof_size));
        Scaling {
            dimension: dimension.into(),
            contract: label.contract,
            message: label.message,
            case: label.case,
            kind: label.kind,
            small: figures(small),
            large: figures(large),
            ratio_ref_time: round(rr),
            ratio_proof_size: round(rp),
            meets: rr <= SCALING_TARGET && rp <= SCALING_TARGET,
        }
    }
}

/// What one run measured, as `main` hands it over.
pub struct Measured {
    pub rows: Vec<(Label, Cost)>,
    pub notes: Vec<String>,
    pub scaling: Vec<Scaling>,
    pub timings: Vec<(&'static str, f64)>,
}

impl Run {
    pub fn new(
        backend: &str,
        node_url: Option<String>,
        entries: (u64, u64),
        code_sizes: BTreeMap<String, u64>,
        m: Measured,
    ) -> Self {
        let (contract, message, case) = BASELINE;
        let (_, cost) = m
            .rows
            .iter()
            .find(|(l, _)| (l.contract.as_str(), l.message.as_str(), l.case.as_str()) == BASELINE)
            .expect("the baseline was measured");
        let baseline = Baseline {
            contract: contract.into(),
            message: message.into(),
            case: case.into(),
            ref_time: cost.ref_time,
            proof_size: cost.proof_size,
        };
        let weights_and_deposits = if backend == "sandbox" {
            "NOT chain values: ink_e2e's in-process sandbox runtime (pallet-contracts 31 with its reference weights, \
             WeightInfo = ()), storage deposits of 1 per byte and 1 per item. Good for ratios between messages and \
             for scaling; not for fees."
        } else {
            "The node's own runtime: its weights and its storage deposits (the real ones for that chain)."
        };
        Run {
            backend: backend.into(),
            node_url,
            weights_and_deposits: weights_and_deposits.into(),
            entries_small: entries.0,
            entries_large: entries.1,
            code_sizes,
            targets: Targets { single: Kind::Single.target(), cross: Kind::Cross.target(), scaling: SCALING_TARGET },
            rows: m.rows.into_iter().map(|measured| Row::new(measured, &baseline)).collect(),
            baseline,
            not_measured: m.notes,
            scaling: m.scaling,
            timings_s: m.timings.into_iter().map(|(phase, s)| (phase.to_string(), round(s))).collect(),
        }
    }

    /// The rows of one table.
    fn of(&self, group: Group) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.label.group == group).collect()
    }

    /// The file's text: pretty JSON, keys in alphabetical order as every results file so far (serde_json's map is a
    /// BTreeMap in this build), so that a new file diffs cleanly against an old one.
    pub fn to_json(&self) -> String {
        serde_json::to_value(self).and_then(|v| serde_json::to_string_pretty(&v)).expect("a run encodes") + "\n"
    }
}

/// The run in the results file at `path`.
pub fn read(path: &Path) -> Result<Run, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not a results file: {e}", path.display()))
}

/// The runs whose JSON files are in `dir`: sandbox first, then node.
pub fn load_runs(dir: &Path) -> Result<Vec<Run>, String> {
    let paths = ["sandbox", "node"].map(|backend| dir.join(format!("{backend}.json")));
    paths.iter().filter(|path| path.exists()).map(|path| read(path)).collect()
}

// ---- Markdown ----

/// 1234567 -> "1,234,567".
fn thousands(n: impl ToString) -> String {
    let s = n.to_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let groups: Vec<&str> =
        (0..digits.len()).rev().step_by(3).map(|end| &digits[end.saturating_sub(2)..=end]).collect();
    sign.to_string() + &groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

/// A deposit with its sign: "+17", "0", "-3".
fn deposit(n: i128) -> String {
    format!("{}{}", if n > 0 { "+" } else { "" }, thousands(n))
}

/// "`message` (case)", or "`message`" when there is no case.
fn name(message: &str, case: &str) -> String {
    format!("`{message}`{}", if case.is_empty() { String::new() } else { format!(" ({case})") })
}

fn met(meets: bool) -> &'static str {
    ["**no**", "yes"][usize::from(meets)]
}
/// A table of rows with their cost and ratios to the baseline, and, `with_target`, the target and whether it is met.
fn cost_table(md: &mut String, rows: &[&Row], with_target: bool) {
    md.push_str("| contract | message (case) | kind | ref_time | proof_size | deposit | × erc20 ref_time | × erc20 proof_size |");
    md.push_str(if with_target {
        " target | met |\n|---|---|---|--:|--:|--:|--:|--:|--:|:-:|\n"
    } else {
        "\n|---|---|---|--:|--:|--:|--:|--:|\n"
    });
    for row in rows {
        let Row { label, cost, ratio_ref_time: rr, ratio_proof_size: rp, target, .. } = row;
        let (contract, name, kind) = (&label.contract, row.name(), label.kind.name());
        let (rt, ps, dep) = (thousands(cost.ref_time), thousands(cost.proof_size), deposit(cost.deposit));
        let _ = write!(md, "| {contract} | {name} | {kind} | {rt} | {ps} | {dep} | {rr:.2} | {rp:.2} |");
        md.push_str(&if with_target { format!(" ≤ {target}× | {} |\n", met(row.meets)) } else { "\n".into() });
    }
    md.push('\n');
}

/// BENCHMARKS.md from the runs (sandbox first).
pub fn markdown(runs: &[Run]) -> String {
    let mut md = String::from(
        "# Benchmarks\n\n\
         Written by `scripts/bench.sh` (the program is `bench/`, package `healthchain-bench`); do not edit by hand. \
         Every figure is also in `bench/results/<backend>.json`; `healthchain-bench --compare FILE` compares a run \
         with an earlier one.\n\n\
         ## How the figures are produced\n\n\
         - The five contracts and the baseline ERC-20 (`bench/erc20`, ink!'s `integration-tests/erc20` of 5.1.1) are \
         release builds: `cargo contract build --release`, the optimized `.wasm` whose sizes are below.\n\
         - Each message is dry-run in a state where it succeeds (the dry run must neither revert nor return `Err`: a \
         refusal is not benchmarked), then submitted for real so that the next step finds the state it leaves. \
         Reported: pallet-contracts' `gas_consumed` (ref_time in picoseconds of reference hardware, proof_size in \
         bytes) and the storage deposit (a charge positive, a refund negative).\n\
         - kind: `single` touches only the contract's own storage; `cross` calls participants, consent or records on \
         that path (decided from the code: e.g. `records.open` by the patient is single, by anyone else cross).\n\
         - Ratios are to the ERC-20 transfer between two accounts that already hold tokens. Targets on ref_time: \
         single ≤ 1.5×, cross ≤ 3×.\n\
         - Scaling: the key messages of each kind of stored entry, measured after a few entries and after many, \
         on the same local state (dry runs only).\n\
         - The sandbox's weights and deposits are not a chain's: see each backend's note. On the sandbox the block's \
         event log is cleared before each call (it never starts a new block); this changes no weight or deposit.\n\n",
    );
    if let Some(first) = runs.first() {
        md.push_str("## Code size\n\n| contract | optimized .wasm (bytes) | KiB | × erc20 |\n|---|--:|--:|--:|\n");
        let erc20 = first.code_sizes.get("erc20").copied().unwrap_or(0);
        for (name, &size) in CONTRACTS.iter().filter_map(|&name| Some((name, first.code_sizes.get(name)?))) {
            let (bytes, kib, times) = (thousands(size), size as f64 / 1024.0, ratio(size, erc20));
            let _ = writeln!(md, "| {name} | {bytes} | {kib:.1} | {times:.2} |");
        }
        md.push('\n');
    }
    for run in runs {
        section(&mut md, run);
    }
    md
}

/// One backend's section.
fn section(md: &mut String, run: &Run) {
    let Run { backend, weights_and_deposits, baseline: b, .. } = run;
    let title = match &run.node_url {
        Some(url) if backend == "node" => format!("substrate-contracts-node ({url})"),
        _ => "in-process sandbox".to_string(),
    };
    let (ref_time, proof_size) = (thousands(b.ref_time), thousands(b.proof_size));
    let _ = writeln!(
        md,
        "## Backend: {backend}: {title}\n\nWeights and deposits: {weights_and_deposits}\n\nBaseline: `erc20.{}` ({}): \
         ref_time {ref_time}, proof_size {proof_size}. Ratios are to these two figures.\n",
        b.message, b.case
    );
    summary(md, run);
    md.push_str("### ERC-20 baseline\n\n");
    cost_table(md, &run.of(Group::Baseline), false);
    floors(md, run);
    let messages = run.of(Group::Message);
    let misses: Vec<&&Row> = messages.iter().filter(|r| !r.meets).collect();
    let (meet, all) = (messages.len() - misses.len(), messages.len());
    let _ = writeln!(
        md,
        "### Messages that change state\n\nTargets on ref_time: single-contract ≤ 1.5× the ERC-20 transfer, \
         cross-contract ≤ 3×. {meet} of {all} rows meet their target.\n"
    );
    cost_table(md, &messages, true);
    if !misses.is_empty() {
        md.push_str("Rows over their target:\n\n");
        for row in misses {
            let (contract, name, ratio, target) = (&row.label.contract, row.name(), row.ratio_ref_time, row.target);
            let over = (ratio / target - 1.0) * 100.0;
            let _ = writeln!(md, "- {contract}.{name}: {ratio:.2}× for a {target}× target ({over:+.0} % over)");
        }
        md.push('\n');
    }
    md.push_str("### Reads (queries; on chain they are dry runs, measured the same way)\n\n");
    cost_table(md, &run.of(Group::Read), true);
    md.push_str(
        "### Governance (admin only)\n\n`upgrade` is measured in a dry run to the contract's own code hash: the same \
         `set_code_hash` work as a real upgrade, without a second build of the code.\n\n",
    );
    cost_table(md, &run.of(Group::Admin), true);
    input_sizes(md, &run.of(Group::Input));
    if !run.not_measured.is_empty() {
        md.push_str("Not measured:\n\n");
        run.not_measured.iter().for_each(|note| md.push_str(&format!("- {note}\n")));
        md.push('\n');
    }
    scaling(md, run);
}

/// The headline numbers of a run, computed from its rows.
fn summary(md: &mut String, run: &Run) {
    md.push_str("Summary:\n\n");
    let messages = run.of(Group::Message);
    for kind in [Kind::Single, Kind::Cross] {
        let of_kind: Vec<&Row> = messages.iter().copied().filter(|r| r.label.kind == kind).collect();
        let Some(worst) = of_kind.iter().max_by(|a, b| a.ratio_ref_time.total_cmp(&b.ratio_ref_time)) else {
            continue;
        };
        let best = of_kind.iter().map(|r| r.ratio_ref_time).fold(f64::INFINITY, f64::min);
        let (met, all, target) = (of_kind.iter().filter(|r| r.meets).count(), of_kind.len(), of_kind[0].target);
        let (highest, contract, name) = (worst.ratio_ref_time, &worst.label.contract, worst.name());
        let _ = writeln!(
            md,
            "- {}-contract messages that change state: {met} of {all} within {target}× the ERC-20 transfer's \
             ref_time; ratios {best:.2}× to {highest:.2}× (highest: {contract}.{name}).",
            kind.name()
        );
    }
    if !run.scaling.is_empty() {
        let (flat, all) = (run.scaling.iter().filter(|r| r.meets).count(), run.scaling.len());
        let worst = run.scaling.iter().map(|r| r.ratio_ref_time.max(r.ratio_proof_size)).fold(0.0, f64::max);
        let (large, small) = (thousands(run.entries_large), thousands(run.entries_small));
        let _ = writeln!(
            md,
            "- Scaling: {flat} of {all} messages cost at most {SCALING_TARGET}× as much with {large} entries as with \
             {small} (largest ratio {worst:.3})."
        );
    }
    md.push('\n');
}

/// Each contract's cheapest message beside its code size: the fixed cost every call to it pays.
fn floors(md: &mut String, run: &Run) {
    let floor_of = |contract: &str| run.rows.iter().find(|r| r.label.contract == contract && r.label.case == FLOOR);
    let Some(erc20) = floor_of("erc20") else { return };
    md.push_str(
        "### The fixed cost of calling each contract\n\nEach contract's cheapest message (a getter of one field). A \
         call loads the contract's whole code: its ref_time grows with the code's size and the code is part of the \
         proof, so this floor, paid again for every contract a message calls, explains most of the ratios below.\n\n\
         | contract | code (bytes) | cheapest message | ref_time | proof_size | × erc20 ref_time | × erc20 proof_size |\n\
         |---|--:|---|--:|--:|--:|--:|\n",
    );
    for (name, row) in ["erc20"].iter().chain(&CONTRACTS[..5]).filter_map(|&name| Some((name, floor_of(name)?))) {
        let (code, message) = (thousands(run.code_sizes.get(name).copied().unwrap_or(0)), &row.label.message);
        let (row, erc20) = (&row.cost, &erc20.cost);
        let (rt, ps) = (thousands(row.ref_time), thousands(row.proof_size));
        let (rr, rp) = (ratio(row.ref_time, erc20.ref_time), ratio(row.proof_size, erc20.proof_size));
        let _ = writeln!(md, "| {name} | {code} | `{message}` | {rt} | {ps} | {rr:.2} | {rp:.2} |");
    }
    md.push('\n');
}

/// The input-size rows, by series, with the marginal ref_time of an added item.
fn input_sizes(md: &mut String, input: &[&Row]) {
    if input.is_empty() {
        return;
    }
    md.push_str(
        "### Input size\n\nThe same message with more input. Marginal = the added ref_time per added item between \
         the smallest and the largest input measured.\n\n\
         | contract | message (case) | items | ref_time | proof_size | deposit | ref_time per item | marginal ref_time per item |\n\
         |---|---|--:|--:|--:|--:|--:|--:|\n",
    );
    let mut series: BTreeMap<(&str, &str, &str), Vec<&Row>> = BTreeMap::new();
    for row in input {
        series.entry((&row.label.contract, &row.label.message, &row.label.series)).or_default().push(row);
    }
    for ((contract, _, series), mut rows) in series {
        rows.sort_by_key(|r| r.label.items);
        let (first, last) = (rows[0], rows[rows.len() - 1]);
        let added = last.label.items.saturating_sub(first.label.items);
        let delta = last.cost.ref_time as f64 - first.cost.ref_time as f64;
        let marginal = if added > 0 { thousands((delta / f64::from(added)).round() as i64) } else { String::new() };
        for (i, row) in rows.iter().enumerate() {
            let (name, items, cost) = (row.name(), row.label.items, &row.cost);
            let (rt, ps, dep) = (thousands(cost.ref_time), thousands(cost.proof_size), deposit(cost.deposit));
            let (each, marginal) = (
                thousands(cost.ref_time / u64::from(items.max(1))),
                if i + 1 == rows.len() { marginal.as_str() } else { "" },
            );
            let _ =
                writeln!(md, "| {contract} | {name} | {items} {series} | {rt} | {ps} | {dep} | {each} | {marginal} |");
        }
    }
    md.push('\n');
}

/// The scaling table.
fn scaling(md: &mut String, run: &Run) {
    if run.scaling.is_empty() {
        return;
    }
    let (small, large) = (thousands(run.entries_small), thousands(run.entries_large));
    let _ = writeln!(
        md,
        "### Scaling with stored data\n\nEach message dry-run after {small} and after {large} entries of its kind \
         (fresh accounts per kind; same local state both times). Target: cost at {large} / cost at {small} ≤ \
         {SCALING_TARGET} on ref_time and proof_size.\n\n\
         | entries of | contract | message (case) | kind | ref_time at {small} | ref_time at {large} | ratio | \
         proof_size at {small} | proof_size at {large} | ratio | met |\n\
         |---|---|---|---|--:|--:|--:|--:|--:|--:|:-:|"
    );
    for s in &run.scaling {
        let Scaling { dimension, contract, ratio_ref_time: rr, ratio_proof_size: rp, .. } = s;
        let (name, kind, met) = (name(&s.message, &s.case), s.kind.name(), met(s.meets));
        let (rt_small, rt_large) = (thousands(s.small.ref_time), thousands(s.large.ref_time));
        let (ps_small, ps_large) = (thousands(s.small.proof_size), thousands(s.large.proof_size));
        let _ = writeln!(
            md,
            "| {dimension} | {contract} | {name} | {kind} | {rt_small} | {rt_large} | {rr:.3} | {ps_small} | {ps_large} \
             | {rp:.3} | {met} |"
        );
    }
    md.push('\n');
}

/// A comparison of `now` with an earlier run, row by row (printed, not written).
pub fn compare(now: &Run, before: &Run) -> String {
    let key = |r: &Row| format!("{} [{}]", r.label, format!("{:?}", r.label.group).to_lowercase());
    let earlier: BTreeMap<String, &Row> = before.rows.iter().map(|r| (key(r), r)).collect();
    let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { (a as f64 / b as f64 - 1.0) * 100.0 };
    let mut out = format!(
        "comparison with the earlier run ({} backend): ref_time, proof_size and deposit changes\n",
        before.backend
    );
    let mut unchanged = 0;
    for row in &now.rows {
        let Some(old) = earlier.get(&key(row)) else {
            let _ = writeln!(out, "  new      {}", key(row));
            continue;
        };
        let (now, old) = (&row.cost, &old.cost);
        let (rt, ps) = (pct(now.ref_time, old.ref_time), pct(now.proof_size, old.proof_size));
        if rt.abs() < 0.05 && ps.abs() < 0.05 && now.deposit == old.deposit {
            unchanged += 1;
            continue;
        }
        let (was, is, key) = (deposit(old.deposit), deposit(now.deposit), key(row));
        let _ = writeln!(out, "  {rt:+7.2} % ref_time {ps:+7.2} % proof_size  deposit {was} -> {is}  {key}");
    }
    let now_keys: Vec<String> = now.rows.iter().map(key).collect();
    for old in earlier.keys().filter(|k| !now_keys.contains(k)) {
        let _ = writeln!(out, "  gone     {old}");
    }
    let _ = writeln!(out, "  {unchanged} rows unchanged");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed results files load into [`Run`], are written back byte for byte, and render the committed
    /// BENCHMARKS.md (which `scripts/bench.sh` writes from them).
    #[test]
    fn committed_results_round_trip_and_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let runs = load_runs(&root.join("results")).expect("the committed results load");
        assert!(!runs.is_empty(), "no results file in bench/results");
        for run in &runs {
            let text = std::fs::read_to_string(root.join(format!("results/{}.json", run.backend))).expect("results");
            assert_eq!(run.to_json(), text, "{}.json written back", run.backend);
        }
        let committed = std::fs::read_to_string(root.join("../BENCHMARKS.md")).expect("BENCHMARKS.md");
        assert_eq!(markdown(&runs), committed, "BENCHMARKS.md rendered from bench/results");
    }
}
