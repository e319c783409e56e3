//! Settlement that can be stopped, free of storage and environment.
//!
//! An approved claim is owed, and paid no earlier than its `payable_at` (its decision plus the plan's settlement
//! delay). Until it is paid:
//! - the payer may void it with a denial reason ([`void`]): every line is denied with that code, nothing is owed;
//! - within the delay, its patient may dispute it, "service not received" ([`dispute`]): it is pended for the
//!   payer's review and nothing is owed until then.
//!
//! Once paid, the payer may reverse it within the plan's reversal window ([`reverse`]): every line is denied with
//! the reason given, and what it was paid becomes a recoupment its provider owes the plan, netted off that
//! provider's next payments from the plan ([`crate::escrow::pay`]). No balance goes negative, nothing is paid
//! twice.
//!
//! Each of them undoes what the claim's approval did, as a correction does ([`crate::correction::Undo`]): what it
//! was owed is released, its patient's share leaves the accumulators; a void or reversal also gives back the prior
//! authorizations its lines consumed and takes it out of the duplicate index.

use crate::{
    adjudication::{carc, Balance},
    correction::Undo,
    errors::{Error, Result},
    types::{Claim, ClaimId, Escrow, LineAdjudication, Outcome},
};
use ink::prelude::{boxed::Box, vec, vec::Vec};
use interfaces::{AccountId, Timestamp, MAX_PAGE};

/// When what a claim decided `now` is owed becomes payable: after the plan's settlement delay.
pub fn payable_at(now: Timestamp, settlement_delay_ms: u64) -> Timestamp {
    now.saturating_add(settlement_delay_ms)
}

/// `settle` pays a claim only once its settlement delay is over.
pub fn ensure_payable(claim: &Claim, now: Timestamp) -> Result<()> {
    if now < claim.payable_at {
        return Err(Error::NotYetPayable);
    }
    Ok(())
}

/// What `settle` finds at the head of a plan's settlement queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The first entry whose claim is still owed: pay it.
    Owed { position: u64, claim: ClaimId, owed: Box<Claim> },
    /// Only entries of claims no longer owed (paid, voided, disputed, corrected), `passed` of them up to `next`:
    /// they leave the queue.
    Passed { next: u64, passed: u64 },
}

/// Walks the escrow's settlement queue from its head, loading each entry's claim with `entry`, past at most
/// `MAX_PAGE` entries of claims no longer owed. Refused (`NothingOwed`) when the queue is empty.
pub fn next_owed(escrow: &Escrow, entry: impl Fn(u64) -> Option<(ClaimId, Claim)>) -> Result<Next> {
    let mut position = escrow.settle_next;
    let mut passed: u64 = 0;
    while position < escrow.settle_end && passed < u64::from(MAX_PAGE) {
        if let Some((claim, owed)) = entry(position).filter(|(_, claim)| claim.benefit > claim.paid) {
            return Ok(Next::Owed { position, claim, owed: Box::new(owed) });
        }
        position = position.checked_add(1).ok_or(Error::Overflow)?;
        passed = passed.checked_add(1).ok_or(Error::Overflow)?;
    }
    if passed == 0 {
        return Err(Error::NothingOwed);
    }
    Ok(Next::Passed { next: position, passed })
}

/// What undoing the approval of `claim` releases and takes back (the share of every line).
fn undo(claim: &Claim, give_back: bool) -> Result<Undo> {
    let sum = |amount: fn(&LineAdjudication) -> Balance| {
        claim.lines.iter().try_fold(0, |sum: Balance, line| sum.checked_add(amount(line))).ok_or(Error::Overflow)
    };
    Ok(Undo {
        released: claim.benefit.checked_sub(claim.paid).ok_or(Error::Overflow)?,
        deductible: sum(|line| line.deductible)?,
        out_of_pocket: sum(|line| line.patient_share)?,
        auths: if give_back { claim.lines.iter().filter_map(|line| line.prior_auth).collect() } else { Vec::new() },
        unindex: give_back,
    })
}

