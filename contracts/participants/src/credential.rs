//! The credential rules, free of the chain: which roles an issuer may be appointed for, what an attestation must
//! carry, how a credential's status changes and who may change it, and when a credential makes its holder hold its
//! role (what `has_role` answers).
//!
//! Each function takes the caller, the time and the values the message loaded, and returns what to write or the
//! [`Error`] that refuses the message.

use crate::{
    errors::{Error, Result},
    npi,
    types::{Authority, Credential, CredentialStatus, Issuer},
};
use ink::primitives::AccountId;
use interfaces::{Hash32, Role, RoleSet, Timestamp};

/// The Issuer role is held by appointment (an issuer entry at the account), never through a credential.
pub fn by_appointment(role: Role) -> bool {
    role == Role::Issuer
}

/// The admin appoints an issuer at `now` to attest `roles`: at least one role, and only roles held through a
/// credential (not Issuer, nor bits that name no role).
pub fn appoint(roles: RoleSet, now: Timestamp) -> Result<Issuer> {
    let attestable = Role::ALL.iter().filter(|r| !by_appointment(**r)).fold(RoleSet::EMPTY, |s, r| s.with(*r));
    if roles.is_empty() || !attestable.includes(roles) {
        return Err(Error::InvalidRoleSet);
    }
    Ok(Issuer { roles, appointed_at: now })
}

/// What an issuer asks to attest to an account: the arguments of `attest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attestation {
    pub account: AccountId,
    pub role: Role,
    pub licence_hash: Hash32,
    pub npi: Option<u64>,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

/// What an accepted attestation writes: the new credential, and the NPI whose holder becomes the account (None when
/// there is no NPI or the account is already its recorded holder: nothing to write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attested {
    pub credential: Credential,
    pub npi_claimed: Option<u64>,
}

/// `by` attests at `now`. `issuer` is `by`'s appointment, if any; `credential` is the one the account holds for the
/// role, if any. The issuer must be allowed the role (never Issuer) and may not attest to itself; a provider needs a
/// valid NPI and only a provider carries one; the period `[valid_from, valid_until)` must not be empty nor over; a
/// live credential (see [`is_live`]) is not attested again and a revoked one not at all (only the admin lifts a
/// revocation); and the NPI may not be held by another account ([`npi_holder`]: `recorded_holder` and
/// `provider_credential_of` are its two reads, made only when the answer depends on them). Returns the new, Active
/// credential and the NPI to record as the account's.
pub fn attest(
    by: AccountId,
    issuer: Option<Issuer>,
    credential: Option<Credential>,
    attestation: Attestation,
    now: Timestamp,
    recorded_holder: impl FnOnce(u64) -> Option<AccountId>,
    provider_credential_of: impl FnOnce(AccountId) -> Option<Credential>,
) -> Result<Attested> {
    let Attestation { account, role, licence_hash, npi, valid_from, valid_until } = attestation;
    let issuer = issuer.ok_or(Error::NotIssuer)?;
    if account == by {
        return Err(Error::SelfAttestation);
    }
    if by_appointment(role) {
        return Err(Error::RoleNotAttestable);
    }
    if !issuer.roles.contains(role) {
        return Err(Error::RoleNotAllowed);
    }
    match (role, npi) {
        (Role::Provider, None) => return Err(Error::NpiRequired),
        (Role::Provider, Some(npi)) if !npi::is_valid(npi) => return Err(Error::InvalidNpi),
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
    match credential {
        Some(credential) if credential.status.is_revoked() => return Err(Error::Revoked),
        Some(credential) if is_live(&credential, now) => return Err(Error::CredentialExists),
        _ => {}
    }
    let npi_claimed = match npi {
        None => None,
        Some(npi) => match recorded_holder(npi) {
            Some(holder) if holder == account => None,
            Some(holder) if provider_credential_of(holder).is_some_and(|c| holds_npi(&c, npi, now)) => {
                return Err(Error::NpiTaken)
            }
            _ => Some(npi),
        },
    };
    let credential = Credential {
        role,
        licence_hash,
        npi,
        issuer: by,
        valid_from,
        valid_until,
        status: CredentialStatus::Active,
        attested_at: now,
    };
    Ok(Attested { credential, npi_claimed })
}

/// A credential is live until it is revoked or expires: a suspension is not escaped by attesting again; an expired
/// credential is replaced (a revoked one only once the admin lifts the revocation).
pub fn is_live(credential: &Credential, now: Timestamp) -> bool {
    !credential.status.is_revoked() && now < credential.valid_until
}

/// Does `credential` (of the account recorded as `npi`'s holder) hold `npi` at `now`? While it carries that NPI and
/// is unexpired (active or suspended), or revoked (the revocation is final until the admin lifts it: a revoked
/// provider does not get its NPI attested to another account). An expired credential releases it.
pub fn holds_npi(credential: &Credential, npi: u64, now: Timestamp) -> bool {
    credential.role == Role::Provider
        && credential.npi == Some(npi)
        && (credential.status.is_revoked() || now < credential.valid_until)
}

/// The account that holds `npi` at `now`: the `recorded_holder` (the last account it was attested to), while that
/// account's provider credential ([`holds_npi`]) still holds it. Each closure is one storage read, made only when
/// needed.
pub fn npi_holder(
    npi: u64,
    now: Timestamp,
    recorded_holder: impl FnOnce(u64) -> Option<AccountId>,
    provider_credential_of: impl FnOnce(AccountId) -> Option<Credential>,
) -> Option<AccountId> {
    recorded_holder(npi).filter(|holder| provider_credential_of(*holder).is_some_and(|c| holds_npi(&c, npi, now)))
}

/// The roles an account has credential entries for, once `role` is attested to it: None when `role` was listed
/// already (nothing to write).
pub fn attested_roles(attested: RoleSet, role: Role) -> Option<RoleSet> {
    (!attested.contains(role)).then(|| attested.with(role))
}

/// A status change asked of a credential: the `suspend`, `reinstate` and `revoke` messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Suspend,
    Reinstate,
    Revoke,
}

