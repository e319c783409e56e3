//! The results: a JSON file per backend (`bench/results/<backend>.json`, every figure, for comparing runs) and
//! BENCHMARKS.md, rendered from every results file present (so a sandbox run and a node run sit side by side).

use std::{collections::BTreeMap, fmt::Write as _, path::Path};

use serde_json::{json, Value};

use crate::measure::{Group, Row};
use crate::messages::BASELINE;
use crate::scaling::{ratio, Scale};

/// A scaling ratio (cost at the large count / cost at the small one) at or under this is flat.
pub const SCALING_TARGET: f64 = 1.05;

/// One run of the benchmark.
pub struct Run {
    /// "sandbox" or "node".
    pub backend: &'static str,
    pub node_url: Option<String>,
    pub small: u64,
    pub large: u64,
    /// Optimized .wasm bytes per contract.
    pub code_sizes: Vec<(String, u64)>,
    pub rows: Vec<Row>,
    /// What could not be measured, and why.
    pub notes: Vec<String>,
    pub scaling: Vec<Scale>,
    /// Wall time of each phase, in seconds.
    pub timings: Vec<(&'static str, f64)>,
}

fn row_json(row: &Row, baseline: (u64, u64)) -> Value {
    let (l, c) = (&row.label, &row.cost);
    let ratio_ref = ratio(c.ref_time, baseline.0);
    let ratio_proof = ratio(c.proof_size, baseline.1);
    let target = l.kind.target();
    json!({
        "contract": l.contract,
        "message": l.message,
        "case": l.case,
        "group": l.group.name(),
        "kind": l.kind.name(),
        "series": l.series,
        "items": l.items,
        "ref_time": c.ref_time,
        "proof_size": c.proof_size,
        "required_ref_time": c.required_ref_time,
        "required_proof_size": c.required_proof_size,
        "deposit": c.deposit.to_string(),
        "ratio_ref_time": round(ratio_ref),
        "ratio_proof_size": round(ratio_proof),
        "target": target,
        "meets": ratio_ref <= target,
    })
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Run {
    /// The ERC-20 transfer every ratio is taken against.
    pub fn baseline(&self) -> (u64, u64) {
        let (contract, message, case) = BASELINE;
        self.rows
            .iter()
            .find(|r| r.label.contract == contract && r.label.message == message && r.label.case == case)
            .map(|r| (r.cost.ref_time, r.cost.proof_size))
            .expect("the baseline was measured")
    }

    pub fn to_json(&self) -> Value {
        let baseline = self.baseline();
        let (contract, message, case) = BASELINE;
        let scaling: Vec<Value> = self
            .scaling
            .iter()
            .map(|s| {
                let (rr, rp) = (s.ratio_ref_time(), s.ratio_proof_size());
                json!({
                    "dimension": s.dimension,
                    "contract": s.label.contract,
                    "message": s.label.message,
                    "case": s.label.case,
                    "kind": s.label.kind.name(),
                    "small": { "ref_time": s.small.ref_time, "proof_size": s.small.proof_size, "deposit": s.small.deposit.to_string() },
                    "large": { "ref_time": s.large.ref_time, "proof_size": s.large.proof_size, "deposit": s.large.deposit.to_string() },
                    "ratio_ref_time": round(rr),
                    "ratio_proof_size": round(rp),
                    "meets": rr <= SCALING_TARGET && rp <= SCALING_TARGET,
                })
            })
            .collect();
        json!({
            "backend": self.backend,
            "node_url": self.node_url,
            "weights_and_deposits": backend_note(self.backend),
            "entries_small": self.small,
            "entries_large": self.large,
            "code_sizes": self.code_sizes.iter().map(|(n, s)| (n.clone(), json!(s))).collect::<serde_json::Map<_, _>>(),
            "baseline": { "contract": contract, "message": message, "case": case, "ref_time": baseline.0, "proof_size": baseline.1 },
            "targets": { "single": 1.5, "cross": 3.0, "scaling": SCALING_TARGET },
            "rows": self.rows.iter().map(|r| row_json(r, baseline)).collect::<Vec<_>>(),
            "not_measured": self.notes,
            "scaling": scaling,
            "timings_s": self.timings.iter().map(|(n, s)| (n.to_string(), json!(round(*s)))).collect::<serde_json::Map<_, _>>(),
        })
    }
}

fn backend_note(backend: &str) -> &'static str {
    if backend == "sandbox" {
        "NOT chain values: ink_e2e's in-process sandbox runtime (pallet-contracts 31 with its reference weights, \
         WeightInfo = ()), storage deposits of 1 per byte and 1 per item. Good for ratios between messages and for \
         scaling; not for fees."
    } else {
        "The node's own runtime: its weights and its storage deposits (the real ones for that chain)."
    }
}

// ---- Markdown ----

/// 1234567 -> "1,234,567".
fn thousands(n: impl ToString) -> String {
    let s = n.to_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}")
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn deposit(v: &Value) -> String {
    let text = s(v);
    match text.parse::<i128>() {
        Ok(n) if n > 0 => format!("+{}", thousands(n)),
        Ok(n) => thousands(n),
        Err(_) => text.to_string(),
    }
}

fn message_name(row: &Value) -> String {
    let case = s(&row["case"]);
    if case.is_empty() {
        format!("`{}`", s(&row["message"]))
    } else {
        format!("`{}` ({case})", s(&row["message"]))
    }
}

fn cost_table(md: &mut String, rows: &[&Value], with_target: bool) {
    if with_target {
        md.push_str("| contract | message (case) | kind | ref_time | proof_size | deposit | × erc20 ref_time | × erc20 proof_size | target | met |\n");
        md.push_str("|---|---|---|--:|--:|--:|--:|--:|--:|:-:|\n");
    } else {
        md.push_str("| contract | message (case) | kind | ref_time | proof_size | deposit | × erc20 ref_time | × erc20 proof_size |\n");
        md.push_str("|---|---|---|--:|--:|--:|--:|--:|\n");
    }
    for row in rows {
        let _ = write!(
            md,
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            s(&row["contract"]),
            message_name(row),
            s(&row["kind"]),
            thousands(u(&row["ref_time"])),
            thousands(u(&row["proof_size"])),
            deposit(&row["deposit"]),
            f(&row["ratio_ref_time"]),
            f(&row["ratio_proof_size"]),
        );
        if with_target {
            let met = if row["meets"].as_bool().unwrap_or(false) { "yes" } else { "**no**" };
            let _ = write!(md, " ≤ {}× | {met} |", f(&row["target"]));
        }
        md.push('\n');
    }
    md.push('\n');
}

fn section(md: &mut String, run: &Value) {
    let backend = s(&run["backend"]);
    let title = match run["node_url"].as_str() {
        Some(url) if backend == "node" => format!("substrate-contracts-node ({url})"),
        _ => "in-process sandbox".to_string(),
    };
    let _ = writeln!(md, "## Backend: {backend}: {title}\n");
    let _ = writeln!(md, "Weights and deposits: {}\n", s(&run["weights_and_deposits"]));
    let baseline = &run["baseline"];
    let _ = writeln!(
        md,
        "Baseline: `erc20.{}` ({}): ref_time {}, proof_size {}. Ratios are to these two figures.\n",
        s(&baseline["message"]),
        s(&baseline["case"]),
        thousands(u(&baseline["ref_time"])),
        thousands(u(&baseline["proof_size"]))
    );
    let rows: Vec<&Value> = run["rows"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
    let of = |group: Group| rows.iter().copied().filter(|r| s(&r["group"]) == group.name()).collect::<Vec<_>>();

    summary(md, run, &rows);

    let _ = writeln!(md, "### ERC-20 baseline\n");
    cost_table(md, &of(Group::Baseline), false);
    floors(md, run, &rows);

    let messages = of(Group::Message);
    let misses: Vec<&&Value> = messages.iter().filter(|r| !r["meets"].as_bool().unwrap_or(false)).collect();
    let _ = writeln!(md, "### Messages that change state\n");
    let _ = writeln!(
        md,
        "Targets on ref_time: single-contract ≤ 1.5× the ERC-20 transfer, cross-contract ≤ 3×. {} of {} rows meet \
         their target.\n",
        messages.len() - misses.len(),
        messages.len()
    );
    cost_table(md, &messages, true);
    if !misses.is_empty() {
        let _ = writeln!(md, "Rows over their target:\n");
        for row in &misses {
            let target = f(&row["target"]);
            let ratio = f(&row["ratio_ref_time"]);
            let _ = writeln!(
                md,
                "- {}.{}: {ratio:.2}× for a {}× target ({:+.0} % over)",
                s(&row["contract"]),
                message_name(row),
                target,
                (ratio / target - 1.0) * 100.0
            );
        }
        md.push('\n');
    }

    let _ = writeln!(md, "### Reads (queries; on chain they are dry runs, measured the same way)\n");
    cost_table(md, &of(Group::Read), true);
    let _ = writeln!(
        md,
        "### Governance (admin only)\n\n`upgrade` is measured in a dry run to the contract's own code hash: the \
         same `set_code_hash` work as a real upgrade, without a second build of the code.\n"
    );
    cost_table(md, &of(Group::Admin), true);

    let input = of(Group::Input);
    if !input.is_empty() {
        let _ = writeln!(md, "### Input size\n");
        let _ = writeln!(
            md,
            "The same message with more input. Marginal = the added ref_time per added item between the smallest and \
             the largest input measured.\n"
        );
        md.push_str("| contract | message (case) | items | ref_time | proof_size | deposit | ref_time per item | marginal ref_time per item |\n");
        md.push_str("|---|---|--:|--:|--:|--:|--:|--:|\n");
        let mut series: BTreeMap<(String, String, String), Vec<&Value>> = BTreeMap::new();
        for row in &input {
            let key = (s(&row["contract"]).to_string(), s(&row["message"]).to_string(), s(&row["series"]).to_string());
            series.entry(key).or_default().push(row);
        }
        for ((contract, _, name), mut rows) in series {
            rows.sort_by_key(|r| u(&r["items"]));
            let (first, last) = (rows[0], rows[rows.len() - 1]);
            let added = u(&last["items"]).saturating_sub(u(&first["items"]));
            let marginal = if added > 0 {
                let delta = u(&last["ref_time"]) as f64 - u(&first["ref_time"]) as f64;
                thousands((delta / added as f64).round() as i64)
            } else {
                String::new()
            };
            for (i, row) in rows.iter().enumerate() {
                let items = u(&row["items"]).max(1);
                let _ = writeln!(
                    md,
                    "| {contract} | {} | {} {name} | {} | {} | {} | {} | {} |",
                    message_name(row),
                    u(&row["items"]),
                    thousands(u(&row["ref_time"])),
                    thousands(u(&row["proof_size"])),
                    deposit(&row["deposit"]),
                    thousands(u(&row["ref_time"]) / items),
                    if i + 1 == rows.len() { marginal.as_str() } else { "" },
                );
            }
        }
        md.push('\n');
    }
    let notes: Vec<&str> = run["not_measured"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if !notes.is_empty() {
        let _ = writeln!(md, "Not measured:\n");
        for note in notes {
            let _ = writeln!(md, "- {note}");
        }
        md.push('\n');
    }

    let scaling: Vec<&Value> = run["scaling"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
    if !scaling.is_empty() {
        let (small, large) = (u(&run["entries_small"]), u(&run["entries_large"]));
        let _ = writeln!(md, "### Scaling with stored data\n");
        let _ = writeln!(
            md,
            "Each message dry-run after {} and after {} entries of its kind (fresh accounts per kind; same local \
             state both times). Target: cost at {} / cost at {} ≤ {SCALING_TARGET} on ref_time and proof_size.\n",
            thousands(small),
            thousands(large),
            thousands(large),
            thousands(small)
        );
        let _ = writeln!(
            md,
            "| entries of | contract | message (case) | kind | ref_time at {} | ref_time at {} | ratio | proof_size at {} | proof_size at {} | ratio | met |",
            thousands(small),
            thousands(large),
            thousands(small),
            thousands(large)
        );
        md.push_str("|---|---|---|---|--:|--:|--:|--:|--:|--:|:-:|\n");
        for row in &scaling {
            let met = if row["meets"].as_bool().unwrap_or(false) { "yes" } else { "**no**" };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {:.3} | {} | {} | {:.3} | {met} |",
                s(&row["dimension"]),
                s(&row["contract"]),
                message_name(row),
                s(&row["kind"]),
                thousands(u(&row["small"]["ref_time"])),
                thousands(u(&row["large"]["ref_time"])),
                f(&row["ratio_ref_time"]),
                thousands(u(&row["small"]["proof_size"])),
                thousands(u(&row["large"]["proof_size"])),
                f(&row["ratio_proof_size"]),
            );
        }
        md.push('\n');
    }
}

/// The headline numbers of a run, computed from its rows.
fn summary(md: &mut String, run: &Value, rows: &[&Value]) {
    let messages: Vec<&Value> = rows.iter().copied().filter(|r| s(&r["group"]) == Group::Message.name()).collect();
    let _ = writeln!(md, "Summary:\n");
    for kind in ["single", "cross"] {
        let of_kind: Vec<&Value> = messages.iter().copied().filter(|r| s(&r["kind"]) == kind).collect();
        let Some(worst) = of_kind.iter().max_by(|a, b| f(&a["ratio_ref_time"]).total_cmp(&f(&b["ratio_ref_time"])))
        else {
            continue;
        };
        let best = of_kind.iter().map(|r| f(&r["ratio_ref_time"])).fold(f64::INFINITY, f64::min);
        let met = of_kind.iter().filter(|r| r["meets"].as_bool().unwrap_or(false)).count();
        let _ = writeln!(
            md,
            "- {kind}-contract messages that change state: {met} of {} within {}× the ERC-20 transfer's ref_time; \
             ratios {best:.2}× to {:.2}× (highest: {}.{}).",
            of_kind.len(),
            f(&of_kind[0]["target"]),
            f(&worst["ratio_ref_time"]),
            s(&worst["contract"]),
            message_name(worst)
        );
    }
    let scaling: Vec<&Value> = run["scaling"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
    if !scaling.is_empty() {
        let flat = scaling.iter().filter(|r| r["meets"].as_bool().unwrap_or(false)).count();
        let worst = scaling.iter().map(|r| f(&r["ratio_ref_time"]).max(f(&r["ratio_proof_size"]))).fold(0.0, f64::max);
        let _ = writeln!(
            md,
            "- Scaling: {flat} of {} messages cost at most {SCALING_TARGET}× as much with {} entries as with {} \
             (largest ratio {worst:.3}).",
            scaling.len(),
            thousands(u(&run["entries_large"])),
            thousands(u(&run["entries_small"]))
        );
    }
    md.push('\n');
}

/// Each contract's cheapest message beside its code size: the fixed cost every call to it pays.
fn floors(md: &mut String, run: &Value, rows: &[&Value]) {
    let floor_of = |contract: &str| {
        rows.iter().copied().find(|r| s(&r["contract"]) == contract && s(&r["case"]) == crate::messages::FLOOR)
    };
    let Some(erc20) = floor_of("erc20") else {
        return;
    };
    let _ = writeln!(
        md,
        "### The fixed cost of calling each contract\n\n\
         Each contract's cheapest message (a getter of one field). A call loads the contract's whole code: its \
         ref_time grows with the code's size and the code is part of the proof, so this floor, paid again for every \
         contract a message calls, explains most of the ratios below.\n"
    );
    md.push_str("| contract | code (bytes) | cheapest message | ref_time | proof_size | × erc20 ref_time | × erc20 proof_size |\n");
    md.push_str("|---|--:|---|--:|--:|--:|--:|\n");
    for name in ["erc20", "participants", "consent", "records", "claims", "custody"] {
        let Some(row) = floor_of(name) else { continue };
        let _ = writeln!(
            md,
            "| {name} | {} | `{}` | {} | {} | {:.2} | {:.2} |",
            thousands(u(&run["code_sizes"][name])),
            s(&row["message"]),
            thousands(u(&row["ref_time"])),
            thousands(u(&row["proof_size"])),
            ratio(u(&row["ref_time"]), u(&erc20["ref_time"])),
            ratio(u(&row["proof_size"]), u(&erc20["proof_size"])),
        );
    }
    md.push('\n');
}

/// BENCHMARKS.md from the runs (sandbox first).
pub fn markdown(runs: &[Value]) -> String {
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "Written by `scripts/bench.sh` (the program is `bench/`, package `healthchain-bench`); do not edit by hand. \
         Every figure is also in `bench/results/<backend>.json`; `healthchain-bench --compare FILE` compares a run \
         with an earlier one.\n\n",
    );
    md.push_str("## How the figures are produced\n\n");
    md.push_str(
        "- The five contracts and the baseline ERC-20 (`bench/erc20`, ink!'s `integration-tests/erc20` of 5.1.1) are \
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
        let sizes = first["code_sizes"].as_object().cloned().unwrap_or_default();
        let erc20 = sizes.get("erc20").map(u).unwrap_or(0);
        for name in ["participants", "consent", "records", "claims", "custody", "erc20"] {
            if let Some(size) = sizes.get(name).map(u) {
                let _ = writeln!(
                    md,
                    "| {name} | {} | {:.1} | {:.2} |",
                    thousands(size),
                    size as f64 / 1024.0,
                    ratio(size, erc20)
                );
            }
        }
        md.push('\n');
    }
    for run in runs {
        section(&mut md, run);
    }
    md
}

/// The runs whose JSON files are in `dir`: sandbox first, then node.
pub fn load_runs(dir: &Path) -> Vec<Value> {
    ["sandbox", "node"]
        .iter()
        .filter_map(|name| std::fs::read_to_string(dir.join(format!("{name}.json"))).ok())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect()
}

/// A comparison of `now` with an earlier run, row by row (printed, not written).
pub fn compare(now: &Value, before: &Value) -> String {
    let key = |row: &Value| {
        format!("{}.{} ({}) [{}]", s(&row["contract"]), s(&row["message"]), s(&row["case"]), s(&row["group"]))
    };
    let earlier: BTreeMap<String, &Value> =
        before["rows"].as_array().map(|a| a.iter().map(|r| (key(r), r)).collect()).unwrap_or_default();
    let pct = |a: u64, b: u64| {
        if b == 0 {
            0.0
        } else {
            (a as f64 / b as f64 - 1.0) * 100.0
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "comparison with the earlier run ({} backend): ref_time, proof_size and deposit changes",
        s(&before["backend"])
    );
    let mut unchanged = 0;
    for row in now["rows"].as_array().into_iter().flatten() {
        let Some(old) = earlier.get(&key(row)) else {
            let _ = writeln!(out, "  new      {}", key(row));
            continue;
        };
        let (rt, ps) =
            (pct(u(&row["ref_time"]), u(&old["ref_time"])), pct(u(&row["proof_size"]), u(&old["proof_size"])));
        if rt.abs() < 0.05 && ps.abs() < 0.05 && row["deposit"] == old["deposit"] {
            unchanged += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "  {:+7.2} % ref_time {:+7.2} % proof_size  deposit {} -> {}  {}",
            rt,
            ps,
            deposit(&old["deposit"]),
            deposit(&row["deposit"]),
            key(row)
        );
    }
    let now_keys: Vec<String> = now["rows"].as_array().into_iter().flatten().map(key).collect();
    for old in earlier.keys().filter(|k| !now_keys.contains(k)) {
        let _ = writeln!(out, "  gone     {old}");
    }
    let _ = writeln!(out, "  {unchanged} rows unchanged");
    out
}
