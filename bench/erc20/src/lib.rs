//! # erc20: the benchmark baseline
//!
//! The minimal ERC-20 token of ink!'s integration tests (`integration-tests/erc20`, ink! 5.1.1), kept as it is there:
//! one `Mapping` of balances, one of allowances, `Transfer` and `Approval` events with topics, and
//! `Result<(), Error>` from the mutating messages. `healthchain-bench` measures its `transfer` as the yardstick the
//! healthchain messages are compared with; it is not part of healthchain.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
pub mod erc20 {
    use ink::storage::Mapping;

    /// A simple ERC-20 contract.
    #[ink(storage)]
    #[derive(Default)]
    pub struct Erc20 {
        /// Total token supply.
        total_supply: Balance,
        /// Mapping from owner to number of owned token.
        balances: Mapping<AccountId, Balance>,
        /// Mapping of the token amount which an account is allowed to withdraw from another account.
        allowances: Mapping<(AccountId, AccountId), Balance>,
    }

    /// Event emitted when a token transfer occurs.
    #[ink(event)]
    pub struct Transfer {
        #[ink(topic)]
        from: Option<AccountId>,
        #[ink(topic)]
        to: Option<AccountId>,
        value: Balance,
    }

    /// Event emitted when an approval occurs that `spender` is allowed to withdraw up to the amount of `value`
    /// tokens from `owner`.
    #[ink(event)]
    pub struct Approval {
        #[ink(topic)]
        owner: AccountId,
        #[ink(topic)]
        spender: AccountId,
        value: Balance,
    }

