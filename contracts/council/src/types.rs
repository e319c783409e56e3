//! The council, its proposals and the limits that keep them bounded.

use ink::prelude::vec::Vec;
use interfaces::{AccountId, Timestamp};

/// At most this many council members.
pub const MAX_MEMBERS: usize = 16;
/// At most this many proposals open at once.
pub const MAX_OPEN_PROPOSALS: usize = 8;
/// The longest timelock: 30 days (ms).
pub const MAX_DELAY: Timestamp = 30 * 24 * 60 * 60 * 1000;
/// The longest argument list a [`CouncilAction::Call`] carries (bytes).
pub const MAX_CALL_ARGS: usize = 256;

/// The messages of the governed contracts whose calls always wait the delay: a new code, a new dependency, a new
/// admin (`interfaces::governance`). Every other call (appointing an issuer, setting the emergency duration ...)
/// runs as soon as the threshold approved it.
pub const TIMELOCKED_MESSAGES: [[u8; 4]; 3] =
    [ink::selector_bytes!("upgrade"), ink::selector_bytes!("set_dependency"), ink::selector_bytes!("propose_admin")];

/// Proposals are numbered from 1.
pub type ProposalId = u32;

/// Who governs: `threshold` of `members` approve; timelocked actions then wait `delay_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct CouncilConfig {
    pub members: Vec<AccountId>,
    pub threshold: u8,
    pub delay_ms: Timestamp,
}

/// What a proposal does once executed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum CouncilAction {
    /// Call `message` (its selector) of `contract` with `args` (its SCALE-encoded arguments): the call data a wallet
    /// would send, split after the selector. Timelocked for [`TIMELOCKED_MESSAGES`].
    Call { contract: AccountId, message: [u8; 4], args: Vec<u8> },
    /// Replace the council's members and threshold (the delay stays). Timelocked.
    SetCouncil { members: Vec<AccountId>, threshold: u8 },
    /// Change the timelock. Timelocked (by the current delay).
    SetDelay { delay_ms: Timestamp },
    /// Replace the council contract's own code, keeping its storage. Timelocked.
    Upgrade { code_hash: [u8; 32] },
}

impl CouncilAction {
    /// Does it wait the delay once approved?
    pub fn is_timelocked(&self) -> bool {
        match self {
            CouncilAction::Call { message, .. } => TIMELOCKED_MESSAGES.contains(message),
            _ => true,
        }
    }
}

/// An open proposal. `eta` is set when `threshold` members have approved: the time from which it may be executed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Proposal {
    pub id: ProposalId,
    pub action: CouncilAction,
    pub approvals: Vec<AccountId>,
    pub eta: Option<Timestamp>,
}

/// What executing a proposal asks of the contract itself (council and delay changes happen in [`crate::proposals`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Make this call.
    Call { contract: AccountId, message: [u8; 4], args: Vec<u8> },
    /// Set the council contract's own code.
    Upgrade([u8; 32]),
    /// Nothing more.
    None,
}
