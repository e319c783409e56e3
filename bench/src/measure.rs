//! How one message is measured: a dry run in a state where it succeeds (it must neither revert nor return `Err`: the
//! cost of a refusal says nothing), whose `gas_consumed` (ref_time, proof_size) and storage deposit are recorded; then
//! the same call is submitted for real, with the dry run's `gas_required` as its limit, so that the next steps find
//! the state it leaves.

use core::fmt::Debug;
use std::{fmt, ops::Range, time::Instant};

use healthchain_tests::{Backend, Balance, Env};
use ink_e2e::{CallBuilderFinal, CallDryRunResult, ContractsBackend, Keypair};
use ink_sandbox::{pallet_contracts::StorageDeposit, Weight};

/// Does the message call another contract on this path?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only the contract's own storage.
    Single,
    /// Calls participants, consent or records (through `interfaces::client`).
    Cross,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Cross => "cross",
        }
    }

    /// The ceiling on ref_time as a multiple of the ERC-20 transfer (issue #9).
    pub fn target(self) -> f64 {
        match self {
            Kind::Single => 1.5,
            Kind::Cross => 3.0,
        }
    }
}

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The ERC-20 messages.
    Baseline,
    /// A message that changes state.
    Message,
    /// A read (a query; measured the same way).
    Read,
    /// Governance: propose_admin, accept_admin, set_*.
    Admin,
    /// The same message with more input (serials, units, lines, evidence, bytes).
    Input,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Baseline => "baseline",
            Group::Message => "message",
            Group::Read => "read",
            Group::Admin => "admin",
            Group::Input => "input",
        }
    }
}

/// What a row measures.
#[derive(Debug, Clone)]
pub struct Label {
    pub contract: &'static str,
    pub message: &'static str,
    /// The state or arguments it was measured in ("by the author", "100 serials").
    pub case: String,
    pub kind: Kind,
    pub group: Group,
    /// For input-size rows: what grows (serials, units, lines, evidence records, location bytes) and how many.
    pub series: &'static str,
    pub items: u32,
}

impl Label {
    pub fn new(contract: &'static str, message: &'static str, case: impl Into<String>, kind: Kind) -> Self {
        Self { contract, message, case: case.into(), kind, group: Group::Message, series: "", items: 1 }
    }

    pub fn group(mut self, group: Group) -> Self {
        self.group = group;
        self
    }

    pub fn items(mut self, series: &'static str, items: u32) -> Self {
        self.series = series;
        self.items = items;
        self.group = Group::Input;
        self
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} ({})", self.contract, self.message, self.case)
    }
}

/// What the dry run reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    /// `gas_consumed.ref_time`: picoseconds of reference hardware.
    pub ref_time: u64,
    /// `gas_consumed.proof_size`: bytes of storage proof.
    pub proof_size: u64,
    /// `gas_required`: the limit a transaction needs (more than consumed: refunds inside the call).
    pub required_ref_time: u64,
    pub required_proof_size: u64,
    /// Storage deposit: a charge is positive, a refund negative.
    pub deposit: i128,
}

impl Cost {
    fn of<R>(dry_run: &CallDryRunResult<Env, R>) -> Self {
        let result = &dry_run.exec_result;
        let deposit = match &result.storage_deposit {
            StorageDeposit::Charge(amount) => i128::try_from(*amount).unwrap_or(i128::MAX),
            StorageDeposit::Refund(amount) => i128::try_from(*amount).map_or(i128::MIN, |a| -a),
        };
        Cost {
            ref_time: result.gas_consumed.ref_time(),
            proof_size: result.gas_consumed.proof_size(),
            required_ref_time: result.gas_required.ref_time(),
            required_proof_size: result.gas_required.proof_size(),
            deposit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub label: Label,
    pub cost: Cost,
}

/// A client and the rows measured on it so far.
pub struct Bench<'a, C> {
    pub client: &'a mut C,
    pub rows: Vec<Row>,
    /// What could not be measured, and why (for the report).
    pub notes: Vec<String>,
    /// Print each row as it is measured.
    pub verbose: bool,
}

impl<'a, C> Bench<'a, C>
where
    C: Backend,
    <C as ContractsBackend<Env>>::Error: Debug,
{
    pub fn new(client: &'a mut C) -> Self {
        Self { client, rows: Vec::new(), notes: Vec::new(), verbose: true }
    }

    /// Dry-runs `message`; panics naming `what` if the call could not run or reverted.
    async fn dry<Args, R>(
        &mut self,
        what: &dyn fmt::Display,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, R>,
        value: Balance,
    ) -> (Cost, R, Weight)
    where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        let dry_run = self
            .client
            .call(signer, message)
            .value(value)
            .dry_run()
            .await
            .unwrap_or_else(|e| panic!("{what}: the dry run failed: {e:?}"));
        match &dry_run.exec_result.result {
            Err(error) => panic!("{what}: the call failed in the dry run: {error:?}"),
            Ok(returned) if returned.did_revert() => {
                panic!("{what}: the call reverted in the dry run (a refusal is not benchmarked)")
            }
            Ok(_) => {}
        }
        let cost = Cost::of(&dry_run);
        let gas = dry_run.exec_result.gas_required;
        (cost, dry_run.return_value(), gas)
    }

