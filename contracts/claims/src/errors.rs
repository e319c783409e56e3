//! Why a claims message is refused: one variant per refusal. A refused message changes nothing.

use crate::types::AuthId;
use interfaces::RecordId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the admin.
    NotAdmin,
    /// No admin transfer is pending for the caller.
    NotProposedAdmin,
    /// The chain refused the new code hash.
    UpgradeFailed,
    /// The participants contract gave no answer.
    ParticipantsUnreachable,
    /// The records contract gave no answer.
    RecordsUnreachable,
    /// The consent contract gave no answer.
    ConsentUnreachable,
    /// The caller is not a credentialed Payer.
    NotPayer,
    /// The caller is not a credentialed Provider.
    NotProvider,
    /// The claim's provider is no longer a credentialed Provider: it is not paid.
    PayeeNotCredentialed,
    /// The caller is not the payer of this plan.
    NotPlanPayer,
    /// No plan with that id.
    PlanNotFound,
    /// Coinsurance above 10 000 basis points.
    InvalidCoinsurance,
    /// A benefit-year start that is no day of a (non-leap) year.
    InvalidYearStart,
    /// The provider is already in the plan's network.
    AlreadyInNetwork,
    /// The provider is not in the plan's network.
    NotInNetwork,
    /// The patient is already enrolled in this plan for a period that overlaps.
    AlreadyEnrolled,
    /// The member already holds MAX_ENROLMENTS periods in this plan.
    TooManyEnrolments,
    /// The patient holds no enrolment in this plan.
    NotEnrolled,
    /// The period ends before it starts (or the end given is not after the start).
    InvalidPeriod,
    /// The enrolment has already ended at or before that time.
    AlreadyEnded,
    /// An amount of zero.
    ZeroAmount,
    /// A claim line with a zero charge.
    ZeroCharge,
    /// A benefit allowing more than MAX_ALLOWED_PER_UNIT per unit.
    AllowedAboveMaximum,
    /// More than the escrow holds beyond what it owes.
    InsufficientFreeFunds,
    /// The chain refused a transfer.
    TransferFailed,
    /// A claim needs at least one line.
    NoLines,
    /// More than MAX_LINES lines.
    TooManyLines,
    /// More than MAX_EVIDENCE evidence records.
    TooManyEvidence,
    /// A line (or prior authorization) with zero units.
    ZeroUnits,
    /// The date of service is after now.
    DateOfServiceInFuture,
    /// The records contract knows no such record.
    EvidenceNotFound(RecordId),
    /// The record is another patient's.
    EvidenceOfAnotherPatient(RecordId),
    /// The record is superseded, entered in error or erased.
    EvidenceNotCurrent(RecordId),
    /// The patient's consent does not let the payer read this record for Payment.
    EvidenceNotDisclosable(RecordId),
    /// No claim with that id.
    ClaimNotFound,
    /// Only a Pended claim is reviewed.
    NotPended,
    /// One decision (or amount) per line is needed.
    DecisionCountMismatch,
    /// An amount above what the line can bear: what the plan's benefit for its service code allows (at most its
    /// charge), less the patient's share.
    AmountAboveAllowed,
    /// A denial needs a denial CARC code of `carc::DENIALS`.
    InvalidReasonCode,
    /// Nothing is owed on this claim (or, for `settle`, on any claim of the plan's queue).
    NothingOwed,
    /// The claim's settlement delay is not over.
    NotYetPayable,
    /// The claim's settlement delay is over: it can no longer be disputed.
    SettlementDelayOver,
    /// Only the claim's patient disputes it.
    NotClaimPatient,
    /// The claim has already been disputed.
    AlreadyDisputed,
    /// The claim has not been paid: it is voided, not reversed.
    NotPaid,
    /// The claim has already been reversed.
    AlreadyReversed,
    /// The plan's reversal window, counted from the claim's payment, has closed.
    ReversalWindowClosed,
    /// The escrow holds less than the claim is owed.
    InsufficientEscrow,
    /// Only the claim's provider may correct it.
    NotClaimProvider,
    /// The claim has already been replaced or voided.
    AlreadyCorrected,
    /// The claim has been paid (in part): its payer reverses it, its provider cannot correct it.
    ClaimAlreadyPaid,
    /// The claim has a pending appeal.
    AppealPending,
    /// The claim was replaced or voided: it is no longer reviewed or appealed.
    ClaimCorrected,
    /// Only the claim's provider or patient may appeal.
    NotClaimParty,
    /// Only a Denied or Partial claim can be appealed.
    NotAppealable,
    /// The appeal window has closed.
    AppealWindowClosed,
    /// The claim has already been appealed.
    AlreadyAppealed,
    /// The claim has no pending appeal.
    NoPendingAppeal,
    /// An overturn may not lower a line's benefit.
    AmountBelowBenefit,
    /// No prior authorization with that id.
    PriorAuthNotFound,
    /// An open (requested or approved, unused) prior authorization of this provider exists for this patient, plan
    /// and code.
    PriorAuthOpen(AuthId),
    /// The prior authorization has already been decided (approved, denied, revoked or used).
    PriorAuthAlreadyDecided,
    /// Only a requested or approved, unused prior authorization is revoked.
    PriorAuthNotOpen,
    /// An amount or counter does not fit.
    Overflow,
}

interfaces::admin_errors!(Error);

pub type Result<T> = core::result::Result<T, Error>;
