//! Break-glass: a credentialed Provider's time-boxed Emergency/Read access to every class of a patient's data,
//! whatever the consents say. Who may declare it, how long it lasts (at most [`MAX_EMERGENCY_DURATION`]), when the
//! same provider may declare again for the same patient (not while one is active, nor within
//! [`EMERGENCY_COOLDOWN`] after it is over), and who may end it early (the patient, a delegate or the declaring
//! provider). An emergency is active until ended or past its time box
//! ([`Emergency::is_active`]); `check` honours an active one ([`crate::rules::check`]).
//!
//! Free of storage and environment: the contract loads, asks participants, calls a decision here, writes what it
//! returns and emits the event of what it wrote.

use crate::{
    delegation::{self, ActingFor, ActorsOf},
    errors::{Error, Result},
    types::{Emergency, Links, Review, EMERGENCY_COOLDOWN, MAX_EMERGENCY_DURATION},
};
use interfaces::{AccountId, EmergencyId, Hash32, Timestamp};

/// The admin may set how long break-glass access lasts (ms) to `duration_ms`: more than zero, at most
/// [`MAX_EMERGENCY_DURATION`].
pub fn ensure_duration(duration_ms: u64) -> Result<()> {
    if duration_ms == 0 {
        return Err(Error::InvalidDuration);
    }
    if duration_ms > MAX_EMERGENCY_DURATION {
        return Err(Error::DurationTooLong);
    }
    Ok(())
}

/// `provider` (the caller, who holds an active Provider credential when `is_provider`) declares an emergency for
/// `patient`: the emergency to store. `latest` is the provider's latest emergency for this patient, if any: refused
/// while it is active (`EmergencyActive`) and until [`EMERGENCY_COOLDOWN`] after it is over (`EmergencyCoolingDown`).
/// `duration` is the contract's emergency duration, capped at [`MAX_EMERGENCY_DURATION`] whatever is stored;
/// `next_emergency` (the id this one gets) becomes what to store.
#[allow(clippy::too_many_arguments)]
pub fn declare(
    provider: AccountId,
    now: Timestamp,
    patient: AccountId,
    reason_hash: Hash32,
    is_provider: bool,
    latest: Option<&Emergency>,
    duration: u64,
    next_emergency: &mut EmergencyId,
) -> Result<Emergency> {
    if !is_provider {
        return Err(Error::NotProvider);
    }
    if provider == patient {
        return Err(Error::SelfGrant);
    }
    if let Some(latest) = latest {
        if latest.is_active(now) {
            return Err(Error::EmergencyActive);
        }
        // Saturating: a cooldown that would pass u64::MAX never ends, which no real clock reaches.
        if now < latest.over_at().saturating_add(EMERGENCY_COOLDOWN) {
            return Err(Error::EmergencyCoolingDown);
        }
    }
    let until = now.checked_add(duration.min(MAX_EMERGENCY_DURATION)).ok_or(Error::Overflow)?;
    let id = *next_emergency;
    *next_emergency = id.checked_add(1).ok_or(Error::Overflow)?;
    Ok(Emergency {
        id,
        patient,
        provider,
        reason_hash,
        declared_at: now,
        until,
        ended_at: None,
        ended_by: None,
        review: None,
        unreviewed: Links::default(),
    })
}

/// `caller` ends `emergency` now; it becomes what to store. The declaring provider, the patient, a live
/// representative or an active delegate may; who acts for the patient is read only when the caller is neither the
/// provider nor the patient.
pub fn end(caller: AccountId, now: Timestamp, emergency: &mut Emergency, actors: ActorsOf) -> Result<()> {
    if caller != emergency.provider && !delegation::acts_for(emergency.patient, caller, now, actors) {
        return Err(Error::NotAllowedToEnd);
    }
    if !emergency.is_active(now) {
        return Err(Error::EmergencyEnded);
    }
    emergency.ended_at = Some(now);
    emergency.ended_by = Some(caller);
    Ok(())
}

