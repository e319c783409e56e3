//! Unit tests: every rule and every refusal of the records contract through its messages, with participants and
//! consent stubbed (the rules alone are tested in `pointer.rs`).

use crate::{pointer::MAX_LOCATOR, records::*};
use ink::{
    env::test,
    prelude::vec::Vec,
    primitives::{AccountId, Hash},
};
use interfaces::{
    governance::Dependency,
    stubs::{self, Message},
    testing::{accounts, addr, as_caller, at, events, last_event, last_topics, refused, Env, DAY},
    Action, Basis, DataClass, Denied, Hash32, Page, Purpose, RecordId, RecordRegistry as _, RecordStatus, Role,
};

const HASH: Hash32 = [0xAB; 32];
const LOCATOR: &[u8] = b"https://custodian.example/v1/blobs/0xabab";

struct World {
    contract: Records,
    admin: AccountId,
    patient: AccountId,
    provider: AccountId,
    other_provider: AccountId,
    stranger: AccountId,
    payer: AccountId,
    participants: AccountId,
    consent: AccountId,
}

/// Alice deploys at day 10. Charlie and Django are Providers, Frank is a Payer; Bob is the patient, Eve nobody.
fn world() -> World {
    let accounts = accounts();
    at(10 * DAY);
    let participants = addr(0xA1);
    let consent = addr(0xC1);
    stubs::set_roles(participants, accounts.charlie, &[Role::Provider]);
    stubs::set_roles(participants, accounts.django, &[Role::Provider]);
    stubs::set_roles(participants, accounts.frank, &[Role::Payer]);
    stubs::deploy(consent);
    as_caller(accounts.alice);
    World {
        contract: Records::new(accounts.alice, participants, consent),
        admin: accounts.alice,
        patient: accounts.bob,
        provider: accounts.charlie,
        other_provider: accounts.django,
        stranger: accounts.eve,
        payer: accounts.frank,
        participants,
        consent,
    }
}

/// The consent stub answers `check(patient, accessor, purpose, class, action)` with `result`.
fn consent_says(
    w: &World,
    accessor: AccountId,
    purpose: Purpose,
    class: DataClass,
    action: Action,
    result: core::result::Result<Basis, Denied>,
) {
    stubs::set_check(w.consent, (w.patient, accessor, purpose, class, action), result);
}

/// The patient registers a record of `class` for themself.
fn patient_registers(w: &mut World, class: DataClass) -> RecordId {
    as_caller(w.patient);
    w.contract.register(w.patient, class, HASH, LOCATOR.to_vec(), None).unwrap()
}

/// The patient replaces `old` with a second version of `class` (content hash [2; 32]); returns its id.
fn patient_replaces(w: &mut World, old: RecordId, class: DataClass) -> RecordId {
    as_caller(w.patient);
    w.contract.register(w.patient, class, [2; 32], b"v2".to_vec(), Some(old)).unwrap()
}

/// The provider, with a Write consent (id 1) for `class`, registers a record for the patient.
fn provider_registers(w: &mut World, class: DataClass) -> RecordId {
    consent_says(w, w.provider, Purpose::Treatment, class, Action::Write, Ok(Basis::Consent(1)));
    as_caller(w.provider);
    w.contract.register(w.patient, class, HASH, LOCATOR.to_vec(), None).unwrap()
}

fn log(w: &World) -> Vec<Disclosure> {
    w.contract.disclosures(w.patient, 0, 50).items
}

/// `accessor` opens `record` for `purpose`, the first disclosure of the patient's: it gets the basis, one event is
/// emitted and the log holds exactly this disclosure, now, on `basis`.
fn opens_first(w: &mut World, accessor: AccountId, record: RecordId, purpose: Purpose, basis: Basis) {
    as_caller(accessor);
    let before = events();
    assert_eq!(w.contract.open(record, purpose), Ok(basis));
    assert_eq!(events(), before + 1);
    let at = ink::env::block_timestamp::<Env>();
    assert_eq!(log(w), [Disclosure { at, accessor, record, purpose, basis }]);
}

/// Nothing was emitted since `before` and the patient's disclosure log is empty.
fn nothing_logged(w: &World, before: usize) {
    assert_eq!(events(), before);
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 0);
}

// ---- governance ----

#[ink::test]
fn deployer_is_admin_and_transfer_takes_two_steps() {
    let mut w = world();
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), w.participants);
    assert_eq!(w.contract.dependency(Dependency::Consent).unwrap(), w.consent);
    interfaces::two_step_admin_transfer!(w.contract, w.admin, w.stranger, w.payer);
    as_caller(w.admin);
    assert_eq!(
        w.contract.set_dependency(Dependency::Consent, w.stranger),
        Err(Error::NotAdmin),
        "the old admin is no longer admin"
    );
}

#[ink::test]
fn only_the_admin_changes_dependencies_or_code() {
    let mut w = world();
    let before = events();
    for outsider in [w.stranger, w.patient, w.provider] {
        as_caller(outsider);
        assert_eq!(w.contract.set_dependency(Dependency::Participants, outsider), Err(Error::NotAdmin));
        assert_eq!(w.contract.set_dependency(Dependency::Consent, outsider), Err(Error::NotAdmin));
        assert_eq!(w.contract.upgrade(Hash::from([1; 32])), Err(Error::NotAdmin));
    }
    assert_eq!(events(), before);
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), w.participants);
    assert_eq!(w.contract.dependency(Dependency::Consent).unwrap(), w.consent);

    as_caller(w.admin);
    let new_participants = addr(0xA2);
    let new_consent = addr(0xC2);
    w.contract.set_dependency(Dependency::Participants, new_participants).unwrap();
    w.contract.set_dependency(Dependency::Consent, new_consent).unwrap();
    assert_eq!(events(), before + 2);
    assert_eq!(w.contract.dependency(Dependency::Participants).unwrap(), new_participants);
    assert_eq!(w.contract.dependency(Dependency::Consent).unwrap(), new_consent);
    assert_eq!(w.contract.set_dependency(Dependency::Records, new_consent), Err(Error::NotADependency));
    assert_eq!(w.contract.dependency(Dependency::Records), None);
    assert_eq!(events(), before + 2);

    // The new consent is the one asked: nothing is deployed there yet. (Participants is asked through consent.)
    let id = patient_registers(&mut w, DataClass::Labs);
    as_caller(w.provider);
    assert_eq!(w.contract.can_open(id, w.provider, Purpose::Treatment), Err(Error::ConsentUnreachable));
    let write = (w.patient, w.provider, Purpose::Treatment, DataClass::Labs, Action::Write);
    stubs::set_check(new_consent, write, Ok(Basis::Consent(1)));
    let own = w.contract.register(w.patient, DataClass::Labs, HASH, LOCATOR.to_vec(), None).unwrap();
    assert_eq!(w.contract.can_open(own, w.provider, Purpose::Treatment), Ok(Basis::Author));
    assert_eq!(stubs::asked(new_consent, Message::Check), 3, "the unanswered Read, the Write, the author's Read");
    assert_eq!(stubs::asked(w.consent, Message::Check), 0, "the old consent never");
}

