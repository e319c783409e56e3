//! The claim, plan, benefit, enrolment, escrow and prior-authorization types of the claims contract (FHIR Claim /
//! ClaimResponse), with the rules that keep each one valid as methods. Re-exported by [`crate::claims`].

use crate::{
    adjudication::{Balance, PlanTerms, MAX_ALLOWED_PER_UNIT},
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
    /// A benefit a plan may set: at most [`MAX_ALLOWED_PER_UNIT`] allowed per unit.
    pub fn check(&self) -> Result<()> {
        if self.allowed_per_unit > MAX_ALLOWED_PER_UNIT {
            return Err(Error::AllowedAboveMaximum);
        }
        Ok(())
    }

    /// What this benefit allows for `line`, covered or not: `min(charge, allowed_per_unit * units)`. A review or
    /// an appeal never sets a line's eligible amount (benefit + patient share) above it.
    pub fn allowed(&self, line: &ClaimLine) -> Result<Balance> {
        let allowed = self.allowed_per_unit.checked_mul(Balance::from(line.units)).ok_or(Error::Overflow)?;
        Ok(allowed.min(line.charge))
    }

    /// A line of this service code is paid only with an approved, unused prior authorization.
    pub fn needs_prior_auth(&self) -> bool {
        self.covered && self.prior_auth
    }
}

/// A plan's payer admits a provider to its network (`admit`) only when it is not in it (`in_network`), and removes
/// one only when it is.
pub fn network_change(in_network: bool, admit: bool) -> Result<()> {
    match (in_network, admit) {
        (true, true) => Err(Error::AlreadyInNetwork),
        (false, false) => Err(Error::NotInNetwork),
        _ => Ok(()),
    }
}

/// At most this many enrolment periods are kept per member and plan.
pub const MAX_ENROLMENTS: u32 = 8;

/// A member's enrolment history under a plan, oldest first, with `period` [`Enrolment::new`] appended: it starts at
/// or after the end of the latest one. At most [`MAX_ENROLMENTS`] periods.
pub fn enrolled(mut history: Vec<Enrolment>, period: (Timestamp, Option<Timestamp>)) -> Result<Vec<Enrolment>> {
    let (from, until) = period;
    let enrolment = Enrolment::new(from, until, history.last().copied())?;
    if u32::try_from(history.len()).map_or(true, |len| len >= MAX_ENROLMENTS) {
        return Err(Error::TooManyEnrolments);
    }
    history.push(enrolment);
    Ok(history)
}

/// A member's enrolment history with its latest period ended at `at` ([`Enrolment::ended`]).
pub fn ended(mut history: Vec<Enrolment>, at: Timestamp) -> Result<Vec<Enrolment>> {
    let latest = history.last_mut().ok_or(Error::NotEnrolled)?;
    *latest = latest.ended(at)?;
    Ok(history)
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
    /// Coverage for `[from, until)`: a new period may only start at or after the end of the `current` (latest)
    /// one; every period is kept ([`enrolled`]).
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

/// A plan's escrow. Always `paid + balance == funded - withdrawn + recouped`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Escrow {
    /// Held now.
    pub balance: Balance,
    /// Approved benefit not yet paid: reserved, never withdrawn.
    pub owed: Balance,
    pub funded: Balance,
    pub withdrawn: Balance,
    /// Paid to claims, gross (what recoupments netted off included).
    pub paid: Balance,
    /// Netted off payments to providers who owed a recoupment (it stayed in the escrow).
    pub recouped: Balance,
    /// Recoupments providers still owe this plan, in total (each provider's is kept apart).
    pub recoupable: Balance,
    /// The settlement queue: its entries `settle_next..settle_end` are the claims owed, in the order they became
    /// owed; `settle` pays them in that order.
    pub settle_next: u64,
    pub settle_end: u64,
}

/// One line of a claim as submitted: only what adjudication uses. Diagnoses stay off chain, in the claim's 837
/// detail document, which the claim commits to by hash ([`Claim::detail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ClaimLine {
    pub service_code: u32,
    pub units: u32,
    pub charge: Balance,
}

/// The X12 claim adjustment group code of an adjustment (835 CAS01): who bears the amount adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Group {
    /// CO: contractual obligation; the provider may not bill the patient for it.
    ContractualObligation,
    /// PR: patient responsibility.
    PatientResponsibility,
    /// OA: other adjustment (e.g. a duplicate).
    OtherAdjustment,
    /// PI: payer-initiated reduction.
    PayerInitiated,
}

