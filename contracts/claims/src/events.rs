//! The events of the claims contract: one per state change. The accounts an indexer filters on (and the plan,
//! claim or authorization id) are topics.

use crate::{
    adjudication::{Balance, PlanTerms},
    types::{AuthId, Benefit, ClaimId, Outcome, PlanId},
};
use ink::primitives::AccountId;
use interfaces::{Hash32, Timestamp};

/// A payer created a plan.
#[ink::event]
pub struct PlanCreated {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    pub terms: PlanTerms,
}

/// The plan's payer set the benefit of a service code.
#[ink::event]
pub struct BenefitSet {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    pub service_code: u32,
    pub benefit: Benefit,
}

/// The plan's payer admitted a provider to the plan's network.
#[ink::event]
pub struct ProviderAdmitted {
    #[ink(topic)]
    pub plan: PlanId,
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
}

/// The plan's payer removed a provider from the plan's network.
#[ink::event]
pub struct ProviderRemoved {
    #[ink(topic)]
    pub plan: PlanId,
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
}

/// The plan's payer enrolled a member for `[from, until)`.
#[ink::event]
pub struct MemberEnrolled {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub patient: AccountId,
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// A member's coverage ends at `at` (exclusive).
#[ink::event]
pub struct EnrolmentEnded {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub patient: AccountId,
    pub at: Timestamp,
}

/// The plan's payer added `amount` to its escrow.
#[ink::event]
pub struct PlanFunded {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    pub amount: Balance,
}

/// The plan's payer took back `amount` of the escrow's free funds.
#[ink::event]
pub struct FundsWithdrawn {
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub payer: AccountId,
    pub amount: Balance,
}

/// A claim was submitted and adjudicated at once; `paid` of its `benefit` went to the provider (the rest is
/// owed until `settle`).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ClaimSubmitted {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub provider: AccountId,
    #[ink(topic)]
    pub patient: AccountId,
    pub plan: PlanId,
    pub date_of_service: Timestamp,
    pub outcome: Outcome,
    /// The claim-level reason code when every line was denied for one reason.
    pub reason: Option<u16>,
    pub benefit: Balance,
    pub paid: Balance,
    /// The claim this one replaces (X12 frequency code 7), if any: that claim is replaced and undone.
    pub replaces: Option<ClaimId>,
}

/// The claim's provider voided it (X12 frequency code 8): `released` is no longer owed.
#[ink::event]
pub struct ClaimVoided {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub provider: AccountId,
    pub plan: PlanId,
    pub released: Balance,
}

/// `settle` (or the payer, `pay_now`) paid what a claim was owed: `amount`, of which `recouped` was netted off
/// what its provider owed the plan (the rest was transferred).
#[ink::event]
pub struct ClaimPaid {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub plan: PlanId,
    #[ink(topic)]
    pub provider: AccountId,
    pub amount: Balance,
    pub recouped: Balance,
}

/// `settle` found only entries of claims no longer owed at the head of the plan's queue: `passed` of them left it.
#[ink::event]
pub struct QueueAdvanced {
    #[ink(topic)]
    pub plan: PlanId,
    pub passed: u64,
}

/// The payer voided an approved claim before it was paid: every line denied with `reason`.
#[ink::event]
pub struct PaymentVoided {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub reason: u16,
    pub released: Balance,
}

/// The patient disputed an approved claim within its settlement delay: it is pended for review.
#[ink::event]
pub struct ClaimDisputed {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub payer: AccountId,
    pub released: Balance,
}

/// The payer reversed a paid claim: every line denied with `reason`; its provider owes `recoupment` more.
#[ink::event]
pub struct ClaimReversed {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub reason: u16,
    pub recoupment: Balance,
}

/// The payer decided every line of a Pended claim.
#[ink::event]
pub struct ClaimReviewed {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub outcome: Outcome,
    pub benefit: Balance,
    /// Paid to the provider now (the rest of the benefit is owed until `settle`).
    pub paid: Balance,
}

/// A provider asked the plan's payer to authorise a service.
#[ink::event]
pub struct PriorAuthRequested {
    #[ink(topic)]
    pub auth: AuthId,
    #[ink(topic)]
    pub provider: AccountId,
    #[ink(topic)]
    pub patient: AccountId,
    pub plan: PlanId,
    pub service_code: u32,
    pub units: u32,
}

/// The plan's payer approved or denied a prior authorization.
#[ink::event]
pub struct PriorAuthDecided {
    #[ink(topic)]
    pub auth: AuthId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub approved: bool,
    /// An approved one covers dates of service before this time.
    pub valid_until: Option<Timestamp>,
}

/// The plan's payer revoked a prior authorization before it was used.
#[ink::event]
pub struct PriorAuthRevoked {
    #[ink(topic)]
    pub auth: AuthId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
}

/// The claim's provider or patient appealed it.
#[ink::event]
pub struct AppealFiled {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub payer: AccountId,
    pub reason_hash: Hash32,
}

/// The payer upheld or overturned an appeal.
#[ink::event]
pub struct AppealDecided {
    #[ink(topic)]
    pub claim: ClaimId,
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub provider: AccountId,
    pub overturned: bool,
    /// Benefit added by the overturn.
    pub added_benefit: Balance,
    /// Paid to the provider now (the rest of the benefit is owed until `settle`).
    pub paid: Balance,
}