// ---- registering ----

#[ink::test]
fn the_patient_registers_without_asking_anyone() {
    let mut w = world();
    stubs::remove(w.participants);
    stubs::remove(w.consent);
    at(12 * DAY);
    let before = events();
    let first = patient_registers(&mut w, DataClass::Labs);
    let second = patient_registers(&mut w, DataClass::MentalHealth);
    assert_eq!((first, second), (1, 2), "ids start at 1");
    assert_eq!(events(), before + 2);

    let record = w.contract.record(first).unwrap();
    assert_eq!(
        record,
        Record {
            id: 1,
            patient: w.patient,
            author: w.patient,
            class: DataClass::Labs,
            content_hash: HASH,
            locator: LOCATOR.to_vec(),
            created_at: 12 * DAY,
            status: RecordStatus::Current,
            replaces: None,
            replaced_by: None,
            previous_of_patient: None,
        }
    );
    assert_eq!(w.contract.record(second).unwrap().previous_of_patient, Some(first));
    let summary = w.contract.summary(second).unwrap();
    assert_eq!((summary.patient, summary.author, summary.class), (w.patient, w.patient, DataClass::MentalHealth));
    assert_eq!((summary.status, summary.content_hash, summary.created_at), (RecordStatus::Current, HASH, 12 * DAY));
    assert_eq!(w.contract.summary(3), None);
    assert_eq!(w.contract.record(3), None);
    assert_eq!(
        w.contract.records_of(w.patient, None, 10),
        Page { items: ink::prelude::vec![2, 1], next: None, len: 2 }
    );
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, 2);
}

#[ink::test]
fn a_provider_with_a_write_consent_registers() {
    let mut w = world();
    let before = events();
    let id = provider_registers(&mut w, DataClass::Imaging);
    assert_eq!(events(), before + 1);
    let record = w.contract.record(id).unwrap();
    assert_eq!((record.patient, record.author, record.class), (w.patient, w.provider, DataClass::Imaging));
    assert_eq!(w.contract.records_of(w.patient, None, 10).items, [id]);
    assert!(w.contract.records_of(w.provider, None, 10).items.is_empty(), "listed under the patient, not the author");
}

#[ink::test]
fn registration_refusals_change_nothing() {
    let mut w = world();
    let before = events();
    let (stranger, payer, provider, other_provider) = (w.stranger, w.payer, w.provider, w.other_provider);
    let attempt = |w: &mut World, caller: AccountId, class: DataClass| {
        as_caller(caller);
        w.contract.register(w.patient, class, HASH, LOCATOR.to_vec(), None)
    };

    // Consent answers for the Treatment purpose's role: neither a stranger nor a payer is a Provider.
    for accessor in [stranger, payer] {
        consent_says(
            &w,
            accessor,
            Purpose::Treatment,
            DataClass::Labs,
            Action::Write,
            Err(Denied::RoleNotHeld(Role::Provider)),
        );
    }
    assert_eq!(
        attempt(&mut w, stranger, DataClass::Labs),
        Err(Error::RoleNotHeld(Role::Provider)),
        "neither patient nor provider"
    );
    assert_eq!(
        attempt(&mut w, payer, DataClass::Labs),
        Err(Error::RoleNotHeld(Role::Provider)),
        "a payer is no provider"
    );
    assert_eq!(attempt(&mut w, provider, DataClass::Labs), Err(Error::Denied(Denied::NoConsent)));

    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(1)));
    assert_eq!(
        attempt(&mut w, provider, DataClass::Labs),
        Err(Error::Denied(Denied::NoConsent)),
        "a Read consent does not allow writing"
    );
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Write, Ok(Basis::Consent(1)));
    assert_eq!(attempt(&mut w, provider, DataClass::Genomic), Err(Error::Denied(Denied::NoConsent)), "wrong class");
    assert_eq!(attempt(&mut w, other_provider, DataClass::Labs), Err(Error::Denied(Denied::NoConsent)));
    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Labs, Action::Write, Err(Denied::Revoked(2)));
    assert_eq!(attempt(&mut w, other_provider, DataClass::Labs), Err(Error::Denied(Denied::Revoked(2))));

    consent_says(
        &w,
        w.provider,
        Purpose::Treatment,
        DataClass::Labs,
        Action::Write,
        Err(Denied::ParticipantsUnreachable),
    );
    assert_eq!(attempt(&mut w, provider, DataClass::Labs), Err(Error::ParticipantsUnreachable), "as consent answered");
    stubs::remove(w.consent);
    assert_eq!(attempt(&mut w, provider, DataClass::Labs), Err(Error::ConsentUnreachable));

    assert_eq!(events(), before);
    assert_eq!(w.contract.record(1), None);
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, 0);

    stubs::deploy(w.consent);
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Write, Ok(Basis::Consent(1)));
    assert_eq!(attempt(&mut w, provider, DataClass::Labs), Ok(1), "refusals used no id");
}

