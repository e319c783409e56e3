//! # custody: pharmaceutical chain of custody (DSCSA, GS1 EPCIS 2.0 / CBV 2.0)
//!
//! A credentialed **Manufacturer** registers products by GTIN-14, creates batches (lot, expiry) and commissions
//! serialised units (GTIN + AI(21) serial). Each unit has exactly one legal owner. Units move by a two-step transfer
//! between authorised trading partners (manufacturer -> distributor -> pharmacy, returns the other way): the owner
//! `ship`s, the named recipient `receive`s (or the shipper voids the shipment). A prescriber registers a
//! prescription (its record, asked of records, and a quantity) under a commitment; a Pharmacy dispenses a unit,
//! optionally against such a commitment, consuming one of its units. Owners decommission units.
//!
//! Safety: a **recall** marks a batch in O(1); every unit of the batch derives its disposition from it (no per-unit
//! writes, so no per-unit trail entries either: the `BatchRecalled` event says it once for all), and any move of
//! such a unit fails with `UnitRecalled`. Owners or Regulators quarantine suspect units; a Regulator clears them or
//! declares them illegitimate (final). DSCSA clocks run on chain ([`clock`]): a quarantined unit is to be cleared
//! or declared illegitimate within 30 days, and an illegitimate unit's owner notifies its trading partners within
//! 24 hours (`notify_trading_partners`); `overdue` pages through the clocks that ran out. Anyone can
//! `verify(gtin, serial, lot, expiry)`: is the identifier genuine, and is the unit saleable (and if not, why)?
//!
//! Manufacturers register only GTINs that carry a GS1 Company Prefix attested to them in participants
//! (`holds_gtin`); a Regulator reassigns a product. GTINs, lots and serials are checked before any storage key is
//! built of them; expiries are GS1 AI(17) YYMMDD, a unit expiring at the end of that day. Dispositions and business
//! steps map to CBV 2.0 URNs (`Disposition::cbv`, `BusinessStep::cbv`).
//!
//! Every step appends a `TrailEntry` (CBV business step, disposition, from, to, when) to the unit's trail, read page
//! by page.
//!
//! What it stores, and who learns what: products (manufacturer, a hash of the labelling), batches (GTIN, lot,
//! expiry, recall), units (serial, owner, disposition, pending recipient) and their trails. All of it is public on
//! chain, as the DSCSA means trading partners and regulators to see it. No patient is stored or emitted: a
//! dispensed unit keeps only the commitment of its prescription ([`prescription`] says who can open it, and what a
//! reader of the registration calls can still link).
//!
//! Layout: `types` (what is stored and answered), `errors`, `events`, and the rules, each one hop from the message
//! that applies it: `disposition` (what a product, batch or unit may become, and who may make it so), `flow` (which
//! trading partners may ship to which), `gs1` (identifier syntax, AI(17) dates), `prescription` (registering and
//! consuming prescriptions), `clock` (the DSCSA deadlines) and `verification` (what `verify` answers). The
//! contract below only loads, asks, calls the rule, writes what it returns and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod clock;
pub mod disposition;
pub mod errors;
pub mod events;
pub mod flow;
pub mod gs1;
pub mod prescription;
pub mod types;
pub mod verification;

