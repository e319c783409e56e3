//! The payer's second look at a claim, free of storage and environment: the review of a Pended claim, and appeals
//! of a Denied or Partial one (filed by its provider or patient within the plan's appeal window, upheld or
//! overturned by the payer).
//!
//! Amounts set by review or appeal are the payer's: they do not change the accumulators. A line given a benefit
//! is no longer denied; its eligible amount becomes benefit + patient share, never more than what the plan's
//! benefit for its service code allows ([`Benefit::allowed`]: no benefit allows nothing), and what its charge
//! exceeds that by is adjusted away with CARC 45 (CO). A line is denied only with a code of [`carc::DENIALS`].

use crate::{
    adjudication::{carc, Balance},
    errors::{Error, Result},
    types::{Appeal, AppealStatus, Benefit, Claim, LineAdjudication, LineDecision, Outcome},
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

/// Applies `caller`'s decision on every line of a Pended claim (an approved line's benefit is at most what the
/// plan's benefit for its service code allows, loaded by `benefit_of` for approved lines only; a denied line needs
/// a code of [`carc::DENIALS`]) and returns the benefit approved. The claim's outcome is decided again and the
/// appeal window restarts `now`.
pub fn review(
    claim: &mut Claim,
    caller: AccountId,
    decisions: &[LineDecision],
    now: Timestamp,
    benefit_of: impl Fn(u32) -> Option<Benefit>,
) -> Result<Balance> {
    ensure_payer(claim, caller)?;
    if claim.correction.is_some() {
        return Err(Error::ClaimCorrected);
    }
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
                set_benefit(line, amount, allowed(&benefit_of, line)?)?;
                benefit = benefit.checked_add(amount).ok_or(Error::Overflow)?;
            }
            LineDecision::Deny(code) => {
                let adjustment = carc::denial(code).ok_or(Error::InvalidReasonCode)?;
                line.eligible = 0;
                line.denied = true;
                line.adjustments = vec![adjustment];
            }
        }
    }
    claim.outcome = Outcome::of(&claim.lines);
    claim.decided_at = now;
    Ok(benefit)
}

/// The appeal `by` the claim's provider or patient files `now`: only of a Denied or Partial claim, once, before
/// `appeal_window_ms` (the plan's) have passed since the claim was decided. The provider must still be
/// credentialed: `credentialed` asks, for the provider only, after every other check.
pub fn appeal(
    claim: &Claim,
    by: AccountId,
    reason_hash: Hash32,
    now: Timestamp,
    appeal_window_ms: u64,
    credentialed: impl FnOnce() -> Result<()>,
) -> Result<Appeal> {
    if by != claim.provider && by != claim.patient {
        return Err(Error::NotClaimParty);
    }
    if claim.correction.is_some() {
        return Err(Error::ClaimCorrected);
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
    if by == claim.provider {
        credentialed()?;
    }
    Ok(Appeal { by, reason_hash, filed_at: now, status: AppealStatus::Pending })
}

/// `caller`'s decision on the claim's pending appeal: upheld (`None`), or overturned with a new benefit per line
/// (never lower than before, never above what the plan's benefit allows less the patient's share; `benefit_of`
/// loads it for the lines whose amount changes). Returns the benefit added.
pub fn decide_appeal(
    claim: &mut Claim,
    caller: AccountId,
    overturn: Option<&[Balance]>,
    benefit_of: impl Fn(u32) -> Option<Benefit>,
) -> Result<Balance> {
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
                set_benefit(line, amount, allowed(&benefit_of, line)?)?;
                added = added.checked_add(extra).ok_or(Error::Overflow)?;
            }
            appeal.status = AppealStatus::Overturned;
            claim.outcome = Outcome::of(&claim.lines);
        }
    }
    claim.appeal = Some(appeal);
    Ok(added)
}

/// What the plan's benefit for the line's service code allows it (nothing without a benefit).
fn allowed(benefit_of: &impl Fn(u32) -> Option<Benefit>, line: &LineAdjudication) -> Result<Balance> {
    benefit_of(line.line.service_code).map_or(Ok(0), |benefit| benefit.allowed(&line.line))
}