/// The authority `by` acts with on `credential`: the admin's (also when the admin is the credential's issuer), else
/// the issuer's; anyone else is refused.
pub fn authority(credential: &Credential, by: AccountId, admin: AccountId) -> Result<Authority> {
    if by == admin {
        Ok(Authority::Admin)
    } else if by == credential.issuer {
        Ok(Authority::Issuer)
    } else {
        Err(Error::NotCredentialIssuer)
    }
}

/// `by` makes `change` to `credential`: only its issuer or `admin` may ([`authority`]), and the new status records
/// who did it. Suspend an Active credential (else NotActive; the admin may also take over an issuer's suspension, so
/// that only the admin lifts it); reinstate a Suspended one (else NotSuspended, or Revoked), which only the admin
/// may do when the admin suspended it (SuspendedByAdmin); revoke one that is not revoked yet (else AlreadyRevoked).
/// Revocation is final: only the admin lifts it ([`lift_revocation`]). Returns the changed credential and the
/// authority, for the event.
pub fn change_status(
    mut credential: Credential,
    by: AccountId,
    admin: AccountId,
    change: StatusChange,
) -> Result<(Credential, Authority)> {
    use Authority::{Admin, Issuer};
    use CredentialStatus::{Active, Revoked, Suspended};
    use StatusChange::{Reinstate, Revoke, Suspend};
    let authority = authority(&credential, by, admin)?;
    credential.status = match (credential.status, change) {
        (Active, Suspend) => Suspended(authority),
        (Suspended(Issuer), Suspend) if authority == Admin => Suspended(Admin),
        (Suspended(_) | Revoked(_), Suspend) => return Err(Error::NotActive),
        (Suspended(Admin), Reinstate) if authority == Issuer => return Err(Error::SuspendedByAdmin),
        (Suspended(_), Reinstate) => Active,
        (Active, Reinstate) => return Err(Error::NotSuspended),
        (Revoked(_), Reinstate) => return Err(Error::Revoked),
        (Active | Suspended(_), Revoke) => Revoked(authority),
        (Revoked(_), Revoke) => return Err(Error::AlreadyRevoked),
    };
    Ok((credential, authority))
}

/// The admin lifts the revocation of `credential` (the admin check is the message's): it must be revoked (else
/// NotRevoked). The message then clears it, so that an issuer may attest the role to the account afresh, and its
/// NPI is no longer held ([`holds_npi`] finds no credential).
pub fn lift_revocation(credential: &Credential) -> Result<()> {
    if !credential.status.is_revoked() {
        return Err(Error::NotRevoked);
    }
    Ok(())
}

