//! The council's rules, pure (the caller and the time come in, the events to emit go out):
//! - a member proposes a [`CouncilAction`]; that counts as their approval. Other members approve. When `threshold`
//!   members have approved, the proposal is queued: ready at once for a call of an ordinary admin message, and after
//!   `delay_ms` for everything else (upgrade, dependency, admin transfer, council, delay, the council's own code);
//! - any member executes a ready proposal;
//! - any member cancels an open proposal (a veto: members who see a proposal they did not expect stop it while it
//!   waits), except a council change that removes them (so that a council can always remove a member who vetoes
//!   everything);
//! - executing a council change drops every other open proposal (the old council approved them).

use crate::{
    errors::{Error, Result},
    events::*,
    types::*,
};
use ink::prelude::{vec, vec::Vec};
use interfaces::{AccountId, Timestamp};

impl CouncilConfig {
    /// A council of `members` with `threshold` and `delay_ms`, checked.
    pub fn new(members: Vec<AccountId>, threshold: u8, delay_ms: Timestamp) -> Result<Self> {
        check_members(&members, threshold)?;
        check_delay(delay_ms)?;
        Ok(Self { members, threshold, delay_ms })
    }

    pub fn is_member(&self, account: AccountId) -> bool {
        self.members.contains(&account)
    }

    fn ensure_member(&self, account: AccountId) -> Result<()> {
        if self.is_member(account) {
            Ok(())
        } else {
            Err(Error::NotMember)
        }
    }
}

fn check_members(members: &[AccountId], threshold: u8) -> Result<()> {
    if members.is_empty() {
        return Err(Error::NoMembers);
    }
    if members.len() > MAX_MEMBERS {
        return Err(Error::TooManyMembers);
    }
    if members.iter().enumerate().any(|(i, m)| members[..i].contains(m)) {
        return Err(Error::DuplicateMember);
    }
    if threshold == 0 || usize::from(threshold) > members.len() {
        return Err(Error::InvalidThreshold);
    }
    Ok(())
}

fn check_delay(delay_ms: Timestamp) -> Result<()> {
    if delay_ms > MAX_DELAY {
        Err(Error::DelayTooLong)
    } else {
        Ok(())
    }
}

/// The council and its open proposals: the council contract's whole state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct CouncilState {
    council: CouncilConfig,
    last_id: ProposalId,
    proposals: Vec<Proposal>,
}

impl CouncilState {
    pub fn new(council: CouncilConfig) -> Self {
        Self { council, last_id: 0, proposals: Vec::new() }
    }

    pub fn config(&self) -> &CouncilConfig {
        &self.council
    }

    pub fn proposals(&self) -> &[Proposal] {
        &self.proposals
    }

    fn position(&self, id: ProposalId) -> Result<usize> {
        self.proposals.iter().position(|p| p.id == id).ok_or(Error::ProposalNotFound)
    }

    /// Queues proposal `index` if it has just reached the threshold; the event if it did.
    fn queue_if_approved(&mut self, index: usize, now: Timestamp) -> Option<CouncilEvent> {
        let threshold = usize::from(self.council.threshold);
        let delay = self.council.delay_ms;
        let proposal = &mut self.proposals[index];
        if proposal.eta.is_some() || proposal.approvals.len() < threshold {
            return None;
        }
        let wait = if proposal.action.is_timelocked() { delay } else { 0 };
        let eta = now.saturating_add(wait);
        proposal.eta = Some(eta);
        Some(CouncilEvent::Queued(ProposalQueued { id: proposal.id, eta }))
    }

    /// A member proposes `action` (their approval included); checked now, so that a proposal that could never be
    /// executed is never approved.
    pub fn propose(
        &mut self,
        caller: AccountId,
        now: Timestamp,
        action: CouncilAction,
    ) -> Result<(ProposalId, Vec<CouncilEvent>)> {
        self.council.ensure_member(caller)?;
        match &action {
            CouncilAction::SetCouncil { members, threshold } => check_members(members, *threshold)?,
            CouncilAction::SetDelay { delay_ms } => check_delay(*delay_ms)?,
            CouncilAction::Call { args, .. } if args.len() > MAX_CALL_ARGS => return Err(Error::CallTooLong),
            _ => {}
        }
        if self.proposals.len() >= MAX_OPEN_PROPOSALS {
            return Err(Error::TooManyProposals);
        }
        let id = self.last_id.checked_add(1).ok_or(Error::IdsExhausted)?;
        self.last_id = id;
        let mut events = vec![CouncilEvent::Created(ProposalCreated { id, proposer: caller, action: action.clone() })];
        let index = self.proposals.len();
        self.proposals.push(Proposal { id, action, approvals: vec![caller], eta: None });
        events.extend(self.queue_if_approved(index, now));
        Ok((id, events))
    }

