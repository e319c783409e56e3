//! The yardstick: ink!'s ERC-20, measured the same way.

use core::fmt::Debug;
use erc20::erc20::{Erc20, Erc20Ref};
use healthchain_tests::{account, Backend, Cast, Env};
use ink_e2e::ContractsBackend;

use crate::measure::{Bench, Group, Kind, Label};

/// The row every ratio is taken against: a transfer between two accounts that both hold tokens already (the
/// steady state of a token; the first transfer to a new holder, which also creates its balance entry, is measured
/// beside it).
pub const BASELINE: (&str, &str, &str) = ("erc20", "transfer", "to an account that already holds tokens");

fn label(message: &'static str, case: &str) -> Label {
    Label::new("erc20", message, case, Kind::Single).group(Group::Baseline)
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, cast: &Cast)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (alice, bob, charlie, dave) = (&cast.admin, &cast.board, &cast.doctor, &cast.patient);
    let token = b
        .client
        .instantiate("erc20", alice, &mut Erc20Ref::new(1_000_000_000_000))
        .submit()
        .await
        .expect("instantiate erc20")
        .account_id;
    let erc20 = || ink_e2e::create_call_builder::<Erc20>(token);

    b.tx(label("transfer", "to a new holder"), alice, &erc20().transfer(account(bob), 1_000)).await;
    let (_, _, case) = BASELINE;
    b.tx(label("transfer", case), alice, &erc20().transfer(account(bob), 1_000)).await;
    b.tx(label("approve", "a new allowance"), alice, &erc20().approve(account(charlie), 500)).await;
    b.tx(
        label("transfer_from", "within the allowance, to a new holder"),
        charlie,
        &erc20().transfer_from(account(alice), account(dave), 100),
    )
    .await;
    b.read(label("balance_of", "a holder"), alice, &erc20().balance_of(account(alice))).await;
    b.read(label("allowance", "a set allowance"), alice, &erc20().allowance(account(alice), account(charlie))).await;
    b.read(label("total_supply", super::FLOOR), alice, &erc20().total_supply()).await;
}
