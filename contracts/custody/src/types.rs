//! What custody stores (products, batches, units, their trails) and what its messages take and answer, with the
//! invariants of each as methods.

use ink::prelude::string::String;
use interfaces::{AccountId, Hash32, Timestamp};

pub type BatchId = u64;
pub type UnitId = u64;

/// The most serials one `commission` and the most units one `ship`, `receive` or `void_shipment` takes.
pub const MAX_PER_CALL: usize = 100;

/// A unit's disposition: the CBV 2.0 dispositions custody uses, and the two DSCSA states CBV has no term for
/// (quarantined suspect product, illegitimate product), which EPCIS events carry as CBV `non_sellable_other` with a
/// reason, as DSCSA practice does ([`Disposition::cbv`], [`Disposition::cbv_reason`]). `Recalled` and `Expired`
/// are never stored: they derive from the batch (its recall, its expiry against block time), see
/// [`crate::disposition::effective`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Disposition {
    /// CBV `active`: commissioned, saleable, at its owner.
    Active,
    /// CBV `in_transit`: shipped, not yet received.
    InTransit,
    /// CBV `recalled`: its batch is recalled.
    Recalled,
    /// CBV `dispensed`: given to a patient; never moves again.
    Dispensed,
    /// CBV `destroyed` (decommissioned as destroyed, damaged or sampled; the reason is kept on the unit).
    Destroyed,
    /// CBV `expired`: the end of its batch's expiry day has passed.
    Expired,
    /// Not a CBV disposition: suspect product held in quarantine (DSCSA 582(c)(4)), pending a Regulator. CBV
    /// `non_sellable_other`, reason `suspect`.
    Quarantined,
    /// Not a CBV disposition: illegitimate product (DSCSA 581(8)); never moves again. CBV `non_sellable_other`,
    /// reason `illegitimate`.
    Illegitimate,
}

/// The prefix of every CBV 2.0 disposition URN.
pub const CBV_DISPOSITION: &str = "urn:epcglobal:cbv:disp:";
/// The prefix of every CBV 2.0 business step URN.
pub const CBV_BUSINESS_STEP: &str = "urn:epcglobal:cbv:bizstep:";

impl Disposition {
    /// The CBV 2.0 disposition an EPCIS event of a unit in this state carries.
    pub const fn cbv(self) -> &'static str {
        match self {
            Disposition::Active => "urn:epcglobal:cbv:disp:active",
            Disposition::InTransit => "urn:epcglobal:cbv:disp:in_transit",
            Disposition::Recalled => "urn:epcglobal:cbv:disp:recalled",
            Disposition::Dispensed => "urn:epcglobal:cbv:disp:dispensed",
            Disposition::Destroyed => "urn:epcglobal:cbv:disp:destroyed",
            Disposition::Expired => "urn:epcglobal:cbv:disp:expired",
            Disposition::Quarantined | Disposition::Illegitimate => "urn:epcglobal:cbv:disp:non_sellable_other",
        }
    }

    /// The reason that goes with `non_sellable_other` for the DSCSA states CBV has no term for; None for a state CBV
    /// names.
    pub const fn cbv_reason(self) -> Option<&'static str> {
        match self {
            Disposition::Quarantined => Some("suspect"),
            Disposition::Illegitimate => Some("illegitimate"),
            _ => None,
        }
    }
}

/// CBV 2.0 business steps written to the trail ([`BusinessStep::cbv`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum BusinessStep {
    /// CBV `commissioning`.
    Commissioning,
    /// CBV `shipping`.
    Shipping,
    /// CBV `receiving`.
    Receiving,
    /// CBV `void_shipping`: the shipper cancelled a shipment not yet received.
    VoidShipping,
    /// CBV `dispensing`.
    Dispensing,
    /// CBV `decommissioning`.
    Decommissioning,
    /// CBV `holding`: quarantined as suspect.
    Holding,
    /// CBV `inspecting`: a Regulator cleared the unit or declared it illegitimate.
    Inspecting,
}

