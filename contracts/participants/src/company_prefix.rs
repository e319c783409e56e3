//! GS1 Company Prefixes: which company may register products under which GTINs.
//!
//! GS1 licenses a company prefix (4 to 12 digits) to one company; every GTIN the company allocates carries it. In a
//! GTIN-14 it follows the indicator digit (packaging level, 0-8): `0 0614141 00041 8` is indicator 0, prefix
//! `0614141`, item reference `00041`, check digit 8. A U.P.C. company prefix is written as GTIN-13 writes it, with
//! its leading 0 (U.P.C. `614141` is `0614141`); an NDC labeler's GTINs carry `03` + the labeler code.
//!
//! An issuer allowed to attest Manufacturer credentials attests a prefix to an account holding a live Manufacturer
//! credential (the licence GS1 gave that company, beside its credential), and only that issuer or the admin
//! withdraws it. A prefix is held by one account: a prefix, or one that begins with a prefix another account holds
//! (carving a range out of another company's), is refused. A GTIN belongs to the holder of the longest attested
//! prefix that begins it after its indicator digit, while that holder's Manufacturer credential counts and the
//! prefix's issuer is still appointed for Manufacturers ([`holding`]): custody's `register_product` asks exactly
//! this, in one call.

use crate::{
    errors::{Error, Result},
    types::{CompanyPrefix, Credential, Issuer},
};
use ink::primitives::AccountId;
use interfaces::{GtinHolding, Role, Timestamp};

/// The fewest digits of a GS1 Company Prefix.
pub const MIN_PREFIX_LEN: usize = 4;
/// The most digits of a GS1 Company Prefix (a GTIN-13 less its check digit).
pub const MAX_PREFIX_LEN: usize = 12;

/// 4 to 12 ASCII digits.
pub fn is_valid(prefix: &str) -> bool {
    (MIN_PREFIX_LEN..=MAX_PREFIX_LEN).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit())
}

/// `prefix` is a company prefix, else `InvalidCompanyPrefix` (checked before it becomes a storage key).
pub fn ensure_valid(prefix: &str) -> Result<()> {
    if is_valid(prefix) {
        Ok(())
    } else {
        Err(Error::InvalidCompanyPrefix)
    }
}

/// The leading parts of `digits` that could be a company prefix (4 to 12 digits, at most `digits.len()`), longest
/// first. At most 9, each a storage key of at most 12 bytes.
pub fn leading_parts(digits: &str) -> impl Iterator<Item = &str> {
    let longest = digits.len().min(MAX_PREFIX_LEN);
    (MIN_PREFIX_LEN..=longest).rev().filter_map(move |len| digits.get(..len))
}

/// The digits of a GTIN-14 that may begin with a company prefix: after the indicator digit, before the check
/// digit. None for anything that is not 14 ASCII digits (no storage key is built of it).
pub fn prefixed_digits(gtin: &str) -> Option<&str> {
    if gtin.len() != 14 || !gtin.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    gtin.get(1..13)
}

/// `by` attests `prefix` to `account` at `now`. `issuer` is `by`'s appointment, if any; `manufacturer_credential`
/// reads the account's Manufacturer credential; `attested(part)` reads the prefix entry at `part`, for the prefix
/// and each of its leading parts (made only once the cheaper checks passed). The issuer must be allowed
/// Manufacturer and may not attest to itself; the prefix is 4 to 12 digits; the account holds a live Manufacturer
/// credential; neither the prefix nor any leading part of it is attested already (to another account:
/// `CompanyPrefixTaken`; the same prefix to this account: `CompanyPrefixExists`).
pub fn attest(
    by: AccountId,
    issuer: Option<Issuer>,
    account: AccountId,
    prefix: &str,
    now: Timestamp,
    manufacturer_credential: impl FnOnce() -> Option<Credential>,
    attested: impl Fn(&str) -> Option<CompanyPrefix>,
) -> Result<CompanyPrefix> {
    let issuer = issuer.ok_or(Error::NotIssuer)?;
    if account == by {
        return Err(Error::SelfAttestation);
    }
    if !issuer.roles.contains(Role::Manufacturer) {
        return Err(Error::RoleNotAllowed);
    }
    ensure_valid(prefix)?;
    let live = manufacturer_credential().is_some_and(|c| crate::credential::is_live(&c, now));
    if !live {
        return Err(Error::ManufacturerCredentialRequired);
    }
    for part in leading_parts(prefix) {
        match attested(part) {
            Some(held) if held.holder == account && part == prefix => return Err(Error::CompanyPrefixExists),
            Some(held) if held.holder != account => return Err(Error::CompanyPrefixTaken),
            _ => {}
        }
    }
    Ok(CompanyPrefix { holder: account, issuer: by, attested_at: now })
}

