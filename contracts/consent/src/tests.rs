//! Unit tests: every rule and every refusal of the consent contract. Participants is stubbed with
//! `interfaces::stubs` (ink 5's off-chain environment cannot call other contracts).

use crate::{
    consent::*,
    delegation::tests::{delegation, treatment_read_scope},
    rules::{
        tests::{stored, treatment_read},
        GrantRequest,
    },
};
use ink::primitives::{AccountId, Hash};
use interfaces::{
    governance::{AdminChanged, Dependency, DependencyChanged},
    stubs,
    testing::{accounts, addr, as_caller, at, events, last_event, last_of, last_topics, refused, DAY},
    Action, ActionSet, Basis, ConsentCheck as _, ConsentId, DataClass, DataClassSet, Denied, EmergencyId, Hash32,
    Purpose, PurposeSet, Representatives as _, Role,
};

type Timestamp = u64;

const NOW: Timestamp = 10 * DAY;
const DOC: Hash32 = [9; 32];
const REASON: Hash32 = [4; 32];

struct World {
    contract: Consent,
    participants: AccountId,
    admin: AccountId,
    patient: AccountId,
    doctor: AccountId,
    guardian: AccountId,
    stranger: AccountId,
    researcher: AccountId,
}

/// The admin deploys at day 10; participants says the doctor is a Provider and the researcher a Researcher.
fn world() -> World {
    let accounts = accounts();
    let participants = addr(0x50);
    stubs::set_roles(participants, accounts.charlie, &[Role::Provider]);
    stubs::set_roles(participants, accounts.frank, &[Role::Researcher]);
    at(NOW);
    as_caller(accounts.alice);
    let contract = Consent::new(accounts.alice, participants);
    World {
        contract,
        participants,
        admin: accounts.alice,
        patient: accounts.bob,
        doctor: accounts.charlie,
        guardian: accounts.django,
        stranger: accounts.eve,
        researcher: accounts.frank,
    }
}

fn purposes(list: &[Purpose]) -> PurposeSet {
    PurposeSet::from_slice(list)
}

fn read() -> ActionSet {
    ActionSet::of(Action::Read)
}

/// A grant of the world's patient as `grant` takes it. `Grant::to(&w, grantee)` is the rules tests' request
/// ([`treatment_read`]: Read of the general classes for Treatment, open-ended) from now; a test changes only what
/// differs and says who asks for it.
#[derive(Clone)]
struct Grant(GrantRequest);

impl Grant {
    fn to(w: &World, grantee: Grantee) -> Self {
        Grant(GrantRequest { patient: w.patient, start: NOW, ..treatment_read(grantee) })
    }

    fn deny(&self) -> Self {
        Grant(GrantRequest { provision: Provision::Deny, ..self.0.clone() })
    }

    fn purposes(&self, purposes: PurposeSet) -> Self {
        Grant(GrantRequest { purposes, ..self.0.clone() })
    }

    fn classes(&self, classes: DataClassSet) -> Self {
        Grant(GrantRequest { classes, ..self.0.clone() })
    }

    fn actions(&self, actions: ActionSet) -> Self {
        Grant(GrantRequest { actions, ..self.0.clone() })
    }

    /// Valid in `[start, end)`.
    fn period(&self, start: Timestamp, end: Option<Timestamp>) -> Self {
        Grant(GrantRequest { start, end, ..self.0.clone() })
    }

    /// `by` asks for it (the patient, a delegate or anyone else).
    fn by(&self, w: &mut World, by: AccountId) -> Result<ConsentId> {
        let GrantRequest { patient, grantee, provision, purposes, classes, actions, start, end, document_hash } =
            self.0.clone();
        as_caller(by);
        w.contract.grant(patient, grantee, provision, purposes, classes, actions, start, end, document_hash)
    }

    /// The patient asks for it.
    fn by_patient(&self, w: &mut World) -> Result<ConsentId> {
        let patient = w.patient;
        self.by(w, patient)
    }
}

/// The patient permits `grantee` to Read the general classes for Treatment, open-ended from now.
fn permit_treatment(w: &mut World, grantee: Grantee) -> ConsentId {
    Grant::to(w, grantee).by_patient(w).unwrap()
}

fn check(
    w: &World,
    accessor: AccountId,
    purpose: Purpose,
    class: DataClass,
    action: Action,
) -> core::result::Result<Basis, Denied> {
    w.contract.check(w.patient, accessor, purpose, class, action)
}

fn doctor_reads_labs(w: &World) -> core::result::Result<Basis, Denied> {
    check(w, w.doctor, Purpose::Treatment, DataClass::Labs, Action::Read)
}

// ---- governance ----

#[ink::test]
fn deployer_is_admin_and_governance_is_guarded() {
    let mut w = world();
    assert_eq!(w.contract.admin(), w.admin);
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), w.participants);
    assert_eq!(w.contract.emergency_duration(), DEFAULT_EMERGENCY_DURATION);
    assert_eq!(DEFAULT_EMERGENCY_DURATION, DAY);

    as_caller(w.stranger);
    refused(Error::NotAdmin, || w.contract.propose_admin(w.stranger));
    refused(Error::NotProposedAdmin, || w.contract.accept_admin());
    refused(Error::NotAdmin, || w.contract.upgrade(Hash::from([1; 32])));
    refused(Error::NotAdmin, || w.contract.set_dependency(Dependency::Participants, w.stranger));
    refused(Error::NotAdmin, || w.contract.set_emergency_duration(DAY));
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), w.participants);

    as_caller(w.admin);
    refused(Error::InvalidDuration, || w.contract.set_emergency_duration(0));
    assert_eq!(w.contract.emergency_duration(), DAY);
    w.contract.set_emergency_duration(DAY / 4).unwrap();
    assert_eq!(w.contract.emergency_duration(), DAY / 4);
    assert_eq!(
        last_event::<EmergencyDurationChanged>(),
        EmergencyDurationChanged { admin: w.admin, duration_ms: DAY / 4 }
    );

    let other = addr(0x51);
    w.contract.set_dependency(Dependency::Participants, other).unwrap();
    refused(Error::NotADependency, || w.contract.set_dependency(Dependency::Records, other));
    refused(Error::NotADependency, || w.contract.set_dependency(Dependency::Consent, other));
    assert_eq!((w.contract.dependency(Dependency::Records), w.contract.dependency(Dependency::Consent)), (None, None));
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), other);
    assert_eq!(
        last_event::<DependencyChanged>(),
        DependencyChanged { dependency: Dependency::Participants, address: other }
    );

    w.contract.propose_admin(w.guardian).unwrap();
    assert_eq!(w.contract.proposed_admin(), Some(w.guardian));
    assert_eq!(w.contract.admin(), w.admin, "nothing changes before acceptance");
    as_caller(w.guardian);
    w.contract.accept_admin().unwrap();
    assert_eq!(last_event::<AdminChanged>(), AdminChanged { previous: w.admin, admin: w.guardian });
    assert_eq!(w.contract.admin(), w.guardian);
    as_caller(w.admin);
    refused(Error::NotAdmin, || w.contract.set_emergency_duration(DAY));
}

// ---- grant ----

#[ink::test]
fn the_patient_grants_and_the_grantee_is_allowed() {
    let mut w = world();
    let before = events();
    let asked = Grant::to(&w, Grantee::Account(w.doctor));
    let id = asked.by_patient(&mut w).unwrap();
    assert_eq!(id, 1);
    assert_eq!(events(), before + 1);
    assert_eq!(last_topics().len(), 3, "the event's signature, the patient and the grantee");
    assert_eq!(
        last_event::<ConsentGranted>(),
        ConsentGranted {
            patient: w.patient,
            grantee: Grantee::Account(w.doctor),
            consent: id,
            provision: Provision::Permit,
            granted_by: w.patient
        }
    );
    // What was asked for (the general classes, Read, for Treatment, from now on), granted by the patient now.
    assert_eq!(w.contract.consent(id).unwrap(), stored(id, &asked.0, w.patient, NOW, None));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));
    // Only what was granted: not Write, not another purpose, not another accessor.
    assert_eq!(check(&w, w.doctor, Purpose::Treatment, DataClass::Labs, Action::Write), Err(Denied::NoConsent));
    assert_eq!(check(&w, w.doctor, Purpose::Operations, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
    let other_doctor = addr(0x52);
    stubs::set_roles(w.participants, other_doctor, &[Role::Provider]);
    assert_eq!(check(&w, other_doctor, Purpose::Treatment, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
    assert_eq!(w.contract.consent(id + 1), None);
}

#[ink::test]
fn the_patient_always_reads_their_own_data() {
    let w = world();
    stubs::remove(w.participants);
    assert_eq!(check(&w, w.patient, Purpose::Treatment, DataClass::Genomic, Action::Write), Ok(Basis::Patient));
}

#[ink::test]
fn only_the_patient_or_an_active_delegate_grants() {
    let mut w = world();
    let (patient, doctor, stranger) = (w.patient, w.doctor, w.stranger);
    let before = events();
    for by in [stranger, doctor] {
        assert_eq!(Grant::to(&w, Grantee::Account(stranger)).by(&mut w, by), Err(Error::NotPatientOrDelegate));
    }
    assert_eq!(events(), before);
    assert_eq!(w.contract.consents_of(patient, None, 10).items.len(), 0);
    stubs::set_roles(w.participants, stranger, &[Role::Provider]);
    assert_eq!(check(&w, stranger, Purpose::Treatment, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
}

#[ink::test]
fn bad_grants_are_refused_and_change_nothing() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let d = Grantee::Account(doctor);
    let ok = Grant::to(&w, d);
    let before = events();
    let cases = [
        (ok.purposes(PurposeSet::EMPTY), Error::EmptyPurposes),
        (ok.classes(DataClassSet::EMPTY), Error::EmptyClasses),
        (ok.actions(ActionSet::EMPTY), Error::EmptyActions),
        (ok.purposes(PurposeSet(1 << 7)), Error::MalformedPurposeSet),
        (ok.classes(DataClassSet(1 << 12)), Error::MalformedClassSet),
        (ok.actions(ActionSet(0b101)), Error::MalformedActionSet),
        (ok.period(NOW + DAY, Some(NOW + DAY)), Error::InvalidPeriod),
        (ok.period(NOW + DAY, Some(NOW)), Error::InvalidPeriod),
        (ok.period(NOW - 2 * DAY, Some(NOW)), Error::PeriodEnded),
        (Grant::to(&w, Grantee::Account(patient)), Error::SelfGrant),
        (Grant::to(&w, Grantee::Role(Role::Issuer)), Error::InvalidGrantee),
    ];
    for (grant, error) in cases {
        assert_eq!(grant.by_patient(&mut w), Err(error));
    }
    assert_eq!(events(), before);
    assert_eq!(w.contract.consents_of(patient, None, 50), interfaces::Page { items: vec![], next: None, len: 0 });
    assert_eq!(w.contract.consent(1), None);
    // The first good grant still gets id 1.
    assert_eq!(permit_treatment(&mut w, d), 1);
}

// ---- periods ----

#[ink::test]
fn a_future_consent_is_not_yet_valid_then_applies_then_expires() {
    let mut w = world();
    let doctor = Grantee::Account(w.doctor);
    let id = Grant::to(&w, doctor).period(NOW + DAY, Some(NOW + 3 * DAY)).by_patient(&mut w).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NotYetValid(id)));
    at(NOW + DAY);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));
    at(NOW + 3 * DAY - 1);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));
    at(NOW + 3 * DAY);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Expired(id)));
    assert_eq!(w.contract.consent(id).unwrap().status, ConsentStatus::Active, "expiry is derived from time");
}