/// Does an account hold `role` at `now`? Issuer: while it is `appointed`. Any other role: through its `credential`
/// for the role, Active, inside `[valid_from, valid_until)`, attested by an issuer that is still appointed
/// (`issuer_of` its account) and still allowed the role.
///
/// Each of `appointed`, `credential` and `issuer_of` is one storage read, made only when the answer depends on it.
pub fn holds(
    role: Role,
    now: Timestamp,
    appointed: impl FnOnce() -> bool,
    credential: impl FnOnce() -> Option<Credential>,
    issuer_of: impl FnOnce(AccountId) -> Option<Issuer>,
) -> bool {
    if by_appointment(role) {
        return appointed();
    }
    credential().is_some_and(|credential| {
        credential.status == CredentialStatus::Active
            && credential.valid_from <= now
            && now < credential.valid_until
            && issuer_of(credential.issuer).is_some_and(|issuer| issuer.roles.contains(role))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Timestamp = 86_400_000;
    const NPI: u64 = 1_234_567_893;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn board() -> Issuer {
        Issuer { roles: RoleSet::from_slice(&[Role::Provider, Role::Researcher]), appointed_at: 0 }
    }

    /// The board asks for `role` for account 5.
    fn asked(role: Role, npi: Option<u64>, valid_from: Timestamp, valid_until: Timestamp) -> Attestation {
        Attestation { account: account(5), role, licence_hash: [7; 32], npi, valid_from, valid_until }
    }

    /// `attest` where no account holds any NPI.
    fn attest_free(
        by: AccountId,
        issuer: Option<Issuer>,
        credential: Option<Credential>,
        attestation: Attestation,
        now: Timestamp,
    ) -> Result<Credential> {
        attest(by, issuer, credential, attestation, now, |_| None, |_| unreachable!("no holder recorded"))
            .map(|attested| attested.credential)
    }

    /// The board (account 1) attested Provider to account 5 for days 5..100 at day 10.
    fn provider() -> Credential {
        attest_free(account(1), Some(board()), None, asked(Role::Provider, Some(NPI), 5 * DAY, 100 * DAY), 10 * DAY)
            .unwrap()
    }

    #[test]
    fn an_issuer_is_appointed_for_attested_roles_only() {
        let roles = RoleSet::from_slice(&[Role::Pharmacy, Role::Distributor]);
        assert_eq!(appoint(roles, 3), Ok(Issuer { roles, appointed_at: 3 }));
        let every_attested = Role::ALL.iter().filter(|r| **r != Role::Issuer).fold(RoleSet::EMPTY, |s, r| s.with(*r));
        assert!(appoint(every_attested, 3).is_ok());
        assert_eq!(appoint(RoleSet::EMPTY, 3), Err(Error::InvalidRoleSet));
        assert_eq!(appoint(RoleSet::of(Role::Issuer), 3), Err(Error::InvalidRoleSet));
        assert_eq!(appoint(roles.with(Role::Issuer), 3), Err(Error::InvalidRoleSet));
        assert_eq!(appoint(RoleSet(1 << 12), 3), Err(Error::InvalidRoleSet), "a bit that names no role");
        assert!(by_appointment(Role::Issuer) && !by_appointment(Role::Provider));
    }

    #[test]
    fn an_attestation_becomes_an_active_credential_of_its_issuer() {
        assert_eq!(
            provider(),
            Credential {
                role: Role::Provider,
                licence_hash: [7; 32],
                npi: Some(NPI),
                issuer: account(1),
                valid_from: 5 * DAY,
                valid_until: 100 * DAY,
                status: CredentialStatus::Active,
                attested_at: 10 * DAY,
            }
        );
        let researcher =
            attest_free(account(1), Some(board()), None, asked(Role::Researcher, None, 0, DAY), 0).unwrap();
        assert_eq!((researcher.npi, researcher.status), (None, CredentialStatus::Active));
    }

    #[test]
    fn attestation_refusals_in_order() {
        let now = 10 * DAY;
        let try_attest =
            |issuer, role, npi, from, until| attest_free(account(1), issuer, None, asked(role, npi, from, until), now);
        let refusals = [
            (None, Role::Provider, Some(NPI), 0, 100 * DAY, Error::NotIssuer),
            (Some(board()), Role::Issuer, None, 0, 100 * DAY, Error::RoleNotAttestable),
            (Some(board()), Role::Pharmacy, None, 0, 100 * DAY, Error::RoleNotAllowed),
            (Some(board()), Role::Provider, None, 0, 100 * DAY, Error::NpiRequired),
            (Some(board()), Role::Provider, Some(1_234_567_890), 0, 100 * DAY, Error::InvalidNpi),
            (Some(board()), Role::Researcher, Some(NPI), 0, 100 * DAY, Error::NpiNotExpected),
            (Some(board()), Role::Provider, Some(NPI), 50 * DAY, 50 * DAY, Error::InvalidPeriod),
            (Some(board()), Role::Provider, Some(NPI), 60 * DAY, 50 * DAY, Error::InvalidPeriod),
            (Some(board()), Role::Provider, Some(NPI), DAY, now, Error::PeriodEnded),
            (None, Role::Issuer, Some(NPI), 9, 1, Error::NotIssuer),
            (Some(board()), Role::Pharmacy, Some(NPI), 9, 1, Error::RoleNotAllowed),
        ];
        for (issuer, role, npi, from, until, error) in refusals {
            assert_eq!(try_attest(issuer, role, npi, from, until), Err(error), "{role:?} {npi:?} {from}..{until}");
        }
        assert!(try_attest(Some(board()), Role::Provider, Some(NPI), DAY, now + 1).is_ok(), "one millisecond left");
    }

    #[test]
    fn a_live_credential_is_not_attested_again_but_an_expired_one_is() {
        let again = asked(Role::Provider, Some(NPI), 0, 200 * DAY);
        let attest_over =
            |credential: Credential, now| attest_free(account(1), Some(board()), Some(credential), again, now);
        let active = provider();
        assert_eq!(attest_over(active.clone(), 10 * DAY), Err(Error::CredentialExists));
        let suspended = Credential { status: CredentialStatus::Suspended(Authority::Admin), ..active.clone() };
        assert_eq!(attest_over(suspended.clone(), 10 * DAY), Err(Error::CredentialExists), "a suspension stays");
        assert_eq!(attest_over(suspended, 100 * DAY).map(|c| c.status), Ok(CredentialStatus::Active), "expired");
        let revoked = Credential { status: CredentialStatus::Revoked(Authority::Issuer), ..active.clone() };
        assert!(is_live(&active, 100 * DAY - 1) && !is_live(&active, 100 * DAY) && !is_live(&revoked, 0));
        // Another issuer's credential counts the same.
        let by_other = Credential { issuer: account(9), ..active };
        assert_eq!(attest_over(by_other, 10 * DAY), Err(Error::CredentialExists));
    }

    #[test]
    fn the_attested_roles_are_written_only_when_they_change() {
        let attested = RoleSet::of(Role::Provider);
        assert_eq!(attested_roles(RoleSet::EMPTY, Role::Provider), Some(attested));
        assert_eq!(attested_roles(attested, Role::Payer), Some(attested.with(Role::Payer)));
        assert_eq!(attested_roles(attested, Role::Provider), None);
    }

    #[test]
    fn status_transitions_record_their_authority() {
        use Authority::{Admin, Issuer};
        use CredentialStatus::{Active, Revoked, Suspended};
        use StatusChange::{Reinstate, Revoke, Suspend};
        let (issuer, admin) = (account(1), account(2));
        let at = |status| Credential { status, ..provider() };
        let change = |from, by, to| change_status(at(from), by, admin, to).map(|(c, authority)| (c.status, authority));
        assert_eq!(change(Active, issuer, Suspend), Ok((Suspended(Issuer), Issuer)));
        assert_eq!(change(Active, admin, Suspend), Ok((Suspended(Admin), Admin)));
        assert_eq!(change(Suspended(Issuer), issuer, Reinstate), Ok((Active, Issuer)));
        assert_eq!(change(Suspended(Issuer), admin, Reinstate), Ok((Active, Admin)));
        assert_eq!(change(Suspended(Admin), admin, Reinstate), Ok((Active, Admin)));
        assert_eq!(change(Active, issuer, Revoke), Ok((Revoked(Issuer), Issuer)));
        assert_eq!(change(Active, admin, Revoke), Ok((Revoked(Admin), Admin)));
        assert_eq!(change(Suspended(Admin), issuer, Revoke), Ok((Revoked(Issuer), Issuer)), "revoking undoes nothing");
        assert_eq!(change(Suspended(Issuer), admin, Revoke), Ok((Revoked(Admin), Admin)));
        assert_eq!(change(Suspended(Issuer), admin, Suspend), Ok((Suspended(Admin), Admin)), "the admin takes over");

        assert_eq!(change(Suspended(Issuer), issuer, Suspend), Err(Error::NotActive));
        assert_eq!(change(Suspended(Admin), admin, Suspend), Err(Error::NotActive));
        assert_eq!(change(Suspended(Admin), issuer, Suspend), Err(Error::NotActive));
        assert_eq!(change(Revoked(Issuer), issuer, Suspend), Err(Error::NotActive));
        assert_eq!(change(Active, issuer, Reinstate), Err(Error::NotSuspended));
        assert_eq!(change(Revoked(Issuer), issuer, Revoke), Err(Error::AlreadyRevoked));
        assert_eq!(change(Revoked(Admin), admin, Revoke), Err(Error::AlreadyRevoked));
        let (changed, _) = change_status(at(Active), issuer, admin, Suspend).unwrap();
        assert_eq!(changed, Credential { status: Suspended(Issuer), ..provider() }, "only the status changes");
    }

    /// Regression (issue #18): an issuer reinstated what the admin suspended.
    #[test]
    fn what_the_admin_suspended_only_the_admin_reinstates() {
        use CredentialStatus::{Active, Suspended};
        let (issuer, admin) = (account(1), account(2));
        let suspended = Credential { status: Suspended(Authority::Admin), ..provider() };
        let reinstate = |by| change_status(suspended.clone(), by, admin, StatusChange::Reinstate);
        assert_eq!(reinstate(issuer), Err(Error::SuspendedByAdmin));
        assert_eq!(reinstate(admin).map(|(c, a)| (c.status, a)), Ok((Active, Authority::Admin)));
        assert_eq!(reinstate(account(3)), Err(Error::NotCredentialIssuer), "who comes before what");
    }

    /// Regression (issue #18): "Revoked is final" was false: an issuer re-attested or reinstated a revoked credential.
    #[test]
    fn a_revoked_credential_is_neither_reinstated_nor_re_attested_until_the_admin_lifts_it() {
        use CredentialStatus::Revoked;
        let (issuer, admin) = (account(1), account(2));
        for by in [Authority::Admin, Authority::Issuer] {
            let revoked = Credential { status: Revoked(by), ..provider() };
            for who in [issuer, admin] {
                let reinstated = change_status(revoked.clone(), who, admin, StatusChange::Reinstate);
                assert_eq!(reinstated, Err(Error::Revoked), "{by:?} revoked, reinstated by {who:?}");
            }
            let again = asked(Role::Provider, Some(NPI), 0, 400 * DAY);
            for now in [10 * DAY, 100 * DAY, 300 * DAY] {
                let attested = attest_free(account(1), Some(board()), Some(revoked.clone()), again, now);
                assert_eq!(attested, Err(Error::Revoked), "{by:?} revoked, re-attested at {now}, expired or not");
                let by_other = attest_free(account(9), Some(board()), Some(revoked.clone()), again, now);
                assert_eq!(by_other, Err(Error::Revoked), "by another issuer");
            }
            assert_eq!(lift_revocation(&revoked), Ok(()));
        }
        for status in [CredentialStatus::Active, CredentialStatus::Suspended(Authority::Admin)] {
            assert_eq!(lift_revocation(&Credential { status, ..provider() }), Err(Error::NotRevoked), "{status:?}");
        }
    }

    #[test]
    fn only_the_issuer_or_the_admin_changes_a_credential() {
        let (issuer, admin, other) = (account(1), account(2), account(3));
        assert_eq!(authority(&provider(), issuer, admin), Ok(Authority::Issuer));
        assert_eq!(authority(&provider(), admin, admin), Ok(Authority::Admin));
        assert_eq!(authority(&provider(), issuer, issuer), Ok(Authority::Admin), "an admin that issued acts as admin");
        assert_eq!(authority(&provider(), other, admin), Err(Error::NotCredentialIssuer));
        for to in [StatusChange::Suspend, StatusChange::Reinstate, StatusChange::Revoke] {
            assert_eq!(change_status(provider(), other, admin, to), Err(Error::NotCredentialIssuer), "{to:?}");
        }
        let revoked = Credential { status: CredentialStatus::Revoked(Authority::Issuer), ..provider() };
        assert_eq!(
            change_status(revoked, other, admin, StatusChange::Revoke),
            Err(Error::NotCredentialIssuer),
            "who comes before what"
        );
    }

    /// Regression (issue #18): an issuer could attest itself.
    #[test]
    fn an_issuer_does_not_attest_itself() {
        let own = Attestation { account: account(1), ..asked(Role::Researcher, None, 0, 100 * DAY) };
        assert_eq!(attest_free(account(1), Some(board()), None, own, 10 * DAY), Err(Error::SelfAttestation));
        let own_provider = Attestation { account: account(1), ..asked(Role::Provider, Some(NPI), 0, 100 * DAY) };
        assert_eq!(attest_free(account(1), Some(board()), None, own_provider, 10 * DAY), Err(Error::SelfAttestation));
        assert_eq!(attest_free(account(1), None, None, own, 10 * DAY), Err(Error::NotIssuer), "not an issuer first");
        assert!(attest_free(account(1), Some(board()), None, asked(Role::Researcher, None, 0, DAY), 0).is_ok());
    }

    #[test]
    fn an_npi_is_held_while_its_credential_is_unexpired_or_revoked() {
        let active = provider();
        assert!(holds_npi(&active, NPI, 100 * DAY - 1));
        assert!(!holds_npi(&active, NPI, 100 * DAY), "expired: released");
        assert!(!holds_npi(&active, 1_245_319_599, 10 * DAY), "another NPI");
        let suspended = Credential { status: CredentialStatus::Suspended(Authority::Issuer), ..active.clone() };
        assert!(holds_npi(&suspended, NPI, 10 * DAY));
        let revoked = Credential { status: CredentialStatus::Revoked(Authority::Admin), ..active.clone() };
        assert!(holds_npi(&revoked, NPI, 10 * DAY) && holds_npi(&revoked, NPI, 300 * DAY), "revoked: kept");
        let researcher = Credential { role: Role::Researcher, ..active.clone() };
        assert!(!holds_npi(&researcher, NPI, 10 * DAY));

        let holder = |credential: Option<Credential>, now| {
            npi_holder(NPI, now, |_| Some(account(5)), |who| credential.filter(|_| who == account(5)))
        };
        assert_eq!(holder(Some(active.clone()), 10 * DAY), Some(account(5)));
        assert_eq!(holder(Some(active.clone()), 100 * DAY), None);
        assert_eq!(holder(None, 10 * DAY), None, "cleared by a lifted revocation");
        let unread = |_: AccountId| -> Option<Credential> { unreachable!("no holder recorded") };
        assert_eq!(npi_holder(NPI, 0, |_| None, unread), None);
    }

    /// Regression (issue #18): the same NPI could be attested to several accounts.
    #[test]
    fn an_npi_held_by_another_account_is_refused_and_a_released_one_is_claimed() {
        let (other, now) = (account(6), 10 * DAY);
        let ask = asked(Role::Provider, Some(NPI), 0, 200 * DAY);
        let with_holder = |holder: AccountId, held: Option<Credential>| {
            attest(
                account(1),
                Some(board()),
                None,
                ask,
                now,
                |_| Some(holder),
                |who| {
                    assert_eq!(who, other, "the holder's provider credential is read");
                    held
                },
            )
        };
        let held = provider();
        assert_eq!(with_holder(other, Some(held.clone())), Err(Error::NpiTaken));
        let suspended = Credential { status: CredentialStatus::Suspended(Authority::Admin), ..held.clone() };
        assert_eq!(with_holder(other, Some(suspended)), Err(Error::NpiTaken));
        let revoked = Credential { status: CredentialStatus::Revoked(Authority::Issuer), ..held.clone() };
        assert_eq!(with_holder(other, Some(revoked)), Err(Error::NpiTaken), "a revoked provider keeps its NPI");

        let expired = Credential { valid_until: now, ..held.clone() };
        assert_eq!(with_holder(other, Some(expired)).map(|a| a.npi_claimed), Ok(Some(NPI)), "expired: released");
        assert_eq!(with_holder(other, None).map(|a| a.npi_claimed), Ok(Some(NPI)), "lifted: released");
        let renumbered = Credential { npi: Some(1_245_319_599), ..held };
        assert_eq!(with_holder(other, Some(renumbered)).map(|a| a.npi_claimed), Ok(Some(NPI)), "now holds another");
        let unread = |_: AccountId| -> Option<Credential> { unreachable!("the account's own NPI") };
        let own = attest(account(1), Some(board()), None, ask, now, |_| Some(account(5)), unread);
        assert_eq!(own.map(|a| a.npi_claimed), Ok(None), "already its holder: nothing to write");
        let fresh = attest(account(1), Some(board()), None, ask, now, |_| None, unread);
        assert_eq!(fresh.map(|a| a.npi_claimed), Ok(Some(NPI)));
        let researcher = asked(Role::Researcher, None, 0, 200 * DAY);
        let no_npi = attest(account(1), Some(board()), None, researcher, now, |_| unreachable!(), unread);
        assert_eq!(no_npi.map(|a| a.npi_claimed), Ok(None), "no NPI, no read");
    }

    #[test]
    fn the_npi_is_checked_after_every_other_rule() {
        let taken = |_: AccountId| Some(provider());
        let try_attest =
            |ask, credential| attest(account(1), Some(board()), credential, ask, 10 * DAY, |_| Some(account(6)), taken);
        let ask = asked(Role::Provider, Some(NPI), 0, 200 * DAY);
        assert_eq!(try_attest(ask, Some(provider())), Err(Error::CredentialExists));
        let revoked = Credential { status: CredentialStatus::Revoked(Authority::Admin), ..provider() };
        assert_eq!(try_attest(ask, Some(revoked)), Err(Error::Revoked));
        assert_eq!(try_attest(Attestation { valid_until: DAY, ..ask }, None), Err(Error::PeriodEnded));
        assert_eq!(try_attest(ask, None), Err(Error::NpiTaken));
    }

    #[test]
    fn a_credential_holds_while_active_in_its_period_and_its_issuer_allows_the_role() {
        let credential = provider();
        let appointed = |_: AccountId| Some(board());
        let holds_at = |credential: &Credential, now| {
            holds(
                Role::Provider,
                now,
                || unreachable!("not an issuer question"),
                || Some(credential.clone()),
                appointed,
            )
        };
        assert!(!holds_at(&credential, 5 * DAY - 1), "not yet valid");
        assert!(holds_at(&credential, 5 * DAY), "valid from its first millisecond");
        assert!(holds_at(&credential, 100 * DAY - 1));
        assert!(!holds_at(&credential, 100 * DAY), "expired at valid_until");
        for status in [CredentialStatus::Suspended(Authority::Issuer), CredentialStatus::Revoked(Authority::Admin)] {
            assert!(!holds_at(&Credential { status, ..credential.clone() }, 50 * DAY), "{status:?}");
        }
        let now = 50 * DAY;
        assert!(!holds(Role::Provider, now, || false, || None, appointed), "no credential");
        assert!(!holds(Role::Provider, now, || true, || Some(credential.clone()), |_| None), "issuer removed");
        let narrowed = |_| Some(Issuer { roles: RoleSet::of(Role::Researcher), appointed_at: 0 });
        assert!(!holds(Role::Provider, now, || true, || Some(credential.clone()), narrowed), "role withdrawn");
    }

    #[test]
    fn the_issuer_role_is_held_by_appointment_and_nothing_else_is_read() {
        let unread = || -> Option<Credential> { unreachable!("an issuer has no credential") };
        assert!(holds(Role::Issuer, 0, || true, unread, |_| unreachable!()));
        assert!(!holds(Role::Issuer, 0, || false, unread, |_| unreachable!()));
        let expired = Credential { valid_until: DAY, ..provider() };
        let issuer_of = |_: AccountId| -> Option<Issuer> { unreachable!("an expired credential asks no issuer") };
        assert!(!holds(Role::Provider, DAY, || unreachable!(), || Some(expired), issuer_of));
    }
}
