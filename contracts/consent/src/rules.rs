//! The rules of consents, free of storage and environment: what a grant must be and what it writes, what a
//! revocation writes, and the answer of `check` (the patient always; else the purpose's role, then break-glass, then
//! the consents: deny beats permit, otherwise the most telling reason for a refusal).
//!
//! The contract loads, asks participants, calls one decision here, writes what it returns and emits the event of
//! what it wrote. A decision turns the loaded values it is given by `&mut` into what to store (the contract writes
//! nothing when it refuses) and returns the new ones. A value a decision may not need is passed as a closure that
//! reads it, called only when the decision gets there: on chain every storage read and the call to participants
//! cost gas.

use crate::{
    delegation::{self, Acting, ActingFor, ActorsOf},
    errors::{Error, Result},
    representation,
    types::{
        ConsentEntry, ConsentStatus, DelegateList, DelegateScope, Grantee, KeyConsents, PatientEntry, Provision,
        RepresentativeList, MAX_ACTIVE_PER_KEY, MAX_REVOKED_PER_KEY,
    },
};
use ink::prelude::vec::Vec;
use interfaces::{
    AccountId, Action, ActionSet, Basis, ConsentId, DataClass, DataClassSet, Denied, EmergencyId, Hash32, Purpose,
    PurposeSet, Role, RoleSet, Timestamp,
};

/// A grant as the patient or a delegate asks for it: the arguments of `grant`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRequest {
    pub patient: AccountId,
    pub grantee: Grantee,
    pub provision: Provision,
    pub purposes: PurposeSet,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub document_hash: Hash32,
}

/// What a grant writes besides the loaded values it changes: the new consent and the live consents of (patient,
/// grantee) with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub consent: ConsentEntry,
    pub live: Vec<ConsentId>,
}

/// `caller` grants `request` at `now`. Who may: the patient; a live representative, as the patient, but for no class
/// its representation excludes (`ClassExcluded`); an active delegate, within its delegation
/// ([`delegation::ensure_within`]: its scope, not to itself, ending no later than the delegation), and the consent
/// records the delegation it was made under. The patient's representations, then delegations, are read only when the
/// caller is not the patient.
/// `indexed` are the consents indexed under (patient, grantee), each read only once the request is valid; those ended,
/// revoked or granted under a delegation no longer live leave the index (the patient's delegations are read at most
/// once in all, here only if an indexed consent was granted by a delegate).
/// `next_consent` (the id this consent gets) and `patient_entry` (the patient's list and role grants) become what to
/// store.
pub fn grant(
    caller: AccountId,
    now: Timestamp,
    request: GrantRequest,
    actors: ActorsOf,
    indexed: impl IntoIterator<Item = ConsentEntry>,
    next_consent: &mut ConsentId,
    patient_entry: &mut PatientEntry,
) -> Result<Granted> {
    let mut acting_for = ActingFor::new(request.patient, actors);
    grant_as(caller, now, request, &mut acting_for, indexed, next_consent, patient_entry)
}

/// [`grant`] with who acts for the patient read already (or read at most once, here).
pub fn grant_as(
    caller: AccountId,
    now: Timestamp,
    request: GrantRequest,
    acting_for: &mut ActingFor,
    indexed: impl IntoIterator<Item = ConsentEntry>,
    next_consent: &mut ConsentId,
    patient_entry: &mut PatientEntry,
) -> Result<Granted> {
    let GrantRequest { patient, grantee, provision, purposes, classes, actions, start, end, document_hash } = request;
    let acting = acting_for.acting(caller, now)?;
    // A consent's sets are shaped like a delegation's scope: the same check, in the same order.
    delegation::ensure_scope(DelegateScope { purposes, classes, actions })?;
    match grantee {
        Grantee::Account(account) if account == patient => return Err(Error::SelfGrant),
        Grantee::Role(Role::Issuer) => return Err(Error::InvalidGrantee),
        _ => {}
    }
    if let Some(end) = end {
        if end <= start {
            return Err(Error::InvalidPeriod);
        }
        if end <= now {
            return Err(Error::PeriodEnded);
        }
    }
    match &acting {
        Acting::Patient => {}
        Acting::Representative(representation) => {
            representation::ensure_not_excluded(representation, provision, classes)?;
        }
        Acting::Delegate(delegation) => {
            delegation::ensure_within(delegation, delegation::Asked { grantee, purposes, classes, actions, end })?;
        }
    }
    // Ended consents, and those whose delegation ended, leave the index here, before the bound is checked.
    let mut live = Vec::new();
    for consent in indexed {
        let delegation_live = consent.delegation.is_none_or(|id| delegation::is_live(acting_for.delegates(), id, now));
        if is_live(&consent, now) && delegation_live {
            live.push(consent.id);
        }
    }
    if live.len() >= max_active() {
        return Err(Error::TooManyActiveConsents);
    }
    let id = *next_consent;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    let previous = patient_entry.consents.newest;
    let consents = patient_entry.consents.pushed(id).ok_or(Error::Overflow)?;
    *next_consent = next;
    patient_entry.consents = consents;
    if let Grantee::Role(role) = grantee {
        patient_entry.role_grants = patient_entry.role_grants.with(role);
    }
    live.push(id);
    Ok(Granted {
        consent: ConsentEntry {
            id,
            patient,
            grantee,
            provision,
            purposes,
            classes,
            actions,
            start,
            end,
            document_hash,
            status: ConsentStatus::Active,
            granted_by: caller,
            delegation: match acting {
                Acting::Delegate(delegation) => Some(delegation.id),
                Acting::Patient | Acting::Representative(_) => None,
            },
            granted_at: now,
            previous_of_patient: previous,
        },
        live,
    })
}

/// `caller` revokes `consent` at `now`, effective at once and for good. `consent` and `key` (what the index holds
/// under its (patient, grantee) key; empty: remove the key) become what to store: the consent leaves the live ones and,
/// a Permit, joins the key's revoked ones (the newest [`MAX_REVOKED_PER_KEY`], so that `check` can say `Revoked`).
/// Who acts for the patient is read only when the caller is not the patient: a live representative revokes as the
/// patient, but no consent covering a class its representation excludes (`ClassExcluded`); a delegate revokes only
/// the consents it granted (`NotOwnGrant`: never one the patient made, nor another delegate's); `patient_entry` reads the
/// patient's entry only when a role's key is left with nothing (no live consent, no revoked Permit): the role leaves
/// the patient's role grants; returned changed, to store.
pub fn revoke(
    caller: AccountId,
    now: Timestamp,
    consent: &mut ConsentEntry,
    key: &mut KeyConsents,
    actors: ActorsOf,
    patient_entry: impl FnOnce() -> PatientEntry,
) -> Result<Option<PatientEntry>> {
    match delegation::acting(consent.patient, caller, now, actors)? {
        Acting::Patient => {}
        Acting::Representative(representation) => {
            representation::ensure_not_excluded(&representation, consent.provision, consent.classes)?;
        }
        Acting::Delegate(_) if consent.granted_by != caller => return Err(Error::NotOwnGrant),
        Acting::Delegate(_) => {}
    }
    if consent.status == ConsentStatus::Revoked {
        return Err(Error::AlreadyRevoked);
    }
    consent.status = ConsentStatus::Revoked;
    key.live.retain(|id| *id != consent.id);
    // A revoked Deny explains no refusal: only Permits are remembered.
    if consent.provision == Provision::Permit {
        remember_revoked(&mut key.revoked, consent.id);
    }
    Ok(match consent.grantee {
        Grantee::Role(role) if key.is_empty() => {
            let mut patient_entry = patient_entry();
            patient_entry.role_grants = patient_entry.role_grants.without(role);
            Some(patient_entry)
        }
        _ => None,
    })
}

