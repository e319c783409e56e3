//! The bookkeeping of a plan's escrow, free of storage and environment: funding, withdrawing what is free, what
//! claims are owed and what may be paid them.
//!
//! The escrow never pays more than was funded: `paid + balance == funded - withdrawn` after every operation, and
//! `owed` is the approved benefit not paid yet. Its free funds are `balance - owed`: only they may be withdrawn or
//! paid at once to a new claim; `settle` pays a claim what it is owed from the balance.

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
/// returns what to pay it at once: all it is owed when the escrow's free funds (its balance beyond what other
/// claims are owed) cover that, else 0 (it waits for `settle`).
pub fn owe(escrow: &mut Escrow, claim: &mut Claim, benefit: Balance) -> Result<Balance> {
    let claim_benefit = claim.benefit.checked_add(benefit).ok_or(Error::Overflow)?;
    escrow.owed = escrow.owed.checked_add(benefit).ok_or(Error::Overflow)?;
    claim.benefit = claim_benefit;
    let owed = claim.benefit.saturating_sub(claim.paid);
    let others = escrow.owed.saturating_sub(owed);
    if escrow.balance.saturating_sub(others) < owed {
        return Ok(0);
    }
    Ok(owed)
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

/// Books a payment of `amount` to a claim that has been `paid` so far: all of it, or nothing when it does not fit.
pub fn pay(escrow: &mut Escrow, paid: &mut Balance, amount: Balance) -> Result<()> {
    let balance = escrow.balance.checked_sub(amount).ok_or(Error::InsufficientEscrow)?;
    let owed = escrow.owed.checked_sub(amount).ok_or(Error::Overflow)?;
    let paid_out = escrow.paid.checked_add(amount).ok_or(Error::Overflow)?;
    *paid = paid.checked_add(amount).ok_or(Error::Overflow)?;
    escrow.balance = balance;
    escrow.owed = owed;
    escrow.paid = paid_out;
    Ok(())
}
