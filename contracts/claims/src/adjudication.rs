//! Where a claim is adjudicated, all of it, free of storage and environment: the shape of a submission, the
//! evidence it may cite, the claim-level denials, each line's coverage, prior authorization and fraud flags, and
//! the cost-sharing arithmetic of a line.
//!
//! Claim level, in this order: not a member (CARC 31), before coverage (26), after coverage ended (27), between two
//! enrolment periods (200) (the period holding the date of service decides), a provider
//! outside the plan's network (242: never paid automatically), filed after the timely-filing window (29), duplicate of a live claim by the same provider for the same patient, plan, day of
//! service and services ([`duplicate_identity`], 18): every line is denied with that code.
//!
//! Line level: not covered or no benefit (96); prior authorization needed and no approved, unused one of the
//! provider for the patient, plan and service code valid on the date of service (197), or one for fewer units than
//! the line's (198); otherwise the cost sharing of
//! [`adjudicate_line`]. Fraud flags (units above the benefit's unit limit, a charge at or above
//! [`FRAUD_MULTIPLE`] times the allowed amount) pend the claim for payer review: its lines are not adjudicated and
//! the accumulators are not touched.
//!
//! The cost sharing of one line (FHIR ClaimResponse adjudication categories, X12 CARC codes), in this order:
//! 1. `eligible = min(charge, allowed_per_unit * units)`; a charge above it is adjusted away with CARC 45;
//! 2. deductible (CARC 1): up to what remains of the plan's deductible for the member-year;
//! 3. copay (CARC 3): the plan's copay per line, up to what remains after the deductible;
//! 4. coinsurance (CARC 2): `coinsurance_bps` of what remains after deductible and copay.
//!    **Rounding: the patient's coinsurance rounds DOWN to the smallest unit**, i.e.
//!    `floor(remainder * coinsurance_bps / 10_000)`; the payer bears the fraction.
//! 5. The patient's share (deductible + copay + coinsurance) never exceeds what remains of the out-of-pocket
//!    maximum for the member-year: the cap is spent on the deductible first, then the copay, then the
//!    coinsurance; whatever the cap removes the payer pays.
//! 6. `benefit = eligible - patient_share` (what the payer pays the provider).
//!
//! The accumulators after the line: `deductible_met += deductible`, `out_of_pocket += patient_share`.

use crate::{
    errors::{Error, Result},
    types::{AuthId, Benefit, ClaimId, ClaimLine, Enrolment, LineAdjudication, Outcome, PlanId, PriorAuth},
};
use ink::prelude::vec::Vec;
use interfaces::{AccountId, DataClass, RecordId, RecordStatus, RecordSummary, Timestamp};

/// At most this many lines per claim.
pub const MAX_LINES: u32 = 16;
/// At most this many evidence records per claim.
pub const MAX_EVIDENCE: u32 = 8;
/// A charge at or above this multiple of the allowed amount is flagged for review.
pub const FRAUD_MULTIPLE: u128 = 10;

/// The chain's balance in its smallest unit.
pub type Balance = u128;

/// The most a benefit may allow per unit (2^64 - 1). With at most `u32::MAX` units a line's allowed amount stays
/// below 2^96 and a claim's benefit below 2^100, so no claim, review or appeal can bring what a plan owes near
/// `Balance::MAX` (it would take 2^28 claims of the largest size): a plan always stays able to owe, pay and
/// withdraw.
pub const MAX_ALLOWED_PER_UNIT: Balance = (1 << 64) - 1;

/// One day in ms: duplicates are told by the day of service, `date_of_service / DAY_MS` (UTC).
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Basis points of a whole (100 %).
pub const FULL_BPS: u16 = 10_000;

/// X12 claim adjustment reason codes (CARC) used by the contract, each with the group code (CAS01) it is recorded
/// with.
pub mod carc {
    use crate::types::{Adjustment, Group};

    /// Deductible amount (PR).
    pub const DEDUCTIBLE: u16 = 1;
    /// Coinsurance amount (PR).
    pub const COINSURANCE: u16 = 2;
    /// Co-payment amount (PR).
    pub const COPAY: u16 = 3;
    /// Claim/service lacks information or has submission/billing error(s) (CO).
    pub const LACKS_INFORMATION: u16 = 16;
    /// Exact duplicate claim/service (OA).
    pub const DUPLICATE: u16 = 18;
    /// Expenses incurred prior to coverage (PR).
    pub const BEFORE_COVERAGE: u16 = 26;
    /// Expenses incurred after coverage terminated (PR).
    pub const AFTER_COVERAGE: u16 = 27;
    /// The time limit for filing has expired (CO).
    pub const TIMELY_FILING: u16 = 29;
    /// Patient cannot be identified as our insured (CO).
    pub const NOT_A_MEMBER: u16 = 31;
    /// Services denied at the time authorization/pre-certification was requested (CO).
    pub const AUTHORIZATION_DENIED: u16 = 39;
    /// Charge exceeds fee schedule/maximum allowable (CO).
    pub const CONTRACTUAL: u16 = 45;
    /// Not deemed a medical necessity by the payer (CO).
    pub const NOT_MEDICALLY_NECESSARY: u16 = 50;
    /// Non-covered charge(s) (CO).
    pub const NOT_COVERED: u16 = 96;
    /// The benefit for this service is included in the allowance for another service (CO).
    pub const INCLUDED_IN_ANOTHER: u16 = 97;
    /// Benefit maximum for this time period or occurrence has been reached (PR).
    pub const BENEFIT_MAXIMUM: u16 = 119;
    /// The information submitted does not support this many/frequency of services (CO).
    pub const FREQUENCY_NOT_SUPPORTED: u16 = 151;
    /// Precertification/authorization absent (CO).
    pub const PRIOR_AUTH_ABSENT: u16 = 197;
    /// Precertification/authorization exceeded (CO).
    pub const PRIOR_AUTH_EXCEEDED: u16 = 198;
    /// Expenses incurred during lapse in coverage (PR).
    pub const LAPSE_IN_COVERAGE: u16 = 200;
    /// Not covered under the patient's current benefit plan (CO).
    pub const NOT_IN_BENEFIT_PLAN: u16 = 204;
    /// Services not provided by network/primary care providers (CO).
    pub const OUT_OF_NETWORK: u16 = 242;