#[ink::test]
fn the_pointer_is_bounded() {
    let mut w = world();
    as_caller(w.patient);
    let before = events();
    let p = w.patient;
    assert_eq!(w.contract.register(p, DataClass::Labs, HASH, Vec::new(), None), Err(Error::EmptyLocator));
    assert_eq!(
        w.contract.register(p, DataClass::Labs, HASH, ink::prelude::vec![7; MAX_LOCATOR + 1], None),
        Err(Error::LocatorTooLong)
    );
    assert_eq!(w.contract.register(p, DataClass::Labs, [0; 32], LOCATOR.to_vec(), None), Err(Error::EmptyContentHash));
    assert_eq!(events(), before);
    assert_eq!(w.contract.records_of(p, None, 0).len, 0);

    let id = w.contract.register(p, DataClass::Labs, HASH, ink::prelude::vec![7; MAX_LOCATOR], None).unwrap();
    assert_eq!(w.contract.record(id).unwrap().locator.len(), MAX_LOCATOR, "exactly the bound is allowed");
}

#[ink::test]
fn ids_and_counters_do_not_overflow() {
    let mut w = world();
    w.contract.set_next_id(u64::MAX);
    as_caller(w.patient);
    let before = events();
    assert_eq!(w.contract.register(w.patient, DataClass::Labs, HASH, LOCATOR.to_vec(), None), Err(Error::Overflow));
    assert_eq!(events(), before);
    assert_eq!(w.contract.record(u64::MAX), None);
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, 0);

    w.contract.set_next_id(5);
    let id = patient_registers(&mut w, DataClass::Labs);
    w.contract.set_disclosure_count(w.patient, u64::MAX);
    let before = events();
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::Overflow));
    assert_eq!(events(), before);
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, u64::MAX);
}

// ---- superseding and entered in error ----

#[ink::test]
fn a_supersede_chain_links_both_ways() {
    let mut w = world();
    let first = provider_registers(&mut w, DataClass::Labs);
    as_caller(w.provider);
    let before = events();
    let second = w.contract.register(w.patient, DataClass::Labs, [2; 32], b"v2".to_vec(), Some(first)).unwrap();
    assert_eq!(events(), before + 1, "registered: the superseded record has no event of its own");
    let third = w.contract.register(w.patient, DataClass::Labs, [3; 32], b"v3".to_vec(), Some(second)).unwrap();

    let (r1, r2, r3) =
        (w.contract.record(first).unwrap(), w.contract.record(second).unwrap(), w.contract.record(third).unwrap());
    assert_eq!((r1.status, r1.replaces, r1.replaced_by), (RecordStatus::Superseded, None, Some(second)));
    assert_eq!((r2.status, r2.replaces, r2.replaced_by), (RecordStatus::Superseded, Some(first), Some(third)));
    assert_eq!((r3.status, r3.replaces, r3.replaced_by), (RecordStatus::Current, Some(second), None));
    assert_eq!(r3.author, w.provider);

    // A superseded record is history: still there, still verifiable, still opened by the patient.
    assert!(w.contract.verify(first, HASH));
    as_caller(w.patient);
    assert_eq!(w.contract.open(first, Purpose::Treatment), Ok(Basis::Patient));
}

#[ink::test]
fn replacing_refusals_change_nothing() {
    let mut w = world();
    let first = patient_registers(&mut w, DataClass::Labs);
    let replaced = patient_registers(&mut w, DataClass::Labs);
    patient_replaces(&mut w, replaced, DataClass::Labs);
    let others = {
        as_caller(w.stranger);
        w.contract.register(w.stranger, DataClass::Labs, HASH, LOCATOR.to_vec(), None).unwrap()
    };
    let before = events();
    let count = w.contract.records_of(w.patient, None, 0).len;

    as_caller(w.patient);
    let p = w.patient;
    let replace = |w: &mut World, class: DataClass, old: RecordId| {
        w.contract.register(p, class, HASH, LOCATOR.to_vec(), Some(old))
    };
    assert_eq!(replace(&mut w, DataClass::Labs, 99), Err(Error::ReplacedRecordNotFound));
    assert_eq!(replace(&mut w, DataClass::Labs, others), Err(Error::ReplacedRecordOfAnotherPatient));
    assert_eq!(replace(&mut w, DataClass::MentalHealth, first), Err(Error::ReplacedRecordOfAnotherClass));
    assert_eq!(replace(&mut w, DataClass::Labs, replaced), Err(Error::ReplacedRecordNotCurrent), "already superseded");

    // The provider supersedes only what it wrote (first is the patient's: refused before consent is asked), and
    // only with the Write consent still in hand.
    as_caller(w.provider);
    assert_eq!(
        w.contract.register(p, DataClass::Labs, HASH, LOCATOR.to_vec(), Some(first)),
        Err(Error::NotAuthorOfReplaced)
    );
    assert_eq!(stubs::asked(w.consent, Message::Check), 0);
    assert_eq!(events(), before);
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, count);
    assert_eq!(w.contract.record(first).unwrap().status, RecordStatus::Current);

    let own = provider_registers(&mut w, DataClass::Labs);
    let (before, count) = (events(), w.contract.records_of(w.patient, None, 0).len);
    let own_before = w.contract.record(own);
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Write, Err(Denied::Revoked(1)));
    refused(Error::Denied(Denied::Revoked(1)), || {
        w.contract.register(p, DataClass::Labs, HASH, LOCATOR.to_vec(), Some(own))
    });

    assert_eq!(events(), before);
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, count);
    assert_eq!(w.contract.record(first).unwrap().status, RecordStatus::Current);
    assert_eq!(w.contract.record(own), own_before, "still Current, replaced by nothing");
}

/// Regression (issue #18): anyone allowed to write could supersede another author's record.
#[ink::test]
fn only_the_original_author_supersedes() {
    let mut w = world();
    let p = w.patient;
    let providers = provider_registers(&mut w, DataClass::Labs);
    let patients = patient_registers(&mut w, DataClass::Labs);
    // The other provider may write Labs for the patient: that lets it register, not rewrite the provider's record.
    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Labs, Action::Write, Ok(Basis::Consent(2)));
    let snapshot = |w: &World| (w.contract.record(providers), w.contract.record(patients));
    let before = snapshot(&w);
    let count = w.contract.records_of(p, None, 0).len;
    let replace = |w: &mut World, by: AccountId, old: RecordId| {
        as_caller(by);
        w.contract.register(p, DataClass::Labs, [9; 32], b"v2".to_vec(), Some(old))
    };
    let (provider, other_provider) = (w.provider, w.other_provider);
    for (by, old, why) in [
        (other_provider, providers, "another provider, with a Write consent"),
        (p, providers, "the patient, of a provider's record (the patient erases or asks; does not rewrite)"),
        (provider, patients, "a provider, of the patient's own record"),
        (other_provider, patients, "another provider, of the patient's own record"),
    ] {
        refused(Error::NotAuthorOfReplaced, || replace(&mut w, by, old));
        assert_eq!(snapshot(&w), before, "{why}: nothing changed");
    }
    assert_eq!(w.contract.records_of(p, None, 0).len, count);

    // Each author supersedes its own.
    let v2 = replace(&mut w, provider, providers).unwrap();
    let patients_v2 = replace(&mut w, p, patients).unwrap();
    assert_eq!(w.contract.record(providers).unwrap().replaced_by, Some(v2));
    assert_eq!(w.contract.record(patients).unwrap().replaced_by, Some(patients_v2));
    let event = last_event::<RecordRegistered>();
    assert_eq!((event.record, event.author, event.replaces), (patients_v2, p, Some(patients)));
}

