//! What a product's batches and units may become, and who may make them so: registering a product, creating a
//! batch, commissioning units, the two-step transfer (ship, receive, void), dispensing, decommissioning, recall,
//! quarantine and illegitimacy. Every message that changes a product, a batch or a unit takes its decision here.
//!
//! A decision takes the caller, the block time and what the contract loaded, and returns what to write, or the
//! refusal: the loaded unit or batch is changed in place, and a step of a unit comes back as the trail entry to
//! append ([`Step`]); where an event says more than the message's arguments (the units of a list, a voided
//! shipment), the decision returns it too. What a decision must ask other contracts (a role, a prescription record)
//! or load one by one (the units of a list, in the order given, so that the first bad unit is the one named) it
//! gets as closures, called only when its rule needs the answer: a refusal asks nothing it did not need, and a
//! manufacturer recalling its own batch, or an owner quarantining its own unit, asks nobody.
//!
//! The rules every move shares: a unit's effective disposition derives from its last step and its batch
//! ([`effective`]); a recalled unit cannot move ([`ensure_not_recalled`]); only an Active unit leaves its owner
//! ([`ensure_movable`]); each step is one more entry on the unit's trail ([`Step`]).

use crate::{
    errors::{Error, Result},
    events::{ShipmentVoided, UnitReceived, UnitShipped},
    flow::{self, Leg},
    gs1, prescription,
    types::{
        Batch, BatchId, BusinessStep, DecommissionReason, Disposition, Prescription, Product, Recall, TrailEntry, Unit,
        UnitId, MAX_PER_CALL,
    },
};
use ink::prelude::{string::String, vec::Vec};
use interfaces::{AccountId, GtinHolding, Hash32, RoleSet, Timestamp};

/// One step of a unit: the trail entry recording it, which the contract stores at `(unit id, index)` beside the
/// unit (changed in place by the decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub index: u32,
    pub trail_entry: TrailEntry,
}

/// What `commission` decided: the units get ids `first .. next_unit` (`count` of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commissioning {
    pub first: UnitId,
    pub count: u32,
    pub next_unit: UnitId,
}

/// One unit of a `ship`, `receive` or `void_shipment` after its step: the contract stores `unit` at `id` and the
/// step's trail entry, and emits `event`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved<E> {
    pub id: UnitId,
    pub unit: Unit,
    pub step: Step,
    pub event: E,
}

// ---- the rules every move shares ----

/// The effective disposition of `unit` of `batch` at `now`. Precedence: Illegitimate, Destroyed, Dispensed (final
/// steps), then Recalled, Quarantined, Expired, then InTransit or Active.
pub fn effective(unit: &Unit, batch: &Batch, now: Timestamp) -> Disposition {
    match unit.disposition {
        Disposition::Illegitimate | Disposition::Destroyed | Disposition::Dispensed => unit.disposition,
        _ if batch.is_recalled() => Disposition::Recalled,
        Disposition::Quarantined => Disposition::Quarantined,
        _ if batch.is_expired(now) => Disposition::Expired,
        other => other,
    }
}

/// A recalled unit cannot move: it is frozen where it is, with the owner it has.
pub fn ensure_not_recalled(id: UnitId, batch: &Batch) -> Result<()> {
    if batch.is_recalled() {
        return Err(Error::UnitRecalled(id));
    }
    Ok(())
}

/// May this unit leave its owner (be shipped or dispensed)? Only an Active one, neither recalled nor expired. The
/// recall first, so that any move of a recalled unit fails with `UnitRecalled`.
pub fn ensure_movable(id: UnitId, unit: &Unit, batch: &Batch, now: Timestamp) -> Result<()> {
    ensure_not_recalled(id, batch)?;
    match effective(unit, batch, now) {
        Disposition::Active => Ok(()),
        Disposition::Expired => Err(Error::UnitExpired(id)),
        other => Err(Error::UnitNotActive(id, other)),
    }
}

/// `unit`, already in the disposition the step leaves it in, takes `step` at `now`: its trail grows by one entry
/// (`Overflow` when the trail is full).
fn take_step(
    unit: &mut Unit,
    step: BusinessStep,
    from: Option<AccountId>,
    to: Option<AccountId>,
    now: Timestamp,
) -> Result<Step> {
    let index = unit.trail_len;
    unit.trail_len = index.checked_add(1).ok_or(Error::Overflow)?;
    Ok(Step { index, trail_entry: TrailEntry { step, disposition: unit.disposition, from, to, at: now } })
}

/// `Ok` when the asked contract said yes, `refusal` when it said no.
fn require(answer: Result<bool>, refusal: Error) -> Result<()> {
    if answer? {
        Ok(())
    } else {
        Err(refusal)
    }
}

/// A list of serials or units holds 1 to `MAX_PER_CALL` items; their count.
fn list_count(len: usize) -> Result<u32> {
    if len == 0 {
        return Err(Error::EmptyList);
    }
    if len > MAX_PER_CALL {
        return Err(Error::TooMany);
    }
    u32::try_from(len).map_err(|_| Error::TooMany)
}

/// A list of units: 1 to `MAX_PER_CALL` of them, none twice (the smallest repeated id is named). Each id is compared
/// with the ones before it (at most 4,950 comparisons of two integers): no copy and no sort.
fn ensure_unit_list(units: &[UnitId]) -> Result<()> {
    list_count(units.len())?;
    let repeated = units
        .iter()
        .enumerate()
        .filter(|&(index, id)| units.iter().take(index).any(|earlier| earlier == id))
        .map(|(_, id)| *id)
        .min();
    match repeated {
        Some(id) => Err(Error::DuplicateUnit(id)),
        None => Ok(()),
    }
}

// ---- manufacturers ----

/// A credentialed Manufacturer registers a product under a valid GTIN-14 not registered before (`is_registered`,
/// asked only of a valid GTIN: it is a storage key), and owns it. The GTIN must carry a GS1 Company Prefix attested
/// to the caller (`holding`, asked of participants last): nobody registers another company's GTIN.
pub fn register_product(
    gtin: &str,
    name_hash: Hash32,
    is_registered: impl FnOnce(&str) -> bool,
    caller: AccountId,
    now: Timestamp,
    holding: impl FnOnce() -> Result<GtinHolding>,
) -> Result<Product> {
    gs1::ensure_gtin(gtin)?;
    if is_registered(gtin) {
        return Err(Error::ProductExists);
    }
    match holding()? {
        GtinHolding::NotManufacturer => Err(Error::NotManufacturer),
        GtinHolding::PrefixNotHeld => Err(Error::CompanyPrefixNotHeld),
        GtinHolding::PrefixHeld => Ok(Product { manufacturer: caller, name_hash, registered_at: now }),
    }
}