/// `by` withdraws `attested` (the entry at the prefix, None for none): only its issuer or `admin`.
pub fn withdraw(attested: Option<CompanyPrefix>, by: AccountId, admin: AccountId) -> Result<CompanyPrefix> {
    let attested = attested.ok_or(Error::CompanyPrefixNotFound)?;
    if by != attested.issuer && by != admin {
        return Err(Error::NotCredentialIssuer);
    }
    Ok(attested)
}

/// What `holds_gtin(account, gtin)` answers: `NotManufacturer` unless `is_manufacturer()` (the account's
/// Manufacturer credential counts now); else `PrefixHeld` when the longest attested prefix of the GTIN
/// (`attested(part)`, longest first, at most 9 reads) is the account's and its issuer still counts
/// (`issuer_counts(issuer)`: appointed, allowed Manufacturer); else `PrefixNotHeld`.
pub fn holding(
    account: AccountId,
    gtin: &str,
    is_manufacturer: impl FnOnce() -> bool,
    attested: impl Fn(&str) -> Option<CompanyPrefix>,
    issuer_counts: impl FnOnce(AccountId) -> bool,
) -> GtinHolding {
    if !is_manufacturer() {
        return GtinHolding::NotManufacturer;
    }
    let longest = prefixed_digits(gtin).and_then(|digits| leading_parts(digits).find_map(&attested));
    match longest {
        Some(held) if held.holder == account && issuer_counts(held.issuer) => GtinHolding::PrefixHeld,
        _ => GtinHolding::PrefixNotHeld,
    }
}

