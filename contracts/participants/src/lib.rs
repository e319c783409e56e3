//! # participants: who is who
//!
//! A governance admin appoints credential **issuers** (a medical board, a board of pharmacy, ...), each allowed a
//! named set of roles. Issuers **attest** credentials to accounts: role, licence id hash, NPI for providers,
//! validity period. The issuer (or the admin) can suspend, reinstate and revoke a credential.
//!
//! Every other healthchain contract asks [`interfaces::Participants::has_role`], which is true only for an Active
//! credential inside its validity period whose issuer is still appointed and still allowed that role.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod npi;

#[ink::contract]
pub mod participants {
    use ink::{prelude::vec::Vec, storage::Mapping};
    use interfaces::{
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded},
        Hash32, Participants as ParticipantsTrait, Role, RoleSet,
    };

    /// Where a credential stands. Revoked is final.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum CredentialStatus {
        Active,
        Suspended,
        Revoked,
    }

    /// One role attested to one account.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Credential {
        pub role: Role,
        /// Hash of the licence identifier (the identifier itself stays off chain).
        pub licence_hash: Hash32,
        /// National Provider Identifier, for providers only.
        pub npi: Option<u64>,
        pub issuer: AccountId,
        /// Valid in `[valid_from, valid_until)`, in milliseconds.
        pub valid_from: Timestamp,
        pub valid_until: Timestamp,
        pub status: CredentialStatus,
        pub attested_at: Timestamp,
    }

    /// An appointed issuer and the roles it may attest.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Issuer {
        pub roles: RoleSet,
        pub appointed_at: Timestamp,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum Error {
        /// The caller is not the admin.
        NotAdmin,
        /// No admin transfer is pending for the caller.
        NotProposedAdmin,
        /// The caller is not an appointed issuer.
        NotIssuer,
        /// No issuer is appointed at that account.
        IssuerNotFound,
        /// An issuer's role set must name at least one role and may not name Issuer.
        InvalidRoleSet,
        /// The issuer is not allowed to attest this role.
        RoleNotAllowed,
        /// The Issuer role is given by appointment, not attested.
        RoleNotAttestable,
        /// A provider credential needs an NPI.
        NpiRequired,
        /// Only provider credentials carry an NPI.
        NpiNotExpected,
        /// The NPI is not 10 digits starting with 1 or 2 with a valid Luhn check digit.
        InvalidNpi,
        /// `valid_until` must be after `valid_from`.
        InvalidPeriod,
        /// `valid_until` has already passed.
        PeriodEnded,
        /// The account already holds a live (active or suspended, unexpired) credential for this role.
        CredentialExists,
        /// The account holds no credential for this role.
        CredentialNotFound,
        /// Only the credential's issuer or the admin may change it.
        NotCredentialIssuer,
        /// Only an Active credential can be suspended.
        NotActive,
        /// Only a Suspended credential can be reinstated.
        NotSuspended,
        /// The credential is already revoked.
        AlreadyRevoked,
        /// The chain refused the new code hash.
        UpgradeFailed,
    }

    interfaces::admin_errors!(Error);

    pub type Result<T> = core::result::Result<T, Error>;

    #[ink(event)]
    pub struct IssuerAppointed {
        #[ink(topic)]
        issuer: AccountId,
        roles: RoleSet,
    }

    #[ink(event)]
    pub struct IssuerRemoved {
        #[ink(topic)]
        issuer: AccountId,
    }

    #[ink(event)]
    pub struct CredentialAttested {
        #[ink(topic)]
        account: AccountId,
        #[ink(topic)]
        role: Role,
        #[ink(topic)]
        issuer: AccountId,
        valid_from: Timestamp,
        valid_until: Timestamp,
    }

    #[ink(event)]
    pub struct CredentialSuspended {
        #[ink(topic)]
        account: AccountId,
        #[ink(topic)]
        role: Role,
        #[ink(topic)]
        by: AccountId,
    }

    #[ink(event)]
    pub struct CredentialReinstated {
        #[ink(topic)]
        account: AccountId,
        #[ink(topic)]
        role: Role,
        #[ink(topic)]
        by: AccountId,
    }

    #[ink(event)]
    pub struct CredentialRevoked {
        #[ink(topic)]
        account: AccountId,
        #[ink(topic)]
        role: Role,
        #[ink(topic)]
        by: AccountId,
    }

    #[ink(storage)]
    pub struct Participants {
        admin: Admin,
        issuers: Mapping<AccountId, Issuer>,
        credentials: Mapping<(AccountId, Role), Credential>,
        /// The roles `account` has a credential entry for (any status), so that `roles_of` and `credentials_of`
        /// read only those entries.
        attested: Mapping<AccountId, RoleSet>,
    }

    impl Participants {
        /// The caller becomes the governance admin.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                issuers: Mapping::new(),
                credentials: Mapping::new(),
                attested: Mapping::new(),
            }
        }

        // ---- governance ----

        /// Admin: propose `new_admin`; it takes over when it calls `accept_admin`.
        #[ink(message)]
        pub fn propose_admin(&mut self, new_admin: AccountId) -> Result<()> {
            let event = self.admin.propose(self.env().caller(), new_admin)?;
            self.env().emit_event::<AdminProposed>(event);
            Ok(())
        }

        /// The proposed admin takes over.
        #[ink(message)]
        pub fn accept_admin(&mut self) -> Result<()> {
            let event = self.admin.accept(self.env().caller())?;
            self.env().emit_event::<AdminChanged>(event);
            Ok(())
        }

        /// Admin: replace this contract's code, keeping its storage.
        #[ink(message)]
        pub fn upgrade(&mut self, code_hash: Hash) -> Result<()> {
            let event = self.admin.upgrade(self.env().caller(), code_hash)?;
            self.env().emit_event::<CodeUpgraded>(event);
            Ok(())
        }

        /// Admin: appoint `issuer` (or change its roles) to attest `roles`.
        #[ink(message)]
        pub fn appoint_issuer(&mut self, issuer: AccountId, roles: RoleSet) -> Result<()> {
            self.admin.ensure_admin(self.env().caller())?;
            let attestable = Role::ALL.iter().filter(|r| **r != Role::Issuer).fold(RoleSet::EMPTY, |s, r| s.with(*r));
            if roles.is_empty() || !attestable.includes(roles) {
                return Err(Error::InvalidRoleSet);
            }
            self.issuers.insert(issuer, &Issuer { roles, appointed_at: self.env().block_timestamp() });
            self.env().emit_event(IssuerAppointed { issuer, roles });
            Ok(())
        }

        /// Admin: remove `issuer`. Credentials it attested stop counting at once.
        #[ink(message)]
        pub fn remove_issuer(&mut self, issuer: AccountId) -> Result<()> {
            self.admin.ensure_admin(self.env().caller())?;
            self.issuers.take(issuer).ok_or(Error::IssuerNotFound)?;
            self.env().emit_event(IssuerRemoved { issuer });
            Ok(())
        }

        // ---- credentials ----

        /// Issuer: attest `role` to `account`, valid in `[valid_from, valid_until)` (ms). Providers need a valid NPI.
        #[ink(message)]
        pub fn attest(
            &mut self,
            account: AccountId,
            role: Role,
            licence_hash: Hash32,
            npi: Option<u64>,
            valid_from: Timestamp,
            valid_until: Timestamp,
        ) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let issuer = self.issuers.get(caller).ok_or(Error::NotIssuer)?;
            if role == Role::Issuer {
                return Err(Error::RoleNotAttestable);
            }
            if !issuer.roles.contains(role) {
                return Err(Error::RoleNotAllowed);
            }
            match (role, npi) {
                (Role::Provider, None) => return Err(Error::NpiRequired),
                (Role::Provider, Some(npi)) if !crate::npi::is_valid(npi) => return Err(Error::InvalidNpi),
                (Role::Provider, Some(_)) => {}
                (_, Some(_)) => return Err(Error::NpiNotExpected),
                (_, None) => {}
            }
            if valid_until <= valid_from {
                return Err(Error::InvalidPeriod);
            }
            if valid_until <= now {
                return Err(Error::PeriodEnded);
            }
            if let Some(existing) = self.credentials.get((account, role)) {
                if existing.status != CredentialStatus::Revoked && existing.valid_until > now {
                    return Err(Error::CredentialExists);
                }
            }
            let attested = self.attested.get(account).unwrap_or_default();
            let credential = Credential {
                role,
                licence_hash,
                npi,
                issuer: caller,
                valid_from,
                valid_until,
                status: CredentialStatus::Active,
                attested_at: now,
            };
            self.credentials.insert((account, role), &credential);
            if !attested.contains(role) {
                self.attested.insert(account, &attested.with(role));
            }
            self.env().emit_event(CredentialAttested { account, role, issuer: caller, valid_from, valid_until });
            Ok(())
        }

        /// The credential's issuer or the admin: suspend an Active credential.
        #[ink(message)]
        pub fn suspend(&mut self, account: AccountId, role: Role) -> Result<()> {
            let by = self.env().caller();
            let mut credential = self.credential_changeable_by(account, role, by)?;
            if credential.status != CredentialStatus::Active {
                return Err(Error::NotActive);
            }
            credential.status = CredentialStatus::Suspended;
            self.credentials.insert((account, role), &credential);
            self.env().emit_event(CredentialSuspended { account, role, by });
            Ok(())
        }

        /// The credential's issuer or the admin: reinstate a Suspended credential.
        #[ink(message)]
        pub fn reinstate(&mut self, account: AccountId, role: Role) -> Result<()> {
            let by = self.env().caller();
            let mut credential = self.credential_changeable_by(account, role, by)?;
            if credential.status != CredentialStatus::Suspended {
                return Err(Error::NotSuspended);
            }
            credential.status = CredentialStatus::Active;
            self.credentials.insert((account, role), &credential);
            self.env().emit_event(CredentialReinstated { account, role, by });
            Ok(())
        }

        /// The credential's issuer or the admin: revoke a credential for good.
        #[ink(message)]
        pub fn revoke(&mut self, account: AccountId, role: Role) -> Result<()> {
            let by = self.env().caller();
            let mut credential = self.credential_changeable_by(account, role, by)?;
            if credential.status == CredentialStatus::Revoked {
                return Err(Error::AlreadyRevoked);
            }
            credential.status = CredentialStatus::Revoked;
            self.credentials.insert((account, role), &credential);
            self.env().emit_event(CredentialRevoked { account, role, by });
            Ok(())
        }

        // ---- reads ----

        #[ink(message)]
        pub fn admin(&self) -> AccountId {
            self.admin.admin()
        }

        #[ink(message)]
        pub fn proposed_admin(&self) -> Option<AccountId> {
            self.admin.proposed()
        }

        #[ink(message)]
        pub fn issuer(&self, issuer: AccountId) -> Option<Issuer> {
            self.issuers.get(issuer)
        }

        #[ink(message)]
        pub fn credential(&self, account: AccountId, role: Role) -> Option<Credential> {
            self.credentials.get((account, role))
        }

        /// Every credential `account` holds, one per role at most (so at most seven).
        #[ink(message)]
        pub fn credentials_of(&self, account: AccountId) -> Vec<Credential> {
            let attested = self.attested.get(account).unwrap_or_default();
            Role::ALL
                .iter()
                .filter(|role| attested.contains(**role))
                .filter_map(|role| self.credentials.get((account, *role)))
                .collect()
        }

        // ---- internals ----

        fn credential_changeable_by(&self, account: AccountId, role: Role, by: AccountId) -> Result<Credential> {
            let credential = self.credentials.get((account, role)).ok_or(Error::CredentialNotFound)?;
            if credential.issuer != by && !self.admin.is_admin(by) {
                return Err(Error::NotCredentialIssuer);
            }
            Ok(credential)
        }

        fn holds(&self, account: AccountId, role: Role, now: Timestamp) -> bool {
            if role == Role::Issuer {
                return self.issuers.contains(account);
            }
            let Some(credential) = self.credentials.get((account, role)) else {
                return false;
            };
            credential.status == CredentialStatus::Active
                && credential.valid_from <= now
                && now < credential.valid_until
                && self.issuers.get(credential.issuer).is_some_and(|issuer| issuer.roles.contains(role))
        }
    }

    impl ParticipantsTrait for Participants {
        #[ink(message)]
        fn has_role(&self, account: AccountId, role: Role) -> bool {
            self.holds(account, role, self.env().block_timestamp())
        }

        /// Reads the issuer entry and one credential per role `account` was ever attested.
        #[ink(message)]
        fn roles_of(&self, account: AccountId) -> RoleSet {
            let now = self.env().block_timestamp();
            let attested = self.attested.get(account).unwrap_or_default().with(Role::Issuer);
            Role::ALL
                .iter()
                .filter(|role| attested.contains(**role) && self.holds(account, **role, now))
                .fold(RoleSet::EMPTY, |s, r| s.with(*r))
        }
    }

    impl Default for Participants {
        fn default() -> Self {
            Self::new()
        }
    }
}

#[cfg(test)]
mod tests;