    /// The ERC-20 error types.
    #[derive(Debug, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum Error {
        /// Returned if not enough balance to fulfill a request is available.
        InsufficientBalance,
        /// Returned if not enough allowance to fulfill a request is available.
        InsufficientAllowance,
    }

    /// The ERC-20 result type.
    pub type Result<T> = core::result::Result<T, Error>;

    impl Erc20 {
        /// Creates a new ERC-20 contract with the specified initial supply.
        #[ink(constructor)]
        pub fn new(total_supply: Balance) -> Self {
            let mut balances = Mapping::default();
            let caller = Self::env().caller();
            balances.insert(caller, &total_supply);
            Self::env().emit_event(Transfer { from: None, to: Some(caller), value: total_supply });
            Self { total_supply, balances, allowances: Default::default() }
        }

        /// Returns the total token supply.
        #[ink(message)]
        pub fn total_supply(&self) -> Balance {
            self.total_supply
        }

        /// Returns the account balance for the specified `owner`: `0` if the account is non-existent.
        #[ink(message)]
        pub fn balance_of(&self, owner: AccountId) -> Balance {
            self.balance_of_impl(&owner)
        }

        #[inline]
        fn balance_of_impl(&self, owner: &AccountId) -> Balance {
            self.balances.get(owner).unwrap_or_default()
        }

        /// Returns the amount which `spender` is still allowed to withdraw from `owner`: `0` if none was set.
        #[ink(message)]
        pub fn allowance(&self, owner: AccountId, spender: AccountId) -> Balance {
            self.allowance_impl(&owner, &spender)
        }

        #[inline]
        fn allowance_impl(&self, owner: &AccountId, spender: &AccountId) -> Balance {
            self.allowances.get((owner, spender)).unwrap_or_default()
        }

        /// Transfers `value` amount of tokens from the caller's account to account `to`. On success a `Transfer`
        /// event is emitted; `InsufficientBalance` if the caller does not hold enough.
        #[ink(message)]
        pub fn transfer(&mut self, to: AccountId, value: Balance) -> Result<()> {
            let from = self.env().caller();
            self.transfer_from_to(&from, &to, value)
        }

        /// Allows `spender` to withdraw from the caller's account multiple times, up to the `value` amount. Calling
        /// it again overwrites the current allowance with `value`. An `Approval` event is emitted.
        #[ink(message)]
        pub fn approve(&mut self, spender: AccountId, value: Balance) -> Result<()> {
            let owner = self.env().caller();
            self.allowances.insert((&owner, &spender), &value);
            self.env().emit_event(Approval { owner, spender, value });
            Ok(())
        }

        /// Transfers `value` tokens on the behalf of `from` to the account `to`. `InsufficientAllowance` if the
        /// caller may not withdraw that much from `from`, `InsufficientBalance` if `from` does not hold enough.
        #[ink(message)]
        pub fn transfer_from(&mut self, from: AccountId, to: AccountId, value: Balance) -> Result<()> {
            let caller = self.env().caller();
            let allowance = self.allowance_impl(&from, &caller);
            if allowance < value {
                return Err(Error::InsufficientAllowance);
            }
            self.transfer_from_to(&from, &to, value)?;
            // We checked that allowance >= value
            #[allow(clippy::arithmetic_side_effects)]
            self.allowances.insert((&from, &caller), &(allowance - value));
            Ok(())
        }

        fn transfer_from_to(&mut self, from: &AccountId, to: &AccountId, value: Balance) -> Result<()> {
            let from_balance = self.balance_of_impl(from);
            if from_balance < value {
                return Err(Error::InsufficientBalance);
            }
            // We checked that from_balance >= value
            #[allow(clippy::arithmetic_side_effects)]
            self.balances.insert(from, &(from_balance - value));
            let to_balance = self.balance_of_impl(to);
            // As upstream: the total supply bounds every balance, so this cannot overflow.
            self.balances.insert(to, &(to_balance.checked_add(value).unwrap()));
            self.env().emit_event(Transfer { from: Some(*from), to: Some(*to), value });
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn accounts() -> ink::env::test::DefaultAccounts<ink::env::DefaultEnvironment> {
            ink::env::test::default_accounts::<ink::env::DefaultEnvironment>()
        }

        fn set_caller(caller: AccountId) {
            ink::env::test::set_caller::<ink::env::DefaultEnvironment>(caller);
        }

        fn event_count() -> usize {
            ink::env::test::recorded_events().count()
        }

        #[ink::test]
        fn new_gives_the_supply_to_the_deployer() {
            set_caller(accounts().alice);
            let erc20 = Erc20::new(100);
            assert_eq!(erc20.total_supply(), 100);
            assert_eq!(erc20.balance_of(accounts().alice), 100);
            assert_eq!(erc20.balance_of(accounts().bob), 0);
            assert_eq!(event_count(), 1);
        }

        #[ink::test]
        fn transfer_moves_tokens_or_is_refused() {
            set_caller(accounts().alice);
            let mut erc20 = Erc20::new(100);
            assert_eq!(erc20.transfer(accounts().bob, 10), Ok(()));
            assert_eq!((erc20.balance_of(accounts().alice), erc20.balance_of(accounts().bob)), (90, 10));
            assert_eq!(event_count(), 2);
            set_caller(accounts().bob);
            assert_eq!(erc20.transfer(accounts().eve, 11), Err(Error::InsufficientBalance));
            assert_eq!(erc20.balance_of(accounts().bob), 10);
            assert_eq!(event_count(), 2);
        }

        #[ink::test]
        fn transfer_from_needs_an_allowance() {
            set_caller(accounts().alice);
            let mut erc20 = Erc20::new(100);
            set_caller(accounts().bob);
            let (alice, eve) = (accounts().alice, accounts().eve);
            assert_eq!(erc20.transfer_from(alice, eve, 10), Err(Error::InsufficientAllowance));
            set_caller(alice);
            assert_eq!(erc20.approve(accounts().bob, 10), Ok(()));
            assert_eq!(erc20.allowance(alice, accounts().bob), 10);
            set_caller(accounts().bob);
            assert_eq!(erc20.transfer_from(alice, eve, 10), Ok(()));
            assert_eq!(erc20.balance_of(eve), 10);
            assert_eq!(erc20.allowance(alice, accounts().bob), 0);
            assert_eq!(erc20.transfer_from(alice, eve, 1), Err(Error::InsufficientAllowance));
        }
    }
}
