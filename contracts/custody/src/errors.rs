//! Every refusal of the custody contract. A refused call changes nothing.

use crate::types::{Disposition, UnitId};

/// One variant per refusal; the unit ones name the unit that refused a call (the first bad one of a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the admin.
    NotAdmin,
    /// No admin transfer is pending for the caller.
    NotProposedAdmin,
    /// The chain refused the new code hash.
    UpgradeFailed,
    /// This contract does not call that dependency.
    NotADependency,
    /// The participants contract did not answer.
    ParticipantsUnreachable,
    /// The records contract did not answer.
    RecordsUnreachable,
    /// The caller holds no active Manufacturer credential.
    NotManufacturer,
    /// Not 14 ASCII digits with a valid GS1 check digit.
    InvalidGtin,
    /// The GTIN does not carry a GS1 Company Prefix attested to the caller (it is another company's, or nobody's).
    CompanyPrefixNotHeld,
    /// The product is already this account's.
    AlreadyManufacturer,
    /// The GTIN is already registered.
    ProductExists,
    /// No product has this GTIN.
    ProductNotFound,
    /// Only the product's manufacturer creates its batches and commissions its units.
    NotProductManufacturer,
    /// A lot is 1 to 20 characters of GS1 CSET 82.
    InvalidLot,
    /// This GTIN already has a batch with this lot.
    LotExists,
    /// The expiry is not a GS1 AI(17) date: YYMMDD, MM 01-12, DD 00 (end of month) or a day of that month.
    InvalidExpiry,
    /// The expiry's day is over.
    ExpiryPassed,
    /// No batch has this id.
    BatchNotFound,
    /// Units cannot be commissioned into a recalled batch.
    BatchUnderRecall,
    /// Units cannot be commissioned into an expired batch.
    BatchExpired,
    /// The list of serials or units is empty.
    EmptyList,
    /// More than `MAX_PER_CALL` serials or units.
    TooMany,
    /// The serial at this index (0 for a message that takes one serial) is not 1 to 20 characters of GS1 CSET 82.
    InvalidSerial(u32),
    /// The serial at this index appears earlier in the same call.
    DuplicateSerial(u32),
    /// The serial at this index is already used for this GTIN.
    SerialExists(u32),
    /// A counter would overflow.
    Overflow,
    /// No unit has this id.
    UnitNotFound(UnitId),
    /// The caller does not own this unit.
    NotOwner(UnitId),
    /// This unit appears twice in the list.
    DuplicateUnit(UnitId),
    /// This unit's batch is recalled: it is frozen where it is.
    UnitRecalled(UnitId),
    /// This unit's batch has expired.
    UnitExpired(UnitId),
    /// This unit is not active: its (effective) disposition is given.
    UnitNotActive(UnitId, Disposition),
    /// The recipient is the caller.
    ShipToSelf,
    /// The caller holds no trading-partner role (Manufacturer, Distributor, Pharmacy).
    SenderNotTradingPartner,
    /// The recipient holds no role that may receive from the caller's roles (`ship`), or, receiving, no longer holds
    /// any trading-partner role (its credential was suspended, revoked or expired while the units were in transit).
    RecipientNotAuthorised,
    /// A return to a manufacturer goes only to the manufacturer of this unit.
    NotUnitManufacturer(UnitId),
    /// This unit is not in transit.
    UnitNotInTransit(UnitId),
    /// This unit is in transit to another account.
    NotRecipient(UnitId),
    /// Only an owner holding an active Pharmacy credential dispenses.
    NotPharmacy,
    /// Registering: the records contract knows no such record. Dispensing: no prescription has that commitment.
    PrescriptionNotFound,
    /// The prescription record is not of class Medications.
    PrescriptionNotMedications,
    /// The prescription record is superseded, entered in error or erased.
    PrescriptionNotCurrent,
    /// A prescription allows 1 to `prescription::MAX_QUANTITY` units.
    InvalidQuantity,
    /// A prescription is already registered under this commitment.
    PrescriptionExists,
    /// This record is already registered as a prescription.
    RecordAlreadyPrescribed,
    /// Only the record's author registers it as a prescription.
    NotPrescriber,
    /// The record's author is its patient: nobody prescribes to themselves.
    SelfPrescribed,
    /// The caller holds no active Provider credential.
    NotProvider,
    /// Another pharmacy dispenses against this prescription.
    PrescriptionOfAnotherPharmacy,
    /// Every unit the prescription allows has been dispensed.
    PrescriptionExhausted,
    /// Only the batch's manufacturer or a Regulator recalls it.
    NotManufacturerOrRegulator,
    /// The batch is already recalled.
    AlreadyRecalled,
    /// Only the unit's owner or a Regulator flags it suspect.
    NotOwnerOrRegulator,
    /// The caller holds no active Regulator credential.
    NotRegulator,
    /// This unit is not quarantined.
    UnitNotQuarantined(UnitId),
    /// This unit is already declared illegitimate.
    AlreadyIllegitimate(UnitId),
    /// The trading partners to notify repeat one, or name the caller.
    InvalidPartners,
    /// This unit has no notification of trading partners due: it is not illegitimate, or they were notified.
    NoNotificationDue(UnitId),
}

pub type Result<T> = core::result::Result<T, Error>;

interfaces::admin_errors!(Error);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::*;
    use ink::metadata::EventMetadata;
    use scale_info::{TypeDef, TypeInfo};

    fn name<E: EventMetadata>() -> &'static str {
        E::event_spec().label()
    }

    #[test]
    fn no_refusal_is_named_like_an_event() {
        let TypeDef::Variant(refusals) = Error::type_info().type_def else { panic!("Error is an enum") };
        let events = [
            name::<ProductRegistered>(),
            name::<ProductReassigned>(),
            name::<BatchCreated>(),
            name::<UnitsCommissioned>(),
            name::<UnitShipped>(),
            name::<UnitReceived>(),
            name::<ShipmentVoided>(),
            name::<UnitDispensed>(),
            name::<PrescriptionRegistered>(),
            name::<UnitDecommissioned>(),
            name::<BatchRecalled>(),
            name::<UnitQuarantined>(),
            name::<UnitCleared>(),
            name::<UnitDeclaredIllegitimate>(),
            name::<TradingPartnerNotified>(),
            name::<interfaces::governance::AdminProposed>(),
            name::<interfaces::governance::AdminChanged>(),
            name::<interfaces::governance::CodeUpgraded>(),
            name::<interfaces::governance::DependencyChanged>(),
        ];
        assert!(events.iter().all(|event| !event.is_empty()));
        for refusal in refusals.variants {
            assert!(!events.contains(&refusal.name), "the refusal {} is named like an event", refusal.name);
        }
        assert_eq!(Error::from(interfaces::governance::AdminError::NotProposedAdmin), Error::NotProposedAdmin);
    }
}
