//! Who acts for a patient: the patient themself, a personal representative an issuer attested
//! ([`crate::representation`]: as the patient, but for the classes it excludes), or a delegate the patient (or their
//! representative) added (a carer) with a scope (what it may grant) until its expiry. How delegates are added,
//! replaced and removed, their bound ([`MAX_DELEGATES`]), what a delegate's grant must stay within, and whether the
//! delegation a grant was made under is still live.
//!
//! Free of storage and environment: the contract loads the patient's delegates, a decision here turns them into what
//! to store (the contract writes nothing when it refuses), and the contract writes them and emits the event.

use crate::{
    errors::{Error, Result},
    representation,
    rules::{actions_well_formed, purposes_well_formed},
    types::{
        DelegateList, DelegateScope, Delegation, DelegationId, Grantee, Provision, Representation, RepresentativeList,
        MAX_DELEGATES,
    },
};
use interfaces::{AccountId, ActionSet, DataClass, DataClassSet, PurposeSet, Timestamp};

/// Reads who acts for a patient besides the patient, as stored, when a decision needs it (each read costs gas on
/// chain): their delegations and their representations.
pub trait Actors {
    fn delegates(&self, patient: AccountId) -> DelegateList;
    fn representatives(&self, patient: AccountId) -> RepresentativeList;
}

/// The reader a decision is given.
pub type ActorsOf<'a> = &'a dyn Actors;

/// In unit tests a closure reads a patient's delegates, and the patient has no representative.
#[cfg(test)]
impl<F: Fn(AccountId) -> DelegateList> Actors for F {
    fn delegates(&self, patient: AccountId) -> DelegateList {
        self(patient)
    }

    fn representatives(&self, _: AccountId) -> RepresentativeList {
        RepresentativeList::new()
    }
}

/// Is a delegate with this expiry still active at `now`? (An expiry is exclusive; None never expires.)
pub fn is_active(expires: Option<Timestamp>, now: Timestamp) -> bool {
    expires.is_none_or(|expires| now < expires)
}

/// Drops the delegates that are no longer active at `now`.
pub fn drop_expired(delegates: &mut DelegateList, now: Timestamp) {
    delegates.retain(|delegation| delegation.is_active(now));
}

/// Who acts for the patient in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    /// The patient themself.
    Patient,
    /// A live personal representative, as the patient but for the classes its representation excludes.
    Representative(Representation),
    /// An active delegate, within its delegation's scope.
    Delegate(Delegation),
}

/// Who acts for a patient: their delegations and representations as stored, each read at most once, when a decision
/// first needs it.
pub struct ActingFor<'a> {
    patient: AccountId,
    read: ActorsOf<'a>,
    delegates: Option<DelegateList>,
    representatives: Option<RepresentativeList>,
}

impl<'a> ActingFor<'a> {
    pub fn new(patient: AccountId, read: ActorsOf<'a>) -> Self {
        Self { patient, read, delegates: None, representatives: None }
    }

    /// The patient's delegations (read now unless read before).
    pub fn delegates(&mut self) -> &DelegateList {
        let (read, patient) = (self.read, self.patient);
        self.delegates.get_or_insert_with(|| read.delegates(patient))
    }

    /// The patient's representations (read now unless read before).
    pub fn representatives(&mut self) -> &RepresentativeList {
        let (read, patient) = (self.read, self.patient);
        self.representatives.get_or_insert_with(|| read.representatives(patient))
    }

    /// `caller`'s live representation of the patient at `now`, if any (the representations read).
    fn representation(&mut self, caller: AccountId, now: Timestamp) -> Option<Representation> {
        representation::live(self.representatives(), caller, now)
    }

    /// Who acts for the patient: the patient themself (nothing read), a live representative (the representations
    /// read), or an active delegate (the delegations read too); `NotPatientOrDelegate` for anyone else.
    pub fn acting(&mut self, caller: AccountId, now: Timestamp) -> Result<Acting> {
        if caller == self.patient {
            return Ok(Acting::Patient);
        }
        if let Some(representation) = self.representation(caller, now) {
            return Ok(Acting::Representative(representation));
        }
        self.delegates()
            .iter()
            .find(|delegation| delegation.delegate == caller && delegation.is_active(now))
            .copied()
            .map(Acting::Delegate)
            .ok_or(Error::NotPatientOrDelegate)
    }

