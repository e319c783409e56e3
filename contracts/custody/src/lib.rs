//! # custody: pharmaceutical chain of custody (DSCSA, GS1 EPCIS 2.0 / CBV 2.0)
//!
//! A credentialed **Manufacturer** registers products by GTIN-14, creates batches (lot, expiry) and commissions
//! serialised units (GTIN + AI(21) serial). Each unit has exactly one legal owner. Units move by a two-step transfer
//! between authorised trading partners (manufacturer -> distributor -> pharmacy, returns the other way): the owner
//! `ship`s, the named recipient `receive`s (or the shipper voids the shipment). A Pharmacy dispenses a unit to a
//! patient, optionally against a prescription record asked of the records contract. Owners decommission units.
//!
//! Safety: a **recall** marks a batch in O(1); every unit of the batch derives its disposition from it (no per-unit
//! writes, so no per-unit trail entries either: the `BatchRecalled` event is the record), and any move of such a unit
//! fails with `UnitRecalled`. Owners or Regulators quarantine suspect units; a Regulator clears them or declares them
//! illegitimate (final). Anyone can `verify(gtin, serial, lot, expiry)`.
//!
//! Every step appends a `TrailEntry` (CBV business step, disposition, from, to, when) to the unit's trail, read page
//! by page.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod flow;
pub mod gs1;

