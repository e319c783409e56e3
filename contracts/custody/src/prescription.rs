//! Prescriptions a pharmacy dispenses against, with no patient on the custody trail.
//!
//! DSCSA traceability ends at the dispenser: it needs to know that a unit was dispensed, and against a valid
//! prescription, not to whom. So custody never stores or emits a patient's account, nor the id of the patient's
//! record, beside a unit.
//!
//! How a prescription reaches custody, and its quantity with it:
//! 1. The prescriber writes the prescription as a Medications record of the patient in the records contract (its
//!    content, the drug included, stays off chain: the record holds only its hash).
//! 2. The prescriber registers it here, once: `register_prescription(record, commitment, quantity)`. Custody asks
//!    records for the record's summary and participants whether the caller holds a Provider credential, and
//!    requires: a Current Medications record, authored by the caller, of a patient other than the caller. The
//!    `quantity` is the number of units (packs) it allows, a count that names no drug. The `commitment` is a hash
//!    the prescriber chooses, such as `blake2_256(record id ‖ patient ‖ a random salt)`, and writes on the
//!    prescription it gives the patient: the patient and the pharmacy can open it (show the record, the patient and
//!    the salt) to prove which prescription a unit was dispensed against; nobody else can tell from the trail.
//! 3. The pharmacy dispenses against the commitment: `dispense(unit, Some(commitment))`. The first pharmacy to
//!    dispense against a prescription holds it (an e-prescription goes to one pharmacy); each unit consumes one of
//!    its quantity; past it, `PrescriptionExhausted`. The unit records the commitment, never the patient.
//!
//! What stays public: the registration's arguments (in the block, as every call's) pair the record with the
//! commitment, so whoever reads registrations and dispensings together can still link the units to the record's
//! patient. Custody's storage and events do not; hiding the pairing itself needs a zero-knowledge proof of the
//! record's checks (not built).

use crate::{
    errors::{Error, Result},
    types::Prescription,
};
use interfaces::{AccountId, DataClass, RecordId, RecordStatus, RecordSummary, Timestamp};

/// The most units one prescription allows.
pub const MAX_QUANTITY: u32 = 1_000;

/// The prescriber `caller` registers `record` as a prescription of `quantity` units under `commitment` at `now`.
/// Checks in order: the quantity (1 to `MAX_QUANTITY`); the commitment not used (`commitment_used`) and the record
/// not registered before (`record_used`): storage; then the record's `summary` (records): found, Medications,
/// Current, authored by the caller, of another patient than the caller; then the caller's Provider credential
/// (`is_provider`, participants).
#[allow(clippy::too_many_arguments)] // each is one fact the rule needs: the call, two lookups, two asks
pub fn register(
    caller: AccountId,
    record: RecordId,
    quantity: u32,
    now: Timestamp,
    commitment_used: bool,
    record_used: bool,
    summary: impl FnOnce(RecordId) -> Result<Option<RecordSummary>>,
    is_provider: impl FnOnce() -> Result<bool>,
) -> Result<Prescription> {
    if quantity == 0 || quantity > MAX_QUANTITY {
        return Err(Error::InvalidQuantity);
    }
    if commitment_used {
        return Err(Error::PrescriptionExists);
    }
    if record_used {
        return Err(Error::RecordAlreadyPrescribed);
    }
    let summary = summary(record)?.ok_or(Error::PrescriptionNotFound)?;
    if summary.class != DataClass::Medications {
        return Err(Error::PrescriptionNotMedications);
    }
    if summary.status != RecordStatus::Current {
        return Err(Error::PrescriptionNotCurrent);
    }
    if summary.author != caller {
        return Err(Error::NotPrescriber);
    }
    if summary.patient == caller {
        return Err(Error::SelfPrescribed);
    }
    if !is_provider()? {
        return Err(Error::NotProvider);
    }
    Ok(Prescription { prescriber: caller, quantity, dispensed: 0, pharmacy: None, registered_at: now })
}