    /// A member approves proposal `id`.
    pub fn approve(&mut self, caller: AccountId, now: Timestamp, id: ProposalId) -> Result<Vec<CouncilEvent>> {
        self.council.ensure_member(caller)?;
        let index = self.position(id)?;
        let proposal = &mut self.proposals[index];
        if proposal.approvals.contains(&caller) {
            return Err(Error::AlreadyApproved);
        }
        proposal.approvals.push(caller);
        let approvals = u8::try_from(proposal.approvals.len()).unwrap_or(u8::MAX);
        let mut events = vec![CouncilEvent::Approved(ProposalApproved { id, member: caller, approvals })];
        events.extend(self.queue_if_approved(index, now));
        Ok(events)
    }

    /// A member cancels proposal `id` (not a council change that removes them).
    pub fn cancel(&mut self, caller: AccountId, id: ProposalId) -> Result<CouncilEvent> {
        self.council.ensure_member(caller)?;
        let index = self.position(id)?;
        if let CouncilAction::SetCouncil { members, .. } = &self.proposals[index].action {
            if !members.contains(&caller) {
                return Err(Error::OwnRemoval);
            }
        }
        self.proposals.remove(index);
        Ok(CouncilEvent::Cancelled(ProposalCancelled { id, by: caller }))
    }