// ---- sensitive classes ----

#[ink::test]
fn sensitive_classes_are_never_implied_by_a_broad_grant() {
    let mut w = world();
    let doctor = w.doctor;
    let broad = permit_treatment(&mut w, Grantee::Account(doctor));
    for class in DataClass::ALL {
        let expected = if class.is_sensitive() { Err(Denied::NoConsent) } else { Ok(Basis::Consent(broad)) };
        assert_eq!(check(&w, doctor, Purpose::Treatment, class, Action::Read), expected, "{class:?}");
    }
    let mental_health = Grant::to(&w, Grantee::Account(doctor)).classes(DataClassSet::of(DataClass::MentalHealth));
    let named = mental_health.by_patient(&mut w).unwrap();
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read), Ok(Basis::Consent(named)));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Genomic, Action::Read), Err(Denied::NoConsent));
}

// ---- deny beats permit ----

#[ink::test]
fn deny_beats_permit() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let mental_health = DataClassSet::of(DataClass::MentalHealth);
    // "Treatment, including mental health, except mental health notes by this doctor": a permit and a deny.
    let to_doctor = Grant::to(&w, Grantee::Account(doctor));
    let permit = to_doctor.classes(DataClassSet::GENERAL.with(DataClass::MentalHealth)).by_patient(&mut w).unwrap();
    assert_eq!(
        check(&w, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read),
        Ok(Basis::Consent(permit))
    );
    let deny = to_doctor.deny().classes(mental_health).period(NOW, Some(NOW + DAY)).by_patient(&mut w).unwrap();
    assert_eq!(last_event::<ConsentGranted>().provision, Provision::Deny);
    assert_eq!(
        check(&w, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(permit)), "the deny names mental health only");
    // A deny to the doctor's role beats a permit to the doctor's account too.
    let providers = Grant::to(&w, Grantee::Role(Role::Provider));
    let role_deny = providers.deny().classes(DataClassSet::of(DataClass::Labs)).by_patient(&mut w).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::DeniedByConsent(role_deny)));
    // Once the deny ends the permit applies again.
    as_caller(patient);
    w.contract.revoke(role_deny).unwrap();
    at(NOW + DAY);
    assert_eq!(
        check(&w, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read),
        Ok(Basis::Consent(permit))
    );
}

/// Regression (issue #18): the patient denies Dr X "everything" (no class restriction: the broad flag); a role
/// Permit to Providers naming MentalHealth no longer lets Dr X read it, nor any sensitive class (FHIR: a deny with no
/// class restriction covers all). Other providers keep the role Permit.
#[ink::test]
fn a_deny_of_everything_covers_the_sensitive_classes() {
    let mut w = world();
    let doctor = w.doctor;
    let all_named = DataClassSet::from_slice(&DataClass::ALL);
    let providers = Grant::to(&w, Grantee::Role(Role::Provider)).classes(all_named).by_patient(&mut w).unwrap();
    let mental_health =
        |w: &World, accessor| check(w, accessor, Purpose::Treatment, DataClass::MentalHealth, Action::Read);
    assert_eq!(mental_health(&w, doctor), Ok(Basis::Consent(providers)));
    let deny =
        Grant::to(&w, Grantee::Account(doctor)).deny().classes(DataClassSet::GENERAL).by_patient(&mut w).unwrap();
    for class in DataClass::ALL {
        assert_eq!(
            check(&w, doctor, Purpose::Treatment, class, Action::Read),
            Err(Denied::DeniedByConsent(deny)),
            "{class:?}"
        );
    }
    let colleague = addr(0x52);
    stubs::set_roles(w.participants, colleague, &[Role::Provider]);
    assert_eq!(mental_health(&w, colleague), Ok(Basis::Consent(providers)));
    // A broad Permit still implies no sensitive class: the doctor's own broad permit changes nothing.
    as_caller(w.patient);
    w.contract.revoke(deny).unwrap();
    w.contract.revoke(providers).unwrap();
    let broad = permit_treatment(&mut w, Grantee::Account(doctor));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(broad)));
    assert_eq!(mental_health(&w, doctor), Err(Denied::Revoked(providers)), "only the revoked role permit named it");
}

// ---- revoke ----

#[ink::test]
fn a_revoked_consent_never_grants_again() {
    let mut w = world();
    let (patient, doctor, stranger) = (w.patient, w.doctor, w.stranger);
    let id = permit_treatment(&mut w, Grantee::Account(doctor));

    as_caller(stranger);
    let before = events();
    refused(Error::NotPatientOrDelegate, || w.contract.revoke(id));
    as_caller(doctor);
    assert_eq!(w.contract.revoke(id), Err(Error::NotPatientOrDelegate), "the grantee cannot revoke");
    as_caller(patient);
    refused(Error::ConsentNotFound, || w.contract.revoke(id + 7));
    assert_eq!(events(), before);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));

    w.contract.revoke(id).unwrap();
    assert_eq!(
        last_event::<ConsentRevoked>(),
        ConsentRevoked { patient, grantee: Grantee::Account(doctor), consent: id, revoked_by: patient }
    );
    assert_eq!(w.contract.consent(id).unwrap().status, ConsentStatus::Revoked);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Revoked(id)));
    refused(Error::AlreadyRevoked, || w.contract.revoke(id));
    at(NOW + 5 * DAY);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Revoked(id)));
    // Still listed in the patient's history.
    assert_eq!(w.contract.consents_of(patient, None, 10).items[0].status, ConsentStatus::Revoked);
}

/// Regression (issue #18): `Denied::Revoked` was never produced. A refusal that a revoked Permit explains says so;
/// one it would not have allowed still says NoConsent; a revoked Deny explains nothing; a new consent applies again.
#[ink::test]
fn check_says_revoked_for_what_a_revoked_permit_allowed() {
    let mut w = world();
    let (patient, doctor, researcher) = (w.patient, w.doctor, w.researcher);
    let first = permit_treatment(&mut w, Grantee::Account(doctor));
    as_caller(patient);
    w.contract.revoke(first).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Revoked(first)));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Labs, Action::Write), Err(Denied::NoConsent));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::MentalHealth, Action::Read), Err(Denied::NoConsent));
    // The newest revoked one explains; a later consent applies again.
    let second = permit_treatment(&mut w, Grantee::Account(doctor));
    as_caller(patient);
    w.contract.revoke(second).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Revoked(second)));
    let third = permit_treatment(&mut w, Grantee::Account(doctor));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(third)));
    // A revoked Deny is not a reason to refuse.
    let deny = Grant::to(&w, Grantee::Account(doctor)).deny().classes(DataClassSet::of(DataClass::Genomic));
    let deny = deny.by_patient(&mut w).unwrap();
    as_caller(patient);
    w.contract.revoke(deny).unwrap();
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Genomic, Action::Read), Err(Denied::NoConsent));
    // Only the newest MAX_REVOKED_PER_KEY are remembered, so check's reads stay bounded.
    let mut revoked = vec![];
    for _ in 0..MAX_REVOKED_PER_KEY {
        let stranger = Grantee::Account(w.stranger);
        let id = permit_treatment(&mut w, stranger);
        as_caller(patient);
        w.contract.revoke(id).unwrap();
        revoked.push(id);
    }
    stubs::set_roles(w.participants, w.stranger, &[Role::Provider]);
    let stranger_reads = |w: &World| check(w, w.stranger, Purpose::Treatment, DataClass::Labs, Action::Read);
    assert_eq!(stranger_reads(&w), Err(Denied::Revoked(*revoked.last().unwrap())));
    // A role consent: Revoked while the patient still has a live consent to the role.
    let research = Grant::to(&w, Grantee::Role(Role::Researcher)).purposes(purposes(&[Purpose::Research]));
    let labs = research.by_patient(&mut w).unwrap();
    let genomic = research.classes(DataClassSet::of(DataClass::Genomic)).by_patient(&mut w).unwrap();
    as_caller(patient);
    w.contract.revoke(labs).unwrap();
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read), Err(Denied::Revoked(labs)));
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Genomic, Action::Read), Ok(Basis::Consent(genomic)));
    // And once the last one to the role is revoked too.
    w.contract.revoke(genomic).unwrap();
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read), Err(Denied::Revoked(labs)));
    assert_eq!(
        check(&w, researcher, Purpose::Research, DataClass::Genomic, Action::Read),
        Err(Denied::Revoked(genomic))
    );
}

// ---- delegates ----

/// The caller adds `delegate` for the world's patient with the scope of the delegation tests (Treatment, the general
/// classes, Read) until `expires`.
fn add_delegate(w: &mut World, delegate: AccountId, expires: Option<Timestamp>) -> Result<()> {
    let DelegateScope { purposes, classes, actions } = treatment_read_scope();
    w.contract.add_delegate(w.patient, delegate, purposes, classes, actions, expires)
}

/// What `add_delegate` by the patient emits for that scope.
fn delegate_added(
    patient: AccountId,
    delegate: AccountId,
    delegation: u64,
    expires: Option<Timestamp>,
) -> DelegateAdded {
    let DelegateScope { purposes, classes, actions } = treatment_read_scope();
    DelegateAdded { patient, delegate, delegation, purposes, classes, actions, expires, added_by: patient }
}

#[ink::test]
fn a_delegate_grants_and_revokes_for_the_patient_until_it_expires() {
    let mut w = world();
    let (patient, guardian, doctor) = (w.patient, w.guardian, w.doctor);
    as_caller(patient);
    add_delegate(&mut w, guardian, Some(NOW + DAY)).unwrap();
    assert_eq!(last_event::<DelegateAdded>(), delegate_added(patient, guardian, 1, Some(NOW + DAY)));
    assert_eq!(w.contract.delegates(patient), vec![delegation(guardian, 1, Some(NOW + DAY))]);

    let until_expiry = Grant::to(&w, Grantee::Account(doctor)).period(NOW, Some(NOW + DAY));
    let id = until_expiry.by(&mut w, guardian).unwrap();
    let granted = w.contract.consent(id).unwrap();
    assert_eq!((granted.granted_by, granted.delegation), (guardian, Some(1)));
    assert_eq!(last_event::<ConsentGranted>().granted_by, guardian);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));
    as_caller(guardian);
    w.contract.revoke(id).unwrap();
    assert_eq!(last_event::<ConsentRevoked>().revoked_by, guardian);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Revoked(id)));
    let other = permit_treatment(&mut w, Grantee::Account(doctor));

    at(NOW + DAY);
    assert_eq!(w.contract.delegates(patient), vec![], "an expired delegate is not listed");
    let before = events();
    let from_now = Grant::to(&w, Grantee::Account(doctor)).period(NOW + DAY, None);
    assert_eq!(from_now.by(&mut w, guardian), Err(Error::NotPatientOrDelegate));
    as_caller(guardian);
    refused(Error::NotPatientOrDelegate, || w.contract.revoke(other));
    as_caller(patient);
    refused(Error::DelegateNotFound, || w.contract.remove_delegate(patient, guardian));
    assert_eq!(events(), before);
}