#[ink::contract]
pub mod custody {
    use crate::flow::{self, Leg};
    use ink::{
        prelude::{string::String, vec::Vec},
        storage::Mapping,
    };
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        page_range, DataClass, Hash32, Page, RecordId, RecordStatus, Role, RoleSet,
    };

    pub type BatchId = u64;
    pub type UnitId = u64;

    /// The most serials one `commission` and the most units one `ship`, `receive` or `void_shipment` takes.
    pub const MAX_PER_CALL: usize = 100;

    /// CBV 2.0 dispositions. `Recalled` and `Expired` are never stored: they derive from the batch (its recall, its
    /// expiry against block time), see [`Custody::disposition`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum Disposition {
        /// CBV `active`: saleable, at its owner.
        Active,
        /// CBV `in_transit`: shipped, not yet received.
        InTransit,
        /// CBV `recalled`: its batch is recalled.
        Recalled,
        /// CBV `dispensed`: given to a patient; never moves again.
        Dispensed,
        /// CBV `destroyed` (decommissioned as destroyed, damaged or sampled; the reason is kept on the unit).
        Destroyed,
        /// CBV `expired`: block time reached the batch's expiry.
        Expired,
        /// Suspect product held in quarantine (DSCSA 582(c)(4)), pending a Regulator.
        Quarantined,
        /// Illegitimate product (DSCSA): never moves again.
        Illegitimate,
    }

    /// CBV 2.0 business steps written to the trail.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum BusinessStep {
        Commissioning,
        Shipping,
        Receiving,
        /// CBV `void_shipping`: the shipper cancelled a shipment not yet received.
        VoidShipping,
        Dispensing,
        Decommissioning,
        /// CBV `holding`: quarantined as suspect.
        Holding,
        /// CBV `inspecting`: a Regulator cleared the unit or declared it illegitimate.
        Inspecting,
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
        /// Expired when block time >= expiry (ms).
        pub expiry: Timestamp,
        pub manufacturer: AccountId,
        pub created_at: Timestamp,
        /// Units commissioned into this batch.
        pub units: u64,
        pub recall: Option<Recall>,
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
        /// Recall and expiry are not written per unit: [`Custody::disposition`] gives the effective one.
        pub disposition: Disposition,
        /// The account a pending shipment is addressed to.
        pub recipient: Option<AccountId>,
        /// Why the unit was decommissioned, if it was.
        pub decommissioned: Option<DecommissionReason>,
        /// Entries in the unit's trail.
        pub trail_len: u32,
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
        /// Custody steps: the party taking custody (for dispensing, the patient).
        pub to: Option<AccountId>,
        pub at: Timestamp,
    }

    /// What `verify` found.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum VerifyResult {
        /// A commissioned unit, active and matching lot and expiry.
        Authentic,
        /// No unit has this GTIN and serial: a counterfeit or a mistyped identifier.
        UnknownSerial,
        LotMismatch,
        ExpiryMismatch,
        Recalled,
        Quarantined,
        Illegitimate,
        Expired,
        Dispensed,
        Destroyed,
        /// Authentic and matching, in transit between trading partners.
        InTransit,
    }

    /// The answer of `verify`. `authentic` is true when the identifier matches a unit fit to trade: reason
    /// `Authentic` or `InTransit`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub struct Verification {
        pub authentic: bool,
        pub reason: VerifyResult,
        /// The current owner, when the GTIN and serial name a unit.
        pub owner: Option<AccountId>,
        pub unit: Option<UnitId>,
    }

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
        /// The expiry has already passed.
        InvalidExpiry,
        /// No batch has this id.
        BatchNotFound,
        /// Units cannot be commissioned into a recalled batch.
        BatchRecalled,
        /// Units cannot be commissioned into an expired batch.
        BatchExpired,
        /// The list of serials or units is empty.
        EmptyList,
        /// More than `MAX_PER_CALL` serials or units.
        TooMany,
        /// The serial at this index is not 1 to 20 characters of GS1 CSET 82.
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
        /// The recipient holds no role that may receive from the caller's roles.
        RecipientNotAuthorised,
        /// A return to a manufacturer goes only to the manufacturer of this unit.
        NotUnitManufacturer(UnitId),
        /// This unit is not in transit.
        UnitNotInTransit(UnitId),
        /// This unit is in transit to another account.
        NotRecipient(UnitId),
        /// Only an owner holding an active Pharmacy credential dispenses.
        NotPharmacy,
        /// The records contract knows no such record.
        PrescriptionNotFound,
        /// The prescription record belongs to another patient.
        PrescriptionOfAnotherPatient,
        /// The prescription record is not of class Medications.
        PrescriptionNotMedications,
        /// The prescription record is superseded, entered in error or erased.
        PrescriptionNotCurrent,
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
    }

    interfaces::admin_errors!(Error);

    pub type Result<T> = core::result::Result<T, Error>;

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProductRegistered {
        #[ink(topic)]
        pub gtin: String,
        #[ink(topic)]
        pub manufacturer: AccountId,
        pub name_hash: Hash32,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BatchCreated {
        #[ink(topic)]
        pub batch: BatchId,
        #[ink(topic)]
        pub manufacturer: AccountId,
        #[ink(topic)]
        pub gtin: String,
        pub lot: String,
        pub expiry: Timestamp,
    }

    /// Units `first .. first + count` were commissioned into `batch`, Active at the manufacturer.
    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitsCommissioned {
        #[ink(topic)]
        pub batch: BatchId,
        #[ink(topic)]
        pub manufacturer: AccountId,
        pub first: UnitId,
        pub count: u32,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitShipped {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub from: AccountId,
        #[ink(topic)]
        pub to: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitReceived {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub from: AccountId,
        #[ink(topic)]
        pub to: AccountId,
    }

    /// A pending shipment was cancelled: by the shipper, or by a quarantine or an illegitimacy declaration.
    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ShipmentVoided {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub shipper: AccountId,
        #[ink(topic)]
        pub recipient: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitDispensed {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub pharmacy: AccountId,
        #[ink(topic)]
        pub patient: AccountId,
        pub prescription: Option<RecordId>,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitDecommissioned {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub owner: AccountId,
        pub reason: DecommissionReason,
    }

    /// Every unit of `batch` is frozen from now on (no per-unit trail entries are written).
    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BatchRecalled {
        #[ink(topic)]
        pub batch: BatchId,
        #[ink(topic)]
        pub by: AccountId,
        pub reason_hash: Hash32,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitQuarantined {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub by: AccountId,
        #[ink(topic)]
        pub owner: AccountId,
        pub reason_hash: Hash32,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitCleared {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub by: AccountId,
        #[ink(topic)]
        pub owner: AccountId,
    }

    #[ink(event)]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitDeclaredIllegitimate {
        #[ink(topic)]
        pub unit: UnitId,
        #[ink(topic)]
        pub by: AccountId,
        #[ink(topic)]
        pub owner: AccountId,
    }

    #[ink(storage)]
    pub struct Custody {
        admin: Admin,
        participants: AccountId,
        records: AccountId,
        products: Mapping<String, Product>,
        batches: Mapping<BatchId, Batch>,
        /// (GTIN, lot) -> batch.
        lots: Mapping<(String, String), BatchId>,
        next_batch: BatchId,
        units: Mapping<UnitId, Unit>,
        /// (GTIN, serial) -> unit.
        serials: Mapping<(String, String), UnitId>,
        next_unit: UnitId,
        trails: Mapping<(UnitId, u32), TrailEntry>,
    }

    impl Custody {
        /// The caller becomes the governance admin. Batch and unit ids start at 1.
        #[ink(constructor)]
        pub fn new(participants: AccountId, records: AccountId) -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                participants,
                records,
                products: Mapping::new(),
                batches: Mapping::new(),
                lots: Mapping::new(),
                next_batch: 1,
                units: Mapping::new(),
                serials: Mapping::new(),
                next_unit: 1,
                trails: Mapping::new(),
            }
        }

        // ---- governance ----

        /// Admin: propose `new_admin`; it takes over when it calls `accept_admin`.
        #[ink(message)]
        pub fn propose_admin(&mut self, new_admin: AccountId) -> Result<()> {
            let event = self.admin.propose(self.env().caller(), new_admin)?;
            self.env().emit_event::<AdminProposed>(event);
            Ok(())
        }

        /// The proposed admin takes over.
        #[ink(message)]
        pub fn accept_admin(&mut self) -> Result<()> {
            let event = self.admin.accept(self.env().caller())?;
            self.env().emit_event::<AdminChanged>(event);
            Ok(())
        }

        /// Admin: replace this contract's code, keeping its storage.
        #[ink(message)]
        pub fn upgrade(&mut self, code_hash: Hash) -> Result<()> {
            let event = self.admin.upgrade(self.env().caller(), code_hash)?;
            self.env().emit_event::<CodeUpgraded>(event);
            Ok(())
        }

        /// Admin: call the contract at `address` for `dependency` from now on.
        #[ink(message)]
        pub fn set_dependency(&mut self, dependency: Dependency, address: AccountId) -> Result<()> {
            self.admin.ensure_admin(self.env().caller())?;
            match dependency {
                Dependency::Participants => self.participants = address,
                Dependency::Records => self.records = address,
                _ => return Err(Error::NotADependency),
            }
            self.env().emit_event(DependencyChanged { dependency, address });
            Ok(())
        }

        // ---- manufacturers ----

        /// A credentialed Manufacturer registers a product by GTIN-14 and owns it.
        #[ink(message)]
        pub fn register_product(&mut self, gtin: String, name_hash: Hash32) -> Result<()> {
            let caller = self.env().caller();
            if !crate::gs1::is_valid_gtin14(&gtin) {
                return Err(Error::InvalidGtin);
            }
            if self.products.contains(&gtin) {
                return Err(Error::ProductExists);
            }
            self.ensure_role(caller, Role::Manufacturer, Error::NotManufacturer)?;
            let product = Product { manufacturer: caller, name_hash, registered_at: self.env().block_timestamp() };
            self.products.insert(&gtin, &product);
            self.env().emit_event(ProductRegistered { gtin, manufacturer: caller, name_hash });
            Ok(())
        }

        /// The product's (still credentialed) manufacturer creates a batch: a lot of 1 to 20 CSET 82 characters, not
        /// used before for this GTIN, and an expiry (ms) still ahead.
        #[ink(message)]
        pub fn create_batch(&mut self, gtin: String, lot: String, expiry: Timestamp) -> Result<BatchId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let product = self.products.get(&gtin).ok_or(Error::ProductNotFound)?;
            if product.manufacturer != caller {
                return Err(Error::NotProductManufacturer);
            }
            if !crate::gs1::is_valid_lot(&lot) {
                return Err(Error::InvalidLot);
            }
            if expiry <= now {
                return Err(Error::InvalidExpiry);
            }
            if self.lots.contains((&gtin, &lot)) {
                return Err(Error::LotExists);
            }
            self.ensure_role(caller, Role::Manufacturer, Error::NotManufacturer)?;
            let id = self.next_batch;
            let next = id.checked_add(1).ok_or(Error::Overflow)?;
            let batch = Batch {
                gtin: gtin.clone(),
                lot: lot.clone(),
                expiry,
                manufacturer: caller,
                created_at: now,
                units: 0,
                recall: None,
            };
            self.batches.insert(id, &batch);
            self.lots.insert((&gtin, &lot), &id);
            self.next_batch = next;
            self.env().emit_event(BatchCreated { batch: id, manufacturer: caller, gtin, lot, expiry });
            Ok(id)
        }

        /// The batch's (still credentialed) manufacturer commissions up to `MAX_PER_CALL` serials into a batch that is
        /// neither recalled nor expired. Returns the first unit id and the count (ids are consecutive). Each unit
        /// costs the same whatever the number already on chain: one index lookup and three writes.
        #[ink(message)]
        pub fn commission(&mut self, batch: BatchId, serials: Vec<String>) -> Result<(UnitId, u32)> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            if serials.is_empty() {
                return Err(Error::EmptyList);
            }
            if serials.len() > MAX_PER_CALL {
                return Err(Error::TooMany);
            }
            let count = u32::try_from(serials.len()).map_err(|_| Error::TooMany)?;
            let mut record = self.batches.get(batch).ok_or(Error::BatchNotFound)?;
            if record.manufacturer != caller {
                return Err(Error::NotProductManufacturer);
            }
            if record.recall.is_some() {
                return Err(Error::BatchRecalled);
            }
            if now >= record.expiry {
                return Err(Error::BatchExpired);
            }
            for (index, serial) in (0u32..).zip(serials.iter()) {
                if !crate::gs1::is_valid_serial(serial) {
                    return Err(Error::InvalidSerial(index));
                }
            }
            // Duplicates within the call: sort a list of indices by serial, compare neighbours (n log n, n <= 100).
            let mut order: Vec<(&String, u32)> = serials.iter().zip(0u32..).collect();
            order.sort();
            let mut previous: Option<&String> = None;
            let mut duplicate: Option<u32> = None;
            for (serial, index) in order {
                if previous == Some(serial) {
                    duplicate = Some(duplicate.map_or(index, |d| d.min(index)));
                }
                previous = Some(serial);
            }
            if let Some(index) = duplicate {
                return Err(Error::DuplicateSerial(index));
            }
            for (index, serial) in (0u32..).zip(serials.iter()) {
                if self.serials.contains((&record.gtin, serial)) {
                    return Err(Error::SerialExists(index));
                }
            }
            self.ensure_role(caller, Role::Manufacturer, Error::NotManufacturer)?;
            let first = self.next_unit;
            let end = first.checked_add(u64::from(count)).ok_or(Error::Overflow)?;
            let units = record.units.checked_add(u64::from(count)).ok_or(Error::Overflow)?;

            for (id, serial) in (first..end).zip(serials) {
                self.serials.insert((&record.gtin, &serial), &id);
                let mut unit = Unit {
                    batch,
                    serial,
                    owner: caller,
                    disposition: Disposition::Active,
                    recipient: None,
                    decommissioned: None,
                    trail_len: 0,
                };
                self.append(id, &mut unit, BusinessStep::Commissioning, None, Some(caller));
            }
            record.units = units;
            self.batches.insert(batch, &record);
            self.next_unit = end;
            self.env().emit_event(UnitsCommissioned { batch, manufacturer: caller, first, count });
            Ok((first, count))
        }

        // ---- moving units ----

        /// The owner ships up to `MAX_PER_CALL` Active units to `to`, who must hold a role that may receive from the
        /// caller's along the flow. All or nothing: the first bad unit refuses the call and is named.
        #[ink(message)]
        pub fn ship(&mut self, units: Vec<UnitId>, to: AccountId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            Self::ensure_list(&units)?;
            if to == caller {
                return Err(Error::ShipToSelf);
            }
            let from_roles = self.roles(caller)?;
            if !flow::is_trading_partner(from_roles) {
                return Err(Error::SenderNotTradingPartner);
            }
            let leg = flow::leg(from_roles, self.roles(to)?).ok_or(Error::RecipientNotAuthorised)?;
            let mut checked = Vec::with_capacity(units.len());
            for id in units.iter().copied() {
                let (unit, batch) = self.load(id)?;
                if unit.owner != caller {
                    return Err(Error::NotOwner(id));
                }
                Self::ensure_movable(id, &unit, &batch, now)?;
                if leg == Leg::ToManufacturer && batch.manufacturer != to {
                    return Err(Error::NotUnitManufacturer(id));
                }
                Self::ensure_trail_room(&unit)?;
                checked.push((id, unit));
            }
            for (id, mut unit) in checked {
                unit.disposition = Disposition::InTransit;
                unit.recipient = Some(to);
                self.append(id, &mut unit, BusinessStep::Shipping, Some(caller), Some(to));
                self.env().emit_event(UnitShipped { unit: id, from: caller, to });
            }
            Ok(())
        }

        /// The named recipient receives up to `MAX_PER_CALL` units in transit to it and becomes their owner. A
        /// recalled unit is refused: it never changes owner.
        #[ink(message)]
        pub fn receive(&mut self, units: Vec<UnitId>) -> Result<()> {
            let caller = self.env().caller();
            Self::ensure_list(&units)?;
            let mut checked = Vec::with_capacity(units.len());
            for id in units.iter().copied() {
                let (unit, batch) = self.load(id)?;
                if unit.disposition != Disposition::InTransit {
                    return Err(Error::UnitNotInTransit(id));
                }
                if unit.recipient != Some(caller) {
                    return Err(Error::NotRecipient(id));
                }
                if batch.recall.is_some() {
                    return Err(Error::UnitRecalled(id));
                }
                Self::ensure_trail_room(&unit)?;
                checked.push((id, unit));
            }
            for (id, mut unit) in checked {
                let from = unit.owner;
                unit.owner = caller;
                unit.disposition = Disposition::Active;
                unit.recipient = None;
                self.append(id, &mut unit, BusinessStep::Receiving, Some(from), Some(caller));
                self.env().emit_event(UnitReceived { unit: id, from, to: caller });
            }
            Ok(())
        }

        /// The shipper (still the owner) cancels shipments not yet received: the units are Active at it again. Allowed
        /// for recalled units too (the owner does not change), so that they can be decommissioned.
        #[ink(message)]
        pub fn void_shipment(&mut self, units: Vec<UnitId>) -> Result<()> {
            let caller = self.env().caller();
            Self::ensure_list(&units)?;
            let mut checked = Vec::with_capacity(units.len());
            for id in units.iter().copied() {
                let (unit, _) = self.load(id)?;
                if unit.owner != caller {
                    return Err(Error::NotOwner(id));
                }
                if unit.disposition != Disposition::InTransit {
                    return Err(Error::UnitNotInTransit(id));
                }
                Self::ensure_trail_room(&unit)?;
                checked.push((id, unit));
            }
            for (id, mut unit) in checked {
                let recipient = unit.recipient.take().unwrap_or(caller);
                unit.disposition = Disposition::Active;
                self.append(id, &mut unit, BusinessStep::VoidShipping, Some(caller), Some(recipient));
                self.env().emit_event(ShipmentVoided { unit: id, shipper: caller, recipient });
            }
            Ok(())
        }

        /// A Pharmacy owner dispenses an Active, unexpired, unrecalled unit to `patient`. A prescription, when given,
        /// must be the patient's Current Medications record (asked of the records contract). Final.
        #[ink(message)]
        pub fn dispense(&mut self, unit: UnitId, patient: AccountId, prescription: Option<RecordId>) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let (mut record, batch) = self.load(unit)?;
            if record.owner != caller {
                return Err(Error::NotOwner(unit));
            }
            Self::ensure_movable(unit, &record, &batch, now)?;
            Self::ensure_trail_room(&record)?;
            self.ensure_role(caller, Role::Pharmacy, Error::NotPharmacy)?;
            if let Some(id) = prescription {
                let summary = client::record_summary(self.records, id)
                    .map_err(|_| Error::RecordsUnreachable)?
                    .ok_or(Error::PrescriptionNotFound)?;
                if summary.patient != patient {
                    return Err(Error::PrescriptionOfAnotherPatient);
                }
                if summary.class != DataClass::Medications {
                    return Err(Error::PrescriptionNotMedications);
                }
                if summary.status != RecordStatus::Current {
                    return Err(Error::PrescriptionNotCurrent);
                }
            }
            record.disposition = Disposition::Dispensed;
            self.append(unit, &mut record, BusinessStep::Dispensing, Some(caller), Some(patient));
            self.env().emit_event(UnitDispensed { unit, pharmacy: caller, patient, prescription });
            Ok(())
        }

        /// The owner takes an Active unit out of the supply chain (recalled or expired ones included: that is how they
        /// end). Disposition Destroyed; the reason is kept on the unit. Final.
        #[ink(message)]
        pub fn decommission(&mut self, unit: UnitId, reason: DecommissionReason) -> Result<()> {
            let caller = self.env().caller();
            let (mut record, _) = self.load(unit)?;
            if record.owner != caller {
                return Err(Error::NotOwner(unit));
            }
            if record.disposition != Disposition::Active {
                return Err(Error::UnitNotActive(unit, record.disposition));
            }
            Self::ensure_trail_room(&record)?;
            record.disposition = Disposition::Destroyed;
            record.decommissioned = Some(reason);
            self.append(unit, &mut record, BusinessStep::Decommissioning, Some(caller), None);
            self.env().emit_event(UnitDecommissioned { unit, owner: caller, reason });
            Ok(())
        }

        // ---- safety ----

        /// The batch's manufacturer or a Regulator recalls a batch: O(1), every unit of it freezes at once.
        #[ink(message)]
        pub fn recall(&mut self, batch: BatchId, reason_hash: Hash32) -> Result<()> {
            let caller = self.env().caller();
            let mut record = self.batches.get(batch).ok_or(Error::BatchNotFound)?;
            if record.manufacturer != caller {
                self.ensure_role(caller, Role::Regulator, Error::NotManufacturerOrRegulator)?;
            }
            if record.recall.is_some() {
                return Err(Error::AlreadyRecalled);
            }
            record.recall = Some(Recall { by: caller, reason_hash, at: self.env().block_timestamp() });
            self.batches.insert(batch, &record);
            self.env().emit_event(BatchRecalled { batch, by: caller, reason_hash });
            Ok(())
        }

        /// The owner or a Regulator quarantines an Active or in-transit unit as suspect (a pending shipment is
        /// voided). The owner does not change.
        #[ink(message)]
        pub fn flag_suspect(&mut self, unit: UnitId, reason_hash: Hash32) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let (mut record, batch) = self.load(unit)?;
            if record.owner != caller {
                self.ensure_role(caller, Role::Regulator, Error::NotOwnerOrRegulator)?;
            }
            if !matches!(record.disposition, Disposition::Active | Disposition::InTransit) {
                return Err(Error::UnitNotActive(unit, Self::effective(&record, &batch, now)));
            }
            Self::ensure_trail_room(&record)?;
            let owner = record.owner;
            let voided = record.recipient.take();
            record.disposition = Disposition::Quarantined;
            self.append(unit, &mut record, BusinessStep::Holding, Some(caller), None);
            if let Some(recipient) = voided {
                self.env().emit_event(ShipmentVoided { unit, shipper: owner, recipient });
            }
            self.env().emit_event(UnitQuarantined { unit, by: caller, owner, reason_hash });
            Ok(())
        }

        /// A Regulator clears a quarantined unit: Active again at its owner.
        #[ink(message)]
        pub fn clear_suspect(&mut self, unit: UnitId) -> Result<()> {
            let caller = self.env().caller();
            let (mut record, _) = self.load(unit)?;
            self.ensure_role(caller, Role::Regulator, Error::NotRegulator)?;
            if record.disposition != Disposition::Quarantined {
                return Err(Error::UnitNotQuarantined(unit));
            }
            Self::ensure_trail_room(&record)?;
            record.disposition = Disposition::Active;
            self.append(unit, &mut record, BusinessStep::Inspecting, Some(caller), None);
            self.env().emit_event(UnitCleared { unit, by: caller, owner: record.owner });
            Ok(())
        }

        /// A Regulator declares a unit illegitimate (from any disposition; a pending shipment is voided). Final: it
        /// never moves again.
        #[ink(message)]
        pub fn declare_illegitimate(&mut self, unit: UnitId) -> Result<()> {
            let caller = self.env().caller();
            let (mut record, _) = self.load(unit)?;
            self.ensure_role(caller, Role::Regulator, Error::NotRegulator)?;
            if record.disposition == Disposition::Illegitimate {
                return Err(Error::AlreadyIllegitimate(unit));
            }
            Self::ensure_trail_room(&record)?;
            let owner = record.owner;
            let voided = record.recipient.take();
            record.disposition = Disposition::Illegitimate;
            self.append(unit, &mut record, BusinessStep::Inspecting, Some(caller), None);
            if let Some(recipient) = voided {
                self.env().emit_event(ShipmentVoided { unit, shipper: owner, recipient });
            }
            self.env().emit_event(UnitDeclaredIllegitimate { unit, by: caller, owner });
            Ok(())
        }

        /// Anyone: is this product identifier (as read from the pack) a genuine unit fit to trade, and if not, why?
        /// Checks in order: known serial, lot, expiry, then the unit's effective disposition.
        #[ink(message)]
        pub fn verify(&self, gtin: String, serial: String, lot: String, expiry: Timestamp) -> Verification {
            let unknown =
                Verification { authentic: false, reason: VerifyResult::UnknownSerial, owner: None, unit: None };
            let Some(id) = self.serials.get((&gtin, &serial)) else {
                return unknown;
            };
            let Ok((unit, batch)) = self.load(id) else {
                return unknown;
            };
            let reason = if batch.lot != lot {
                VerifyResult::LotMismatch
            } else if batch.expiry != expiry {
                VerifyResult::ExpiryMismatch
            } else {
                match Self::effective(&unit, &batch, self.env().block_timestamp()) {
                    Disposition::Active => VerifyResult::Authentic,
                    Disposition::InTransit => VerifyResult::InTransit,
                    Disposition::Recalled => VerifyResult::Recalled,
                    Disposition::Dispensed => VerifyResult::Dispensed,
                    Disposition::Destroyed => VerifyResult::Destroyed,
                    Disposition::Expired => VerifyResult::Expired,
                    Disposition::Quarantined => VerifyResult::Quarantined,
                    Disposition::Illegitimate => VerifyResult::Illegitimate,
                }
            };
            Verification {
                authentic: matches!(reason, VerifyResult::Authentic | VerifyResult::InTransit),
                reason,
                owner: Some(unit.owner),
                unit: Some(id),
            }
        }

        // ---- reads ----

        #[ink(message)]
        pub fn admin(&self) -> AccountId {
            self.admin.admin()
        }

        #[ink(message)]
        pub fn proposed_admin(&self) -> Option<AccountId> {
            self.admin.proposed()
        }

        /// The address this contract calls for `dependency` (None for one it does not call).
        #[ink(message)]
        pub fn dependency(&self, dependency: Dependency) -> Option<AccountId> {
            match dependency {
                Dependency::Participants => Some(self.participants),
                Dependency::Records => Some(self.records),
                _ => None,
            }
        }

        #[ink(message)]
        pub fn product(&self, gtin: String) -> Option<Product> {
            self.products.get(gtin)
        }

        #[ink(message)]
        pub fn batch(&self, id: BatchId) -> Option<Batch> {
            self.batches.get(id)
        }

        #[ink(message)]
        pub fn batch_id(&self, gtin: String, lot: String) -> Option<BatchId> {
            self.lots.get((gtin, lot))
        }

        /// The stored unit; its `disposition` is that of its last step (see `disposition` for recall and expiry).
        #[ink(message)]
        pub fn unit(&self, id: UnitId) -> Option<Unit> {
            self.units.get(id)
        }

        #[ink(message)]
        pub fn unit_id(&self, gtin: String, serial: String) -> Option<UnitId> {
            self.serials.get((gtin, serial))
        }

        /// The effective disposition now. Precedence: Illegitimate, Destroyed, Dispensed (final steps), then
        /// Recalled, Quarantined, Expired, then InTransit or Active.
        #[ink(message)]
        pub fn disposition(&self, id: UnitId) -> Option<Disposition> {
            let (unit, batch) = self.load(id).ok()?;
            Some(Self::effective(&unit, &batch, self.env().block_timestamp()))
        }

        /// A page of the unit's custody trail, oldest first (at most `interfaces::MAX_PAGE` entries).
        #[ink(message)]
        pub fn trail(&self, unit: UnitId, from: u64, limit: u32) -> Page<TrailEntry> {
            let len = self.units.get(unit).map_or(0, |u| u.trail_len);
            let (start, end, next) = page_range(u64::from(len), from, limit);
            let items =
                (start..end).filter_map(|i| u32::try_from(i).ok()).filter_map(|i| self.trails.get((unit, i))).collect();
            Page { items, next, len: u64::from(len) }
        }

        // ---- internals ----

        /// The effective disposition of `unit` of `batch` at `now`.
        fn effective(unit: &Unit, batch: &Batch, now: Timestamp) -> Disposition {
            match unit.disposition {
                Disposition::Illegitimate | Disposition::Destroyed | Disposition::Dispensed => unit.disposition,
                _ if batch.recall.is_some() => Disposition::Recalled,
                Disposition::Quarantined => Disposition::Quarantined,
                _ if now >= batch.expiry => Disposition::Expired,
                other => other,
            }
        }

        /// May this unit leave its owner (be shipped or dispensed)? Recall first, so that any move of a recalled unit
        /// fails with `UnitRecalled`.
        fn ensure_movable(id: UnitId, unit: &Unit, batch: &Batch, now: Timestamp) -> Result<()> {
            if batch.recall.is_some() {
                return Err(Error::UnitRecalled(id));
            }
            match Self::effective(unit, batch, now) {
                Disposition::Active => Ok(()),
                Disposition::Expired => Err(Error::UnitExpired(id)),
                other => Err(Error::UnitNotActive(id, other)),
            }
        }

        /// Not empty, at most `MAX_PER_CALL`, no unit twice.
        fn ensure_list(units: &[UnitId]) -> Result<()> {
            if units.is_empty() {
                return Err(Error::EmptyList);
            }
            if units.len() > MAX_PER_CALL {
                return Err(Error::TooMany);
            }
            let mut sorted = units.to_vec();
            sorted.sort_unstable();
            for pair in sorted.windows(2) {
                if let [a, b] = pair {
                    if a == b {
                        return Err(Error::DuplicateUnit(*a));
                    }
                }
            }
            Ok(())
        }

        fn ensure_trail_room(unit: &Unit) -> Result<()> {
            unit.trail_len.checked_add(1).map(|_| ()).ok_or(Error::Overflow)
        }

        fn load(&self, id: UnitId) -> Result<(Unit, Batch)> {
            let unit = self.units.get(id).ok_or(Error::UnitNotFound(id))?;
            let batch = self.batches.get(unit.batch).ok_or(Error::UnitNotFound(id))?;
            Ok((unit, batch))
        }

        fn roles(&self, account: AccountId) -> Result<RoleSet> {
            client::roles_of(self.participants, account).map_err(|_| Error::ParticipantsUnreachable)
        }

        fn ensure_role(&self, account: AccountId, role: Role, refusal: Error) -> Result<()> {
            match client::has_role(self.participants, account, role) {
                Ok(true) => Ok(()),
                Ok(false) => Err(refusal),
                Err(_) => Err(Error::ParticipantsUnreachable),
            }
        }

        /// Appends a trail entry with the unit's (new) disposition and stores the unit. The caller checked
        /// `ensure_trail_room` before writing anything.
        fn append(
            &mut self,
            id: UnitId,
            unit: &mut Unit,
            step: BusinessStep,
            from: Option<AccountId>,
            to: Option<AccountId>,
        ) {
            let entry = TrailEntry { step, disposition: unit.disposition, from, to, at: self.env().block_timestamp() };
            self.trails.insert((id, unit.trail_len), &entry);
            unit.trail_len = unit.trail_len.saturating_add(1);
            self.units.insert(id, unit);
        }
    }

    #[cfg(test)]
    impl Custody {
        /// Tests only: move the unit id counter, to reach its overflow.
        pub fn set_next_unit(&mut self, next: UnitId) {
            self.next_unit = next;
        }
    }
}

#[cfg(test)]
mod tests;
