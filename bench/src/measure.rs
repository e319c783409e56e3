//! How one message is measured: a dry run in a state where it succeeds (it must neither revert nor return `Err`: the
//! cost of a refusal says nothing), whose `gas_consumed` (ref_time, proof_size) and storage deposit are recorded; then
//! the same call is submitted for real, with the dry run's `gas_required` as its limit, so that the next steps find
//! the state it leaves. Setup steps, not measured, go through the test harness (`healthchain_tests::{ok, pay, read}`).

use core::fmt::Debug;
use std::{ops::Range, time::Instant};

use healthchain_tests::{Backend, Balance, Message};
use ink_e2e::Keypair;
use ink_sandbox::{pallet_contracts::StorageDeposit, Weight};

use crate::report::{Cost, Group, Label};

/// A message that answers `Result<T, E>`.
pub trait Tx<T, E>: Message<Output = Result<T, E>> {}
impl<T, E, M: Message<Output = Result<T, E>>> Tx<T, E> for M {}

/// `gas_required`, the limit of the transaction.
fn required(cost: &Cost) -> Weight {
    Weight::from_parts(cost.required_ref_time, cost.required_proof_size)
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

    /// Dry-runs `m` signed `by` with `value` attached: its cost and answer, or why there is none.
    async fn try_dry<M: Message>(&mut self, by: &Keypair, m: &M, value: Balance) -> Result<(Cost, M::Output), String> {
        let dry_run = self.client.call(by, m.builder()).value(value).dry_run().await;
        let dry_run = dry_run.map_err(|e| format!("the dry run failed: {e:?}"))?;
        let result = &dry_run.exec_result;
        let (consumed, required) = (result.gas_consumed, result.gas_required);
        let cost = Cost {
            ref_time: consumed.ref_time(),
            proof_size: consumed.proof_size(),
            required_ref_time: required.ref_time(),
            required_proof_size: required.proof_size(),
            deposit: match &result.storage_deposit {
                StorageDeposit::Charge(amount) => i128::try_from(*amount).unwrap_or(i128::MAX),
                StorageDeposit::Refund(amount) => i128::try_from(*amount).map_or(i128::MIN, |a| -a),
            },
        };
        let spent = format!("after ref_time {} and proof_size {}", cost.ref_time, cost.proof_size);
        match &result.result {
            Err(e) => Err(format!("the call failed in the dry run {spent}: {e:?}")),
            Ok(returned) if returned.did_revert() => {
                Err("the call reverted in the dry run (a refusal is not benchmarked)".into())
            }
            Ok(_) => Ok((cost, dry_run.return_value())),
        }
    }

    /// Dry-runs `message`, which must run and not revert (panics naming `what` otherwise).
    pub async fn dry<M: Message>(&mut self, what: &str, by: &Keypair, message: &M) -> (Cost, M::Output) {
        self.try_dry(by, message, 0).await.unwrap_or_else(|why| panic!("{what}: {why}"))
    }

    /// Submits `message` for real with `gas` as its limit (no second dry run).
    async fn send<M: Message>(&mut self, what: &str, by: &Keypair, m: &M, value: Balance, gas: Weight) {
        if let Err(e) = self.client.bare_call(by, m.builder(), value, gas, None).await {
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
    /// `label`, then, if `send` (the value to attach), the transaction with the dry run's `gas_required` as its limit.
    /// `Err` says why the dry run failed or was refused (then nothing is recorded or submitted).
    async fn call<T, E: Debug>(
        &mut self,
        l: Label,
        by: &Keypair,
        m: &impl Tx<T, E>,
        send: Option<Balance>,
    ) -> Result<T, String> {
        let what = l.to_string();
        let not_measured = |why| format!("{what}: not measured, {why}");
        let (cost, answer) = self.try_dry(by, m, send.unwrap_or(0)).await.map_err(not_measured)?;
        let answer = answer.map_err(|e| not_measured(format!("the dry run was refused: {e:?}")))?;
        self.record(l, cost);
        if let Some(value) = send {
            self.send(&what, by, m, value, required(&cost)).await;
        }
        Ok(answer)
    }

    /// Measures a message (it must return `Ok`), then submits it; returns the `T` of its `Ok`.
    pub async fn tx<T, E: Debug>(&mut self, l: Label, by: &Keypair, m: &impl Tx<T, E>) -> T {
        self.call(l, by, m, Some(0)).await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// As [`Bench::tx`], with `value` attached (payable messages).
    pub async fn pay<T, E: Debug>(&mut self, l: Label, by: &Keypair, m: &impl Tx<T, E>, value: Balance) -> T {
        self.call(l, by, m, Some(value)).await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// Measures a message (it must return `Ok`) in the current state without submitting it: the scaling probes
    /// measure the same call before and after populating.
    pub async fn probe<T, E: Debug>(&mut self, l: Label, by: &Keypair, m: &impl Tx<T, E>) {
        self.call(l, by, m, None).await.unwrap_or_else(|e| panic!("{e}"));
    }

    /// As [`Bench::tx`] (or, without `submit`, [`Bench::probe`]) for a call that may fail in the dry run: one that
    /// does not fit its gas limit (the sandbox's is 100 G ref_time and 3 MiB proof_size), or an `upgrade` the contract
    /// refuses. Then the reason is kept as a note, nothing is submitted, and it returns false.
    pub async fn try_call<T, E: Debug>(&mut self, l: Label, by: &Keypair, m: &impl Tx<T, E>, submit: bool) -> bool {
        let Err(note) = self.call(l, by, m, submit.then_some(0)).await else { return true };
        self.note(note);
        false
    }

    /// Measures a read (a query, dry-run by the admin, Alice) and returns its answer.
    pub async fn read<M: Message>(&mut self, label: Label, message: &M) -> M::Output {
        let (cost, answer) = self.dry(&label.to_string(), &ink_e2e::alice(), message).await;
        let label = if label.group == Group::Message { label.group(Group::Read) } else { label };
        self.record(label, cost);
        answer
    }

    /// Populates: submits `make(entries)` for every `per_call` entries of `range`, signed by `signer`, without a dry
    /// run each (the first call is dry-run once, to check it succeeds and to size the gas limit of all: twice its
    /// `gas_required`). A refused call is not detected here (the sandbox reports no revert for a submitted call):
    /// the caller checks the resulting count.
    pub async fn fill<M: Message>(
        &mut self,
        what: &str,
        by: &Keypair,
        range: Range<u64>,
        per_call: u64,
        make: impl Fn(Range<u64>) -> M,
    ) {
        let calls: Vec<Range<u64>> =
            range.clone().step_by(per_call as usize).map(|start| start..(start + per_call).min(range.end)).collect();
        let Some(first) = calls.first() else { return };
        let gas = required(&self.dry(what, by, &make(first.clone())).await.0).saturating_mul(2);
        let (total, start) = (calls.len() as u64, Instant::now());
        for (done, entries) in (1..).zip(calls) {
            self.send(what, by, &make(entries), 0, gas).await;
            if total >= 500 && done % (total / 10).max(1) == 0 {
                let secs = start.elapsed().as_secs_f64();
                let (each, left) = (secs * 1000.0 / done as f64, secs / done as f64 * (total - done) as f64);
                println!("    {what}: {done}/{total} in {secs:.0} s ({each:.1} ms a call, about {left:.0} s to go)");
            }
        }
    }
}
