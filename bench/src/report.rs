//! The results, one typed schema: [`Run`] is `bench/results/<backend>.json` (every figure, for comparing runs),
//! written from the measurements and read back to compare runs and to render BENCHMARKS.md from every results file
//! present (so a sandbox run and a node run sit side by side), below a fixed head, `bench/BENCHMARKS.head.md`, and
//! above the custodian's section, `bench/results/custodian.md` (Markdown written by `custodian/examples/bench.rs`,
//! appended as it is) when there is one.

use std::{collections::BTreeMap, fmt, fmt::Write as _, ops::Deref, path::Path};

use serde::{Deserialize, Serialize};

use crate::messages::{BASELINE, FLOOR};

/// A scaling ratio (cost at the large count / cost at the small one) at or under this is flat.
pub const SCALING_TARGET: f64 = 1.05;
/// The contracts in the order of the tables.
pub const CONTRACTS: [&str; 7] = ["participants", "consent", "records", "claims", "custody", "council", "erc20"];

/// One run of the benchmark: `bench/results/<backend>.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
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

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub contract: String,
    pub message: String,
    pub case: String,
    pub ref_time: u64,
    pub proof_size: u64,
}

/// The ratio targets: ref_time of a single- and a cross-contract message to the baseline's, and scaling.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Targets {
    pub single: f64,
    pub cross: f64,
    pub scaling: f64,
}

/// One measured message: what it is and what its dry run cost (their fields side by side in the file), and how that
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

/// What a row measures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Label {
    pub contract: String,
    pub message: String,
    /// The state or arguments it was measured in ("by the author", "100 serials").
    pub case: String,
    pub kind: Kind,
    pub group: Group,
    /// For input-size rows: what grows (serials, units, lines, evidence records, locator bytes) and how many (else
    /// "" and 1).
    pub series: String,
    pub items: u32,
}

/// Does the message call another contract on this path?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Only the contract's own storage.
    Single,
    /// Calls participants, consent or records (through `interfaces::client`).
    Cross,
}

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The ERC-20 messages.
    Baseline,
    /// A message that changes state.
    Message,
    /// A read (a query; measured the same way).
    Read,
    /// Governance: propose_admin, accept_admin, set_*, upgrade, and the council's messages.
    Admin,
    /// The same message with more input (serials, units, lines, evidence, bytes).
    Input,
}

/// What the dry run reported.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Cost {
    /// `gas_consumed.ref_time`: picoseconds of reference hardware.
    pub ref_time: u64,
    /// `gas_consumed.proof_size`: bytes of storage proof.
    pub proof_size: u64,
    /// `gas_required`: the limit a transaction needs (more than consumed: refunds inside the call).
    pub required_ref_time: u64,
    pub required_proof_size: u64,
    /// Storage deposit: a charge is positive, a refund negative.
    #[serde(with = "decimal")]
    pub deposit: i128,
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
mod decimal {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(n)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

impl Kind {
    /// The ceiling on ref_time as a multiple of the ERC-20 transfer (issue #9).
    pub fn target(self) -> f64 {
        [1.5, 3.0][self as usize]
    }

    /// Its name in the results file (serde's).
    fn name(self) -> &'static str {
        ["single", "cross"][self as usize]
    }
}

impl Label {
    /// A message that changes state; `.group(..)` and `.items(..)` move it to another table.
    pub fn new(contract: &'static str, message: &'static str, case: impl Into<String>, kind: Kind) -> Self {
        let (contract, message, case, series) = (contract.into(), message.into(), case.into(), String::new());
        Self { contract, message, case, kind, group: Group::Message, series, items: 1 }
    }

    pub fn group(self, group: Group) -> Self {
        Self { group, ..self }
    }

    /// An input-size row: `items` of `series`.
    pub fn items(self, series: &'static str, items: usize) -> Self {
        Self { series: series.into(), items: u32::try_from(items).unwrap_or(u32::MAX), group: Group::Input, ..self }
    }
}