impl BusinessStep {
    /// The CBV 2.0 business step URN.
    pub const fn cbv(self) -> &'static str {
        match self {
            BusinessStep::Commissioning => "urn:epcglobal:cbv:bizstep:commissioning",
            BusinessStep::Shipping => "urn:epcglobal:cbv:bizstep:shipping",
            BusinessStep::Receiving => "urn:epcglobal:cbv:bizstep:receiving",
            BusinessStep::VoidShipping => "urn:epcglobal:cbv:bizstep:void_shipping",
            BusinessStep::Dispensing => "urn:epcglobal:cbv:bizstep:dispensing",
            BusinessStep::Decommissioning => "urn:epcglobal:cbv:bizstep:decommissioning",
            BusinessStep::Holding => "urn:epcglobal:cbv:bizstep:holding",
            BusinessStep::Inspecting => "urn:epcglobal:cbv:bizstep:inspecting",
        }
    }
}

/// Why an owner took a unit out of the supply chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum DecommissionReason {
    Destroyed,
    Damaged,
    Sampled,
}

/// A product registered by GTIN-14.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Product {
    pub manufacturer: AccountId,
    /// Hash of the product name / labelling (kept off chain).
    pub name_hash: Hash32,
    pub registered_at: Timestamp,
}

/// Who recalled a batch, why and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Recall {
    pub by: AccountId,
    pub reason_hash: Hash32,
    pub at: Timestamp,
}

/// A lot of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Batch {
    pub gtin: String,
    pub lot: String,
    /// The expiry as the pack carries it: GS1 AI(17) YYMMDD (DD 00: the last day of the month).
    pub expiry: String,
    /// The end of the expiry's day (ms, 00:00 UTC of the next day; see [`crate::gs1::expiry_end`]): expired when
    /// block time >= `expires_at`.
    pub expires_at: Timestamp,
    pub manufacturer: AccountId,
    pub created_at: Timestamp,
    /// Units commissioned into this batch.
    pub units: u64,
    pub recall: Option<Recall>,
}

impl Batch {
    /// A batch as its manufacturer creates it: no unit commissioned yet, not recalled.
    pub fn new(
        gtin: String,
        lot: String,
        (expiry, expires_at): (String, Timestamp),
        manufacturer: AccountId,
        created_at: Timestamp,
    ) -> Self {
        Self { gtin, lot, expiry, expires_at, manufacturer, created_at, units: 0, recall: None }
    }

    /// A recall is never lifted.
    pub fn is_recalled(&self) -> bool {
        self.recall.is_some()
    }

    /// Expired once its expiry's day is over (`now >= expires_at`).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }
}

/// A serialised unit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Unit {
    pub batch: BatchId,
    pub serial: String,
    /// The one legal owner. A shipment does not change it; receiving does.
    pub owner: AccountId,
    /// The disposition of the last step (Active, InTransit, Quarantined, Dispensed, Destroyed, Illegitimate).
    /// Recall and expiry are not written per unit: [`crate::disposition::effective`] gives the effective one.
    pub disposition: Disposition,
    /// The account a pending shipment is addressed to: set exactly while the unit is InTransit, never the owner.
    pub recipient: Option<AccountId>,
    /// Why the unit was decommissioned, if it was.
    pub decommissioned: Option<DecommissionReason>,
    /// The commitment of the prescription it was dispensed against, if any (see [`crate::prescription`]): never
    /// the patient.
    pub prescription: Option<Hash32>,
    /// The index of the DSCSA clock running for it, if any (see [`crate::clock`]).
    pub deadline: Option<u64>,
    /// Entries in the unit's trail.
    pub trail_len: u32,
}

/// Which DSCSA clock (see [`crate::clock`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum DeadlineKind {
    /// A quarantined suspect unit must be cleared or declared illegitimate.
    Investigation,
    /// An illegitimate unit's owner must notify its trading partners.
    Notification,
}

/// One DSCSA clock of a unit, in the log `overdue` pages through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Deadline {
    pub unit: UnitId,
    pub kind: DeadlineKind,
    /// Overdue from then on while not met (ms).
    pub due: Timestamp,
    /// When it was met (late or not); None while it runs.
    pub met: Option<Timestamp>,
}

/// A prescription registered by its prescriber, stored at its commitment (see [`crate::prescription`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Prescription {
    /// The credentialed Provider who authored the record and registered it.
    pub prescriber: AccountId,
    /// Units it allows.
    pub quantity: u32,
    /// Units dispensed against it so far (never more than `quantity`).
    pub dispensed: u32,
    /// The pharmacy that holds it: the first to dispense against it.
    pub pharmacy: Option<AccountId>,
    pub registered_at: Timestamp,
}

