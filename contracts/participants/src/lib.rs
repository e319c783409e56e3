//! # participants: who is who
//!
//! A governance admin appoints credential **issuers** (a medical board, a board of pharmacy, ...), each allowed a
//! named set of roles. Issuers **attest** credentials to other accounts (never their own): role, licence id hash,
//! NPI for providers (an NPI is held by one account), validity period. The issuer (or the admin) can suspend,
//! reinstate and revoke a credential; each status records whose authority made it, and what the admin did only the
//! admin undoes. A revocation is final: no issuer reinstates or re-attests it, until the admin lifts it.
//!
//! An issuer allowed Manufacturer also attests the **GS1 Company Prefixes** GS1 licensed to a Manufacturer
//! ([`company_prefix`]); custody asks [`interfaces::Participants::holds_gtin`] before it registers a product, so that
//! a GTIN is registered only by the company whose prefix it carries.
//!
//! Every other healthchain contract asks [`interfaces::Participants::has_role`], which is true only for an Active
//! credential inside its validity period whose issuer is still appointed and still allowed that role.
//!
//! Everything stored here is public on chain: who is an issuer of which roles, each account's credentials (role,
//! licence hash, NPI, issuer, period, status and by whose authority), which account each NPI was attested to,
//! and which company prefix is attested to which Manufacturer.
//! The licence identifier itself stays off chain.
//!
//! Layout: [`errors`], [`events`], [`types`], and the pure rules: [`credential`] (appointment, attestation, status
//! changes, what makes `has_role` true) and [`npi`] (the NPI check digit). The contract [`participants`] only
//! loads, calls the rule, writes what it returns and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod company_prefix;
pub mod credential;
pub mod errors;
pub mod events;
pub mod npi;
pub mod types;

#[ink::contract]
pub mod participants {
    use crate::{
        company_prefix,
        credential::{self, Attestation, StatusChange},
    };
    pub use crate::{
        errors::{Error, Result},
        events::*,
        types::*,
    };
    use ink::{
        prelude::{string::String, vec::Vec},
        storage::Mapping,
    };
    use interfaces::{
        governance::{Admin, AdminChanged, AdminProposed, CodeUpgraded},
        GtinHolding, Hash32, Participants as ParticipantsTrait, Role, RoleSet,
    };

    #[ink(storage)]
    pub struct Participants {
        admin: Admin,
        issuers: Mapping<AccountId, Issuer>,
        credentials: Mapping<(AccountId, Role), Credential>,
        /// The roles `account` has a credential entry for (any status), so that `roles_of` and `credentials_of`
        /// read only those entries.
        attested: Mapping<AccountId, RoleSet>,
        /// The account each NPI was last attested to. It holds the NPI while its provider credential does
        /// ([`credential::holds_npi`]): the entry is checked when read, so revocation, expiry and lifting write
        /// nothing here.
        npi_holders: Mapping<u64, AccountId>,
        /// GS1 Company Prefixes (4 to 12 digits, checked before the key is built) and whom they are attested to.
        company_prefixes: Mapping<String, CompanyPrefix>,
    }