#[ink::test]
fn a_delegate_cannot_add_or_remove_delegates_of_the_patient() {
    let mut w = world();
    let (patient, guardian, stranger) = (w.patient, w.guardian, w.stranger);
    as_caller(patient);
    add_delegate(&mut w, guardian, None).unwrap();
    // Only the patient or a representative adds or removes the patient's delegates: not a delegate, nor a stranger.
    for caller in [guardian, stranger] {
        as_caller(caller);
        refused(Error::NotPatientOrRepresentative, || w.contract.remove_delegate(patient, guardian));
        refused(Error::NotPatientOrRepresentative, || add_delegate(&mut w, stranger, None));
    }
    assert_eq!(w.contract.delegates(patient), vec![delegation(guardian, 1, None)]);
    // The guardian's own delegate is the guardian's: it does not act for the patient.
    as_caller(guardian);
    let DelegateScope { purposes, classes, actions } = treatment_read_scope();
    w.contract.add_delegate(guardian, stranger, purposes, classes, actions, None).unwrap();
    assert_eq!(w.contract.delegates(guardian), vec![delegation(stranger, 2, None)]);
    assert_eq!(
        Grant::to(&w, Grantee::Account(stranger)).by(&mut w, stranger),
        Err(Error::NotPatientOrDelegate),
        "a delegate's delegate does not act for the patient"
    );
}

#[ink::test]
fn delegates_are_bounded_validated_and_removable() {
    let mut w = world();
    let (patient, guardian) = (w.patient, w.guardian);
    as_caller(patient);
    refused(Error::SelfDelegate, || add_delegate(&mut w, patient, None));
    refused(Error::PeriodEnded, || add_delegate(&mut w, guardian, Some(NOW)));
    let no_purpose =
        || w.contract.add_delegate(w.patient, w.guardian, PurposeSet::EMPTY, DataClassSet::GENERAL, read(), None);
    refused(Error::EmptyPurposes, no_purpose);
    let stray_class = || {
        let all = purposes(&Purpose::ALL);
        w.contract.add_delegate(w.patient, w.guardian, all, DataClassSet(1 << 12), read(), None)
    };
    refused(Error::MalformedClassSet, stray_class);
    assert_eq!(w.contract.delegates(patient), vec![]);

    // The first one expires tomorrow; the other seven never do.
    add_delegate(&mut w, addr(100), Some(NOW + DAY)).unwrap();
    for n in 101..108 {
        add_delegate(&mut w, addr(n), None).unwrap();
    }
    assert_eq!(w.contract.delegates(patient).len(), MAX_DELEGATES as usize);
    refused(Error::TooManyDelegates, || add_delegate(&mut w, addr(200), None));
    // Adding an existing delegate again replaces its delegation (a new one, no new slot).
    add_delegate(&mut w, addr(101), Some(NOW + 2 * DAY)).unwrap();
    assert!(w.contract.delegates(patient).contains(&delegation(addr(101), 9, Some(NOW + 2 * DAY))));
    // An expired delegate frees its slot.
    at(NOW + DAY);
    add_delegate(&mut w, addr(200), None).unwrap();
    assert_eq!(w.contract.delegates(patient).len(), MAX_DELEGATES as usize);

    w.contract.remove_delegate(patient, addr(102)).unwrap();
    let removed = DelegateRemoved { patient, delegate: addr(102), removed_by: patient };
    assert_eq!(last_event::<DelegateRemoved>(), removed);
    assert!(!w.contract.delegates(patient).iter().any(|d| d.delegate == addr(102)));
    refused(Error::DelegateNotFound, || w.contract.remove_delegate(patient, addr(102)));
}

#[ink::test]
fn the_delegation_event_carries_its_scope() {
    let mut w = world();
    let (patient, guardian) = (w.patient, w.guardian);
    as_caller(patient);
    let (treatment, sensitive) = (purposes(&[Purpose::Treatment]), DataClassSet::GENERAL.with(DataClass::MentalHealth));
    let read_write = read().with(Action::Write);
    w.contract.add_delegate(patient, guardian, treatment, sensitive, read_write, Some(NOW + DAY)).unwrap();
    let expected = DelegateAdded {
        patient,
        delegate: guardian,
        delegation: 1,
        purposes: treatment,
        classes: sensitive,
        actions: read_write,
        expires: Some(NOW + DAY),
        added_by: patient,
    };
    assert_eq!(last_event::<DelegateAdded>(), expected);
    let scope = DelegateScope { purposes: treatment, classes: sensitive, actions: read_write };
    let stored = Delegation { delegate: guardian, id: 1, scope, expires: Some(NOW + DAY) };
    assert_eq!(w.contract.delegates(patient), vec![stored]);
}

/// Regression (issue #18): a delegate could grant anything to anyone (itself included), all sensitive classes,
/// open-ended. Each is refused now, by its own error, and a refusal stores nothing and emits nothing.
#[ink::test]
fn a_delegates_grant_outside_its_delegation_is_refused_and_changes_nothing() {
    let mut w = world();
    let (patient, guardian, doctor) = (w.patient, w.guardian, w.doctor);
    as_caller(patient);
    add_delegate(&mut w, guardian, Some(NOW + DAY)).unwrap();
    let ok = Grant::to(&w, Grantee::Account(doctor)).period(NOW, Some(NOW + DAY));
    let cases = [
        (Grant::to(&w, Grantee::Account(guardian)).period(NOW, Some(NOW + DAY)), Error::GrantToDelegate),
        (ok.purposes(purposes(&[Purpose::Research])), Error::PurposeOutsideScope),
        (ok.classes(DataClassSet::of(DataClass::MentalHealth)), Error::ClassOutsideScope),
        (ok.classes(DataClassSet::GENERAL.with(DataClass::Genomic)), Error::ClassOutsideScope),
        (ok.actions(read().with(Action::Write)), Error::ActionOutsideScope),
        (ok.period(NOW, None), Error::EndsAfterDelegation),
        (ok.period(NOW, Some(NOW + DAY + 1)), Error::EndsAfterDelegation),
    ];
    for (grant, error) in cases {
        let before = events();
        assert_eq!(grant.by(&mut w, guardian), Err(error));
        assert_eq!(events(), before, "{error:?} emitted nothing");
        assert_eq!(w.contract.consents_of(patient, None, 10).len, 0, "{error:?} stored nothing");
        assert_eq!(w.contract.consent(1), None);
    }
    // The patient may grant all of these; the delegate what is within its delegation.
    assert_eq!(ok.by(&mut w, guardian), Ok(1));
    assert_eq!(ok.period(NOW, None).classes(DataClassSet::of(DataClass::MentalHealth)).by_patient(&mut w), Ok(2));
}

/// Regression (issue #18): a delegate's grants outlived its removal. Now they count only while the delegation they
/// were made under is live: removed, expired or replaced, they end (without iterating over them), the patient's own
/// consents stay, and adding the delegate again does not bring them back.
#[ink::test]
fn a_delegates_grants_end_with_its_delegation() {
    let mut w = world();
    let (patient, guardian, doctor, researcher) = (w.patient, w.guardian, w.doctor, w.researcher);
    as_caller(patient);
    add_delegate(&mut w, guardian, None).unwrap();
    let by_guardian = Grant::to(&w, Grantee::Account(doctor)).by(&mut w, guardian).unwrap();
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(by_guardian)));
    // Removed: its grant ends at once; the patient's own consent to someone else stays.
    let research = Grant::to(&w, Grantee::Account(researcher)).purposes(purposes(&[Purpose::Research]));
    let own = research.by_patient(&mut w).unwrap();
    as_caller(patient);
    w.contract.remove_delegate(w.patient, guardian).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NoConsent));
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read), Ok(Basis::Consent(own)));
    // Added again (a new delegation): the old grant stays ended; a new grant counts.
    add_delegate(&mut w, guardian, Some(NOW + DAY)).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NoConsent), "not revived");
    let until_expiry = Grant::to(&w, Grantee::Account(doctor)).period(NOW, Some(NOW + DAY));
    let second = until_expiry.by(&mut w, guardian).unwrap();
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(second)));
    // Replaced (here a shorter expiry): the grants under the replaced delegation end too.
    as_caller(patient);
    add_delegate(&mut w, guardian, Some(NOW + DAY / 2)).unwrap();
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NoConsent));
    // A Deny by a delegate ends with its delegation as well.
    let deny = Grant::to(&w, Grantee::Account(doctor)).deny().period(NOW, Some(NOW + DAY / 2)).by(&mut w, guardian);
    let deny = deny.unwrap();
    let permit = permit_treatment(&mut w, Grantee::Account(doctor));
    assert_eq!(doctor_reads_labs(&w), Err(Denied::DeniedByConsent(deny)));
    // Expired: its grants end with it.
    at(NOW + DAY / 2);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(permit)));
}

/// Regression (issue #18 leftover): a consent a delegate granted read as Active after its delegation ended. The reads
/// show it as `DelegationEnded` now (the patient's own consents, and revoked ones, as stored).
#[ink::test]
fn a_delegates_grant_reads_as_ended_once_its_delegation_ended() {
    let mut w = world();
    let (patient, guardian, doctor, stranger) = (w.patient, w.guardian, w.doctor, w.stranger);
    as_caller(patient);
    add_delegate(&mut w, guardian, None).unwrap();
    let by_guardian = Grant::to(&w, Grantee::Account(doctor)).by(&mut w, guardian).unwrap();
    let own = permit_treatment(&mut w, Grantee::Account(stranger));
    let status = |w: &World, id| w.contract.consent(id).unwrap().status;
    assert_eq!((status(&w, by_guardian), status(&w, own)), (ConsentStatus::Active, ConsentStatus::Active));
    as_caller(patient);
    w.contract.remove_delegate(patient, guardian).unwrap();
    assert_eq!((status(&w, by_guardian), status(&w, own)), (ConsentStatus::DelegationEnded, ConsentStatus::Active));
    let page = w.contract.consents_of(patient, None, 10);
    let statuses: Vec<_> = page.items.iter().map(|consent| (consent.id, consent.status)).collect();
    assert_eq!(statuses, [(own, ConsentStatus::Active), (by_guardian, ConsentStatus::DelegationEnded)]);
}

