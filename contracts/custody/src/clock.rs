//! DSCSA clocks: what must happen by when once a unit is suspect or illegitimate, kept on chain so that a Regulator
//! sees what is overdue.
//!
//! - Suspect product (DSCSA 582(b)(4)(A), (c)(4)(A), (d)(4)(A)): once quarantined (`flag_suspect`), it must be
//!   cleared (`clear_suspect`) or declared illegitimate (`declare_illegitimate`) within [`INVESTIGATION_WINDOW`].
//! - Illegitimate product (582(b)(4)(B) ...): the owner's immediate trading partners must be notified within
//!   [`NOTIFICATION_WINDOW`] (24 hours) of the determination: the owner calls `notify_trading_partners`, which emits
//!   one `TradingPartnerNotified` per partner.
//!
//! Each clock is a [`Deadline`] appended to a log (`Mapping<u64, Deadline>` plus a count) and named by the unit
//! while it runs (`Unit::deadline`). Meeting it stamps it (`met`), late or not: the log keeps when. `overdue` reads
//! the log a page at a time ([`is_overdue`]), so the read is bounded however long the log grows.

use crate::{
    errors::{Error, Result},
    types::{Deadline, DeadlineKind, Disposition, Unit, UnitId},
};
use interfaces::{AccountId, Timestamp};

/// How long a suspect unit may stay in quarantine before it is overdue: 30 days. The DSCSA asks for a prompt
/// investigation without a number; the FDA's guidance on suspect product expects one within weeks. A project
/// choice, kept in one place.
pub const INVESTIGATION_WINDOW: Timestamp = 2_592_000_000;
/// Illegitimate product: trading partners notified within 24 hours of the determination (DSCSA 582).
pub const NOTIFICATION_WINDOW: Timestamp = 86_400_000;
/// The most trading partners one `notify_trading_partners` names.
pub const MAX_PARTNERS: usize = 16;

/// What closing the unit's running clock and starting another decided: the deadline closed (to store back at its
/// index) and the one started (to append at `index`, the log's next).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub closed: Option<(u64, Deadline)>,
    pub started: Option<(u64, Deadline)>,
    /// The log's count after the change.
    pub next: u64,
}

/// The window of a clock.
pub fn window(kind: DeadlineKind) -> Timestamp {
    match kind {
        DeadlineKind::Investigation => INVESTIGATION_WINDOW,
        DeadlineKind::Notification => NOTIFICATION_WINDOW,
    }
}

/// At `now`, `unit` (id `id`) stops its running clock (`running`: the deadline at `unit.deadline`, loaded; it is
/// met now) and, with `start`, starts one of that kind, due a window from now, appended at `next` (the log's count).
/// The unit names the started one, or none.
pub fn change(
    id: UnitId,
    unit: &mut Unit,
    running: Option<Deadline>,
    start: Option<DeadlineKind>,
    now: Timestamp,
    next: u64,
) -> Result<Clocks> {
    let closed = match (unit.deadline, running) {
        (Some(index), Some(deadline)) => Some((index, Deadline { met: Some(now), ..deadline })),
        _ => None,
    };
    let (started, next) = match start {
        Some(kind) => {
            let due = now.checked_add(window(kind)).ok_or(Error::Overflow)?;
            let after = next.checked_add(1).ok_or(Error::Overflow)?;
            (Some((next, Deadline { unit: id, kind, due, met: None })), after)
        }
        None => (None, next),
    };
    unit.deadline = started.map(|(index, _)| index);
    Ok(Clocks { closed, started, next })
}

/// The owner notifies `partners` (1 to `MAX_PARTNERS`, none twice, not itself) that unit `id` is illegitimate: the
/// unit must be Illegitimate with its notification clock running (`running`, loaded from `unit.deadline`). Returns
/// the clock's index and the deadline, met now; the unit no longer names it.
pub fn notify(
    id: UnitId,
    unit: &mut Unit,
    running: Option<Deadline>,
    caller: AccountId,
    partners: &[AccountId],
    now: Timestamp,
) -> Result<(u64, Deadline)> {
    if unit.owner != caller {
        return Err(Error::NotOwner(id));
    }
    if partners.is_empty() {
        return Err(Error::EmptyList);
    }
    if partners.len() > MAX_PARTNERS {
        return Err(Error::TooMany);
    }
    let repeated = partners.iter().enumerate().any(|(i, p)| partners.iter().take(i).any(|earlier| earlier == p));
    if repeated || partners.contains(&caller) {
        return Err(Error::InvalidPartners);
    }
    match (unit.disposition, unit.deadline, running) {
        (Disposition::Illegitimate, Some(index), Some(deadline)) if deadline.kind == DeadlineKind::Notification => {
            unit.deadline = None;
            Ok((index, Deadline { met: Some(now), ..deadline }))
        }
        _ => Err(Error::NoNotificationDue(id)),
    }
}