#[ink::test]
fn the_author_marks_entered_in_error_and_then_only_the_patient_opens_it() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::Diagnoses);
    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Diagnoses, Action::Read, Ok(Basis::Consent(4)));
    let before = events();

    for outsider in [w.patient, w.stranger, w.other_provider] {
        as_caller(outsider);
        assert_eq!(w.contract.mark_entered_in_error(id), Err(Error::NotAuthor));
    }
    assert_eq!(w.contract.mark_entered_in_error(99), Err(Error::RecordNotFound));
    assert_eq!(events(), before);
    assert_eq!(w.contract.record(id).unwrap().status, RecordStatus::Current);

    as_caller(w.provider);
    w.contract.mark_entered_in_error(id).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(w.contract.record(id).unwrap().status, RecordStatus::EnteredInError);
    assert_eq!(w.contract.summary(id).unwrap().status, RecordStatus::EnteredInError);
    assert_eq!(w.contract.mark_entered_in_error(id), Err(Error::EnteredInError), "not twice");

    let logged = w.contract.disclosures(w.patient, 0, 0).len;
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::EnteredInError), "not even the author");
    as_caller(w.other_provider);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::EnteredInError), "nor a consented provider");
    assert_eq!(w.contract.can_open(id, w.other_provider, Purpose::Treatment), Err(Error::EnteredInError));
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, logged);

    as_caller(w.patient);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Ok(Basis::Patient));
    assert_eq!(log(&w).last().unwrap().basis, Basis::Patient);
}

#[ink::test]
fn a_superseded_record_can_be_marked_but_an_erased_one_cannot() {
    let mut w = world();
    let old = patient_registers(&mut w, DataClass::Labs);
    let new = patient_replaces(&mut w, old, DataClass::Labs);
    w.contract.mark_entered_in_error(old).unwrap();
    assert_eq!(w.contract.record(old).unwrap().status, RecordStatus::EnteredInError);
    assert_eq!(w.contract.record(new).unwrap().status, RecordStatus::Current, "the replacement is untouched");

    w.contract.erase(new).unwrap();
    let before = events();
    assert_eq!(w.contract.mark_entered_in_error(new), Err(Error::Erased));
    assert_eq!(events(), before);
    assert_eq!(w.contract.record(new).unwrap().status, RecordStatus::Erased);
}

// ---- opening ----

#[ink::test]
fn the_patient_opens_their_own_record_without_asking_anyone() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::MentalHealth);
    stubs::remove(w.participants);
    stubs::remove(w.consent);
    at(20 * DAY);
    as_caller(w.patient);
    assert_eq!(w.contract.can_open(id, w.patient, Purpose::Treatment), Ok(Basis::Patient));
    let patient = w.patient;
    opens_first(&mut w, patient, id, Purpose::Treatment, Basis::Patient);
}

#[ink::test]
fn a_provider_with_a_read_consent_opens_and_is_logged() {
    let mut w = world();
    let id = patient_registers(&mut w, DataClass::Labs);
    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(5)));

    assert_eq!(w.contract.can_open(id, w.other_provider, Purpose::Treatment), Ok(Basis::Consent(5)));
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 0, "a dry run logs nothing");

    at(21 * DAY);
    let other_provider = w.other_provider;
    opens_first(&mut w, other_provider, id, Purpose::Treatment, Basis::Consent(5));
    assert!(w.contract.disclosures(w.other_provider, 0, 50).items.is_empty(), "logged under the patient");
}

#[ink::test]
fn consent_refusals_are_returned_and_log_nothing() {
    let mut w = world();
    let labs = patient_registers(&mut w, DataClass::Labs);
    let imaging = patient_registers(&mut w, DataClass::Imaging);
    let mental = patient_registers(&mut w, DataClass::MentalHealth);
    let genomic = patient_registers(&mut w, DataClass::Genomic);
    let (p, t) = (w.provider, Purpose::Treatment);
    // A broad consent covers Labs only.
    consent_says(&w, p, t, DataClass::Labs, Action::Read, Ok(Basis::Consent(1)));
    // Deny beats permit for mental health; genomic data was never named (the stub default says NoConsent).
    consent_says(&w, p, t, DataClass::MentalHealth, Action::Read, Err(Denied::DeniedByConsent(2)));
    let before = events();

    let cases = [
        (imaging, Denied::NoConsent, "wrong class"),
        (mental, Denied::DeniedByConsent(2), "sensitive class, denied"),
        (genomic, Denied::NoConsent, "sensitive class, never named"),
    ];
    as_caller(p);
    for (record, denied, why) in cases {
        assert_eq!(w.contract.can_open(record, p, t), Err(Error::Denied(denied)), "{why}");
        assert_eq!(w.contract.open(record, t), Err(Error::Denied(denied)), "{why}");
    }
    consent_says(&w, p, Purpose::Research, DataClass::Labs, Action::Read, Err(Denied::RoleNotHeld(Role::Researcher)));
    assert_eq!(w.contract.open(labs, Purpose::Research), Err(Error::RoleNotHeld(Role::Researcher)), "wrong purpose");
    nothing_logged(&w, before);

    // No consent at all for another provider.
    as_caller(w.other_provider);
    assert_eq!(w.contract.open(labs, t), Err(Error::Denied(Denied::NoConsent)));

    // Revoked, expired and not yet valid consents: the consent's reason comes back.
    as_caller(p);
    for denied in [Denied::Revoked(3), Denied::Expired(3), Denied::NotYetValid(3)] {
        consent_says(&w, p, t, DataClass::Labs, Action::Read, Err(denied));
        assert_eq!(w.contract.open(labs, t), Err(Error::Denied(denied)));
        assert_eq!(w.contract.can_open(labs, p, t), Err(Error::Denied(denied)));
    }
    // Consent's answers about roles and participants keep records' own names.
    for (denied, error) in [
        (Denied::RoleNotHeld(Role::Provider), Error::RoleNotHeld(Role::Provider)),
        (Denied::ParticipantsUnreachable, Error::ParticipantsUnreachable),
    ] {
        consent_says(&w, p, t, DataClass::Labs, Action::Read, Err(denied));
        assert_eq!(w.contract.open(labs, t), Err(error));
        assert_eq!(w.contract.can_open(labs, p, t), Err(error));
    }
    nothing_logged(&w, before);
}

