//! The record pointer rules, free of the chain: the shape of a pointer, who may register one and replace
//! (supersede) a record with it, who may open a record and on what basis (and the disclosure entry opening
//! produces), and the entered-in-error and erasure rules.
//!
//! Each function takes the caller, the time and the values the message loaded. It either refuses with the
//! [`Error`] of the message, or returns what to write (changing a loaded record in place, which the message then
//! writes back). Where a rule needs another contract's answer it takes the question as a closure and asks it only
//! once the checks before it passed, so a refusal found earlier costs no call.

use crate::{
    errors::{Error, Result},
    types::{Disclosure, Record},
};
use ink::{prelude::vec::Vec, primitives::AccountId};
use interfaces::{Action, Basis, Denied, Hash32, Purpose, RecordStatus, Timestamp};

/// The longest encrypted locator a pointer may carry, in bytes.
pub const MAX_LOCATOR: usize = 512;

/// The content hash an erased record carries.
pub const ERASED_HASH: Hash32 = [0; 32];

/// The public locator of the encrypted blob is a non-empty byte string of at most [`MAX_LOCATOR`] bytes, and the content
/// hash is not all zeroes (all zeroes is what erasure leaves behind).
pub fn validate(locator: &[u8], content_hash: &Hash32) -> Result<()> {
    if locator.is_empty() {
        return Err(Error::EmptyLocator);
    }
    if locator.len() > MAX_LOCATOR {
        return Err(Error::LocatorTooLong);
    }
    if *content_hash == ERASED_HASH {
        return Err(Error::EmptyContentHash);
    }
    Ok(())
}

/// Registers `record`, the new pointer as the message asks for it (Current, its author the caller). `replaced` is
/// the record named in `record.replaces`, if it exists.
///
/// The pointer must be well formed ([`validate`]). A replaced record must exist, be the same patient's, of the
/// same class, Current, and written by the same author, or be the patient's own and the caller their representative
/// ([`may_supersede`]: `represents` asks consent only then); it becomes Superseded by `record`, once everything
/// passed. The patient registers for themself without asking anyone, and so does their representative superseding a
/// record of the patient's (consent was asked, once); anyone else needs what `write_consent(Treatment, Write)` answers
/// for the record's patient and class: a Write consent, which consent grants to Providers only, or the patient's
/// representative (basis Representative). So a provider supersedes only what it wrote, and only while it may still
/// write.
pub fn register(
    record: &Record,
    replaced: Option<&mut Record>,
    write_consent: impl FnOnce(Purpose, Action) -> Result<Basis>,
    represents: impl FnOnce() -> Result<bool>,
) -> Result<()> {
    validate(&record.locator, &record.content_hash)?;
    let (replaced, as_representative) = match record.replaces {
        Some(_) => {
            let replaced = replaced.ok_or(Error::ReplacedRecordNotFound)?;
            let superseding = may_supersede(replaced, record, represents)?;
            (Some(replaced), superseding == Superseding::AsRepresentative)
        }
        None => (None, false),
    };
    if record.author != record.patient && !as_representative {
        // Consent also requires the Treatment purpose's role, Provider.
        write_consent(Purpose::Treatment, Action::Write)?;
    }
    if let Some(replaced) = replaced {
        replaced.status = RecordStatus::Superseded;
        replaced.replaced_by = Some(record.id);
    }
    Ok(())
}

/// Who supersedes a record, as [`may_supersede`] allowed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Superseding {
    /// Its original author.
    AsAuthor,
    /// A personal representative of the patient, for a record the patient wrote.
    AsRepresentative,
}