#[ink::contract]
pub mod custody {
    use crate::{
        clock,
        disposition::{self, Commissioning, Step},
        errors::{Error, Result},
        events::{
            BatchCreated, BatchRecalled, PrescriptionRegistered, ProductReassigned, ProductRegistered, ShipmentVoided,
            TradingPartnerNotified, UnitCleared, UnitDeclaredIllegitimate, UnitDecommissioned, UnitDispensed,
            UnitQuarantined, UnitsCommissioned,
        },
        gs1, prescription,
        types::{
            Batch, BatchId, Deadline, DeadlineKind, DecommissionReason, Disposition, Prescription, Product, TrailEntry,
            Unit, UnitId, Verification,
        },
        verification,
    };
    use ink::{
        prelude::{string::String, vec::Vec},
        storage::Mapping,
    };
    use interfaces::{
        client,
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded, Dependency, DependencyChanged},
        page_range, Hash32, Page, RecordId, RecordSummary, Role, RoleSet,
    };

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
        /// Prescriptions by commitment.
        prescriptions: Mapping<Hash32, Prescription>,
        /// The records registered as prescriptions (each once).
        prescribed_records: Mapping<RecordId, ()>,
        /// The DSCSA clocks, a log read page by page (`overdue`), and its length.
        deadlines: Mapping<u64, Deadline>,
        deadline_count: u64,
    }

    impl Custody {
        /// `admin` governs it (the council contract in a deployment, see `council`). Batch and unit ids start at 1.
        #[ink(constructor)]
        pub fn new(admin: AccountId, participants: AccountId, records: AccountId) -> Self {
            Self {
                admin: Admin::new(admin),
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
                prescriptions: Mapping::new(),
                prescribed_records: Mapping::new(),
                deadlines: Mapping::new(),
                deadline_count: 0,
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
            let product = disposition::register_product(
                &gtin,
                name_hash,
                |gtin| self.products.contains(gtin),
                caller,
                self.env().block_timestamp(),
                || {
                    client::holds_gtin(self.participants, caller, gtin.clone())
                        .map_err(|_| Error::ParticipantsUnreachable)
                },
            )?;
            self.products.insert(&gtin, &product);
            self.env().emit_event(ProductRegistered { gtin, manufacturer: caller, name_hash });
            Ok(())
        }

        /// A Regulator gives the product `gtin` to `to` (a product squatted under another company's GTIN goes to
        /// that company): only `to` creates its batches and commissions its units from now on. Units already
        /// commissioned keep their trails; a Regulator recalls or declares illegitimate what the squatter made.
        #[ink(message)]
        pub fn reassign_product(&mut self, gtin: String, to: AccountId) -> Result<()> {
            let caller = self.env().caller();
            gs1::ensure_gtin(&gtin)?;
            let product = self.products.get(&gtin);
            let (product, from) =
                disposition::reassign_product(product, to, || self.has_role(caller, Role::Regulator))?;
            self.products.insert(&gtin, &product);
            self.env().emit_event(ProductReassigned { gtin, from, to, by: caller });
            Ok(())
        }

        /// The product's (still credentialed) manufacturer creates a batch: a lot of 1 to 20 CSET 82 characters, not
        /// used before for this GTIN, and an expiry as GS1 AI(17) YYMMDD (DD 00: the end of the month) whose day is
        /// not over. Its units expire at the end of that day.
        #[ink(message)]
        pub fn create_batch(&mut self, gtin: String, lot: String, expiry: String) -> Result<BatchId> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            gs1::ensure_gtin(&gtin)?;
            gs1::ensure_lot(&lot)?;
            let expires_at = gs1::ensure_expiry(&expiry, now)?;
            let product = self.products.get(&gtin).ok_or(Error::ProductNotFound)?;
            let lot_used = self.lots.contains((&gtin, &lot));
            let batch = Batch::new(gtin, lot, (expiry, expires_at), caller, now);
            let id = self.next_batch;
            let next = disposition::create_batch(&product, &batch, lot_used, id, || {
                self.has_role(caller, Role::Manufacturer)
            })?;
            self.batches.insert(id, &batch);
            self.lots.insert((&batch.gtin, &batch.lot), &id);
            self.next_batch = next;
            self.env().emit_event(BatchCreated {
                batch: id,
                manufacturer: caller,
                gtin: batch.gtin,
                lot: batch.lot,
                expiry: batch.expiry,
            });
            Ok(id)
        }

        /// The batch's (still credentialed) manufacturer commissions up to `MAX_PER_CALL` serials into a batch that is
        /// neither recalled nor expired. Returns the first unit id and the count (ids are consecutive). Each unit
        /// costs the same whatever the number already on chain: one index lookup and three writes.
        #[ink(message)]
        pub fn commission(&mut self, batch: BatchId, serials: Vec<String>) -> Result<(UnitId, u32)> {
            let (id, caller, now) = (batch, self.env().caller(), self.env().block_timestamp());
            let mut batch = self.batches.get(id);
            let (batch, commissioning) = disposition::commission(
                batch.as_mut(),
                &serials,
                caller,
                now,
                self.next_unit,
                |gtin, serial| self.serials.contains((gtin, serial)),
                |gtin| self.products.get(gtin).map(|product| product.manufacturer),
                || self.has_role(caller, Role::Manufacturer),
            )?;
            for (unit_id, serial) in (commissioning.first..commissioning.next_unit).zip(serials) {
                let (unit, step) = disposition::commissioned(id, serial, caller, now);
                self.serials.insert((&batch.gtin, &unit.serial), &unit_id);
                self.write(unit_id, &unit, &step);
            }
            self.batches.insert(id, batch);
            self.next_unit = commissioning.next_unit;
            let Commissioning { first, count, .. } = commissioning;
            self.env().emit_event(UnitsCommissioned { batch: id, manufacturer: caller, first, count });
            Ok((first, count))
        }

        // ---- moving units ----

        /// The owner ships up to `MAX_PER_CALL` Active units to `to`, who must hold a role that may receive from the
        /// caller's along the flow. All or nothing: the first bad unit refuses the call and is named.
        #[ink(message)]
        pub fn ship(&mut self, units: Vec<UnitId>, to: AccountId) -> Result<()> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let shipped =
                disposition::ship(&units, caller, to, now, |account| self.roles(account), |id| self.load(id))?;
            for moved in shipped {
                self.write(moved.id, &moved.unit, &moved.step);
                self.env().emit_event(moved.event);
            }
            Ok(())
        }

        /// The named recipient, still a credentialed trading partner (asked again: a credential suspended while the
        /// units were in transit refuses them), receives up to `MAX_PER_CALL` units in transit to it and becomes
        /// their owner. A recalled unit is refused: it never changes owner.
        #[ink(message)]
        pub fn receive(&mut self, units: Vec<UnitId>) -> Result<()> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let received = disposition::receive(&units, caller, now, |id| self.load(id), || self.roles(caller))?;
            for moved in received {
                self.write(moved.id, &moved.unit, &moved.step);
                self.env().emit_event(moved.event);
            }
            Ok(())
        }

        /// The shipper (still the owner) cancels shipments not yet received: the units are Active at it again. Allowed
        /// for recalled units too (the owner does not change), so that they can be decommissioned.
        #[ink(message)]
        pub fn void_shipment(&mut self, units: Vec<UnitId>) -> Result<()> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let voided = disposition::void_shipment(&units, caller, now, |id| self.load(id))?;
            for moved in voided {
                self.write(moved.id, &moved.unit, &moved.step);
                self.env().emit_event(moved.event);
            }
            Ok(())
        }

        /// The prescriber registers its Medications record `record` (Current, authored by it, of another patient)
        /// as a prescription of `quantity` units under `commitment` (see [`crate::prescription`]): records and
        /// participants (Provider) are asked once each. The record and the patient are stored nowhere here.
        #[ink(message)]
        pub fn register_prescription(&mut self, record: RecordId, commitment: Hash32, quantity: u32) -> Result<()> {
            let caller = self.env().caller();
            let prescription = prescription::register(
                caller,
                record,
                quantity,
                self.env().block_timestamp(),
                self.prescriptions.contains(commitment),
                self.prescribed_records.contains(record),
                |record| self.summary(record),
                || self.has_role(caller, Role::Provider),
            )?;
            self.prescriptions.insert(commitment, &prescription);
            self.prescribed_records.insert(record, &());
            self.env().emit_event(PrescriptionRegistered { commitment, prescriber: caller, quantity });
            Ok(())
        }

        /// A Pharmacy owner dispenses an Active, unexpired, unrecalled unit, against the prescription registered
        /// under `prescription` (a commitment) if any: one of its units is consumed, and the first pharmacy to
        /// dispense against it holds it. No patient is named, stored or emitted. Final.
        #[ink(message)]
        pub fn dispense(&mut self, unit: UnitId, prescription: Option<Hash32>) -> Result<()> {
            let (id, caller) = (unit, self.env().caller());
            let (mut unit, batch) = self.load(id)?;
            let (step, consumed) = disposition::dispense(
                id,
                &mut unit,
                &batch,
                caller,
                self.env().block_timestamp(),
                prescription,
                || self.has_role(caller, Role::Pharmacy),
                |commitment| self.prescriptions.get(commitment),
            )?;
            self.write(id, &unit, &step);
            if let Some((commitment, consumed)) = consumed {
                self.prescriptions.insert(commitment, &consumed);
            }
            self.env().emit_event(UnitDispensed { unit: id, pharmacy: caller, prescription });
            Ok(())
        }

        /// The owner takes an Active unit out of the supply chain (recalled or expired ones included: that is how they
        /// end). Disposition Destroyed; the reason is kept on the unit. Final.
        #[ink(message)]
        pub fn decommission(&mut self, unit: UnitId, reason: DecommissionReason) -> Result<()> {
            let (id, caller) = (unit, self.env().caller());
            let (mut unit, _) = self.load(id)?;
            let step = disposition::decommission(id, &mut unit, caller, self.env().block_timestamp(), reason)?;
            self.write(id, &unit, &step);
            self.env().emit_event(UnitDecommissioned { unit: id, owner: caller, reason });
            Ok(())
        }

        // ---- safety ----

        /// The batch's manufacturer or a Regulator recalls a batch: O(1), every unit of it freezes at once.
        #[ink(message)]
        pub fn recall(&mut self, batch: BatchId, reason_hash: Hash32) -> Result<()> {
            let (id, caller) = (batch, self.env().caller());
            let mut batch = self.batches.get(id).ok_or(Error::BatchNotFound)?;
            disposition::recall(&mut batch, caller, self.env().block_timestamp(), reason_hash, || {
                self.has_role(caller, Role::Regulator)
            })?;
            self.batches.insert(id, &batch);
            self.env().emit_event(BatchRecalled { batch: id, by: caller, reason_hash });
            Ok(())
        }

        /// The owner or a Regulator quarantines an Active or in-transit unit as suspect (a pending shipment is
        /// voided). The owner does not change.
        #[ink(message)]
        pub fn flag_suspect(&mut self, unit: UnitId, reason_hash: Hash32) -> Result<()> {
            let (id, caller, now) = (unit, self.env().caller(), self.env().block_timestamp());
            let (mut unit, batch) = self.load(id)?;
            let (step, voided) = disposition::flag_suspect(id, &mut unit, &batch, caller, now, || {
                self.has_role(caller, Role::Regulator)
            })?;
            let clocks =
                clock::change(id, &mut unit, None, Some(DeadlineKind::Investigation), now, self.deadline_count)?;
            self.write(id, &unit, &step);
            let investigate_by = self.keep(clocks);
            if let Some(recipient) = voided {
                self.env().emit_event(ShipmentVoided { unit: id, shipper: unit.owner, recipient });
            }
            self.env().emit_event(UnitQuarantined {
                unit: id,
                by: caller,
                owner: unit.owner,
                reason_hash,
                investigate_by: investigate_by.unwrap_or(now),
            });
            Ok(())
        }

        /// A Regulator clears a quarantined unit: Active again at its owner; its investigation clock is met.
        #[ink(message)]
        pub fn clear_suspect(&mut self, unit: UnitId) -> Result<()> {
            let (id, caller, now) = (unit, self.env().caller(), self.env().block_timestamp());
            let (mut unit, _) = self.load(id)?;
            let step =
                disposition::clear_suspect(id, &mut unit, caller, now, || self.has_role(caller, Role::Regulator))?;
            let running = self.running(&unit);
            let clocks = clock::change(id, &mut unit, running, None, now, self.deadline_count)?;
            self.write(id, &unit, &step);
            self.keep(clocks);
            self.env().emit_event(UnitCleared { unit: id, by: caller, owner: unit.owner });
            Ok(())
        }

        /// A Regulator declares a unit illegitimate (from any disposition; a pending shipment is voided). Final: it
        /// never moves again. Its investigation clock, if any, is met; the owner's 24-hour clock to notify its
        /// trading partners starts.
        #[ink(message)]
        pub fn declare_illegitimate(&mut self, unit: UnitId) -> Result<()> {
            let (id, caller, now) = (unit, self.env().caller(), self.env().block_timestamp());
            let (mut unit, _) = self.load(id)?;
            let (step, voided) = disposition::declare_illegitimate(id, &mut unit, caller, now, || {
                self.has_role(caller, Role::Regulator)
            })?;
            let running = self.running(&unit);
            let clocks =
                clock::change(id, &mut unit, running, Some(DeadlineKind::Notification), now, self.deadline_count)?;
            self.write(id, &unit, &step);
            let notify_by = self.keep(clocks);
            if let Some(recipient) = voided {
                self.env().emit_event(ShipmentVoided { unit: id, shipper: unit.owner, recipient });
            }
            self.env().emit_event(UnitDeclaredIllegitimate {
                unit: id,
                by: caller,
                owner: unit.owner,
                notify_by: notify_by.unwrap_or(now),
            });
            Ok(())
        }

        /// The owner of an illegitimate unit notifies its immediate trading partners (1 to `clock::MAX_PARTNERS`):
        /// one `TradingPartnerNotified` each, and its 24-hour clock is met (late or not, the log keeps when).
        #[ink(message)]
        pub fn notify_trading_partners(&mut self, unit: UnitId, partners: Vec<AccountId>) -> Result<()> {
            let (id, caller, now) = (unit, self.env().caller(), self.env().block_timestamp());
            let (mut unit, _) = self.load(id)?;
            let running = self.running(&unit);
            let (index, met) = clock::notify(id, &mut unit, running, caller, &partners, now)?;
            self.units.insert(id, &unit);
            self.deadlines.insert(index, &met);
            for partner in partners {
                self.env().emit_event(TradingPartnerNotified { unit: id, by: caller, partner });
            }
            Ok(())
        }

        /// Anyone, reading a pack (GTIN, AI(21) serial, AI(10) lot, AI(17) expiry): two answers kept apart. Is the
        /// identifier genuine: a commissioned unit with its batch's lot and expiry (`identifier`)? May that unit be
        /// sold now (`saleable`, with its effective `disposition` as the reason)? Each input is checked before any
        /// key is built of it (`InvalidGtin`, `InvalidSerial(0)`, `InvalidLot`, `InvalidExpiry`).
        #[ink(message)]
        pub fn verify(&self, gtin: String, serial: String, lot: String, expiry: String) -> Result<Verification> {
            let now = self.env().block_timestamp();
            gs1::ensure_gtin(&gtin)?;
            gs1::ensure_serial(&serial)?;
            gs1::ensure_lot(&lot)?;
            gs1::ensure_expiry(&expiry, now)?;
            let found = self
                .serials
                .get((&gtin, &serial))
                .and_then(|id| self.load(id).ok().map(|(unit, batch)| (id, unit, batch)));
            Ok(verification::verify(found, &lot, &expiry, now))
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

        /// The product registered under `gtin` (`InvalidGtin` for no GTIN-14).
        #[ink(message)]
        pub fn product(&self, gtin: String) -> Result<Option<Product>> {
            gs1::ensure_gtin(&gtin)?;
            Ok(self.products.get(gtin))
        }

        #[ink(message)]
        pub fn batch(&self, id: BatchId) -> Option<Batch> {
            self.batches.get(id)
        }

        /// The batch of `gtin` with `lot` (`InvalidGtin`, `InvalidLot` for identifiers no pack can carry).
        #[ink(message)]
        pub fn batch_id(&self, gtin: String, lot: String) -> Result<Option<BatchId>> {
            gs1::ensure_gtin(&gtin)?;
            gs1::ensure_lot(&lot)?;
            Ok(self.lots.get((gtin, lot)))
        }

        /// The stored unit; its `disposition` is that of its last step (see `disposition` for recall and expiry).
        #[ink(message)]
        pub fn unit(&self, id: UnitId) -> Option<Unit> {
            self.units.get(id)
        }

        /// The unit of `gtin` with `serial` (`InvalidGtin`, `InvalidSerial(0)` for identifiers no pack can carry).
        #[ink(message)]
        pub fn unit_id(&self, gtin: String, serial: String) -> Result<Option<UnitId>> {
            gs1::ensure_gtin(&gtin)?;
            gs1::ensure_serial(&serial)?;
            Ok(self.serials.get((gtin, serial)))
        }

        /// The effective disposition now (`disposition::effective`). Precedence: Illegitimate, Destroyed, Dispensed
        /// (final steps), then Recalled, Quarantined, Expired, then InTransit or Active.
        #[ink(message)]
        pub fn disposition(&self, id: UnitId) -> Option<Disposition> {
            let (unit, batch) = self.load(id).ok()?;
            Some(disposition::effective(&unit, &batch, self.env().block_timestamp()))
        }

        /// The prescription registered under `commitment`.
        #[ink(message)]
        pub fn prescription(&self, commitment: Hash32) -> Option<Prescription> {
            self.prescriptions.get(commitment)
        }

        /// The DSCSA clocks from index `from` (at most `interfaces::MAX_PAGE` of the log read) that are overdue
        /// now: due and not met. `next` continues the scan; `len` is the log's length.
        #[ink(message)]
        pub fn overdue(&self, from: u64, limit: u32) -> Page<(u64, Deadline)> {
            let now = self.env().block_timestamp();
            let (start, end, next) = page_range(self.deadline_count, from, limit);
            let items = (start..end)
                .filter_map(|index| self.deadlines.get(index).map(|deadline| (index, deadline)))
                .filter(|(_, deadline)| clock::is_overdue(deadline, now))
                .collect();
            Page { items, next, len: self.deadline_count }
        }

        /// The DSCSA clock at `index` of the log.
        #[ink(message)]
        pub fn deadline(&self, index: u64) -> Option<Deadline> {
            self.deadlines.get(index)
        }

        /// A page of the unit's custody trail, oldest first (at most `interfaces::MAX_PAGE` entries).
        #[ink(message)]
        pub fn trail(&self, unit: UnitId, from: u64, limit: u32) -> Page<TrailEntry> {
            let len = self.units.get(unit).map_or(0, |unit| unit.trail_len);
            let (start, end, next) = page_range(u64::from(len), from, limit);
            let items =
                (start..end).filter_map(|i| u32::try_from(i).ok()).filter_map(|i| self.trails.get((unit, i))).collect();
            Page { items, next, len: u64::from(len) }
        }

        // ---- internals ----

        /// The unit `id` and its batch (`UnitNotFound` when there is no such unit).
        fn load(&self, id: UnitId) -> Result<(Unit, Batch)> {
            let unit = self.units.get(id).ok_or(Error::UnitNotFound(id))?;
            let batch = self.batches.get(unit.batch).ok_or(Error::UnitNotFound(id))?;
            Ok((unit, batch))
        }

        /// Stores unit `id` after a step, and the trail entry recording the step.
        fn write(&mut self, id: UnitId, unit: &Unit, step: &Step) {
            self.trails.insert((id, step.index), &step.trail_entry);
            self.units.insert(id, unit);
        }

        /// The DSCSA clock running for `unit`, if any.
        fn running(&self, unit: &Unit) -> Option<Deadline> {
            unit.deadline.and_then(|index| self.deadlines.get(index))
        }

        /// Stores what a clock change decided; the due time of the clock it started, if any.
        fn keep(&mut self, clocks: clock::Clocks) -> Option<Timestamp> {
            for (index, deadline) in clocks.closed.into_iter().chain(clocks.started) {
                self.deadlines.insert(index, &deadline);
            }
            self.deadline_count = clocks.next;
            clocks.started.map(|(_, deadline)| deadline.due)
        }

        fn has_role(&self, account: AccountId, role: Role) -> Result<bool> {
            client::has_role(self.participants, account, role).map_err(|_| Error::ParticipantsUnreachable)
        }

        fn roles(&self, account: AccountId) -> Result<RoleSet> {
            client::roles_of(self.participants, account).map_err(|_| Error::ParticipantsUnreachable)
        }

        fn summary(&self, record: RecordId) -> Result<Option<RecordSummary>> {
            client::record_summary(self.records, record).map_err(|_| Error::RecordsUnreachable)
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