    /// A member executes queued proposal `id` once its timelock ran out. Council and delay changes happen here;
    /// the [`Effect`] says what the contract does itself (the call, its own upgrade); if that fails, the message
    /// fails and this value is not stored.
    pub fn execute(
        &mut self,
        caller: AccountId,
        now: Timestamp,
        id: ProposalId,
    ) -> Result<(Effect, Vec<CouncilEvent>)> {
        self.council.ensure_member(caller)?;
        let index = self.position(id)?;
        match self.proposals[index].eta {
            None => return Err(Error::NotQueued),
            Some(eta) if now < eta => return Err(Error::TooEarly),
            Some(_) => {}
        }
        let proposal = self.proposals.remove(index);
        let mut events = vec![CouncilEvent::Executed(ProposalExecuted { id, by: caller })];
        let effect = match proposal.action {
            CouncilAction::Upgrade { code_hash } => {
                events.push(CouncilEvent::CodeUpgraded(CodeUpgraded { code_hash }));
                Effect::Upgrade(code_hash)
            }
            CouncilAction::Call { contract, message, args } => Effect::Call { contract, message, args },
            CouncilAction::SetCouncil { members, threshold } => {
                self.council.members = members.clone();
                self.council.threshold = threshold;
                for dropped in self.proposals.drain(..) {
                    events.push(CouncilEvent::Cancelled(ProposalCancelled { id: dropped.id, by: caller }));
                }
                events.push(CouncilEvent::CouncilChanged(CouncilChanged { members, threshold }));
                Effect::None
            }
            CouncilAction::SetDelay { delay_ms } => {
                self.council.delay_ms = delay_ms;
                events.push(CouncilEvent::DelayChanged(DelayChanged { delay_ms }));
                Effect::None
            }
        };
        Ok((effect, events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Error::*;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    const HOUR: Timestamp = 3_600_000;

    /// Members 1, 2, 3; threshold 2; delay 1 h.
    fn two_of_three() -> CouncilState {
        CouncilState::new(CouncilConfig::new(vec![account(1), account(2), account(3)], 2, HOUR).unwrap())
    }

    fn upgrade() -> CouncilAction {
        CouncilAction::Upgrade { code_hash: [7; 32] }
    }

    fn call(message: &str) -> CouncilAction {
        let selector = match message {
            "upgrade" => ink::selector_bytes!("upgrade"),
            "set_dependency" => ink::selector_bytes!("set_dependency"),
            "propose_admin" => ink::selector_bytes!("propose_admin"),
            "accept_admin" => ink::selector_bytes!("accept_admin"),
            "appoint_issuer" => ink::selector_bytes!("appoint_issuer"),
            _ => unreachable!("a message of this test"),
        };
        CouncilAction::Call { contract: account(50), message: selector, args: vec![1, 2] }
    }

    #[test]
    fn a_council_is_checked() {
        assert_eq!(CouncilConfig::new(vec![], 1, 0), Err(NoMembers));
        assert_eq!(CouncilConfig::new((1..=17).map(account).collect(), 1, 0), Err(TooManyMembers));
        assert!(CouncilConfig::new((1..=16).map(account).collect(), 16, 0).is_ok());
        assert_eq!(CouncilConfig::new(vec![account(1), account(2), account(1)], 1, 0), Err(DuplicateMember));
        assert_eq!(CouncilConfig::new(vec![account(1)], 0, 0), Err(InvalidThreshold));
        assert_eq!(CouncilConfig::new(vec![account(1)], 2, 0), Err(InvalidThreshold));
        assert_eq!(CouncilConfig::new(vec![account(1)], 1, MAX_DELAY + 1), Err(DelayTooLong));
        assert!(CouncilConfig::new(vec![account(1)], 1, MAX_DELAY).is_ok());
    }

    #[test]
    fn upgrades_dependencies_admin_transfers_and_the_council_itself_are_timelocked_other_calls_are_not() {
        for message in ["upgrade", "set_dependency", "propose_admin"] {
            assert!(call(message).is_timelocked(), "{message}");
        }
        for message in ["accept_admin", "appoint_issuer"] {
            assert!(!call(message).is_timelocked(), "{message}");
        }
        assert!(upgrade().is_timelocked());
        assert!(CouncilAction::SetDelay { delay_ms: 0 }.is_timelocked());
        assert!(CouncilAction::SetCouncil { members: vec![account(1)], threshold: 1 }.is_timelocked());
    }

    #[test]
    fn an_upgrade_waits_for_the_threshold_then_the_delay() {
        let mut g = two_of_three();
        assert_eq!(g.propose(account(9), 0, upgrade()), Err(NotMember));
        let (id, events) = g.propose(account(1), 0, upgrade()).unwrap();
        assert_eq!(id, 1, "ids start at 1");
        assert_eq!(
            events,
            vec![CouncilEvent::Created(ProposalCreated { id, proposer: account(1), action: upgrade() })]
        );
        assert_eq!(g.execute(account(1), 0, id), Err(NotQueued));
        assert_eq!(g.approve(account(1), 0, id), Err(AlreadyApproved));
        assert_eq!(g.approve(account(9), 0, id), Err(NotMember));
        let events = g.approve(account(2), 10, id).unwrap();
        assert_eq!(
            events,
            vec![
                CouncilEvent::Approved(ProposalApproved { id, member: account(2), approvals: 2 }),
                CouncilEvent::Queued(ProposalQueued { id, eta: 10 + HOUR }),
            ]
        );
        let before = g.clone();
        assert_eq!(g.execute(account(3), 10 + HOUR - 1, id), Err(TooEarly));
        assert_eq!(g.execute(account(9), 10 + HOUR, id), Err(NotMember));
        assert_eq!(g, before, "refusals change nothing");
        let (effect, events) = g.execute(account(3), 10 + HOUR, id).unwrap();
        assert_eq!(effect, Effect::Upgrade([7; 32]));
        assert_eq!(
            events,
            vec![
                CouncilEvent::Executed(ProposalExecuted { id, by: account(3) }),
                CouncilEvent::CodeUpgraded(CodeUpgraded { code_hash: [7; 32] }),
            ]
        );
        assert!(g.proposals().is_empty());
        assert_eq!(g.execute(account(3), 10 + HOUR, id), Err(ProposalNotFound), "executed once");
    }

    #[test]
    fn an_ordinary_admin_call_runs_once_approved_and_a_timelocked_one_waits() {
        let mut g = two_of_three();
        let (id, _) = g.propose(account(1), 0, call("appoint_issuer")).unwrap();
        let events = g.approve(account(2), 5, id).unwrap();
        assert_eq!(events[1], CouncilEvent::Queued(ProposalQueued { id, eta: 5 }));
        let (effect, _) = g.execute(account(3), 5, id).unwrap();
        let CouncilAction::Call { contract, message, args } = call("appoint_issuer") else { unreachable!() };
        assert_eq!(effect, Effect::Call { contract, message, args });

        let (id, _) = g.propose(account(1), 0, call("set_dependency")).unwrap();
        g.approve(account(2), 5, id).unwrap();
        assert_eq!(g.execute(account(3), 5, id), Err(TooEarly));
        assert!(matches!(g.execute(account(3), 5 + HOUR, id), Ok((Effect::Call { .. }, _))));
    }

    #[test]
    fn a_third_approval_does_not_restart_the_clock() {
        let mut g = two_of_three();
        let (id, _) = g.propose(account(1), 0, upgrade()).unwrap();
        g.approve(account(2), 0, id).unwrap();
        let events = g.approve(account(3), HOUR / 2, id).unwrap();
        assert_eq!(events.len(), 1, "approved, not queued again");
        assert_eq!(g.proposals()[0].eta, Some(HOUR));
    }

    #[test]
    fn any_member_cancels_a_queued_proposal_while_it_waits() {
        let mut g = two_of_three();
        let (id, _) = g.propose(account(1), 0, call("set_dependency")).unwrap();
        g.approve(account(2), 0, id).unwrap();
        assert_eq!(g.cancel(account(9), id), Err(NotMember));
        assert_eq!(g.cancel(account(3), id), Ok(CouncilEvent::Cancelled(ProposalCancelled { id, by: account(3) })));
        assert_eq!(g.execute(account(1), HOUR, id), Err(ProposalNotFound));
        assert_eq!(g.cancel(account(3), id), Err(ProposalNotFound));
    }

    #[test]
    fn a_member_cannot_veto_their_own_removal() {
        let mut g = two_of_three();
        let remove_3 = CouncilAction::SetCouncil { members: vec![account(1), account(2)], threshold: 2 };
        let (id, _) = g.propose(account(1), 0, remove_3).unwrap();
        assert_eq!(g.cancel(account(3), id), Err(OwnRemoval));
        g.approve(account(2), 0, id).unwrap();
        let (effect, events) = g.execute(account(2), HOUR, id).unwrap();
        assert_eq!(effect, Effect::None);
        assert_eq!(
            events.last(),
            Some(&CouncilEvent::CouncilChanged(CouncilChanged { members: vec![account(1), account(2)], threshold: 2 }))
        );
        assert!(!g.config().is_member(account(3)));
        assert_eq!(g.propose(account(3), 0, upgrade()), Err(NotMember));
    }

    #[test]
    fn a_council_change_drops_the_other_open_proposals() {
        let mut g = two_of_three();
        let (other, _) = g.propose(account(3), 0, upgrade()).unwrap();
        let (id, _) =
            g.propose(account(1), 0, CouncilAction::SetCouncil { members: vec![account(4)], threshold: 1 }).unwrap();
        g.approve(account(2), 0, id).unwrap();
        let (_, events) = g.execute(account(1), HOUR, id).unwrap();
        assert!(events.contains(&CouncilEvent::Cancelled(ProposalCancelled { id: other, by: account(1) })));
        assert!(g.proposals().is_empty());
        assert_eq!(g.config().members, vec![account(4)]);
    }

    #[test]
    fn proposals_are_checked_when_made() {
        let mut g = two_of_three();
        let long_call =
            CouncilAction::Call { contract: account(50), message: [0; 4], args: vec![0; MAX_CALL_ARGS + 1] };
        let bad = [
            (CouncilAction::SetCouncil { members: vec![], threshold: 1 }, NoMembers),
            (CouncilAction::SetCouncil { members: vec![account(1)], threshold: 2 }, InvalidThreshold),
            (CouncilAction::SetCouncil { members: vec![account(1), account(1)], threshold: 1 }, DuplicateMember),
            (CouncilAction::SetDelay { delay_ms: MAX_DELAY + 1 }, DelayTooLong),
            (long_call, CallTooLong),
        ];
        for (action, error) in bad {
            assert_eq!(g.propose(account(1), 0, action), Err(error));
        }
        assert_eq!(g, two_of_three(), "nothing changed");
        for _ in 0..MAX_OPEN_PROPOSALS {
            g.propose(account(1), 0, upgrade()).unwrap();
        }
        assert_eq!(g.propose(account(1), 0, upgrade()), Err(TooManyProposals));
    }

    #[test]
    fn a_delay_change_waits_for_the_current_delay() {
        let mut g = two_of_three();
        let (id, _) = g.propose(account(1), 0, CouncilAction::SetDelay { delay_ms: 0 }).unwrap();
        g.approve(account(2), 0, id).unwrap();
        assert_eq!(g.execute(account(1), HOUR - 1, id), Err(TooEarly));
        let (_, events) = g.execute(account(1), HOUR, id).unwrap();
        assert_eq!(events.last(), Some(&CouncilEvent::DelayChanged(DelayChanged { delay_ms: 0 })));
        assert_eq!(g.config().delay_ms, 0);
    }

    #[test]
    fn a_single_member_council_without_delay_acts_at_once() {
        let mut g = CouncilState::new(CouncilConfig::new(vec![account(1)], 1, 0).unwrap());
        let (id, events) = g.propose(account(1), 7, upgrade()).unwrap();
        assert_eq!(events[1], CouncilEvent::Queued(ProposalQueued { id, eta: 7 }));
        assert_eq!(g.execute(account(1), 7, id).unwrap().0, Effect::Upgrade([7; 32]));
    }
}