/// May `by` supersede `replaced`? It must be the same patient's, of the same class and Current, and only its
/// original author supersedes it (FHIR DocumentReference relatesTo replaces: a new version by whoever wrote the old
/// one). For a record the patient wrote, that is the patient, or a personal representative of theirs for its class
/// (HIPAA 164.502(g): the representative acts as the patient): `represents` asks consent, only on that path, after
/// the other checks. Another provider's correction of someone else's record is a record of its own, not a new
/// version of theirs.
pub fn may_supersede(replaced: &Record, by: &Record, represents: impl FnOnce() -> Result<bool>) -> Result<Superseding> {
    if replaced.patient != by.patient {
        return Err(Error::ReplacedRecordOfAnotherPatient);
    }
    if replaced.class != by.class {
        return Err(Error::ReplacedRecordOfAnotherClass);
    }
    if replaced.status != RecordStatus::Current {
        return Err(Error::ReplacedRecordNotCurrent);
    }
    if by.author == replaced.author {
        return Ok(Superseding::AsAuthor);
    }
    if replaced.author == replaced.patient && represents()? {
        return Ok(Superseding::AsRepresentative);
    }
    Err(Error::NotAuthorOfReplaced)
}

/// The decision behind `open` and `can_open`: may `accessor` open `record` for `purpose` at `now`, and on what
/// basis? Returns the disclosure entry `open` appends to the patient's log.
///
/// Nobody opens an erased record; only the patient (asking nobody) or their representative (as consent answers: basis
/// Representative, any other answer refused as `EnteredInError`) opens one entered in error. The patient opens with
/// basis Patient, asking nobody; their representative, for a class its representation does not exclude, with basis
/// Representative, as consent answers. Anyone else gets what `read_consent(purpose, Read)` answers for the record's patient and
/// class (consent also requires the purpose's role, `Purpose::accessor_role`): basis Consent or Emergency, or the
/// refusal; except the author for a purpose in [`AUTHOR_PURPOSES`], for which the same one question decides the
/// Author basis ([`author_basis`]). Whoever it is, consent is asked at most once and participants never (consent
/// asks participants for the purpose's role).
pub fn open(
    record: &Record,
    accessor: AccountId,
    purpose: Purpose,
    now: Timestamp,
    read_consent: impl FnOnce(Purpose, Action) -> Result<Basis>,
) -> Result<Disclosure> {
    if record.status == RecordStatus::Erased {
        return Err(Error::Erased);
    }
    let basis = if record.status == RecordStatus::EnteredInError && accessor != record.patient {
        match read_consent(purpose, Action::Read) {
            Ok(basis @ Basis::Representative(_)) => basis,
            Err(Error::ConsentUnreachable) => return Err(Error::ConsentUnreachable),
            Ok(_) | Err(_) => return Err(Error::EnteredInError),
        }
    } else if accessor == record.patient {
        Basis::Patient
    } else if accessor == record.author && AUTHOR_PURPOSES.contains(&purpose) {
        author_basis(read_consent(purpose, Action::Read))?
    } else {
        read_consent(purpose, Action::Read)?
    };
    Ok(Disclosure { at: now, accessor, record: record.id, purpose, basis })
}

/// The purposes for which a record's author opens it on its own basis: treating the patient and the provider's own
/// operations. For any other purpose (Payment, Research, PublicHealth, Emergency) the author is anyone else.
pub const AUTHOR_PURPOSES: [Purpose; 2] = [Purpose::Treatment, Purpose::Operations];

/// The Author basis, from consent's `answer` to the author's Read for a purpose in [`AUTHOR_PURPOSES`] (the
/// purpose's role there is Provider, which consent checks first). A Deny of the patient's that covers the author
/// (its account or a role it holds) for the record's class beats the Author basis, as it beats any Permit; a missing
/// credential or an unanswered question refuses too. Anything else, a Permit or no consent at all (none, ended, not
/// yet valid, revoked), leaves the author its basis: an author needs no consent to read what it wrote.
pub fn author_basis(answer: Result<Basis>) -> Result<Basis> {
    match answer {
        Ok(_) => Ok(Basis::Author),
        Err(Error::Denied(denied)) => match denied {
            Denied::NoConsent | Denied::Expired(_) | Denied::NotYetValid(_) | Denied::Revoked(_) => Ok(Basis::Author),
            Denied::DeniedByConsent(_) | Denied::RoleNotHeld(_) | Denied::ParticipantsUnreachable => {
                Err(Error::from(denied))
            }
        },
        Err(refusal) => Err(refusal),
    }
}