/// Does an issuer appointment let its prefixes count? Appointed and still allowed Manufacturer.
pub fn issuer_counts(issuer: Option<Issuer>) -> bool {
    issuer.is_some_and(|issuer| issuer.roles.contains(Role::Manufacturer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::CredentialStatus;
    use interfaces::RoleSet;
    use std::collections::BTreeMap;

    const BOARD: AccountId = AccountId([1; 32]);
    const ACME: AccountId = AccountId([2; 32]);
    const GLOBEX: AccountId = AccountId([3; 32]);
    const NOW: Timestamp = 100;
    /// A GS1 example company prefix and a GTIN-14 of it (check digit 8).
    const ACME_PREFIX: &str = "0614141";
    const ACME_GTIN: &str = "00614141000418";
    /// An NDC labeler's prefix (`03` + labeler 00123) and a GTIN-14 of it.
    const GLOBEX_PREFIX: &str = "0300123";
    const GLOBEX_GTIN: &str = "00300123456785";

    fn board() -> Option<Issuer> {
        Some(Issuer { roles: RoleSet::of(Role::Manufacturer), appointed_at: 0 })
    }

    fn manufacturer(valid_until: Timestamp, status: CredentialStatus) -> Option<Credential> {
        Some(Credential {
            role: Role::Manufacturer,
            licence_hash: [0; 32],
            npi: None,
            issuer: BOARD,
            valid_from: 0,
            valid_until,
            status,
            attested_at: 0,
        })
    }

    fn live() -> Option<Credential> {
        manufacturer(1_000, CredentialStatus::Active)
    }

    fn held(pairs: &[(&str, AccountId)]) -> BTreeMap<String, CompanyPrefix> {
        pairs
            .iter()
            .map(|(prefix, holder)| {
                (prefix.to_string(), CompanyPrefix { holder: *holder, issuer: BOARD, attested_at: 0 })
            })
            .collect()
    }

    #[test]
    fn a_company_prefix_is_4_to_12_digits() {
        for good in ["0614", ACME_PREFIX, GLOBEX_PREFIX, "061414100041"] {
            assert!(is_valid(good), "{good}");
        }
        for bad in ["", "061", "0614141000415", "06141A1", "0614 141", "٠٦١٤"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn a_gtins_prefix_follows_its_indicator_digit() {
        assert_eq!(prefixed_digits(ACME_GTIN), Some("061414100041"));
        assert_eq!(prefixed_digits("10614141000415"), Some("061414100041"), "indicator 1: a case of the same item");
        assert_eq!(prefixed_digits("0061414100041"), None, "13 digits");
        assert_eq!(prefixed_digits(&"0".repeat(200)), None, "no key is built of it");
        let parts: Vec<&str> = leading_parts("061414100041").collect();
        assert_eq!(parts.len(), 9);
        assert_eq!((parts[0], parts[8]), ("061414100041", "0614"), "longest first");
        assert_eq!(leading_parts("0614141").count(), 4);
    }

    #[test]
    fn attestation_rules_in_order() {
        let none = held(&[]);
        let read = |map: &BTreeMap<String, CompanyPrefix>| {
            let map = map.clone();
            move |part: &str| map.get(part).copied()
        };
        let attest_with = |issuer, account, prefix: &str, credential: Option<Credential>, map| {
            attest(BOARD, issuer, account, prefix, NOW, || credential, read(map))
        };
        assert_eq!(attest_with(None, ACME, ACME_PREFIX, live(), &none), Err(Error::NotIssuer));
        assert_eq!(attest_with(board(), BOARD, ACME_PREFIX, live(), &none), Err(Error::SelfAttestation));
        let medical = Some(Issuer { roles: RoleSet::of(Role::Provider), appointed_at: 0 });
        assert_eq!(attest_with(medical, ACME, ACME_PREFIX, live(), &none), Err(Error::RoleNotAllowed));
        assert_eq!(attest_with(board(), ACME, "06141", live(), &none).map(|p| p.holder), Ok(ACME));
        assert_eq!(attest_with(board(), ACME, "061", live(), &none), Err(Error::InvalidCompanyPrefix));
        assert_eq!(attest_with(board(), ACME, ACME_PREFIX, None, &none), Err(Error::ManufacturerCredentialRequired));
        let expired = manufacturer(NOW, CredentialStatus::Active);
        assert_eq!(attest_with(board(), ACME, ACME_PREFIX, expired, &none), Err(Error::ManufacturerCredentialRequired));
        let revoked = manufacturer(1_000, CredentialStatus::Revoked(crate::types::Authority::Issuer));
        assert_eq!(attest_with(board(), ACME, ACME_PREFIX, revoked, &none), Err(Error::ManufacturerCredentialRequired));

        let acme = held(&[(ACME_PREFIX, ACME)]);
        assert_eq!(attest_with(board(), ACME, ACME_PREFIX, live(), &acme), Err(Error::CompanyPrefixExists));
        assert_eq!(attest_with(board(), GLOBEX, ACME_PREFIX, live(), &acme), Err(Error::CompanyPrefixTaken));
        assert_eq!(
            attest_with(board(), GLOBEX, "061414199", live(), &acme),
            Err(Error::CompanyPrefixTaken),
            "a range carved out of another company's prefix"
        );
        assert_eq!(attest_with(board(), ACME, "061414199", live(), &acme).map(|p| p.holder), Ok(ACME));
        assert_eq!(
            attest_with(board(), GLOBEX, GLOBEX_PREFIX, live(), &acme),
            Ok(CompanyPrefix { holder: GLOBEX, issuer: BOARD, attested_at: NOW })
        );
    }

    #[test]
    fn only_the_issuer_or_the_admin_withdraws_a_prefix() {
        let entry = CompanyPrefix { holder: ACME, issuer: BOARD, attested_at: 0 };
        let admin = AccountId([9; 32]);
        assert_eq!(withdraw(None, BOARD, admin), Err(Error::CompanyPrefixNotFound));
        assert_eq!(withdraw(Some(entry), ACME, admin), Err(Error::NotCredentialIssuer));
        assert_eq!(withdraw(Some(entry), BOARD, admin), Ok(entry));
        assert_eq!(withdraw(Some(entry), admin, admin), Ok(entry));
    }

    #[test]
    fn a_gtin_belongs_to_the_holder_of_its_longest_prefix() {
        let map = held(&[(ACME_PREFIX, ACME), (GLOBEX_PREFIX, GLOBEX), ("0614141999", GLOBEX)]);
        let read = |part: &str| map.get(part).copied();
        let yes = || true;
        let ask = |account, gtin| holding(account, gtin, yes, read, |_| true);
        assert_eq!(ask(ACME, ACME_GTIN), GtinHolding::PrefixHeld);
        assert_eq!(ask(GLOBEX, GLOBEX_GTIN), GtinHolding::PrefixHeld);
        assert_eq!(ask(GLOBEX, ACME_GTIN), GtinHolding::PrefixNotHeld, "squatting on another company's GTIN");
        assert_eq!(ask(ACME, GLOBEX_GTIN), GtinHolding::PrefixNotHeld);
        assert_eq!(ask(GLOBEX, "00614141999002"), GtinHolding::PrefixHeld, "the longest prefix wins");
        assert_eq!(ask(ACME, "00614141999002"), GtinHolding::PrefixNotHeld);
        assert_eq!(ask(ACME, "10614141000415"), GtinHolding::PrefixHeld, "any indicator digit");
        assert_eq!(ask(ACME, "00999999000002"), GtinHolding::PrefixNotHeld, "nobody's prefix");
        assert_eq!(ask(ACME, &"0".repeat(200)), GtinHolding::PrefixNotHeld);
        let never = |_: &str| -> Option<CompanyPrefix> { panic!("a non-manufacturer's prefixes are not read") };
        assert_eq!(holding(ACME, ACME_GTIN, || false, never, |_| true), GtinHolding::NotManufacturer);
        assert_eq!(holding(ACME, ACME_GTIN, yes, read, |_| false), GtinHolding::PrefixNotHeld, "issuer removed");
        assert!(issuer_counts(board()));
        assert!(!issuer_counts(None));
        assert!(!issuer_counts(Some(Issuer { roles: RoleSet::of(Role::Pharmacy), appointed_at: 0 })));
    }
}
