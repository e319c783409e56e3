//! Break-glass: a credentialed Provider's time-boxed Emergency/Read access to every class of a patient's data,
//! whatever the consents say. Who may declare it, how long it lasts, and who may end it early (the patient, a
//! delegate or the declaring provider). An emergency is active until ended or past its time box
//! ([`Emergency::is_active`]); `check` honours an active one ([`crate::rules::check`]).
//!
//! Free of storage and environment: the contract loads, asks participants, calls a decision here, writes what it
//! returns and emits the event of what it wrote.

use crate::{
    delegation::{self, DelegatesOf},
    errors::{Error, Result},
    types::Emergency,
};
use interfaces::{AccountId, EmergencyId, Hash32, Timestamp};

/// The admin may set how long break-glass access lasts (ms) to `duration_ms`: anything but zero.
pub fn ensure_duration(duration_ms: u64) -> Result<()> {
    if duration_ms == 0 {
        return Err(Error::InvalidDuration);
    }
    Ok(())
}

/// `provider` (the caller, who holds an active Provider credential when `is_provider`) declares an emergency for
/// `patient`: the emergency to store. `active` is the provider's active emergency for this patient,
/// if any, and `duration` the contract's emergency duration; `next_emergency` (the id this one gets) becomes what to
/// store.
#[allow(clippy::too_many_arguments)]
pub fn declare(
    provider: AccountId,
    now: Timestamp,
    patient: AccountId,
    reason_hash: Hash32,
    is_provider: bool,
    active: Option<EmergencyId>,
    duration: u64,
    next_emergency: &mut EmergencyId,
) -> Result<Emergency> {
    if !is_provider {
        return Err(Error::NotProvider);
    }
    if provider == patient {
        return Err(Error::SelfGrant);
    }
    if active.is_some() {
        return Err(Error::EmergencyActive);
    }
    let until = now.checked_add(duration).ok_or(Error::Overflow)?;
    let id = *next_emergency;
    *next_emergency = id.checked_add(1).ok_or(Error::Overflow)?;
    Ok(Emergency { id, patient, provider, reason_hash, declared_at: now, until, ended_at: None, ended_by: None })
}

/// `caller` ends `emergency` now; it becomes what to store. The declaring provider, the patient or an active
/// delegate may; the patient's delegates are read only when the caller is neither the provider nor the patient.
pub fn end(caller: AccountId, now: Timestamp, emergency: &mut Emergency, delegates_of: DelegatesOf) -> Result<()> {
    if caller != emergency.provider && !delegation::acts_for(emergency.patient, caller, now, delegates_of) {
        return Err(Error::NotAllowedToEnd);
    }
    if !emergency.is_active(now) {
        return Err(Error::EmergencyEnded);
    }
    emergency.ended_at = Some(now);
    emergency.ended_by = Some(caller);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{DelegateList, DEFAULT_EMERGENCY_DURATION};

    const NOW: Timestamp = 1_000;
    const REASON: Hash32 = [4; 32];

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegates are not read")
    }

    fn declared(provider: AccountId, patient: AccountId) -> Emergency {
        declare(provider, NOW, patient, REASON, true, None, 100, &mut 7).unwrap()
    }

    #[test]
    fn the_duration_is_positive() {
        assert_eq!(ensure_duration(0), Err(Error::InvalidDuration));
        assert_eq!(ensure_duration(1), Ok(()));
        assert_eq!(ensure_duration(DEFAULT_EMERGENCY_DURATION), Ok(()));
    }

    #[test]
    fn a_provider_declares_a_time_boxed_emergency() {
        let (provider, patient) = (account(1), account(2));
        let mut next_emergency = 7;
        let emergency = declare(provider, NOW, patient, REASON, true, None, 100, &mut next_emergency).unwrap();
        assert_eq!(
            emergency,
            Emergency {
                id: 7,
                patient,
                provider,
                reason_hash: REASON,
                declared_at: NOW,
                until: NOW + 100,
                ended_at: None,
                ended_by: None,
            }
        );
        assert_eq!(next_emergency, 8);
        assert!(emergency.is_active(NOW + 99));
        assert!(!emergency.is_active(NOW + 100), "the time box is exclusive");
        let ended = Emergency { ended_at: Some(NOW + 1), ..emergency };
        assert!(!ended.is_active(NOW + 2), "ended early");
    }

    #[test]
    fn bad_declarations_are_refused_in_order_and_take_no_id() {
        let (provider, patient) = (account(1), account(2));
        let mut next_emergency = 7;
        for (is_provider, patient, active, duration, error) in [
            (false, provider, Some(3), u64::MAX, Error::NotProvider),
            (true, provider, Some(3), u64::MAX, Error::SelfGrant),
            (true, patient, Some(3), u64::MAX, Error::EmergencyActive),
            (true, patient, None, u64::MAX, Error::Overflow),
        ] {
            let declared = declare(provider, NOW, patient, REASON, is_provider, active, duration, &mut next_emergency);
            assert_eq!(declared, Err(error));
        }
        assert_eq!(next_emergency, 7);
        let mut last = u64::MAX;
        assert_eq!(declare(provider, NOW, patient, REASON, true, None, 100, &mut last), Err(Error::Overflow));
        assert_eq!(last, u64::MAX);
    }

    #[test]
    fn the_provider_the_patient_or_a_delegate_ends_an_emergency() {
        let (provider, patient, guardian, stranger) = (account(1), account(2), account(3), account(4));
        let emergency = declared(provider, patient);
        let guardian_only = |_: AccountId| vec![(guardian, None)];
        for ender in [provider, patient, guardian] {
            let mut ended = emergency.clone();
            assert_eq!(end(ender, NOW + 5, &mut ended, &guardian_only), Ok(()));
            assert_eq!(ended, Emergency { ended_at: Some(NOW + 5), ended_by: Some(ender), ..emergency.clone() });
            assert!(!ended.is_active(NOW + 5));
            assert_eq!(end(ender, NOW + 6, &mut ended, &guardian_only), Err(Error::EmergencyEnded));
        }
        // The provider and the patient need no delegates read.
        assert!(end(provider, NOW, &mut emergency.clone(), &never_read).is_ok());
        assert!(end(patient, NOW, &mut emergency.clone(), &never_read).is_ok());
        let mut unchanged = emergency.clone();
        assert_eq!(end(stranger, NOW, &mut unchanged, &guardian_only), Err(Error::NotAllowedToEnd));
        let expired_guardian = |_: AccountId| vec![(guardian, Some(NOW))];
        assert_eq!(end(guardian, NOW, &mut unchanged, &expired_guardian), Err(Error::NotAllowedToEnd));
        assert_eq!(end(provider, NOW + 100, &mut unchanged, &never_read), Err(Error::EmergencyEnded), "time box");
        assert_eq!(unchanged, emergency, "a refusal changes nothing");
    }
}
