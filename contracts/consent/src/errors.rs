//! Why a consent message is refused: one variant per refusal. A refused message changes nothing. (`check`'s own
//! refusals are [`interfaces::Denied`], shared with the contracts that ask it.)

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
    /// The caller is neither the patient nor one of their live representatives or active delegates.
    NotPatientOrDelegate,
    /// A consent must name at least one purpose.
    EmptyPurposes,
    /// A consent must name at least one data class (or the broad flag).
    EmptyClasses,
    /// A consent must name at least one action.
    EmptyActions,
    /// The purpose set has bits that stand for no purpose.
    MalformedPurposeSet,
    /// The class set has bits that stand for no class.
    MalformedClassSet,
    /// The action set has bits that stand for no action.
    MalformedActionSet,
    /// `end` must be after `start`.
    InvalidPeriod,
    /// `end` (or a delegate's expiry) has already passed.
    PeriodEnded,
    /// The grantee (or the emergency provider, or the access requester) is the patient themself.
    SelfGrant,
    /// Consents are not granted to the Issuer role.
    InvalidGrantee,
    /// No consent has that id.
    ConsentNotFound,
    /// The consent is already revoked.
    AlreadyRevoked,
    /// The grantee already holds `MAX_ACTIVE_PER_KEY` live consents from this patient.
    TooManyActiveConsents,
    /// The patient already has `MAX_DELEGATES` active delegates.
    TooManyDelegates,
    /// A patient cannot be their own delegate.
    SelfDelegate,
    /// The account is not an active delegate of the caller.
    DelegateNotFound,
    /// A delegate's grant names a purpose its scope does not.
    PurposeOutsideScope,
    /// A delegate's grant names a class (or the broad flag) its scope does not.
    ClassOutsideScope,
    /// A delegate's grant names an action its scope does not.
    ActionOutsideScope,
    /// A delegate's grant would end after its delegation does (or is open-ended while the delegation ends).
    EndsAfterDelegation,
    /// A delegate cannot grant to itself.
    GrantToDelegate,
    /// A delegate revokes only the consents it granted (not the patient's, nor another delegate's).
    NotOwnGrant,
    /// The caller does not hold an active Provider credential.
    NotProvider,
    /// The provider already has active emergency access to this patient.
    EmergencyActive,
    /// The provider's last emergency for this patient ended less than `EMERGENCY_COOLDOWN` ago.
    EmergencyCoolingDown,
    /// No emergency has that id.
    EmergencyNotFound,
    /// The emergency access already ended (early or by its time box).
    EmergencyEnded,
    /// Only the patient, their representative or delegate, or the declaring provider may end an emergency.
    NotAllowedToEnd,
    /// The emergency duration must be positive.
    InvalidDuration,
    /// The emergency duration may not exceed `MAX_EMERGENCY_DURATION`.
    DurationTooLong,
    /// No emergency review by the caller: only the patient, their representative or a credentialed Regulator
    /// reviews an emergency.
    NotReviewer,
    /// The provider who declared an emergency cannot review it.
    SelfReview,
    /// The emergency was already reviewed (a review is final).
    AlreadyReviewed,
    /// The requester does not hold the purpose's role ([`interfaces::Purpose::accessor_role`]): a consent for it
    /// would not let them in.
    NotCredentialedForPurpose,
    /// The requester already has a pending access request to this patient.
    RequestPending,
    /// The patient already has `MAX_PENDING_REQUESTS` pending access requests.
    TooManyPendingRequests,
    /// No access request has that id.
    RequestNotFound,
    /// The access request was already approved, declined or withdrawn.
    RequestNotPending,
    /// Only the patient (or their representative) approves or declines an access request.
    NotRequestPatient,
    /// Only the requester withdraws an access request.
    NotRequester,
    /// The caller is neither the patient nor one of their live representatives (a delegate adds, removes no
    /// delegate and answers no access request).
    NotPatientOrRepresentative,
    /// A representative acts for no class its representation excludes: a grant or revocation of a consent, a
    /// delegate's scope or an access request that covers one is the patient's alone.
    ClassExcluded,
    /// Only an appointed issuer attests a representation.
    NotIssuer,
    /// A patient cannot be their own representative.
    SelfRepresentation,
    /// The issuer cannot attest itself as the representative.
    IssuerAsRepresentative,
    /// A representation excludes named classes only, not the broad flag.
    BroadExclusion,
    /// The account already has a representation of this patient that is not over (end it first).
    RepresentationExists,
    /// The patient already has `MAX_REPRESENTATIVES` representations that are not over.
    TooManyRepresentatives,
    /// The account has no representation of this patient that is not over.
    RepresentationNotFound,
    /// Only the issuer that attested a representation, or the admin, ends it.
    NotRepresentationIssuer,
    /// The participants contract could not be asked.
    ParticipantsUnreachable,
    /// A timestamp or counter would overflow.
    Overflow,
}

interfaces::admin_errors!(Error);

pub type Result<T> = core::result::Result<T, Error>;
