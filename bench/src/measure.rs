//! How one message is measured: a dry run in a state where it succeeds (it must neither revert nor return `Err`: the
//! cost of a refusal says nothing), whose `gas_consumed` (ref_time, proof_size) and storage deposit are recorded; then
//! the same call is submitted for real, with the dry run's `gas_required` as its limit, so that the next steps find
//! the state it leaves.

use core::fmt::{self, Debug};
use std::{ops::Range, time::Instant};

use healthchain_tests::{Backend, Balance, Env};
use ink_e2e::{CallBuilderFinal, Keypair};
use ink_sandbox::{pallet_contracts::StorageDeposit, Weight};
use serde::{Deserialize, Serialize};

/// What a message takes and answers, as ink_e2e's call builder needs them.
pub trait Args: scale::Encode + Clone + Send + Sync {}
impl<A: scale::Encode + Clone + Send + Sync> Args for A {}
pub trait Answer: scale::Decode + Send + Debug {}
impl<R: scale::Decode + Send + Debug> Answer for R {}
/// A call of a contract message, ready to dry-run or submit; `Tx` one that answers a `Result`.
pub type Msg<A, R> = CallBuilderFinal<Env, A, R>;
pub type Tx<A, T, E> = Msg<A, Result<T, E>>;

/// Does the message call another contract on this path?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Only the contract's own storage.
    Single,
    /// Calls participants, consent or records (through `interfaces::client`).
    Cross,
}

impl Kind {
    /// The ceiling on ref_time as a multiple of the ERC-20 transfer (issue #9).
    pub fn target(self) -> f64 {
        [1.5, 3.0][self as usize]
    }

    /// Its name in the results file: serde's (the variant's, lowercase).
    pub fn name(self) -> &'static str {
        ["single", "cross"][self as usize]
    }
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
    /// Governance: propose_admin, accept_admin, set_*, upgrade.
    Admin,
    /// The same message with more input (serials, units, lines, evidence, bytes).
    Input,
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
    /// For input-size rows: what grows (serials, units, lines, evidence records, location bytes) and how many (else
    /// "" and 1).
    pub series: String,
    pub items: u32,
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

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} ({})", self.contract, self.message, self.case)
    }
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
    #[serde(with = "crate::report::decimal")]
    pub deposit: i128,
}

impl Cost {
    /// `gas_required`, the limit of the transaction.
    pub fn required(&self) -> Weight {
        Weight::from_parts(self.required_ref_time, self.required_proof_size)
    }
}

/// Why a dry run gave no answer.
enum Failed {
    /// The client could not dry-run the call.
    Run(String),
    /// The call failed (e.g. out of gas), after using `Cost`.
    Call(String, Cost),
    Reverted,
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failed::Run(e) => write!(f, "the dry run failed: {e}"),
            Failed::Call(e, _) => write!(f, "the call failed in the dry run: {e}"),
            Failed::Reverted => f.write_str("the call reverted in the dry run (a refusal is not benchmarked)"),
        }
    }
}

/// A client and what was measured on it so far.
pub struct Bench<'a, C> {
    pub client: &'a mut C,
    pub rows: Vec<(Label, Cost)>,
    /// What could not be measured, and why (for the report).
    pub notes: Vec<String>,
    /// Print each row as it is measured.
    pub verbose: bool,
}

impl<'a, C: Backend> Bench<'a, C> {
    pub fn new(client: &'a mut C, verbose: bool) -> Self {
        Self { client, rows: Vec::new(), notes: Vec::new(), verbose }
    }

