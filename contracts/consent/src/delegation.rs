//! Who acts for a patient: the patient themself, or a delegate the patient added (a guardian, a carer) until its
//! expiry. How delegates are added, replaced and removed, and their bound ([`MAX_DELEGATES`]).
//!
//! Free of storage and environment: the contract loads the patient's delegates, a decision here turns them into what
//! to store (the contract writes nothing when it refuses), and the contract writes them and emits the event.

use crate::{
    errors::{Error, Result},
    types::{DelegateList, MAX_DELEGATES},
};
use interfaces::{AccountId, Timestamp};

/// Reads a patient's delegates as stored, when a decision needs them (each read costs gas on chain).
pub type DelegatesOf<'a> = &'a dyn Fn(AccountId) -> DelegateList;

/// Is a delegate with this expiry still active at `now`? (An expiry is exclusive; None never expires.)
pub fn is_active(expires: Option<Timestamp>, now: Timestamp) -> bool {
    expires.is_none_or(|expires| now < expires)
}

/// Drops the delegates that are no longer active at `now`.
pub fn drop_expired(delegates: &mut DelegateList, now: Timestamp) {
    delegates.retain(|(_, expires)| is_active(*expires, now));
}

/// Does `caller` act for `patient` at `now`: the patient themself, or one of their active delegates? The patient's
/// delegates are read only when the caller is not the patient.
pub fn acts_for(patient: AccountId, caller: AccountId, now: Timestamp, delegates_of: DelegatesOf) -> bool {
    if caller == patient {
        return true;
    }
    let mut delegates = delegates_of(patient);
    drop_expired(&mut delegates, now);
    delegates.iter().any(|(account, _)| *account == caller)
}

/// [`acts_for`], or `NotPatientOrDelegate`.
pub fn ensure_acts_for(patient: AccountId, caller: AccountId, now: Timestamp, delegates_of: DelegatesOf) -> Result<()> {
    if acts_for(patient, caller, now, delegates_of) {
        Ok(())
    } else {
        Err(Error::NotPatientOrDelegate)
    }
}

/// `patient` (the caller) lets `delegate` act for them until `expires` if given: `delegates` (the patient's, as
/// stored) become what to store, expired ones dropped. Adding an existing delegate again replaces its expiry.
pub fn add(
    patient: AccountId,
    now: Timestamp,
    delegate: AccountId,
    expires: Option<Timestamp>,
    delegates: &mut DelegateList,
) -> Result<()> {
    if delegate == patient {
        return Err(Error::SelfDelegate);
    }
    if expires.is_some_and(|expires| expires <= now) {
        return Err(Error::PeriodEnded);
    }
    drop_expired(delegates, now);
    if let Some((_, expiry)) = delegates.iter_mut().find(|(account, _)| *account == delegate) {
        *expiry = expires;
    } else {
        if delegates.len() >= max_delegates() {
            return Err(Error::TooManyDelegates);
        }
        delegates.push((delegate, expires));
    }
    Ok(())
}

/// The patient removes `delegate`: `delegates` (the patient's, as stored) become what to store, expired ones
/// dropped (empty: none left).
pub fn remove(now: Timestamp, delegate: AccountId, delegates: &mut DelegateList) -> Result<()> {
    drop_expired(delegates, now);
    let before = delegates.len();
    delegates.retain(|(account, _)| *account != delegate);
    if delegates.len() == before {
        return Err(Error::DelegateNotFound);
    }
    Ok(())
}

fn max_delegates() -> usize {
    usize::try_from(MAX_DELEGATES).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_000;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegates are not read when the patient acts")
    }

    #[test]
    fn an_expiry_is_exclusive() {
        let mut delegates = vec![(account(1), Some(NOW)), (account(2), Some(NOW + 1)), (account(3), None)];
        assert!(!is_active(Some(NOW), NOW) && is_active(Some(NOW + 1), NOW) && is_active(None, u64::MAX));
        drop_expired(&mut delegates, NOW);
        assert_eq!(delegates, vec![(account(2), Some(NOW + 1)), (account(3), None)]);
    }

    #[test]
    fn the_patient_and_active_delegates_act_for_the_patient() {
        let (patient, guardian, stranger) = (account(1), account(2), account(3));
        // The patient's guardian until `until`; nobody else has delegates.
        let guardian_until = |until: Option<Timestamp>| {
            move |of: AccountId| if of == patient { vec![(guardian, until)] } else { vec![] }
        };
        assert!(acts_for(patient, patient, NOW, &never_read));
        assert!(acts_for(patient, guardian, NOW, &guardian_until(None)));
        assert!(acts_for(patient, guardian, NOW, &guardian_until(Some(NOW + 1))));
        assert!(!acts_for(patient, guardian, NOW, &guardian_until(Some(NOW))), "expired");
        assert!(!acts_for(patient, stranger, NOW, &guardian_until(None)));
        assert_eq!(ensure_acts_for(patient, stranger, NOW, &guardian_until(None)), Err(Error::NotPatientOrDelegate));
        assert_eq!(ensure_acts_for(patient, patient, NOW, &never_read), Ok(()));
        // A delegate of someone else does not act for this patient.
        assert!(!acts_for(account(9), guardian, NOW, &guardian_until(None)));
    }

    #[test]
    fn a_delegate_is_added_or_its_expiry_replaced() {
        let (patient, guardian) = (account(1), account(2));
        let mut delegates = vec![(account(3), Some(NOW))];
        add(patient, NOW, guardian, Some(NOW + 5), &mut delegates).unwrap();
        assert_eq!(delegates, vec![(guardian, Some(NOW + 5))], "the expired one is dropped");
        add(patient, NOW, guardian, None, &mut delegates).unwrap();
        assert_eq!(delegates, vec![(guardian, None)]);
    }

    #[test]
    fn bad_delegates_are_refused() {
        let patient = account(1);
        assert_eq!(add(patient, NOW, patient, None, &mut vec![]), Err(Error::SelfDelegate));
        assert_eq!(add(patient, NOW, account(2), Some(NOW), &mut vec![]), Err(Error::PeriodEnded));
        let full: DelegateList = (10..18).map(|n| (account(n), None)).collect();
        assert_eq!(full.len(), MAX_DELEGATES as usize);
        assert_eq!(add(patient, NOW, account(2), None, &mut full.clone()), Err(Error::TooManyDelegates));
        // Replacing an expiry takes no new slot; an expired delegate frees one.
        assert_eq!(add(patient, NOW, account(10), Some(NOW + 1), &mut full.clone()), Ok(()));
        let mut with_expired = full;
        with_expired[0].1 = Some(NOW);
        assert_eq!(add(patient, NOW, account(2), None, &mut with_expired), Ok(()));
        assert_eq!(with_expired.len(), MAX_DELEGATES as usize);
        assert!(with_expired.contains(&(account(2), None)) && !with_expired.contains(&(account(10), Some(NOW))));
    }

    #[test]
    fn only_an_active_delegate_is_removed() {
        let (guardian, other) = (account(2), account(3));
        let mut delegates = vec![(guardian, None), (other, None)];
        assert_eq!(remove(NOW, guardian, &mut delegates), Ok(()));
        assert_eq!(delegates, vec![(other, None)]);
        assert_eq!(remove(NOW, guardian, &mut vec![(other, None)]), Err(Error::DelegateNotFound));
        assert_eq!(remove(NOW, guardian, &mut vec![(guardian, Some(NOW))]), Err(Error::DelegateNotFound), "expired");
        let mut last = vec![(guardian, None)];
        assert_eq!(remove(NOW, guardian, &mut last), Ok(()));
        assert_eq!(last, vec![]);
    }
}