    /// The denial codes, with their group: the only codes a line may be denied with, by adjudication, review or
    /// appeal. Anything else (cost-sharing codes 1, 2, 3, 45 included) is refused as a denial reason.
    pub const DENIALS: [(u16, Group); 17] = [
        (DUPLICATE, Group::OtherAdjustment),
        (BEFORE_COVERAGE, Group::PatientResponsibility),
        (AFTER_COVERAGE, Group::PatientResponsibility),
        (TIMELY_FILING, Group::ContractualObligation),
        (NOT_A_MEMBER, Group::ContractualObligation),
        (NOT_MEDICALLY_NECESSARY, Group::ContractualObligation),
        (NOT_COVERED, Group::ContractualObligation),
        (INCLUDED_IN_ANOTHER, Group::ContractualObligation),
        (BENEFIT_MAXIMUM, Group::PatientResponsibility),
        (FREQUENCY_NOT_SUPPORTED, Group::ContractualObligation),
        (PRIOR_AUTH_ABSENT, Group::ContractualObligation),
        (PRIOR_AUTH_EXCEEDED, Group::ContractualObligation),
        (LAPSE_IN_COVERAGE, Group::PatientResponsibility),
        (NOT_IN_BENEFIT_PLAN, Group::ContractualObligation),
        (OUT_OF_NETWORK, Group::ContractualObligation),
        (LACKS_INFORMATION, Group::ContractualObligation),
        (AUTHORIZATION_DENIED, Group::ContractualObligation),
    ];

    /// The denial adjustment of `code`, when it is in [`DENIALS`].
    pub fn denial(code: u16) -> Option<Adjustment> {
        DENIALS.iter().find(|(denial, _)| *denial == code).map(|&(code, group)| Adjustment { group, code })
    }

    /// The denial adjustment of a code the contract itself denies with (always in [`DENIALS`]).
    pub(crate) fn denied_with(code: u16) -> Adjustment {
        denial(code).unwrap_or(Adjustment { group: Group::ContractualObligation, code })
    }

    /// The adjustment of a cost-sharing code: 1, 2 and 3 are the patient's (PR), 45 the provider's (CO).
    pub(crate) fn cost_sharing(code: u16) -> Adjustment {
        let group = if code == CONTRACTUAL { Group::ContractualObligation } else { Group::PatientResponsibility };
        Adjustment { group, code }
    }

    /// Codes that deny a line (as opposed to codes that only share its cost).
    pub fn is_denial(code: u16) -> bool {
        denial(code).is_some()
    }
}

/// The cost-sharing terms of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PlanTerms {
    /// Annual deductible per member-year.
    pub deductible: Balance,
    /// The patient's coinsurance in basis points (at most 10 000).
    pub coinsurance_bps: u16,
    /// Copay per claim line.
    pub copay: Balance,
    /// Annual out-of-pocket maximum per member-year.
    pub out_of_pocket_max: Balance,
    /// A claim must be filed within this many ms of its date of service.
    pub timely_filing_ms: u64,
    /// A Denied or Partial claim may be appealed within this many ms of its decision.
    pub appeal_window_ms: u64,
    /// The day the plan's benefit year starts (UTC): the deductible and out-of-pocket accumulators reset on it.
    pub benefit_year_start: YearStart,
    /// An approved claim is paid no earlier than this many ms after its decision (0: at once when the escrow's
    /// free funds allow); meanwhile the payer may void it and the patient dispute it.
    pub settlement_delay_ms: u64,
    /// A paid claim may be reversed by the payer within this many ms of its payment.
    pub reversal_window_ms: u64,
}

impl PlanTerms {
    /// Without a settlement delay, a claim is paid at once when the escrow's free funds allow.
    pub fn pays_at_once(&self) -> bool {
        self.settlement_delay_ms == 0
    }

    /// Terms a plan may be created with: coinsurance at most 100 %, a benefit-year start that is a day of every
    /// year (February 29 is not).
    pub fn check(&self) -> Result<()> {
        if self.coinsurance_bps > FULL_BPS {
            return Err(Error::InvalidCoinsurance);
        }
        let YearStart { month, day } = self.benefit_year_start;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => 28,
            _ => return Err(Error::InvalidYearStart),
        };
        if day == 0 || day > days_in_month {
            return Err(Error::InvalidYearStart);
        }
        Ok(())
    }
}

/// The month (1-12) and day (1-31) a benefit year starts on; `{ month: 1, day: 1 }` is the calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct YearStart {
    pub month: u8,
    pub day: u8,
}

impl YearStart {
    /// January 1: benefit years are calendar years.
    pub const JANUARY_1: YearStart = YearStart { month: 1, day: 1 };
}

/// The civil (proleptic Gregorian) date `(year, month, day)` of `days` days since 1970-01-01 (H. Hinnant's
/// civil_from_days, for days on or after the epoch).
pub fn civil_from_days(days: u64) -> Option<(u64, u8, u8)> {
    let z = days.checked_add(719_468)?;
    let era = z.checked_div(146_097)?;
    let doe = z.checked_sub(era.checked_mul(146_097)?)?;
    let yoe = doe
        .checked_sub(doe.checked_div(1_460)?)?
        .checked_add(doe.checked_div(36_524)?)?
        .checked_sub(doe.checked_div(146_096)?)?
        .checked_div(365)?;
    let year = yoe.checked_add(era.checked_mul(400)?)?;
    let doy =
        doe.checked_sub(yoe.checked_mul(365)?.checked_add(yoe.checked_div(4)?)?.checked_sub(yoe.checked_div(100)?)?)?;
    let mp = doy.checked_mul(5)?.checked_add(2)?.checked_div(153)?;
    let day = doy.checked_sub(mp.checked_mul(153)?.checked_add(2)?.checked_div(5)?)?.checked_add(1)?;
    let month = if mp < 10 { mp.checked_add(3)? } else { mp.checked_sub(9)? };
    let year = if month <= 2 { year.checked_add(1)? } else { year };
    Some((year, u8::try_from(month).ok()?, u8::try_from(day).ok()?))
}

/// The benefit year of a date of service: the calendar year in which the benefit year holding it started (a plan
/// starting its years on July 1 counts 2025-03-10 in benefit year 2024). Accumulators are kept per benefit year.
pub fn benefit_year(date_of_service: Timestamp, start: YearStart) -> u64 {
    let days = date_of_service.checked_div(DAY_MS).unwrap_or(0);
    match civil_from_days(days) {
        Some((year, month, day)) if (month, day) < (start.month, start.day) => year.saturating_sub(1),
        Some((year, ..)) => year,
        None => 0,
    }
}

/// What a member has paid so far in one plan year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Accumulators {
    pub deductible_met: Balance,
    pub out_of_pocket: Balance,
}

/// The patient's coinsurance on `amount`: `floor(amount * bps / 10_000)`, computed without overflow for any amount.
pub fn coinsurance(amount: Balance, bps: u16) -> Result<Balance> {
    let full = Balance::from(FULL_BPS);
    let bps = Balance::from(bps.min(FULL_BPS));
    let whole = amount.checked_div(full).ok_or(Error::Overflow)?;
    let rest = amount.checked_rem(full).ok_or(Error::Overflow)?;
    let from_whole = whole.checked_mul(bps).ok_or(Error::Overflow)?;
    let from_rest = rest.checked_mul(bps).and_then(|x| x.checked_div(full)).ok_or(Error::Overflow)?;
    from_whole.checked_add(from_rest).ok_or(Error::Overflow)
}