/// Appends `id` to a key's revoked Permits, forgetting the oldest beyond [`MAX_REVOKED_PER_KEY`].
fn remember_revoked(revoked: &mut Vec<ConsentId>, id: ConsentId) {
    revoked.push(id);
    let max = usize::try_from(MAX_REVOKED_PER_KEY).unwrap_or(usize::MAX);
    if let Some(excess) = revoked.len().checked_sub(max) {
        revoked.drain(..excess);
    }
}

/// One access `check` is asked about: may `accessor` do `action` on `patient`'s `class` data for `purpose`?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub patient: AccountId,
    pub accessor: AccountId,
    pub purpose: Purpose,
    pub class: DataClass,
    pub action: Action,
}

/// The answer of `check` at `now`. The patient always; a live personal representative of the patient for a class its
/// representation does not exclude, as the patient (basis Representative: no role needed, and the patient's consents,
/// a Deny to the representative's account too, do not bind it: [`crate::representation`]); anyone else (a
/// representative for an excluded class too) must hold the purpose's role ([`Purpose::accessor_role`]); then an
/// active emergency of the accessor allows Emergency/Read; else the consents to the accessor and to the roles it
/// holds decide: deny beats permit; with no permit, the most telling reason.
///
/// Each value is read only when the answer depends on it: `patient_entry` reads the patient's entry (the roles whose
/// keys hold live role consents or revoked role Permits, and how many representations the patient has);
/// `representatives` reads the patient's representations, only when there are some (one entry of at most
/// [`crate::types::MAX_REPRESENTATIVES`]); `held_roles(role_grants, required)` asks participants which of the roles that
/// matter the accessor holds; `emergency` reads the accessor's active emergency for the patient (an
/// [`crate::types::Emergency`] is active until ended or past its time box), for Emergency/Read only;
/// `key_of(grantee)` reads what the index holds under (patient, grantee), the accessor's account first then each
/// granted role; `consent(id)` reads one consent; `delegates` reads the patient's delegations, at most once and only
/// when a matching consent was granted by a delegate: such a consent counts only while its delegation is live
/// (present, not expired: [`delegation::is_live`]), so removing or expiring a delegation ends its grants without
/// iterating over them. That read is one storage entry of at most [`crate::types::MAX_DELEGATES`] delegations
/// whatever the number of consents.
/// Reading stops at the first Deny that applies.
///
/// `Revoked`: a revoked consent has left the live ones, so the reads that decide stay bounded by
/// [`MAX_ACTIVE_PER_KEY`] per key whatever the patient revoked. Each key also remembers its newest revoked Permits
/// (at most [`MAX_REVOKED_PER_KEY`], in the same storage entry, so no extra read of the index); they are read only
/// when no Permit allows the access and nothing more telling than `Expired` explains it: then a revoked Permit that
/// speaks to the access (purpose, class, action) makes the answer `Revoked`. So `check` reads at most
/// (1 + roles) x (`MAX_ACTIVE_PER_KEY` + `MAX_REVOKED_PER_KEY`) consents: O(1) in the number of consents. A role's
/// key is read while the patient has a live consent to the role or the key remembers a revoked Permit (the patient's
/// role grants), so a revoked role Permit explains too; a revoked consent to a role the accessor does not hold
/// explains nothing (it would not have allowed the access).
// One lazily called reader per value the answer may depend on, so that each is read only when needed.
#[allow(clippy::too_many_arguments)]
pub fn check(
    access: Access,
    now: Timestamp,
    patient_entry: impl FnOnce() -> PatientEntry,
    representatives: impl FnOnce() -> RepresentativeList,
    held_roles: impl FnOnce(RoleSet, Role) -> core::result::Result<RoleSet, Denied>,
    emergency: impl FnOnce() -> Option<EmergencyId>,
    delegates: impl FnOnce() -> DelegateList,
    mut key_of: impl FnMut(Grantee) -> KeyConsents,
    consent: impl Fn(ConsentId) -> Option<ConsentEntry>,
) -> core::result::Result<Basis, Denied> {
    let Access { patient, accessor, purpose, class, action } = access;
    if accessor == patient {
        return Ok(Basis::Patient);
    }
    let patient_entry = patient_entry();
    if patient_entry.representatives > 0 {
        let representation = representation::live(&representatives(), accessor, now);
        if let Some(representation) = representation.filter(|representation| representation.acts_for(class)) {
            return Ok(Basis::Representative(representation.id));
        }
    }
    let required = purpose.accessor_role();
    let role_grants = patient_entry.role_grants;
    let held = held_roles(role_grants, required)?;
    if !held.contains(required) {
        return Err(Denied::RoleNotHeld(required));
    }
    if purpose == Purpose::Emergency && action == Action::Read {
        if let Some(id) = emergency() {
            return Ok(Basis::Emergency(id));
        }
    }
    // The accessor's own consents, then those to each role the patient granted to (lacking: a role not held).
    let mut roles = Role::ALL.into_iter().filter(|role| role_grants.contains(*role));
    let (mut grantee, mut role_lacking) = (Grantee::Account(accessor), None);
    let mut verdict = Verdict::default();
    // The revoked Permits of the keys read, newest of each key last: read only if the verdict needs them.
    let mut revoked = Vec::new();
    // The patient's delegations, read once when a delegate's grant first matches.
    let (mut read_delegates, mut delegations) = (Some(delegates), None);
    loop {
        let key = key_of(grantee);
        for consent in key.live.into_iter().filter_map(&consent) {
            if consent.status != ConsentStatus::Active || !consent.matches(purpose, class, action) {
                continue;
            }
            if let Some(id) = consent.delegation {
                let delegations =
                    delegations.get_or_insert_with(|| read_delegates.take().map_or_else(Vec::new, |read| read()));
                // Its delegation was removed, replaced or expired: the grant ended with it and says nothing.
                if !delegation::is_live(delegations, id, now) {
                    continue;
                }
            }
            let deny = consent.provision == Provision::Deny;
            let timing = timing(consent.start, consent.end, now);
            if let Some(denied) = verdict.consider(consent.id, deny, timing, role_lacking) {
                return Err(denied);
            }
        }
        if role_lacking.is_none() {
            revoked.extend(key.revoked);
        }
        let Some(role) = roles.next() else {
            break;
        };
        grantee = Grantee::Role(role);
        role_lacking = (!held.contains(role)).then_some(role);
    }
    if verdict.revocation_would_explain() {
        let matching = revoked.into_iter().rev().filter_map(&consent).find(|consent| {
            consent.status == ConsentStatus::Revoked
                && consent.provision == Provision::Permit
                && consent.matches(purpose, class, action)
        });
        if let Some(consent) = matching {
            verdict.explain(Denied::Revoked(consent.id));
        }
    }
    verdict.finish()
}

