//! The credential rules, free of the chain: which roles an issuer may be appointed for, what an attestation must
//! carry, how a credential's status changes and who may change it, and when a credential makes its holder hold its
//! role (what `has_role` answers).
//!
//! Each function takes the caller, the time and the values the message loaded, and returns what to write or the
//! [`Error`] that refuses the message.

use crate::{
    errors::{Error, Result},
    npi,
    types::{Credential, CredentialStatus, Issuer},
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
    pub role: Role,
    pub licence_hash: Hash32,
    pub npi: Option<u64>,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

/// `by` attests at `now`. `issuer` is `by`'s appointment, if any; `credential` is the one the account holds for the
/// role, if any. The issuer must be allowed the role (never Issuer); a provider needs a valid NPI and only a
/// provider carries one; the period `[valid_from, valid_until)` must not be empty nor over; and a live credential
/// (see [`is_live`]) is not attested again. Returns the new, Active credential.
pub fn attest(
    by: AccountId,
    issuer: Option<Issuer>,
    credential: Option<Credential>,
    attestation: Attestation,
    now: Timestamp,
) -> Result<Credential> {
    let Attestation { role, licence_hash, npi, valid_from, valid_until } = attestation;
    let issuer = issuer.ok_or(Error::NotIssuer)?;
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
    if credential.is_some_and(|credential| is_live(&credential, now)) {
        return Err(Error::CredentialExists);
    }
    Ok(Credential {
        role,
        licence_hash,
        npi,
        issuer: by,
        valid_from,
        valid_until,
        status: CredentialStatus::Active,
        attested_at: now,
    })
}

/// A credential is live until it is revoked or expires: a suspension is not escaped by attesting again, but a
/// revoked or expired credential is replaced.
pub fn is_live(credential: &Credential, now: Timestamp) -> bool {
    credential.status != CredentialStatus::Revoked && now < credential.valid_until
}

/// The roles an account has credential entries for, once `role` is attested to it: None when `role` was listed
/// already (nothing to write).
pub fn attested_roles(attested: RoleSet, role: Role) -> Option<RoleSet> {
    (!attested.contains(role)).then(|| attested.with(role))
}

/// `by` moves `credential` to status `to`: only its issuer or `admin` may. Suspend an Active credential (else
/// NotActive), reinstate a Suspended one (else NotSuspended), revoke one that is not revoked yet (else
/// AlreadyRevoked): revocation is final. Returns the changed credential.
pub fn change_status(
    mut credential: Credential,
    by: AccountId,
    admin: AccountId,
    to: CredentialStatus,
) -> Result<Credential> {
    use CredentialStatus::{Active, Revoked, Suspended};
    if credential.issuer != by && admin != by {
        return Err(Error::NotCredentialIssuer);
    }
    match (credential.status, to) {
        (Active, Suspended) | (Suspended, Active) | (Active | Suspended, Revoked) => {}
        (_, Suspended) => return Err(Error::NotActive),
        (_, Active) => return Err(Error::NotSuspended),
        (Revoked, Revoked) => return Err(Error::AlreadyRevoked),
    }
    credential.status = to;
    Ok(credential)
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

    fn asked(role: Role, npi: Option<u64>, valid_from: Timestamp, valid_until: Timestamp) -> Attestation {
        Attestation { role, licence_hash: [7; 32], npi, valid_from, valid_until }
    }

    /// The board (account 1) attested Provider for days 5..100 at day 10.
    fn provider() -> Credential {
        attest(account(1), Some(board()), None, asked(Role::Provider, Some(NPI), 5 * DAY, 100 * DAY), 10 * DAY).unwrap()
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
        let researcher = attest(account(1), Some(board()), None, asked(Role::Researcher, None, 0, DAY), 0).unwrap();
        assert_eq!((researcher.npi, researcher.status), (None, CredentialStatus::Active));
    }

    #[test]
    fn attestation_refusals_in_order() {
        let now = 10 * DAY;
        let try_attest =
            |issuer, role, npi, from, until| attest(account(1), issuer, None, asked(role, npi, from, until), now);
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
    fn a_live_credential_is_not_attested_again_but_a_revoked_or_expired_one_is() {
        let again = asked(Role::Provider, Some(NPI), 0, 200 * DAY);
        let attest_over = |credential: Credential, now| attest(account(1), Some(board()), Some(credential), again, now);
        let active = provider();
        assert_eq!(attest_over(active.clone(), 10 * DAY), Err(Error::CredentialExists));
        let suspended = Credential { status: CredentialStatus::Suspended, ..active.clone() };
        assert_eq!(attest_over(suspended.clone(), 10 * DAY), Err(Error::CredentialExists), "a suspension stays");
        assert_eq!(attest_over(suspended, 100 * DAY).map(|c| c.status), Ok(CredentialStatus::Active), "expired");
        let revoked = Credential { status: CredentialStatus::Revoked, ..active.clone() };
        assert!(attest_over(revoked.clone(), 10 * DAY).is_ok());
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
    fn status_transitions() {
        use CredentialStatus::{Active, Revoked, Suspended};
        let (issuer, admin) = (account(1), account(2));
        let at = |status| Credential { status, ..provider() };
        let change = |from, to| change_status(at(from), issuer, admin, to).map(|c| c.status);
        assert_eq!(change(Active, Suspended), Ok(Suspended));
        assert_eq!(change(Suspended, Active), Ok(Active));
        assert_eq!(change(Active, Revoked), Ok(Revoked));
        assert_eq!(change(Suspended, Revoked), Ok(Revoked));
        assert_eq!(change(Suspended, Suspended), Err(Error::NotActive));
        assert_eq!(change(Revoked, Suspended), Err(Error::NotActive));
        assert_eq!(change(Active, Active), Err(Error::NotSuspended));
        assert_eq!(change(Revoked, Active), Err(Error::NotSuspended), "revocation is final");
        assert_eq!(change(Revoked, Revoked), Err(Error::AlreadyRevoked));
        let changed = change_status(at(Active), issuer, admin, Suspended).unwrap();
        assert_eq!(changed, Credential { status: Suspended, ..provider() }, "only the status changes");
    }

    #[test]
    fn only_the_issuer_or_the_admin_changes_a_credential() {
        let (issuer, admin, other) = (account(1), account(2), account(3));
        for by in [issuer, admin] {
            assert!(change_status(provider(), by, admin, CredentialStatus::Suspended).is_ok());
        }
        for to in [CredentialStatus::Suspended, CredentialStatus::Active, CredentialStatus::Revoked] {
            assert_eq!(change_status(provider(), other, admin, to), Err(Error::NotCredentialIssuer), "{to:?}");
        }
        let revoked = Credential { status: CredentialStatus::Revoked, ..provider() };
        assert_eq!(
            change_status(revoked, other, admin, CredentialStatus::Revoked),
            Err(Error::NotCredentialIssuer),
            "who comes before what"
        );
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
        for status in [CredentialStatus::Suspended, CredentialStatus::Revoked] {
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
