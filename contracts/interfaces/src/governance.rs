//! Governance, the same in every contract: a two-step admin transfer (the admin proposes, the proposed account
//! accepts), code upgrades, the dependencies a contract calls, and the events of those messages.
//!
//! A contract keeps an [`Admin`] in its storage and its governance messages are one-line shells over it (ink! 5
//! cannot generate messages from a shared type); its `Error` gets the matching variants with
//! [`crate::admin_errors!`].

use crate::AccountId;

/// Why an admin message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum AdminError {
    /// The caller is not the admin.
    NotAdmin,
    /// No transfer is pending, or the caller is not the account it was proposed to.
    NotProposedAdmin,
    /// The chain refused the new code hash.
    UpgradeFailed,
}

/// `impl From<AdminError> for $error`, for a contract `Error` with the variants `NotAdmin`, `NotProposedAdmin` and
/// `UpgradeFailed`.
#[macro_export]
macro_rules! admin_errors {
    ($error:ident) => {
        impl From<$crate::governance::AdminError> for $error {
            fn from(error: $crate::governance::AdminError) -> Self {
                match error {
                    $crate::governance::AdminError::NotAdmin => $error::NotAdmin,
                    $crate::governance::AdminError::NotProposedAdmin => $error::NotProposedAdmin,
                    $crate::governance::AdminError::UpgradeFailed => $error::UpgradeFailed,
                }
            }
        }
    };
}

/// The current admin and the account a transfer was proposed to, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Admin {
    admin: AccountId,
    proposed: Option<AccountId>,
}

impl Admin {
    pub fn new(admin: AccountId) -> Self {
        Self { admin, proposed: None }
    }

    pub fn admin(&self) -> AccountId {
        self.admin
    }

    pub fn proposed(&self) -> Option<AccountId> {
        self.proposed
    }

    pub fn is_admin(&self, account: AccountId) -> bool {
        self.admin == account
    }

    pub fn ensure_admin(&self, caller: AccountId) -> Result<(), AdminError> {
        if self.is_admin(caller) {
            Ok(())
        } else {
            Err(AdminError::NotAdmin)
        }
    }

    /// Step one, by the admin: propose `new_admin` (replacing any earlier proposal).
    pub fn propose(&mut self, caller: AccountId, new_admin: AccountId) -> Result<AdminProposed, AdminError> {
        self.ensure_admin(caller)?;
        self.proposed = Some(new_admin);
        Ok(AdminProposed { admin: caller, proposed: new_admin })
    }

    /// Step two, by the proposed account: become the admin.
    pub fn accept(&mut self, caller: AccountId) -> Result<AdminChanged, AdminError> {
        if self.proposed != Some(caller) {
            return Err(AdminError::NotProposedAdmin);
        }
        let previous = self.admin;
        self.admin = caller;
        self.proposed = None;
        Ok(AdminChanged { previous, admin: caller })
    }

    /// By the admin: replace the calling contract's code with the code at `code_hash`, keeping its storage.
    pub fn upgrade(&self, caller: AccountId, code_hash: ink::primitives::Hash) -> Result<CodeUpgraded, AdminError> {
        self.ensure_admin(caller)?;
        ink::env::set_code_hash::<ink::env::DefaultEnvironment>(&code_hash).map_err(|_| AdminError::UpgradeFailed)?;
        Ok(CodeUpgraded { code_hash: code_hash.into() })
    }
}

/// The admin proposed a new admin; nothing changes until that account accepts.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminProposed {
    #[ink(topic)]
    pub admin: AccountId,
    #[ink(topic)]
    pub proposed: AccountId,
}

/// The proposed account accepted and is now the admin.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminChanged {
    #[ink(topic)]
    pub previous: AccountId,
    #[ink(topic)]
    pub admin: AccountId,
}

/// Another contract this one calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Dependency {
    Participants,
    Consent,
    Records,
}

/// The admin pointed this contract at another address for one of its dependencies.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyChanged {
    pub dependency: Dependency,
    #[ink(topic)]
    pub address: AccountId,
}

/// The admin replaced this contract's code, keeping its storage.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeUpgraded {
    #[ink(topic)]
    pub code_hash: [u8; 32],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    #[test]
    fn transfer_takes_two_steps() {
        let mut admin = Admin::new(account(1));
        assert_eq!(admin.propose(account(2), account(3)), Err(AdminError::NotAdmin));
        assert_eq!(admin.accept(account(3)), Err(AdminError::NotProposedAdmin));
        assert_eq!(
            admin.propose(account(1), account(3)),
            Ok(AdminProposed { admin: account(1), proposed: account(3) })
        );
        assert!(admin.is_admin(account(1)), "nothing changes before acceptance");
        assert_eq!(admin.accept(account(2)), Err(AdminError::NotProposedAdmin));
        assert_eq!(admin.accept(account(3)), Ok(AdminChanged { previous: account(1), admin: account(3) }));
        assert!(admin.is_admin(account(3)) && !admin.is_admin(account(1)));
        assert_eq!(admin.proposed(), None);
        assert_eq!(admin.accept(account(3)), Err(AdminError::NotProposedAdmin), "a proposal is used once");
    }
}