    /// Dry-runs `message`: its cost and answer, or why there is none.
    async fn try_dry<A: Args, R: Answer>(
        &mut self,
        by: &Keypair,
        m: &Msg<A, R>,
        value: u128,
    ) -> Result<(Cost, R), Failed> {
        let dry_run = self.client.call(by, m).value(value).dry_run().await;
        let dry_run = dry_run.map_err(|e| Failed::Run(format!("{e:?}")))?;
        let result = &dry_run.exec_result;
        let cost = Cost {
            ref_time: result.gas_consumed.ref_time(),
            proof_size: result.gas_consumed.proof_size(),
            required_ref_time: result.gas_required.ref_time(),
            required_proof_size: result.gas_required.proof_size(),
            deposit: match &result.storage_deposit {
                StorageDeposit::Charge(amount) => i128::try_from(*amount).unwrap_or(i128::MAX),
                StorageDeposit::Refund(amount) => i128::try_from(*amount).map_or(i128::MIN, |a| -a),
            },
        };
        match &result.result {
            Err(error) => Err(Failed::Call(format!("{error:?}"), cost)),
            Ok(returned) if returned.did_revert() => Err(Failed::Reverted),
            Ok(_) => Ok((cost, dry_run.return_value())),
        }
    }

    /// Dry-runs `message`, which must run and not revert (panics naming `what` otherwise).
    pub async fn dry<A: Args, R: Answer>(&mut self, what: &str, signer: &Keypair, message: &Msg<A, R>) -> (Cost, R) {
        self.try_dry(signer, message, 0).await.unwrap_or_else(|failed| panic!("{what}: {failed}"))
    }

    /// Submits `message` for real with `gas` as its limit (no second dry run).
    async fn send<A: Args, R: Answer>(&mut self, what: &str, by: &Keypair, m: &Msg<A, R>, value: Balance, gas: Weight) {
        if let Err(e) = self.client.bare_call(by, m, value, gas, None).await {
            panic!("{what}: the transaction failed: {e:?}")
        }
    }

    fn record(&mut self, label: Label, cost: Cost) {
        if self.verbose {
            let (what, Cost { ref_time, proof_size, deposit, .. }) = (label.to_string(), cost);
            println!("  {what:<58} ref_time {ref_time:>13}  proof_size {proof_size:>7}  deposit {deposit:>6}");
        }
        self.rows.push((label, cost));
    }

    /// Keeps `note` (what could not be measured, and why) for the report, and prints it.
    pub fn note(&mut self, note: String) {
        println!("  {note}");
        self.notes.push(note);
    }

    /// Every measurement of a message returning `Result<T, E>`: the dry run (it must return `Ok`), recorded under
    /// `label` if there is one, then, if `submit`, the transaction with the dry run's `gas_required` as its limit.
    async fn call<A: Args, T: Answer, E: Answer>(
        &mut self,
        label: Option<Label>,
        signer: &Keypair,
        message: &Tx<A, T, E>,
        value: Balance,
        submit: bool,
    ) -> T {
        let what = label.as_ref().map_or_else(|| "setup step".to_string(), Label::to_string);
        let dry_run = self.try_dry(signer, message, value).await;
        let (cost, answer) = dry_run.unwrap_or_else(|failed| panic!("{what}: {failed}"));
        let answer = answer.unwrap_or_else(|e| panic!("{what}: refused in the dry run: {e:?}"));
        if let Some(label) = label {
            self.record(label, cost);
        }
        if submit {
            self.send(&what, signer, message, value, cost.required()).await;
        }
        answer
    }

    /// Measures a message (it must return `Ok`), then submits it; returns the `T` of its `Ok`.
    pub async fn tx<A: Args, T: Answer, E: Answer>(&mut self, l: Label, by: &Keypair, m: &Tx<A, T, E>) -> T {
        self.call(Some(l), by, m, 0, true).await
    }

    /// As [`Bench::tx`], with `value` transferred (payable messages).
    pub async fn pay<A: Args, T: Answer, E: Answer>(&mut self, l: Label, by: &Keypair, m: &Tx<A, T, E>, v: u128) -> T {
        self.call(Some(l), by, m, v, true).await
    }

    /// A step of the setup, not measured: dry run (must succeed), then the transaction.
    pub async fn run<A: Args, T: Answer, E: Answer>(&mut self, by: &Keypair, m: &Tx<A, T, E>) -> T {
        self.call(None, by, m, 0, true).await
    }