/// One adjustment of a line (835 CAS): its group code and its claim adjustment reason code (CARC). Its amount
/// follows from the line: 45 is `submitted - eligible`, 1, 2 and 3 are the deductible, coinsurance and copay, a
/// denial code adjusts the whole charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Adjustment {
    pub group: Group,
    pub code: u16,
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
    /// The adjustments (group and CARC code), in the order applied.
    pub adjustments: Vec<Adjustment>,
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
            adjustments: Vec::new(),
            denied: false,
            flagged: false,
            prior_auth: None,
        }
    }

    /// The line denied with `adjustment` (a denial code and its group).
    pub fn denied(line: &ClaimLine, adjustment: Adjustment) -> LineAdjudication {
        LineAdjudication { denied: true, adjustments: vec![adjustment], ..LineAdjudication::blank(line) }
    }

    /// The CARC codes of its adjustments, in order.
    pub fn codes(&self) -> Vec<u16> {
        self.adjustments.iter().map(|adjustment| adjustment.code).collect()
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
    /// The commitment (hash) of the claim's off-chain detail: the 837 claim document with its diagnoses, held
    /// like any record off chain. Adjudication never needs it; the payer checks the document against it.
    pub detail: Hash32,
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
    /// The claim this one replaces (X12 claim frequency code 7), if any.
    pub replaces: Option<ClaimId>,
    /// Replaced or voided by its provider (X12 frequency codes 7 and 8): it is no longer owed, reviewed or
    /// appealed, and no longer counts as an original for the duplicate rule.
    pub correction: Option<Correction>,
    /// What it is owed is paid no earlier than this (its decision plus the plan's settlement delay); until then the
    /// payer may void it and the patient dispute it.
    pub payable_at: Timestamp,
    /// When it was last paid: the payer may reverse it within the plan's reversal window from then.
    pub paid_at: Option<Timestamp>,
    /// The patient disputed it ("service not received"): it was pended for the payer's review.
    pub disputed: bool,
    /// The payer reversed it after payment: what it was paid is recouped from the provider's next payments.
    pub reversed: bool,
    /// The provider's claim submitted before this one (the link of `claims_by_provider`).
    pub previous_of_provider: Option<ClaimId>,
    /// The patient's claim submitted before this one (the link of `claims_by_patient`).
    pub previous_of_patient: Option<ClaimId>,
}

/// How a claim's provider corrected it (X12 837 CLM05-3 claim frequency codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Correction {
    /// Frequency code 7: replaced by this claim.
    ReplacedBy(ClaimId),
    /// Frequency code 8: voided.
    Voided,
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
    /// Approved for dates of service before its `valid_until`.
    Approved,
    Denied,
    /// Revoked by the payer before it was used.
    Revoked,
    /// Consumed by a line of this claim approved for payment.
    Used(ClaimId),
}

/// A prior authorization: bound to the provider who asked for it, the patient, the plan and the service code.
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
    /// Set on approval: it covers dates of service before this time (exclusive), and expires then.
    pub valid_until: Option<Timestamp>,
}

impl PriorAuth {
    /// A request by `provider` for `units` of `service_code`, refused while another one of the same provider for
    /// the same patient, plan and code is `open` (another provider's request neither blocks nor is blocked).
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
        Ok(PriorAuth {
            provider,
            patient,
            plan,
            service_code,
            units,
            status: AuthStatus::Requested,
            requested_at: now,
            valid_until: None,
        })
    }

    /// The authorization once the payer approved it until `valid_until` (after `now`) or denied it (`None`); only
    /// a Requested one is decided.
    pub fn decided(self, valid_until: Option<Timestamp>, now: Timestamp) -> Result<PriorAuth> {
        if self.status != AuthStatus::Requested {
            return Err(Error::PriorAuthAlreadyDecided);
        }
        let status = match valid_until {
            Some(valid_until) if valid_until <= now => return Err(Error::InvalidPeriod),
            Some(_) => AuthStatus::Approved,
            None => AuthStatus::Denied,
        };
        Ok(PriorAuth { status, valid_until, ..self })
    }

    /// The authorization once the payer revoked it: only a Requested or Approved (unused) one.
    pub fn revoked(self) -> Result<PriorAuth> {
        if !self.is_open() {
            return Err(Error::PriorAuthNotOpen);
        }
        Ok(PriorAuth { status: AuthStatus::Revoked, ..self })
    }

    /// Requested, or approved and unused: at most one is open per provider, patient, plan and service code.
    pub fn is_open(&self) -> bool {
        matches!(self.status, AuthStatus::Requested | AuthStatus::Approved)
    }

    /// Approved, unused and valid on `date_of_service`: a line may consume it when it has at most its units.
    pub fn valid_on(&self, date_of_service: Timestamp) -> bool {
        self.status == AuthStatus::Approved && self.valid_until.is_some_and(|valid_until| date_of_service < valid_until)
    }

    /// Valid on `date_of_service` and for at least `units`.
    pub fn covers(&self, units: u32, date_of_service: Timestamp) -> bool {
        self.valid_on(date_of_service) && units <= self.units
    }

    /// The authorization consumed by a line of `claim`.
    pub fn used(self, claim: ClaimId) -> PriorAuth {
        PriorAuth { status: AuthStatus::Used(claim), ..self }
    }
}

