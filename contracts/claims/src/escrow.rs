//! The bookkeeping of a plan's escrow, free of storage and environment: funding, withdrawing what is free, what
//! claims are owed and what may be paid them.
//!
//! The escrow never pays more than was funded: `paid + balance == funded - withdrawn + recouped` after every
//! operation (what a recoupment netted off a payment stayed in the escrow), and `owed` is the approved benefit not
//! paid yet, reserved. Its free funds are `balance - owed`: only they may be withdrawn or paid at once to a new
//! claim (when the plan has no settlement delay); otherwise a claim owed joins the settlement queue and `settle`
//! pays the queue in order.

use crate::{
    adjudication::Balance,
    errors::{Error, Result},
    types::{Claim, Escrow},
};

/// Adds `amount` to the escrow (the payer funds it).
pub fn fund(escrow: &mut Escrow, amount: Balance) -> Result<()> {
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    let funded = escrow.funded.checked_add(amount).ok_or(Error::Overflow)?;
    escrow.balance = escrow.balance.checked_add(amount).ok_or(Error::Overflow)?;
    escrow.funded = funded;
    Ok(())
}

/// Takes `amount` of the escrow's free funds out (the payer withdraws it).
pub fn withdraw(escrow: &mut Escrow, amount: Balance) -> Result<()> {
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    if amount > escrow.balance.saturating_sub(escrow.owed) {
        return Err(Error::InsufficientFreeFunds);
    }
    let withdrawn = escrow.withdrawn.checked_add(amount).ok_or(Error::Overflow)?;
    escrow.balance = escrow.balance.checked_sub(amount).ok_or(Error::Overflow)?;
    escrow.withdrawn = withdrawn;
    Ok(())
}

/// Adds `benefit` approved on `claim` (at submission, review or appeal) to what it and its plan's escrow owe, and
/// returns what to pay it at once: nothing when the plan has a settlement delay (not `at_once`), else all it is
/// owed when the escrow's free funds (its balance beyond what other claims are owed) cover that, else 0 (it waits
/// for `settle`).
pub fn owe(escrow: &mut Escrow, claim: &mut Claim, benefit: Balance, at_once: bool) -> Result<Balance> {
    let claim_benefit = claim.benefit.checked_add(benefit).ok_or(Error::Overflow)?;
    escrow.owed = escrow.owed.checked_add(benefit).ok_or(Error::Overflow)?;
    claim.benefit = claim_benefit;
    if !at_once {
        return Ok(0);
    }
    let owed = claim.benefit.saturating_sub(claim.paid);
    let others = escrow.owed.saturating_sub(owed);
    if escrow.balance.saturating_sub(others) < owed {
        return Ok(0);
    }
    Ok(owed)
}

/// Releases `amount` a corrected claim was owed: the escrow no longer owes it.
pub fn release(escrow: &mut Escrow, amount: Balance) -> Result<()> {
    escrow.owed = escrow.owed.checked_sub(amount).ok_or(Error::Overflow)?;
    Ok(())
}

/// What `settle` pays: all the claim is owed, if the escrow's balance holds it.
pub fn settlement(escrow: &Escrow, claim: &Claim) -> Result<Balance> {
    let owed = claim.benefit.checked_sub(claim.paid).ok_or(Error::Overflow)?;
    if owed == 0 {
        return Err(Error::NothingOwed);
    }
    if escrow.balance < owed {
        return Err(Error::InsufficientEscrow);
    }
    Ok(owed)
}

/// Books a payment of `amount` to a claim that has been `paid` so far, whose provider owes this plan `recoupment`:
/// the recoupment is netted off first (that part stays in the escrow), and what remains is returned, to be
/// transferred. All of it, or nothing when it does not fit.
pub fn pay(escrow: &mut Escrow, paid: &mut Balance, amount: Balance, recoupment: &mut Balance) -> Result<Balance> {
    let netted = amount.min(*recoupment);
    let transfer = amount.checked_sub(netted).ok_or(Error::Overflow)?;
    let balance = escrow.balance.checked_sub(transfer).ok_or(Error::InsufficientEscrow)?;
    let owed = escrow.owed.checked_sub(amount).ok_or(Error::Overflow)?;
    let paid_out = escrow.paid.checked_add(amount).ok_or(Error::Overflow)?;
    let recouped = escrow.recouped.checked_add(netted).ok_or(Error::Overflow)?;
    let recoupable = escrow.recoupable.checked_sub(netted).ok_or(Error::Overflow)?;
    *paid = paid.checked_add(amount).ok_or(Error::Overflow)?;
    *recoupment = recoupment.checked_sub(netted).ok_or(Error::Overflow)?;
    escrow.balance = balance;
    escrow.owed = owed;
    escrow.paid = paid_out;
    escrow.recouped = recouped;
    escrow.recoupable = recoupable;
    Ok(transfer)
}