/// Every line of `claim` denied with `reason` (a code of [`carc::DENIALS`]): the claim is Denied with that reason
/// and decided `now` (its appeal window restarts).
fn deny_all(claim: &mut Claim, reason: u16, now: Timestamp) -> Result<()> {
    let adjustment = carc::denial(reason).ok_or(Error::InvalidReasonCode)?;
    for line in claim.lines.iter_mut() {
        *line = LineAdjudication { adjustments: vec![adjustment], denied: true, ..LineAdjudication::blank(&line.line) };
    }
    claim.outcome = Outcome::Denied;
    claim.reason = Some(reason);
    claim.decided_at = now;
    Ok(())
}

fn ensure_payer(claim: &Claim, caller: AccountId) -> Result<()> {
    if claim.payer != caller {
        return Err(Error::NotPlanPayer);
    }
    if claim.correction.is_some() {
        return Err(Error::ClaimCorrected);
    }
    Ok(())
}

/// The payer (`caller`) voids an approved claim not paid yet, with the denial code `reason`. Returns what to undo.
pub fn void(claim: &mut Claim, caller: AccountId, reason: u16, now: Timestamp) -> Result<Undo> {
    ensure_payer(claim, caller)?;
    if claim.paid > 0 {
        return Err(Error::ClaimAlreadyPaid);
    }
    if claim.benefit == 0 {
        return Err(Error::NothingOwed);
    }
    let undo = undo(claim, true)?;
    deny_all(claim, reason, now)?;
    claim.benefit = 0;
    Ok(undo)
}

/// The patient (`caller`) disputes an approved claim within its settlement delay ("service not received"): its
/// lines not denied are pended for the payer's review (amounts cleared), nothing is owed. Returns what to undo.
pub fn dispute(claim: &mut Claim, caller: AccountId, now: Timestamp) -> Result<Undo> {
    if claim.patient != caller {
        return Err(Error::NotClaimPatient);
    }
    if claim.correction.is_some() {
        return Err(Error::ClaimCorrected);
    }
    if claim.disputed {
        return Err(Error::AlreadyDisputed);
    }
    if claim.paid > 0 {
        return Err(Error::ClaimAlreadyPaid);
    }
    if claim.benefit == 0 {
        return Err(Error::NothingOwed);
    }
    if now >= claim.payable_at {
        return Err(Error::SettlementDelayOver);
    }
    let undo = undo(claim, false)?;
    for line in claim.lines.iter_mut().filter(|line| !line.denied) {
        *line = LineAdjudication { prior_auth: line.prior_auth, ..LineAdjudication::blank(&line.line) };
    }
    claim.outcome = Outcome::Pended;
    claim.benefit = 0;
    claim.disputed = true;
    Ok(undo)
}