/// Regression (issue #18): a delegate could revoke the patient's own Deny. Now it revokes only what it granted
/// (`NotOwnGrant` for the patient's consents and another delegate's), and a refusal changes nothing.
#[ink::test]
fn a_delegate_revokes_only_its_own_grants() {
    let mut w = world();
    let (patient, guardian, carer, doctor) = (w.patient, w.guardian, w.stranger, w.doctor);
    as_caller(patient);
    add_delegate(&mut w, guardian, None).unwrap();
    add_delegate(&mut w, carer, None).unwrap();
    let patients_deny = Grant::to(&w, Grantee::Account(doctor)).deny().by_patient(&mut w).unwrap();
    let carers = Grant::to(&w, Grantee::Role(Role::Provider)).by(&mut w, carer).unwrap();
    let own = Grant::to(&w, Grantee::Role(Role::Researcher)).by(&mut w, guardian).unwrap();
    as_caller(guardian);
    for id in [patients_deny, carers] {
        let stored = w.contract.consent(id);
        refused(Error::NotOwnGrant, || w.contract.revoke(id));
        assert_eq!(w.contract.consent(id), stored, "unchanged");
    }
    assert_eq!(doctor_reads_labs(&w), Err(Denied::DeniedByConsent(patients_deny)), "the patient's Deny holds");
    w.contract.revoke(own).unwrap();
    assert_eq!(last_event::<ConsentRevoked>().revoked_by, guardian);
    assert_eq!(w.contract.consent(own).map(|consent| consent.status), Some(ConsentStatus::Revoked));
    // The patient revokes anyone's.
    as_caller(patient);
    w.contract.revoke(carers).unwrap();
    w.contract.revoke(patients_deny).unwrap();
}

// ---- roles ----

#[ink::test]
fn a_research_consent_covers_any_credentialed_researcher_while_credentialed() {
    let mut w = world();
    let (patient, researcher, stranger) = (w.patient, w.researcher, w.stranger);
    let research = Grant::to(&w, Grantee::Role(Role::Researcher)).purposes(purposes(&[Purpose::Research]));
    let id = research.classes(DataClassSet::GENERAL.with(DataClass::Genomic)).by_patient(&mut w).unwrap();
    assert_eq!(last_event::<ConsentGranted>().grantee, Grantee::Role(Role::Researcher));
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Genomic, Action::Read), Ok(Basis::Consent(id)));
    assert_eq!(
        check(&w, researcher, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider)),
        "a researcher does not treat"
    );
    stubs::set_roles(w.participants, researcher, &[Role::Researcher, Role::Provider]);
    assert_eq!(check(&w, researcher, Purpose::Treatment, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
    stubs::set_roles(w.participants, researcher, &[Role::Researcher]);
    assert_eq!(
        check(&w, stranger, Purpose::Research, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Researcher))
    );
    // The researcher loses the credential: the consent no longer counts for them.
    stubs::set_roles(w.participants, researcher, &[]);
    assert_eq!(
        check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Researcher))
    );
    // Participants unreachable: the role cannot be known.
    stubs::remove(w.participants);
    assert_eq!(
        check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read),
        Err(Denied::ParticipantsUnreachable)
    );
    // Once the only role consent is revoked, the role's key remembers it: the roles are still asked (roles_of) and
    // the refusal says Revoked.
    as_caller(patient);
    w.contract.revoke(id).unwrap();
    stubs::set_roles(w.participants, researcher, &[Role::Researcher]);
    stubs::set_roles_of(w.participants, researcher, interfaces::RoleSet::EMPTY);
    assert_eq!(
        check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Researcher)),
        "roles_of answered, not has_role"
    );
    stubs::set_roles_of(w.participants, researcher, interfaces::RoleSet::of(Role::Researcher));
    assert_eq!(check(&w, researcher, Purpose::Research, DataClass::Labs, Action::Read), Err(Denied::Revoked(id)));
}

#[ink::test]
fn anyone_but_the_patient_needs_the_purposes_role() {
    let mut w = world();
    let (doctor, stranger) = (w.doctor, w.stranger);
    let id = permit_treatment(&mut w, Grantee::Account(doctor));
    permit_treatment(&mut w, Grantee::Account(stranger));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(id)));
    // A consent to an account does not make it a provider, nor a suspended provider a provider again.
    assert_eq!(
        check(&w, stranger, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );
    stubs::set_roles(w.participants, doctor, &[Role::Researcher]);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::RoleNotHeld(Role::Provider)));
    for (purpose, role) in [
        (Purpose::Payment, Role::Payer),
        (Purpose::Research, Role::Researcher),
        (Purpose::PublicHealth, Role::Regulator),
        (Purpose::Emergency, Role::Provider),
        (Purpose::Operations, Role::Provider),
    ] {
        assert_eq!(check(&w, stranger, purpose, DataClass::Labs, Action::Read), Err(Denied::RoleNotHeld(role)));
    }
    // The role cannot be known without participants.
    stubs::set_roles(w.participants, doctor, &[Role::Provider]);
    stubs::remove(w.participants);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::ParticipantsUnreachable));
}

// ---- the bound ----

#[ink::test]
fn live_consents_per_key_are_bounded_and_ended_ones_are_pruned() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let to_doctor = Grant::to(&w, Grantee::Account(doctor));
    // Sixteen consents to the doctor: one ends tomorrow, fifteen are open.
    let payment = to_doctor.purposes(purposes(&[Purpose::Payment]));
    let short = payment.period(NOW, Some(NOW + DAY)).by_patient(&mut w).unwrap();
    let mut ids = vec![short];
    for _ in 1..MAX_ACTIVE_PER_KEY {
        ids.push(permit_treatment(&mut w, Grantee::Account(doctor)));
    }
    let before = events();
    assert_eq!(to_doctor.deny().by_patient(&mut w), Err(Error::TooManyActiveConsents));
    assert_eq!(events(), before);
    assert_eq!(w.contract.consents_of(patient, None, 50).items.len(), MAX_ACTIVE_PER_KEY as usize);
    // Other keys are not affected.
    let stranger = w.stranger;
    permit_treatment(&mut w, Grantee::Account(stranger));
    // A revocation frees a slot.
    as_caller(patient);
    w.contract.revoke(ids[5]).unwrap();
    let seventeenth = permit_treatment(&mut w, Grantee::Account(doctor));
    assert_eq!(to_doctor.by_patient(&mut w), Err(Error::TooManyActiveConsents));
    // An ended consent frees its slot at the next grant (it is pruned from the index).
    at(NOW + DAY);
    stubs::set_roles(w.participants, doctor, &[Role::Provider, Role::Payer]);
    assert_eq!(check(&w, doctor, Purpose::Payment, DataClass::Labs, Action::Read), Err(Denied::Expired(short)));
    let next = to_doctor.by_patient(&mut w).unwrap();
    assert!(next > seventeenth);
    assert_eq!(check(&w, doctor, Purpose::Payment, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
    assert_eq!(w.contract.consent(short).unwrap().status, ConsentStatus::Active, "pruning does not rewrite history");
}

#[ink::test]
fn role_consents_are_bounded_per_role() {
    let mut w = world();
    for _ in 0..MAX_ACTIVE_PER_KEY {
        permit_treatment(&mut w, Grantee::Role(Role::Provider));
    }
    assert_eq!(Grant::to(&w, Grantee::Role(Role::Provider)).by_patient(&mut w), Err(Error::TooManyActiveConsents));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(1)));
    permit_treatment(&mut w, Grantee::Role(Role::Payer));
}

// ---- reads ----

#[ink::test]
fn a_patients_consents_are_read_page_by_page() {
    let mut w = world();
    for n in 0..5u8 {
        permit_treatment(&mut w, Grantee::Account(addr(n + 60)));
    }
    let ids = |page: &interfaces::Page<ConsentEntry>| page.items.iter().map(|c| c.id).collect::<Vec<_>>();
    let first = w.contract.consents_of(w.patient, None, 2);
    assert_eq!((ids(&first), first.next, first.len), (vec![5, 4], Some(3), 5));
    let second = w.contract.consents_of(w.patient, first.next, 2);
    assert_eq!((ids(&second), second.next), (vec![3, 2], Some(1)));
    let last = w.contract.consents_of(w.patient, second.next, 2);
    assert_eq!((ids(&last), last.next), (vec![1], None));
    assert_eq!(w.contract.consents_of(w.stranger, None, 10).items.len(), 0);
    // Another patient's consent id starts no walk through this patient's list.
    as_caller(w.stranger);
    let (general, doctor) = (DataClassSet::GENERAL, Grantee::Account(addr(70)));
    let treatment = purposes(&[Purpose::Treatment]);
    let other = w.contract.grant(w.stranger, doctor, Provision::Permit, treatment, general, read(), NOW, None, DOC);
    let other = other.unwrap();
    assert_eq!(w.contract.consents_of(w.patient, Some(other), 10).items.len(), 0);
    assert_eq!(w.contract.consents_of(w.stranger, None, 10).items.len(), 1);
}

// ---- break-glass ----

#[ink::test]
fn a_provider_breaks_the_glass_for_emergency_reads_of_every_class() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    // Even a deny of everything to the doctor does not stop break-glass.
    let deny_all = Grant::to(&w, Grantee::Account(doctor)).deny().purposes(PurposeSet::from_slice(&Purpose::ALL));
    let deny = deny_all.classes(DataClassSet::GENERAL.with(DataClass::MentalHealth)).by_patient(&mut w).unwrap();
    assert_eq!(
        check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );

    as_caller(doctor);
    let before = events();
    let id = w.contract.declare_emergency(patient, REASON).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(
        last_event::<EmergencyAccessGranted>(),
        EmergencyAccessGranted { patient, provider: doctor, emergency: id, reason_hash: REASON, until: NOW + DAY }
    );
    assert_eq!(
        w.contract.emergency(id),
        Some(Emergency {
            id,
            patient,
            provider: doctor,
            reason_hash: REASON,
            declared_at: NOW,
            until: NOW + DAY,
            ended_at: None,
            ended_by: None,
            review: None,
            unreviewed: Links::default(),
        })
    );
    for class in DataClass::ALL {
        assert_eq!(check(&w, doctor, Purpose::Emergency, class, Action::Read), Ok(Basis::Emergency(id)), "{class:?}");
    }
    // Read only, for the Emergency purpose only, for the declaring provider only.
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Write), Err(Denied::NoConsent));
    assert_eq!(
        check(&w, doctor, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );
    let other_doctor = addr(0x52);
    stubs::set_roles(w.participants, other_doctor, &[Role::Provider]);
    assert_eq!(check(&w, other_doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Err(Denied::NoConsent));

    // One active emergency per (patient, provider).
    refused(Error::EmergencyActive, || w.contract.declare_emergency(patient, REASON));

    // The time box ends it.
    at(NOW + DAY);
    assert_eq!(
        check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );
    as_caller(patient);
    refused(Error::EmergencyEnded, || w.contract.end_emergency(id));
    // The provider may declare again once the cooldown after it has passed.
    as_caller(doctor);
    refused(Error::EmergencyCoolingDown, || w.contract.declare_emergency(patient, [5; 32]));
    at(NOW + DAY + EMERGENCY_COOLDOWN - 1);
    refused(Error::EmergencyCoolingDown, || w.contract.declare_emergency(patient, [5; 32]));
    assert_eq!(w.contract.emergency(id + 1), None);
    at(NOW + DAY + EMERGENCY_COOLDOWN);
    let again = w.contract.declare_emergency(patient, [5; 32]).unwrap();
    assert_eq!(again, id + 1);
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Ok(Basis::Emergency(again)));
}