    /// The patient themself (None, nothing read) or a live representative (its representation, the representations
    /// read), for what only they do (a delegate neither); `refusal` for anyone else.
    pub fn as_patient(&mut self, caller: AccountId, now: Timestamp, refusal: Error) -> Result<Option<Representation>> {
        if caller == self.patient {
            return Ok(None);
        }
        self.representation(caller, now).map(Some).ok_or(refusal)
    }
}

/// Who acts for the patient: the patient themself, a live representative or an active delegate (with its
/// delegation). Nothing is read when the caller is the patient; `NotPatientOrDelegate` for anyone else.
pub fn acting(patient: AccountId, caller: AccountId, now: Timestamp, actors: ActorsOf) -> Result<Acting> {
    ActingFor::new(patient, actors).acting(caller, now)
}

/// Does `caller` act for `patient` at `now`: the patient themself, a live representative or an active delegate?
pub fn acts_for(patient: AccountId, caller: AccountId, now: Timestamp, actors: ActorsOf) -> bool {
    acting(patient, caller, now, actors).is_ok()
}

/// The patient or a live representative acting as the patient for `provision` on `classes` (which must cover no class
/// the representation excludes: `ClassExcluded`); `refusal` for anyone else, a delegate too.
pub fn ensure_as_patient(
    acting_for: &mut ActingFor,
    caller: AccountId,
    now: Timestamp,
    refusal: Error,
    provision: Provision,
    classes: DataClassSet,
) -> Result<()> {
    match acting_for.as_patient(caller, now, refusal)? {
        Some(representation) => representation::ensure_not_excluded(&representation, provision, classes),
        None => Ok(()),
    }
}

/// A scope must name at least one purpose, class and action, and nothing that stands for none.
pub fn ensure_scope(scope: DelegateScope) -> Result<()> {
    let DelegateScope { purposes, classes, actions } = scope;
    if purposes.is_empty() {
        return Err(Error::EmptyPurposes);
    }
    if classes.is_empty() {
        return Err(Error::EmptyClasses);
    }
    if actions.is_empty() {
        return Err(Error::EmptyActions);
    }
    if !purposes_well_formed(purposes) {
        return Err(Error::MalformedPurposeSet);
    }
    if !classes.is_well_formed() {
        return Err(Error::MalformedClassSet);
    }
    if !actions_well_formed(actions) {
        return Err(Error::MalformedActionSet);
    }
    Ok(())
}

/// What a delegate asks to grant, as its delegation must allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub grantee: Grantee,
    pub purposes: PurposeSet,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub end: Option<Timestamp>,
}

/// A grant by the delegate of `delegation` stays within it: not to the delegate itself (`GrantToDelegate`), only
/// purposes, classes and actions of its scope (`PurposeOutsideScope`, `ClassOutsideScope`, `ActionOutsideScope`),
/// and ending no later than the delegation (`EndsAfterDelegation`; open-ended only under an open-ended delegation).
pub fn ensure_within(delegation: &Delegation, asked: Asked) -> Result<()> {
    let Asked { grantee, purposes, classes, actions, end } = asked;
    if grantee == Grantee::Account(delegation.delegate) {
        return Err(Error::GrantToDelegate);
    }
    let scope = delegation.scope;
    if !scope.purposes.includes(purposes) {
        return Err(Error::PurposeOutsideScope);
    }
    if !covers_classes(scope.classes, classes) {
        return Err(Error::ClassOutsideScope);
    }
    if !scope.actions.includes(actions) {
        return Err(Error::ActionOutsideScope);
    }
    match (delegation.expires, end) {
        (Some(_), None) => Err(Error::EndsAfterDelegation),
        (Some(expires), Some(end)) if end > expires => Err(Error::EndsAfterDelegation),
        _ => Ok(()),
    }
}

/// Does a scope's `allowed` classes cover every class `asked` names? The broad flag only under the broad flag; a
/// named class when the scope names it or, not sensitive, has the broad flag ([`DataClassSet::covers`]): so a
/// sensitive class only when the scope names it.
pub fn covers_classes(allowed: DataClassSet, asked: DataClassSet) -> bool {
    (!asked.includes(DataClassSet::GENERAL) || allowed.includes(DataClassSet::GENERAL))
        && DataClass::ALL.into_iter().all(|class| !asked.contains(class) || allowed.covers(class))
}