/// Adjudicates one covered line against `terms` and the member-year's accumulators `so_far`; returns the line's
/// adjudication and the accumulators after it.
pub fn adjudicate_line(
    terms: &PlanTerms,
    so_far: Accumulators,
    allowed_per_unit: Balance,
    line: &ClaimLine,
) -> Result<(LineAdjudication, Accumulators)> {
    let allowed = allowed_per_unit.checked_mul(Balance::from(line.units)).ok_or(Error::Overflow)?;
    let charge = line.charge;
    let eligible = charge.min(allowed);

    let deductible_left = terms.deductible.saturating_sub(so_far.deductible_met);
    let mut deductible = eligible.min(deductible_left);
    let after_deductible = eligible.checked_sub(deductible).ok_or(Error::Overflow)?;
    let mut copay = terms.copay.min(after_deductible);
    let after_copay = after_deductible.checked_sub(copay).ok_or(Error::Overflow)?;
    let mut coins = coinsurance(after_copay, terms.coinsurance_bps)?;

    // The out-of-pocket cap, spent on the deductible first, then the copay, then the coinsurance.
    let mut room = terms.out_of_pocket_max.saturating_sub(so_far.out_of_pocket);
    deductible = deductible.min(room);
    room = room.checked_sub(deductible).ok_or(Error::Overflow)?;
    copay = copay.min(room);
    room = room.checked_sub(copay).ok_or(Error::Overflow)?;
    coins = coins.min(room);

    let patient_share = deductible.checked_add(copay).and_then(|x| x.checked_add(coins)).ok_or(Error::Overflow)?;
    let benefit = eligible.checked_sub(patient_share).ok_or(Error::Overflow)?;

    let mut adjustments = Vec::new();
    for (amount, code) in [
        (charge.checked_sub(eligible).ok_or(Error::Overflow)?, carc::CONTRACTUAL),
        (deductible, carc::DEDUCTIBLE),
        (copay, carc::COPAY),
        (coins, carc::COINSURANCE),
    ] {
        if amount > 0 {
            adjustments.push(carc::cost_sharing(code));
        }
    }
    let after = Accumulators {
        deductible_met: so_far.deductible_met.checked_add(deductible).ok_or(Error::Overflow)?,
        out_of_pocket: so_far.out_of_pocket.checked_add(patient_share).ok_or(Error::Overflow)?,
    };
    let adjudicated = LineAdjudication {
        eligible,
        deductible,
        copay,
        coinsurance: coins,
        patient_share,
        benefit,
        adjustments,
        ..LineAdjudication::blank(line)
    };
    Ok((adjudicated, after))
}

/// True when a length is above a bound.
fn exceeds(len: usize, max: u32) -> bool {
    u32::try_from(len).map_or(true, |len| len > max)
}

/// The shape of a submission, checked before any evidence record is asked about: 1 to [`MAX_LINES`] lines, at
/// most [`MAX_EVIDENCE`] records, no line of zero units or of a zero charge, a date of service not after `now`.
pub fn check_submission(
    lines: &[ClaimLine],
    evidence: &[RecordId],
    date_of_service: Timestamp,
    now: Timestamp,
) -> Result<()> {
    if lines.is_empty() {
        return Err(Error::NoLines);
    }
    if exceeds(lines.len(), MAX_LINES) {
        return Err(Error::TooManyLines);
    }
    if exceeds(evidence.len(), MAX_EVIDENCE) {
        return Err(Error::TooManyEvidence);
    }
    if lines.iter().any(|line| line.units == 0) {
        return Err(Error::ZeroUnits);
    }
    if lines.iter().any(|line| line.charge == 0) {
        return Err(Error::ZeroCharge);
    }
    if date_of_service > now {
        return Err(Error::DateOfServiceInFuture);
    }
    Ok(())
}

/// What makes two claims duplicates (its hash is the key of the duplicate index): the same provider, patient, plan
/// and day of service, and the same lines by service code and units whatever their order and charges. Only a claim
/// not denied at claim level is indexed, and a replaced or voided one leaves the index.
pub fn duplicate_identity(
    provider: AccountId,
    patient: AccountId,
    plan: PlanId,
    date_of_service: Timestamp,
    lines: impl Iterator<Item = ClaimLine>,
) -> (AccountId, AccountId, PlanId, u64, Vec<(u32, u32)>) {
    let mut services: Vec<(u32, u32)> = lines.map(|line| (line.service_code, line.units)).collect();
    services.sort_unstable();
    (provider, patient, plan, date_of_service.checked_div(DAY_MS).unwrap_or(0), services)
}

/// The data class of evidence record `id` as the records contract summarised it, if the record exists, is
/// `patient`'s and is Current: the payer must then be allowed to read that class for Payment.
pub fn evidence_class(id: RecordId, patient: AccountId, summary: Option<RecordSummary>) -> Result<DataClass> {
    let summary = summary.ok_or(Error::EvidenceNotFound(id))?;
    if summary.patient != patient {
        return Err(Error::EvidenceOfAnotherPatient(id));
    }
    if summary.status != RecordStatus::Current {
        return Err(Error::EvidenceNotCurrent(id));
    }
    Ok(summary.class)
}

/// What the plan holds for one submitted line: the benefit of its service code and, when that benefit needs one,
/// the open prior authorization for the patient, plan and service code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub benefit: Option<Benefit>,
    pub auth: Option<(AuthId, PriorAuth)>,
}

/// A submission and what was loaded to adjudicate it.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    /// The id the claim gets (the prior authorizations it consumes are marked used by it).
    pub claim: ClaimId,
    pub terms: &'a PlanTerms,
    /// The patient's enrolment periods in the plan, oldest first.
    pub enrolments: &'a [Enrolment],
    pub date_of_service: Timestamp,
    pub now: Timestamp,
    /// The provider is in the plan's network.
    pub in_network: bool,
    /// The same provider already claimed for the same patient, plan, day and services ([`duplicate_identity`]).
    pub duplicate: bool,
    /// What the patient paid so far in the plan year of the date of service.
    pub accumulators: Accumulators,
    pub lines: &'a [ClaimLine],
}