/// One step of a unit's custody trail (an EPCIS ObjectEvent, reduced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct TrailEntry {
    pub step: BusinessStep,
    /// The disposition the step left the unit in.
    pub disposition: Disposition,
    /// Custody steps: the party giving custody. Holding and inspecting: the account that acted.
    pub from: Option<AccountId>,
    /// Custody steps: the party taking custody (for dispensing none: the patient is never on chain).
    pub to: Option<AccountId>,
    pub at: Timestamp,
}

/// The first question of `verify`: is the product identifier read off the pack one the manufacturer commissioned,
/// with the lot and expiry of its batch? (DSCSA: verification of the product identifier.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum IdentifierCheck {
    /// A commissioned unit, with its batch's lot and expiry.
    Genuine,
    /// No unit has this GTIN and serial: a counterfeit or a mistyped identifier.
    UnknownSerial,
    /// The unit exists, but its batch has another lot.
    LotMismatch,
    /// The unit exists, but its batch has another expiry.
    ExpiryMismatch,
}

/// The answer of `verify`, to two questions kept apart: is the identifier genuine (`identifier`), and may the unit
/// it names be sold now (`saleable`, with the unit's effective `disposition` as the reason). A genuine unit that was
/// dispensed or recalled is genuine and not saleable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Verification {
    pub identifier: IdentifierCheck,
    /// Genuine, and its disposition lets it trade: Active, or in transit between trading partners.
    pub saleable: bool,
    /// The unit's effective disposition, when the GTIN and serial name a unit (matching or not).
    pub disposition: Option<Disposition>,
    /// The current owner, when the GTIN and serial name a unit.
    pub owner: Option<AccountId>,
    pub unit: Option<UnitId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_batch_has_no_unit_and_no_recall_and_expires_at_its_expiry() {
        let maker = AccountId::from([1; 32]);
        let batch = Batch::new("04006381333931".into(), "LOT-1".into(), ("700101".into(), 500), maker, 100);
        assert_eq!((batch.units, batch.recall, batch.manufacturer, batch.created_at), (0, None, maker, 100));
        assert!(!batch.is_recalled());
        assert!(!batch.is_expired(499));
        assert!(batch.is_expired(500));
        let recalled = Batch { recall: Some(Recall { by: maker, reason_hash: [0; 32], at: 200 }), ..batch };
        assert!(recalled.is_recalled());
    }

    /// Every CBV 2.0 disposition (GS1 CBV 2.0, section 7.2): what `Disposition::cbv` may answer.
    const CBV_DISPOSITIONS: [&str; 33] = [
        "active",
        "available",
        "completeness_inferred",
        "completeness_verified",
        "conformant",
        "container_closed",
        "container_open",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "no_pedigree_match",
        "non_conformant",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unavailable",
        "unknown",
    ];

    #[test]
    fn dispositions_are_written_exactly_as_cbv_names_them() {
        use Disposition::*;
        for disposition in [Active, InTransit, Recalled, Dispensed, Destroyed, Expired, Quarantined, Illegitimate] {
            let term = disposition.cbv().strip_prefix(CBV_DISPOSITION).expect("a CBV disposition URN");
            assert!(CBV_DISPOSITIONS.contains(&term), "{disposition:?}: {term} is no CBV 2.0 disposition");
        }
        assert_eq!(Active.cbv(), "urn:epcglobal:cbv:disp:active");
        assert_eq!(InTransit.cbv(), "urn:epcglobal:cbv:disp:in_transit");
        // The DSCSA states CBV lacks: non_sellable_other, with the reason.
        assert_eq!(
            (Quarantined.cbv(), Quarantined.cbv_reason()),
            ("urn:epcglobal:cbv:disp:non_sellable_other", Some("suspect"))
        );
        assert_eq!(
            (Illegitimate.cbv(), Illegitimate.cbv_reason()),
            ("urn:epcglobal:cbv:disp:non_sellable_other", Some("illegitimate"))
        );
        assert_eq!(Recalled.cbv_reason(), None);
    }

    #[test]
    fn business_steps_are_written_exactly_as_cbv_names_them() {
        use BusinessStep::*;
        let steps =
            [Commissioning, Shipping, Receiving, VoidShipping, Dispensing, Decommissioning, Holding, Inspecting];
        let terms: Vec<&str> = steps.iter().map(|s| s.cbv().strip_prefix(CBV_BUSINESS_STEP).unwrap()).collect();
        assert_eq!(
            terms,
            [
                "commissioning",
                "shipping",
                "receiving",
                "void_shipping",
                "dispensing",
                "decommissioning",
                "holding",
                "inspecting"
            ]
        );
    }
}
