//! The events of the council contract, one per state change. A proposal's `ProposalCreated` carries its action, so
//! that every member (and everyone else) sees what a queued proposal would do while it waits.

use crate::types::{CouncilAction, ProposalId};
use ink::prelude::vec::Vec;
use interfaces::{AccountId, Timestamp};

pub use interfaces::governance::CodeUpgraded;

/// A member proposed `action` (counting as their approval).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCreated {
    #[ink(topic)]
    pub id: ProposalId,
    pub proposer: AccountId,
    pub action: CouncilAction,
}

/// A member approved; `approvals` so far.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalApproved {
    #[ink(topic)]
    pub id: ProposalId,
    pub member: AccountId,
    pub approvals: u8,
}

/// The threshold was reached: executable from `eta` (ms).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalQueued {
    #[ink(topic)]
    pub id: ProposalId,
    pub eta: Timestamp,
}

/// A member cancelled the proposal, or the council change a member executed dropped it.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCancelled {
    #[ink(topic)]
    pub id: ProposalId,
    pub by: AccountId,
}

/// A member executed the proposal: its action took effect.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalExecuted {
    #[ink(topic)]
    pub id: ProposalId,
    pub by: AccountId,
}

/// The council's members and threshold changed.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilChanged {
    pub members: Vec<AccountId>,
    pub threshold: u8,
}

/// The timelock changed.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayChanged {
    pub delay_ms: Timestamp,
}

/// One of the events above, as [`crate::proposals`] returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouncilEvent {
    Created(ProposalCreated),
    Approved(ProposalApproved),
    Queued(ProposalQueued),
    Cancelled(ProposalCancelled),
    Executed(ProposalExecuted),
    CouncilChanged(CouncilChanged),
    DelayChanged(DelayChanged),
    CodeUpgraded(CodeUpgraded),
}

/// Emits `events` from the calling contract, in order.
pub fn emit<I: IntoIterator<Item = CouncilEvent>>(events: I) {
    use ink::env::{emit_event, DefaultEnvironment as E};
    for event in events {
        match event {
            CouncilEvent::Created(e) => emit_event::<E, _>(e),
            CouncilEvent::Approved(e) => emit_event::<E, _>(e),
            CouncilEvent::Queued(e) => emit_event::<E, _>(e),
            CouncilEvent::Cancelled(e) => emit_event::<E, _>(e),
            CouncilEvent::Executed(e) => emit_event::<E, _>(e),
            CouncilEvent::CouncilChanged(e) => emit_event::<E, _>(e),
            CouncilEvent::DelayChanged(e) => emit_event::<E, _>(e),
            CouncilEvent::CodeUpgraded(e) => emit_event::<E, _>(e),
        }
    }
}