/// `by` marks `record` entered in error: only its author, and only a Current or Superseded record. Its links are
/// kept: a record it superseded stays Superseded.
pub fn mark_entered_in_error(record: &mut Record, by: AccountId) -> Result<()> {
    if record.author != by {
        return Err(Error::NotAuthor);
    }
    match record.status {
        RecordStatus::Current | RecordStatus::Superseded => {}
        RecordStatus::EnteredInError => return Err(Error::EnteredInError),
        RecordStatus::Erased => return Err(Error::Erased),
    }
    record.status = RecordStatus::EnteredInError;
    Ok(())
}

/// `by` erases `record` (GDPR Art. 17, crypto-shredding): only its patient, or a personal representative of theirs
/// for the record's class (`represents` asks consent, only when `by` is not the patient; `NotPatient` otherwise),
/// once. The locator and hash are wiped and the status becomes Erased; the links stay (and the disclosure log, which
/// is not the record's).
pub fn erase(record: &mut Record, by: AccountId, represents: impl FnOnce() -> Result<bool>) -> Result<()> {
    if record.patient != by && !represents()? {
        return Err(Error::NotPatient);
    }
    if record.status == RecordStatus::Erased {
        return Err(Error::AlreadyErased);
    }
    record.status = RecordStatus::Erased;
    record.locator = Vec::new();
    record.content_hash = ERASED_HASH;
    Ok(())
}