/// Regression (issue #18): break-glass was renewable at once, so one provider held standing access. The same
/// provider is refused while its emergency is active and within the cooldown after it, whoever ended it; refusals
/// change nothing; another provider is not held back by it.
#[ink::test]
fn break_glass_is_not_renewable_at_once_by_the_same_provider() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    as_caller(doctor);
    let first = w.contract.declare_emergency(patient, REASON).unwrap();
    at(NOW + DAY / 2);
    refused(Error::EmergencyActive, || w.contract.declare_emergency(patient, REASON));
    as_caller(patient);
    w.contract.end_emergency(first).unwrap();
    as_caller(doctor);
    let ended = w.contract.emergency(first);
    refused(Error::EmergencyCoolingDown, || w.contract.declare_emergency(patient, REASON));
    at(NOW + DAY / 2 + EMERGENCY_COOLDOWN - 1);
    refused(Error::EmergencyCoolingDown, || w.contract.declare_emergency(patient, REASON));
    assert_eq!((w.contract.emergency(first), w.contract.emergency(first + 1)), (ended, None), "nothing changed");
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
    // Another provider may declare meanwhile: the cooldown is per (patient, provider).
    let colleague = addr(0x52);
    stubs::set_roles(w.participants, colleague, &[Role::Provider]);
    as_caller(colleague);
    assert_eq!(w.contract.declare_emergency(patient, REASON), Ok(first + 1));
    // And the doctor once the cooldown has passed, for at most the capped duration.
    at(NOW + DAY / 2 + EMERGENCY_COOLDOWN);
    as_caller(doctor);
    let again = w.contract.declare_emergency(patient, REASON).unwrap();
    assert_eq!(w.contract.emergency(again).unwrap().until, NOW + DAY / 2 + EMERGENCY_COOLDOWN + DAY);
}

#[ink::test]
fn only_a_credentialed_provider_breaks_the_glass() {
    let mut w = world();
    let (patient, researcher, stranger, doctor) = (w.patient, w.researcher, w.stranger, w.doctor);
    let before = events();
    for caller in [stranger, researcher, patient] {
        as_caller(caller);
        refused(Error::NotProvider, || w.contract.declare_emergency(patient, REASON));
    }
    // A provider cannot break the glass on themself.
    as_caller(doctor);
    refused(Error::SelfGrant, || w.contract.declare_emergency(doctor, REASON));
    stubs::remove(w.participants);
    refused(Error::ParticipantsUnreachable, || w.contract.declare_emergency(patient, REASON));
    assert_eq!(events(), before);
    assert_eq!(w.contract.emergency(1), None);
}

#[ink::test]
fn the_patient_a_delegate_or_the_provider_ends_an_emergency_early() {
    let mut w = world();
    let (patient, doctor, guardian, stranger) = (w.patient, w.doctor, w.guardian, w.stranger);
    as_caller(patient);
    add_delegate(&mut w, guardian, None).unwrap();
    // Each round a day apart: past the provider's cooldown after the last one.
    for (round, ender) in (0..).zip([patient, guardian, doctor]) {
        let start = NOW + round * DAY;
        at(start);
        as_caller(doctor);
        let id = w.contract.declare_emergency(patient, REASON).unwrap();
        at(start + 1000);
        as_caller(stranger);
        refused(Error::NotAllowedToEnd, || w.contract.end_emergency(id));
        refused(Error::EmergencyNotFound, || w.contract.end_emergency(id + 100));
        as_caller(ender);
        w.contract.end_emergency(id).unwrap();
        assert_eq!(
            last_event::<EmergencyAccessEnded>(),
            EmergencyAccessEnded { patient, provider: doctor, emergency: id, ended_by: ender }
        );
        let ended = w.contract.emergency(id).unwrap();
        assert_eq!((ended.ended_at, ended.ended_by), (Some(start + 1000), Some(ender)));
        assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Err(Denied::NoConsent));
        refused(Error::EmergencyEnded, || w.contract.end_emergency(id));
        // Ended early, it cannot be declared again at once.
        as_caller(doctor);
        refused(Error::EmergencyCoolingDown, || w.contract.declare_emergency(patient, REASON));
    }
}

#[ink::test]
fn emergency_access_needs_the_provider_credential_still_held() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let emergencies = Grant::to(&w, Grantee::Account(doctor)).purposes(purposes(&[Purpose::Emergency]));
    let permit = emergencies.by_patient(&mut w).unwrap();
    as_caller(doctor);
    let id = w.contract.declare_emergency(patient, REASON).unwrap();
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Genomic, Action::Read), Ok(Basis::Emergency(id)));
    stubs::set_roles(w.participants, doctor, &[]);
    for class in [DataClass::Genomic, DataClass::Labs] {
        assert_eq!(
            check(&w, doctor, Purpose::Emergency, class, Action::Read),
            Err(Denied::RoleNotHeld(Role::Provider)),
            "neither the emergency nor the consent counts for a provider no more"
        );
    }
    stubs::set_roles(w.participants, doctor, &[Role::Provider]);
    w.contract.end_emergency(id).unwrap();
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Genomic, Action::Read), Err(Denied::NoConsent));
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Ok(Basis::Consent(permit)));
    stubs::remove(w.participants);
    assert_eq!(
        check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read),
        Err(Denied::ParticipantsUnreachable)
    );
}

/// Regression (issue #18): the admin could set break-glass to last years. Above `MAX_EMERGENCY_DURATION` (24 h) it
/// is refused and nothing changes; at it, it is accepted and evented.
#[ink::test]
fn the_emergency_duration_is_capped() {
    let mut w = world();
    as_caller(w.admin);
    assert_eq!(MAX_EMERGENCY_DURATION, DAY);
    w.contract.set_emergency_duration(DAY / 2).unwrap();
    for too_long in [MAX_EMERGENCY_DURATION + 1, 365 * DAY, u64::MAX] {
        refused(Error::DurationTooLong, || w.contract.set_emergency_duration(too_long));
        assert_eq!(w.contract.emergency_duration(), DAY / 2, "unchanged");
    }
    w.contract.set_emergency_duration(MAX_EMERGENCY_DURATION).unwrap();
    assert_eq!(
        last_event::<EmergencyDurationChanged>(),
        EmergencyDurationChanged { admin: w.admin, duration_ms: MAX_EMERGENCY_DURATION }
    );
    as_caller(w.doctor);
    let id = w.contract.declare_emergency(w.patient, REASON).unwrap();
    assert_eq!(w.contract.emergency(id).unwrap().until, NOW + MAX_EMERGENCY_DURATION);
}

// ---- break-glass review ----

const NOTE: Hash32 = [6; 32];

/// A credentialed Regulator of the world's participants stub.
fn regulator(w: &World) -> AccountId {
    let regulator = addr(0x53);
    stubs::set_roles(w.participants, regulator, &[Role::Regulator]);
    regulator
}

/// A fresh credentialed Provider (`n` picks it).
fn provider(w: &World, n: u8) -> AccountId {
    let provider = addr(n);
    stubs::set_roles(w.participants, provider, &[Role::Provider]);
    provider
}

/// The ids of `patient`'s unreviewed emergencies, newest first, read `limit` at a time; the page length.
fn unreviewed(w: &World, patient: AccountId, limit: u32) -> (Vec<EmergencyId>, u64) {
    let (mut ids, mut from) = (Vec::new(), None);
    loop {
        let page = w.contract.unreviewed_emergencies(patient, from, limit);
        assert!(page.items.len() <= limit as usize);
        ids.extend(page.items.iter().map(|emergency| emergency.id));
        match page.next {
            Some(next) => from = Some(next),
            None => return (ids, page.len),
        }
    }
}

/// Regression (issue #18): break-glass was never reviewed. Every emergency waits in the patient's unreviewed list
/// until the patient or a credentialed Regulator marks it justified or not, once; refusals change nothing.
#[ink::test]
fn every_emergency_is_reviewed_once_by_the_patient_or_a_regulator() {
    let mut w = world();
    let (patient, doctor, stranger, researcher) = (w.patient, w.doctor, w.stranger, w.researcher);
    let regulator = regulator(&w);
    as_caller(doctor);
    let id = w.contract.declare_emergency(patient, REASON).unwrap();
    assert_eq!(unreviewed(&w, patient, 10), (vec![id], 1));
    let declared = w.contract.emergency(id).unwrap();
    assert_eq!(declared.review, None);

    // Refusals, in order: not found, the provider itself, anyone but the patient or a Regulator.
    at(NOW + 1000);
    as_caller(regulator);
    refused(Error::EmergencyNotFound, || w.contract.review_emergency(id + 1, true, NOTE));
    as_caller(doctor);
    stubs::set_roles(w.participants, doctor, &[Role::Provider, Role::Regulator]);
    refused(Error::SelfReview, || w.contract.review_emergency(id, true, NOTE));
    for caller in [stranger, researcher, w.guardian] {
        as_caller(caller);
        refused(Error::NotReviewer, || w.contract.review_emergency(id, true, NOTE));
    }
    stubs::remove(w.participants);
    as_caller(regulator);
    refused(Error::ParticipantsUnreachable, || w.contract.review_emergency(id, true, NOTE));
    assert_eq!(w.contract.emergency(id), Some(declared.clone()), "refusals change nothing");
    assert_eq!(unreviewed(&w, patient, 10), (vec![id], 1));

    // A Regulator reviews it while it is active: evented, recorded, out of the unreviewed list.
    stubs::deploy(w.participants);
    stubs::set_roles(w.participants, regulator, &[Role::Regulator]);
    let before = events();
    w.contract.review_emergency(id, false, NOTE).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(last_topics().len(), 3, "the signature, the patient and the provider");
    assert_eq!(
        last_event::<EmergencyReviewed>(),
        EmergencyReviewed {
            patient,
            provider: doctor,
            emergency: id,
            justified: false,
            note_hash: NOTE,
            reviewed_by: regulator
        }
    );
    let review = Review { justified: false, note_hash: NOTE, reviewed_by: regulator, reviewed_at: NOW + 1000 };
    assert_eq!(w.contract.emergency(id), Some(Emergency { review: Some(review), ..declared }));
    assert_eq!(unreviewed(&w, patient, 10), (vec![], 0));
    // The review does not end the access (ending is `end_emergency`'s).
    assert_eq!(check(&w, doctor, Purpose::Emergency, DataClass::Labs, Action::Read), Ok(Basis::Emergency(id)));
    // Once only: the patient cannot overturn it.
    as_caller(patient);
    refused(Error::AlreadyReviewed, || w.contract.review_emergency(id, true, [0; 32]));
    assert_eq!(w.contract.emergency(id).unwrap().review, Some(review));

    // The patient reviews another after it is over, without participants being asked.
    let colleague = provider(&w, 0x60);
    as_caller(colleague);
    let other = w.contract.declare_emergency(patient, REASON).unwrap();
    at(NOW + 2 * DAY);
    stubs::remove(w.participants);
    as_caller(patient);
    w.contract.review_emergency(other, true, NOTE).unwrap();
    assert_eq!(
        w.contract.emergency(other).unwrap().review.map(|review| (review.justified, review.reviewed_by)),
        Some((true, patient))
    );
}