/// The pharmacy `caller` dispenses one unit against `prescription` (None: no prescription has that commitment):
/// the first pharmacy holds it, and each unit consumes one of its quantity.
pub fn consume(prescription: Option<Prescription>, caller: AccountId) -> Result<Prescription> {
    let mut prescription = prescription.ok_or(Error::PrescriptionNotFound)?;
    match prescription.pharmacy {
        Some(pharmacy) if pharmacy != caller => return Err(Error::PrescriptionOfAnotherPharmacy),
        _ => prescription.pharmacy = Some(caller),
    }
    if prescription.dispensed >= prescription.quantity {
        return Err(Error::PrescriptionExhausted);
    }
    prescription.dispensed = prescription.dispensed.checked_add(1).ok_or(Error::Overflow)?;
    Ok(prescription)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESCRIBER: AccountId = AccountId([1; 32]);
    const PATIENT: AccountId = AccountId([2; 32]);
    const PHARMACY: AccountId = AccountId([3; 32]);

    fn summary(author: AccountId, patient: AccountId, class: DataClass, status: RecordStatus) -> RecordSummary {
        RecordSummary { patient, author, class, status, content_hash: [1; 32], created_at: 0 }
    }

    fn yes() -> Result<bool> {
        Ok(true)
    }

    fn never() -> Result<bool> {
        panic!("participants asked, though the rule did not need it")
    }

    #[test]
    fn registration_checks_in_order() {
        let valid = summary(PRESCRIBER, PATIENT, DataClass::Medications, RecordStatus::Current);
        let not_asked = |_| -> Result<Option<RecordSummary>> { panic!("records asked, though storage refused") };
        let reg = |quantity, used: (bool, bool), answer: Option<RecordSummary>, is_provider: fn() -> Result<bool>| {
            register(PRESCRIBER, 7, quantity, 5, used.0, used.1, |_| Ok(answer), is_provider)
        };
        assert_eq!(register(PRESCRIBER, 7, 0, 5, false, false, not_asked, never), Err(Error::InvalidQuantity));
        assert_eq!(
            register(PRESCRIBER, 7, MAX_QUANTITY + 1, 5, false, false, not_asked, never),
            Err(Error::InvalidQuantity)
        );
        assert_eq!(register(PRESCRIBER, 7, 30, 5, true, false, not_asked, never), Err(Error::PrescriptionExists));
        assert_eq!(register(PRESCRIBER, 7, 30, 5, false, true, not_asked, never), Err(Error::RecordAlreadyPrescribed));
        assert_eq!(
            register(PRESCRIBER, 7, 30, 5, false, false, |_| Err(Error::RecordsUnreachable), never),
            Err(Error::RecordsUnreachable)
        );
        assert_eq!(reg(30, (false, false), None, never), Err(Error::PrescriptionNotFound));
        let labs = summary(PRESCRIBER, PATIENT, DataClass::Labs, RecordStatus::Current);
        assert_eq!(reg(30, (false, false), Some(labs), never), Err(Error::PrescriptionNotMedications));
        for status in [RecordStatus::Superseded, RecordStatus::EnteredInError, RecordStatus::Erased] {
            let old = summary(PRESCRIBER, PATIENT, DataClass::Medications, status);
            assert_eq!(reg(30, (false, false), Some(old), never), Err(Error::PrescriptionNotCurrent));
        }
        let by_patient = summary(PATIENT, PATIENT, DataClass::Medications, RecordStatus::Current);
        assert_eq!(reg(30, (false, false), Some(by_patient), never), Err(Error::NotPrescriber));
        let own = summary(PRESCRIBER, PRESCRIBER, DataClass::Medications, RecordStatus::Current);
        assert_eq!(reg(30, (false, false), Some(own), never), Err(Error::SelfPrescribed));
        assert_eq!(reg(30, (false, false), Some(valid), || Ok(false)), Err(Error::NotProvider));
        assert_eq!(
            reg(30, (false, false), Some(valid), || Err(Error::ParticipantsUnreachable)),
            Err(Error::ParticipantsUnreachable)
        );
        assert_eq!(
            reg(MAX_QUANTITY, (false, false), Some(valid), yes),
            Ok(Prescription {
                prescriber: PRESCRIBER,
                quantity: MAX_QUANTITY,
                dispensed: 0,
                pharmacy: None,
                registered_at: 5
            })
        );
    }

    #[test]
    fn each_unit_consumes_one_at_the_pharmacy_that_holds_it() {
        let fresh =
            Prescription { prescriber: PRESCRIBER, quantity: 2, dispensed: 0, pharmacy: None, registered_at: 5 };
        assert_eq!(consume(None, PHARMACY), Err(Error::PrescriptionNotFound));
        let once = consume(Some(fresh), PHARMACY).unwrap();
        assert_eq!((once.dispensed, once.pharmacy), (1, Some(PHARMACY)));
        assert_eq!(consume(Some(once), PATIENT), Err(Error::PrescriptionOfAnotherPharmacy));
        let twice = consume(Some(once), PHARMACY).unwrap();
        assert_eq!(twice.dispensed, 2);
        assert_eq!(consume(Some(twice), PHARMACY), Err(Error::PrescriptionExhausted));
    }
}
