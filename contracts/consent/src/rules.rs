//! Pure rules of the consent check: where a consent stands in its period, which sets are well formed, and how the
//! matching consents fold into one answer (deny beats permit; otherwise the most telling reason for a refusal).

use interfaces::{Action, ActionSet, Basis, ConsentId, Denied, Purpose, PurposeSet, Role, Timestamp};

/// Where `now` falls in a consent's period `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// `now` is before `start`.
    NotYetValid,
    /// `start <= now < end` (or no end).
    InPeriod,
    /// `end <= now`.
    Ended,
}

/// Where `now` falls in `[start, end)`; `end == None` is open (until revoked).
pub fn timing(start: Timestamp, end: Option<Timestamp>, now: Timestamp) -> Timing {
    if now < start {
        Timing::NotYetValid
    } else if end.is_some_and(|end| end <= now) {
        Timing::Ended
    } else {
        Timing::InPeriod
    }
}

/// True when no bit outside the defined purposes is set.
pub fn purposes_well_formed(purposes: PurposeSet) -> bool {
    PurposeSet::from_slice(&Purpose::ALL).includes(purposes)
}

/// True when no bit outside Read and Write is set.
pub fn actions_well_formed(actions: ActionSet) -> bool {
    ActionSet::from_slice(&[Action::Read, Action::Write]).includes(actions)
}

/// How telling a refusal is: a role the accessor lacks, then a consent not yet valid, then an ended one.
fn rank(denied: &Denied) -> u8 {
    match denied {
        Denied::RoleNotHeld(_) => 3,
        Denied::NotYetValid(_) => 2,
        Denied::Expired(_) => 1,
        _ => 0,
    }
}

/// The answer of `check` being built from the consents that match the access (purpose, class and action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    permit: Option<ConsentId>,
    explanation: Denied,
}

impl Default for Verdict {
    fn default() -> Self {
        Self { permit: None, explanation: Denied::NoConsent }
    }
}

impl Verdict {
    /// Takes one matching, active (not revoked) consent into account. `role_lacking` is the role of a role consent
    /// the accessor does not hold (`None` for an account consent, or a role the accessor holds). Returns the refusal
    /// at once when an in-period Deny applies: deny beats permit.
    pub fn consider(
        &mut self,
        consent: ConsentId,
        deny: bool,
        timing: Timing,
        role_lacking: Option<Role>,
    ) -> Option<Denied> {
        match (deny, timing, role_lacking) {
            (true, Timing::InPeriod, None) => return Some(Denied::DeniedByConsent(consent)),
            // A Deny out of its period, or to a role the accessor does not hold, says nothing.
            (true, _, _) => {}
            (false, Timing::InPeriod, None) => {
                if self.permit.is_none() {
                    self.permit = Some(consent);
                }
            }
            (false, Timing::InPeriod, Some(role)) => self.explain(Denied::RoleNotHeld(role)),
            (false, Timing::NotYetValid, _) => self.explain(Denied::NotYetValid(consent)),
            (false, Timing::Ended, _) => self.explain(Denied::Expired(consent)),
        }
        None
    }

    fn explain(&mut self, denied: Denied) {
        if rank(&denied) > rank(&self.explanation) {
            self.explanation = denied;
        }
    }

    /// The first in-period Permit, or the most telling reason why none applies.
    pub fn finish(self) -> Result<Basis, Denied> {
        match self.permit {
            Some(consent) => Ok(Basis::Consent(consent)),
            None => Err(self.explanation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_half_open_and_may_be_open_ended() {
        assert_eq!(timing(10, Some(20), 9), Timing::NotYetValid);
        assert_eq!(timing(10, Some(20), 10), Timing::InPeriod);
        assert_eq!(timing(10, Some(20), 19), Timing::InPeriod);
        assert_eq!(timing(10, Some(20), 20), Timing::Ended);
        assert_eq!(timing(10, None, u64::MAX), Timing::InPeriod);
    }

    #[test]
    fn stray_bits_make_a_set_malformed() {
        assert!(purposes_well_formed(PurposeSet::from_slice(&Purpose::ALL)));
        assert!(!purposes_well_formed(PurposeSet(1 << 7)));
        assert!(actions_well_formed(ActionSet::of(Action::Write)));
        assert!(!actions_well_formed(ActionSet(0b100)));
    }

    #[test]
    fn deny_beats_permit_whatever_the_order() {
        let mut verdict = Verdict::default();
        assert_eq!(verdict.consider(1, false, Timing::InPeriod, None), None);
        assert_eq!(verdict.consider(2, true, Timing::InPeriod, None), Some(Denied::DeniedByConsent(2)));
        let mut verdict = Verdict::default();
        assert_eq!(verdict.consider(3, true, Timing::InPeriod, None), Some(Denied::DeniedByConsent(3)));
    }

    #[test]
    fn a_deny_out_of_period_or_to_a_role_not_held_says_nothing() {
        let mut verdict = Verdict::default();
        assert_eq!(verdict.consider(1, true, Timing::Ended, None), None);
        assert_eq!(verdict.consider(2, true, Timing::NotYetValid, None), None);
        assert_eq!(verdict.consider(3, true, Timing::InPeriod, Some(Role::Researcher)), None);
        assert_eq!(verdict.clone().finish(), Err(Denied::NoConsent));
        assert_eq!(verdict.consider(4, false, Timing::InPeriod, None), None);
        assert_eq!(verdict.finish(), Ok(Basis::Consent(4)));
    }

    #[test]
    fn the_first_permit_is_the_basis() {
        let mut verdict = Verdict::default();
        verdict.consider(5, false, Timing::Ended, None);
        verdict.consider(6, false, Timing::InPeriod, None);
        verdict.consider(7, false, Timing::InPeriod, None);
        assert_eq!(verdict.finish(), Ok(Basis::Consent(6)));
    }

    #[test]
    fn refusals_explain_the_most_telling_reason() {
        let mut verdict = Verdict::default();
        assert_eq!(verdict.clone().finish(), Err(Denied::NoConsent));
        verdict.consider(1, false, Timing::Ended, None);
        assert_eq!(verdict.clone().finish(), Err(Denied::Expired(1)));
        verdict.consider(2, false, Timing::NotYetValid, None);
        verdict.consider(3, false, Timing::Ended, None);
        assert_eq!(verdict.clone().finish(), Err(Denied::NotYetValid(2)));
        verdict.consider(4, false, Timing::InPeriod, Some(Role::Researcher));
        verdict.consider(5, false, Timing::NotYetValid, None);
        assert_eq!(verdict.clone().finish(), Err(Denied::RoleNotHeld(Role::Researcher)));
        // A role permit the accessor lacks and that is out of period explains itself by its period.
        let mut verdict = Verdict::default();
        verdict.consider(6, false, Timing::Ended, Some(Role::Payer));
        assert_eq!(verdict.finish(), Err(Denied::Expired(6)));
    }
}