/// Is the delegation `id` still live at `now` among the patient's `delegates` as stored: present (not removed nor
/// replaced) and not expired? A consent granted under it counts only then.
pub fn is_live(delegates: &DelegateList, id: DelegationId, now: Timestamp) -> bool {
    delegates.iter().any(|delegation| delegation.id == id && delegation.is_active(now))
}

/// `patient` (the caller) lets `delegate` grant within `scope` for them until `expires` if given, as delegation
/// `next_delegation` (which becomes the next id). `delegates` (the patient's, as stored) become what to store,
/// expired ones dropped. Adding an existing delegate again replaces its delegation (new id, scope and expiry): the
/// grants made under the one it replaces end. Returns the new delegation.
pub fn add(
    patient: AccountId,
    now: Timestamp,
    delegate: AccountId,
    scope: DelegateScope,
    expires: Option<Timestamp>,
    next_delegation: &mut DelegationId,
    delegates: &mut DelegateList,
) -> Result<Delegation> {
    if delegate == patient {
        return Err(Error::SelfDelegate);
    }
    ensure_scope(scope)?;
    if expires.is_some_and(|expires| expires <= now) {
        return Err(Error::PeriodEnded);
    }
    let id = *next_delegation;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    let delegation = Delegation { delegate, id, scope, expires };
    let mut kept = delegates.clone();
    drop_expired(&mut kept, now);
    if let Some(existing) = kept.iter_mut().find(|existing| existing.delegate == delegate) {
        *existing = delegation;
    } else {
        if kept.len() >= max_delegates() {
            return Err(Error::TooManyDelegates);
        }
        kept.push(delegation);
    }
    *delegates = kept;
    *next_delegation = next;
    Ok(delegation)
}

/// The patient (`by` None) or their representative (`by`, its representation) removes `delegate`: `delegates` (the
/// patient's, as stored) become what to store, expired ones dropped (empty: none left). The grants made under its
/// delegation end with it. A representative does not remove a delegate whose scope covers a class its representation
/// excludes (`ClassExcluded`: that delegate is the patient's alone).
pub fn remove(
    now: Timestamp,
    delegate: AccountId,
    by: Option<&Representation>,
    delegates: &mut DelegateList,
) -> Result<()> {
    let mut kept = delegates.clone();
    drop_expired(&mut kept, now);
    let position = kept.iter().position(|delegation| delegation.delegate == delegate).ok_or(Error::DelegateNotFound)?;
    let removed = kept.remove(position);
    if let Some(representation) = by {
        representation::ensure_not_excluded(representation, Provision::Permit, removed.scope.classes)?;
    }
    *delegates = kept;
    Ok(())
}

