//! Corrected claims, free of storage and environment (X12 837 claim frequency codes): a provider replaces (7) or
//! voids (8) its own claim explicitly, instead of resubmitting it and tripping the duplicate rule (18).
//!
//! Only a claim nothing has been paid on, with no appeal pending, not corrected already, is corrected. Correcting
//! it undoes what it did: what it was owed is released from the plan's escrow, its patient's share leaves the
//! member-year's accumulators, the prior authorizations its lines consumed are approved again, and it leaves the
//! duplicate index. A replacement is then adjudicated as a new submission (same patient and plan) that names the
//! claim it replaces.

use crate::{
    adjudication::{Accumulators, Balance},
    errors::{Error, Result},
    types::{AppealStatus, AuthId, AuthStatus, Claim, Correction, PriorAuth},
};
use ink::prelude::vec::Vec;
use interfaces::AccountId;

/// What correcting a claim undoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// What the claim was owed, released from the escrow's `owed`.
    pub released: Balance,
    /// Its lines' deductibles, taken off the member-year's `deductible_met`.
    pub deductible: Balance,
    /// Its lines' patient shares, taken off the member-year's `out_of_pocket`.
    pub out_of_pocket: Balance,
    /// The prior authorizations its lines consumed, given back.
    pub auths: Vec<AuthId>,
    /// It leaves the duplicate index (it no longer stands as an original).
    pub unindex: bool,
}

/// Marks `claim` corrected by `caller` (its provider) and returns what to undo. Refused for another caller, a
/// claim already corrected, one with a payment (a paid claim is reversed by its payer, not corrected) or with a
/// pending appeal.
pub fn correct(claim: &mut Claim, caller: AccountId, correction: Correction) -> Result<Undo> {
    if claim.provider != caller {
        return Err(Error::NotClaimProvider);
    }
    if claim.correction.is_some() {
        return Err(Error::AlreadyCorrected);
    }
    if claim.paid > 0 {
        return Err(Error::ClaimAlreadyPaid);
    }
    if claim.appeal.is_some_and(|appeal| appeal.status == AppealStatus::Pending) {
        return Err(Error::AppealPending);
    }
    let sum = |amount: fn(&crate::types::LineAdjudication) -> Balance| {
        claim.lines.iter().try_fold(0, |sum: Balance, line| sum.checked_add(amount(line))).ok_or(Error::Overflow)
    };
    let undo = Undo {
        released: claim.benefit,
        deductible: sum(|line| line.deductible)?,
        out_of_pocket: sum(|line| line.patient_share)?,
        auths: claim.lines.iter().filter_map(|line| line.prior_auth).collect(),
        unindex: true,
    };
    claim.benefit = 0;
    claim.correction = Some(correction);
    Ok(undo)
}

/// The member-year's accumulators without what a corrected claim added to them (never below zero).
pub fn accumulators_without(accumulators: Accumulators, undo: &Undo) -> Accumulators {
    Accumulators {
        deductible_met: accumulators.deductible_met.saturating_sub(undo.deductible),
        out_of_pocket: accumulators.out_of_pocket.saturating_sub(undo.out_of_pocket),
    }
}

/// A prior authorization a corrected claim consumed, approved again (None when it was not consumed by `claim`).
pub fn reopened(auth: PriorAuth, claim: crate::types::ClaimId) -> Option<PriorAuth> {
    (auth.status == AuthStatus::Used(claim)).then_some(PriorAuth { status: AuthStatus::Approved, ..auth })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Appeal, ClaimLine, LineAdjudication};
    use ink::prelude::vec;

    const PROVIDER: AccountId = AccountId([2; 32]);

    fn claim(paid: Balance) -> Claim {
        let line = |units, deductible, patient_share, prior_auth| LineAdjudication {
            deductible,
            patient_share,
            benefit: 100,
            prior_auth,
            ..LineAdjudication::blank(&ClaimLine { service_code: 100, units, charge: 500 })
        };
        Claim {
            provider: PROVIDER,
            detail: [7; 32],
            lines: vec![line(1, 50, 80, None), line(2, 0, 30, Some(4))],
            benefit: 200,
            paid,
            ..Claim::sample()
        }
    }

    #[test]
    fn a_correction_undoes_what_the_claim_did() {
        let mut corrected = claim(0);
        let undo = correct(&mut corrected, PROVIDER, Correction::Voided).unwrap();
        assert_eq!(undo, Undo { released: 200, deductible: 50, out_of_pocket: 110, auths: vec![4], unindex: true });
        assert_eq!((corrected.benefit, corrected.correction), (0, Some(Correction::Voided)));
        let so_far = Accumulators { deductible_met: 60, out_of_pocket: 100 };
        assert_eq!(accumulators_without(so_far, &undo), Accumulators { deductible_met: 10, out_of_pocket: 0 });
    }

    #[test]
    fn only_the_provider_corrects_an_unpaid_uncorrected_unappealed_claim() {
        let refused = |mut claim: Claim, caller| {
            let before = claim.clone();
            let result = correct(&mut claim, caller, Correction::ReplacedBy(9));
            if result.is_err() {
                assert_eq!(claim, before, "a refusal changes nothing");
            }
            result.err()
        };
        assert_eq!(refused(claim(0), AccountId([9; 32])), Some(Error::NotClaimProvider));
        assert_eq!(refused(claim(1), PROVIDER), Some(Error::ClaimAlreadyPaid));
        let voided = Claim { correction: Some(Correction::Voided), ..claim(0) };
        assert_eq!(refused(voided, PROVIDER), Some(Error::AlreadyCorrected));
        let appeal = |status| Some(Appeal { by: PROVIDER, reason_hash: [1; 32], filed_at: 0, status });
        let appealed = Claim { appeal: appeal(AppealStatus::Pending), ..claim(0) };
        assert_eq!(refused(appealed, PROVIDER), Some(Error::AppealPending));
        let upheld = Claim { appeal: appeal(AppealStatus::Upheld), ..claim(0) };
        assert_eq!(refused(upheld, PROVIDER), None);
    }

    #[test]
    fn only_an_authorization_the_claim_consumed_is_reopened() {
        let auth = PriorAuth {
            provider: PROVIDER,
            patient: AccountId([3; 32]),
            plan: 1,
            service_code: 100,
            units: 2,
            status: AuthStatus::Used(5),
            requested_at: 0,
            valid_until: Some(10),
        };
        assert_eq!(reopened(auth, 5).map(|auth| auth.status), Some(AuthStatus::Approved));
        assert_eq!(reopened(auth, 6), None);
        assert_eq!(reopened(PriorAuth { status: AuthStatus::Approved, ..auth }, 5), None);
    }
}