/// `consents` as the reads show them at `now`: an Active consent granted under a delegation no longer live
/// ([`delegation::is_live`]) shows as [`ConsentStatus::DelegationEnded`]. `delegates` reads the patient's delegations
/// (all of `consents` are one patient's), once, and only if one of them was granted by a delegate.
pub fn as_read(consents: &mut [ConsentEntry], now: Timestamp, delegates: impl FnOnce() -> DelegateList) {
    let (mut read, mut delegations) = (Some(delegates), None);
    for consent in consents.iter_mut().filter(|consent| consent.status == ConsentStatus::Active) {
        if let Some(id) = consent.delegation {
            let delegations = delegations.get_or_insert_with(|| read.take().map_or_else(Vec::new, |read| read()));
            if !delegation::is_live(delegations, id, now) {
                consent.status = ConsentStatus::DelegationEnded;
            }
        }
    }
}

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

/// Neither revoked nor ended: the consent holds a slot of its key (`MAX_ACTIVE_PER_KEY`).
fn is_live(consent: &ConsentEntry, now: Timestamp) -> bool {
    consent.status == ConsentStatus::Active && timing(consent.start, consent.end, now) != Timing::Ended
}

fn max_active() -> usize {
    usize::try_from(MAX_ACTIVE_PER_KEY).unwrap_or(usize::MAX)
}

/// True when no bit outside the defined purposes is set.
pub fn purposes_well_formed(purposes: PurposeSet) -> bool {
    PurposeSet::from_slice(&Purpose::ALL).includes(purposes)
}

/// True when no bit outside Read and Write is set.
pub fn actions_well_formed(actions: ActionSet) -> bool {
    ActionSet::from_slice(&[Action::Read, Action::Write]).includes(actions)
}