/// A Regulator (`is_regulator`, asked last) gives `product` (None for an unregistered GTIN) to `to`, another
/// account than its manufacturer: a product squatted under another company's GTIN goes back to that company. From
/// then on only `to` creates its batches and commissions its units. Returns the product to store and its previous
/// manufacturer.
pub fn reassign_product(
    product: Option<Product>,
    to: AccountId,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<(Product, AccountId)> {
    let mut product = product.ok_or(Error::ProductNotFound)?;
    if product.manufacturer == to {
        return Err(Error::AlreadyManufacturer);
    }
    require(is_regulator(), Error::NotRegulator)?;
    let from = core::mem::replace(&mut product.manufacturer, to);
    Ok((product, from))
}

/// The product's (still credentialed) manufacturer creates `batch` (made by [`Batch::new`] with the caller as
/// manufacturer and the block time as creation time) as batch `id`: a lot of 1 to 20 CSET 82 characters not used
/// before for this GTIN (`lot_used`), and an AI(17) expiry whose day is not over. The next batch id.
pub fn create_batch(
    product: &Product,
    batch: &Batch,
    lot_used: bool,
    id: BatchId,
    is_manufacturer: impl FnOnce() -> Result<bool>,
) -> Result<BatchId> {
    if product.manufacturer != batch.manufacturer {
        return Err(Error::NotProductManufacturer);
    }
    gs1::ensure_lot(&batch.lot)?;
    if batch.is_expired(batch.created_at) {
        return Err(Error::ExpiryPassed);
    }
    if lot_used {
        return Err(Error::LotExists);
    }
    require(is_manufacturer(), Error::NotManufacturer)?;
    id.checked_add(1).ok_or(Error::Overflow)
}

/// The batch's (still credentialed) manufacturer, while it is the product's (`manufacturer_of(gtin)`: a product a
/// Regulator reassigned takes no more units from its old manufacturer), commissions 1 to `MAX_PER_CALL` serials
/// into `batch` (None when there is no such batch), neither recalled nor expired: valid AI(21) serials, none twice in the call, none used
/// before for the GTIN (`serial_used(gtin, serial)`). The units get consecutive ids from `next_unit`; the batch
/// counts them. Returns the batch, to be stored, and the ids; each unit is then made by [`commissioned`].
#[allow(clippy::too_many_arguments)] // each is one fact the rule needs: the batch, the call, the ids, two lookups
pub fn commission<'a>(
    batch: Option<&'a mut Batch>,
    serials: &[String],
    caller: AccountId,
    now: Timestamp,
    next_unit: UnitId,
    serial_used: impl Fn(&String, &String) -> bool,
    manufacturer_of: impl FnOnce(&String) -> Option<AccountId>,
    is_manufacturer: impl FnOnce() -> Result<bool>,
) -> Result<(&'a Batch, Commissioning)> {
    let count = list_count(serials.len())?;
    let batch = batch.ok_or(Error::BatchNotFound)?;
    if batch.manufacturer != caller || manufacturer_of(&batch.gtin) != Some(caller) {
        return Err(Error::NotProductManufacturer);
    }
    if batch.is_recalled() {
        return Err(Error::BatchUnderRecall);
    }
    if batch.is_expired(now) {
        return Err(Error::BatchExpired);
    }
    for (index, serial) in (0u32..).zip(serials.iter()) {
        if !gs1::is_valid_serial(serial) {
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
        if serial_used(&batch.gtin, serial) {
            return Err(Error::SerialExists(index));
        }
    }
    require(is_manufacturer(), Error::NotManufacturer)?;
    let end = next_unit.checked_add(u64::from(count)).ok_or(Error::Overflow)?;
    batch.units = batch.units.checked_add(u64::from(count)).ok_or(Error::Overflow)?;
    Ok((batch, Commissioning { first: next_unit, count, next_unit: end }))
}

/// A unit as `manufacturer` commissions it into batch `batch` at `now`: Active at the manufacturer, nothing
/// pending, and its trail one Commissioning entry.
pub fn commissioned(batch: BatchId, serial: String, manufacturer: AccountId, now: Timestamp) -> (Unit, Step) {
    let unit = Unit {
        batch,
        serial,
        owner: manufacturer,
        disposition: Disposition::Active,
        recipient: None,
        decommissioned: None,
        prescription: None,
        deadline: None,
        trail_len: 1,
    };
    let trail_entry = TrailEntry {
        step: BusinessStep::Commissioning,
        disposition: Disposition::Active,
        from: None,
        to: Some(manufacturer),
        at: now,
    };
    (unit, Step { index: 0, trail_entry })
}

// ---- moving units ----

/// The owner ships 1 to `MAX_PER_CALL` units (each `load`ed in turn) to `to`, along a leg of the flow its roles and
/// the recipient's allow (`roles`, see [`flow`]; a return to a manufacturer only to the units' own). Each unit must
/// be movable; it goes InTransit, addressed to `to`. All or nothing: the first bad unit refuses the call.
pub fn ship(
    units: &[UnitId],
    caller: AccountId,
    to: AccountId,
    now: Timestamp,
    roles: impl Fn(AccountId) -> Result<RoleSet>,
    load: impl Fn(UnitId) -> Result<(Unit, Batch)>,
) -> Result<Vec<Moved<UnitShipped>>> {
    ensure_unit_list(units)?;
    if to == caller {
        return Err(Error::ShipToSelf);
    }
    let from_roles = roles(caller)?;
    if !flow::is_trading_partner(from_roles) {
        return Err(Error::SenderNotTradingPartner);
    }
    let leg = flow::leg(from_roles, roles(to)?).ok_or(Error::RecipientNotAuthorised)?;
    let mut shipped = Vec::with_capacity(units.len());
    for id in units.iter().copied() {
        let (mut unit, batch) = load(id)?;
        if unit.owner != caller {
            return Err(Error::NotOwner(id));
        }
        ensure_movable(id, &unit, &batch, now)?;
        if leg == Leg::ToManufacturer && batch.manufacturer != to {
            return Err(Error::NotUnitManufacturer(id));
        }
        unit.disposition = Disposition::InTransit;
        unit.recipient = Some(to);
        let step = take_step(&mut unit, BusinessStep::Shipping, Some(caller), Some(to), now)?;
        shipped.push(Moved { id, unit, step, event: UnitShipped { unit: id, from: caller, to } });
    }
    Ok(shipped)
}

/// The named recipient receives 1 to `MAX_PER_CALL` units in transit to it and becomes their owner: Active at it. A
/// recalled unit is refused: it never changes owner. Once every unit is found receivable, the recipient's
/// credentials are asked again (`roles`, one call): one suspended, revoked or expired while the units were in
/// transit holds no trading-partner role and is refused (`RecipientNotAuthorised`); the shipper voids the shipment.
pub fn receive(
    units: &[UnitId],
    caller: AccountId,
    now: Timestamp,
    load: impl Fn(UnitId) -> Result<(Unit, Batch)>,
    roles: impl FnOnce() -> Result<RoleSet>,
) -> Result<Vec<Moved<UnitReceived>>> {
    ensure_unit_list(units)?;
    let mut received = Vec::with_capacity(units.len());
    for id in units.iter().copied() {
        let (mut unit, batch) = load(id)?;
        if unit.disposition != Disposition::InTransit {
            return Err(Error::UnitNotInTransit(id));
        }
        if unit.recipient != Some(caller) {
            return Err(Error::NotRecipient(id));
        }
        ensure_not_recalled(id, &batch)?;
        let from = unit.owner;
        unit.owner = caller;
        unit.disposition = Disposition::Active;
        unit.recipient = None;
        let step = take_step(&mut unit, BusinessStep::Receiving, Some(from), Some(caller), now)?;
        received.push(Moved { id, unit, step, event: UnitReceived { unit: id, from, to: caller } });
    }
    if !flow::is_trading_partner(roles()?) {
        return Err(Error::RecipientNotAuthorised);
    }
    Ok(received)
}

/// The shipper (still the owner) cancels shipments not yet received: the units are Active at it again. Allowed for
/// recalled units too (the owner does not change), so that they can be decommissioned.
pub fn void_shipment(
    units: &[UnitId],
    caller: AccountId,
    now: Timestamp,
    load: impl Fn(UnitId) -> Result<(Unit, Batch)>,
) -> Result<Vec<Moved<ShipmentVoided>>> {
    ensure_unit_list(units)?;
    let mut voided = Vec::with_capacity(units.len());
    for id in units.iter().copied() {
        let (mut unit, _) = load(id)?;
        if unit.owner != caller {
            return Err(Error::NotOwner(id));
        }
        if unit.disposition != Disposition::InTransit {
            return Err(Error::UnitNotInTransit(id));
        }
        let recipient = unit.recipient.take().unwrap_or(caller);
        unit.disposition = Disposition::Active;
        let step = take_step(&mut unit, BusinessStep::VoidShipping, Some(caller), Some(recipient), now)?;
        voided.push(Moved { id, unit, step, event: ShipmentVoided { unit: id, shipper: caller, recipient } });
    }
    Ok(voided)
}

// ---- dispensing and decommissioning ----

/// A Pharmacy owner dispenses a movable unit (final: Dispensed), against the prescription committed to by
/// `prescription` if any (`load`ed, then consumed by [`prescription::consume`]): the unit records the commitment,
/// never the patient, and its trail entry has no recipient. Returns the step and the consumed prescription to store
/// at its commitment.
#[allow(clippy::too_many_arguments)] // each is one fact the rule needs: the unit, the call, an ask and a lookup
pub fn dispense(
    id: UnitId,
    unit: &mut Unit,
    batch: &Batch,
    caller: AccountId,
    now: Timestamp,
    prescription: Option<Hash32>,
    is_pharmacy: impl FnOnce() -> Result<bool>,
    load: impl FnOnce(Hash32) -> Option<Prescription>,
) -> Result<(Step, Option<(Hash32, Prescription)>)> {
    if unit.owner != caller {
        return Err(Error::NotOwner(id));
    }
    ensure_movable(id, unit, batch, now)?;
    unit.disposition = Disposition::Dispensed;
    unit.prescription = prescription;
    let step = take_step(unit, BusinessStep::Dispensing, Some(caller), None, now)?;
    require(is_pharmacy(), Error::NotPharmacy)?;
    let consumed = match prescription {
        Some(commitment) => Some((commitment, prescription::consume(load(commitment), caller)?)),
        None => None,
    };
    Ok((step, consumed))
}

/// The owner takes a unit whose last step left it Active out of the supply chain (recalled or expired ones
/// included: that is how they end). Final: Destroyed, the reason kept on the unit.
pub fn decommission(
    id: UnitId,
    unit: &mut Unit,
    caller: AccountId,
    now: Timestamp,
    reason: DecommissionReason,
) -> Result<Step> {
    if unit.owner != caller {
        return Err(Error::NotOwner(id));
    }
    if unit.disposition != Disposition::Active {
        return Err(Error::UnitNotActive(id, unit.disposition));
    }
    unit.disposition = Disposition::Destroyed;
    unit.decommissioned = Some(reason);
    take_step(unit, BusinessStep::Decommissioning, Some(caller), None, now)
}

// ---- safety ----

/// The batch's manufacturer, or else a Regulator (asked only then), recalls a batch once: O(1), every unit of it
/// freezes at once (see [`effective`]).
pub fn recall(
    batch: &mut Batch,
    caller: AccountId,
    now: Timestamp,
    reason_hash: Hash32,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<()> {
    if !(batch.manufacturer == caller || is_regulator()?) {
        return Err(Error::NotManufacturerOrRegulator);
    }
    if batch.is_recalled() {
        return Err(Error::AlreadyRecalled);
    }
    batch.recall = Some(Recall { by: caller, reason_hash, at: now });
    Ok(())
}

/// The owner, or else a Regulator (asked only then), quarantines a unit whose last step left it Active or in
/// transit, as suspect. The owner does not change; a pending shipment is voided: its recipient is returned.
pub fn flag_suspect(
    id: UnitId,
    unit: &mut Unit,
    batch: &Batch,
    caller: AccountId,
    now: Timestamp,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<(Step, Option<AccountId>)> {
    if !(unit.owner == caller || is_regulator()?) {
        return Err(Error::NotOwnerOrRegulator);
    }
    if !matches!(unit.disposition, Disposition::Active | Disposition::InTransit) {
        return Err(Error::UnitNotActive(id, effective(unit, batch, now)));
    }
    let voided = unit.recipient.take();
    unit.disposition = Disposition::Quarantined;
    Ok((take_step(unit, BusinessStep::Holding, Some(caller), None, now)?, voided))
}

/// A Regulator clears a quarantined unit: Active again at its owner.
pub fn clear_suspect(
    id: UnitId,
    unit: &mut Unit,
    caller: AccountId,
    now: Timestamp,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<Step> {
    require(is_regulator(), Error::NotRegulator)?;
    if unit.disposition != Disposition::Quarantined {
        return Err(Error::UnitNotQuarantined(id));
    }
    unit.disposition = Disposition::Active;
    take_step(unit, BusinessStep::Inspecting, Some(caller), None, now)
}

/// A Regulator declares a unit illegitimate, from any disposition. Final: it never moves again. A pending
/// shipment is voided: its recipient is returned.
pub fn declare_illegitimate(
    id: UnitId,
    unit: &mut Unit,
    caller: AccountId,
    now: Timestamp,
    is_regulator: impl FnOnce() -> Result<bool>,
) -> Result<(Step, Option<AccountId>)> {
    require(is_regulator(), Error::NotRegulator)?;
    if unit.disposition == Disposition::Illegitimate {
        return Err(Error::AlreadyIllegitimate(id));
    }
    let voided = unit.recipient.take();
    unit.disposition = Disposition::Illegitimate;
    Ok((take_step(unit, BusinessStep::Inspecting, Some(caller), None, now)?, voided))
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use std::collections::BTreeMap;

    const GTIN: &str = "04006381333931";
    const EXPIRY: Timestamp = 1_000;
    const NOW: Timestamp = 100;
    const REASON: Hash32 = [9; 32];

    const MAKER: AccountId = AccountId([1; 32]);
    const DISTRIBUTOR: AccountId = AccountId([2; 32]);
    const PHARMACY: AccountId = AccountId([3; 32]);
    const REGULATOR: AccountId = AccountId([4; 32]);

    fn account(n: u8) -> AccountId {
        AccountId([n; 32])
    }

    fn batch() -> Batch {
        Batch::new(GTIN.into(), "LOT-1".into(), ("700101".into(), EXPIRY), MAKER, 0)
    }

    fn recalled() -> Batch {
        Batch { recall: Some(Recall { by: REGULATOR, reason_hash: REASON, at: 1 }), ..batch() }
    }

    /// A unit of batch 1 at `owner` whose last step left it in `disposition` (InTransit: to the distributor).
    fn unit(owner: AccountId, disposition: Disposition) -> Unit {
        let recipient = (disposition == Disposition::InTransit).then_some(DISTRIBUTOR);
        Unit {
            batch: 1,
            serial: "SN1".into(),
            owner,
            disposition,
            recipient,
            decommissioned: None,
            prescription: None,
            deadline: None,
            trail_len: 3,
        }
    }

    fn yes() -> Result<bool> {
        Ok(true)
    }
    fn no() -> Result<bool> {
        Ok(false)
    }
    fn unreachable() -> Result<bool> {
        Err(Error::ParticipantsUnreachable)
    }
    fn never() -> Result<bool> {
        panic!("asked, though the rule did not need the answer")
    }

    fn roles(pairs: &[(AccountId, Role)]) -> impl Fn(AccountId) -> Result<RoleSet> + '_ {
        move |account| {
            let held: Vec<Role> = pairs.iter().filter(|(a, _)| *a == account).map(|(_, role)| *role).collect();
            Ok(RoleSet::from_slice(&held))
        }
    }
    use interfaces::Role;

    fn loader(stored: &BTreeMap<UnitId, (Unit, Batch)>) -> impl Fn(UnitId) -> Result<(Unit, Batch)> + '_ {
        move |id| stored.get(&id).cloned().ok_or(Error::UnitNotFound(id))
    }

    #[test]
    fn effective_disposition_final_steps_then_recall_quarantine_expiry() {
        use Disposition::*;
        let expired = EXPIRY;
        for (stored, recall, now, expected) in [
            (Active, false, NOW, Active),
            (InTransit, false, NOW, InTransit),
            (Active, false, expired, Expired),
            (InTransit, false, expired, Expired),
            (Quarantined, false, expired, Quarantined),
            (Active, true, NOW, Recalled),
            (InTransit, true, expired, Recalled),
            (Quarantined, true, NOW, Recalled),
            (Dispensed, true, expired, Dispensed),
            (Destroyed, true, expired, Destroyed),
            (Illegitimate, true, expired, Illegitimate),
        ] {
            let of = if recall { recalled() } else { batch() };
            assert_eq!(effective(&unit(MAKER, stored), &of, now), expected, "{stored:?} recall {recall} at {now}");
        }
        assert_eq!(effective(&unit(MAKER, Active), &batch(), EXPIRY - 1), Active, "expired from expiry on");
    }

    #[test]
    fn a_recalled_unit_cannot_move_whatever_else_it_is() {
        for stored in [Disposition::Active, Disposition::InTransit, Disposition::Quarantined, Disposition::Dispensed] {
            assert_eq!(ensure_movable(7, &unit(MAKER, stored), &recalled(), EXPIRY), Err(Error::UnitRecalled(7)));
        }
        assert_eq!(ensure_not_recalled(7, &recalled()), Err(Error::UnitRecalled(7)));
        assert_eq!(ensure_not_recalled(7, &batch()), Ok(()));
        assert_eq!(ensure_movable(7, &unit(MAKER, Disposition::Active), &batch(), NOW), Ok(()));
        assert_eq!(ensure_movable(7, &unit(MAKER, Disposition::Active), &batch(), EXPIRY), Err(Error::UnitExpired(7)));
        assert_eq!(
            ensure_movable(7, &unit(MAKER, Disposition::Quarantined), &batch(), EXPIRY),
            Err(Error::UnitNotActive(7, Disposition::Quarantined))
        );
        assert_eq!(
            ensure_movable(7, &unit(MAKER, Disposition::InTransit), &batch(), NOW),
            Err(Error::UnitNotActive(7, Disposition::InTransit))
        );
    }

    #[test]
    fn a_step_appends_one_trail_entry_until_the_trail_is_full() {
        let mut moved = unit(MAKER, Disposition::Destroyed);
        let step = take_step(&mut moved, BusinessStep::Decommissioning, Some(MAKER), None, NOW).unwrap();
        assert_eq!(moved.trail_len, 4);
        assert_eq!(
            step,
            Step {
                index: 3,
                trail_entry: TrailEntry {
                    step: BusinessStep::Decommissioning,
                    disposition: Disposition::Destroyed,
                    from: Some(MAKER),
                    to: None,
                    at: NOW
                }
            }
        );
        let mut full = Unit { trail_len: u32::MAX, ..unit(MAKER, Disposition::Active) };
        assert_eq!(take_step(&mut full, BusinessStep::Shipping, None, None, NOW), Err(Error::Overflow));
        assert_eq!(full.trail_len, u32::MAX);
    }

    #[test]
    fn lists_hold_one_to_max_per_call_items_none_twice() {
        assert_eq!(ensure_unit_list(&[]), Err(Error::EmptyList));
        let most: Vec<UnitId> = (1..=100).collect();
        assert_eq!(ensure_unit_list(&most), Ok(()));
        let too_many: Vec<UnitId> = (1..=101).collect();
        assert_eq!(ensure_unit_list(&too_many), Err(Error::TooMany));
        assert_eq!(ensure_unit_list(&[2, 1, 2]), Err(Error::DuplicateUnit(2)));
        assert_eq!(ensure_unit_list(&[9, 3, 9, 3]), Err(Error::DuplicateUnit(3)), "the smallest repeated id");
        assert_eq!(ensure_unit_list(&[5, 5]), Err(Error::DuplicateUnit(5)));
        assert_eq!(list_count(1), Ok(1));
        assert_eq!(list_count(MAX_PER_CALL), Ok(100));
    }

    fn held() -> Result<GtinHolding> {
        Ok(GtinHolding::PrefixHeld)
    }

    #[test]
    fn register_product_checks_the_gtin_then_registration_then_the_company_prefix() {
        let unregistered = |_: &str| false;
        let registered = |_: &str| true;
        let not_a_key = |_: &str| -> bool { panic!("a storage key built of an unchecked GTIN") };
        let never = || -> Result<GtinHolding> { panic!("participants asked, though the rule did not need it") };
        let answer = |holding| move || Ok(holding);
        assert_eq!(register_product("04006381333932", [1; 32], not_a_key, MAKER, NOW, never), Err(Error::InvalidGtin));
        assert_eq!(register_product(GTIN, [1; 32], registered, MAKER, NOW, never), Err(Error::ProductExists));
        let not_maker = answer(GtinHolding::NotManufacturer);
        assert_eq!(register_product(GTIN, [1; 32], unregistered, MAKER, NOW, not_maker), Err(Error::NotManufacturer));
        let squatter = answer(GtinHolding::PrefixNotHeld);
        assert_eq!(
            register_product(GTIN, [1; 32], unregistered, MAKER, NOW, squatter),
            Err(Error::CompanyPrefixNotHeld)
        );
        assert_eq!(
            register_product(GTIN, [1; 32], unregistered, MAKER, NOW, || Err(Error::ParticipantsUnreachable)),
            Err(Error::ParticipantsUnreachable)
        );
        assert_eq!(
            register_product(GTIN, [1; 32], unregistered, MAKER, NOW, held),
            Ok(Product { manufacturer: MAKER, name_hash: [1; 32], registered_at: NOW })
        );
    }

    #[test]
    fn a_regulator_reassigns_a_product_to_another_manufacturer() {
        let product = Product { manufacturer: MAKER, name_hash: [1; 32], registered_at: 0 };
        assert_eq!(reassign_product(None, DISTRIBUTOR, never), Err(Error::ProductNotFound));
        assert_eq!(reassign_product(Some(product.clone()), MAKER, never), Err(Error::AlreadyManufacturer));
        assert_eq!(reassign_product(Some(product.clone()), DISTRIBUTOR, no), Err(Error::NotRegulator));
        assert_eq!(
            reassign_product(Some(product.clone()), DISTRIBUTOR, unreachable),
            Err(Error::ParticipantsUnreachable)
        );
        let (reassigned, from) = reassign_product(Some(product.clone()), DISTRIBUTOR, yes).unwrap();
        assert_eq!((reassigned.manufacturer, from), (DISTRIBUTOR, MAKER));
        assert_eq!((reassigned.name_hash, reassigned.registered_at), (product.name_hash, product.registered_at));
    }

    #[test]
    fn a_gtin_longer_than_a_storage_key_allows_is_refused_before_any_lookup() {
        let long = "0".repeat(200);
        let not_a_key = |_: &str| -> bool { panic!("a storage key built of an unchecked GTIN") };
        assert_eq!(register_product(&long, [1; 32], not_a_key, MAKER, NOW, held), Err(Error::InvalidGtin));
    }

    #[test]
    fn create_batch_refusals_in_order_and_the_next_id() {
        let product = Product { manufacturer: MAKER, name_hash: [1; 32], registered_at: 0 };
        let new = |lot: &str, expires_at, manufacturer| {
            Batch::new(GTIN.into(), lot.into(), ("700101".into(), expires_at), manufacturer, NOW)
        };
        let other = new("L 2", NOW, DISTRIBUTOR);
        assert_eq!(create_batch(&product, &other, true, 1, never), Err(Error::NotProductManufacturer));
        assert_eq!(create_batch(&product, &new("L 2", NOW, MAKER), true, 1, never), Err(Error::InvalidLot));
        assert_eq!(create_batch(&product, &new("L2", NOW, MAKER), true, 1, never), Err(Error::ExpiryPassed));
        assert_eq!(create_batch(&product, &new("L2", NOW + 1, MAKER), true, 1, never), Err(Error::LotExists));
        let fresh = new("L2", NOW + 1, MAKER);
        assert_eq!(create_batch(&product, &fresh, false, 1, no), Err(Error::NotManufacturer));
        assert_eq!(create_batch(&product, &fresh, false, 1, yes), Ok(2));
        assert_eq!(create_batch(&product, &fresh, false, u64::MAX, yes), Err(Error::Overflow));
        assert_eq!((fresh.units, fresh.recall), (0, None), "a new batch has no unit and no recall");
    }

    #[test]
    fn commission_refusals_in_order() {
        let serials = |list: &[&str]| list.iter().map(|s| String::from(*s)).collect::<Vec<_>>();
        let unused = |_: &String, _: &String| false;
        let ok = serials(&["A", "B"]);
        let maker = |_: &String| Some(MAKER);
        let commission_into = |found: Option<&mut Batch>, list: &[String], caller, now, next| {
            commission(found, list, caller, now, next, unused, maker, yes).map(|(_, commissioning)| commissioning)
        };
        assert_eq!(commission_into(None, &[], MAKER, NOW, 1), Err(Error::EmptyList));
        let many: Vec<String> = (0..101).map(|i| format!("S{i}")).collect();
        assert_eq!(commission_into(None, &many, MAKER, NOW, 1), Err(Error::TooMany));
        assert_eq!(commission_into(None, &ok, MAKER, NOW, 1), Err(Error::BatchNotFound));
        assert_eq!(commission_into(Some(&mut batch()), &ok, DISTRIBUTOR, NOW, 1), Err(Error::NotProductManufacturer));
        assert_eq!(commission_into(Some(&mut recalled()), &ok, MAKER, NOW, 1), Err(Error::BatchUnderRecall));
        assert_eq!(commission_into(Some(&mut batch()), &ok, MAKER, EXPIRY, 1), Err(Error::BatchExpired));
        let bad = serials(&["A", "B", "C D"]);
        assert_eq!(commission_into(Some(&mut batch()), &bad, MAKER, NOW, 1), Err(Error::InvalidSerial(2)));
        let twice = serials(&["A", "B", "B", "A"]);
        assert_eq!(commission_into(Some(&mut batch()), &twice, MAKER, NOW, 1), Err(Error::DuplicateSerial(2)));
        let used = |gtin: &String, serial: &String| gtin == GTIN && serial == "B";
        assert_eq!(
            commission(Some(&mut batch()), &ok, MAKER, NOW, 1, used, maker, never).err(),
            Some(Error::SerialExists(1))
        );
        assert_eq!(
            commission(Some(&mut batch()), &ok, MAKER, NOW, 1, unused, maker, no).err(),
            Some(Error::NotManufacturer)
        );
        assert_eq!(commission_into(Some(&mut batch()), &ok, MAKER, NOW, u64::MAX - 1), Err(Error::Overflow));
        let mut full = Batch { units: u64::MAX, ..batch() };
        assert_eq!(commission_into(Some(&mut full), &ok, MAKER, NOW, 1), Err(Error::Overflow));
        let reassigned = |_: &String| Some(DISTRIBUTOR);
        assert_eq!(
            commission(Some(&mut batch()), &ok, MAKER, NOW, 1, unused, reassigned, never).err(),
            Some(Error::NotProductManufacturer),
            "a reassigned product takes no more units from its old manufacturer"
        );
    }

    #[test]
    fn commission_counts_the_units_and_gives_consecutive_ids() {
        let mut found = Batch { units: 5, ..batch() };
        let list: Vec<String> = vec!["X1".into(), "X2".into(), "X3".into()];
        let (counted, commissioning) =
            commission(Some(&mut found), &list, MAKER, NOW, 6, |_, _| false, |_| Some(MAKER), yes).unwrap();
        assert_eq!(counted.units, 8);
        assert_eq!(commissioning, Commissioning { first: 6, count: 3, next_unit: 9 });

        let (new, step) = commissioned(4, "X1".into(), MAKER, NOW);
        assert_eq!(
            new,
            Unit {
                batch: 4,
                serial: "X1".into(),
                owner: MAKER,
                disposition: Disposition::Active,
                recipient: None,
                decommissioned: None,
                prescription: None,
                deadline: None,
                trail_len: 1
            }
        );
        let first = TrailEntry {
            step: BusinessStep::Commissioning,
            disposition: Disposition::Active,
            from: None,
            to: Some(MAKER),
            at: NOW,
        };
        assert_eq!(step, Step { index: 0, trail_entry: first });
    }

    #[test]
    fn ship_checks_the_call_then_each_unit_in_order() {
        let partners = [(MAKER, Role::Manufacturer), (DISTRIBUTOR, Role::Distributor), (PHARMACY, Role::Pharmacy)];
        let mut stored = BTreeMap::new();
        stored.insert(1, (unit(MAKER, Disposition::Active), batch()));
        stored.insert(2, (unit(DISTRIBUTOR, Disposition::Active), batch()));
        stored.insert(3, (unit(MAKER, Disposition::Active), recalled()));
        let ship_to = |units: &[UnitId], caller, to| ship(units, caller, to, NOW, roles(&partners), loader(&stored));
        let asked = Cell::new(0);
        let counted = |account| {
            asked.set(asked.get() + 1);
            roles(&partners)(account)
        };
        assert_eq!(ship(&[1], MAKER, MAKER, NOW, counted, loader(&stored)).err(), Some(Error::ShipToSelf));
        assert_eq!(asked.get(), 0, "a shipment to oneself asks nobody");
        assert_eq!(ship_to(&[1], REGULATOR, DISTRIBUTOR).err(), Some(Error::SenderNotTradingPartner));
        assert_eq!(ship_to(&[1], MAKER, PHARMACY).err(), Some(Error::RecipientNotAuthorised));
        assert_eq!(ship_to(&[1, 9], MAKER, DISTRIBUTOR).err(), Some(Error::UnitNotFound(9)));
        assert_eq!(ship_to(&[2, 9], MAKER, DISTRIBUTOR).err(), Some(Error::NotOwner(2)), "the first bad unit");
        assert_eq!(ship_to(&[1, 3], MAKER, DISTRIBUTOR).err(), Some(Error::UnitRecalled(3)));
        // A return to a manufacturer goes to the unit's own.
        assert_eq!(ship_to(&[2], DISTRIBUTOR, account(6)).err(), Some(Error::RecipientNotAuthorised));
        let other_maker = [(DISTRIBUTOR, Role::Distributor), (account(6), Role::Manufacturer)];
        assert_eq!(
            ship(&[2], DISTRIBUTOR, account(6), NOW, roles(&other_maker), loader(&stored)).err(),
            Some(Error::NotUnitManufacturer(2))
        );
        assert!(ship_to(&[2], DISTRIBUTOR, MAKER).is_ok());

        let shipped = ship_to(&[1], MAKER, DISTRIBUTOR).unwrap();
        let [moved] = shipped.as_slice() else { panic!("one unit") };
        assert_eq!((moved.id, moved.unit.owner, moved.unit.recipient), (1, MAKER, Some(DISTRIBUTOR)));
        assert_eq!(moved.unit.disposition, Disposition::InTransit);
        assert_eq!(moved.step.index, 3);
        assert_eq!(moved.step.trail_entry.step, BusinessStep::Shipping);
        assert_eq!((moved.step.trail_entry.from, moved.step.trail_entry.to), (Some(MAKER), Some(DISTRIBUTOR)));
        assert_eq!(moved.event, UnitShipped { unit: 1, from: MAKER, to: DISTRIBUTOR });
    }

    #[test]
    fn receive_makes_the_recipient_the_owner_unless_recalled() {
        let mut stored = BTreeMap::new();
        stored.insert(1, (unit(MAKER, Disposition::InTransit), batch()));
        stored.insert(2, (unit(MAKER, Disposition::Active), batch()));
        stored.insert(3, (unit(MAKER, Disposition::InTransit), recalled()));
        let partner = || Ok(RoleSet::of(Role::Distributor));
        let not_asked = || -> Result<RoleSet> { panic!("participants asked, though a unit refused the call") };
        let by = |units: &[UnitId], caller| receive(units, caller, NOW, loader(&stored), partner);
        let refused_by = |units: &[UnitId], caller| receive(units, caller, NOW, loader(&stored), not_asked).err();
        assert_eq!(refused_by(&[1, 1], DISTRIBUTOR), Some(Error::DuplicateUnit(1)));
        assert_eq!(refused_by(&[1, 2], DISTRIBUTOR), Some(Error::UnitNotInTransit(2)));
        assert_eq!(refused_by(&[1], PHARMACY), Some(Error::NotRecipient(1)));
        assert_eq!(refused_by(&[3], DISTRIBUTOR), Some(Error::UnitRecalled(3)));
        let suspended = || Ok(RoleSet::of(Role::Provider));
        assert_eq!(
            receive(&[1], DISTRIBUTOR, NOW, loader(&stored), suspended).err(),
            Some(Error::RecipientNotAuthorised),
            "a recipient whose trading-partner credential stopped counting in transit"
        );
        assert_eq!(
            receive(&[1], DISTRIBUTOR, NOW, loader(&stored), || Err(Error::ParticipantsUnreachable)).err(),
            Some(Error::ParticipantsUnreachable)
        );
        assert_eq!(by(&[1, 1], DISTRIBUTOR).err(), Some(Error::DuplicateUnit(1)));
        assert_eq!(by(&[1, 2], DISTRIBUTOR).err(), Some(Error::UnitNotInTransit(2)));
        assert_eq!(by(&[1], PHARMACY).err(), Some(Error::NotRecipient(1)));
        assert_eq!(by(&[3], DISTRIBUTOR).err(), Some(Error::UnitRecalled(3)));
        let received = by(&[1], DISTRIBUTOR).unwrap();
        let [moved] = received.as_slice() else { panic!("one unit") };
        assert_eq!(
            (moved.unit.owner, moved.unit.disposition, moved.unit.recipient),
            (DISTRIBUTOR, Disposition::Active, None)
        );
        assert_eq!((moved.step.trail_entry.from, moved.step.trail_entry.to), (Some(MAKER), Some(DISTRIBUTOR)));
        assert_eq!(moved.event, UnitReceived { unit: 1, from: MAKER, to: DISTRIBUTOR });
    }

    #[test]
    fn the_shipper_voids_a_shipment_even_of_a_recalled_unit() {
        let mut stored = BTreeMap::new();
        stored.insert(1, (unit(MAKER, Disposition::InTransit), recalled()));
        stored.insert(2, (unit(MAKER, Disposition::Active), batch()));
        let by = |units: &[UnitId], caller| void_shipment(units, caller, NOW, loader(&stored));
        assert_eq!(by(&[1], DISTRIBUTOR).err(), Some(Error::NotOwner(1)));
        assert_eq!(by(&[1, 2], MAKER).err(), Some(Error::UnitNotInTransit(2)));
        let voided = by(&[1], MAKER).unwrap();
        let [moved] = voided.as_slice() else { panic!("one unit") };
        assert_eq!(
            (moved.unit.owner, moved.unit.disposition, moved.unit.recipient),
            (MAKER, Disposition::Active, None)
        );
        assert_eq!(moved.step.trail_entry.step, BusinessStep::VoidShipping);
        assert_eq!(moved.event, ShipmentVoided { unit: 1, shipper: MAKER, recipient: DISTRIBUTOR });
    }

    #[test]
    fn dispense_checks_the_unit_then_the_pharmacy_then_the_prescription() {
        const RX: Hash32 = [7; 32];
        let open = Prescription { prescriber: account(9), quantity: 1, dispensed: 0, pharmacy: None, registered_at: 0 };
        let not_loaded = |_| -> Option<Prescription> { panic!("prescription loaded, though the rule did not need it") };
        let at_pharmacy = unit(PHARMACY, Disposition::Active);
        let dispense_with =
            |held: &Unit, of: &Batch, is_pharmacy: fn() -> Result<bool>, rx, stored: Option<Prescription>| {
                let mut held = held.clone();
                dispense(7, &mut held, of, PHARMACY, NOW, rx, is_pharmacy, |_| stored).map(|out| (held, out))
            };
        let mut other = unit(MAKER, Disposition::Active);
        assert_eq!(dispense(7, &mut other, &batch(), PHARMACY, NOW, None, never, not_loaded), Err(Error::NotOwner(7)));
        assert_eq!(dispense_with(&at_pharmacy, &recalled(), never, None, None).err(), Some(Error::UnitRecalled(7)));
        let full = Unit { trail_len: u32::MAX, ..at_pharmacy.clone() };
        assert_eq!(dispense_with(&full, &batch(), never, None, None).err(), Some(Error::Overflow));
        assert_eq!(dispense_with(&at_pharmacy, &batch(), no, Some(RX), None).err(), Some(Error::NotPharmacy));
        assert_eq!(
            dispense_with(&at_pharmacy, &batch(), unreachable, Some(RX), None).err(),
            Some(Error::ParticipantsUnreachable)
        );
        let mut held = at_pharmacy.clone();
        let (step, consumed) = dispense(7, &mut held, &batch(), PHARMACY, NOW, None, yes, not_loaded).unwrap();
        assert_eq!((consumed, held.prescription), (None, None), "no prescription: none loaded");
        assert_eq!((step.trail_entry.from, step.trail_entry.to), (Some(PHARMACY), None), "no patient on the trail");

        assert_eq!(dispense_with(&at_pharmacy, &batch(), yes, Some(RX), None).err(), Some(Error::PrescriptionNotFound));
        let used = Prescription { dispensed: 1, pharmacy: Some(PHARMACY), ..open };
        assert_eq!(
            dispense_with(&at_pharmacy, &batch(), yes, Some(RX), Some(used)).err(),
            Some(Error::PrescriptionExhausted)
        );
        let elsewhere = Prescription { quantity: 2, ..used };
        let mut at_other_pharmacy = unit(DISTRIBUTOR, Disposition::Active);
        assert_eq!(
            dispense(7, &mut at_other_pharmacy, &batch(), DISTRIBUTOR, NOW, Some(RX), yes, |_| Some(elsewhere)),
            Err(Error::PrescriptionOfAnotherPharmacy)
        );
        let (dispensed, (step, consumed)) = dispense_with(&at_pharmacy, &batch(), yes, Some(RX), Some(open)).unwrap();
        assert_eq!(
            (dispensed.owner, dispensed.disposition, dispensed.trail_len, dispensed.prescription),
            (PHARMACY, Disposition::Dispensed, 4, Some(RX))
        );
        assert_eq!(step.trail_entry.to, None);
        assert_eq!(consumed, Some((RX, Prescription { dispensed: 1, pharmacy: Some(PHARMACY), ..open })));
    }

    #[test]
    fn decommission_goes_by_the_last_step_so_recalled_and_expired_units_end() {
        let mut held = unit(MAKER, Disposition::InTransit);
        assert_eq!(
            decommission(7, &mut held, MAKER, NOW, DecommissionReason::Sampled),
            Err(Error::UnitNotActive(7, Disposition::InTransit))
        );
        assert_eq!(decommission(7, &mut held, PHARMACY, NOW, DecommissionReason::Sampled), Err(Error::NotOwner(7)));
        let mut held = unit(MAKER, Disposition::Active);
        let step = decommission(7, &mut held, MAKER, EXPIRY, DecommissionReason::Damaged).unwrap();
        assert_eq!(
            (held.disposition, held.decommissioned),
            (Disposition::Destroyed, Some(DecommissionReason::Damaged))
        );
        assert_eq!((step.trail_entry.step, step.trail_entry.at), (BusinessStep::Decommissioning, EXPIRY));
    }

    #[test]
    fn the_manufacturer_recalls_without_asking_others_must_be_regulators() {
        let mut own = batch();
        assert_eq!(recall(&mut own, MAKER, NOW, REASON, never), Ok(()));
        assert_eq!(own.recall, Some(Recall { by: MAKER, reason_hash: REASON, at: NOW }));
        assert_eq!(recall(&mut own, MAKER, NOW, REASON, never), Err(Error::AlreadyRecalled));
        assert_eq!(recall(&mut batch(), DISTRIBUTOR, NOW, REASON, no), Err(Error::NotManufacturerOrRegulator));
        assert_eq!(recall(&mut batch(), REGULATOR, NOW, REASON, unreachable), Err(Error::ParticipantsUnreachable));
        let mut other = batch();
        assert_eq!(recall(&mut other, REGULATOR, NOW, REASON, yes), Ok(()));
        assert_eq!(other.recall.map(|r| r.by), Some(REGULATOR));
    }

    #[test]
    fn quarantine_voids_a_pending_shipment_and_keeps_the_owner() {
        let mut moving = unit(MAKER, Disposition::InTransit);
        let (step, voided) = flag_suspect(7, &mut moving, &batch(), MAKER, NOW, never).unwrap();
        assert_eq!(voided, Some(DISTRIBUTOR));
        assert_eq!((moving.owner, moving.disposition, moving.recipient), (MAKER, Disposition::Quarantined, None));
        assert_eq!((step.trail_entry.step, step.trail_entry.from), (BusinessStep::Holding, Some(MAKER)));

        let mut held = unit(MAKER, Disposition::Active);
        assert_eq!(flag_suspect(7, &mut held, &batch(), PHARMACY, NOW, no), Err(Error::NotOwnerOrRegulator));
        assert_eq!(flag_suspect(7, &mut held, &batch(), REGULATOR, NOW, yes).map(|(_, voided)| voided), Ok(None));
        assert_eq!(
            flag_suspect(7, &mut held, &recalled(), MAKER, NOW, never),
            Err(Error::UnitNotActive(7, Disposition::Recalled)),
            "the effective disposition is named"
        );

        assert_eq!(clear_suspect(7, &mut held, MAKER, NOW, no), Err(Error::NotRegulator));
        let step = clear_suspect(7, &mut held, REGULATOR, NOW, yes).unwrap();
        assert_eq!((held.disposition, step.trail_entry.step), (Disposition::Active, BusinessStep::Inspecting));
        assert_eq!(clear_suspect(7, &mut held, REGULATOR, NOW, yes), Err(Error::UnitNotQuarantined(7)));
    }

    #[test]
    fn illegitimacy_is_final_and_voids_a_pending_shipment() {
        let mut moving = unit(PHARMACY, Disposition::InTransit);
        assert_eq!(declare_illegitimate(7, &mut moving, PHARMACY, NOW, no), Err(Error::NotRegulator));
        let (step, voided) = declare_illegitimate(7, &mut moving, REGULATOR, NOW, yes).unwrap();
        assert_eq!(
            (voided, moving.owner, moving.disposition),
            (Some(DISTRIBUTOR), PHARMACY, Disposition::Illegitimate)
        );
        assert_eq!((step.trail_entry.step, step.trail_entry.from), (BusinessStep::Inspecting, Some(REGULATOR)));
        assert_eq!(declare_illegitimate(7, &mut moving, REGULATOR, NOW, yes), Err(Error::AlreadyIllegitimate(7)));
        let mut dispensed = unit(PHARMACY, Disposition::Dispensed);
        assert!(declare_illegitimate(7, &mut dispensed, REGULATOR, NOW, yes).is_ok());
    }
}
