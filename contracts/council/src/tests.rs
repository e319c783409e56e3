//! Unit tests of the council contract through its messages (the rules alone are tested in `proposals.rs`). A call
//! to another contract cannot run in ink!'s off-chain environment: the e2e `governance` scenario executes them.

use crate::council::*;
use interfaces::{
    testing::{accounts, as_caller, at, events, last_event, refused, DAY},
    AccountId,
};

struct World {
    council: Council,
    first: AccountId,
    second: AccountId,
    third: AccountId,
    stranger: AccountId,
}

/// Alice, Bob and Charlie, 2 of 3, a day's delay, from day 10.
fn world() -> World {
    let a = accounts();
    at(10 * DAY);
    as_caller(a.alice);
    let council = Council::new(vec![a.alice, a.bob, a.charlie], 2, DAY).unwrap();
    World { council, first: a.alice, second: a.bob, third: a.charlie, stranger: a.eve }
}

fn rewire() -> CouncilAction {
    CouncilAction::Call {
        contract: AccountId::from([0xC1; 32]),
        message: ink::selector_bytes!("set_dependency"),
        args: vec![0, 7, 7],
    }
}

#[ink::test]
fn a_council_is_checked_at_instantiation() {
    let a = accounts();
    assert_eq!(Council::new(vec![], 1, 0).err(), Some(Error::NoMembers));
    assert_eq!(Council::new(vec![a.alice, a.bob], 3, 0).err(), Some(Error::InvalidThreshold));
    assert_eq!(Council::new(vec![a.alice, a.alice], 1, 0).err(), Some(Error::DuplicateMember));
    let w = world();
    assert_eq!(
        w.council.config(),
        CouncilConfig { members: vec![w.first, w.second, w.third], threshold: 2, delay_ms: DAY }
    );
    assert!(w.council.proposals().is_empty());
}

#[ink::test]
fn only_members_propose_approve_cancel_or_execute() {
    let mut w = world();
    let id = w.council.propose(rewire()).unwrap();
    as_caller(w.stranger);
    refused(Error::NotMember, || w.council.propose(rewire()));
    refused(Error::NotMember, || w.council.approve(id));
    refused(Error::NotMember, || w.council.cancel(id));
    refused(Error::NotMember, || w.council.execute(id));
    assert_eq!(w.council.proposals()[0].approvals, vec![w.first]);
}

#[ink::test]
fn a_queued_rewiring_is_readable_while_it_waits_and_a_member_cancels_it() {
    let mut w = world();
    let before = events();
    let id = w.council.propose(rewire()).unwrap();
    assert_eq!(last_event::<ProposalCreated>(), ProposalCreated { id, proposer: w.first, action: rewire() });
    refused(Error::NotQueued, || w.council.execute(id));
    refused(Error::AlreadyApproved, || w.council.approve(id));
    as_caller(w.second);
    w.council.approve(id).unwrap();
    assert_eq!(last_event::<ProposalQueued>(), ProposalQueued { id, eta: 11 * DAY });
    assert_eq!(events(), before + 3, "created, approved, queued");
    let open = w.council.proposals();
    assert_eq!((open.len(), &open[0].action, open[0].eta), (1, &rewire(), Some(11 * DAY)));
    at(11 * DAY - 1);
    refused(Error::TooEarly, || w.council.execute(id));

    as_caller(w.third);
    w.council.cancel(id).unwrap();
    assert_eq!(last_event::<ProposalCancelled>(), ProposalCancelled { id, by: w.third });
    assert!(w.council.proposals().is_empty());
    at(11 * DAY);
    refused(Error::ProposalNotFound, || w.council.execute(id));
}

#[ink::test]
fn the_council_changes_itself_after_the_delay() {
    let mut w = world();
    let smaller = CouncilAction::SetCouncil { members: vec![w.first, w.second], threshold: 1 };
    let id = w.council.propose(smaller).unwrap();
    as_caller(w.third);
    refused(Error::OwnRemoval, || w.council.cancel(id));
    w.council.approve(id).unwrap();
    at(11 * DAY);
    w.council.execute(id).unwrap();
    assert_eq!(last_event::<CouncilChanged>(), CouncilChanged { members: vec![w.first, w.second], threshold: 1 });
    assert_eq!(w.council.config(), CouncilConfig { members: vec![w.first, w.second], threshold: 1, delay_ms: DAY });
    refused(Error::NotMember, || w.council.propose(rewire()));

    as_caller(w.second);
    let id = w.council.propose(CouncilAction::SetDelay { delay_ms: 0 }).unwrap();
    refused(Error::TooEarly, || w.council.execute(id));
    at(12 * DAY);
    w.council.execute(id).unwrap();
    assert_eq!(last_event::<DelayChanged>(), DelayChanged { delay_ms: 0 });
    assert_eq!(w.council.config().delay_ms, 0);
}