/// The adjudication of a submission: what to store, pay and write, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjudication {
    pub lines: Vec<LineAdjudication>,
    pub outcome: Outcome,
    /// The claim-level CARC code that denied every line, if any.
    pub reason: Option<u16>,
    /// The benefit the payer owes the provider: the sum of the lines' benefits.
    pub benefit: Balance,
    /// The member-year's accumulators after the claim; None when they are untouched (denied at claim level, or
    /// Pended).
    pub accumulators: Option<Accumulators>,
    /// The prior authorizations the claim consumes (by lines approved for payment), marked used by it.
    pub used_auths: Vec<(AuthId, PriorAuth)>,
}

/// Whether the enrolment period holding `date` exists, and if not why: never enrolled (31), before the first
/// period (26), after the latest one ended (27), between two periods (200).
pub fn eligibility(enrolments: &[Enrolment], date: Timestamp) -> Option<u16> {
    let holds = |enrolment: &Enrolment| enrolment.from <= date && enrolment.until.is_none_or(|until| date < until);
    if enrolments.iter().any(holds) {
        return None;
    }
    match (enrolments.first(), enrolments.last()) {
        (Some(first), _) if date < first.from => Some(carc::BEFORE_COVERAGE),
        (_, Some(latest)) if latest.until.is_some_and(|until| date >= until) => Some(carc::AFTER_COVERAGE),
        (Some(_), _) => Some(carc::LAPSE_IN_COVERAGE),
        (None, _) => Some(carc::NOT_A_MEMBER),
    }
}

/// The claim-level denial code of a submission, if any: no enrolment period holding the date of service (31, 26,
/// 27, 200: [`eligibility`]), provider out of the plan's network (242), filed after the timely-filing window (29),
/// duplicate (18), in this order.
fn claim_denial(submission: &Submission) -> Option<u16> {
    let date = submission.date_of_service;
    eligibility(submission.enrolments, date)
        .or_else(|| (!submission.in_network).then_some(carc::OUT_OF_NETWORK))
        .or_else(|| {
            (submission.now.saturating_sub(date) > submission.terms.timely_filing_ms).then_some(carc::TIMELY_FILING)
        })
        .or_else(|| submission.duplicate.then_some(carc::DUPLICATE))
}

