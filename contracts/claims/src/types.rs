//! The claim, plan, benefit, enrolment, escrow and prior-authorization types of the claims contract (FHIR Claim /
//! ClaimResponse), with the rules that keep each one valid as methods. Re-exported by [`crate::claims`].

use crate::{
    adjudication::{Balance, PlanTerms},
    errors::{Error, Result},
};
use ink::prelude::{vec, vec::Vec};
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

impl Plan {
    /// The plan's payer, when it is `caller` (only the payer manages a plan).
    pub fn ensure_payer(&self, caller: AccountId) -> Result<AccountId> {
        if self.payer != caller {
            return Err(Error::NotPlanPayer);
        }
        Ok(self.payer)
    }
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

impl Benefit {
    /// A line of this service code is paid only with an approved, unused prior authorization.
    pub fn needs_prior_auth(&self) -> bool {
        self.covered && self.prior_auth
    }
}

/// A member's coverage under a plan, `[from, until)`; `until: None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Enrolment {
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

impl Enrolment {
    /// Coverage for `[from, until)`. One period per member and plan is kept: a new one may only start at or after
    /// the end of the `current` one (and replaces it).
    pub fn new(from: Timestamp, until: Option<Timestamp>, current: Option<Enrolment>) -> Result<Enrolment> {
        if until.is_some_and(|until| until <= from) {
            return Err(Error::InvalidPeriod);
        }
        if current.is_some_and(|current| current.until.is_none_or(|end| end > from)) {
            return Err(Error::AlreadyEnrolled);
        }
        Ok(Enrolment { from, until })
    }

    /// The enrolment once coverage ends at `at` (exclusive): after it starts, before it would have ended.
    pub fn ended(self, at: Timestamp) -> Result<Enrolment> {
        if at <= self.from {
            return Err(Error::InvalidPeriod);
        }
        if self.until.is_some_and(|until| until <= at) {
            return Err(Error::AlreadyEnded);
        }
        Ok(Enrolment { until: Some(at), ..self })
    }
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

impl LineAdjudication {
    /// The line as submitted, nothing adjudicated yet: no amounts, no codes.
    pub fn blank(line: &ClaimLine) -> LineAdjudication {
        LineAdjudication {
            line: *line,
            submitted: line.charge,
            eligible: 0,
            deductible: 0,
            copay: 0,
            coinsurance: 0,
            patient_share: 0,
            benefit: 0,
            codes: Vec::new(),
            denied: false,
            flagged: false,
            prior_auth: None,
        }
    }

    /// The line denied with the CARC `code`.
    pub fn denied(line: &ClaimLine, code: u16) -> LineAdjudication {
        LineAdjudication { denied: true, codes: vec![code], ..LineAdjudication::blank(line) }
    }
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

impl Outcome {
    /// The outcome of a decided claim: Approved when no line is denied, Denied when every line is, else Partial.
    pub fn of(lines: &[LineAdjudication]) -> Outcome {
        let denied = lines.iter().filter(|line| line.denied).count();
        if denied == 0 {
            Outcome::Approved
        } else if denied == lines.len() {
            Outcome::Denied
        } else {
            Outcome::Partial
        }
    }
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

impl PriorAuth {
    /// A request for `units` of `service_code`, refused while another one for the same patient, plan and code is
    /// `open`.
    pub fn request(
        provider: AccountId,
        patient: AccountId,
        plan: PlanId,
        service_code: u32,
        units: u32,
        open: Option<AuthId>,
        now: Timestamp,
    ) -> Result<PriorAuth> {
        if units == 0 {
            return Err(Error::ZeroUnits);
        }
        if let Some(open) = open {
            return Err(Error::PriorAuthOpen(open));
        }
        Ok(PriorAuth { provider, patient, plan, service_code, units, status: AuthStatus::Requested, requested_at: now })
    }

    /// The authorization once the payer approved or denied it; only a Requested one is decided.
    pub fn decided(self, approve: bool) -> Result<PriorAuth> {
        if self.status != AuthStatus::Requested {
            return Err(Error::PriorAuthAlreadyDecided);
        }
        let status = if approve { AuthStatus::Approved } else { AuthStatus::Denied };
        Ok(PriorAuth { status, ..self })
    }

    /// Requested, or approved and unused: at most one is open per patient, plan and service code.
    pub fn is_open(&self) -> bool {
        matches!(self.status, AuthStatus::Requested | AuthStatus::Approved)
    }

    /// Approved, unused and for at least `units`: a line of that many units may consume it.
    pub fn covers(&self, units: u32) -> bool {
        self.status == AuthStatus::Approved && units <= self.units
    }
}