#[ink::test]
fn unreviewed_emergencies_are_read_page_by_page_and_leave_from_anywhere() {
    let mut w = world();
    let patient = w.patient;
    let providers: Vec<AccountId> = (0x60..0x65).map(|n| provider(&w, n)).collect();
    let mut ids = Vec::new();
    for provider in &providers {
        as_caller(*provider);
        ids.push(w.contract.declare_emergency(patient, REASON).unwrap());
    }
    // Another patient's emergency is in another list.
    let other_patient = w.stranger;
    let other = w.contract.declare_emergency(other_patient, REASON).unwrap();
    let newest_first: Vec<EmergencyId> = ids.iter().rev().copied().collect();
    for limit in [1, 2, 10] {
        assert_eq!(unreviewed(&w, patient, limit), (newest_first.clone(), 5));
    }
    assert_eq!(unreviewed(&w, other_patient, 10), (vec![other], 1));
    assert_eq!(w.contract.unreviewed_emergencies(patient, Some(other), 10).items, vec![], "a foreign id reads nothing");
    // Reviewed from the middle, the newest and the oldest, the list stays linked.
    as_caller(patient);
    for (reviewed, left) in [
        (ids[2], vec![ids[4], ids[3], ids[1], ids[0]]),
        (ids[4], vec![ids[3], ids[1], ids[0]]),
        (ids[0], vec![ids[3], ids[1]]),
    ] {
        w.contract.review_emergency(reviewed, true, NOTE).unwrap();
        let len = left.len() as u64;
        assert_eq!(unreviewed(&w, patient, 1), (left, len));
        assert_eq!(
            w.contract.unreviewed_emergencies(patient, Some(reviewed), 10).items,
            vec![],
            "a reviewed emergency starts no page"
        );
    }
    // A new emergency joins as the newest.
    at(NOW + DAY + EMERGENCY_COOLDOWN);
    as_caller(providers[0]);
    let again = w.contract.declare_emergency(patient, REASON).unwrap();
    assert_eq!(unreviewed(&w, patient, 2), (vec![again, ids[3], ids[1]], 3));
    as_caller(patient);
    for id in [ids[1], again, ids[3]] {
        w.contract.review_emergency(id, false, NOTE).unwrap();
    }
    assert_eq!(unreviewed(&w, patient, 2), (vec![], 0));
    let page = w.contract.unreviewed_emergencies(patient, None, 10);
    assert_eq!((page.items.len(), page.next, page.len), (0, None, 0));
}

// ---- access requests ----

/// The doctor's request: Read of Labs and Imaging for Treatment until `end`.
fn doctor_requests(w: &mut World, end: Option<Timestamp>) -> Result<RequestId> {
    let (patient, doctor) = (w.patient, w.doctor);
    as_caller(doctor);
    let classes = DataClassSet::of(DataClass::Labs).with(DataClass::Imaging);
    w.contract.request_access(patient, Purpose::Treatment, classes, read(), end, REASON)
}

/// The ids of `patient`'s pending requests, newest first, read `limit` at a time; the list's length.
fn pending(w: &World, patient: AccountId, limit: u32) -> (Vec<RequestId>, u64) {
    let (mut ids, mut from) = (Vec::new(), None);
    loop {
        let page = w.contract.pending_requests(patient, from, limit);
        assert!(page.items.len() <= limit as usize);
        ids.extend(page.items.iter().map(|request| request.id));
        match page.next {
            Some(next) => from = Some(next),
            None => return (ids, page.len),
        }
    }
}

/// Regression (issue #18): providers could not ask for access; the patient had to grant in advance. A credentialed
/// provider asks, the patient approves it into a Permit (evented twice: the consent and the answer), and the
/// provider is allowed what it asked for, nothing more.
#[ink::test]
fn a_provider_requests_access_and_the_patient_approves_it_into_a_consent() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let before = events();
    let id = doctor_requests(&mut w, Some(NOW + 30 * DAY)).unwrap();
    assert_eq!(id, 1);
    assert_eq!(events(), before + 1);
    assert_eq!(last_topics().len(), 3, "the signature, the patient and the requester");
    let classes = DataClassSet::of(DataClass::Labs).with(DataClass::Imaging);
    assert_eq!(
        last_event::<AccessRequested>(),
        AccessRequested {
            patient,
            requester: doctor,
            request: id,
            purpose: Purpose::Treatment,
            classes,
            actions: read(),
            end: Some(NOW + 30 * DAY),
            reason_hash: REASON,
            replaces: None,
        }
    );
    let asked = AccessRequest {
        id,
        patient,
        requester: doctor,
        purpose: Purpose::Treatment,
        classes,
        actions: read(),
        end: Some(NOW + 30 * DAY),
        reason_hash: REASON,
        requested_at: NOW,
        status: RequestStatus::Pending,
        closed_at: None,
        pending: Links::default(),
    };
    assert_eq!(w.contract.access_request(id), Some(asked.clone()));
    assert_eq!(pending(&w, patient, 10), (vec![id], 1));
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NoConsent), "a request grants nothing");

    at(NOW + 1000);
    as_caller(patient);
    let before = events();
    let consent = w.contract.approve_request(id, DOC).unwrap();
    assert_eq!(events(), before + 2);
    assert_eq!(
        last_of::<ConsentGranted>(),
        ConsentGranted {
            patient,
            grantee: Grantee::Account(doctor),
            consent,
            provision: Provision::Permit,
            granted_by: patient
        }
    );
    assert_eq!(
        last_event::<AccessRequestApproved>(),
        AccessRequestApproved { patient, requester: doctor, request: id, consent, approved_by: patient }
    );
    let request = GrantRequest {
        patient,
        grantee: Grantee::Account(doctor),
        provision: Provision::Permit,
        purposes: purposes(&[Purpose::Treatment]),
        classes,
        actions: read(),
        start: NOW + 1000,
        end: Some(NOW + 30 * DAY),
        document_hash: DOC,
    };
    assert_eq!(w.contract.consent(consent).unwrap(), stored(consent, &request, patient, NOW + 1000, None));
    assert_eq!(
        w.contract.access_request(id),
        Some(AccessRequest { status: RequestStatus::Approved(consent), closed_at: Some(NOW + 1000), ..asked })
    );
    assert_eq!(pending(&w, patient, 10), (vec![], 0));
    assert_eq!(w.contract.consents_of(patient, None, 10).items.len(), 1);
    // What was asked for, nothing more, until its end.
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(consent)));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Imaging, Action::Read), Ok(Basis::Consent(consent)));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Diagnoses, Action::Read), Err(Denied::NoConsent));
    assert_eq!(check(&w, doctor, Purpose::Treatment, DataClass::Labs, Action::Write), Err(Denied::NoConsent));
    at(NOW + 30 * DAY);
    assert_eq!(doctor_reads_labs(&w), Err(Denied::Expired(consent)));
    // The patient revokes it like any consent; the doctor may ask again.
    as_caller(patient);
    w.contract.revoke(consent).unwrap();
    assert_eq!(doctor_requests(&mut w, None), Ok(2));
}

#[ink::test]
fn bad_access_requests_are_refused_and_change_nothing() {
    let mut w = world();
    let (patient, doctor, stranger, researcher) = (w.patient, w.doctor, w.stranger, w.researcher);
    let labs = DataClassSet::of(DataClass::Labs);
    let ask = |w: &mut World, by: AccountId, purpose: Purpose, classes: DataClassSet, end: Option<Timestamp>| {
        as_caller(by);
        w.contract.request_access(patient, purpose, classes, read(), end, REASON)
    };
    refused(Error::SelfGrant, || ask(&mut w, patient, Purpose::Treatment, labs, None));
    refused(Error::EmptyClasses, || ask(&mut w, doctor, Purpose::Treatment, DataClassSet::EMPTY, None));
    refused(Error::MalformedClassSet, || ask(&mut w, doctor, Purpose::Treatment, DataClassSet(1 << 14), None));
    as_caller(doctor);
    refused(Error::EmptyActions, || {
        w.contract.request_access(patient, Purpose::Treatment, labs, ActionSet::EMPTY, None, REASON)
    });
    refused(Error::MalformedActionSet, || {
        w.contract.request_access(patient, Purpose::Treatment, labs, ActionSet(0b100), None, REASON)
    });
    refused(Error::PeriodEnded, || ask(&mut w, doctor, Purpose::Treatment, labs, Some(NOW)));
    // Credentialed for the purpose: a stranger never, a researcher for Research only.
    refused(Error::NotCredentialedForPurpose, || ask(&mut w, stranger, Purpose::Treatment, labs, None));
    refused(Error::NotCredentialedForPurpose, || ask(&mut w, researcher, Purpose::Treatment, labs, None));
    let research = ask(&mut w, researcher, Purpose::Research, labs, None).unwrap();
    // One pending request per requester and patient.
    let first = ask(&mut w, doctor, Purpose::Treatment, labs, None).unwrap();
    refused(Error::RequestPending, || ask(&mut w, doctor, Purpose::Operations, labs, None));
    stubs::remove(w.participants);
    refused(Error::ParticipantsUnreachable, || ask(&mut w, stranger, Purpose::Treatment, labs, None));
    assert_eq!(pending(&w, patient, 10), (vec![first, research], 2));
    assert_eq!(w.contract.access_request(first + 1), None, "no id was taken");

    // Answers: only the patient approves or declines, only the requester withdraws, only a pending request.
    for caller in [doctor, stranger, researcher] {
        as_caller(caller);
        refused(Error::NotRequestPatient, || w.contract.approve_request(first, DOC));
        refused(Error::NotRequestPatient, || w.contract.decline_request(first));
    }
    // A delegate does not answer requests (representatives will, with their own basis).
    as_caller(patient);
    let guardian = w.guardian;
    add_delegate(&mut w, guardian, None).unwrap();
    as_caller(w.guardian);
    refused(Error::NotRequestPatient, || w.contract.approve_request(first, DOC));
    for caller in [patient, stranger, researcher] {
        as_caller(caller);
        refused(Error::NotRequester, || w.contract.withdraw_request(first));
    }
    as_caller(patient);
    refused(Error::RequestNotFound, || w.contract.approve_request(99, DOC));
    refused(Error::RequestNotFound, || w.contract.decline_request(99));
    as_caller(doctor);
    refused(Error::RequestNotFound, || w.contract.withdraw_request(99));
    let untouched = w.contract.access_request(first);
    assert_eq!(untouched.as_ref().map(|request| request.status), Some(RequestStatus::Pending));
    assert_eq!(pending(&w, patient, 10), (vec![first, research], 2));
    assert_eq!(w.contract.consents_of(patient, None, 10).len, 0);
}

#[ink::test]
fn an_approval_is_validated_as_a_grant_and_refusals_change_nothing() {
    let mut w = world();
    let (patient, doctor) = (w.patient, w.doctor);
    let id = doctor_requests(&mut w, Some(NOW + DAY)).unwrap();
    let asked = w.contract.access_request(id);
    // The doctor already holds MAX_ACTIVE_PER_KEY live consents: the approval is refused as a grant would be.
    for _ in 0..MAX_ACTIVE_PER_KEY {
        permit_treatment(&mut w, Grantee::Account(doctor));
    }
    as_caller(patient);
    refused(Error::TooManyActiveConsents, || w.contract.approve_request(id, DOC));
    assert_eq!(w.contract.access_request(id), asked);
    assert_eq!(pending(&w, patient, 10), (vec![id], 1));
    assert_eq!(w.contract.consents_of(patient, None, 50).len, u64::from(MAX_ACTIVE_PER_KEY));
    // Past its end it can no longer be approved, only declined.
    at(NOW + DAY);
    refused(Error::PeriodEnded, || w.contract.approve_request(id, DOC));
    assert_eq!(w.contract.access_request(id), asked);
    w.contract.decline_request(id).unwrap();
    refused(Error::RequestNotPending, || w.contract.approve_request(id, DOC));
    refused(Error::RequestNotPending, || w.contract.decline_request(id));
    as_caller(doctor);
    refused(Error::RequestNotPending, || w.contract.withdraw_request(id));
}