#[ink::test]
fn anyone_else_needs_the_purposes_role_as_consent_answers() {
    let mut w = world();
    let id = patient_registers(&mut w, DataClass::Labs);
    // Consent requires the purpose's role: the stranger holds no credential, a payer does not treat.
    let lacks = |role| Err(Denied::RoleNotHeld(role));
    consent_says(&w, w.stranger, Purpose::Treatment, DataClass::Labs, Action::Read, lacks(Role::Provider));
    consent_says(&w, w.stranger, Purpose::PublicHealth, DataClass::Labs, Action::Read, lacks(Role::Regulator));
    consent_says(&w, w.payer, Purpose::Treatment, DataClass::Labs, Action::Read, lacks(Role::Provider));
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(1)));
    let before = events();

    as_caller(w.stranger);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::RoleNotHeld(Role::Provider)));
    assert_eq!(w.contract.open(id, Purpose::PublicHealth), Err(Error::RoleNotHeld(Role::Regulator)));
    as_caller(w.payer);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::RoleNotHeld(Role::Provider)), "payers don't treat");

    as_caller(w.provider);
    stubs::remove(w.consent);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::ConsentUnreachable));
    assert_eq!(w.contract.can_open(id, w.provider, Purpose::Treatment), Err(Error::ConsentUnreachable));
    assert_eq!(w.contract.open(99, Purpose::Treatment), Err(Error::RecordNotFound));
    assert_eq!(w.contract.can_open(99, w.provider, Purpose::Treatment), Err(Error::RecordNotFound));

    nothing_logged(&w, before);
}

#[ink::test]
fn emergency_access_is_logged_with_its_emergency() {
    let mut w = world();
    let id = patient_registers(&mut w, DataClass::MentalHealth);
    let broke_the_glass = Ok(Basis::Emergency(7));
    consent_says(&w, w.other_provider, Purpose::Emergency, DataClass::MentalHealth, Action::Read, broke_the_glass);
    as_caller(w.other_provider);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::Denied(Denied::NoConsent)), "only for ETREAT");
    at(30 * DAY);
    let other_provider = w.other_provider;
    opens_first(&mut w, other_provider, id, Purpose::Emergency, Basis::Emergency(7));
    let lacks = Err(Denied::RoleNotHeld(Role::Provider));
    consent_says(&w, w.stranger, Purpose::Emergency, DataClass::MentalHealth, Action::Read, lacks);
    as_caller(w.stranger);
    assert_eq!(w.contract.open(id, Purpose::Emergency), Err(Error::RoleNotHeld(Role::Provider)));
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 1);
}

#[ink::test]
fn the_author_opens_for_treatment_and_operations_while_a_credentialed_provider() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::SubstanceUse);
    as_caller(w.provider);
    // No Read consent at all (the stub's default: NoConsent), or one that ended: the author needs none.
    assert_eq!(w.contract.can_open(id, w.provider, Purpose::Operations), Ok(Basis::Author), "no Read consent needed");
    assert_eq!(w.contract.open(id, Purpose::Treatment), Ok(Basis::Author));
    consent_says(&w, w.provider, Purpose::Operations, DataClass::SubstanceUse, Action::Read, Err(Denied::Expired(3)));
    assert_eq!(w.contract.open(id, Purpose::Operations), Ok(Basis::Author));
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::SubstanceUse, Action::Read, Ok(Basis::Consent(1)));
    assert_eq!(w.contract.open(id, Purpose::Treatment), Ok(Basis::Author), "a Permit too: the basis stays Author");
    let bases: Vec<(Purpose, Basis)> = log(&w).iter().map(|d| (d.purpose, d.basis)).collect();
    assert_eq!(
        bases,
        [
            (Purpose::Treatment, Basis::Author),
            (Purpose::Operations, Basis::Author),
            (Purpose::Treatment, Basis::Author)
        ]
    );

    // Suspended: consent, asked for the Author basis, requires the Provider role.
    let lacks = Err(Denied::RoleNotHeld(Role::Provider));
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::SubstanceUse, Action::Read, lacks);
    let before = events();
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::RoleNotHeld(Role::Provider)));
    assert_eq!(w.contract.can_open(id, w.provider, Purpose::Treatment), Err(Error::RoleNotHeld(Role::Provider)));
    assert_eq!(events(), before);
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 3);
}

/// Regression (issue #18): the Author basis ignored the patient's Deny.
#[ink::test]
fn a_deny_beats_the_author_basis() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::MentalHealth);
    as_caller(w.provider);
    w.contract.open(id, Purpose::Treatment).unwrap();
    let logged = log(&w);
    // The patient denies the author (its account, or a role it holds: consent answers the same) for the class.
    for purpose in [Purpose::Treatment, Purpose::Operations] {
        consent_says(&w, w.provider, purpose, DataClass::MentalHealth, Action::Read, Err(Denied::DeniedByConsent(6)));
    }
    for purpose in [Purpose::Treatment, Purpose::Operations] {
        refused(Error::Denied(Denied::DeniedByConsent(6)), || w.contract.open(id, purpose));
        assert_eq!(w.contract.can_open(id, w.provider, purpose), Err(Error::Denied(Denied::DeniedByConsent(6))));
    }
    assert_eq!(log(&w), logged, "refusals log nothing");
    // The Deny covers the author only: the patient still opens, and a Deny for another class changes nothing.
    let labs = provider_registers(&mut w, DataClass::Labs);
    as_caller(w.provider);
    assert_eq!(w.contract.open(labs, Purpose::Treatment), Ok(Basis::Author));
    as_caller(w.patient);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Ok(Basis::Patient));
}