/// Books `amount` a reversed claim was paid as a recoupment its provider owes the plan; returns the provider's
/// recoupment after it.
pub fn recoup(escrow: &mut Escrow, recoupment: Balance, amount: Balance) -> Result<Balance> {
    let recoupment = recoupment.checked_add(amount).ok_or(Error::Overflow)?;
    escrow.recoupable = escrow.recoupable.checked_add(amount).ok_or(Error::Overflow)?;
    Ok(recoupment)
}

/// Appends a claim owed to the settlement queue; returns its position.
pub fn enqueue(escrow: &mut Escrow) -> Result<u64> {
    let position = escrow.settle_end;
    escrow.settle_end = position.checked_add(1).ok_or(Error::Overflow)?;
    Ok(position)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Funded 1000, 100 withdrawn, 300 paid, 200 owed: 600 held, 400 free.
    fn escrow() -> Escrow {
        Escrow { balance: 600, owed: 200, funded: 1_000, withdrawn: 100, paid: 300, ..Escrow::default() }
    }

    fn balanced(escrow: &Escrow) -> bool {
        escrow.paid + escrow.balance == escrow.funded - escrow.withdrawn + escrow.recouped
    }

    fn claim(benefit: Balance, paid: Balance) -> Claim {
        Claim { benefit, paid, ..Claim::sample() }
    }

    #[test]
    fn funding_and_withdrawing_keep_the_books() {
        let mut e = escrow();
        fund(&mut e, 50).unwrap();
        assert_eq!(e, Escrow { balance: 650, funded: 1_050, ..escrow() });
        assert!(balanced(&e));
        withdraw(&mut e, 450).unwrap();
        assert_eq!(e, Escrow { balance: 200, funded: 1_050, withdrawn: 550, ..escrow() });
        assert!(balanced(&e));
        // Only the free funds (balance beyond what is owed) may be withdrawn.
        assert_eq!(withdraw(&mut e, 1), Err(Error::InsufficientFreeFunds));
        assert_eq!(fund(&mut e, 0), Err(Error::ZeroAmount));
        assert_eq!(withdraw(&mut e, 0), Err(Error::ZeroAmount));
        assert_eq!(e, Escrow { balance: 200, funded: 1_050, withdrawn: 550, ..escrow() });
    }

    #[test]
    fn funding_or_withdrawing_what_does_not_fit_changes_nothing() {
        let full = Escrow { funded: Balance::MAX, ..escrow() };
        let mut e = full;
        assert_eq!(fund(&mut e, 1), Err(Error::Overflow));
        let mut e = Escrow { balance: Balance::MAX, ..escrow() };
        assert_eq!(fund(&mut e, 1), Err(Error::Overflow));
        assert_eq!(e, Escrow { balance: Balance::MAX, ..escrow() });
        let mut e = Escrow { withdrawn: Balance::MAX, ..escrow() };
        assert_eq!(withdraw(&mut e, 1), Err(Error::Overflow));
        assert_eq!(e, Escrow { withdrawn: Balance::MAX, ..escrow() });
    }

    #[test]
    fn a_claim_is_paid_at_once_only_from_free_funds() {
        // 400 free: a benefit of 400 is payable at once, 401 waits.
        let (mut e, mut c) = (escrow(), claim(0, 0));
        assert_eq!(owe(&mut e, &mut c, 400, true), Ok(400));
        assert_eq!((e.owed, c.benefit), (600, 400));
        let (mut e, mut c) = (escrow(), claim(0, 0));
        assert_eq!(owe(&mut e, &mut c, 401, true), Ok(0));
        assert_eq!((e.owed, c.benefit, e.balance), (601, 401, 600));
        // What the claim was owed before counts: 100 more on a claim owed 200 is 300, and the 200 is its own.
        let (mut e, mut c) = (escrow(), claim(500, 300));
        assert_eq!(owe(&mut e, &mut c, 100, true), Ok(300));
        // Nothing approved, nothing owed: nothing to pay.
        let (mut e, mut c) = (escrow(), claim(300, 300));
        assert_eq!(owe(&mut e, &mut c, 0, true), Ok(0));
    }

    #[test]
    fn owing_what_does_not_fit_changes_nothing() {
        let (mut e, mut c) = (escrow(), claim(Balance::MAX, 0));
        assert_eq!(owe(&mut e, &mut c, 1, true), Err(Error::Overflow));
        assert_eq!((e, c.benefit), (escrow(), Balance::MAX));
        let (mut e, mut c) = (Escrow { owed: Balance::MAX, ..escrow() }, claim(0, 0));
        assert_eq!(owe(&mut e, &mut c, 1, true), Err(Error::Overflow));
        assert_eq!((e.owed, c.benefit), (Balance::MAX, 0));
    }

    #[test]
    fn settle_pays_all_that_is_owed_from_the_balance() {
        // Owed 200 of the escrow's 200: settled even though nothing is free beyond it.
        let e = Escrow { balance: 200, owed: 200, funded: 500, withdrawn: 0, paid: 300, ..Escrow::default() };
        assert_eq!(settlement(&e, &claim(500, 300)), Ok(200));
        assert_eq!(settlement(&e, &claim(501, 300)), Err(Error::InsufficientEscrow));
        assert_eq!(settlement(&e, &claim(300, 300)), Err(Error::NothingOwed));
        assert_eq!(settlement(&e, &claim(300, 301)), Err(Error::Overflow));
    }

    #[test]
    fn a_payment_is_booked_whole_or_not_at_all() {
        let (mut e, mut paid, mut none) = (escrow(), 100, 0);
        assert_eq!(pay(&mut e, &mut paid, 150, &mut none), Ok(150));
        assert_eq!((e, paid), (Escrow { balance: 450, owed: 50, paid: 450, ..escrow() }, 250));
        assert!(balanced(&e));
        let (mut e, mut paid) = (escrow(), 100);
        assert_eq!(pay(&mut e, &mut paid, 601, &mut none), Err(Error::InsufficientEscrow));
        assert_eq!(pay(&mut e, &mut paid, 201, &mut none), Err(Error::Overflow), "more than the escrow owes");
        let mut full = Balance::MAX;
        assert_eq!(pay(&mut e, &mut full, 1, &mut none), Err(Error::Overflow), "more than a claim can have been paid");
        assert_eq!((e, paid, full), (escrow(), 100, Balance::MAX));
    }

    #[test]
    fn a_recoupment_is_netted_off_the_next_payment_and_stays_in_the_escrow() {
        // The provider owes 120 after a reversal: a payment of 150 transfers 30 and nets 120 off.
        let mut e = escrow();
        let recoupment = recoup(&mut e, 0, 120).unwrap();
        assert_eq!((recoupment, e.recoupable), (120, 120));
        let (mut paid, mut owes) = (0, recoupment);
        assert_eq!(pay(&mut e, &mut paid, 150, &mut owes), Ok(30));
        assert_eq!((paid, owes, e.balance, e.owed, e.paid, e.recouped, e.recoupable), (150, 0, 570, 50, 450, 120, 0));
        assert!(balanced(&e));
        // A payment smaller than the recoupment transfers nothing: the rest waits for the next one.
        let mut e = escrow();
        let mut owes = recoup(&mut e, 0, 500).unwrap();
        let mut paid = 0;
        assert_eq!(pay(&mut e, &mut paid, 200, &mut owes), Ok(0));
        assert_eq!((owes, e.balance, e.recoupable), (300, 600, 300));
        assert!(balanced(&e));
        assert_eq!(recoup(&mut e, Balance::MAX, 1), Err(Error::Overflow));
    }

    #[test]
    fn a_claim_owed_under_a_settlement_delay_is_never_paid_at_once() {
        let (mut e, mut c) = (escrow(), claim(0, 0));
        assert_eq!(owe(&mut e, &mut c, 100, false), Ok(0));
        assert_eq!((e.owed, c.benefit), (300, 100));
        let mut e = escrow();
        assert_eq!((enqueue(&mut e), enqueue(&mut e)), (Ok(0), Ok(1)));
        assert_eq!((e.settle_next, e.settle_end), (0, 2));
        let mut full = Escrow { settle_end: u64::MAX, ..escrow() };
        assert_eq!(enqueue(&mut full), Err(Error::Overflow));
    }
}