    /// Submits `message` for real with `gas` as its limit (no second dry run).
    async fn send<Args, R>(
        &mut self,
        what: &dyn fmt::Display,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, R>,
        value: Balance,
        gas: Weight,
    ) where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        self.client
            .bare_call(signer, message, value, gas, None)
            .await
            .unwrap_or_else(|e| panic!("{what}: the transaction failed: {e:?}"));
    }

    fn record(&mut self, label: Label, cost: Cost) {
        if self.verbose {
            println!(
                "  {:<58} ref_time {:>13}  proof_size {:>7}  deposit {:>6}",
                label.to_string(),
                cost.ref_time,
                cost.proof_size,
                cost.deposit
            );
        }
        self.rows.push(Row { label, cost });
    }

    /// Measures a message returning `Result<T, E>` (it must return `Ok`), then submits it; returns the `T`.
    pub async fn tx<Args, T, E>(
        &mut self,
        label: Label,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
    ) -> T
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        self.pay(label, signer, message, 0).await
    }

    /// As [`Bench::tx`] for a call that may not fit the dry run's gas limit (the sandbox's is 100 G ref_time and
    /// 3 MiB proof_size): if the dry run fails, the reason is kept as a note and nothing is submitted.
    pub async fn try_tx<Args, T, E>(
        &mut self,
        label: Label,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
    ) -> Option<T>
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        let dry_run = self
            .client
            .call(signer, message)
            .dry_run()
            .await
            .unwrap_or_else(|e| panic!("{label}: the dry run failed: {e:?}"));
        if let Err(error) = &dry_run.exec_result.result {
            let consumed = dry_run.exec_result.gas_consumed;
            let note = format!(
                "{label}: not measured, the dry run failed with {error:?} after ref_time {} and proof_size {}",
                consumed.ref_time(),
                consumed.proof_size()
            );
            self.note(note);
            return None;
        }
        Some(self.tx(label, signer, message).await)
    }

    /// Measures `message` in a dry run only (nothing is submitted); if it fails or is refused, the reason is kept
    /// as a note instead.
    pub async fn try_probe<Args, T, E>(
        &mut self,
        label: Label,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
    ) where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        let dry_run = match self.client.call(signer, message).dry_run().await {
            Ok(dry_run) => dry_run,
            Err(e) => return self.note(format!("{label}: not measured, the dry run failed: {e:?}")),
        };
        let cost = Cost::of(&dry_run);
        let refused = match &dry_run.exec_result.result {
            Err(error) => Some(format!("{error:?}")),
            Ok(returned) if returned.did_revert() => Some("the call reverted".to_string()),
            Ok(_) => match dry_run.return_value() {
                Err(error) => Some(format!("{error:?}")),
                Ok(_) => None,
            },
        };
        match refused {
            Some(reason) => self.note(format!("{label}: not measured, the dry run was refused: {reason}")),
            None => self.record(label, cost),
        }
    }

    /// Keeps `note` (what could not be measured, and why) for the report, and prints it.
    pub fn note(&mut self, note: String) {
        println!("  {note}");
        self.notes.push(note);
    }

    /// As [`Bench::tx`], with `value` transferred (payable messages).
    pub async fn pay<Args, T, E>(
        &mut self,
        label: Label,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
        value: Balance,
    ) -> T
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        let (cost, returned, gas) = self.dry(&label, signer, message, value).await;
        let value_returned = returned.unwrap_or_else(|e| panic!("{label}: refused in the dry run: {e:?}"));
        self.record(label.clone(), cost);
        self.send(&label, signer, message, value, gas).await;
        value_returned
    }

    /// A step of the setup, not measured: dry run (must succeed), then the transaction.
    pub async fn run<Args, T, E>(&mut self, signer: &Keypair, message: &CallBuilderFinal<Env, Args, Result<T, E>>) -> T
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        self.run_paying(signer, message, 0).await
    }

    /// A payable step of the setup, not measured.
    pub async fn run_paying<Args, T, E>(
        &mut self,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
        value: Balance,
    ) -> T
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        let what = "setup step";
        let (_, returned, gas) = self.dry(&what, signer, message, value).await;
        let value_returned = returned.unwrap_or_else(|e| panic!("setup step refused: {e:?}"));
        self.send(&what, signer, message, value, gas).await;
        value_returned
    }

    /// Measures a read (a dry run only) and returns its answer.
    pub async fn read<Args, R>(&mut self, label: Label, signer: &Keypair, message: &CallBuilderFinal<Env, Args, R>) -> R
    where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        let (cost, returned, _) = self.dry(&label, signer, message, 0).await;
        let label = if label.group == Group::Message { label.group(Group::Read) } else { label };
        self.record(label, cost);
        returned
    }

    /// Reads without measuring.
    pub async fn query<Args, R>(&mut self, message: &CallBuilderFinal<Env, Args, R>) -> R
    where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        let (_, returned, _) = self.dry(&"query", &ink_e2e::alice(), message, 0).await;
        returned
    }

    /// The cost of a message returning `Result<T, E>` (it must return `Ok`) in the current state, without submitting
    /// it: the scaling probes measure the same call before and after populating.
    pub async fn probe<Args, T, E>(
        &mut self,
        label: &Label,
        signer: &Keypair,
        message: &CallBuilderFinal<Env, Args, Result<T, E>>,
    ) -> Cost
    where
        Args: scale::Encode + Clone + Send + Sync,
        T: scale::Decode + Send + Debug,
        E: scale::Decode + Send + Debug,
        CallBuilderFinal<Env, Args, Result<T, E>>: Clone,
    {
        let (cost, returned, _) = self.dry(label, signer, message, 0).await;
        if let Err(e) = returned {
            panic!("{label}: refused in the dry run: {e:?}");
        }
        cost
    }

    /// The cost of a read in the current state.
    pub async fn probe_read<Args, R>(&mut self, label: &Label, message: &CallBuilderFinal<Env, Args, R>) -> Cost
    where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        let (cost, _, _) = self.dry(label, &ink_e2e::alice(), message, 0).await;
        cost
    }

    /// Populates: submits `make(i)` for every `i` in `range`, signed by `signer`, without a dry run each (the first
    /// call is dry-run once, to check it succeeds and to size the gas limit of all: twice its `gas_required`).
    /// A refused call is not detected here (the sandbox reports no revert for a submitted call): the caller checks
    /// the resulting count.
    pub async fn fill<Args, R>(
        &mut self,
        what: &str,
        signer: &Keypair,
        range: Range<u64>,
        make: impl Fn(u64) -> CallBuilderFinal<Env, Args, R>,
    ) where
        Args: scale::Encode + Clone + Send + Sync,
        R: scale::Decode + Send,
        CallBuilderFinal<Env, Args, R>: Clone,
    {
        if range.is_empty() {
            return;
        }
        let first = make(range.start);
        let (_, _, gas) = self.dry(&what, signer, &first, 0).await;
        let gas = gas.saturating_mul(2);
        let total = range.end - range.start;
        let step = (total / 10).max(1);
        let start = Instant::now();
        for (done, i) in range.enumerate() {
            let message = make(i);
            self.send(&what, signer, &message, 0, gas).await;
            let done = done as u64 + 1;
            if total >= 500 && (done % step == 0) {
                let secs = start.elapsed().as_secs_f64();
                println!(
                    "    {what}: {done}/{total} in {secs:.0} s ({:.1} ms a call, about {:.0} s to go)",
                    secs * 1000.0 / done as f64,
                    secs / done as f64 * (total - done) as f64
                );
            }
        }
    }
}