/// Regression (issue #18): the Author basis opened for any purpose, Research too.
#[ink::test]
fn for_other_purposes_the_author_needs_a_consent_like_anyone_else() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::Labs);
    // The author is also a Researcher and a Payer; for those purposes it needs the patient's consent.
    stubs::set_roles(w.participants, w.provider, &[Role::Provider, Role::Researcher, Role::Payer]);
    as_caller(w.provider);
    let before = events();
    for purpose in [Purpose::Research, Purpose::Payment, Purpose::PublicHealth, Purpose::Emergency] {
        refused(Error::Denied(Denied::NoConsent), || w.contract.open(id, purpose));
        assert_eq!(w.contract.can_open(id, w.provider, purpose), Err(Error::Denied(Denied::NoConsent)));
    }
    nothing_logged(&w, before);
    let lacks = Err(Denied::RoleNotHeld(Role::Regulator));
    consent_says(&w, w.provider, Purpose::PublicHealth, DataClass::Labs, Action::Read, lacks);
    refused(Error::RoleNotHeld(Role::Regulator), || w.contract.open(id, Purpose::PublicHealth));

    // With a consent, on that consent's basis, and logged so.
    consent_says(&w, w.provider, Purpose::Research, DataClass::Labs, Action::Read, Ok(Basis::Consent(9)));
    let provider = w.provider;
    opens_first(&mut w, provider, id, Purpose::Research, Basis::Consent(9));
    consent_says(&w, w.provider, Purpose::Emergency, DataClass::Labs, Action::Read, Ok(Basis::Emergency(2)));
    assert_eq!(w.contract.open(id, Purpose::Emergency), Ok(Basis::Emergency(2)));
    assert_eq!(log(&w)[1].basis, Basis::Emergency(2));
}

#[ink::test]
fn every_open_appears_exactly_once_in_the_log_with_its_basis() {
    let mut w = world();
    let labs = provider_registers(&mut w, DataClass::Labs);
    let mental = patient_registers(&mut w, DataClass::MentalHealth);
    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(2)));
    consent_says(&w, w.payer, Purpose::Payment, DataClass::Labs, Action::Read, Ok(Basis::Consent(3)));
    consent_says(
        &w,
        w.other_provider,
        Purpose::Emergency,
        DataClass::MentalHealth,
        Action::Read,
        Ok(Basis::Emergency(4)),
    );

    let attempts: [(AccountId, RecordId, Purpose, Option<Basis>); 9] = [
        (w.patient, labs, Purpose::Treatment, Some(Basis::Patient)),
        (w.provider, labs, Purpose::Treatment, Some(Basis::Author)),
        (w.other_provider, labs, Purpose::Treatment, Some(Basis::Consent(2))),
        (w.other_provider, mental, Purpose::Treatment, None),
        (w.payer, labs, Purpose::Payment, Some(Basis::Consent(3))),
        (w.payer, mental, Purpose::Payment, None),
        (w.stranger, labs, Purpose::Treatment, None),
        (w.other_provider, mental, Purpose::Emergency, Some(Basis::Emergency(4))),
        (w.other_provider, labs, Purpose::Treatment, Some(Basis::Consent(2))),
    ];
    let mut expected = Vec::new();
    for (i, (accessor, record, purpose, basis)) in attempts.into_iter().enumerate() {
        let now = 40 * DAY + i as u64;
        at(now);
        as_caller(accessor);
        let before = events();
        let opened = w.contract.open(record, purpose);
        assert_eq!(opened.is_ok(), basis.is_some(), "attempt {i}");
        if let Some(basis) = basis {
            expected.push(Disclosure { at: now, accessor, record, purpose, basis });
            assert_eq!(events(), before + 1, "one event per open");
        } else {
            assert_eq!(events(), before, "no event for a refusal");
        }
    }
    assert_eq!(log(&w), expected);
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 6);

    // Page by page.
    let first = w.contract.disclosures(w.patient, 0, 4);
    assert_eq!((first.items.as_slice(), first.next), (&expected[..4], Some(4)));
    let rest = w.contract.disclosures(w.patient, 4, 4);
    assert_eq!((rest.items.as_slice(), rest.next), (&expected[4..], None));
    assert!(w.contract.disclosures(w.patient, 99, 4).items.is_empty());
}

#[ink::test]
fn records_of_reads_page_by_page() {
    let mut w = world();
    for _ in 0..5 {
        patient_registers(&mut w, DataClass::Encounters);
    }
    assert_eq!(
        w.contract.records_of(w.patient, None, 2),
        Page { items: ink::prelude::vec![5, 4], next: Some(3), len: 5 }
    );
    assert_eq!(
        w.contract.records_of(w.patient, Some(3), 2),
        Page { items: ink::prelude::vec![3, 2], next: Some(1), len: 5 }
    );
    assert_eq!(w.contract.records_of(w.patient, Some(1), 2), Page { items: ink::prelude::vec![1], next: None, len: 5 });
    assert_eq!(w.contract.records_of(w.stranger, None, 2), Page { items: Vec::new(), next: None, len: 0 });
    // A record of another patient starts no walk through this patient's list.
    assert_eq!(w.contract.records_of(w.stranger, Some(5), 2), Page { items: Vec::new(), next: None, len: 0 });
    assert_eq!(w.contract.records_of(w.patient, None, 0).len, 5);
}