/// The payer (`caller`) reverses a paid claim within `reversal_window_ms` of its payment, with the denial code
/// `reason`. Returns what its provider now owes the plan (all it was paid) and what to undo.
pub fn reverse(
    claim: &mut Claim,
    caller: AccountId,
    reason: u16,
    now: Timestamp,
    reversal_window_ms: u64,
) -> Result<(Balance, Undo)> {
    ensure_payer(claim, caller)?;
    if claim.reversed {
        return Err(Error::AlreadyReversed);
    }
    let paid_at = claim.paid_at.ok_or(Error::NotPaid)?;
    if now >= paid_at.saturating_add(reversal_window_ms) {
        return Err(Error::ReversalWindowClosed);
    }
    let undo = undo(claim, true)?;
    deny_all(claim, reason, now)?;
    claim.benefit = claim.paid;
    claim.reversed = true;
    Ok((claim.paid, undo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Adjustment, ClaimLine, Correction, Group};

    const DAY: u64 = 86_400_000;
    const PAYER: AccountId = AccountId([1; 32]);
    const PROVIDER: AccountId = AccountId([2; 32]);
    const PATIENT: AccountId = AccountId([3; 32]);

    /// Approved on day 10 with benefit 300 (patient share 200, deductible 100), payable on day 13.
    fn approved(paid: Balance) -> Claim {
        let line = LineAdjudication {
            eligible: 500,
            deductible: 100,
            patient_share: 200,
            benefit: 300,
            prior_auth: Some(4),
            ..LineAdjudication::blank(&ClaimLine { service_code: 100, units: 1, charge: 600 })
        };
        Claim {
            provider: PROVIDER,
            patient: PATIENT,
            plan: 1,
            payer: PAYER,
            date_of_service: 9 * DAY,
            submitted_at: 10 * DAY,
            detail: [1; 32],
            lines: vec![line],
            evidence: Vec::new(),
            outcome: Outcome::Approved,
            reason: None,
            benefit: 300,
            paid,
            decided_at: 10 * DAY,
            appeal: None,
            replaces: None,
            correction: None,
            payable_at: 13 * DAY,
            paid_at: (paid > 0).then_some(13 * DAY),
            disputed: false,
            reversed: false,
            previous_of_provider: None,
            previous_of_patient: None,
        }
    }

    fn refused<T: core::fmt::Debug>(claim: &Claim, decide: impl FnOnce(&mut Claim) -> Result<T>) -> Option<Error> {
        let mut decided = claim.clone();
        let result = decide(&mut decided);
        if result.is_err() {
            assert_eq!(&decided, claim, "a refusal changes nothing");
        }
        result.err()
    }

    #[test]
    fn settle_finds_the_first_claim_still_owed_in_queue_order() {
        let escrow = Escrow { settle_next: 3, settle_end: 6, ..Escrow::default() };
        let owed = approved(0);
        let paid = approved(300);
        // Position 3 is paid, 4 owed: 4 is next (never 5, though it is owed too).
        let queue = |position| match position {
            3 => Some((7, paid.clone())),
            4 | 5 => Some((position + 4, owed.clone())),
            _ => None,
        };
        assert_eq!(next_owed(&escrow, queue), Ok(Next::Owed { position: 4, claim: 8, owed: Box::new(owed.clone()) }));
        // Nothing owed: the entries are passed over.
        assert_eq!(next_owed(&escrow, |_| Some((7, paid.clone()))), Ok(Next::Passed { next: 6, passed: 3 }));
        assert_eq!(next_owed(&Escrow { settle_next: 6, ..escrow }, queue), Err(Error::NothingOwed));
        // At most MAX_PAGE entries are passed over per call.
        let long = Escrow { settle_next: 0, settle_end: 1_000, ..Escrow::default() };
        let page = u64::from(MAX_PAGE);
        assert_eq!(next_owed(&long, |_| None), Ok(Next::Passed { next: page, passed: page }));
    }

    #[test]
    fn a_claim_is_payable_after_the_settlement_delay() {
        assert_eq!(payable_at(10, 5), 15);
        assert_eq!(payable_at(u64::MAX - 1, 5), u64::MAX);
        assert_eq!(ensure_payable(&approved(0), 13 * DAY - 1), Err(Error::NotYetPayable));
        assert_eq!(ensure_payable(&approved(0), 13 * DAY), Ok(()));
    }

    #[test]
    fn the_payer_voids_an_unpaid_claim_with_a_denial_reason() {
        let mut claim = approved(0);
        let undo = void(&mut claim, PAYER, 50, 11 * DAY).unwrap();
        assert_eq!(undo, Undo { released: 300, deductible: 100, out_of_pocket: 200, auths: vec![4], unindex: true });
        assert_eq!(
            (claim.outcome, claim.reason, claim.benefit, claim.decided_at),
            (Outcome::Denied, Some(50), 0, 11 * DAY)
        );
        let adjustment = Adjustment { group: Group::ContractualObligation, code: 50 };
        assert_eq!(claim.lines[0], LineAdjudication::denied(&claim.lines[0].line, adjustment));

        assert_eq!(refused(&approved(0), |c| void(c, PROVIDER, 50, 11 * DAY)), Some(Error::NotPlanPayer));
        assert_eq!(refused(&approved(0), |c| void(c, PAYER, 45, 11 * DAY)), Some(Error::InvalidReasonCode));
        assert_eq!(refused(&approved(300), |c| void(c, PAYER, 50, 11 * DAY)), Some(Error::ClaimAlreadyPaid));
        let nothing = Claim { benefit: 0, ..approved(0) };
        assert_eq!(refused(&nothing, |c| void(c, PAYER, 50, 11 * DAY)), Some(Error::NothingOwed));
        let voided = Claim { correction: Some(Correction::Voided), ..approved(0) };
        assert_eq!(refused(&voided, |c| void(c, PAYER, 50, 11 * DAY)), Some(Error::ClaimCorrected));
    }

    #[test]
    fn the_patient_disputes_within_the_delay_and_the_claim_pends() {
        let mut claim = approved(0);
        let undo = dispute(&mut claim, PATIENT, 13 * DAY - 1).unwrap();
        assert_eq!(undo, Undo { released: 300, deductible: 100, out_of_pocket: 200, auths: vec![], unindex: false });
        assert_eq!((claim.outcome, claim.benefit, claim.disputed), (Outcome::Pended, 0, true));
        assert_eq!((claim.lines[0].benefit, claim.lines[0].patient_share, claim.lines[0].prior_auth), (0, 0, Some(4)));

        assert_eq!(refused(&approved(0), |c| dispute(c, PROVIDER, 11 * DAY)), Some(Error::NotClaimPatient));
        assert_eq!(refused(&approved(0), |c| dispute(c, PATIENT, 13 * DAY)), Some(Error::SettlementDelayOver));
        assert_eq!(refused(&approved(300), |c| dispute(c, PATIENT, 11 * DAY)), Some(Error::ClaimAlreadyPaid));
        assert_eq!(refused(&claim, |c| dispute(c, PATIENT, 11 * DAY)), Some(Error::AlreadyDisputed));
        let nothing = Claim { benefit: 0, ..approved(0) };
        assert_eq!(refused(&nothing, |c| dispute(c, PATIENT, 11 * DAY)), Some(Error::NothingOwed));
        let voided = Claim { correction: Some(Correction::Voided), ..approved(0) };
        assert_eq!(refused(&voided, |c| dispute(c, PATIENT, 11 * DAY)), Some(Error::ClaimCorrected));
    }

    #[test]
    fn the_payer_reverses_a_paid_claim_within_the_window_and_recoups_it() {
        let window = 30 * DAY;
        let mut claim = approved(300);
        let (recoup, undo) = reverse(&mut claim, PAYER, 16, 43 * DAY - 1, window).unwrap();
        assert_eq!((recoup, undo.released, undo.out_of_pocket, undo.unindex), (300, 0, 200, true));
        assert_eq!((claim.outcome, claim.reason, claim.reversed), (Outcome::Denied, Some(16), true));
        assert_eq!((claim.benefit, claim.paid), (300, 300), "nothing owed, nothing paid twice");

        assert_eq!(refused(&approved(300), |c| reverse(c, PROVIDER, 16, 14 * DAY, window)), Some(Error::NotPlanPayer));
        assert_eq!(
            refused(&approved(300), |c| reverse(c, PAYER, 16, 43 * DAY, window)),
            Some(Error::ReversalWindowClosed)
        );
        assert_eq!(refused(&approved(0), |c| reverse(c, PAYER, 16, 14 * DAY, window)), Some(Error::NotPaid));
        assert_eq!(refused(&claim, |c| reverse(c, PAYER, 16, 14 * DAY, window)), Some(Error::AlreadyReversed));
        assert_eq!(refused(&approved(300), |c| reverse(c, PAYER, 1, 14 * DAY, window)), Some(Error::InvalidReasonCode));
    }
}