/// Adjudicates a submission: claim-level denials, then line by line (coverage, prior authorization, fraud flags,
/// cost sharing). `coverage` loads what the plan holds for a line; it is asked only for claims not denied at claim
/// level. Refused only when an amount does not fit.
pub fn adjudicate(submission: &Submission, coverage: impl Fn(&ClaimLine) -> Coverage) -> Result<Adjudication> {
    if let Some(code) = claim_denial(submission) {
        return Ok(Adjudication {
            lines: submission
                .lines
                .iter()
                .map(|line| LineAdjudication::denied(line, carc::denied_with(code)))
                .collect(),
            outcome: Outcome::Denied,
            reason: Some(code),
            benefit: 0,
            accumulators: None,
            used_auths: Vec::new(),
        });
    }

    let mut accumulators = submission.accumulators;
    let mut used_auths: Vec<(AuthId, PriorAuth)> = Vec::new();
    let mut lines = Vec::new();
    let mut pended = false;
    for line in submission.lines {
        let coverage = coverage(line);
        let benefit = match coverage.benefit {
            Some(benefit) if benefit.covered => benefit,
            _ => {
                lines.push(LineAdjudication::denied(line, carc::denied_with(carc::NOT_COVERED)));
                continue;
            }
        };
        let mut prior_auth = None;
        if benefit.prior_auth {
            let unused = |(id, _): &(AuthId, PriorAuth)| !used_auths.iter().any(|(used, _)| used == id);
            let valid = coverage.auth.filter(|(_, auth)| auth.valid_on(submission.date_of_service)).filter(unused);
            match valid {
                Some((id, auth)) if auth.covers(line.units, submission.date_of_service) => {
                    used_auths.push((id, auth.used(submission.claim)));
                    prior_auth = Some(id);
                }
                Some(_) => {
                    lines.push(LineAdjudication::denied(line, carc::denied_with(carc::PRIOR_AUTH_EXCEEDED)));
                    continue;
                }
                None => {
                    lines.push(LineAdjudication::denied(line, carc::denied_with(carc::PRIOR_AUTH_ABSENT)));
                    continue;
                }
            }
        }
        let allowed = benefit.allowed_per_unit.checked_mul(Balance::from(line.units)).ok_or(Error::Overflow)?;
        let ceiling = allowed.saturating_mul(FRAUD_MULTIPLE);
        let flagged = (benefit.unit_limit > 0 && line.units > benefit.unit_limit) || line.charge >= ceiling;
        let mut adjudicated = if flagged {
            pended = true;
            LineAdjudication { flagged: true, ..LineAdjudication::blank(line) }
        } else {
            let (adjudicated, after) = adjudicate_line(submission.terms, accumulators, benefit.allowed_per_unit, line)?;
            accumulators = after;
            adjudicated
        };
        adjudicated.prior_auth = prior_auth;
        lines.push(adjudicated);
    }
    if pended {
        // Nothing is decided until the payer reviews: no amounts, no accumulators, no authorization consumed (one
        // is consumed only by a line approved for payment at submission).
        for line in lines.iter_mut().filter(|line| !line.denied) {
            let blank = LineAdjudication::blank(&line.line);
            *line = LineAdjudication { flagged: line.flagged, ..blank };
        }
        return Ok(Adjudication {
            lines,
            outcome: Outcome::Pended,
            reason: None,
            benefit: 0,
            accumulators: None,
            used_auths: Vec::new(),
        });
    }
    let benefit =
        lines.iter().try_fold(0, |sum: Balance, line| sum.checked_add(line.benefit)).ok_or(Error::Overflow)?;
    let outcome = Outcome::of(&lines);
    Ok(Adjudication { lines, outcome, reason: None, benefit, accumulators: Some(accumulators), used_auths })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::types::AuthStatus;

    /// Deductible 500, coinsurance 20 %, copay 25, out-of-pocket max 1 000; 30 days to file and to appeal. Shared
    /// with the contract's tests (`crate::tests`).
    pub(crate) const TERMS: PlanTerms = PlanTerms {
        deductible: 500,
        coinsurance_bps: 2_000,
        copay: 25,
        out_of_pocket_max: 1_000,
        timely_filing_ms: 30 * DAY,
        appeal_window_ms: 30 * DAY,
        benefit_year_start: YearStart::JANUARY_1,
        settlement_delay_ms: 0,
        reversal_window_ms: 30 * DAY,
    };

    fn none() -> Accumulators {
        Accumulators::default()
    }

    /// A line of `units` of service code 100, charged `charge`.
    fn charged(units: u32, charge: Balance) -> ClaimLine {
        ClaimLine { service_code: 100, units, charge }
    }

    #[test]
    fn coinsurance_rounds_down_for_the_patient() {
        assert_eq!(coinsurance(1_000, 2_000), Ok(200));
        // 999 * 20 % = 199.8 -> 199
        assert_eq!(coinsurance(999, 2_000), Ok(199));
        // 1 * 33.33 % = 0.3333 -> 0
        assert_eq!(coinsurance(1, 3_333), Ok(0));
        // 29 * 33.33 % = 9.6657 -> 9
        assert_eq!(coinsurance(29, 3_333), Ok(9));
        assert_eq!(coinsurance(12_345, 10_000), Ok(12_345));
        assert_eq!(coinsurance(12_345, 0), Ok(0));
        // No overflow whatever the amount: floor((2^128 - 1) * 50 %).
        assert_eq!(coinsurance(Balance::MAX, 5_000), Ok(Balance::MAX / 2));
    }

    #[test]
    fn charge_above_allowed_is_cut_to_allowed_with_45() {
        let t = PlanTerms { deductible: 0, copay: 0, coinsurance_bps: 0, ..TERMS };
        let (line, _) = adjudicate_line(&t, none(), 100, &charged(3, 450)).unwrap();
        assert_eq!((line.submitted, line.eligible, line.benefit, line.patient_share), (450, 300, 300, 0));
        assert_eq!(line.codes(), [carc::CONTRACTUAL]);
        let (line, _) = adjudicate_line(&t, none(), 100, &charged(3, 250)).unwrap();
        assert_eq!((line.eligible, line.benefit), (250, 250));
        assert!(line.codes().is_empty());
    }

    #[test]
    fn deductible_then_copay_then_coinsurance() {
        // eligible 1000: deductible 500, copay 25, coinsurance 20 % of 475 = 95, benefit 380.
        let (line, after) = adjudicate_line(&TERMS, none(), 1_000, &charged(1, 1_000)).unwrap();
        assert_eq!((line.deductible, line.copay, line.coinsurance), (500, 25, 95));
        assert_eq!((line.patient_share, line.benefit), (620, 380));
        assert_eq!(line.codes(), [carc::DEDUCTIBLE, carc::COPAY, carc::COINSURANCE]);
        assert_eq!(after, Accumulators { deductible_met: 500, out_of_pocket: 620 });
    }

    #[test]
    fn deductible_partly_met() {
        // 420 already met: 80 left. eligible 300 -> deductible 80, copay 25, 20 % of 195 = 39, benefit 156.
        let so_far = Accumulators { deductible_met: 420, out_of_pocket: 420 };
        let (line, after) = adjudicate_line(&TERMS, so_far, 300, &charged(1, 300)).unwrap();
        assert_eq!((line.deductible, line.copay, line.coinsurance, line.benefit), (80, 25, 39, 156));
        assert_eq!(after, Accumulators { deductible_met: 500, out_of_pocket: 564 });
        // Deductible fully met: none taken.
        let (line, _) = adjudicate_line(&TERMS, after, 300, &charged(1, 300)).unwrap();
        assert_eq!((line.deductible, line.copay, line.coinsurance, line.benefit), (0, 25, 55, 220));
        assert_eq!(line.codes(), [carc::COPAY, carc::COINSURANCE]);
    }

    #[test]
    fn a_small_line_is_all_deductible() {
        let (line, after) = adjudicate_line(&TERMS, none(), 60, &charged(2, 100)).unwrap();
        assert_eq!((line.eligible, line.deductible, line.copay, line.coinsurance, line.benefit), (100, 100, 0, 0, 0));
        assert_eq!(line.codes(), [carc::DEDUCTIBLE]);
        assert_eq!(after.deductible_met, 100);
    }

    #[test]
    fn out_of_pocket_cap_reached_mid_line() {
        // 950 paid so far, 50 of room: deductible met; copay 25 fits, coinsurance 20 % of 975 = 195 cut to 25.
        let so_far = Accumulators { deductible_met: 500, out_of_pocket: 950 };
        let (line, after) = adjudicate_line(&TERMS, so_far, 1_000, &charged(1, 1_000)).unwrap();
        assert_eq!((line.deductible, line.copay, line.coinsurance, line.patient_share), (0, 25, 25, 50));
        assert_eq!(line.benefit, 950);
        assert_eq!(after.out_of_pocket, 1_000);
        // Cap reached: the payer pays everything eligible.
        let (line, after2) = adjudicate_line(&TERMS, after, 1_000, &charged(1, 1_200)).unwrap();
        assert_eq!((line.patient_share, line.benefit), (0, 1_000));
        assert_eq!(line.codes(), [carc::CONTRACTUAL]);
        assert_eq!(after2, after);
        // The cap is spent on the deductible first.
        let t = PlanTerms { out_of_pocket_max: 300, ..TERMS };
        let (line, after) = adjudicate_line(&t, none(), 1_000, &charged(1, 1_000)).unwrap();
        assert_eq!((line.deductible, line.copay, line.coinsurance, line.benefit), (300, 0, 0, 700));
        assert_eq!(line.codes(), [carc::DEDUCTIBLE]);
        assert_eq!(after, Accumulators { deductible_met: 300, out_of_pocket: 300 });
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        assert_eq!(adjudicate_line(&TERMS, none(), Balance::MAX, &charged(2, 1)), Err(Error::Overflow));
    }

    #[test]
    fn civil_dates_are_real_calendar_dates() {
        assert_eq!(civil_from_days(0), Some((1970, 1, 1)));
        assert_eq!(civil_from_days(59), Some((1970, 3, 1)));
        // 2000 is a leap year (divisible by 400), 1900 and 2100 are not.
        assert_eq!(civil_from_days(11_016), Some((2000, 2, 29)));
        assert_eq!(civil_from_days(11_017), Some((2000, 3, 1)));
        assert_eq!(civil_from_days(19_782), Some((2024, 2, 29)));
        assert_eq!(civil_from_days(20_075), Some((2024, 12, 18)));
        assert_eq!(civil_from_days(20_089), Some((2025, 1, 1)));
        assert_eq!(civil_from_days(47_540), Some((2100, 2, 28)));
        assert_eq!(civil_from_days(47_541), Some((2100, 3, 1)));
    }

    #[test]
    fn benefit_years_follow_the_calendar_not_365_day_blocks() {
        let day = |days: u64| days * DAY;
        // The regression: 2024-12-18 began "year 55" of 365-day blocks. It is in benefit year 2024.
        assert_eq!(benefit_year(day(20_075), YearStart::JANUARY_1), 2024);
        assert_eq!(benefit_year(day(20_089) - 1, YearStart::JANUARY_1), 2024);
        assert_eq!(benefit_year(day(20_089), YearStart::JANUARY_1), 2025);
        // A year starting July 1: 2025-06-30 is still 2024's, 2025-07-01 starts 2025's.
        let july = YearStart { month: 7, day: 1 };
        assert_eq!(benefit_year(day(20_269), july), 2024);
        assert_eq!(benefit_year(day(20_270), july), 2025);
        assert_eq!(civil_from_days(20_270), Some((2025, 7, 1)));
        // Before the first start after the epoch: 1969's year.
        assert_eq!(benefit_year(0, july), 1969);
        assert!(benefit_year(u64::MAX, YearStart::JANUARY_1) > 2025);
    }

    #[test]
    fn a_benefit_year_starts_on_a_day_of_every_year() {
        for (month, day) in [(1, 1), (2, 28), (4, 30), (12, 31), (7, 1)] {
            let terms = PlanTerms { benefit_year_start: YearStart { month, day }, ..TERMS };
            assert_eq!(terms.check(), Ok(()), "{month}/{day}");
        }
        for (month, day) in [(0, 1), (13, 1), (1, 0), (2, 29), (4, 31), (1, 32), (u8::MAX, u8::MAX)] {
            let terms = PlanTerms { benefit_year_start: YearStart { month, day }, ..TERMS };
            assert_eq!(terms.check(), Err(Error::InvalidYearStart), "{month}/{day}");
        }
    }

    #[test]
    fn the_enrolment_period_holding_the_date_of_service_decides() {
        let history = [Enrolment { from: 10, until: Some(20) }, Enrolment { from: 30, until: Some(40) }];
        assert_eq!(eligibility(&[], 15), Some(carc::NOT_A_MEMBER));
        assert_eq!(eligibility(&history, 9), Some(carc::BEFORE_COVERAGE));
        assert_eq!(eligibility(&history, 10), None);
        assert_eq!(eligibility(&history, 19), None, "the earlier period still covers its dates");
        assert_eq!(eligibility(&history, 20), Some(carc::LAPSE_IN_COVERAGE));
        assert_eq!(eligibility(&history, 30), None);
        assert_eq!(eligibility(&history, 40), Some(carc::AFTER_COVERAGE));
        let open = [history[0], Enrolment { from: 30, until: None }];
        assert_eq!(eligibility(&open, 1_000), None);
    }

    #[test]
    fn denial_codes_are_told_apart_from_cost_sharing() {
        for code in [carc::DEDUCTIBLE, carc::COINSURANCE, carc::COPAY, carc::CONTRACTUAL] {
            assert!(!carc::is_denial(code));
            assert_eq!(carc::denial(code), None);
        }
        // Only the documented list denies: 15 (authorization number invalid) and unknown codes do not.
        for code in [0, 15, 100, 241, 999, u16::MAX] {
            assert!(!carc::is_denial(code), "{code}");
        }
        for code in [16, 18, 26, 27, 29, 31, 39, 50, 96, 97, 119, 151, 197, 198, 204, 242] {
            assert!(carc::is_denial(code), "{code}");
        }
    }

    #[test]
    fn every_adjustment_carries_its_group_code() {
        use crate::types::{Adjustment, Group::*};
        assert_eq!(carc::denial(18), Some(Adjustment { group: OtherAdjustment, code: 18 }));
        for code in [26, 27, 119] {
            assert_eq!(carc::denial(code).map(|adjustment| adjustment.group), Some(PatientResponsibility), "{code}");
        }
        for code in [16, 29, 31, 39, 50, 96, 97, 151, 197, 198, 204, 242] {
            assert_eq!(carc::denial(code).map(|adjustment| adjustment.group), Some(ContractualObligation), "{code}");
        }
        assert_eq!(carc::cost_sharing(45).group, ContractualObligation);
        for code in [1, 2, 3] {
            assert_eq!(carc::cost_sharing(code).group, PatientResponsibility);
        }
        // A line's cost sharing: 45 (CO), then 1, 3, 2 (PR).
        let (line, _) = adjudicate_line(&TERMS, none(), 100, &charged(1, 1_000)).unwrap();
        let adjustments: Vec<_> =
            line.adjustments.iter().map(|adjustment| (adjustment.group, adjustment.code)).collect();
        assert_eq!(adjustments, [(ContractualObligation, 45), (PatientResponsibility, 1)]);
        let (line, _) =
            adjudicate_line(&TERMS, Accumulators { deductible_met: 500, out_of_pocket: 500 }, 100, &charged(1, 100))
                .unwrap();
        let adjustments: Vec<_> =
            line.adjustments.iter().map(|adjustment| (adjustment.group, adjustment.code)).collect();
        assert_eq!(adjustments, [(PatientResponsibility, 3), (PatientResponsibility, 2)]);
    }

    #[test]
    fn duplicates_are_told_by_day_and_services_whatever_the_order_and_charges() {
        let (provider, patient) = (account(1), account(2));
        let identity =
            |plan, date, lines: &[ClaimLine]| duplicate_identity(provider, patient, plan, date, lines.iter().copied());
        let lines = [line(100, 2, 400), line(200, 1, 1_000)];
        let base = identity(1, 190 * DAY, &lines);
        // Lines in another order, other charges, another time of the same day: the same claim.
        assert_eq!(identity(1, 190 * DAY + 1, &[line(200, 1, 999), line(100, 2, 1)]), base);
        assert_eq!(identity(1, 191 * DAY - 1, &lines), base);
        // Another day, plan, service or unit count: another claim.
        assert_ne!(identity(1, 191 * DAY, &lines), base);
        assert_ne!(identity(2, 190 * DAY, &lines), base);
        assert_ne!(identity(1, 190 * DAY, &[line(100, 3, 400), line(200, 1, 1_000)]), base);
        assert_ne!(identity(1, 190 * DAY, &lines[..1]), base);
        assert_ne!(duplicate_identity(account(9), patient, 1, 190 * DAY, lines.iter().copied()), base);
        assert_ne!(duplicate_identity(provider, account(9), 1, 190 * DAY, lines.iter().copied()), base);
    }

    // ---- a whole submission ----

    const DAY: u64 = 86_400_000;
    const CLAIM: ClaimId = 7;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn line(service_code: u32, units: u32, charge: Balance) -> ClaimLine {
        ClaimLine { service_code, units, charge }
    }

    const ENROLLED: [Enrolment; 1] = [Enrolment { from: 100 * DAY, until: None }];

    /// Enrolled from day 100, filed on day 200 for day 190 (timely filing 30 days), nothing paid this year.
    fn submission(lines: &[ClaimLine]) -> Submission<'_> {
        Submission {
            claim: CLAIM,
            terms: &TERMS,
            enrolments: &ENROLLED,
            date_of_service: 190 * DAY,
            now: 200 * DAY,
            in_network: true,
            duplicate: false,
            accumulators: Accumulators::default(),
            lines,
        }
    }

    fn covered(allowed_per_unit: Balance, unit_limit: u32, prior_auth: bool) -> Option<Benefit> {
        Some(Benefit { covered: true, allowed_per_unit, unit_limit, prior_auth })
    }

    fn auth(units: u32, status: AuthStatus) -> PriorAuth {
        PriorAuth {
            provider: account(1),
            patient: account(2),
            plan: 1,
            service_code: 200,
            units,
            status,
            requested_at: DAY,
            valid_until: Some(191 * DAY),
        }
    }

    /// Code 100 covered at 200 a unit (limit 4), code 200 at 1000 a unit with prior authorization `auth` (id 3),
    /// code 300 not covered, any other code without a benefit.
    fn plan(auth: Option<PriorAuth>) -> impl Fn(&ClaimLine) -> Coverage {
        move |line| match line.service_code {
            100 => Coverage { benefit: covered(200, 4, false), auth: None },
            200 => Coverage { benefit: covered(1_000, 0, true), auth: auth.map(|auth| (3, auth)) },
            300 => {
                Coverage { benefit: Some(Benefit { covered: false, ..covered(100, 0, false).unwrap() }), auth: None }
            }
            _ => Coverage { benefit: None, auth: None },
        }
    }

    fn codes(adjudication: &Adjudication) -> Vec<Vec<u16>> {
        adjudication.lines.iter().map(|line| line.codes()).collect()
    }

    #[test]
    fn plan_terms_allow_at_most_full_coinsurance() {
        assert_eq!(PlanTerms { coinsurance_bps: 10_000, ..TERMS }.check(), Ok(()));
        assert_eq!(PlanTerms { coinsurance_bps: 10_001, ..TERMS }.check(), Err(Error::InvalidCoinsurance));
    }

    #[test]
    fn a_submission_is_bounded_before_any_record_is_asked_about() {
        let ok = [line(100, 1, 200)];
        let (date, now) = (10 * DAY, 20 * DAY);
        assert_eq!(check_submission(&ok, &[], date, now), Ok(()));
        assert_eq!(check_submission(&[line(100, 1, 1); 16], &[1; 8], now, now), Ok(()));
        assert_eq!(check_submission(&[], &[], date, now), Err(Error::NoLines));
        assert_eq!(check_submission(&[line(100, 1, 1); 17], &[], date, now), Err(Error::TooManyLines));
        assert_eq!(check_submission(&ok, &[1; 9], date, now), Err(Error::TooManyEvidence));
        assert_eq!(check_submission(&[ok[0], line(100, 0, 1)], &[], date, now), Err(Error::ZeroUnits));
        assert_eq!(check_submission(&ok, &[], now + 1, now), Err(Error::DateOfServiceInFuture));
        // In this order.
        assert_eq!(check_submission(&[line(100, 0, 1); 17], &[1; 9], now + 1, now), Err(Error::TooManyLines));
        assert_eq!(check_submission(&[line(100, 0, 1)], &[1; 9], now + 1, now), Err(Error::TooManyEvidence));
    }

    #[test]
    fn evidence_must_exist_be_the_patients_and_be_current() {
        let patient = account(2);
        let summary = |patient, status| RecordSummary {
            patient,
            author: account(9),
            class: DataClass::Labs,
            status,
            content_hash: [1; 32],
            created_at: DAY,
        };
        assert_eq!(evidence_class(4, patient, Some(summary(patient, RecordStatus::Current))), Ok(DataClass::Labs));
        assert_eq!(evidence_class(4, patient, None), Err(Error::EvidenceNotFound(4)));
        let other = Some(summary(account(3), RecordStatus::Current));
        assert_eq!(evidence_class(5, patient, other), Err(Error::EvidenceOfAnotherPatient(5)));
        let superseded = Some(summary(patient, RecordStatus::Superseded));
        assert_eq!(evidence_class(6, patient, superseded), Err(Error::EvidenceNotCurrent(6)));
    }

    #[test]
    fn claim_level_denials_come_in_order() {
        let lines = [line(100, 1, 200)];
        let base = submission(&lines);
        assert_eq!(claim_denial(&base), None);
        let cases = [
            (Submission { enrolments: &[], duplicate: true, ..base }, Some(carc::NOT_A_MEMBER)),
            (Submission { date_of_service: 99 * DAY, duplicate: true, ..base }, Some(carc::BEFORE_COVERAGE)),
            (Submission { date_of_service: 100 * DAY, now: 110 * DAY, ..base }, None),
            (
                Submission { enrolments: &[Enrolment { from: 100 * DAY, until: Some(190 * DAY) }], ..base },
                Some(carc::AFTER_COVERAGE),
            ),
            (Submission { enrolments: &[Enrolment { from: 100 * DAY, until: Some(190 * DAY + 1) }], ..base }, None),
            (Submission { in_network: false, now: 300 * DAY, ..base }, Some(carc::OUT_OF_NETWORK)),
            (Submission { enrolments: &[], in_network: false, ..base }, Some(carc::NOT_A_MEMBER)),
            (Submission { now: 220 * DAY + 1, duplicate: true, ..base }, Some(carc::TIMELY_FILING)),
            (Submission { now: 220 * DAY, ..base }, None),
            (Submission { duplicate: true, ..base }, Some(carc::DUPLICATE)),
        ];
        for (case, expected) in cases {
            assert_eq!(claim_denial(&case), expected, "{case:?}");
        }
    }

    #[test]
    fn a_claim_denied_at_claim_level_loads_no_coverage() {
        let lines = [line(100, 1, 200), line(300, 1, 50)];
        let late = Submission { now: 300 * DAY, ..submission(&lines) };
        let adjudication = adjudicate(&late, |_| panic!("coverage loaded for a claim denied at claim level")).unwrap();
        assert_eq!((adjudication.outcome, adjudication.reason), (Outcome::Denied, Some(carc::TIMELY_FILING)));
        assert_eq!(codes(&adjudication), vec![vec![29], vec![29]]);
        assert!(adjudication.lines.iter().all(|line| line.denied && line.benefit == 0 && line.submitted > 0));
        assert_eq!((adjudication.benefit, adjudication.accumulators), (0, None));
        assert!(adjudication.used_auths.is_empty());
    }

    #[test]
    fn lines_are_adjudicated_against_the_plan_and_the_accumulators() {
        // Line 0: eligible 800, deductible 500, copay 25, 20 % of 275 = 55 -> benefit 220. Codes 300 (not
        // covered) and 999 (no benefit) are denied with 96.
        let lines = [line(100, 4, 800), line(300, 1, 100), line(999, 1, 50)];
        let adjudication = adjudicate(&submission(&lines), plan(None)).unwrap();
        assert_eq!((adjudication.outcome, adjudication.reason, adjudication.benefit), (Outcome::Partial, None, 220));
        assert_eq!(codes(&adjudication), vec![vec![1, 3, 2], vec![96], vec![96]]);
        assert_eq!(adjudication.accumulators, Some(Accumulators { deductible_met: 500, out_of_pocket: 580 }));
        // Accumulators carry over from line to line and from what was paid before.
        let lines = [line(100, 4, 800), line(100, 4, 800)];
        let paid = Accumulators { deductible_met: 500, out_of_pocket: 900 };
        let adjudication = adjudicate(&Submission { accumulators: paid, ..submission(&lines) }, plan(None)).unwrap();
        let shares: Vec<_> = adjudication.lines.iter().map(|line| (line.patient_share, line.benefit)).collect();
        assert_eq!(shares, vec![(100, 700), (0, 800)]);
        assert_eq!((adjudication.outcome, adjudication.benefit), (Outcome::Approved, 1_500));
        assert_eq!(adjudication.accumulators, Some(Accumulators { deductible_met: 500, out_of_pocket: 1_000 }));
        // Every line denied: Denied, with no claim-level reason.
        let lines = [line(300, 1, 100)];
        let adjudication = adjudicate(&submission(&lines), plan(None)).unwrap();
        assert_eq!((adjudication.outcome, adjudication.reason, adjudication.benefit), (Outcome::Denied, None, 0));
    }

    #[test]
    fn an_approved_prior_authorization_is_consumed_once() {
        // 3 units exceed the 2 approved (198); the 2-unit line consumes it; the next line finds it used (197).
        let lines = [line(200, 3, 3_000), line(200, 2, 2_000), line(200, 1, 1_000)];
        let adjudication = adjudicate(&submission(&lines), plan(Some(auth(2, AuthStatus::Approved)))).unwrap();
        assert_eq!(codes(&adjudication), vec![vec![198], vec![1, 3, 2], vec![197]]);
        assert_eq!(adjudication.lines.iter().map(|line| line.prior_auth).collect::<Vec<_>>(), [None, Some(3), None]);
        assert_eq!(adjudication.used_auths, vec![(3, auth(2, AuthStatus::Used(CLAIM)))]);
        assert_eq!((adjudication.outcome, adjudication.benefit), (Outcome::Partial, 1_180));
        // Requested, denied or used: none counts (197, absent).
        for status in [AuthStatus::Requested, AuthStatus::Denied, AuthStatus::Used(1)] {
            let adjudication = adjudicate(&submission(&lines[1..2]), plan(Some(auth(2, status)))).unwrap();
            assert_eq!((codes(&adjudication), adjudication.used_auths.len()), (vec![vec![197]], 0), "{status:?}");
        }
        let adjudication = adjudicate(&submission(&lines[1..2]), plan(None)).unwrap();
        assert_eq!(codes(&adjudication), vec![vec![197]]);
        // Exceeded is told from absent: an approved one for fewer units than the line's is 198.
        let adjudication = adjudicate(&submission(&lines[..1]), plan(Some(auth(2, AuthStatus::Approved)))).unwrap();
        assert_eq!((codes(&adjudication), adjudication.used_auths.len()), (vec![vec![198]], 0));
    }

    #[test]
    fn an_expired_prior_authorization_is_absent() {
        // Valid for dates of service before day 191: the claim's day 190 is covered, day 191 is not.
        let lines = [line(200, 2, 2_000)];
        let approved = auth(2, AuthStatus::Approved);
        let adjudication = adjudicate(&submission(&lines), plan(Some(approved))).unwrap();
        assert_eq!(codes(&adjudication), vec![vec![1, 3, 2]]);
        let expired = PriorAuth { valid_until: Some(190 * DAY), ..approved };
        let adjudication = adjudicate(&submission(&lines), plan(Some(expired))).unwrap();
        assert_eq!((codes(&adjudication), adjudication.used_auths.len()), (vec![vec![197]], 0));
        // Even for too many units: expired is absent, not exceeded.
        let adjudication = adjudicate(&submission(&[line(200, 3, 3_000)]), plan(Some(expired))).unwrap();
        assert_eq!(codes(&adjudication), vec![vec![197]]);
    }

    #[test]
    fn fraud_flags_pend_the_claim_and_decide_nothing() {
        // 5 units above the limit of 4 pend the claim; the authorized line does not consume its authorization
        // (only a line approved for payment does), code 300 stays denied.
        let lines = [line(100, 5, 1_000), line(200, 1, 1_000), line(300, 1, 50)];
        let adjudication = adjudicate(&submission(&lines), plan(Some(auth(1, AuthStatus::Approved)))).unwrap();
        assert_eq!((adjudication.outcome, adjudication.benefit, adjudication.accumulators), (Outcome::Pended, 0, None));
        assert_eq!(adjudication.lines.iter().map(|line| line.flagged).collect::<Vec<_>>(), [true, false, false]);
        assert_eq!(codes(&adjudication), vec![vec![], vec![], vec![96]]);
        assert_eq!(adjudication.lines[1].prior_auth, None);
        assert!(adjudication
            .lines
            .iter()
            .all(|line| line.eligible == 0 && line.patient_share == 0 && line.benefit == 0));
        assert_eq!(adjudication.used_auths.len(), 0);
        // A charge of 10x the allowed amount is flagged; just below it is not.
        let adjudication = adjudicate(&submission(&[line(100, 1, 2_000)]), plan(None)).unwrap();
        assert_eq!(adjudication.outcome, Outcome::Pended);
        let adjudication = adjudicate(&submission(&[line(100, 1, 1_999)]), plan(None)).unwrap();
        assert_eq!(adjudication.outcome, Outcome::Approved);
    }

    #[test]
    fn amounts_that_do_not_fit_refuse_the_claim() {
        let free = PlanTerms { deductible: 0, copay: 0, coinsurance_bps: 0, ..*submission(&[]).terms };
        let huge = |_: &ClaimLine| Coverage { benefit: covered(Balance::MAX, 0, false), auth: None };
        // The allowed amount of two units does not fit.
        let lines = [line(700, 2, 1)];
        assert_eq!(adjudicate(&Submission { terms: &free, ..submission(&lines) }, huge), Err(Error::Overflow));
        // Each line's benefit fits, their sum does not.
        let lines = [line(700, 1, Balance::MAX - 1); 2];
        assert_eq!(adjudicate(&Submission { terms: &free, ..submission(&lines) }, huge), Err(Error::Overflow));
        let adjudication = adjudicate(&Submission { terms: &free, ..submission(&lines[..1]) }, huge).unwrap();
        assert_eq!(adjudication.benefit, Balance::MAX - 1);
    }
}