/// `caller` reviews `emergency` at `now`, while it is active or after: `justified` or not, with the hash of a note.
/// The patient may, a live representative of theirs (the patient's representations read when the caller is not the
/// patient), and a credentialed Regulator: `is_regulator` asks participants, only when the caller is neither. The
/// declaring provider never reviews its own emergency (`SelfReview`, whatever its roles). Once only
/// (`AlreadyReviewed`). `emergency` becomes what to store (its review set).
pub fn review(
    caller: AccountId,
    now: Timestamp,
    emergency: &mut Emergency,
    justified: bool,
    note_hash: Hash32,
    actors: ActorsOf,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<()> {
    if caller == emergency.provider {
        return Err(Error::SelfReview);
    }
    let as_patient = ActingFor::new(emergency.patient, actors).as_patient(caller, now, Error::NotReviewer).is_ok();
    if !as_patient && !is_regulator()? {
        return Err(Error::NotReviewer);
    }
    if emergency.review.is_some() {
        return Err(Error::AlreadyReviewed);
    }
    emergency.review = Some(Review { justified, note_hash, reviewed_by: caller, reviewed_at: now });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{DelegateList, DEFAULT_EMERGENCY_DURATION, MAX_EMERGENCY_DURATION};

    const NOW: Timestamp = 1_000;
    const REASON: Hash32 = [4; 32];

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegates are not read")
    }

    fn nobody(_: AccountId) -> DelegateList {
        DelegateList::new()
    }

    fn declared(provider: AccountId, patient: AccountId) -> Emergency {
        declare(provider, NOW, patient, REASON, true, None, 100, &mut 7).unwrap()
    }

    #[test]
    fn the_duration_is_positive_and_capped() {
        assert_eq!(ensure_duration(0), Err(Error::InvalidDuration));
        assert_eq!(ensure_duration(1), Ok(()));
        assert_eq!(ensure_duration(DEFAULT_EMERGENCY_DURATION), Ok(()));
        assert_eq!(ensure_duration(MAX_EMERGENCY_DURATION), Ok(()));
        assert_eq!(ensure_duration(MAX_EMERGENCY_DURATION + 1), Err(Error::DurationTooLong));
        assert_eq!(ensure_duration(u64::MAX), Err(Error::DurationTooLong));
        assert_eq!(MAX_EMERGENCY_DURATION, 24 * 3_600_000, "24 hours");
    }

    #[test]
    fn a_stored_duration_above_the_cap_is_capped() {
        let (provider, patient) = (account(1), account(2));
        let emergency = declare(provider, NOW, patient, REASON, true, None, u64::MAX, &mut 7).unwrap();
        assert_eq!(emergency.until, NOW + MAX_EMERGENCY_DURATION);
    }

    #[test]
    fn the_same_provider_declares_again_only_after_the_cooldown() {
        let (provider, patient) = (account(1), account(2));
        let latest = declared(provider, patient); // NOW .. NOW + 100
        let declare_at = |now, latest: &Emergency, next: &mut EmergencyId| {
            declare(provider, now, patient, REASON, true, Some(latest), 100, next)
        };
        let mut next_emergency = 8;
        // Active: refused; over by its time box: cooling down until EMERGENCY_COOLDOWN after it.
        assert_eq!(declare_at(NOW + 99, &latest, &mut next_emergency), Err(Error::EmergencyActive));
        assert_eq!(declare_at(NOW + 100, &latest, &mut next_emergency), Err(Error::EmergencyCoolingDown));
        let cooled = NOW + 100 + EMERGENCY_COOLDOWN;
        assert_eq!(declare_at(cooled - 1, &latest, &mut next_emergency), Err(Error::EmergencyCoolingDown));
        assert_eq!(next_emergency, 8, "refusals take no id");
        assert_eq!(declare_at(cooled, &latest, &mut next_emergency).map(|emergency| emergency.id), Ok(8));
        // Ended early: the cooldown runs from the early end.
        let ended = Emergency { ended_at: Some(NOW + 10), ended_by: Some(patient), ..latest };
        assert_eq!(declare_at(NOW + 11, &ended, &mut next_emergency), Err(Error::EmergencyCoolingDown));
        let after = NOW + 10 + EMERGENCY_COOLDOWN;
        assert_eq!(declare_at(after, &ended, &mut next_emergency).map(|emergency| emergency.until), Ok(after + 100));
        assert_eq!(next_emergency, 10);
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
                review: None,
                unreviewed: Links::default(),
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
        let active = declared(provider, patient);
        let cooling = Emergency { ended_at: Some(NOW), ..active.clone() };
        let late = u64::MAX - 5;
        for (is_provider, patient, latest, now, error) in [
            (false, provider, Some(&active), late, Error::NotProvider),
            (true, provider, Some(&active), late, Error::SelfGrant),
            (true, patient, Some(&active), NOW, Error::EmergencyActive),
            (true, patient, Some(&cooling), NOW + 1, Error::EmergencyCoolingDown),
            (true, patient, None, late, Error::Overflow),
        ] {
            let declared = declare(provider, now, patient, REASON, is_provider, latest, 100, &mut next_emergency);
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
        let guardian_only = |_: AccountId| vec![crate::delegation::tests::delegation(guardian, 1, None)];
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
        let expired_guardian = |_: AccountId| vec![crate::delegation::tests::delegation(guardian, 1, Some(NOW))];
        assert_eq!(end(guardian, NOW, &mut unchanged, &expired_guardian), Err(Error::NotAllowedToEnd));
        assert_eq!(end(provider, NOW + 100, &mut unchanged, &never_read), Err(Error::EmergencyEnded), "time box");
        assert_eq!(unchanged, emergency, "a refusal changes nothing");
    }

    #[test]
    fn the_patient_or_a_regulator_reviews_an_emergency_once() {
        let (provider, patient, regulator) = (account(1), account(2), account(3));
        let emergency = declared(provider, patient);
        let no_regulator = || -> Result<bool> { panic!("participants is not asked for the patient") };
        // The patient, while it is active; needs no participants.
        let mut reviewed = emergency.clone();
        assert_eq!(review(patient, NOW + 5, &mut reviewed, false, [8; 32], &nobody, no_regulator), Ok(()));
        let by_patient = Review { justified: false, note_hash: [8; 32], reviewed_by: patient, reviewed_at: NOW + 5 };
        assert_eq!(reviewed, Emergency { review: Some(by_patient), ..emergency.clone() });
        // A Regulator, after it is over.
        let mut by_regulator = emergency.clone();
        assert_eq!(review(regulator, NOW + 500, &mut by_regulator, true, [9; 32], &nobody, || Ok(true)), Ok(()));
        assert_eq!(
            by_regulator.review,
            Some(Review { justified: true, note_hash: [9; 32], reviewed_by: regulator, reviewed_at: NOW + 500 })
        );
        // Once only, whoever asks again.
        for (again, caller) in [(&mut reviewed, regulator), (&mut by_regulator, patient)] {
            let before = again.clone();
            assert_eq!(
                review(caller, NOW + 600, again, true, [0; 32], &nobody, || Ok(true)),
                Err(Error::AlreadyReviewed)
            );
            assert_eq!(*again, before, "a refusal changes nothing");
        }
    }

    #[test]
    fn no_one_else_reviews_and_the_provider_never_its_own() {
        let (provider, patient, stranger) = (account(1), account(2), account(4));
        let emergency = declared(provider, patient);
        let mut unchanged = emergency.clone();
        assert_eq!(
            review(stranger, NOW, &mut unchanged, true, [0; 32], &nobody, || Ok(false)),
            Err(Error::NotReviewer)
        );
        let unreachable = || Err(Error::ParticipantsUnreachable);
        assert_eq!(
            review(stranger, NOW, &mut unchanged, true, [0; 32], &nobody, unreachable),
            Err(Error::ParticipantsUnreachable)
        );
        // The declaring provider, even a Regulator too, is refused before participants is asked.
        let never = || -> Result<bool> { panic!("participants is not asked for the provider") };
        assert_eq!(review(provider, NOW, &mut unchanged, true, [0; 32], &nobody, never), Err(Error::SelfReview));
        assert_eq!(unchanged, emergency, "refusals change nothing");
        // Refusal order: a stranger is NotReviewer even when the emergency is already reviewed.
        let mut reviewed = emergency.clone();
        review(patient, NOW, &mut reviewed, true, [0; 32], &nobody, || Ok(false)).unwrap();
        assert_eq!(review(stranger, NOW, &mut reviewed, true, [0; 32], &nobody, || Ok(false)), Err(Error::NotReviewer));
    }

    #[test]
    fn a_live_representative_reviews_as_the_patient() {
        use crate::{
            delegation::tests::Stored,
            representation::tests::{guardianship, MAJORITY},
        };
        let (patient, provider, guardian) = (account(1), account(2), account(3));
        let stored = Stored { patient, delegates: Vec::new(), representatives: vec![guardianship(4, guardian)] };
        let no_regulator = || Ok(false);
        let mut reviewed = declared(provider, patient);
        assert_eq!(review(guardian, NOW + 5, &mut reviewed, false, [8; 32], &stored, || panic!("asked")), Ok(()));
        assert_eq!(reviewed.review.map(|review| review.reviewed_by), Some(guardian));
        let mut unchanged = declared(provider, patient);
        let over = review(guardian, MAJORITY, &mut unchanged, false, [8; 32], &stored, no_regulator);
        assert_eq!(over, Err(Error::NotReviewer), "its period is over");
        assert_eq!(unchanged, declared(provider, patient));
        // It ends an emergency as the patient would.
        let mut ended = declared(provider, patient);
        assert_eq!(end(guardian, NOW + 1, &mut ended, &stored), Ok(()));
        assert_eq!(ended.ended_by, Some(guardian));
    }
}
