//! Why a council message is refused: one variant per refusal. A refused message changes nothing.

/// Why a council message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not a council member.
    NotMember,
    /// No open proposal has this id.
    ProposalNotFound,
    /// The caller already approved this proposal.
    AlreadyApproved,
    /// Fewer than `threshold` members approved this proposal.
    NotQueued,
    /// The proposal's timelock has not run out: execute it at its `eta` or later.
    TooEarly,
    /// `MAX_OPEN_PROPOSALS` are open: execute or cancel one first.
    TooManyProposals,
    /// A council needs at least one member.
    NoMembers,
    /// More than `MAX_MEMBERS` members.
    TooManyMembers,
    /// An account is listed twice.
    DuplicateMember,
    /// The threshold must be at least 1 and at most the number of members.
    InvalidThreshold,
    /// The delay is longer than `MAX_DELAY`.
    DelayTooLong,
    /// The call's arguments are longer than `MAX_CALL_ARGS` bytes.
    CallTooLong,
    /// A member cannot cancel the council change that removes them (so that a council can always remove a member
    /// who vetoes everything).
    OwnRemoval,
    /// The called contract refused the call (it answered an error or trapped): nothing changed, the proposal stays
    /// open. Dry-run the call against the contract to see its error.
    CallFailed,
    /// The chain refused the council's new code hash.
    UpgradeFailed,
    /// Proposal ids are exhausted (2^32 - 1 proposals).
    IdsExhausted,
}

pub type Result<T> = core::result::Result<T, Error>;