#[ink::test]
fn opening_reads_the_same_storage_however_many_records_and_disclosures() {
    let mut w = world();
    let callee = test::callee::<Env>();
    let id = patient_registers(&mut w, DataClass::Labs);
    consent_says(&w, w.provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(1)));

    let measure = |w: &mut World| {
        as_caller(w.provider);
        let (reads, _) = test::get_contract_storage_rw::<Env>(&callee);
        w.contract.open(id, Purpose::Treatment).unwrap();
        let (after, _) = test::get_contract_storage_rw::<Env>(&callee);
        after - reads
    };
    let small = measure(&mut w);
    for _ in 0..30 {
        patient_registers(&mut w, DataClass::Labs);
        as_caller(w.patient);
        w.contract.open(id, Purpose::Treatment).unwrap();
    }
    assert_eq!(w.contract.disclosures(w.patient, 0, 0).len, 31);
    assert_eq!(measure(&mut w), small, "open's storage reads do not grow");
    assert_eq!(small, 2, "the record and the log count");
}

// ---- erasure and integrity ----

#[ink::test]
fn verify_checks_the_hash() {
    let mut w = world();
    let id = patient_registers(&mut w, DataClass::Labs);
    assert!(w.contract.verify(id, HASH));
    assert!(!w.contract.verify(id, [1; 32]));
    assert!(!w.contract.verify(99, HASH), "unknown record");
}

#[ink::test]
fn the_patient_erases_and_the_history_stays() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::Reproductive);
    as_caller(w.provider);
    w.contract.open(id, Purpose::Treatment).unwrap();
    let history = log(&w);
    assert_eq!(history.len(), 1);

    let before = events();
    for outsider in [w.provider, w.stranger] {
        as_caller(outsider);
        assert_eq!(w.contract.erase(id), Err(Error::NotPatient), "not even the author");
    }
    as_caller(w.patient);
    assert_eq!(w.contract.erase(99), Err(Error::RecordNotFound));
    assert_eq!(events(), before);
    assert!(w.contract.verify(id, HASH));

    w.contract.erase(id).unwrap();
    assert_eq!(events(), before + 1);
    let record = w.contract.record(id).unwrap();
    assert_eq!(record.status, RecordStatus::Erased);
    assert!(record.locator.is_empty());
    assert_eq!(record.content_hash, [0; 32]);
    assert_eq!((record.patient, record.author, record.class), (w.patient, w.provider, DataClass::Reproductive));
    let summary = w.contract.summary(id).unwrap();
    assert_eq!((summary.status, summary.content_hash), (RecordStatus::Erased, [0; 32]));
    assert!(!w.contract.verify(id, HASH));
    assert!(!w.contract.verify(id, [0; 32]), "the wiped hash verifies nothing");
    assert_eq!(log(&w), history, "the disclosure history stays");

    assert_eq!(w.contract.erase(id), Err(Error::AlreadyErased));
    let before = events();
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::Erased), "not even the patient");
    as_caller(w.provider);
    assert_eq!(w.contract.open(id, Purpose::Treatment), Err(Error::Erased));
    assert_eq!(w.contract.can_open(id, w.provider, Purpose::Treatment), Err(Error::Erased));
    assert_eq!(events(), before);
    assert_eq!(log(&w), history);

    as_caller(w.patient);
    assert_eq!(
        w.contract.register(w.patient, DataClass::Reproductive, HASH, LOCATOR.to_vec(), Some(id)),
        Err(Error::ReplacedRecordNotCurrent),
        "an erased record is not replaced"
    );
}

#[ink::test]
fn events_carry_accounts_and_ids_as_topics() {
    let mut w = world();
    let id = provider_registers(&mut w, DataClass::Labs);
    assert_eq!(last_topics().len(), 4, "signature, record, patient, author");
    let event = last_event::<RecordRegistered>();
    assert_eq!((event.record, event.patient, event.author), (id, w.patient, w.provider));
    assert_eq!((event.class, event.replaces), (DataClass::Labs, None));

    consent_says(&w, w.other_provider, Purpose::Treatment, DataClass::Labs, Action::Read, Ok(Basis::Consent(5)));
    as_caller(w.other_provider);
    w.contract.open(id, Purpose::Treatment).unwrap();
    assert_eq!(last_topics().len(), 4, "signature, record, patient, accessor");
    let event = last_event::<RecordOpened>();
    assert_eq!((event.record, event.patient, event.accessor), (id, w.patient, w.other_provider));
    assert_eq!((event.purpose, event.basis), (Purpose::Treatment, Basis::Consent(5)));

    as_caller(w.provider);
    w.contract.mark_entered_in_error(id).unwrap();
    assert_eq!(last_topics().len(), 4, "signature, record, patient, author");
    let event = last_event::<RecordEnteredInError>();
    assert_eq!(event, RecordEnteredInError { record: id, patient: w.patient, author: w.provider });

    as_caller(w.patient);
    w.contract.erase(id).unwrap();
    assert_eq!(last_topics().len(), 3, "signature, record, patient");
    let event = last_event::<RecordErased>();
    assert_eq!(event, RecordErased { record: id, patient: w.patient, erased_by: w.patient });
}

#[ink::test]
fn a_superseding_registration_names_the_replaced_record_in_its_event() {
    let mut w = world();
    let old = patient_registers(&mut w, DataClass::Immunizations);
    let new = patient_replaces(&mut w, old, DataClass::Immunizations);
    let event = last_event::<RecordRegistered>();
    let expected = RecordRegistered {
        record: new,
        patient: w.patient,
        author: w.patient,
        class: DataClass::Immunizations,
        replaces: Some(old),
    };
    assert_eq!(event, expected);
}