/// Is `deadline` still running at `now` though due?
pub fn is_overdue(deadline: &Deadline, now: Timestamp) -> bool {
    deadline.met.is_none() && now >= deadline.due
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: AccountId = AccountId([1; 32]);
    const PARTNER: AccountId = AccountId([2; 32]);
    const DAY: Timestamp = 24 * 60 * 60 * 1000;

    fn unit(disposition: Disposition, deadline: Option<u64>) -> Unit {
        Unit {
            batch: 1,
            serial: "SN1".into(),
            owner: OWNER,
            disposition,
            recipient: None,
            decommissioned: None,
            prescription: None,
            deadline,
            trail_len: 2,
        }
    }

    #[test]
    fn the_windows_are_30_days_and_24_hours() {
        assert_eq!(window(DeadlineKind::Investigation), 30 * DAY);
        assert_eq!(window(DeadlineKind::Notification), DAY);
    }

    #[test]
    fn quarantine_starts_the_investigation_clock_and_illegitimacy_swaps_it_for_the_notification_one() {
        let mut held = unit(Disposition::Quarantined, None);
        let clocks = change(7, &mut held, None, Some(DeadlineKind::Investigation), 10, 4).unwrap();
        let investigation = Deadline { unit: 7, kind: DeadlineKind::Investigation, due: 10 + 30 * DAY, met: None };
        assert_eq!(clocks, Clocks { closed: None, started: Some((4, investigation)), next: 5 });
        assert_eq!(held.deadline, Some(4));

        let clocks = change(7, &mut held, Some(investigation), Some(DeadlineKind::Notification), 20, 5).unwrap();
        let notification = Deadline { unit: 7, kind: DeadlineKind::Notification, due: 20 + DAY, met: None };
        assert_eq!(clocks.closed, Some((4, Deadline { met: Some(20), ..investigation })));
        assert_eq!((clocks.started, clocks.next, held.deadline), (Some((5, notification)), 6, Some(5)));

        let mut cleared = unit(Disposition::Quarantined, Some(4));
        let clocks = change(7, &mut cleared, Some(investigation), None, 30, 6).unwrap();
        assert_eq!(
            (clocks.closed.map(|(i, d)| (i, d.met)), clocks.started, clocks.next),
            (Some((4, Some(30))), None, 6)
        );
        assert_eq!(cleared.deadline, None);

        assert_eq!(
            change(7, &mut unit(Disposition::Active, None), None, Some(DeadlineKind::Notification), 0, u64::MAX),
            Err(Error::Overflow)
        );
    }

    #[test]
    fn the_owner_notifies_its_partners_once() {
        let notification = Deadline { unit: 7, kind: DeadlineKind::Notification, due: DAY, met: None };
        let mut illegitimate = unit(Disposition::Illegitimate, Some(3));
        let running = Some(notification);
        assert_eq!(notify(7, &mut illegitimate, running, PARTNER, &[OWNER], 5), Err(Error::NotOwner(7)));
        assert_eq!(notify(7, &mut illegitimate, running, OWNER, &[], 5), Err(Error::EmptyList));
        let many = [PARTNER; MAX_PARTNERS + 1];
        assert_eq!(notify(7, &mut illegitimate, running, OWNER, &many, 5), Err(Error::TooMany));
        assert_eq!(notify(7, &mut illegitimate, running, OWNER, &[PARTNER, PARTNER], 5), Err(Error::InvalidPartners));
        assert_eq!(notify(7, &mut illegitimate, running, OWNER, &[OWNER], 5), Err(Error::InvalidPartners));
        let mut quarantined = unit(Disposition::Quarantined, Some(3));
        let investigation = Deadline { kind: DeadlineKind::Investigation, ..notification };
        assert_eq!(
            notify(7, &mut quarantined, Some(investigation), OWNER, &[PARTNER], 5),
            Err(Error::NoNotificationDue(7))
        );
        assert_eq!(
            notify(7, &mut illegitimate, running, OWNER, &[PARTNER], 2 * DAY),
            Ok((3, Deadline { met: Some(2 * DAY), ..notification })),
            "late is still recorded"
        );
        assert_eq!(illegitimate.deadline, None);
        assert_eq!(notify(7, &mut illegitimate, None, OWNER, &[PARTNER], 5), Err(Error::NoNotificationDue(7)));
    }

    #[test]
    fn overdue_means_due_and_not_met() {
        let deadline = Deadline { unit: 7, kind: DeadlineKind::Notification, due: DAY, met: None };
        assert!(!is_overdue(&deadline, DAY - 1));
        assert!(is_overdue(&deadline, DAY));
        assert!(!is_overdue(&Deadline { met: Some(2 * DAY), ..deadline }, 3 * DAY));
    }
}