#[cfg(test)]
impl Claim {
    /// A claim for rule tests: payer `[1; 32]`, provider `[2; 32]`, patient `[3; 32]`, plan 1, Approved, everything
    /// else empty; a test sets what it needs with struct update syntax.
    pub fn sample() -> Self {
        Claim {
            provider: AccountId::from([2; 32]),
            patient: AccountId::from([3; 32]),
            plan: 1,
            payer: AccountId::from([1; 32]),
            date_of_service: 0,
            submitted_at: 0,
            detail: [0; 32],
            lines: Vec::new(),
            evidence: Vec::new(),
            outcome: Outcome::Approved,
            reason: None,
            benefit: 0,
            paid: 0,
            decided_at: 0,
            appeal: None,
            replaces: None,
            correction: None,
            payable_at: 0,
            paid_at: None,
            disputed: false,
            reversed: false,
            previous_of_provider: None,
            previous_of_patient: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn line(charge: Balance) -> ClaimLine {
        ClaimLine { service_code: 100, units: 2, charge }
    }

    fn auth(status: AuthStatus) -> PriorAuth {
        let requested = PriorAuth::request(account(1), account(2), 1, 200, 2, None, 5).unwrap();
        PriorAuth { status, valid_until: Some(100), ..requested }
    }

    #[test]
    fn only_the_payer_manages_a_plan() {
        let terms = PlanTerms {
            deductible: 0,
            coinsurance_bps: 0,
            copay: 0,
            out_of_pocket_max: 0,
            timely_filing_ms: 0,
            appeal_window_ms: 0,
            benefit_year_start: crate::adjudication::YearStart::JANUARY_1,
            settlement_delay_ms: 0,
            reversal_window_ms: 0,
        };
        let plan = Plan { payer: account(1), terms, created_at: 0 };
        assert_eq!(plan.ensure_payer(account(1)), Ok(account(1)));
        assert_eq!(plan.ensure_payer(account(2)), Err(Error::NotPlanPayer));
    }

    #[test]
    fn a_provider_is_admitted_once_and_removed_once() {
        assert_eq!(network_change(false, true), Ok(()));
        assert_eq!(network_change(true, true), Err(Error::AlreadyInNetwork));
        assert_eq!(network_change(true, false), Ok(()));
        assert_eq!(network_change(false, false), Err(Error::NotInNetwork));
    }

    #[test]
    fn only_a_covered_benefit_needs_a_prior_authorization() {
        let benefit = Benefit { covered: true, allowed_per_unit: 1, unit_limit: 0, prior_auth: true };
        assert!(benefit.needs_prior_auth());
        assert!(!Benefit { covered: false, ..benefit }.needs_prior_auth());
        assert!(!Benefit { prior_auth: false, ..benefit }.needs_prior_auth());
    }

    #[test]
    fn enrolment_periods_are_half_open_and_do_not_overlap() {
        assert_eq!(Enrolment::new(10, None, None), Ok(Enrolment { from: 10, until: None }));
        assert_eq!(Enrolment::new(10, Some(11), None), Ok(Enrolment { from: 10, until: Some(11) }));
        assert_eq!(Enrolment::new(10, Some(10), None), Err(Error::InvalidPeriod));
        let ended = Enrolment { from: 10, until: Some(20) };
        assert_eq!(Enrolment::new(19, None, Some(ended)), Err(Error::AlreadyEnrolled));
        assert_eq!(Enrolment::new(20, Some(30), Some(ended)), Ok(Enrolment { from: 20, until: Some(30) }));
        let open = Enrolment { from: 10, until: None };
        assert_eq!(Enrolment::new(1_000, None, Some(open)), Err(Error::AlreadyEnrolled));
        // The period is checked first.
        assert_eq!(Enrolment::new(5, Some(5), Some(open)), Err(Error::InvalidPeriod));

        assert_eq!(open.ended(15), Ok(Enrolment { from: 10, until: Some(15) }));
        assert_eq!(ended.ended(15), Ok(Enrolment { from: 10, until: Some(15) }));
        assert_eq!(open.ended(10), Err(Error::InvalidPeriod));
        assert_eq!(ended.ended(20), Err(Error::AlreadyEnded));
        assert_eq!(ended.ended(25), Err(Error::AlreadyEnded));
    }

    #[test]
    fn every_enrolment_period_is_kept_up_to_the_bound() {
        let history = enrolled(Vec::new(), (10, Some(20))).unwrap();
        let history = enrolled(history, (30, None)).unwrap();
        assert_eq!(history, vec![Enrolment { from: 10, until: Some(20) }, Enrolment { from: 30, until: None }]);
        assert_eq!(enrolled(history.clone(), (40, None)), Err(Error::AlreadyEnrolled));
        let history = ended(history, 40).unwrap();
        assert_eq!(history[1], Enrolment { from: 30, until: Some(40) });
        assert_eq!(history[0], Enrolment { from: 10, until: Some(20) }, "the earlier period is kept");
        assert_eq!(ended(Vec::new(), 40), Err(Error::NotEnrolled));
        let mut full = Vec::new();
        for n in 0..u64::from(MAX_ENROLMENTS) {
            full = enrolled(full, (n * 10, Some(n * 10 + 5))).unwrap();
        }
        assert_eq!(enrolled(full.clone(), (1_000, None)), Err(Error::TooManyEnrolments));
        // The period is checked before the bound.
        assert_eq!(enrolled(full, (1_000, Some(1_000))), Err(Error::InvalidPeriod));
    }

    #[test]
    fn a_line_starts_blank_or_denied_with_its_code() {
        let blank = LineAdjudication::blank(&line(300));
        assert_eq!((blank.line, blank.submitted, blank.eligible, blank.benefit), (line(300), 300, 0, 0));
        assert!(blank.adjustments.is_empty() && !blank.denied && !blank.flagged && blank.prior_auth.is_none());
        let not_covered = Adjustment { group: Group::ContractualObligation, code: 96 };
        let denied = LineAdjudication::denied(&line(300), not_covered);
        assert_eq!(denied, LineAdjudication { denied: true, adjustments: vec![not_covered], ..blank });
        assert_eq!(denied.codes(), vec![96]);
    }

    #[test]
    fn the_outcome_follows_the_denied_lines() {
        let not_covered = Adjustment { group: Group::ContractualObligation, code: 96 };
        let (ok, denied) = (LineAdjudication::blank(&line(1)), LineAdjudication::denied(&line(1), not_covered));
        assert_eq!(Outcome::of(&[ok.clone(), ok.clone()]), Outcome::Approved);
        assert_eq!(Outcome::of(&[ok.clone(), denied.clone()]), Outcome::Partial);
        assert_eq!(Outcome::of(&[denied.clone(), denied]), Outcome::Denied);
    }

    #[test]
    fn a_prior_authorization_is_requested_decided_once_and_covers_its_units_until_it_expires() {
        let requested = PriorAuth::request(account(1), account(2), 1, 200, 2, None, 5).unwrap();
        assert_eq!((requested.units, requested.requested_at, requested.is_open()), (2, 5, true));
        assert_eq!(requested.valid_until, None);
        assert_eq!(PriorAuth::request(account(1), account(2), 1, 200, 1, Some(4), 5), Err(Error::PriorAuthOpen(4)));
        assert_eq!(PriorAuth::request(account(1), account(2), 1, 200, 0, Some(4), 5), Err(Error::ZeroUnits));

        let approved = requested.decided(Some(100), 10).unwrap();
        assert_eq!((approved.status, approved.is_open()), (AuthStatus::Approved, true));
        assert_eq!(requested.decided(Some(10), 10), Err(Error::InvalidPeriod), "expired when approved");
        let denied = requested.decided(None, 10).unwrap();
        assert_eq!((denied.status, denied.is_open()), (AuthStatus::Denied, false));
        for decided in [approved, denied, auth(AuthStatus::Used(3)), auth(AuthStatus::Revoked)] {
            assert_eq!(decided.decided(Some(100), 10), Err(Error::PriorAuthAlreadyDecided));
        }
        assert!(!auth(AuthStatus::Used(3)).is_open() && !auth(AuthStatus::Revoked).is_open());

        assert!(approved.covers(1, 99) && approved.covers(2, 0) && !approved.covers(3, 50));
        assert!(!approved.covers(1, 100), "expired on the date of service");
        assert!(approved.valid_on(99) && !approved.valid_on(100));
        assert!(!requested.covers(1, 50) && !denied.covers(1, 50) && !auth(AuthStatus::Used(3)).covers(1, 50));
        assert_eq!(approved.used(7).status, AuthStatus::Used(7));
    }

    #[test]
    fn only_an_open_prior_authorization_is_revoked() {
        let requested = auth(AuthStatus::Requested);
        assert_eq!(requested.revoked().map(|auth| auth.status), Ok(AuthStatus::Revoked));
        let approved = auth(AuthStatus::Approved);
        assert_eq!(approved.revoked().map(|auth| auth.status), Ok(AuthStatus::Revoked));
        for closed in [AuthStatus::Denied, AuthStatus::Revoked, AuthStatus::Used(3)] {
            assert_eq!(auth(closed).revoked(), Err(Error::PriorAuthNotOpen), "{closed:?}");
        }
    }
}