/// Does `record` verify against `content_hash`? Never once erased (the wiped hash verifies nothing).
pub fn verifies(record: &Record, content_hash: &Hash32) -> bool {
    record.status != RecordStatus::Erased && record.content_hash == *content_hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use interfaces::{DataClass, RecordId, Role};

    const PATIENT: AccountId = AccountId([1; 32]);
    const PROVIDER: AccountId = AccountId([2; 32]);
    const OTHER: AccountId = AccountId([3; 32]);
    const HASH: Hash32 = [0xAB; 32];

    /// Record `id` of the patient, Labs, written by `author`, Current.
    fn record(id: RecordId, author: AccountId) -> Record {
        Record {
            id,
            patient: PATIENT,
            author,
            class: DataClass::Labs,
            content_hash: HASH,
            locator: b"https://custodian.example/v1/blobs/0x0101".to_vec(),
            created_at: 70,
            status: RecordStatus::Current,
            replaces: None,
            replaced_by: None,
            previous_of_patient: None,
        }
    }

    /// Record 7, by `author`, replacing record 3.
    fn replacing(author: AccountId) -> Record {
        Record { id: 7, replaces: Some(3), ..record(7, author) }
    }

    /// A copy of `record` as `change` leaves it, or the refusal.
    fn changed(record: &Record, change: impl FnOnce(&mut Record) -> Result<()>) -> Result<Record> {
        let mut record = record.clone();
        change(&mut record).map(|()| record)
    }

    fn consent_never_asked(_: Purpose, _: Action) -> Result<Basis> {
        panic!("consent may not be asked here")
    }

    fn nobody_represented() -> Result<bool> {
        Ok(false)
    }

    fn represented_never_asked() -> Result<bool> {
        panic!("consent may not be asked whom the caller represents here")
    }

    #[test]
    fn the_location_is_bounded_on_both_sides() {
        assert_eq!(validate(&[], &[1; 32]), Err(Error::EmptyLocator));
        assert_eq!(validate(&[7], &[1; 32]), Ok(()));
        assert_eq!(validate(&[7; MAX_LOCATOR], &[1; 32]), Ok(()));
        assert_eq!(validate(&[7; MAX_LOCATOR + 1], &[1; 32]), Err(Error::LocatorTooLong));
    }

    #[test]
    fn an_all_zero_hash_is_refused_but_a_single_set_bit_is_enough() {
        assert_eq!(validate(&[7], &ERASED_HASH), Err(Error::EmptyContentHash));
        let mut hash = ERASED_HASH;
        hash[31] = 1;
        assert_eq!(validate(&[7], &hash), Ok(()));
    }

    #[test]
    fn the_patient_registers_asking_nobody() {
        assert_eq!(register(&record(7, PATIENT), None, consent_never_asked, nobody_represented), Ok(()));
    }

    #[test]
    fn anyone_else_registers_with_a_write_consent_for_treatment() {
        let mut asked = None;
        let consent = |purpose, action| {
            asked = Some((purpose, action));
            Ok(Basis::Consent(3))
        };
        assert_eq!(register(&record(7, PROVIDER), None, consent, nobody_represented), Ok(()));
        assert_eq!(asked, Some((Purpose::Treatment, Action::Write)));

        for refusal in [Error::Denied(Denied::NoConsent), Error::RoleNotHeld(Role::Provider), Error::ConsentUnreachable]
        {
            assert_eq!(register(&record(7, OTHER), None, |_, _| Err(refusal), nobody_represented), Err(refusal));
        }
    }

    #[test]
    fn a_malformed_pointer_is_refused_before_anything_else() {
        let empty = Record { locator: Vec::new(), ..replacing(PROVIDER) };
        assert_eq!(register(&empty, None, consent_never_asked, nobody_represented), Err(Error::EmptyLocator));
        let long = Record { locator: [7; MAX_LOCATOR + 1].to_vec(), ..record(7, PROVIDER) };
        assert_eq!(register(&long, None, consent_never_asked, nobody_represented), Err(Error::LocatorTooLong));
        let zero = Record { content_hash: ERASED_HASH, ..record(7, PROVIDER) };
        assert_eq!(register(&zero, None, consent_never_asked, nobody_represented), Err(Error::EmptyContentHash));
    }

    #[test]
    fn a_replacement_supersedes_a_current_record_of_the_same_patient_class_and_author() {
        let old = record(3, PATIENT);
        let mut replaced = old.clone();
        assert_eq!(register(&replacing(PATIENT), Some(&mut replaced), consent_never_asked, nobody_represented), Ok(()));
        assert_eq!(
            replaced,
            Record { status: RecordStatus::Superseded, replaced_by: Some(7), ..old },
            "only the status and the link change"
        );
        // A provider supersedes what it wrote, with its Write consent.
        let old = record(3, PROVIDER);
        let mut replaced = old.clone();
        let mut asked = None;
        let consent = |purpose, action| {
            asked = Some((purpose, action));
            Ok(Basis::Consent(2))
        };
        assert_eq!(register(&replacing(PROVIDER), Some(&mut replaced), consent, nobody_represented), Ok(()));
        assert_eq!(replaced, Record { status: RecordStatus::Superseded, replaced_by: Some(7), ..old });
        assert_eq!(asked, Some((Purpose::Treatment, Action::Write)));
        // ... and only while it may still write.
        let mut replaced = record(3, PROVIDER);
        let revoked = Error::Denied(Denied::Revoked(2));
        assert_eq!(
            register(&replacing(PROVIDER), Some(&mut replaced), |_, _| Err(revoked), nobody_represented),
            Err(revoked)
        );
        assert_eq!(replaced, record(3, PROVIDER), "a refusal leaves the replaced record as it was");
    }

    /// Regression (issue #18): anyone allowed to write could supersede another author's record.
    #[test]
    fn only_the_original_author_supersedes_and_before_consent_is_asked() {
        for (author, by) in [(PROVIDER, OTHER), (PROVIDER, PATIENT), (PATIENT, PROVIDER), (OTHER, PROVIDER)] {
            let mut replaced = record(3, author);
            let outcome = register(&replacing(by), Some(&mut replaced), consent_never_asked, nobody_represented);
            assert_eq!(outcome, Err(Error::NotAuthorOfReplaced), "{by:?} superseding a record of {author:?}");
            assert_eq!(replaced, record(3, author), "unchanged");
        }
        // The other refusals about the replaced record come first.
        let others = Record { patient: OTHER, ..record(3, OTHER) };
        let mut replaced = others.clone();
        let outcome = register(&replacing(PROVIDER), Some(&mut replaced), consent_never_asked, nobody_represented);
        assert_eq!(outcome, Err(Error::ReplacedRecordOfAnotherPatient));
        let superseded = Record { status: RecordStatus::Superseded, ..record(3, OTHER) };
        let mut replaced = superseded.clone();
        let outcome = register(&replacing(PROVIDER), Some(&mut replaced), consent_never_asked, nobody_represented);
        assert_eq!(outcome, Err(Error::ReplacedRecordNotCurrent));
    }

    #[test]
    fn replacement_refusals_in_order_and_before_consent_is_asked() {
        let current = record(3, PATIENT);
        let refuse = |replaced: Option<Record>, error: Error| {
            let before = replaced.clone();
            let mut replaced = replaced;
            assert_eq!(
                register(&replacing(PROVIDER), replaced.as_mut(), consent_never_asked, nobody_represented),
                Err(error)
            );
            assert_eq!(replaced, before, "a refusal leaves the replaced record as it was");
        };
        refuse(None, Error::ReplacedRecordNotFound);
        let others = Record { patient: OTHER, class: DataClass::Imaging, ..current.clone() };
        refuse(Some(others), Error::ReplacedRecordOfAnotherPatient);
        let imaging = Record { class: DataClass::Imaging, status: RecordStatus::Erased, ..current.clone() };
        refuse(Some(imaging), Error::ReplacedRecordOfAnotherClass);
        for status in [RecordStatus::Superseded, RecordStatus::EnteredInError, RecordStatus::Erased] {
            refuse(Some(Record { status, ..current.clone() }), Error::ReplacedRecordNotCurrent);
        }
        refuse(Some(current.clone()), Error::NotAuthorOfReplaced);
        let malformed = Record { locator: Vec::new(), ..replacing(PROVIDER) };
        assert_eq!(
            register(&malformed, None, consent_never_asked, nobody_represented),
            Err(Error::EmptyLocator),
            "shape first"
        );
        // Without `replaces`, a loaded record is left alone.
        let mut loaded = current.clone();
        assert_eq!(register(&record(7, PATIENT), Some(&mut loaded), consent_never_asked, nobody_represented), Ok(()));
        assert_eq!(loaded, current);
    }

    #[test]
    fn the_patient_opens_asking_nobody_and_gets_the_disclosure_entry() {
        let written = record(3, PROVIDER);
        let disclosure = open(&written, PATIENT, Purpose::Treatment, 90, consent_never_asked);
        let expected =
            Disclosure { at: 90, accessor: PATIENT, record: 3, purpose: Purpose::Treatment, basis: Basis::Patient };
        assert_eq!(disclosure, Ok(expected));
        let in_error = Record { status: RecordStatus::EnteredInError, ..written.clone() };
        assert_eq!(open(&in_error, PATIENT, Purpose::Treatment, 90, consent_never_asked), Ok(expected));
        let superseded = Record { status: RecordStatus::Superseded, ..written };
        assert_eq!(open(&superseded, PATIENT, Purpose::Treatment, 90, consent_never_asked), Ok(expected));
    }

    /// Consent's answer to `accessor` for (`purpose`, Read), recording each question asked.
    fn answering(
        asked: &mut Vec<(Purpose, Action)>,
        answer: Result<Basis>,
    ) -> impl FnOnce(Purpose, Action) -> Result<Basis> + '_ {
        move |purpose, action| {
            asked.push((purpose, action));
            answer
        }
    }

    #[test]
    fn the_author_opens_for_treatment_and_operations_on_its_own_basis_asking_consent_once() {
        let written = record(3, PROVIDER);
        // A Permit, or no consent at all (none, ended, not yet valid, revoked): the author needs none.
        let no_deny = [
            Ok(Basis::Consent(9)),
            Err(Error::Denied(Denied::NoConsent)),
            Err(Error::Denied(Denied::Expired(2))),
            Err(Error::Denied(Denied::NotYetValid(2))),
            Err(Error::Denied(Denied::Revoked(2))),
        ];
        for purpose in AUTHOR_PURPOSES {
            for answer in no_deny {
                let mut asked = Vec::new();
                let opened = open(&written, PROVIDER, purpose, 90, answering(&mut asked, answer));
                let expected = Disclosure { at: 90, accessor: PROVIDER, record: 3, purpose, basis: Basis::Author };
                assert_eq!(opened, Ok(expected), "{purpose:?} when consent says {answer:?}");
                assert_eq!(asked, [(purpose, Action::Read)], "one question, for the purpose opened");
            }
        }
        assert_eq!(AUTHOR_PURPOSES, [Purpose::Treatment, Purpose::Operations]);
    }

    /// Regression (issue #18): the Author basis ignored the patient's Deny.
    #[test]
    fn a_deny_beats_the_author_basis_and_so_does_a_missing_credential() {
        let written = record(3, PROVIDER);
        for purpose in AUTHOR_PURPOSES {
            for refusal in [
                Error::Denied(Denied::DeniedByConsent(4)),
                Error::RoleNotHeld(Role::Provider),
                Error::ParticipantsUnreachable,
                Error::ConsentUnreachable,
            ] {
                let mut asked = Vec::new();
                let opened = open(&written, PROVIDER, purpose, 90, answering(&mut asked, Err(refusal)));
                assert_eq!(opened, Err(refusal), "{purpose:?}");
                assert_eq!(asked, [(purpose, Action::Read)]);
            }
        }
        // Consent's refusals in its own names, as the closure may hand them down, keep records' names.
        assert_eq!(
            author_basis(Err(Error::Denied(Denied::RoleNotHeld(Role::Provider)))),
            Err(Error::RoleNotHeld(Role::Provider))
        );
        assert_eq!(
            author_basis(Err(Error::Denied(Denied::ParticipantsUnreachable))),
            Err(Error::ParticipantsUnreachable)
        );
    }

    /// Regression (issue #18): the Author basis opened for any purpose, Research too.
    #[test]
    fn for_any_other_purpose_the_author_is_anyone_else() {
        let written = record(3, PROVIDER);
        for purpose in [Purpose::Payment, Purpose::Research, Purpose::PublicHealth, Purpose::Emergency] {
            let mut asked = Vec::new();
            let opened =
                open(&written, PROVIDER, purpose, 90, answering(&mut asked, Err(Error::Denied(Denied::NoConsent))));
            assert_eq!(opened, Err(Error::Denied(Denied::NoConsent)), "{purpose:?}: no consent, no access");
            assert_eq!(asked, [(purpose, Action::Read)]);
            let mut asked = Vec::new();
            let opened = open(&written, PROVIDER, purpose, 90, answering(&mut asked, Ok(Basis::Consent(9))));
            assert_eq!(opened.map(|d| d.basis), Ok(Basis::Consent(9)), "{purpose:?}: under the consent, logged so");
        }
        let lacks = Error::RoleNotHeld(Role::Researcher);
        assert_eq!(open(&written, PROVIDER, Purpose::Research, 90, |_, _| Err(lacks)), Err(lacks));
    }

    #[test]
    fn anyone_else_opens_as_consent_answers_for_reading() {
        let written = record(3, PATIENT);
        let mut asked = None;
        let consent = |purpose, action| {
            asked = Some((purpose, action));
            Ok(Basis::Emergency(4))
        };
        let disclosure = open(&written, OTHER, Purpose::Emergency, 95, consent).unwrap();
        assert_eq!(asked, Some((Purpose::Emergency, Action::Read)));
        assert_eq!(
            disclosure,
            Disclosure { at: 95, accessor: OTHER, record: 3, purpose: Purpose::Emergency, basis: Basis::Emergency(4) }
        );
        for refusal in [Error::Denied(Denied::Revoked(2)), Error::RoleNotHeld(Role::Payer), Error::ConsentUnreachable] {
            assert_eq!(open(&written, OTHER, Purpose::Payment, 95, |_, _| Err(refusal)), Err(refusal));
        }
    }

    #[test]
    fn an_erased_record_opens_for_nobody_and_one_in_error_for_its_patient_or_representative_only() {
        let mut erased = record(3, PROVIDER);
        erase(&mut erased, PATIENT, represented_never_asked).unwrap();
        for accessor in [PATIENT, PROVIDER, OTHER] {
            let opened = open(&erased, accessor, Purpose::Treatment, 90, consent_never_asked);
            assert_eq!(opened, Err(Error::Erased));
        }
        let mut in_error = record(3, PROVIDER);
        mark_entered_in_error(&mut in_error, PROVIDER).unwrap();
        assert_eq!(
            open(&in_error, PATIENT, Purpose::Treatment, 90, consent_never_asked).map(|d| d.basis),
            Ok(Basis::Patient)
        );
        // Anyone else: consent is asked once, and only a representative's basis opens it.
        for (accessor, answer) in [
            (PROVIDER, Ok(Basis::Consent(4))),
            (PROVIDER, Ok(Basis::Author)),
            (OTHER, Ok(Basis::Emergency(2))),
            (OTHER, Err(Error::Denied(Denied::NoConsent))),
            (OTHER, Err(Error::RoleNotHeld(Role::Provider))),
        ] {
            let mut asked = Vec::new();
            let opened = open(&in_error, accessor, Purpose::Treatment, 90, answering(&mut asked, answer));
            assert_eq!(opened, Err(Error::EnteredInError), "{answer:?}");
            assert_eq!(asked, vec![(Purpose::Treatment, Action::Read)]);
        }
        let unreachable = open(&in_error, OTHER, Purpose::Treatment, 90, |_, _| Err(Error::ConsentUnreachable));
        assert_eq!(unreachable, Err(Error::ConsentUnreachable));
        let by_guardian = open(&in_error, OTHER, Purpose::Treatment, 90, |_, _| Ok(Basis::Representative(5)));
        assert_eq!(by_guardian.map(|d| (d.accessor, d.basis)), Ok((OTHER, Basis::Representative(5))));
    }

    #[test]
    fn a_representative_opens_with_its_own_basis() {
        let written = record(3, PROVIDER);
        let mut asked = Vec::new();
        let opened = open(&written, OTHER, Purpose::Research, 90, answering(&mut asked, Ok(Basis::Representative(5))));
        let entry = Disclosure {
            at: 90,
            accessor: OTHER,
            record: 3,
            purpose: Purpose::Research,
            basis: Basis::Representative(5),
        };
        assert_eq!(opened, Ok(entry));
        assert_eq!(asked, vec![(Purpose::Research, Action::Read)]);
    }

    /// Regression (issue #18): no delegate could erase the patient's records, and a guardian could not supersede a
    /// record the patient wrote. A personal representative for the record's class now does both, consent asked once.
    #[test]
    fn a_representative_erases_and_supersedes_the_patients_records_for_its_classes() {
        let asked = core::cell::Cell::new(0);
        let represents = |answer: Result<bool>| {
            let asked = &asked;
            move || {
                asked.set(asked.get() + 1);
                answer
            }
        };
        let written = record(3, PROVIDER);
        let erased = changed(&written, |record| erase(record, OTHER, represents(Ok(true)))).unwrap();
        assert_eq!((erased.status, erased.content_hash, erased.locator.len()), (RecordStatus::Erased, ERASED_HASH, 0));
        for refusal in [Ok(false), Err(Error::ConsentUnreachable)] {
            let expected = refusal.and(Err(Error::NotPatient));
            assert_eq!(changed(&written, |record| erase(record, OTHER, represents(refusal))).map(|_| ()), expected);
        }
        assert_eq!(asked.get(), 3, "asked once per erasure by someone other than the patient");
        assert_eq!(changed(&erased, |record| erase(record, OTHER, represents(Ok(true)))), Err(Error::AlreadyErased));

        // Supersession: a record the patient wrote, by its representative, without a Write consent asked.
        let mut patients = record(3, PATIENT);
        assert_eq!(register(&replacing(OTHER), Some(&mut patients), consent_never_asked, represents(Ok(true))), Ok(()));
        assert_eq!((patients.status, patients.replaced_by), (RecordStatus::Superseded, Some(7)));
        let mut patients = record(3, PATIENT);
        let refused = register(&replacing(OTHER), Some(&mut patients), consent_never_asked, represents(Ok(false)));
        assert_eq!(refused, Err(Error::NotAuthorOfReplaced));
        let refused = register(
            &replacing(OTHER),
            Some(&mut patients),
            consent_never_asked,
            represents(Err(Error::ConsentUnreachable)),
        );
        assert_eq!(refused, Err(Error::ConsentUnreachable));
        assert_eq!(patients, record(3, PATIENT), "refusals change nothing");
        // Not a provider's record: only its author supersedes it, and consent is not asked whom the caller represents.
        let mut providers = record(3, PROVIDER);
        let refused = register(&replacing(OTHER), Some(&mut providers), consent_never_asked, represented_never_asked);
        assert_eq!(refused, Err(Error::NotAuthorOfReplaced));
        // A new record by the representative goes through the Write check (basis Representative).
        let mut asked_write = Vec::new();
        let new = register(
            &record(7, OTHER),
            None,
            answering(&mut asked_write, Ok(Basis::Representative(5))),
            represented_never_asked,
        );
        assert_eq!((new, asked_write), (Ok(()), vec![(Purpose::Treatment, Action::Write)]));
    }

    #[test]
    fn only_the_author_marks_a_current_or_superseded_record_entered_in_error() {
        let written = record(3, PROVIDER);
        let mark = |record: &Record, by| changed(record, |record| mark_entered_in_error(record, by));
        assert_eq!(mark(&written, PATIENT), Err(Error::NotAuthor));
        assert_eq!(mark(&written, OTHER), Err(Error::NotAuthor));
        let marked = mark(&written, PROVIDER).unwrap();
        assert_eq!(marked, Record { status: RecordStatus::EnteredInError, ..written.clone() }, "links kept");
        let superseded = Record { status: RecordStatus::Superseded, replaced_by: Some(8), ..written.clone() };
        let marked = mark(&superseded, PROVIDER).unwrap();
        assert_eq!((marked.status, marked.replaced_by), (RecordStatus::EnteredInError, Some(8)));
        assert_eq!(mark(&marked, PROVIDER), Err(Error::EnteredInError), "not twice");
        let erased = Record { status: RecordStatus::Erased, ..written };
        assert_eq!(mark(&erased, PROVIDER), Err(Error::Erased));
        assert_eq!(mark(&erased, OTHER), Err(Error::NotAuthor), "who comes first");
    }

    #[test]
    fn only_the_patient_erases_once_and_the_wiped_hash_verifies_nothing() {
        let written = record(3, PROVIDER);
        let erase = |record: &Record, by| changed(record, |record| erase(record, by, nobody_represented));
        assert!(verifies(&written, &HASH) && !verifies(&written, &[1; 32]));
        assert_eq!(erase(&written, PROVIDER), Err(Error::NotPatient), "not even the author");
        assert_eq!(erase(&written, OTHER), Err(Error::NotPatient));
        let in_error = Record { status: RecordStatus::EnteredInError, ..written.clone() };
        assert_eq!(erase(&in_error, PATIENT).map(|r| r.status), Ok(RecordStatus::Erased));
        let erased = erase(&written, PATIENT).unwrap();
        assert_eq!(
            erased,
            Record { status: RecordStatus::Erased, locator: Vec::new(), content_hash: ERASED_HASH, ..written },
            "patient, author, class and links stay"
        );
        assert!(!verifies(&erased, &HASH) && !verifies(&erased, &ERASED_HASH));
        assert_eq!(erase(&erased, PATIENT), Err(Error::AlreadyErased));
    }
}