    impl Participants {
        /// `admin` governs it (the council contract in a deployment, see `council`).
        #[ink(constructor)]
        pub fn new(admin: AccountId) -> Self {
            Self {
                admin: Admin::new(admin),
                issuers: Mapping::new(),
                credentials: Mapping::new(),
                attested: Mapping::new(),
                npi_holders: Mapping::new(),
                company_prefixes: Mapping::new(),
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
            let appointment = credential::appoint(roles, self.env().block_timestamp())?;
            self.issuers.insert(issuer, &appointment);
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

        /// Issuer: attest `role` to `account` (not itself), valid in `[valid_from, valid_until)` (ms). Providers need a
        /// valid NPI that no other account holds. The rules: [`credential::attest`].
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
            let issuer = self.issuers.get(caller);
            let credential = self.credentials.get((account, role));
            let attestation = Attestation { account, role, licence_hash, npi, valid_from, valid_until };
            let attested = credential::attest(
                caller,
                issuer,
                credential,
                attestation,
                self.env().block_timestamp(),
                |npi| self.npi_holders.get(npi),
                |holder| self.credentials.get((holder, Role::Provider)),
            )?;
            let roles = self.attested.get(account).unwrap_or_default();
            self.credentials.insert((account, role), &attested.credential);
            if let Some(roles) = credential::attested_roles(roles, role) {
                self.attested.insert(account, &roles);
            }
            if let Some(npi) = attested.npi_claimed {
                self.npi_holders.insert(npi, &account);
            }
            self.env().emit_event(CredentialAttested { account, role, issuer: caller, valid_from, valid_until });
            Ok(())
        }

        /// The credential's issuer or the admin: suspend an Active credential (the admin may also take over an
        /// issuer's suspension). The rules: [`credential::change_status`].
        #[ink(message)]
        pub fn suspend(&mut self, account: AccountId, role: Role) -> Result<()> {
            let (by, authority) = self.change_status(account, role, StatusChange::Suspend)?;
            self.env().emit_event(CredentialSuspended { account, role, by, authority });
            Ok(())
        }

        /// The credential's issuer or the admin: reinstate a Suspended credential; one the admin suspended, only the
        /// admin.
        #[ink(message)]
        pub fn reinstate(&mut self, account: AccountId, role: Role) -> Result<()> {
            let (by, authority) = self.change_status(account, role, StatusChange::Reinstate)?;
            self.env().emit_event(CredentialReinstated { account, role, by, authority });
            Ok(())
        }

        /// The credential's issuer or the admin: revoke a credential. Final: only the admin lifts it.
        #[ink(message)]
        pub fn revoke(&mut self, account: AccountId, role: Role) -> Result<()> {
            let (by, authority) = self.change_status(account, role, StatusChange::Revoke)?;
            self.env().emit_event(CredentialRevoked { account, role, by, authority });
            Ok(())
        }

        /// Admin: lift the revocation of `account`'s credential for `role`. The revoked credential is cleared (its
        /// NPI released), so that an issuer may attest the role to the account again. The rule:
        /// [`credential::lift_revocation`].
        #[ink(message)]
        pub fn lift_revocation(&mut self, account: AccountId, role: Role) -> Result<()> {
            let by = self.env().caller();
            self.admin.ensure_admin(by)?;
            let credential = self.credentials.get((account, role)).ok_or(Error::CredentialNotFound)?;
            credential::lift_revocation(&credential)?;
            let roles = self.attested.get(account).unwrap_or_default();
            self.credentials.remove((account, role));
            self.attested.insert(account, &roles.without(role));
            self.env().emit_event(RevocationLifted { account, role, by });
            Ok(())
        }

        // ---- GS1 company prefixes ----

        /// Issuer allowed Manufacturer: attest the GS1 Company Prefix `prefix` (4 to 12 digits) to `account`, which
        /// holds a live Manufacturer credential. A prefix is held by one account. The rules:
        /// [`company_prefix::attest`].
        #[ink(message)]
        pub fn attest_company_prefix(&mut self, account: AccountId, prefix: String) -> Result<()> {
            let caller = self.env().caller();
            let attested = company_prefix::attest(
                caller,
                self.issuers.get(caller),
                account,
                &prefix,
                self.env().block_timestamp(),
                || self.credentials.get((account, Role::Manufacturer)),
                |part| self.company_prefixes.get(part),
            )?;
            self.company_prefixes.insert(&prefix, &attested);
            self.env().emit_event(CompanyPrefixAttested { account, prefix, issuer: caller });
            Ok(())
        }

        /// The prefix's issuer or the admin: withdraw the company prefix `prefix`. Products already registered
        /// under it stay with their manufacturer (a Regulator reassigns them in custody).
        #[ink(message)]
        pub fn withdraw_company_prefix(&mut self, prefix: String) -> Result<()> {
            let by = self.env().caller();
            company_prefix::ensure_valid(&prefix)?;
            let attested = company_prefix::withdraw(self.company_prefixes.get(&prefix), by, self.admin.admin())?;
            self.company_prefixes.remove(&prefix);
            self.env().emit_event(CompanyPrefixWithdrawn { account: attested.holder, prefix, by });
            Ok(())
        }

        // ---- reads ----

        /// The company prefix attested at `prefix` (None for none, and for what is no prefix: no key is built).
        #[ink(message)]
        pub fn company_prefix(&self, prefix: String) -> Option<CompanyPrefix> {
            company_prefix::is_valid(&prefix).then(|| self.company_prefixes.get(&prefix)).flatten()
        }

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

        /// The account that holds `npi` now ([`credential::npi_holder`]), if any.
        #[ink(message)]
        pub fn npi_holder(&self, npi: u64) -> Option<AccountId> {
            credential::npi_holder(
                npi,
                self.env().block_timestamp(),
                |npi| self.npi_holders.get(npi),
                |holder| self.credentials.get((holder, Role::Provider)),
            )
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

        /// The caller makes `change` to `account`'s credential for `role` ([`credential::change_status`]); returns
        /// the caller and its authority, for the event.
        fn change_status(
            &mut self,
            account: AccountId,
            role: Role,
            change: StatusChange,
        ) -> Result<(AccountId, Authority)> {
            let by = self.env().caller();
            let credential = self.credentials.get((account, role)).ok_or(Error::CredentialNotFound)?;
            let (credential, authority) = credential::change_status(credential, by, self.admin.admin(), change)?;
            self.credentials.insert((account, role), &credential);
            Ok((by, authority))
        }

        /// [`credential::holds`], each read made only when the answer depends on it.
        fn holds(&self, account: AccountId, role: Role, now: Timestamp) -> bool {
            credential::holds(
                role,
                now,
                || self.issuers.contains(account),
                || self.credentials.get((account, role)),
                |issuer| self.issuers.get(issuer),
            )
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

        /// At most 9 prefix reads, plus the credential and issuer reads of `has_role`:
        /// [`company_prefix::holding`].
        #[ink(message)]
        fn holds_gtin(&self, account: AccountId, gtin: String) -> GtinHolding {
            company_prefix::holding(
                account,
                &gtin,
                || self.holds(account, Role::Manufacturer, self.env().block_timestamp()),
                |part| self.company_prefixes.get(part),
                |issuer| company_prefix::issuer_counts(self.issuers.get(issuer)),
            )
        }
    }
}

#[cfg(test)]
mod tests;