impl Label {
    /// "`message` (case)", as the tables show it.
    fn name(&self) -> String {
        name(&self.message, &self.case)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} ({})", self.contract, self.message, self.case)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    match (a, b) {
        (0, 0) => 1.0,
        (_, 0) => f64::INFINITY,
        _ => a as f64 / b as f64,
    }
}

/// To three decimals, as written in the file.
pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Scaling {
    /// `label` measured at `small` and at `large` entries of `dimension`.
    pub fn new(dimension: &str, label: Label, small: Cost, large: Cost) -> Self {
        let figures = |c: Cost| Figures { ref_time: c.ref_time, proof_size: c.proof_size, deposit: c.deposit };
        let (rr, rp) = (ratio(large.ref_time, small.ref_time), ratio(large.proof_size, small.proof_size));
        let Label { contract, message, case, kind, .. } = label;
        let (ratio_ref_time, ratio_proof_size, meets) = (round(rr), round(rp), rr.max(rp) <= SCALING_TARGET);
        let (small, large) = (figures(small), figures(large));
        Scaling {
            dimension: dimension.into(),
            contract,
            message,
            case,
            kind,
            small,
            large,
            ratio_ref_time,
            ratio_proof_size,
            meets,
        }
    }
}

impl Run {
    /// A run on `backend` of the measured `rows` (the baseline among them) with `entries` (small, large) per scaling
    /// kind; what else was measured is set on the result.
    pub fn new(backend: &str, node_url: Option<String>, entries: (u64, u64), rows: Vec<(Label, Cost)>) -> Self {
        let is_baseline = |l: &Label| (l.contract.as_str(), l.message.as_str(), l.case.as_str()) == BASELINE;
        let (_, cost) = rows.iter().find(|(l, _)| is_baseline(l)).expect("the baseline was measured");
        let (contract, message, case) = BASELINE;
        let (contract, message, case) = (contract.into(), message.into(), case.into());
        let baseline = Baseline { contract, message, case, ref_time: cost.ref_time, proof_size: cost.proof_size };
        let rows = rows.into_iter().map(|(label, cost)| {
            let (rr, target) = (ratio(cost.ref_time, baseline.ref_time), label.kind.target());
            let (ratio_ref_time, ratio_proof_size) = (round(rr), round(ratio(cost.proof_size, baseline.proof_size)));
            Row { label, cost, ratio_ref_time, ratio_proof_size, target, meets: rr <= target }
        });
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
            targets: Targets { single: Kind::Single.target(), cross: Kind::Cross.target(), scaling: SCALING_TARGET },
            rows: rows.collect(),
            baseline,
            ..Run::default()
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

/// The custodian's section in a results dir, written by `custodian/examples/bench.rs`.
pub const CUSTODIAN_MD: &str = "custodian.md";

/// What a results dir holds: the runs (as a slice of [`Run`]) and the custodian's section, if any.
#[derive(Debug, Default)]
pub struct Results {
    pub runs: Vec<Run>,
    /// [`CUSTODIAN_MD`]'s Markdown.
    pub custodian: Option<String>,
}

impl Deref for Results {
    type Target = [Run];
    fn deref(&self) -> &[Run] {
        &self.runs
    }
}

/// The runs whose JSON files are in `dir` (sandbox first, then node) and the custodian's section if it is there.
pub fn load_runs(dir: &Path) -> Result<Results, String> {
    let paths = ["sandbox", "node"].map(|backend| dir.join(format!("{backend}.json")));
    let runs = paths.iter().filter(|path| path.exists()).map(|path| read(path)).collect::<Result<_, _>>()?;
    let path = dir.join(CUSTODIAN_MD);
    let custodian = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    Ok(Results { runs, custodian })
}

/// A comparison of `now` with an earlier run, row by row (printed, not written).
pub fn compare(now: &Run, before: &Run) -> String {
    let key = |r: &Row| format!("{} [{:?}]", r.label, r.label.group);
    let earlier: BTreeMap<String, &Row> = before.rows.iter().map(|r| (key(r), r)).collect();
    let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { (a as f64 / b as f64 - 1.0) * 100.0 };
    let mut out =
        format!("comparison with the earlier run ({} backend): ref_time, proof_size, deposit\n", before.backend);
    let mut unchanged = 0;
    for (row, key) in now.rows.iter().map(|r| (r, key(r))) {
        let Some(old) = earlier.get(&key) else {
            let _ = writeln!(out, "  new      {key}");
            continue;
        };
        let (now, old) = (&row.cost, &old.cost);
        let (rt, ps) = (pct(now.ref_time, old.ref_time), pct(now.proof_size, old.proof_size));
        if rt.abs() < 0.05 && ps.abs() < 0.05 && now.deposit == old.deposit {
            unchanged += 1;
            continue;
        }
        let (was, is) = (deposit(old.deposit), deposit(now.deposit));
        let _ = writeln!(out, "  {rt:+7.2} % ref_time {ps:+7.2} % proof_size  deposit {was} -> {is}  {key}");
    }
    let now_keys: Vec<String> = now.rows.iter().map(key).collect();
    for old in earlier.keys().filter(|k| !now_keys.contains(k)) {
        let _ = writeln!(out, "  gone     {old}");
    }
    out + &format!("  {unchanged} rows unchanged\n")
}

// ---- BENCHMARKS.md ----

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

/// The ref_time, proof_size and deposit of a cost, as the tables show them.
fn figures(cost: &Cost) -> (String, String, String) {
    (thousands(cost.ref_time), thousands(cost.proof_size), deposit(cost.deposit))
}

/// BENCHMARKS.md from the results: the head, a section per backend (sandbox first), then the custodian's section
/// as it is.
pub fn markdown(results: &Results) -> String {
    let mut md = include_str!("../BENCHMARKS.head.md").to_string();
    results.runs.iter().for_each(|run| section(&mut md, run));
    if let Some(custodian) = &results.custodian {
        md.push_str(custodian);
    }
    md
}

/// One backend's section: its summary, the fixed cost of each contract, a table per group of rows, then scaling.
fn section(md: &mut String, run: &Run) {
    let Run { backend, weights_and_deposits, baseline: b, .. } = run;
    let title =
        run.node_url.as_ref().map_or("in-process sandbox".into(), |url| format!("substrate-contracts-node ({url})"));
    let (ref_time, proof_size) = (thousands(b.ref_time), thousands(b.proof_size));
    let _ = writeln!(
        md,
        "## Backend: {backend}: {title}\n\nWeights and deposits: {weights_and_deposits}\n\nBaseline: `erc20.{}` ({}): \
         ref_time {ref_time}, proof_size {proof_size}. Ratios are to these two figures.\n",
        b.message, b.case
    );
    summary(md, run);
    floors(md, run);
    for (group, title) in [
        (Group::Baseline, "ERC-20 baseline"),
        (Group::Message, "Messages that change state"),
        (Group::Read, "Reads (queries; on chain they are dry runs, measured the same way)"),
        (Group::Admin, "Governance (admin only)"),
    ] {
        let rows = run.of(group);
        let met = rows.iter().filter(|r| r.meets).count();
        let _ = writeln!(md, "### {title}: {met} of {} rows within their target\n", rows.len());
        md.push_str("| contract | message (case) | kind | ref_time | proof_size | deposit | × erc20 ref_time | × erc20 proof_size | target | met |\n|---|---|---|--:|--:|--:|--:|--:|--:|---|\n");
        for Row { label: l, cost, ratio_ref_time: rr, ratio_proof_size: rp, target, meets } in rows {
            let ((rt, ps, dep), name, kind) = (figures(cost), l.name(), l.kind.name());
            let met =
                if *meets { "yes".into() } else { format!("**no** ({:+.0} % over)", (rr / target - 1.0) * 100.0) };
            let _ = writeln!(
                md,
                "| {} | {name} | {kind} | {rt} | {ps} | {dep} | {rr:.2} | {rp:.2} | ≤ {target}× | {met} |",
                l.contract
            );
        }
        md.push('\n');
    }
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
        let (met, all, target) = (of_kind.iter().filter(|r| r.meets).count(), of_kind.len(), kind.target());
        let (highest, contract, name) = (worst.ratio_ref_time, &worst.label.contract, worst.label.name());
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

/// Each contract's code size and cheapest message: the fixed cost every call to it pays.
fn floors(md: &mut String, run: &Run) {
    let floor_of = |contract: &str| run.rows.iter().find(|r| r.label.contract == contract && r.label.case == FLOOR);
    let (Some(erc20), Some(&erc20_code)) = (floor_of("erc20"), run.code_sizes.get("erc20")) else { return };
    md.push_str(
        "### Code size and the fixed cost of calling each contract\n\n\
         | contract | optimized .wasm (bytes) | KiB | × erc20 | cheapest message | ref_time | proof_size | \
         × erc20 ref_time | × erc20 proof_size |\n|---|--:|--:|--:|---|--:|--:|--:|--:|\n",
    );
    for (name, row) in CONTRACTS.iter().filter_map(|&name| Some((name, floor_of(name)?))) {
        let (code, (rt, ps, _)) = (run.code_sizes.get(name).copied().unwrap_or(0), figures(&row.cost));
        let (bytes, kib, times) = (thousands(code), code as f64 / 1024.0, ratio(code, erc20_code));
        let (rr, rp) =
            (ratio(row.cost.ref_time, erc20.cost.ref_time), ratio(row.cost.proof_size, erc20.cost.proof_size));
        let message = &row.label.message;
        let _ = writeln!(
            md,
            "| {name} | {bytes} | {kib:.1} | {times:.2} | `{message}` | {rt} | {ps} | {rr:.2} | {rp:.2} |"
        );
    }
    md.push('\n');
}

/// The input-size rows, by series, with the marginal ref_time of an added item.
fn input_sizes(md: &mut String, input: &[&Row]) {
    if input.is_empty() {
        return;
    }
    md.push_str(
        "### Input size\n\n\
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
        for (i, Row { label, cost, .. }) in rows.iter().enumerate() {
            let ((rt, ps, dep), name, items) = (figures(cost), label.name(), label.items);
            let each = thousands(cost.ref_time / u64::from(items.max(1)));
            let marginal = if i + 1 == rows.len() { marginal.as_str() } else { "" };
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
        "### Scaling with stored data: {small} then {large} entries, target ≤ {SCALING_TARGET}\n\n\
         | entries of | contract | message (case) | kind | ref_time at {small} | ref_time at {large} | ratio | \
         proof_size at {small} | proof_size at {large} | ratio | met |\n\
         |---|---|---|---|--:|--:|--:|--:|--:|--:|---|"
    );
    for s in &run.scaling {
        let Scaling { dimension, contract, ratio_ref_time: rr, ratio_proof_size: rp, small, large, .. } = s;
        let (name, kind, met) = (name(&s.message, &s.case), s.kind.name(), ["**no**", "yes"][usize::from(s.meets)]);
        let (rt_small, rt_large) = (thousands(small.ref_time), thousands(large.ref_time));
        let (ps_small, ps_large) = (thousands(small.proof_size), thousands(large.proof_size));
        let _ = writeln!(
            md,
            "| {dimension} | {contract} | {name} | {kind} | {rt_small} | {rt_large} | {rr:.3} | {ps_small} | {ps_large} \
             | {rp:.3} | {met} |"
        );
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed results files load into [`Run`], are written back byte for byte, and render the committed
    /// BENCHMARKS.md (which `scripts/bench.sh` writes from them, with `custodian.md` at the end when present).
    #[test]
    fn committed_results_round_trip_and_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let runs = load_runs(&root.join("results")).expect("the committed results load");
        assert!(!runs.is_empty(), "no results file in bench/results");
        for run in runs.iter() {
            let text = std::fs::read_to_string(root.join(format!("results/{}.json", run.backend))).expect("results");
            assert_eq!(run.to_json(), text, "{}.json written back", run.backend);
        }
        let committed = std::fs::read_to_string(root.join("../BENCHMARKS.md")).expect("BENCHMARKS.md");
        assert_eq!(markdown(&runs), committed, "BENCHMARKS.md rendered from bench/results");
    }
}
