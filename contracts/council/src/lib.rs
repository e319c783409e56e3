//! # Council
//!
//! The council governs the healthchain contracts: it is their admin. M of its N members approve each change, and
//! what could take the contracts' users by surprise waits in a timelock first: a new code (`upgrade`), a new
//! dependency (`set_dependency`), a new admin (`propose_admin`), and changes of the council itself (its members,
//! threshold, delay and code). While a change waits, everyone sees it (its `ProposalCreated` event and the
//! `proposals` read carry the call), any member can cancel it, and users who disagree can leave (a payer withdraws
//! its escrow). Ordinary admin calls (appointing an issuer, lifting a revocation, setting the emergency duration)
//! run as soon as the threshold approved them.
//!
//! The rules are in [`proposals`]; [`call`] sends an approved call to the governed contract. One council governs all
//! five contracts: one approval per change of the suite, and the governance code lives in one contract instead of
//! adding to each (every contract's code size is a cost on each of its calls).
//!
//! ## What it stores, and who can learn what
//! Public, like all contract storage: the members, the threshold, the delay, and the open proposals (action,
//! approvals, eta). No medical data; the calls it makes are the admin calls of the governed contracts.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod call;
pub mod errors;
pub mod events;
pub mod proposals;
pub mod types;

#[ink::contract]
pub mod council {
    pub use crate::{
        errors::{Error, Result},
        events::*,
        proposals::CouncilState,
        types::*,
    };
    use ink::prelude::vec::Vec;

    #[ink(storage)]
    pub struct Council {
        state: CouncilState,
    }

    impl Council {
        /// `members` govern, `threshold` of them approving; timelocked actions wait `delay_ms` after that.
        #[ink(constructor)]
        pub fn new(members: Vec<AccountId>, threshold: u8, delay_ms: Timestamp) -> Result<Self> {
            let council = CouncilConfig::new(members, threshold, delay_ms)?;
            Ok(Self { state: CouncilState::new(council) })
        }

        /// Member: propose `action` (counting as your approval). Returns its id.
        #[ink(message)]
        pub fn propose(&mut self, action: CouncilAction) -> Result<ProposalId> {
            let (id, events) = self.state.propose(self.env().caller(), self.env().block_timestamp(), action)?;
            crate::events::emit(events);
            Ok(id)
        }

        /// Member: approve proposal `id`; the threshold's approval queues it.
        #[ink(message)]
        pub fn approve(&mut self, id: ProposalId) -> Result<()> {
            let events = self.state.approve(self.env().caller(), self.env().block_timestamp(), id)?;
            crate::events::emit(events);
            Ok(())
        }

        /// Member: cancel open proposal `id` (not a council change that removes you).
        #[ink(message)]
        pub fn cancel(&mut self, id: ProposalId) -> Result<()> {
            let event = self.state.cancel(self.env().caller(), id)?;
            crate::events::emit([event]);
            Ok(())
        }

        /// Member: execute queued proposal `id` once its timelock ran out. A call the governed contract refuses
        /// fails with `CallFailed` and changes nothing (the proposal stays open).
        #[ink(message)]
        pub fn execute(&mut self, id: ProposalId) -> Result<()> {
            let mut state = self.state.clone();
            let (effect, events) = state.execute(self.env().caller(), self.env().block_timestamp(), id)?;
            match effect {
                Effect::Call { contract, message, args } => {
                    if !crate::call::call(contract, message, &args) {
                        return Err(Error::CallFailed);
                    }
                }
                Effect::Upgrade(code_hash) => {
                    self.env().set_code_hash(&code_hash.into()).map_err(|_| Error::UpgradeFailed)?;
                }
                Effect::None => {}
            }
            self.state = state;
            crate::events::emit(events);
            Ok(())
        }

        /// Members, threshold and timelock delay (ms).
        #[ink(message)]
        pub fn config(&self) -> CouncilConfig {
            self.state.config().clone()
        }

        /// The open proposals, oldest first (at most `MAX_OPEN_PROPOSALS`).
        #[ink(message)]
        pub fn proposals(&self) -> Vec<Proposal> {
            self.state.proposals().to_vec()
        }
    }
}

#[cfg(test)]
mod tests;
