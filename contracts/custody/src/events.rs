//! The events of the custody contract (its governance events are `interfaces::governance`'s). Field types are
//! written as the contract always wrote them (`AccountId`, `Timestamp`, `BatchId`, ...): ink! hashes those tokens
//! into each event's signature topic.

use crate::types::{BatchId, DecommissionReason, UnitId};
use ink::prelude::string::String;
use interfaces::{AccountId, Hash32, Timestamp};

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRegistered {
    #[ink(topic)]
    pub gtin: String,
    #[ink(topic)]
    pub manufacturer: AccountId,
    pub name_hash: Hash32,
}

/// A Regulator (`by`) gave the product `gtin` from `from` to `to`: only `to` creates its batches and commissions
/// its units from now on. No unit's trail changes.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductReassigned {
    #[ink(topic)]
    pub gtin: String,
    #[ink(topic)]
    pub from: AccountId,
    #[ink(topic)]
    pub to: AccountId,
    pub by: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCreated {
    #[ink(topic)]
    pub batch: BatchId,
    #[ink(topic)]
    pub manufacturer: AccountId,
    #[ink(topic)]
    pub gtin: String,
    pub lot: String,
    /// GS1 AI(17) YYMMDD, as the packs carry it.
    pub expiry: String,
}

/// Units `first .. first + count` were commissioned into `batch`, Active at the manufacturer.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsCommissioned {
    #[ink(topic)]
    pub batch: BatchId,
    #[ink(topic)]
    pub manufacturer: AccountId,
    pub first: UnitId,
    pub count: u32,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitShipped {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub from: AccountId,
    #[ink(topic)]
    pub to: AccountId,
}

#[ink::event]
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
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentVoided {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub shipper: AccountId,
    #[ink(topic)]
    pub recipient: AccountId,
}

/// `pharmacy` dispensed `unit`, against the prescription committed to by `prescription` if any. No patient.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDispensed {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub pharmacy: AccountId,
    pub prescription: Option<Hash32>,
}

/// `prescriber` registered a prescription of `quantity` units under `commitment` (neither the record nor the
/// patient is named).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrescriptionRegistered {
    #[ink(topic)]
    pub commitment: Hash32,
    #[ink(topic)]
    pub prescriber: AccountId,
    pub quantity: u32,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDecommissioned {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub owner: AccountId,
    pub reason: DecommissionReason,
}

/// Every unit of `batch` is frozen from now on (no per-unit trail entries are written).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRecalled {
    #[ink(topic)]
    pub batch: BatchId,
    #[ink(topic)]
    pub by: AccountId,
    pub reason_hash: Hash32,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitQuarantined {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub owner: AccountId,
    pub reason_hash: Hash32,
    /// To be cleared or declared illegitimate by then (DSCSA investigation clock).
    pub investigate_by: Timestamp,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCleared {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub owner: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDeclaredIllegitimate {
    #[ink(topic)]
    pub unit: UnitId,
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub owner: AccountId,
    /// The owner notifies its trading partners by then (24 hours).
    pub notify_by: Timestamp,
}

/// The owner `by` of the illegitimate `unit` notified its trading partner `partner` (one event per partner).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradingPartnerNotified {
    #[ink(topic)]
    pub unit: UnitId,
    pub by: AccountId,
    #[ink(topic)]
    pub partner: AccountId,
}