#[ink::test]
fn the_patient_declines_and_the_requester_withdraws() {
    let mut w = world();
    let (patient, doctor, researcher) = (w.patient, w.doctor, w.researcher);
    let declined = doctor_requests(&mut w, None).unwrap();
    as_caller(researcher);
    let withdrawn = w.contract.request_access(patient, Purpose::Research, DataClassSet::GENERAL, read(), None, REASON);
    let withdrawn = withdrawn.unwrap();
    at(NOW + 5);
    as_caller(patient);
    let before = events();
    w.contract.decline_request(declined).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(
        last_event::<AccessRequestDeclined>(),
        AccessRequestDeclined { patient, requester: doctor, request: declined, declined_by: patient }
    );
    let request = w.contract.access_request(declined).unwrap();
    assert_eq!((request.status, request.closed_at), (RequestStatus::Declined, Some(NOW + 5)));
    assert_eq!(pending(&w, patient, 10), (vec![withdrawn], 1));
    assert_eq!(doctor_reads_labs(&w), Err(Denied::NoConsent));
    as_caller(researcher);
    w.contract.withdraw_request(withdrawn).unwrap();
    assert_eq!(
        last_event::<AccessRequestWithdrawn>(),
        AccessRequestWithdrawn { patient, requester: researcher, request: withdrawn }
    );
    assert_eq!(w.contract.access_request(withdrawn).unwrap().status, RequestStatus::Withdrawn);
    assert_eq!(pending(&w, patient, 10), (vec![], 0));
    assert_eq!(w.contract.consents_of(patient, None, 10).len, 0, "no consent was made");
    // Closed, the requester may ask again.
    assert_eq!(doctor_requests(&mut w, None), Ok(withdrawn + 1));
}

#[ink::test]
fn pending_requests_are_bounded_per_patient_and_read_page_by_page() {
    let mut w = world();
    let patient = w.patient;
    let labs = DataClassSet::of(DataClass::Labs);
    let requesters: Vec<AccountId> = (0..=MAX_PENDING_REQUESTS).map(|n| provider(&w, 0x60 + n as u8)).collect();
    let mut ids = Vec::new();
    for requester in &requesters[..MAX_PENDING_REQUESTS as usize] {
        as_caller(*requester);
        ids.push(w.contract.request_access(patient, Purpose::Treatment, labs, read(), None, REASON).unwrap());
    }
    let last = requesters[MAX_PENDING_REQUESTS as usize];
    as_caller(last);
    refused(Error::TooManyPendingRequests, || {
        w.contract.request_access(patient, Purpose::Treatment, labs, read(), None, REASON)
    });
    let newest_first: Vec<RequestId> = ids.iter().rev().copied().collect();
    for limit in [1, 3, 50] {
        assert_eq!(pending(&w, patient, limit), (newest_first.clone(), u64::from(MAX_PENDING_REQUESTS)));
    }
    assert_eq!(pending(&w, w.stranger, 10), (vec![], 0), "another patient's queue is empty");
    // Another patient's queue is not affected.
    let stranger = w.stranger;
    assert!(w.contract.request_access(stranger, Purpose::Treatment, labs, read(), None, REASON).is_ok());
    assert_eq!(
        w.contract.pending_requests(patient, Some(ids[0] + 100), 10).items,
        vec![],
        "a foreign id reads nothing"
    );
    // Declining one (from the middle) frees a slot.
    as_caller(patient);
    w.contract.decline_request(ids[7]).unwrap();
    as_caller(last);
    let latest = w.contract.request_access(patient, Purpose::Treatment, labs, read(), None, REASON).unwrap();
    let mut expected: Vec<RequestId> = newest_first.iter().copied().filter(|id| *id != ids[7]).collect();
    expected.insert(0, latest);
    assert_eq!(pending(&w, patient, 4), (expected, u64::from(MAX_PENDING_REQUESTS)));
}

// ---- personal representatives ----

/// The minor patient's age of majority in the representative tests.
const MAJORITY: Timestamp = NOW + 100 * DAY;

/// An appointed issuer (a court) of the world's participants stub (`n` picks it).
fn issuer(w: &World, n: u8) -> AccountId {
    let issuer = addr(n);
    stubs::set_roles(w.participants, issuer, &[Role::Issuer]);
    issuer
}

/// SubstanceUse, the adolescent-confidential class the tests' guardianship excludes.
fn confidential() -> DataClassSet {
    DataClassSet::of(DataClass::SubstanceUse)
}

/// The court (issuer 0x54) attests the world's guardian as the patient's representative from now until the age of
/// majority, SubstanceUse excluded; returns the court.
fn guardianship(w: &mut World) -> AccountId {
    let court = issuer(w, 0x54);
    as_caller(court);
    w.contract.represent(w.patient, w.guardian, NOW, Some(MAJORITY), confidential()).unwrap();
    court
}

/// `patient`'s representations not over, read `limit` at a time.
fn representatives(w: &World, patient: AccountId, limit: u32) -> Vec<Representation> {
    let (mut items, mut from) = (Vec::new(), 0);
    loop {
        let page = w.contract.representatives(patient, from, limit);
        assert!(page.items.len() <= limit as usize);
        items.extend(page.items);
        match page.next {
            Some(next) => from = next,
            None => return items,
        }
    }
}

#[ink::test]
fn an_issuer_attests_a_representative_who_reads_as_the_patient_until_majority() {
    let mut w = world();
    let (patient, guardian, stranger) = (w.patient, w.guardian, w.stranger);
    let court = issuer(&w, 0x54);
    as_caller(court);
    let before = events();
    let id = w.contract.represent(patient, guardian, NOW, Some(MAJORITY), confidential()).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(
        last_event::<RepresentationAttested>(),
        RepresentationAttested {
            patient,
            representative: guardian,
            representation: id,
            issuer: court,
            valid_from: NOW,
            valid_until: Some(MAJORITY),
            excluded: confidential(),
        }
    );
    let stored = Representation {
        id,
        representative: guardian,
        issuer: court,
        valid_from: NOW,
        valid_until: Some(MAJORITY),
        excluded: confidential(),
    };
    assert_eq!(w.contract.representation_of(patient, guardian), Some(stored));
    assert_eq!(w.contract.representation_of(patient, stranger), None);
    assert_eq!(representatives(&w, patient, 1), vec![stored]);

    // As the patient: any purpose, any action, every class but the excluded one, asking participants nothing.
    let asked = stubs::asked(w.participants, stubs::Message::HasRole);
    for (purpose, class, action) in [
        (Purpose::Treatment, DataClass::Labs, Action::Read),
        (Purpose::Research, DataClass::MentalHealth, Action::Write),
        (Purpose::Payment, DataClass::Genomic, Action::Read),
    ] {
        assert_eq!(check(&w, guardian, purpose, class, action), Ok(Basis::Representative(id)));
    }
    assert_eq!(stubs::asked(w.participants, stubs::Message::HasRole), asked, "participants not asked");
    // For the excluded class it is anyone else: the guardian holds no Provider credential.
    let substance_use = check(&w, guardian, Purpose::Treatment, DataClass::SubstanceUse, Action::Read);
    assert_eq!(substance_use, Err(Denied::RoleNotHeld(Role::Provider)));
    assert!(w.contract.represents(patient, guardian, DataClass::Labs));
    assert!(!w.contract.represents(patient, guardian, DataClass::SubstanceUse));
    assert!(!w.contract.represents(patient, stranger, DataClass::Labs));
    assert!(!w.contract.represents(guardian, patient, DataClass::Labs), "not the other way round");

    // The age of majority ends it.
    at(MAJORITY);
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );
    assert!(!w.contract.represents(patient, guardian, DataClass::Labs));
    assert_eq!(w.contract.representation_of(patient, guardian), None);
    assert_eq!(representatives(&w, patient, 4), vec![]);
}

#[ink::test]
fn a_representation_starting_later_acts_only_from_then() {
    let mut w = world();
    let (patient, guardian) = (w.patient, w.guardian);
    let court = issuer(&w, 0x54);
    as_caller(court);
    let id = w.contract.represent(patient, guardian, NOW + DAY, None, DataClassSet::EMPTY).unwrap();
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );
    assert!(w.contract.representation_of(patient, guardian).is_some(), "listed before it starts");
    at(NOW + DAY);
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::SubstanceUse, Action::Read),
        Ok(Basis::Representative(id))
    );
}

#[ink::test]
fn only_an_appointed_issuer_attests_and_bad_attestations_change_nothing() {
    let mut w = world();
    let (patient, guardian, doctor, stranger) = (w.patient, w.guardian, w.doctor, w.stranger);
    let court = issuer(&w, 0x54);
    let attest = |w: &mut World, representative, from, until, excluded| {
        w.contract.represent(patient, representative, from, until, excluded)
    };
    for caller in [stranger, doctor, patient, guardian] {
        as_caller(caller);
        refused(Error::NotIssuer, || attest(&mut w, addr(0x66), NOW, None, confidential()));
    }
    as_caller(court);
    refused(Error::SelfRepresentation, || attest(&mut w, patient, NOW, None, confidential()));
    refused(Error::IssuerAsRepresentative, || attest(&mut w, court, NOW, None, confidential()));
    refused(Error::MalformedClassSet, || attest(&mut w, guardian, NOW, None, DataClassSet(1 << 12)));
    refused(Error::BroadExclusion, || attest(&mut w, guardian, NOW, None, DataClassSet::GENERAL));
    refused(Error::InvalidPeriod, || attest(&mut w, guardian, NOW, Some(NOW), confidential()));
    refused(Error::PeriodEnded, || attest(&mut w, guardian, 0, Some(NOW), confidential()));
    stubs::remove(w.participants);
    refused(Error::ParticipantsUnreachable, || attest(&mut w, guardian, NOW, None, confidential()));
    stubs::deploy(w.participants);
    assert_eq!(representatives(&w, patient, 4), vec![]);
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );

    // One per (patient, representative), MAX_REPRESENTATIVES per patient.
    attest(&mut w, guardian, NOW, Some(MAJORITY), confidential()).unwrap();
    refused(Error::RepresentationExists, || attest(&mut w, guardian, NOW, None, DataClassSet::EMPTY));
    let another_court = issuer(&w, 0x55);
    as_caller(another_court);
    refused(Error::RepresentationExists, || attest(&mut w, guardian, NOW, None, DataClassSet::EMPTY));
    for n in 1..MAX_REPRESENTATIVES {
        attest(&mut w, addr(0x60 + n as u8), NOW, Some(NOW + DAY), DataClassSet::EMPTY).unwrap();
    }
    let full = representatives(&w, patient, 2);
    assert_eq!(full.len(), MAX_REPRESENTATIVES as usize);
    refused(Error::TooManyRepresentatives, || attest(&mut w, addr(0x70), NOW, None, DataClassSet::EMPTY));
    assert_eq!(representatives(&w, patient, 4), full);
    // Expired ones free their slots.
    at(NOW + DAY);
    attest(&mut w, addr(0x70), NOW + DAY, None, DataClassSet::EMPTY).unwrap();
    assert_eq!(representatives(&w, patient, 4).len(), 2);
}