fn max_delegates() -> usize {
    usize::try_from(MAX_DELEGATES).unwrap_or(usize::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use interfaces::{Action, Purpose};

    const NOW: Timestamp = 1_000;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegates are not read when the patient acts")
    }

    /// Treatment, the general classes, Read: what the tests' delegates may grant unless said otherwise.
    pub(crate) fn treatment_read_scope() -> DelegateScope {
        DelegateScope {
            purposes: PurposeSet::of(Purpose::Treatment),
            classes: DataClassSet::GENERAL,
            actions: ActionSet::of(Action::Read),
        }
    }

    /// `delegate`'s delegation `id` with the tests' scope, until `expires`.
    pub(crate) fn delegation(delegate: AccountId, id: DelegationId, expires: Option<Timestamp>) -> Delegation {
        Delegation { delegate, id, scope: treatment_read_scope(), expires }
    }

    #[test]
    fn an_expiry_is_exclusive() {
        let mut delegates = vec![
            delegation(account(1), 1, Some(NOW)),
            delegation(account(2), 2, Some(NOW + 1)),
            delegation(account(3), 3, None),
        ];
        assert!(!is_active(Some(NOW), NOW) && is_active(Some(NOW + 1), NOW) && is_active(None, u64::MAX));
        drop_expired(&mut delegates, NOW);
        assert_eq!(delegates, vec![delegation(account(2), 2, Some(NOW + 1)), delegation(account(3), 3, None)]);
    }

    #[test]
    fn the_patient_and_active_delegates_act_for_the_patient() {
        let (patient, guardian, stranger) = (account(1), account(2), account(3));
        // The patient's guardian until `until`; nobody else has delegates.
        let guardian_until = |until: Option<Timestamp>| {
            move |of: AccountId| if of == patient { vec![delegation(guardian, 7, until)] } else { vec![] }
        };
        assert!(acts_for(patient, patient, NOW, &never_read));
        assert_eq!(acting(patient, patient, NOW, &never_read), Ok(Acting::Patient));
        assert!(acts_for(patient, guardian, NOW, &guardian_until(None)));
        let delegate = Acting::Delegate(delegation(guardian, 7, None));
        assert_eq!(acting(patient, guardian, NOW, &guardian_until(None)), Ok(delegate));
        assert!(acts_for(patient, guardian, NOW, &guardian_until(Some(NOW + 1))));
        assert!(!acts_for(patient, guardian, NOW, &guardian_until(Some(NOW))), "expired");
        assert!(!acts_for(patient, stranger, NOW, &guardian_until(None)));
        assert_eq!(acting(patient, stranger, NOW, &guardian_until(None)), Err(Error::NotPatientOrDelegate));
        // A delegate of someone else does not act for this patient.
        assert!(!acts_for(account(9), guardian, NOW, &guardian_until(None)));
    }

    #[test]
    fn a_delegate_is_added_or_its_delegation_replaced() {
        let (patient, guardian) = (account(1), account(2));
        let mut delegates = vec![delegation(account(3), 1, Some(NOW))];
        let mut next = 5;
        let added = add(patient, NOW, guardian, treatment_read_scope(), Some(NOW + 5), &mut next, &mut delegates);
        assert_eq!(added, Ok(delegation(guardian, 5, Some(NOW + 5))));
        assert_eq!(delegates, vec![delegation(guardian, 5, Some(NOW + 5))], "the expired one is dropped");
        let wider =
            DelegateScope { actions: ActionSet::of(Action::Read).with(Action::Write), ..treatment_read_scope() };
        add(patient, NOW, guardian, wider, None, &mut next, &mut delegates).unwrap();
        assert_eq!(delegates, vec![Delegation { delegate: guardian, id: 6, scope: wider, expires: None }]);
        assert_eq!(next, 7, "a replacement is a new delegation");
    }

    #[test]
    fn bad_delegates_are_refused_and_change_nothing() {
        let patient = account(1);
        let scope = treatment_read_scope();
        let refused = |delegate, scope, expires, delegates: &DelegateList, next: DelegationId| {
            let (mut after, mut next_after) = (delegates.clone(), next);
            let answer = add(patient, NOW, delegate, scope, expires, &mut next_after, &mut after);
            assert_eq!((&after, next_after), (delegates, next), "a refusal changes nothing");
            answer.err()
        };
        let none = vec![];
        assert_eq!(refused(patient, scope, None, &none, 1), Some(Error::SelfDelegate));
        assert_eq!(refused(account(2), scope, Some(NOW), &none, 1), Some(Error::PeriodEnded));
        let bad_scopes = [
            (DelegateScope { purposes: PurposeSet::EMPTY, ..scope }, Error::EmptyPurposes),
            (DelegateScope { classes: DataClassSet::EMPTY, ..scope }, Error::EmptyClasses),
            (DelegateScope { actions: ActionSet::EMPTY, ..scope }, Error::EmptyActions),
            (DelegateScope { purposes: PurposeSet(1 << 7), ..scope }, Error::MalformedPurposeSet),
            (DelegateScope { classes: DataClassSet(1 << 12), ..scope }, Error::MalformedClassSet),
            (DelegateScope { actions: ActionSet(0b100), ..scope }, Error::MalformedActionSet),
        ];
        for (bad, error) in bad_scopes {
            assert_eq!(refused(account(2), bad, None, &none, 1), Some(error));
        }
        assert_eq!(refused(account(2), scope, None, &none, u64::MAX), Some(Error::Overflow));
        let full: DelegateList = (10..18).map(|n| delegation(account(n), u64::from(n), None)).collect();
        assert_eq!(full.len(), MAX_DELEGATES as usize);
        assert_eq!(refused(account(2), scope, None, &full, 20), Some(Error::TooManyDelegates));
        // Replacing a delegation takes no new slot; an expired delegate frees one.
        let mut next = 20;
        assert!(add(patient, NOW, account(10), scope, Some(NOW + 1), &mut next, &mut full.clone()).is_ok());
        let mut with_expired = full;
        with_expired[0].expires = Some(NOW);
        assert!(add(patient, NOW, account(2), scope, None, &mut next, &mut with_expired).is_ok());
        assert_eq!(with_expired.len(), MAX_DELEGATES as usize);
        assert!(with_expired.iter().any(|d| d.delegate == account(2)) && with_expired.iter().all(|d| d.id != 10));
    }

    /// A patient's delegates and representatives as stored, for the tests that need both.
    pub(crate) struct Stored {
        pub(crate) patient: AccountId,
        pub(crate) delegates: DelegateList,
        pub(crate) representatives: RepresentativeList,
    }

    impl Actors for Stored {
        fn delegates(&self, patient: AccountId) -> DelegateList {
            if patient == self.patient {
                self.delegates.clone()
            } else {
                Vec::new()
            }
        }

        fn representatives(&self, patient: AccountId) -> RepresentativeList {
            if patient == self.patient {
                self.representatives.clone()
            } else {
                Vec::new()
            }
        }
    }

    #[test]
    fn a_live_representative_acts_as_the_patient_a_delegate_only_within_its_scope() {
        use crate::representation::tests::{guardianship, MAJORITY};
        let (patient, guardian, carer, stranger) = (account(1), account(2), account(3), account(4));
        let stored = Stored {
            patient,
            delegates: vec![delegation(carer, 7, None)],
            representatives: vec![guardianship(3, guardian)],
        };
        let representative = Acting::Representative(guardianship(3, guardian));
        assert_eq!(acting(patient, guardian, NOW, &stored), Ok(representative));
        assert_eq!(acting(patient, carer, NOW, &stored), Ok(Acting::Delegate(delegation(carer, 7, None))));
        assert_eq!(acting(patient, guardian, MAJORITY, &stored), Err(Error::NotPatientOrDelegate), "over");
        assert_eq!(acting(account(9), guardian, NOW, &stored), Err(Error::NotPatientOrDelegate), "another patient");

        // What only the patient or a representative does: never a delegate, nor a stranger.
        let refusal = Error::NotPatientOrRepresentative;
        let labs = DataClassSet::of(DataClass::Labs);
        let as_patient = |caller, classes| {
            ensure_as_patient(&mut ActingFor::new(patient, &stored), caller, NOW, refusal, Provision::Permit, classes)
        };
        assert_eq!(as_patient(patient, labs), Ok(()));
        assert_eq!(as_patient(guardian, labs), Ok(()));
        assert_eq!(as_patient(guardian, labs.with(DataClass::SubstanceUse)), Err(Error::ClassExcluded));
        assert_eq!(as_patient(carer, labs), Err(refusal));
        assert_eq!(as_patient(stranger, labs), Err(refusal));
    }

    #[test]
    fn a_representative_removes_no_delegate_of_an_excluded_class() {
        use crate::representation::tests::guardianship;
        let guardian = guardianship(3, account(2));
        let substance = DelegateScope { classes: DataClassSet::of(DataClass::SubstanceUse), ..treatment_read_scope() };
        let counsellor = Delegation { scope: substance, ..delegation(account(5), 1, None) };
        let mut delegates = vec![counsellor, delegation(account(6), 2, None)];
        let before = delegates.clone();
        assert_eq!(remove(NOW, account(5), Some(&guardian), &mut delegates), Err(Error::ClassExcluded));
        assert_eq!(delegates, before, "a refusal changes nothing");
        assert_eq!(remove(NOW, account(6), Some(&guardian), &mut delegates), Ok(()));
        assert_eq!(remove(NOW, account(5), None, &mut delegates), Ok(()), "the patient may");
    }

    #[test]
    fn only_an_active_delegate_is_removed() {
        let (guardian, other) = (account(2), account(3));
        let mut delegates = vec![delegation(guardian, 1, None), delegation(other, 2, None)];
        assert_eq!(remove(NOW, guardian, None, &mut delegates), Ok(()));
        assert_eq!(delegates, vec![delegation(other, 2, None)]);
        assert_eq!(remove(NOW, guardian, None, &mut vec![delegation(other, 2, None)]), Err(Error::DelegateNotFound));
        let mut expired = vec![delegation(guardian, 1, Some(NOW))];
        assert_eq!(remove(NOW, guardian, None, &mut expired), Err(Error::DelegateNotFound), "expired");
        assert_eq!(expired, vec![delegation(guardian, 1, Some(NOW))], "a refusal changes nothing");
        let mut last = vec![delegation(guardian, 1, None)];
        assert_eq!(remove(NOW, guardian, None, &mut last), Ok(()));
        assert_eq!(last, vec![]);
    }

    /// Regression (issue #18): a delegate granted anything to anyone (itself included), all sensitive classes,
    /// open-ended. Now its grant stays within the scope the patient set, ends no later than the delegation, and
    /// never goes to the delegate itself.
    #[test]
    fn a_delegates_grant_stays_within_its_delegation() {
        let (guardian, doctor) = (account(2), account(3));
        let until_tomorrow = delegation(guardian, 1, Some(NOW + 100));
        let ok = Asked {
            grantee: Grantee::Account(doctor),
            purposes: PurposeSet::of(Purpose::Treatment),
            classes: DataClassSet::GENERAL,
            actions: ActionSet::of(Action::Read),
            end: Some(NOW + 100),
        };
        assert_eq!(ensure_within(&until_tomorrow, ok), Ok(()));
        let cases = [
            (Asked { grantee: Grantee::Account(guardian), ..ok }, Error::GrantToDelegate),
            (Asked { purposes: PurposeSet::of(Purpose::Research), ..ok }, Error::PurposeOutsideScope),
            (
                Asked { purposes: PurposeSet::of(Purpose::Treatment).with(Purpose::Payment), ..ok },
                Error::PurposeOutsideScope,
            ),
            (Asked { classes: DataClassSet::GENERAL.with(DataClass::MentalHealth), ..ok }, Error::ClassOutsideScope),
            (Asked { classes: DataClassSet::of(DataClass::Genomic), ..ok }, Error::ClassOutsideScope),
            (Asked { actions: ActionSet::of(Action::Write), ..ok }, Error::ActionOutsideScope),
            (Asked { end: Some(NOW + 101), ..ok }, Error::EndsAfterDelegation),
            (Asked { end: None, ..ok }, Error::EndsAfterDelegation),
        ];
        for (asked, error) in cases {
            assert_eq!(ensure_within(&until_tomorrow, asked), Err(error), "{asked:?}");
        }
        // A role is a fine grantee; a narrower grant is fine; open-ended under an open-ended delegation.
        let narrower = Asked {
            grantee: Grantee::Role(interfaces::Role::Provider),
            classes: DataClassSet::of(DataClass::Labs),
            end: Some(NOW + 1),
            ..ok
        };
        assert_eq!(ensure_within(&until_tomorrow, narrower), Ok(()));
        assert_eq!(ensure_within(&delegation(guardian, 1, None), Asked { end: None, ..ok }), Ok(()));
        // A sensitive class only when the scope names it.
        let sensitive = Delegation {
            scope: DelegateScope {
                classes: DataClassSet::GENERAL.with(DataClass::MentalHealth),
                ..treatment_read_scope()
            },
            ..until_tomorrow
        };
        let mental_health = Asked { classes: DataClassSet::of(DataClass::MentalHealth), ..ok };
        assert_eq!(ensure_within(&sensitive, mental_health), Ok(()));
    }

    #[test]
    fn a_scope_covers_the_classes_it_names_and_the_general_ones_under_the_broad_flag() {
        let broad = DataClassSet::GENERAL;
        let labs = DataClassSet::of(DataClass::Labs);
        let genomic = DataClassSet::of(DataClass::Genomic);
        assert!(covers_classes(broad, broad) && covers_classes(broad, labs));
        assert!(!covers_classes(broad, genomic), "a sensitive class is never implied");
        assert!(!covers_classes(labs, broad), "nor the broad flag by a named class");
        assert!(covers_classes(labs.with(DataClass::Genomic), genomic.with(DataClass::Labs)));
        assert!(!covers_classes(labs, labs.with(DataClass::Imaging)));
        assert!(covers_classes(broad.with(DataClass::Genomic), broad.with(DataClass::Genomic)));
    }

    #[test]
    fn a_delegation_is_live_while_present_and_not_expired() {
        let guardian = account(2);
        let delegates = vec![delegation(guardian, 4, Some(NOW + 1)), delegation(account(3), 5, None)];
        assert!(is_live(&delegates, 4, NOW) && is_live(&delegates, 5, u64::MAX));
        assert!(!is_live(&delegates, 4, NOW + 1), "expired");
        assert!(!is_live(&delegates, 3, NOW), "removed or replaced");
        assert!(!is_live(&vec![], 4, NOW));
    }
}
