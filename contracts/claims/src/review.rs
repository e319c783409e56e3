//! The payer's second look at a claim, free of storage and environment: the review of a Pended claim, and appeals
//! of a Denied or Partial one (filed by its provider or patient within the plan's appeal window, upheld or
//! overturned by the payer).
//!
//! Amounts set by review or appeal are the payer's: they do not change the accumulators. A line given a benefit
//! is no longer denied; its eligible amount becomes benefit + patient share, and what its charge exceeds that by
//! is adjusted away with CARC 45.

use crate::{
    adjudication::{carc, Balance},
    errors::{Error, Result},
    types::{Appeal, AppealStatus, Claim, LineAdjudication, LineDecision, Outcome},
};
use ink::prelude::vec;
use interfaces::{AccountId, Hash32, Timestamp};

/// Only the claim's payer (copied from its plan at submission: a plan never changes payer) decides on it.
fn ensure_payer(claim: &Claim, caller: AccountId) -> Result<()> {
    if claim.payer != caller {
        return Err(Error::NotPlanPayer);
    }
    Ok(())
}

/// Applies `caller`'s decision on every line of a Pended claim (an approved line's benefit is at most its charge;
/// a denied line needs a denial code) and returns the benefit approved. The claim's outcome is decided again and
/// the appeal window restarts `now`.
pub fn review(claim: &mut Claim, caller: AccountId, decisions: &[LineDecision], now: Timestamp) -> Result<Balance> {
    ensure_payer(claim, caller)?;
    if claim.outcome != Outcome::Pended {
        return Err(Error::NotPended);
    }
    if decisions.len() != claim.lines.len() {
        return Err(Error::DecisionCountMismatch);
    }
    let mut benefit: Balance = 0;
    for (line, decision) in claim.lines.iter_mut().zip(decisions) {
        line.deductible = 0;
        line.copay = 0;
        line.coinsurance = 0;
        line.patient_share = 0;
        line.benefit = 0;
        match *decision {
            LineDecision::Approve(amount) => {
                set_benefit(line, amount)?;
                benefit = benefit.checked_add(amount).ok_or(Error::Overflow)?;
            }
            LineDecision::Deny(code) => {
                if code == 0 || !carc::is_denial(code) {
                    return Err(Error::InvalidReasonCode);
                }
                line.eligible = 0;
                line.denied = true;
                line.codes = vec![code];
            }
        }
    }
    claim.outcome = Outcome::of(&claim.lines);
    claim.decided_at = now;
    Ok(benefit)
}

/// The appeal `by` the claim's provider or patient files `now`: only of a Denied or Partial claim, once, before
/// `appeal_window_ms` (the plan's) have passed since the claim was decided.
pub fn appeal(
    claim: &Claim,
    by: AccountId,
    reason_hash: Hash32,
    now: Timestamp,
    appeal_window_ms: u64,
) -> Result<Appeal> {
    if by != claim.provider && by != claim.patient {
        return Err(Error::NotClaimParty);
    }
    if !matches!(claim.outcome, Outcome::Denied | Outcome::Partial) {
        return Err(Error::NotAppealable);
    }
    if claim.appeal.is_some() {
        return Err(Error::AlreadyAppealed);
    }
    if now >= claim.decided_at.saturating_add(appeal_window_ms) {
        return Err(Error::AppealWindowClosed);
    }
    Ok(Appeal { by, reason_hash, filed_at: now, status: AppealStatus::Pending })
}

/// `caller`'s decision on the claim's pending appeal: upheld (`None`), or overturned with a new benefit per line
/// (never lower than before, never above the line's charge less the patient's share). Returns the benefit added.
pub fn decide_appeal(claim: &mut Claim, caller: AccountId, overturn: Option<&[Balance]>) -> Result<Balance> {
    ensure_payer(claim, caller)?;
    let mut appeal = match claim.appeal {
        Some(appeal) if appeal.status == AppealStatus::Pending => appeal,
        _ => return Err(Error::NoPendingAppeal),
    };
    let mut added: Balance = 0;
    match overturn {
        None => appeal.status = AppealStatus::Upheld,
        Some(amounts) => {
            if amounts.len() != claim.lines.len() {
                return Err(Error::DecisionCountMismatch);
            }
            for (line, &amount) in claim.lines.iter_mut().zip(amounts) {
                if amount < line.benefit {
                    return Err(Error::AmountBelowBenefit);
                }
                if amount == line.benefit {
                    continue;
                }
                let extra = amount.checked_sub(line.benefit).ok_or(Error::Overflow)?;
                set_benefit(line, amount)?;
                added = added.checked_add(extra).ok_or(Error::Overflow)?;
            }
            appeal.status = AppealStatus::Overturned;
            claim.outcome = Outcome::of(&claim.lines);
        }
    }
    claim.appeal = Some(appeal);
    Ok(added)
}

/// Sets a line's benefit as the payer decided it: the line is no longer denied, its eligible amount becomes
/// benefit + patient share (at most its charge), and what the charge exceeds that by is CARC 45.
fn set_benefit(line: &mut LineAdjudication, amount: Balance) -> Result<()> {
    let eligible = amount.checked_add(line.patient_share).ok_or(Error::Overflow)?;
    if eligible > line.submitted {
        return Err(Error::AmountAboveCharge);
    }
    line.benefit = amount;
    line.eligible = eligible;
    line.denied = false;
    line.codes.retain(|code| !carc::is_denial(*code));
    let has_45 = line.codes.contains(&carc::CONTRACTUAL);
    if eligible < line.submitted && !has_45 {
        line.codes.insert(0, carc::CONTRACTUAL);
    } else if eligible == line.submitted && has_45 {
        line.codes.retain(|code| *code != carc::CONTRACTUAL);
    }
    Ok(())
}