    /// A payable step of the setup, not measured.
    pub async fn run_paying<A: Args, T: Answer, E: Answer>(&mut self, by: &Keypair, m: &Tx<A, T, E>, v: u128) -> T {
        self.call(None, by, m, v, true).await
    }

    /// Measures a message (it must return `Ok`) in the current state without submitting it: the scaling probes
    /// measure the same call before and after populating.
    pub async fn probe<A: Args, T: Answer, E: Answer>(&mut self, l: Label, by: &Keypair, m: &Tx<A, T, E>) {
        self.call(Some(l), by, m, 0, false).await;
    }

    /// Measures a read (a query, dry-run by the admin, Alice) and returns its answer.
    pub async fn read<A: Args, R: Answer>(&mut self, label: Label, message: &Msg<A, R>) -> R {
        let (cost, answer) = self.dry(&label.to_string(), &ink_e2e::alice(), message).await;
        let label = if label.group == Group::Message { label.group(Group::Read) } else { label };
        self.record(label, cost);
        answer
    }

    /// Reads without measuring.
    pub async fn query<A: Args, R: Answer>(&mut self, message: &Msg<A, R>) -> R {
        self.dry("query", &ink_e2e::alice(), message).await.1
    }

    /// As [`Bench::tx`] (or, without `submit`, [`Bench::probe`]) for a call that may fail in the dry run: one that
    /// does not fit its gas limit (the sandbox's is 100 G ref_time and 3 MiB proof_size), or an `upgrade` the contract
    /// refuses. Then the reason is kept as a note, nothing is submitted, and it returns false.
    pub async fn try_call<A: Args, T: Answer, E: Answer>(
        &mut self,
        l: Label,
        by: &Keypair,
        m: &Tx<A, T, E>,
        submit: bool,
    ) -> bool {
        let (what, dry_run) = (l.to_string(), self.try_dry(by, m, 0).await);
        let why = match dry_run {
            Ok((cost, Ok(_))) => {
                self.record(l, cost);
                if submit {
                    self.send(&what, by, m, 0, cost.required()).await;
                }
                return true;
            }
            Ok((_, Err(error))) => format!("the dry run was refused: {error:?}"),
            Err(Failed::Call(error, Cost { ref_time, proof_size, .. })) => {
                format!("the dry run failed with {error} after ref_time {ref_time} and proof_size {proof_size}")
            }
            Err(failed) => failed.to_string(),
        };
        self.note(format!("{what}: not measured, {why}"));
        false
    }

    /// Populates: submits `make(entries)` for every `per_call` entries of `range`, signed by `signer`, without a dry
    /// run each (the first call is dry-run once, to check it succeeds and to size the gas limit of all: twice its
    /// `gas_required`). A refused call is not detected here (the sandbox reports no revert for a submitted call):
    /// the caller checks the resulting count.
    pub async fn fill<A: Args, R: Answer>(
        &mut self,
        what: &str,
        signer: &Keypair,
        (range, per_call): (Range<u64>, u64),
        make: impl Fn(Range<u64>) -> Msg<A, R>,
    ) {
        let calls: Vec<Range<u64>> =
            range.clone().step_by(per_call as usize).map(|start| start..(start + per_call).min(range.end)).collect();
        let Some(first) = calls.first() else { return };
        let gas = self.dry(what, signer, &make(first.clone())).await.0.required().saturating_mul(2);
        let (total, start) = (calls.len() as u64, Instant::now());
        for (done, entries) in (1..).zip(calls) {
            self.send(what, signer, &make(entries), 0, gas).await;
            if total >= 500 && done % (total / 10).max(1) == 0 {
                let secs = start.elapsed().as_secs_f64();
                let (each, left) = (secs * 1000.0 / done as f64, secs / done as f64 * (total - done) as f64);
                println!("    {what}: {done}/{total} in {secs:.0} s ({each:.1} ms a call, about {left:.0} s to go)");
            }
        }
    }
}
