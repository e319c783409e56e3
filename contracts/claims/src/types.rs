//! The claim, plan, benefit, enrolment, escrow and prior-authorization types of the claims contract (FHIR Claim /
//! ClaimResponse), kept out of the contract shell. Re-exported by [`crate::claims`].

use crate::adjudication::{Balance, PlanTerms};
use ink::prelude::vec::Vec;
use interfaces::{AccountId, Hash32, RecordId, Timestamp};

pub type PlanId = u64;
pub type ClaimId = u64;
pub type AuthId = u64;

/// A health plan and the payer who runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Plan {
    pub payer: AccountId,
    pub terms: PlanTerms,
    pub created_at: Timestamp,
}

/// What a plan pays for one service code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Benefit {
    pub covered: bool,
    pub allowed_per_unit: Balance,
    /// Most units per claim line before the line is flagged for review; 0 means no limit.
    pub unit_limit: u32,
    /// A line needs an approved, unused prior authorization.
    pub prior_auth: bool,
}

/// A member's coverage under a plan, `[from, until)`; `until: None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Enrolment {
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// A plan's escrow. Always `paid + balance == funded - withdrawn`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Escrow {
    /// Held now.
    pub balance: Balance,
    /// Approved benefit not yet paid.
    pub owed: Balance,
    pub funded: Balance,
    pub withdrawn: Balance,
    pub paid: Balance,
}

/// One line of a claim as submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ClaimLine {
    pub service_code: u32,
    pub diagnosis_code: u32,
    pub units: u32,
    pub charge: Balance,
}

/// A line with its adjudication (FHIR ClaimResponse.item.adjudication).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct LineAdjudication {
    pub line: ClaimLine,
    pub submitted: Balance,
    pub eligible: Balance,
    pub deductible: Balance,
    pub copay: Balance,
    pub coinsurance: Balance,
    pub patient_share: Balance,
    /// What the payer pays for this line.
    pub benefit: Balance,
    /// CARC codes, in the order applied.
    pub codes: Vec<u16>,
    /// The line is denied (its codes say why).
    pub denied: bool,
    /// A fraud flag pended the claim for review on this line.
    pub flagged: bool,
    /// The prior authorization this line consumed.
    pub prior_auth: Option<AuthId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Outcome {
    /// No line denied.
    Approved,
    /// Some lines denied, some not.
    Partial,
    /// Every line denied.
    Denied,
    /// Waiting for payer review.
    Pended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum AppealStatus {
    Pending,
    Upheld,
    Overturned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Appeal {
    pub by: AccountId,
    pub reason_hash: Hash32,
    pub filed_at: Timestamp,
    pub status: AppealStatus,
}

/// A claim and its response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Claim {
    pub provider: AccountId,
    pub patient: AccountId,
    pub plan: PlanId,
    pub payer: AccountId,
    pub date_of_service: Timestamp,
    pub submitted_at: Timestamp,
    pub lines: Vec<LineAdjudication>,
    pub evidence: Vec<RecordId>,
    pub outcome: Outcome,
    /// The claim-level CARC code that denied every line (31, 26, 27, 29, 18), if any.
    pub reason: Option<u16>,
    /// Total benefit approved.
    pub benefit: Balance,
    /// Paid so far; `benefit - paid` is owed.
    pub paid: Balance,
    /// When the claim was last decided (submission or review): the appeal window starts here.
    pub decided_at: Timestamp,
    pub appeal: Option<Appeal>,
    /// The provider's claim submitted before this one (the link of `claims_by_provider`).
    pub previous_of_provider: Option<ClaimId>,
    /// The patient's claim submitted before this one (the link of `claims_by_patient`).
    pub previous_of_patient: Option<ClaimId>,
}

/// A payer's review decision on one line of a Pended claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum LineDecision {
    /// Pay this benefit (at most the line's charge); any difference is adjusted with CARC 45.
    Approve(Balance),
    /// Deny with this CARC code (a denial code, e.g. 96, 204, 50).
    Deny(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum AuthStatus {
    Requested,
    Approved,
    Denied,
    /// Consumed by a line of this claim.
    Used(ClaimId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PriorAuth {
    pub provider: AccountId,
    pub patient: AccountId,
    pub plan: PlanId,
    pub service_code: u32,
    pub units: u32,
    pub status: AuthStatus,
    pub requested_at: Timestamp,
}