#[ink::test]
fn other_contracts_are_asked_only_when_the_rule_needs_their_answer() {
    let mut w = world();
    let asked = |w: &World| (stubs::asked(w.participants, Message::HasRole), stubs::asked(w.consent, Message::Check));

    // The patient registers, opens and checks their own record: nobody is asked.
    let own = patient_registers(&mut w, DataClass::Labs);
    w.contract.open(own, Purpose::Treatment).unwrap();
    assert_eq!(w.contract.can_open(own, w.patient, Purpose::Treatment), Ok(Basis::Patient));
    assert_eq!(asked(&w), (0, 0));

    // A provider's malformed pointer, or a replacement that cannot be, is refused before consent is asked.
    as_caller(w.provider);
    let p = w.patient;
    refused(Error::EmptyLocator, || w.contract.register(p, DataClass::Labs, HASH, Vec::new(), None));
    refused(Error::ReplacedRecordNotFound, || w.contract.register(p, DataClass::Labs, HASH, b"x".to_vec(), Some(9)));
    refused(Error::ReplacedRecordOfAnotherClass, || {
        w.contract.register(p, DataClass::Imaging, HASH, b"x".to_vec(), Some(own))
    });
    refused(Error::NotAuthorOfReplaced, || w.contract.register(p, DataClass::Labs, HASH, b"x".to_vec(), Some(own)));
    assert_eq!(asked(&w), (0, 0));

    // Nobody opens an erased record, and nobody is asked about it.
    let written = provider_registers(&mut w, DataClass::Labs);
    assert_eq!(asked(&w), (0, 1), "the provider's Write consent");
    as_caller(w.patient);
    w.contract.erase(own).unwrap();
    as_caller(w.provider);
    refused(Error::Erased, || w.contract.open(own, Purpose::Treatment));
    assert_eq!(asked(&w), (0, 1));

    // The author asks consent once, whatever the purpose (for the Author basis, or for its consent); so does
    // anyone else. Participants is never asked by records: consent asks it for the purpose's role.
    w.contract.open(written, Purpose::Treatment).unwrap();
    assert_eq!(asked(&w), (0, 2));
    refused(Error::Denied(Denied::NoConsent), || w.contract.open(written, Purpose::Research));
    assert_eq!(asked(&w), (0, 3));
    as_caller(w.other_provider);
    refused(Error::Denied(Denied::NoConsent), || w.contract.open(written, Purpose::Treatment));
    assert_eq!(asked(&w), (0, 4));
}

// ---- personal representatives ----

/// The patient's guardian (the stranger's account), whom consent says represents the patient for every class but
/// SubstanceUse, with basis Representative(5) for any read or write.
fn guardian(w: &World) -> AccountId {
    let guardian = w.stranger;
    for class in DataClass::ALL {
        let represents = class != DataClass::SubstanceUse;
        stubs::set_represents(w.consent, (w.patient, guardian, class), represents);
        for purpose in Purpose::ALL {
            for action in [Action::Read, Action::Write] {
                if represents {
                    consent_says(w, guardian, purpose, class, action, Ok(Basis::Representative(5)));
                }
            }
        }
    }
    guardian
}

/// Regression (issue #18): no one but the patient's own account could erase or open as the patient. A personal
/// representative erases (evented with who erased) and opens with its own basis in the disclosure log.
#[ink::test]
fn a_representative_opens_with_its_basis_and_erases_for_its_classes() {
    let mut w = world();
    let guardian = guardian(&w);
    let labs = provider_registers(&mut w, DataClass::Labs);
    let substance = provider_registers(&mut w, DataClass::SubstanceUse);
    as_caller(guardian);
    assert_eq!(w.contract.open(labs, Purpose::Treatment), Ok(Basis::Representative(5)));
    let entry = log(&w).pop().unwrap();
    assert_eq!((entry.accessor, entry.record, entry.basis), (guardian, labs, Basis::Representative(5)));
    assert_eq!(last_event::<RecordOpened>().basis, Basis::Representative(5));

    // Not for the excluded class: consent answers as for anyone else, and the guardian may not erase it.
    let before = (events(), log(&w).len());
    assert_eq!(w.contract.open(substance, Purpose::Treatment), Err(Error::Denied(Denied::NoConsent)));
    let asked = stubs::asked(w.consent, Message::Represents);
    assert_eq!(w.contract.erase(substance), Err(Error::NotPatient));
    assert_eq!(stubs::asked(w.consent, Message::Represents), asked + 1);
    assert_eq!((events(), log(&w).len()), before);
    assert!(w.contract.verify(substance, HASH), "a refusal changes nothing");
    stubs::remove(w.consent);
    assert_eq!(w.contract.erase(labs), Err(Error::ConsentUnreachable));
    stubs::deploy(w.consent);
    assert!(w.contract.verify(labs, HASH));

    w.contract.erase(labs).unwrap();
    assert_eq!(last_event::<RecordErased>(), RecordErased { record: labs, patient: w.patient, erased_by: guardian });
    assert_eq!(w.contract.record(labs).unwrap().status, RecordStatus::Erased);
    // The patient erases without consent being asked.
    let asked = stubs::asked(w.consent, Message::Represents);
    as_caller(w.patient);
    w.contract.erase(substance).unwrap();
    assert_eq!(stubs::asked(w.consent, Message::Represents), asked);
}

#[ink::test]
fn a_representative_supersedes_a_record_the_patient_wrote_and_opens_one_in_error() {
    let mut w = world();
    let guardian = guardian(&w);
    let patients = patient_registers(&mut w, DataClass::Immunizations);
    let providers = provider_registers(&mut w, DataClass::Immunizations);
    as_caller(guardian);
    let before = events();
    let refused_new =
        w.contract.register(w.patient, DataClass::Immunizations, [2; 32], b"v2".to_vec(), Some(providers));
    assert_eq!(refused_new, Err(Error::NotAuthorOfReplaced), "a provider's record is its author's alone");
    assert_eq!(events(), before);
    let asked = (stubs::asked(w.consent, Message::Represents), stubs::asked(w.consent, Message::Check));
    let new =
        w.contract.register(w.patient, DataClass::Immunizations, [2; 32], b"v2".to_vec(), Some(patients)).unwrap();
    assert_eq!(
        (stubs::asked(w.consent, Message::Represents), stubs::asked(w.consent, Message::Check)),
        (asked.0 + 1, asked.1),
        "consent asked once: whom the guardian represents, no Write check"
    );
    let old = w.contract.record(patients).unwrap();
    assert_eq!((old.status, old.replaced_by), (RecordStatus::Superseded, Some(new)));
    assert_eq!(w.contract.record(new).unwrap().author, guardian);

    // The author marks its record entered in error: the patient and the guardian still open it, nobody else.
    as_caller(w.provider);
    w.contract.mark_entered_in_error(providers).unwrap();
    as_caller(guardian);
    assert_eq!(w.contract.open(providers, Purpose::Treatment), Ok(Basis::Representative(5)));
    consent_says(
        &w,
        w.other_provider,
        Purpose::Treatment,
        DataClass::Immunizations,
        Action::Read,
        Ok(Basis::Consent(3)),
    );
    as_caller(w.other_provider);
    assert_eq!(w.contract.open(providers, Purpose::Treatment), Err(Error::EnteredInError));
}