#[ink::test]
fn its_issuer_or_the_admin_ends_a_representation() {
    let mut w = world();
    let (patient, guardian, stranger, admin) = (w.patient, w.guardian, w.stranger, w.admin);
    let court = guardianship(&mut w);
    let another_court = issuer(&w, 0x55);
    for caller in [stranger, guardian, patient, another_court] {
        as_caller(caller);
        refused(Error::NotRepresentationIssuer, || w.contract.end_representation(patient, guardian));
    }
    as_caller(court);
    refused(Error::RepresentationNotFound, || w.contract.end_representation(patient, stranger));
    assert!(w.contract.represents(patient, guardian, DataClass::Labs), "refusals change nothing");

    at(NOW + 5);
    w.contract.end_representation(patient, guardian).unwrap();
    assert_eq!(
        last_event::<RepresentationEnded>(),
        RepresentationEnded { patient, representative: guardian, representation: 1, ended_by: court }
    );
    assert!(!w.contract.represents(patient, guardian, DataClass::Labs));
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );
    refused(Error::RepresentationNotFound, || w.contract.end_representation(patient, guardian));
    assert_eq!(representatives(&w, patient, 4), vec![]);

    // Ended, it may be attested again (a new id); the admin ends it too.
    let id = w.contract.represent(patient, guardian, NOW + 5, None, DataClassSet::EMPTY).unwrap();
    assert_eq!(id, 2);
    as_caller(admin);
    w.contract.end_representation(patient, guardian).unwrap();
    assert_eq!(last_event::<RepresentationEnded>().ended_by, admin);
    assert_eq!(w.contract.representation_of(patient, guardian), None);
}

/// Regression (issue #18): a guardian could not exist for a patient who has no key (only the patient's account added
/// delegates), and no delegate could act for the patient beyond granting. Now an issuer attests the guardian, who
/// grants, revokes and adds and removes delegates for the patient (the patient never signs anything), for every class
/// but the excluded ones.
#[ink::test]
fn a_guardian_acts_for_a_patient_who_has_no_key() {
    let mut w = world();
    let (patient, guardian, doctor, stranger) = (w.patient, w.guardian, w.doctor, w.stranger);
    guardianship(&mut w);

    let consent = Grant::to(&w, Grantee::Account(doctor)).by(&mut w, guardian).unwrap();
    assert_eq!(last_event::<ConsentGranted>().granted_by, guardian);
    let granted = w.contract.consent(consent).unwrap();
    assert_eq!((granted.granted_by, granted.delegation), (guardian, None));
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(consent)));

    // Nothing that covers the excluded class: a Permit naming it, a Deny of everything.
    let substance = DataClassSet::of(DataClass::SubstanceUse);
    let before = events();
    for grant in [
        Grant::to(&w, Grantee::Account(doctor)).classes(substance),
        Grant::to(&w, Grantee::Account(doctor)).classes(DataClassSet::GENERAL.with(DataClass::SubstanceUse)),
        Grant::to(&w, Grantee::Account(stranger)).deny().classes(DataClassSet::GENERAL),
    ] {
        assert_eq!(grant.by(&mut w, guardian), Err(Error::ClassExcluded));
    }
    assert_eq!(events(), before);
    assert_eq!(w.contract.consents_of(patient, None, 10).len, 1);
    // A Deny naming other classes is the guardian's to make.
    let deny = Grant::to(&w, Grantee::Account(stranger)).deny().classes(DataClassSet::of(DataClass::Labs));
    deny.by(&mut w, guardian).unwrap();

    // Delegates: added and removed for the patient, named `added_by` / `removed_by`; none for the excluded class.
    as_caller(guardian);
    let DelegateScope { purposes, classes, actions } = treatment_read_scope();
    w.contract.add_delegate(patient, stranger, purposes, classes, actions, None).unwrap();
    assert_eq!(last_event::<DelegateAdded>().added_by, guardian);
    assert_eq!(w.contract.delegates(patient), vec![delegation(stranger, 1, None)]);
    refused(Error::ClassExcluded, || w.contract.add_delegate(patient, doctor, purposes, substance, actions, None));
    w.contract.remove_delegate(patient, stranger).unwrap();
    assert_eq!(last_event::<DelegateRemoved>(), DelegateRemoved { patient, delegate: stranger, removed_by: guardian });

    // It revokes as the patient: the patient's own consents too, but none covering the excluded class.
    let patients = Grant::to(&w, Grantee::Account(doctor)).classes(substance).by_patient(&mut w).unwrap();
    as_caller(guardian);
    refused(Error::ClassExcluded, || w.contract.revoke(patients));
    let patients_labs = Grant::to(&w, Grantee::Account(stranger)).by_patient(&mut w).unwrap();
    as_caller(guardian);
    w.contract.revoke(patients_labs).unwrap();
    assert_eq!(last_event::<ConsentRevoked>().revoked_by, guardian);

    // What it did stays when its period ends (the patient, now of age, revokes it); it acts no more.
    at(MAJORITY);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(consent)));
    assert_eq!(Grant::to(&w, Grantee::Account(doctor)).by(&mut w, guardian), Err(Error::NotPatientOrDelegate));
    as_caller(guardian);
    refused(Error::NotPatientOrDelegate, || w.contract.revoke(consent));
    refused(Error::NotPatientOrRepresentative, || {
        w.contract.add_delegate(patient, stranger, purposes, classes, actions, None)
    });
}

/// A representative stands in the patient's shoes: the patient's Deny to its account does not bind it (the issuer's
/// exclusions do).
#[ink::test]
fn a_patients_deny_does_not_bind_their_representative() {
    let mut w = world();
    let (patient, guardian) = (w.patient, w.guardian);
    let everything = purposes(&Purpose::ALL);
    let deny = Grant::to(&w, Grantee::Account(guardian)).deny().purposes(everything).classes(DataClassSet::GENERAL);
    let deny = deny.by_patient(&mut w).unwrap();
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::RoleNotHeld(Role::Provider))
    );
    stubs::set_roles(w.participants, guardian, &[Role::Provider]);
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );
    guardianship(&mut w);
    assert_eq!(check(&w, guardian, Purpose::Treatment, DataClass::Labs, Action::Read), Ok(Basis::Representative(1)));
    // For the excluded class it is the provider it is, and the Deny binds it.
    assert_eq!(
        check(&w, guardian, Purpose::Treatment, DataClass::SubstanceUse, Action::Read),
        Err(Denied::DeniedByConsent(deny))
    );
    assert_eq!(w.contract.consent(deny).unwrap().patient, patient);
}

#[ink::test]
fn a_representative_answers_access_requests_and_reviews_emergencies() {
    let mut w = world();
    let (patient, guardian, doctor, stranger) = (w.patient, w.guardian, w.doctor, w.stranger);
    guardianship(&mut w);
    // A delegate answers no request.
    as_caller(patient);
    add_delegate(&mut w, stranger, None).unwrap();

    let id = doctor_requests(&mut w, None).unwrap();
    as_caller(stranger);
    refused(Error::NotRequestPatient, || w.contract.approve_request(id, DOC));
    refused(Error::NotRequestPatient, || w.contract.decline_request(id));
    as_caller(guardian);
    let consent = w.contract.approve_request(id, DOC).unwrap();
    assert_eq!(
        last_event::<AccessRequestApproved>(),
        AccessRequestApproved { patient, requester: doctor, request: id, consent, approved_by: guardian }
    );
    assert_eq!(last_of::<ConsentGranted>().granted_by, guardian);
    assert_eq!(doctor_reads_labs(&w), Ok(Basis::Consent(consent)));

    // A request covering the excluded class is the patient's alone.
    as_caller(doctor);
    let substance = DataClassSet::of(DataClass::SubstanceUse);
    let confidential_request =
        w.contract.request_access(patient, Purpose::Treatment, substance, read(), None, REASON).unwrap();
    as_caller(guardian);
    refused(Error::ClassExcluded, || w.contract.approve_request(confidential_request, DOC));
    refused(Error::ClassExcluded, || w.contract.decline_request(confidential_request));
    assert_eq!(w.contract.access_request(confidential_request).unwrap().status, RequestStatus::Pending);
    as_caller(patient);
    w.contract.decline_request(confidential_request).unwrap();
    let other = doctor_requests(&mut w, None).unwrap();
    as_caller(guardian);
    w.contract.decline_request(other).unwrap();
    assert_eq!(last_event::<AccessRequestDeclined>().declined_by, guardian);

    // Emergencies: it reviews one and ends another, as the patient would.
    as_caller(doctor);
    let emergency = w.contract.declare_emergency(patient, REASON).unwrap();
    as_caller(guardian);
    w.contract.review_emergency(emergency, true, NOTE).unwrap();
    assert_eq!(last_event::<EmergencyReviewed>().reviewed_by, guardian);
    w.contract.end_emergency(emergency).unwrap();
    assert_eq!(last_event::<EmergencyAccessEnded>().ended_by, guardian);
    let second = provider(&w, 0x61);
    as_caller(second);
    let emergency = w.contract.declare_emergency(patient, REASON).unwrap();
    at(MAJORITY);
    as_caller(guardian);
    refused(Error::NotReviewer, || w.contract.review_emergency(emergency, false, NOTE));
}

/// Regression (issue #18 leftover): an expired pending access request held its requester's slot until the patient
/// declined it. The requester's next request replaces it now (it closes as Expired, evented with the new one); one
/// not expired still holds the slot.
#[ink::test]
fn an_expired_pending_request_is_replaced_by_its_requesters_next() {
    let mut w = world();
    let (patient, researcher) = (w.patient, w.researcher);
    let first = doctor_requests(&mut w, Some(NOW + DAY)).unwrap();
    as_caller(researcher);
    let other = w.contract.request_access(patient, Purpose::Research, DataClassSet::GENERAL, read(), None, REASON);
    let other = other.unwrap();
    refused(Error::RequestPending, || doctor_requests(&mut w, None));
    at(NOW + DAY);
    let second = doctor_requests(&mut w, None).unwrap();
    assert_eq!(last_event::<AccessRequested>().replaces, Some(first));
    let expired = w.contract.access_request(first).unwrap();
    assert_eq!(
        (expired.status, expired.closed_at, expired.pending),
        (RequestStatus::Expired, Some(NOW + DAY), Links::default())
    );
    assert_eq!(pending(&w, patient, 1), (vec![second, other], 2), "the list stays linked");
    // The new one holds the slot until it expires or is answered.
    refused(Error::RequestPending, || doctor_requests(&mut w, None));
    as_caller(patient);
    refused(Error::RequestNotPending, || w.contract.decline_request(first));
    w.contract.decline_request(second).unwrap();
    assert_eq!(pending(&w, patient, 10), (vec![other], 1));
}