/// How telling a refusal is: a role the accessor lacks, then a consent not yet valid, then a revoked one (the
/// patient withdrew it), then an ended one.
fn rank(denied: &Denied) -> u8 {
    match denied {
        Denied::RoleNotHeld(_) => 4,
        Denied::NotYetValid(_) => 3,
        Denied::Revoked(_) => 2,
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

    /// No permit, and nothing more telling than `Revoked` explains the refusal yet: worth reading revoked Permits.
    pub fn revocation_would_explain(&self) -> bool {
        self.permit.is_none() && rank(&self.explanation) < rank(&Denied::Revoked(0))
    }

    /// Keeps `denied` as the explanation when it is more telling than the one so far.
    pub fn explain(&mut self, denied: Denied) {
        if rank(&denied) > rank(&self.explanation) {
            self.explanation = denied;
        }
    }

    /// The first in-period Permit, or the most telling reason why none applies.
    pub fn finish(self) -> core::result::Result<Basis, Denied> {
        match self.permit {
            Some(consent) => Ok(Basis::Consent(consent)),
            None => Err(self.explanation),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{delegation::tests::delegation, types::DelegateList};
    use interfaces::ListHead;

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

    // ---- grant, revoke and check ----

    const NOW: Timestamp = 1_000;
    const DOC: Hash32 = [9; 32];

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn patient() -> AccountId {
        account(1)
    }

    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegates are not read when the patient acts")
    }

    /// Nothing may be read from here on.
    fn unread() -> impl Iterator<Item = ConsentEntry> {
        core::iter::from_fn(|| panic!("the indexed consents are not read"))
    }

    /// The patient asks that `grantee` may Read the general classes for Treatment, open-ended from NOW.
    pub(crate) fn treatment_read(grantee: Grantee) -> GrantRequest {
        GrantRequest {
            patient: patient(),
            grantee,
            provision: Provision::Permit,
            purposes: PurposeSet::of(Purpose::Treatment),
            classes: DataClassSet::GENERAL,
            actions: ActionSet::of(Action::Read),
            start: NOW,
            end: None,
            document_hash: DOC,
        }
    }

    /// The consent a grant of `request` must store as `id`, written out here rather than taken from `grant`: the
    /// request's fields, Active, granted by `granted_by` at `granted_at`, behind `previous_of_patient` in the
    /// patient's list. Shared with the contract's tests (`crate::tests`).
    pub(crate) fn stored(
        id: ConsentId,
        request: &GrantRequest,
        granted_by: AccountId,
        granted_at: Timestamp,
        previous_of_patient: Option<ConsentId>,
    ) -> ConsentEntry {
        ConsentEntry {
            id,
            patient: request.patient,
            grantee: request.grantee,
            provision: request.provision,
            purposes: request.purposes,
            classes: request.classes,
            actions: request.actions,
            start: request.start,
            end: request.end,
            document_hash: request.document_hash,
            status: ConsentStatus::Active,
            granted_by,
            delegation: None,
            granted_at,
            previous_of_patient,
        }
    }

    /// The consent `request` grants as `id` (granted by the patient at NOW, first of their list).
    fn granted(id: ConsentId, request: GrantRequest) -> ConsentEntry {
        stored(id, &request, request.patient, NOW, None)
    }

    #[test]
    fn a_grant_writes_the_consent_the_patients_list_and_the_index() {
        let doctor = Grantee::Account(account(2));
        let (mut next_consent, mut patient_entry) = (7, PatientEntry::default());
        let request = treatment_read(doctor);
        let granted_now =
            grant(patient(), NOW, request.clone(), &never_read, vec![], &mut next_consent, &mut patient_entry).unwrap();
        assert_eq!(granted_now, Granted { consent: granted(7, request), live: vec![7] });
        assert_eq!(next_consent, 8);
        assert_eq!(
            patient_entry,
            PatientEntry { consents: ListHead { len: 1, newest: Some(7) }, ..PatientEntry::default() }
        );

        // A delegate grants to a role, behind an earlier consent of the same key.
        let guardian = account(3);
        let researchers = Grantee::Role(Role::Researcher);
        let request = GrantRequest { end: Some(NOW + 10), ..treatment_read(researchers) };
        let earlier = granted(5, treatment_read(researchers));
        let granted_now = grant(
            guardian,
            NOW,
            request,
            &|_| vec![delegation(guardian, 4, None)],
            vec![earlier],
            &mut next_consent,
            &mut patient_entry,
        )
        .unwrap();
        assert_eq!((granted_now.consent.id, granted_now.consent.granted_by), (8, guardian));
        assert_eq!(granted_now.consent.delegation, Some(4), "under the guardian's delegation");
        assert_eq!(granted_now.consent.previous_of_patient, Some(7), "linked to the patient's newest");
        assert_eq!(granted_now.live, vec![5, 8]);
        assert_eq!(patient_entry.consents, ListHead { len: 2, newest: Some(8) });
        assert_eq!(patient_entry.role_grants, RoleSet::of(Role::Researcher));
    }

    #[test]
    fn bad_grants_are_refused_in_order_and_change_nothing() {
        let doctor = Grantee::Account(account(2));
        let ok = treatment_read(doctor);
        let cases = [
            (account(9), GrantRequest { purposes: PurposeSet::EMPTY, ..ok.clone() }, Error::NotPatientOrDelegate),
            (
                patient(),
                GrantRequest { purposes: PurposeSet::EMPTY, classes: DataClassSet::EMPTY, ..ok.clone() },
                Error::EmptyPurposes,
            ),
            (
                patient(),
                GrantRequest { classes: DataClassSet::EMPTY, actions: ActionSet::EMPTY, ..ok.clone() },
                Error::EmptyClasses,
            ),
            (
                patient(),
                GrantRequest { actions: ActionSet::EMPTY, purposes: PurposeSet(1 << 7), ..ok.clone() },
                Error::EmptyActions,
            ),
            (
                patient(),
                GrantRequest { purposes: PurposeSet(1 << 7), classes: DataClassSet(1 << 12), ..ok.clone() },
                Error::MalformedPurposeSet,
            ),
            (
                patient(),
                GrantRequest { classes: DataClassSet(1 << 12), actions: ActionSet(0b100), ..ok.clone() },
                Error::MalformedClassSet,
            ),
            (
                patient(),
                GrantRequest { actions: ActionSet(0b101), grantee: Grantee::Account(patient()), ..ok.clone() },
                Error::MalformedActionSet,
            ),
            (
                patient(),
                GrantRequest { grantee: Grantee::Account(patient()), end: Some(NOW), ..ok.clone() },
                Error::SelfGrant,
            ),
            (
                patient(),
                GrantRequest { grantee: Grantee::Role(Role::Issuer), end: Some(NOW), ..ok.clone() },
                Error::InvalidGrantee,
            ),
            (patient(), GrantRequest { start: NOW + 5, end: Some(NOW + 5), ..ok.clone() }, Error::InvalidPeriod),
            (patient(), GrantRequest { start: NOW - 5, end: Some(NOW), ..ok.clone() }, Error::PeriodEnded),
        ];
        for (caller, request, error) in cases {
            let (mut next_consent, mut patient_entry) = (7, PatientEntry::default());
            let delegates = |_: AccountId| vec![];
            let refused = grant(caller, NOW, request, &delegates, unread(), &mut next_consent, &mut patient_entry);
            assert_eq!(refused, Err(error));
            assert_eq!((next_consent, patient_entry), (7, PatientEntry::default()), "{error:?} changed nothing");
        }
        // Roles other than Issuer, and a period that starts later, are fine.
        let (mut next_consent, mut patient_entry) = (7, PatientEntry::default());
        let later = GrantRequest { grantee: Grantee::Role(Role::Payer), start: NOW + 5, end: Some(NOW + 6), ..ok };
        assert!(grant(patient(), NOW, later, &never_read, vec![], &mut next_consent, &mut patient_entry).is_ok());
    }

    #[test]
    fn ended_and_revoked_consents_leave_the_index_before_the_bound_is_checked() {
        let doctor = Grantee::Account(account(2));
        let live = |id| granted(id, treatment_read(doctor));
        let full: Vec<ConsentEntry> = (1..=u64::from(MAX_ACTIVE_PER_KEY)).map(live).collect();
        let grant_after = |indexed: Vec<ConsentEntry>| {
            let (mut next_consent, mut patient_entry) = (100, PatientEntry::default());
            let granted = grant(
                patient(),
                NOW,
                treatment_read(doctor),
                &never_read,
                indexed,
                &mut next_consent,
                &mut patient_entry,
            );
            (granted.map(|granted| granted.live), next_consent)
        };
        assert_eq!(grant_after(full.clone()), (Err(Error::TooManyActiveConsents), 100));
        let mut pruned = full;
        pruned[0].end = Some(NOW);
        pruned[1].status = ConsentStatus::Revoked;
        pruned[2].start = NOW + 50;
        let mut expected: Vec<ConsentId> = (3..=u64::from(MAX_ACTIVE_PER_KEY)).collect();
        expected.push(100);
        assert_eq!(grant_after(pruned), (Ok(expected), 101), "a consent not yet valid keeps its slot");
    }

    #[test]
    fn grants_whose_delegation_ended_leave_the_index_reading_the_delegations_once() {
        let (doctor, guardian) = (Grantee::Account(account(2)), account(3));
        let by_guardian = |id, delegation_id| ConsentEntry {
            granted_by: guardian,
            delegation: Some(delegation_id),
            ..granted(id, treatment_read(doctor))
        };
        // A full key: half granted under the guardian's removed delegation 4, half under its live delegation 5.
        let full: Vec<ConsentEntry> =
            (1..=u64::from(MAX_ACTIVE_PER_KEY)).map(|id| by_guardian(id, 4 + id % 2)).collect();
        let reads = core::cell::Cell::new(0);
        let delegates = |_: AccountId| {
            reads.set(reads.get() + 1);
            vec![delegation(guardian, 5, None)]
        };
        let (mut next_consent, mut patient_entry) = (100, PatientEntry::default());
        let granted_now =
            grant(patient(), NOW, treatment_read(doctor), &delegates, full, &mut next_consent, &mut patient_entry);
        let mut expected: Vec<ConsentId> = (1..=u64::from(MAX_ACTIVE_PER_KEY)).filter(|id| id % 2 == 1).collect();
        expected.push(100);
        assert_eq!(granted_now.map(|granted| granted.live), Ok(expected));
        assert_eq!(reads.get(), 1, "read once");
        // By the guardian itself: the delegations read to let it act are the ones the pruning reads.
        reads.set(0);
        let request = treatment_read(doctor);
        let indexed = vec![by_guardian(1, 4), by_guardian(2, 5)];
        let granted_now = grant(guardian, NOW, request, &delegates, indexed, &mut next_consent, &mut patient_entry);
        assert_eq!(granted_now.map(|granted| granted.live), Ok(vec![2, 101]));
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn a_grant_that_would_overflow_changes_nothing() {
        let doctor = Grantee::Account(account(2));
        let mut next_consent = u64::MAX;
        let mut patient_entry = PatientEntry::default();
        let granted =
            grant(patient(), NOW, treatment_read(doctor), &never_read, vec![], &mut next_consent, &mut patient_entry);
        assert_eq!(granted, Err(Error::Overflow));
        let mut next_consent = 7;
        let full = PatientEntry { consents: ListHead { len: u64::MAX, newest: Some(6) }, ..PatientEntry::default() };
        let mut patient_entry = full;
        let granted =
            grant(patient(), NOW, treatment_read(doctor), &never_read, vec![], &mut next_consent, &mut patient_entry);
        assert_eq!(granted, Err(Error::Overflow));
        assert_eq!((next_consent, patient_entry), (7, full));
    }

    /// An index entry with these live and revoked ids.
    fn key(live: &[ConsentId], revoked: &[ConsentId]) -> KeyConsents {
        KeyConsents { live: live.to_vec(), revoked: revoked.to_vec() }
    }

    #[test]
    fn a_revocation_leaves_the_index_and_the_last_role_consent_its_role_grant() {
        let researchers = Grantee::Role(Role::Researcher);
        let role_entry = PatientEntry {
            consents: ListHead { len: 2, newest: Some(6) },
            role_grants: RoleSet::from_slice(&[Role::Researcher, Role::Payer]),
            representatives: 0,
        };
        // Another consent to the role remains: the role grant stays and the entry is not read.
        let mut consent = granted(5, treatment_read(researchers));
        let mut indexed = key(&[5, 6], &[]);
        let revoked = revoke(patient(), NOW, &mut consent, &mut indexed, &never_read, || panic!("not read"));
        assert_eq!(revoked, Ok(None));
        assert_eq!((consent.status, indexed), (ConsentStatus::Revoked, key(&[6], &[5])), "remembered as revoked");
        // The last live one: the role stays in the patient's role grants while its key remembers a revoked Permit.
        let guardian = account(3);
        let mut consent =
            ConsentEntry { granted_by: guardian, delegation: Some(4), ..granted(6, treatment_read(researchers)) };
        let mut indexed = key(&[6], &[5]);
        let revoked =
            revoke(guardian, NOW, &mut consent, &mut indexed, &|_| vec![delegation(guardian, 4, None)], || {
                panic!("not read")
            });
        assert_eq!(revoked, Ok(None));
        assert_eq!((consent.status, indexed), (ConsentStatus::Revoked, key(&[], &[5, 6])), "by a delegate");
        // A key left with nothing: the role leaves the patient's role grants.
        let mut deny = ConsentEntry { provision: Provision::Deny, ..granted(8, treatment_read(researchers)) };
        let mut indexed = key(&[8], &[]);
        let patient_entry = revoke(patient(), NOW, &mut deny, &mut indexed, &never_read, || role_entry).unwrap();
        assert_eq!(patient_entry, Some(PatientEntry { role_grants: RoleSet::of(Role::Payer), ..role_entry }));
        assert!(indexed.is_empty());
        // The last consent to an account touches no role grant.
        let mut consent = granted(7, treatment_read(Grantee::Account(account(2))));
        let mut indexed = key(&[7], &[]);
        let revoked = revoke(patient(), NOW, &mut consent, &mut indexed, &never_read, || panic!("not read"));
        assert_eq!(revoked, Ok(None));
        assert_eq!(indexed, key(&[], &[7]));
    }

    #[test]
    fn a_key_remembers_its_newest_revoked_permits_only() {
        let doctor = Grantee::Account(account(2));
        // A revoked Deny is not remembered: it explains no refusal.
        let mut deny = ConsentEntry { provision: Provision::Deny, ..granted(3, treatment_read(doctor)) };
        let mut indexed = key(&[3], &[]);
        assert_eq!(revoke(patient(), NOW, &mut deny, &mut indexed, &never_read, || panic!("not read")), Ok(None));
        assert_eq!(indexed, key(&[], &[]), "the key can leave the index");
        assert!(indexed.is_empty());
        // Beyond MAX_REVOKED_PER_KEY the oldest is forgotten.
        let max = u64::from(MAX_REVOKED_PER_KEY);
        let mut indexed = key(&[100], &(1..=max).collect::<Vec<_>>());
        let mut permit = granted(100, treatment_read(doctor));
        assert_eq!(revoke(patient(), NOW, &mut permit, &mut indexed, &never_read, || panic!("not read")), Ok(None));
        let mut expected: Vec<ConsentId> = (2..=max).collect();
        expected.push(100);
        assert_eq!(indexed, KeyConsents { live: vec![], revoked: expected });
        assert!(!indexed.is_empty());
    }

    #[test]
    fn only_the_patient_or_a_delegate_revokes_and_only_once() {
        let original = granted(5, treatment_read(Grantee::Account(account(2))));
        let (mut consent, mut indexed) = (original.clone(), key(&[5], &[]));
        let grantee = account(2);
        let no_delegates = |_: AccountId| vec![];
        let refused = revoke(grantee, NOW, &mut consent, &mut indexed, &no_delegates, PatientEntry::default);
        assert_eq!(refused, Err(Error::NotPatientOrDelegate), "not even the grantee");
        assert_eq!((&consent, &indexed), (&original, &key(&[5], &[])));
        let mut revoked = ConsentEntry { status: ConsentStatus::Revoked, ..original };
        let refused = revoke(patient(), NOW, &mut revoked, &mut indexed, &never_read, PatientEntry::default);
        assert_eq!(refused, Err(Error::AlreadyRevoked));
        assert_eq!(indexed, key(&[5], &[]));
    }

    /// Regression (issue #18): a delegate could revoke the patient's own Deny.
    #[test]
    fn a_delegate_revokes_only_the_consents_it_granted() {
        let (guardian, carer) = (account(3), account(4));
        let delegates = |_: AccountId| vec![delegation(guardian, 1, None), delegation(carer, 2, None)];
        let deny =
            ConsentEntry { provision: Provision::Deny, ..granted(5, treatment_read(Grantee::Account(account(2)))) };
        let by_carer = ConsentEntry { granted_by: carer, delegation: Some(2), ..deny.clone() };
        for original in [deny, by_carer.clone()] {
            let (mut consent, mut indexed) = (original.clone(), key(&[5], &[]));
            let refused = revoke(guardian, NOW, &mut consent, &mut indexed, &delegates, || panic!("not read"));
            assert_eq!(refused, Err(Error::NotOwnGrant));
            assert_eq!((consent, indexed), (original, key(&[5], &[])), "unchanged");
        }
        let (mut consent, mut indexed) = (by_carer, key(&[5], &[]));
        assert_eq!(revoke(carer, NOW, &mut consent, &mut indexed, &delegates, || panic!("not read")), Ok(None));
        assert_eq!((consent.status, indexed), (ConsentStatus::Revoked, key(&[], &[])));
    }

    /// What the index holds under `grantee`'s key for these consents: the active ones live, the revoked Permits
    /// revoked.
    fn key_in(consents: &[ConsentEntry], grantee: Grantee) -> KeyConsents {
        let ids = |revoked: bool| {
            let of_key = consents.iter().filter(move |consent| consent.grantee == grantee);
            of_key
                .filter(move |consent| {
                    (consent.status == ConsentStatus::Revoked) == revoked
                        && (!revoked || consent.provision == Provision::Permit)
                })
                .map(|consent| consent.id)
                .collect()
        };
        KeyConsents { live: ids(false), revoked: ids(true) }
    }

    /// The patient's entry with these role grants and no representative.
    fn entry(role_grants: RoleSet) -> PatientEntry {
        PatientEntry { role_grants, ..PatientEntry::default() }
    }

    /// Reads a consent of these by id.
    fn consent_in(consents: &[ConsentEntry]) -> impl Fn(ConsentId) -> Option<ConsentEntry> + '_ {
        move |id| consents.iter().find(|consent| consent.id == id).cloned()
    }

    /// `accessor` reads the patient's Labs for `purpose`.
    fn reads_labs(accessor: AccountId, purpose: Purpose) -> Access {
        Access { patient: patient(), accessor, purpose, class: DataClass::Labs, action: Action::Read }
    }

    /// `check` of `accessor` reading Labs for `purpose`, with the patient's role grants, the roles `held`, the
    /// accessor's active emergency and the consents of each key as given.
    fn check_with(
        accessor: AccountId,
        purpose: Purpose,
        role_grants: RoleSet,
        held: core::result::Result<RoleSet, Denied>,
        emergency: Option<EmergencyId>,
        consents: &[ConsentEntry],
    ) -> core::result::Result<Basis, Denied> {
        check(
            reads_labs(accessor, purpose),
            NOW,
            || entry(role_grants),
            || panic!("representatives read"),
            |granted, required| {
                assert_eq!((granted, required), (role_grants, purpose.accessor_role()));
                held
            },
            || emergency,
            || panic!("delegates read"),
            |grantee| key_in(consents, grantee),
            consent_in(consents),
        )
    }

    #[test]
    fn the_patient_is_answered_without_a_read() {
        let access = Access {
            patient: patient(),
            accessor: patient(),
            purpose: Purpose::Research,
            class: DataClass::Genomic,
            action: Action::Write,
        };
        let answer = check(
            access,
            NOW,
            || panic!("patient entry read"),
            || panic!("representatives read"),
            |_, _| panic!("participants asked"),
            || panic!("emergency read"),
            || panic!("delegates read"),
            |_| panic!("the index read"),
            |_| panic!("a consent read"),
        );
        assert_eq!(answer, Ok(Basis::Patient));
    }

    #[test]
    fn anyone_else_needs_the_purposes_role_first() {
        let doctor = account(2);
        let permit = granted(5, treatment_read(Grantee::Account(doctor)));
        let none = RoleSet::EMPTY;
        let answer =
            check_with(doctor, Purpose::Treatment, none, Ok(RoleSet::of(Role::Payer)), Some(3), &[permit.clone()]);
        assert_eq!(answer, Err(Denied::RoleNotHeld(Role::Provider)));
        let answer = check_with(doctor, Purpose::Treatment, none, Err(Denied::ParticipantsUnreachable), None, &[]);
        assert_eq!(answer, Err(Denied::ParticipantsUnreachable));
        let provider = Ok(RoleSet::of(Role::Provider));
        assert_eq!(check_with(doctor, Purpose::Treatment, none, provider, None, &[permit]), Ok(Basis::Consent(5)));
    }

    #[test]
    fn an_active_emergency_allows_emergency_reads_only() {
        let doctor = account(2);
        let provider = Ok(RoleSet::of(Role::Provider));
        let deny_all = ConsentEntry {
            provision: Provision::Deny,
            purposes: PurposeSet::from_slice(&Purpose::ALL),
            ..granted(5, treatment_read(Grantee::Account(doctor)))
        };
        let consents = [deny_all];
        let none = RoleSet::EMPTY;
        assert_eq!(check_with(doctor, Purpose::Emergency, none, provider, Some(3), &consents), Ok(Basis::Emergency(3)));
        assert_eq!(
            check_with(doctor, Purpose::Emergency, none, provider, None, &consents),
            Err(Denied::DeniedByConsent(5))
        );
        // Not read for another purpose.
        let access = reads_labs(doctor, Purpose::Treatment);
        let answer = check(
            access,
            NOW,
            || entry(none),
            || panic!("representatives read"),
            |_, _| provider,
            || panic!("emergency read"),
            || panic!("delegates read"),
            |grantee| key_in(&consents, grantee),
            consent_in(&consents),
        );
        assert_eq!(answer, Err(Denied::DeniedByConsent(5)));
        // Nor for a write.
        let access = Access { purpose: Purpose::Emergency, action: Action::Write, ..access };
        let answer = check(
            access,
            NOW,
            || entry(none),
            || panic!("representatives read"),
            |_, _| provider,
            || panic!("emergency read"),
            || panic!("delegates read"),
            |grantee| key_in(&consents, grantee),
            consent_in(&consents),
        );
        assert_eq!(answer, Err(Denied::NoConsent), "the deny names Read only");
    }

    #[test]
    fn the_accessors_consents_then_those_to_its_roles_decide() {
        let researcher = account(4);
        let research = |id, grantee, provision| ConsentEntry {
            provision,
            purposes: PurposeSet::of(Purpose::Research),
            ..granted(id, treatment_read(grantee))
        };
        let own = research(1, Grantee::Account(researcher), Provision::Permit);
        let to_researchers = research(2, Grantee::Role(Role::Researcher), Provision::Permit);
        let deny_payers = research(3, Grantee::Role(Role::Payer), Provision::Deny);
        let researchers = RoleSet::of(Role::Researcher);
        let granted_roles = RoleSet::from_slice(&[Role::Researcher, Role::Payer]);
        let consents = [own.clone(), to_researchers.clone(), deny_payers.clone()];
        // The account's permit comes first; a deny to a role the accessor lacks says nothing.
        let answer = check_with(researcher, Purpose::Research, granted_roles, Ok(researchers), None, &consents);
        assert_eq!(answer, Ok(Basis::Consent(1)));
        // Held, the payers' deny beats both permits.
        let both = Ok(granted_roles);
        assert_eq!(
            check_with(researcher, Purpose::Research, granted_roles, both, None, &consents),
            Err(Denied::DeniedByConsent(3))
        );
        // Roles the patient granted nothing to are not read; a role permit counts once the role is held.
        let only_role = [to_researchers.clone()];
        assert_eq!(
            check_with(researcher, Purpose::Research, researchers, Ok(researchers), None, &only_role),
            Ok(Basis::Consent(2))
        );
        assert_eq!(
            check_with(researcher, Purpose::Research, RoleSet::EMPTY, Ok(researchers), None, &only_role),
            Err(Denied::NoConsent)
        );
        // A role permit the accessor lacks explains the refusal.
        let payer_permit = [research(4, Grantee::Role(Role::Payer), Provision::Permit)];
        let payers = RoleSet::of(Role::Payer);
        let answer = check_with(researcher, Purpose::Research, payers, Ok(researchers), None, &payer_permit);
        assert_eq!(answer, Err(Denied::RoleNotHeld(Role::Payer)));
    }

    #[test]
    fn unmatched_consents_say_nothing_and_reading_stops_at_a_deny() {
        let doctor = account(2);
        let provider = Ok(RoleSet::of(Role::Provider));
        let write_only = ConsentEntry {
            actions: ActionSet::of(Action::Write),
            ..granted(2, treatment_read(Grantee::Account(doctor)))
        };
        let sensitive = ConsentEntry {
            classes: DataClassSet::of(DataClass::MentalHealth),
            ..granted(3, treatment_read(Grantee::Account(doctor)))
        };
        let none = RoleSet::EMPTY;
        let unmatched = [write_only.clone(), sensitive.clone()];
        assert_eq!(check_with(doctor, Purpose::Treatment, none, provider, None, &unmatched), Err(Denied::NoConsent));
        // Nor does a revoked consent still listed live (the index never keeps one, but check does not trust it).
        let stale =
            ConsentEntry { status: ConsentStatus::Revoked, ..granted(1, treatment_read(Grantee::Account(doctor))) };
        let consents = [stale];
        let answer = check(
            reads_labs(doctor, Purpose::Treatment),
            NOW,
            || entry(none),
            || panic!("representatives read"),
            |_, _| provider,
            || None,
            || panic!("delegates read"),
            |_| key(&[1], &[]),
            consent_in(&consents),
        );
        assert_eq!(answer, Err(Denied::NoConsent));
        let deny = ConsentEntry { provision: Provision::Deny, ..granted(4, treatment_read(Grantee::Account(doctor))) };
        let answer = check(
            reads_labs(doctor, Purpose::Treatment),
            NOW,
            || entry(RoleSet::of(Role::Payer)),
            || panic!("representatives read"),
            |_, _| provider,
            || None,
            || panic!("delegates read"),
            |grantee| {
                assert_eq!(grantee, Grantee::Account(doctor), "no role key is read after a deny");
                key(&[4, 99], &[98])
            },
            |id| {
                assert_eq!(id, 4, "no consent is read after a deny, nor a revoked one");
                Some(deny.clone())
            },
        );
        assert_eq!(answer, Err(Denied::DeniedByConsent(4)));
    }

    /// Regression (issue #18): the patient denies Dr X "everything" (the broad flag) and permits Providers all their
    /// sensitive classes: Dr X still cannot read MentalHealth, nor any other class, under the role Permit.
    #[test]
    fn a_broad_deny_covers_the_sensitive_classes_too() {
        let doctor = account(2);
        let provider = Ok(RoleSet::of(Role::Provider));
        let deny_everything = ConsentEntry {
            provision: Provision::Deny,
            classes: DataClassSet::GENERAL,
            ..granted(1, treatment_read(Grantee::Account(doctor)))
        };
        let sensitive = DataClassSet::from_slice(&DataClass::ALL).with(DataClass::MentalHealth);
        let providers =
            ConsentEntry { classes: sensitive, ..granted(2, treatment_read(Grantee::Role(Role::Provider))) };
        let consents = [deny_everything, providers];
        let grants = RoleSet::of(Role::Provider);
        for class in DataClass::ALL {
            let access = Access { class, ..reads_labs(doctor, Purpose::Treatment) };
            let answer = check(
                access,
                NOW,
                || entry(grants),
                || panic!("representatives read"),
                |_, _| provider,
                || None,
                || panic!("delegates read"),
                |grantee| key_in(&consents, grantee),
                consent_in(&consents),
            );
            assert_eq!(answer, Err(Denied::DeniedByConsent(1)), "{class:?}");
        }
        // Another provider is allowed by the role permit, sensitive classes included: they are named.
        let colleague = account(3);
        let access = Access { class: DataClass::MentalHealth, ..reads_labs(colleague, Purpose::Treatment) };
        let answer = check(
            access,
            NOW,
            || entry(grants),
            || panic!("representatives read"),
            |_, _| provider,
            || None,
            || panic!("delegates read"),
            |grantee| key_in(&consents, grantee),
            consent_in(&consents),
        );
        assert_eq!(answer, Ok(Basis::Consent(2)));
    }

    #[test]
    fn a_revoked_permit_explains_a_refusal_as_revoked() {
        let doctor = account(2);
        let provider = Ok(RoleSet::of(Role::Provider));
        let none = RoleSet::EMPTY;
        let to_doctor = |id| granted(id, treatment_read(Grantee::Account(doctor)));
        let revoked = |id| ConsentEntry { status: ConsentStatus::Revoked, ..to_doctor(id) };
        let answer = |consents: &[ConsentEntry]| check_with(doctor, Purpose::Treatment, none, provider, None, consents);
        // The only consent that allowed it was revoked.
        assert_eq!(answer(&[revoked(1)]), Err(Denied::Revoked(1)));
        // The newest revoked one that speaks to the access explains it.
        let write_only = ConsentEntry { actions: ActionSet::of(Action::Write), ..revoked(3) };
        assert_eq!(answer(&[revoked(1), revoked(2), write_only.clone()]), Err(Denied::Revoked(2)));
        assert_eq!(answer(&[write_only]), Err(Denied::NoConsent), "a revoked permit for something else");
        // More telling than an ended permit, less than one not yet valid.
        let ended = ConsentEntry { start: NOW - 10, end: Some(NOW), ..to_doctor(4) };
        assert_eq!(answer(&[ended.clone(), revoked(1)]), Err(Denied::Revoked(1)));
        let later = ConsentEntry { start: NOW + 10, ..to_doctor(5) };
        assert_eq!(answer(&[ended, later, revoked(1)]), Err(Denied::NotYetValid(5)));
        // A role key's revoked permits explain too, while the key is read.
        let researcher = account(4);
        let research = |id| ConsentEntry {
            purposes: PurposeSet::of(Purpose::Research),
            ..granted(id, treatment_read(Grantee::Role(Role::Researcher)))
        };
        let revoked_research = ConsentEntry { status: ConsentStatus::Revoked, ..research(6) };
        let other_class = ConsentEntry { classes: DataClassSet::of(DataClass::Genomic), ..research(7) };
        let researchers = RoleSet::of(Role::Researcher);
        assert_eq!(
            check_with(
                researcher,
                Purpose::Research,
                researchers,
                Ok(researchers),
                None,
                &[revoked_research, other_class]
            ),
            Err(Denied::Revoked(6))
        );
        // Not for an accessor without the role: it would not have allowed the access.
        let revoked_research = ConsentEntry { status: ConsentStatus::Revoked, ..research(6) };
        let research_grants = RoleSet::from_slice(&[Role::Researcher, Role::Payer]);
        let payer = Ok(RoleSet::of(Role::Researcher).with(Role::Payer).without(Role::Researcher));
        let consents = [revoked_research];
        let access = reads_labs(account(5), Purpose::Payment);
        let answer = check(
            Access { purpose: Purpose::Payment, ..access },
            NOW,
            || entry(research_grants),
            || panic!("representatives read"),
            |_, _| payer,
            || None,
            || panic!("delegates read"),
            |grantee| key_in(&consents, grantee),
            |_| panic!("a revoked consent to a role not held is not read"),
        );
        assert_eq!(answer, Err(Denied::NoConsent));
    }

    /// A delegate's grant counts only while its delegation is live; the patient's delegations are read once, and
    /// only when such a grant matches the access.
    #[test]
    fn a_delegates_grant_counts_while_its_delegation_is_live() {
        let (doctor, guardian) = (account(2), account(3));
        let provider = Ok(RoleSet::of(Role::Provider));
        let by_guardian = |id, delegation_id| ConsentEntry {
            granted_by: guardian,
            delegation: Some(delegation_id),
            ..granted(id, treatment_read(Grantee::Account(doctor)))
        };
        let write_only = ConsentEntry { actions: ActionSet::of(Action::Write), ..by_guardian(1, 4) };
        let by_patient = granted(2, treatment_read(Grantee::Account(doctor)));
        let consents = [write_only, by_guardian(3, 4), by_guardian(5, 9), by_patient];
        let reads = core::cell::Cell::new(0);
        let answer = |delegates: DelegateList, now: Timestamp| {
            reads.set(0);
            check(
                reads_labs(doctor, Purpose::Treatment),
                now,
                || entry(RoleSet::EMPTY),
                || panic!("representatives read"),
                |_, _| provider,
                || None,
                || {
                    reads.set(reads.get() + 1);
                    delegates
                },
                |grantee| key_in(&consents, grantee),
                consent_in(&consents),
            )
        };
        assert_eq!(answer(vec![delegation(guardian, 4, Some(NOW + 1))], NOW), Ok(Basis::Consent(3)));
        assert_eq!(reads.get(), 1, "read once, for the first matching grant of a delegate");
        // Removed (or replaced by delegation 9): 3 says nothing, 5 counts under 9; the patient's own stays.
        assert_eq!(answer(vec![delegation(guardian, 9, None)], NOW), Ok(Basis::Consent(5)));
        assert_eq!(reads.get(), 1);
        assert_eq!(answer(vec![], NOW), Ok(Basis::Consent(2)));
        assert_eq!(answer(vec![delegation(guardian, 4, Some(NOW))], NOW), Ok(Basis::Consent(2)), "expired");
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn revoked_permits_are_read_only_when_they_could_explain() {
        let doctor = account(2);
        let provider = Ok(RoleSet::of(Role::Provider));
        let permit = granted(1, treatment_read(Grantee::Account(doctor)));
        let later = ConsentEntry { start: NOW + 10, ..granted(2, treatment_read(Grantee::Account(doctor))) };
        for (live, expected) in [(permit, Ok(Basis::Consent(1))), (later, Err(Denied::NotYetValid(2)))] {
            let answer = check(
                reads_labs(doctor, Purpose::Treatment),
                NOW,
                || entry(RoleSet::EMPTY),
                || panic!("representatives read"),
                |_, _| provider,
                || None,
                || panic!("delegates read"),
                |_| key(&[live.id], &[98, 99]),
                |id| {
                    assert_eq!(id, live.id, "the revoked ones are not read");
                    Some(live.clone())
                },
            );
            assert_eq!(answer, expected);
        }
        // At most MAX_REVOKED_PER_KEY per key are read, newest first, stopping at the first that explains.
        let read = core::cell::RefCell::new(Vec::new());
        let revoked = |id| ConsentEntry {
            status: ConsentStatus::Revoked,
            ..granted(id, treatment_read(Grantee::Account(doctor)))
        };
        let answer = check(
            reads_labs(doctor, Purpose::Treatment),
            NOW,
            || entry(RoleSet::EMPTY),
            || panic!("representatives read"),
            |_, _| provider,
            || None,
            || panic!("delegates read"),
            |_| key(&[], &[1, 2, 3]),
            |id| {
                read.borrow_mut().push(id);
                // Only 2 speaks to the access (3 is for writes).
                Some(if id == 2 {
                    revoked(id)
                } else {
                    ConsentEntry { actions: ActionSet::of(Action::Write), ..revoked(id) }
                })
            },
        );
        assert_eq!(answer, Err(Denied::Revoked(2)));
        assert_eq!(read.into_inner(), vec![3, 2]);
    }

    #[test]
    fn a_delegates_grant_reads_as_ended_with_its_delegation() {
        use crate::delegation::tests::delegation;
        let by_delegate =
            |id, delegation| ConsentEntry { delegation, ..granted(id, treatment_read(Grantee::Account(account(2)))) };
        let revoked = ConsentEntry { status: ConsentStatus::Revoked, ..by_delegate(3, Some(9)) };
        let mut consents =
            vec![by_delegate(1, Some(7)), by_delegate(2, Some(8)), revoked.clone(), by_delegate(4, None)];
        let mut reads = 0;
        as_read(&mut consents, NOW, || {
            reads += 1;
            vec![delegation(account(5), 7, None), delegation(account(6), 8, Some(NOW))]
        });
        let statuses: Vec<ConsentStatus> = consents.iter().map(|consent| consent.status).collect();
        assert_eq!(
            statuses,
            [ConsentStatus::Active, ConsentStatus::DelegationEnded, ConsentStatus::Revoked, ConsentStatus::Active]
        );
        assert_eq!(reads, 1, "the delegations are read once");
        let mut patients = vec![by_delegate(4, None)];
        as_read(&mut patients, NOW, || panic!("no delegate's grant: nothing read"));
        assert_eq!(patients[0].status, ConsentStatus::Active);
    }
}
