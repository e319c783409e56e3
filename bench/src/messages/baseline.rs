//! The yardstick: ink!'s ERC-20, measured the same way.

use erc20::erc20::{Erc20, Erc20Ref};

use super::*;

/// The row every ratio is taken against: a transfer between two accounts that both hold tokens already (the
/// steady state of a token; the first transfer to a new holder, which also creates its balance entry, is measured
/// beside it).
pub const BASELINE: (&str, &str, &str) = ("erc20", "transfer", "to an account that already holds tokens");

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, cast: &Cast) {
    let l = |message, case| Label::new("erc20", message, case, Kind::Single).group(Group::Baseline);
    let (alice, bob, charlie, dave) = (&cast.admin, account(&cast.board), &cast.doctor, account(&cast.patient));
    let mut constructor = Erc20Ref::new(1_000_000_000_000);
    let token = b.client.instantiate("erc20", alice, &mut constructor).submit().await.expect("instantiate erc20");
    let erc20 = || ink_e2e::create_call_builder::<Erc20>(token.account_id);
    b.tx(l("transfer", "to a new holder"), alice, &erc20().transfer(bob, 1_000)).await;
    b.tx(l("transfer", BASELINE.2), alice, &erc20().transfer(bob, 1_000)).await;
    b.tx(l("approve", "a new allowance"), alice, &erc20().approve(account(charlie), 500)).await;
    let from = erc20().transfer_from(account(alice), dave, 100);
    b.tx(l("transfer_from", "within the allowance, to a new holder"), charlie, &from).await;
    b.read(l("balance_of", "a holder"), &erc20().balance_of(account(alice))).await;
    b.read(l("allowance", "a set allowance"), &erc20().allowance(account(alice), account(charlie))).await;
    b.read(l("total_supply", super::FLOOR), &erc20().total_supply()).await;
}