/// Sets a line's benefit as the payer decided it: the line is no longer denied, its eligible amount becomes
/// benefit + patient share (at most `allowed`, which is at most the charge), and what the charge exceeds that by
/// is CARC 45 (CO).
fn set_benefit(line: &mut LineAdjudication, amount: Balance, allowed: Balance) -> Result<()> {
    let eligible = amount.checked_add(line.patient_share).ok_or(Error::Overflow)?;
    if eligible > allowed.min(line.submitted) {
        return Err(Error::AmountAboveAllowed);
    }
    line.benefit = amount;
    line.eligible = eligible;
    line.denied = false;
    line.adjustments.retain(|adjustment| !carc::is_denial(adjustment.code));
    let has_45 = line.adjustments.iter().any(|adjustment| adjustment.code == carc::CONTRACTUAL);
    if eligible < line.submitted && !has_45 {
        line.adjustments.insert(0, carc::cost_sharing(carc::CONTRACTUAL));
    } else if eligible == line.submitted && has_45 {
        line.adjustments.retain(|adjustment| adjustment.code != carc::CONTRACTUAL);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ClaimLine, Correction, Group};
    use ink::prelude::vec::Vec;

    const DAY: u64 = 86_400_000;

    const PAYER: AccountId = AccountId([1; 32]);
    const PROVIDER: AccountId = AccountId([2; 32]);
    const PATIENT: AccountId = AccountId([3; 32]);

    /// The plan: code 100 allows 1 000 a unit, code 300 (not covered) 100 a unit; no other code has a benefit.
    fn plan(code: u32) -> Option<Benefit> {
        let benefit =
            |covered, allowed_per_unit| Benefit { covered, allowed_per_unit, unit_limit: 0, prior_auth: false };
        match code {
            100 => Some(benefit(true, 1_000)),
            300 => Some(benefit(false, 100)),
            _ => None,
        }
    }

    fn no_benefit(_: u32) -> Option<Benefit> {
        None
    }

    /// A line charged `charge`, of which the patient bears `patient_share` and the payer `benefit`.
    fn adjudicated(charge: Balance, patient_share: Balance, benefit: Balance, codes: &[u16]) -> LineAdjudication {
        let line = ClaimLine { service_code: 100, units: 1, charge };
        LineAdjudication {
            eligible: patient_share + benefit,
            patient_share,
            benefit,
            adjustments: codes.iter().map(|&code| carc::cost_sharing(code)).collect(),
            ..LineAdjudication::blank(&line)
        }
    }

    fn denied(charge: Balance, code: u16) -> LineAdjudication {
        let line = ClaimLine { service_code: 300, units: 1, charge };
        LineAdjudication::denied(&line, carc::denied_with(code))
    }

    fn claim(outcome: Outcome, lines: Vec<LineAdjudication>) -> Claim {
        Claim {
            provider: PROVIDER,
            patient: PATIENT,
            payer: PAYER,
            date_of_service: 9 * DAY,
            submitted_at: 10 * DAY,
            detail: [4; 32],
            lines,
            outcome,
            decided_at: 10 * DAY,
            ..Claim::sample()
        }
    }

    /// A Pended claim: a flagged line (5 units, charge 1000), a line of charge 100, a denied line (96, charge 50).
    fn pended() -> Claim {
        let mut flagged = LineAdjudication::blank(&ClaimLine { service_code: 100, units: 5, charge: 1_000 });
        flagged.flagged = true;
        let plain = LineAdjudication::blank(&ClaimLine { service_code: 100, units: 1, charge: 100 });
        claim(Outcome::Pended, vec![flagged, plain, denied(50, carc::NOT_COVERED)])
    }

    fn codes(claim: &Claim) -> Vec<Vec<u16>> {
        claim.lines.iter().map(|line| line.codes()).collect()
    }

    fn appealed(mut claim: Claim) -> Claim {
        claim.appeal =
            Some(Appeal { by: PATIENT, reason_hash: [9; 32], filed_at: 11 * DAY, status: AppealStatus::Pending });
        claim
    }

    #[test]
    fn the_payer_decides_every_line_of_a_pended_claim() {
        let decisions = [LineDecision::Approve(800), LineDecision::Approve(100), LineDecision::Deny(204)];
        let mut claim = pended();
        assert_eq!(review(&mut claim, PAYER, &decisions, 12 * DAY, plan), Ok(900));
        assert_eq!((claim.outcome, claim.decided_at), (Outcome::Partial, 12 * DAY));
        assert_eq!(codes(&claim), vec![vec![carc::CONTRACTUAL], vec![], vec![204]]);
        assert_eq!(claim.lines[0].adjustments[0].group, Group::ContractualObligation);
        assert_eq!(claim.lines[2].adjustments[0].group, Group::ContractualObligation);
        let amounts: Vec<_> = claim.lines.iter().map(|line| (line.eligible, line.benefit, line.denied)).collect();
        assert_eq!(amounts, vec![(800, 800, false), (100, 100, false), (0, 0, true)]);
        // The benefit is added to the claim by the escrow, not here.
        assert_eq!(claim.benefit, 0);

        // The not-covered code's benefit still allows 100 a unit: its 50 charge may be approved.
        let mut claim = pended();
        let all = [LineDecision::Approve(1_000), LineDecision::Approve(100), LineDecision::Approve(50)];
        assert_eq!(review(&mut claim, PAYER, &all, 12 * DAY, plan), Ok(1_150));
        assert_eq!((claim.outcome, codes(&claim)), (Outcome::Approved, vec![vec![], vec![], vec![]]));
    }

    #[test]
    fn a_review_is_refused_for_the_wrong_payer_claim_or_decisions() {
        let decisions = [LineDecision::Approve(800), LineDecision::Approve(100), LineDecision::Deny(204)];
        let refused = |mut claim: Claim, caller, decisions: &[LineDecision]| {
            let before = claim.clone();
            let result = review(&mut claim, caller, decisions, 12 * DAY, plan);
            result.map(|_| before)
        };
        assert_eq!(refused(pended(), PROVIDER, &decisions), Err(Error::NotPlanPayer));
        assert_eq!(refused(claim(Outcome::Approved, pended().lines), PAYER, &decisions), Err(Error::NotPended));
        let voided = Claim { correction: Some(Correction::Voided), ..pended() };
        assert_eq!(refused(voided, PAYER, &decisions), Err(Error::ClaimCorrected));
        assert_eq!(refused(pended(), PAYER, &decisions[..2]), Err(Error::DecisionCountMismatch));
        let too_much = [LineDecision::Approve(1_001), LineDecision::Approve(100), LineDecision::Deny(204)];
        assert_eq!(refused(pended(), PAYER, &too_much), Err(Error::AmountAboveAllowed));
        // Not a denial code of the documented list: cost sharing, 0, or codes that exist but are not denials here.
        for code in [0, 1, 2, 3, 15, 45, 100, 999, u16::MAX] {
            let bad = [LineDecision::Approve(800), LineDecision::Approve(100), LineDecision::Deny(code)];
            assert_eq!(refused(pended(), PAYER, &bad), Err(Error::InvalidReasonCode), "{code}");
        }
    }

    #[test]
    fn a_review_cannot_approve_u128_max_and_brick_the_plan() {
        // The regression: any amount up to the charge was allowed, and a charge may be u128::MAX. Now the benefit
        // bounds it: 1 000 a unit here.
        let huge = LineAdjudication::blank(&ClaimLine { service_code: 100, units: 1, charge: Balance::MAX });
        let mut claim = claim(Outcome::Pended, vec![huge]);
        let before = claim.clone();
        let decisions = [LineDecision::Approve(Balance::MAX)];
        assert_eq!(review(&mut claim, PAYER, &decisions, 12 * DAY, plan), Err(Error::AmountAboveAllowed));
        assert_eq!(claim, before);
        assert_eq!(review(&mut claim, PAYER, &[LineDecision::Approve(1_000)], 12 * DAY, plan), Ok(1_000));
        // A service code without a benefit allows nothing.
        let mut claim = pended();
        let decisions = [LineDecision::Approve(1), LineDecision::Deny(50), LineDecision::Deny(50)];
        assert_eq!(review(&mut claim, PAYER, &decisions, 12 * DAY, no_benefit), Err(Error::AmountAboveAllowed));
        // A benefit plus the patient's share that does not fit.
        let mut line = adjudicated(Balance::MAX, 0, 0, &[]);
        line.patient_share = 1;
        assert_eq!(set_benefit(&mut line, Balance::MAX, Balance::MAX), Err(Error::Overflow));
    }

    #[test]
    fn a_line_given_a_benefit_is_adjusted_with_45_only_below_its_charge() {
        let mut line = denied(100, carc::NOT_COVERED);
        set_benefit(&mut line, 80, 100).unwrap();
        assert_eq!((line.eligible, line.benefit, line.denied, line.codes()), (80, 80, false, vec![45]));
        assert_eq!(line.adjustments[0].group, Group::ContractualObligation);
        set_benefit(&mut line, 100, 100).unwrap();
        assert_eq!((line.eligible, line.codes()), (100, vec![]));
        // Never above what the benefit allows, nor above the charge.
        assert_eq!(set_benefit(&mut line.clone(), 61, 60), Err(Error::AmountAboveAllowed));
        assert_eq!(set_benefit(&mut line.clone(), 101, 1_000), Err(Error::AmountAboveAllowed));
        // Cost-sharing codes stay (PR); the patient's share counts against what is allowed.
        let mut line = adjudicated(800, 580, 220, &[1, 3, 2]);
        assert_eq!(set_benefit(&mut line.clone(), 221, 800), Err(Error::AmountAboveAllowed));
        assert_eq!(set_benefit(&mut line.clone(), 21, 600), Err(Error::AmountAboveAllowed));
        set_benefit(&mut line, 200, 800).unwrap();
        assert_eq!((line.eligible, line.codes()), (780, vec![45, 1, 3, 2]));
        let groups: Vec<_> = line.adjustments.iter().map(|adjustment| adjustment.group).collect();
        assert_eq!(
            groups,
            [
                Group::ContractualObligation,
                Group::PatientResponsibility,
                Group::PatientResponsibility,
                Group::PatientResponsibility
            ]
        );
    }

    #[test]
    fn the_provider_or_patient_appeals_a_denied_or_partial_claim_in_time() {
        let partial = claim(Outcome::Partial, vec![adjudicated(800, 580, 220, &[1, 3, 2]), denied(100, 96)]);
        let window = 30 * DAY;
        let closes = partial.decided_at + window;
        let ok = || Ok(());
        for by in [PROVIDER, PATIENT] {
            let appeal = appeal(&partial, by, [9; 32], closes - 1, window, ok).unwrap();
            assert_eq!(
                appeal,
                Appeal { by, reason_hash: [9; 32], filed_at: closes - 1, status: AppealStatus::Pending }
            );
        }
        assert_eq!(appeal(&partial, PAYER, [9; 32], 11 * DAY, window, ok), Err(Error::NotClaimParty));
        assert_eq!(appeal(&partial, PATIENT, [9; 32], closes, window, ok), Err(Error::AppealWindowClosed));
        for outcome in [Outcome::Approved, Outcome::Pended] {
            let claim = claim(outcome, partial.lines.clone());
            assert_eq!(appeal(&claim, PATIENT, [9; 32], 11 * DAY, window, ok), Err(Error::NotAppealable));
        }
        assert!(appeal(&claim(Outcome::Denied, partial.lines.clone()), PATIENT, [9; 32], 11 * DAY, window, ok).is_ok());
        assert_eq!(
            appeal(&appealed(partial.clone()), PROVIDER, [9; 32], 11 * DAY, window, ok),
            Err(Error::AlreadyAppealed)
        );
        let voided = Claim { correction: Some(Correction::Voided), ..partial.clone() };
        assert_eq!(appeal(&voided, PROVIDER, [9; 32], 11 * DAY, window, ok), Err(Error::ClaimCorrected));
        // The provider's credential is asked last, and only for the provider.
        let revoked = || Err(Error::NotProvider);
        assert_eq!(appeal(&partial, PROVIDER, [9; 32], 11 * DAY, window, revoked), Err(Error::NotProvider));
        assert!(appeal(&partial, PATIENT, [9; 32], 11 * DAY, window, revoked).is_ok());
        assert_eq!(appeal(&partial, PROVIDER, [9; 32], closes, window, revoked), Err(Error::AppealWindowClosed));
        // A window that would end after the end of time never closes.
        let late = Claim { decided_at: u64::MAX - 1, ..partial };
        assert!(appeal(&late, PATIENT, [9; 32], u64::MAX - 1, window, ok).is_ok());
    }

    #[test]
    fn an_overturn_raises_line_benefits_and_returns_what_it_adds() {
        let partial = claim(Outcome::Partial, vec![adjudicated(800, 580, 220, &[1, 3, 2]), denied(100, 96)]);
        let mut claim = appealed(partial.clone());
        assert_eq!(decide_appeal(&mut claim, PAYER, Some(&[220, 80]), plan), Ok(80));
        assert_eq!((claim.outcome, claim.appeal.unwrap().status), (Outcome::Approved, AppealStatus::Overturned));
        assert_eq!(codes(&claim), vec![vec![1, 3, 2], vec![45]]);
        assert_eq!(claim.lines[0], partial.lines[0], "a line whose amount is unchanged is left as it was");

        let mut upheld = appealed(partial.clone());
        assert_eq!(decide_appeal(&mut upheld, PAYER, None, plan), Ok(0));
        assert_eq!(upheld.appeal.unwrap().status, AppealStatus::Upheld);
        assert_eq!((upheld.outcome, upheld.lines.clone()), (Outcome::Partial, partial.lines.clone()));
        // Decided: no longer pending.
        assert_eq!(decide_appeal(&mut upheld, PAYER, None, plan), Err(Error::NoPendingAppeal));
    }

    #[test]
    fn an_appeal_decision_is_refused_for_the_wrong_payer_or_amounts() {
        let partial = claim(Outcome::Partial, vec![adjudicated(800, 580, 220, &[1, 3, 2]), denied(100, 96)]);
        let decide = |claim: &Claim, caller, overturn: Option<&[Balance]>| {
            let mut decided = claim.clone();
            let result = decide_appeal(&mut decided, caller, overturn, plan);
            if result.is_err() {
                assert_eq!(&decided, claim, "a refusal changes nothing");
            }
            result
        };
        let pending = appealed(partial.clone());
        assert_eq!(decide(&pending, PROVIDER, None), Err(Error::NotPlanPayer));
        assert_eq!(decide(&partial, PAYER, None), Err(Error::NoPendingAppeal));
        assert_eq!(decide(&pending, PAYER, Some(&[220])), Err(Error::DecisionCountMismatch));
        assert_eq!(decide(&pending, PAYER, Some(&[219, 80])), Err(Error::AmountBelowBenefit));
        assert_eq!(decide(&pending, PAYER, Some(&[221, 80])), Err(Error::AmountAboveAllowed));
        assert_eq!(decide(&pending, PAYER, Some(&[220, 101])), Err(Error::AmountAboveAllowed));
    }

    #[test]
    fn an_overturn_cannot_owe_u128_max() {
        // Denied lines charged u128::MAX: an overturn is bounded by what the benefit allows (100 a unit for 300).
        let huge = appealed(claim(Outcome::Denied, vec![denied(Balance::MAX, 96), denied(Balance::MAX, 96)]));
        let mut claim = huge.clone();
        assert_eq!(
            decide_appeal(&mut claim, PAYER, Some(&[Balance::MAX, Balance::MAX]), plan),
            Err(Error::AmountAboveAllowed)
        );
        assert_eq!(decide_appeal(&mut claim, PAYER, Some(&[100, 100]), plan), Ok(200));
    }
}
