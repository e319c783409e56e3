//! Personal representatives (HIPAA 164.502(g)): an appointed issuer (a court, a registrar) attests that an account
//! represents a patient (a guardian, a parent of a minor) for a period (for a minor, until the age of majority) and
//! for every class but the excluded ones (adolescent-confidential classes the minor controls alone). While live, the
//! representative acts as the patient: in consent (grant, revoke, add and remove delegates, answer access requests,
//! end and review emergencies), and in records (`check` answers [`interfaces::Basis::Representative`], and
//! [`interfaces::Representatives::represents`] lets records accept its erasures and supersessions).
//!
//! Choices, with their reasons:
//! - A representative stands in the patient's shoes, so the patient's consents do not bind it: a Deny of the
//!   patient's to the representative's account does not stop it (it could revoke that Deny anyway). What it may not
//!   touch is set by the issuer, not by the patient: the excluded classes. For an excluded class the representative
//!   is anyone else (`check` goes on as for any accessor: its role, then the consents), and it grants, revokes,
//!   scopes a delegate or answers a request covering that class never (`ClassExcluded`).
//! - What a representative did while live stays (HIPAA: a personal representative's authorization stays valid until
//!   revoked): its grants and delegates are the patient's and do not end with the representation; the patient, or a
//!   later representative, revokes them.
//! - The issuer that attested a representation, or the admin, ends it early (evented); a representation does not
//!   stop counting when its issuer is removed from participants (the admin ends it), so that `check` for a
//!   representative asks participants nothing.
//! - One representation not over per (patient, representative) (`RepresentationExists`: end it to change it), at
//!   most [`MAX_REPRESENTATIVES`] per patient; ended and expired ones leave the patient's list.
//!
//! Free of storage and environment: the contract loads, asks participants, calls a decision here, writes what it
//! returns and emits the event of what it wrote.

use crate::{
    errors::{Error, Result},
    types::{covers, Provision, Representation, RepresentationId, RepresentativeList, MAX_REPRESENTATIVES},
};
use interfaces::{AccountId, DataClass, DataClassSet, Timestamp};

/// What an issuer attests: the arguments of `represent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attested {
    pub patient: AccountId,
    pub representative: AccountId,
    pub valid_from: Timestamp,
    pub valid_until: Option<Timestamp>,
    pub excluded: DataClassSet,
}

/// `issuer` (the caller) attests `attested` at `now`. Refused, in this order: the patient as its own representative
/// (`SelfRepresentation`), the issuer as the representative (`IssuerAsRepresentative`), bits that stand for no class
/// (`MalformedClassSet`) or the broad flag (`BroadExclusion`) among the excluded classes, a period that ends before it
/// starts (`InvalidPeriod`) or has ended (`PeriodEnded`), a caller that is not an appointed issuer (`NotIssuer`:
/// `is_issuer` asks participants, once the attestation is well formed), a representation of this account to this
/// patient not over (`RepresentationExists`), a patient with [`MAX_REPRESENTATIVES`] (`TooManyRepresentatives`).
/// `representatives` (the patient's, as stored) become what to store, those over dropped; `next_representation` the
/// next id. Returns the new representation.
pub fn attest(
    issuer: AccountId,
    now: Timestamp,
    attested: Attested,
    is_issuer: impl FnOnce() -> Result<bool>,
    representatives: &mut RepresentativeList,
    next_representation: &mut RepresentationId,
) -> Result<Representation> {
    let Attested { patient, representative, valid_from, valid_until, excluded } = attested;
    if representative == patient {
        return Err(Error::SelfRepresentation);
    }
    if representative == issuer {
        return Err(Error::IssuerAsRepresentative);
    }
    if !excluded.is_well_formed() {
        return Err(Error::MalformedClassSet);
    }
    if excluded.includes(DataClassSet::GENERAL) {
        return Err(Error::BroadExclusion);
    }
    if let Some(until) = valid_until {
        if until <= valid_from {
            return Err(Error::InvalidPeriod);
        }
        if until <= now {
            return Err(Error::PeriodEnded);
        }
    }
    if !is_issuer()? {
        return Err(Error::NotIssuer);
    }
    let mut kept = representatives.clone();
    drop_over(&mut kept, now);
    if kept.iter().any(|representation| representation.representative == representative) {
        return Err(Error::RepresentationExists);
    }
    if kept.len() >= max_representatives() {
        return Err(Error::TooManyRepresentatives);
    }
    let id = *next_representation;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    let representation = Representation { id, representative, issuer, valid_from, valid_until, excluded };
    kept.push(representation);
    *representatives = kept;
    *next_representation = next;
    Ok(representation)
}

/// `caller` ends `representative`'s representation of the patient at `now`: its issuer may, or the admin
/// (`is_admin`); else `NotRepresentationIssuer`. `RepresentationNotFound` when the account has none not over.
/// `representatives` (the patient's, as stored) become what to store, those over dropped (empty: none left).
/// Returns the representation ended.
pub fn end(
    caller: AccountId,
    is_admin: bool,
    now: Timestamp,
    representative: AccountId,
    representatives: &mut RepresentativeList,
) -> Result<Representation> {
    let mut kept = representatives.clone();
    drop_over(&mut kept, now);
    let position = kept
        .iter()
        .position(|representation| representation.representative == representative)
        .ok_or(Error::RepresentationNotFound)?;
    let ended = kept.remove(position);
    if caller != ended.issuer && !is_admin {
        return Err(Error::NotRepresentationIssuer);
    }
    *representatives = kept;
    Ok(ended)
}

/// Drops the representations whose period is over at `now`.
pub fn drop_over(representatives: &mut RepresentativeList, now: Timestamp) {
    representatives.retain(|representation| !representation.is_over(now));
}

/// `account`'s representation of the patient that is live at `now`, among the patient's `representatives`.
pub fn live(representatives: &RepresentativeList, account: AccountId, now: Timestamp) -> Option<Representation> {
    representatives
        .iter()
        .find(|representation| representation.representative == account && representation.is_live(now))
        .copied()
}

/// Does `account` represent the patient at `now` for `class`? (What records asks before an erasure or a
/// supersession by someone other than the patient.)
pub fn represents(representatives: &RepresentativeList, account: AccountId, class: DataClass, now: Timestamp) -> bool {
    live(representatives, account, now).is_some_and(|representation| representation.acts_for(class))
}

/// A representative acts on a consent (or a delegate's scope, or an access request) with `provision` and `classes`
/// only when it covers no class the representation excludes ([`covers`]: a broad Deny covers every class, a broad
/// Permit every class that is not sensitive); else `ClassExcluded`.
pub fn ensure_not_excluded(representation: &Representation, provision: Provision, classes: DataClassSet) -> Result<()> {
    let touches = DataClass::ALL
        .into_iter()
        .any(|class| representation.excluded.contains(class) && covers(provision, classes, class));
    if touches {
        return Err(Error::ClassExcluded);
    }
    Ok(())
}

fn max_representatives() -> usize {
    usize::try_from(MAX_REPRESENTATIVES).unwrap_or(usize::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const NOW: Timestamp = 1_000;
    /// The age of majority of the tests' minor.
    pub(crate) const MAJORITY: Timestamp = 5_000;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn never_asked() -> Result<bool> {
        panic!("participants is not asked before the attestation is well formed")
    }

    /// Guardian 2 of minor 1, attested by issuer 9 from `NOW` until `MAJORITY`, SubstanceUse excluded.
    pub(crate) fn guardianship(id: RepresentationId, representative: AccountId) -> Representation {
        Representation {
            id,
            representative,
            issuer: account(9),
            valid_from: NOW,
            valid_until: Some(MAJORITY),
            excluded: DataClassSet::of(DataClass::SubstanceUse),
        }
    }

    fn attested(representative: AccountId) -> Attested {
        Attested {
            patient: account(1),
            representative,
            valid_from: NOW,
            valid_until: Some(MAJORITY),
            excluded: DataClassSet::of(DataClass::SubstanceUse),
        }
    }

    /// The list and next id as `attest` leaves them, or the refusal.
    fn attest_into(
        list: &RepresentativeList,
        attested: Attested,
        is_issuer: impl FnOnce() -> Result<bool>,
    ) -> Result<(Representation, RepresentativeList, RepresentationId)> {
        let (mut list, mut next) = (list.clone(), 7);
        let representation = attest(account(9), NOW, attested, is_issuer, &mut list, &mut next)?;
        Ok((representation, list, next))
    }

    #[test]
    fn an_issuer_attests_a_representation_with_its_period_and_exclusions() {
        let (representation, list, next) = attest_into(&Vec::new(), attested(account(2)), || Ok(true)).unwrap();
        assert_eq!(representation, guardianship(7, account(2)));
        assert_eq!((list, next), (vec![guardianship(7, account(2))], 8));
        // Open-ended (an adult's guardianship), nothing excluded, starting later.
        let adult =
            Attested { valid_from: NOW + 10, valid_until: None, excluded: DataClassSet::EMPTY, ..attested(account(2)) };
        let (representation, _, _) = attest_into(&Vec::new(), adult, || Ok(true)).unwrap();
        assert_eq!(
            (representation.valid_until, representation.is_live(NOW), representation.is_live(NOW + 10)),
            (None, false, true)
        );
    }

    #[test]
    fn a_malformed_attestation_is_refused_before_participants_is_asked() {
        let list = Vec::new();
        let cases = [
            (attested(account(1)), Error::SelfRepresentation),
            (attested(account(9)), Error::IssuerAsRepresentative),
            (Attested { excluded: DataClassSet(1 << 12), ..attested(account(2)) }, Error::MalformedClassSet),
            (Attested { excluded: DataClassSet::GENERAL, ..attested(account(2)) }, Error::BroadExclusion),
            (Attested { valid_until: Some(NOW), ..attested(account(2)) }, Error::InvalidPeriod),
            (Attested { valid_from: 0, valid_until: Some(NOW), ..attested(account(2)) }, Error::PeriodEnded),
        ];
        for (attested, refusal) in cases {
            assert_eq!(attest_into(&list, attested, never_asked), Err(refusal), "{attested:?}");
        }
    }

    #[test]
    fn only_an_appointed_issuer_attests() {
        assert_eq!(attest_into(&Vec::new(), attested(account(2)), || Ok(false)), Err(Error::NotIssuer));
        let unreachable = || Err(Error::ParticipantsUnreachable);
        assert_eq!(attest_into(&Vec::new(), attested(account(2)), unreachable), Err(Error::ParticipantsUnreachable));
    }

    #[test]
    fn one_representation_per_pair_and_a_bounded_number_per_patient() {
        let list = vec![guardianship(3, account(2))];
        assert_eq!(attest_into(&list, attested(account(2)), || Ok(true)), Err(Error::RepresentationExists));
        let not_yet = vec![Representation { valid_from: NOW + 1, ..guardianship(3, account(2)) }];
        assert_eq!(attest_into(&not_yet, attested(account(2)), || Ok(true)), Err(Error::RepresentationExists));
        let full: RepresentativeList =
            (0..MAX_REPRESENTATIVES).map(|n| guardianship(n.into(), account(20 + n as u8))).collect();
        assert_eq!(attest_into(&full, attested(account(2)), || Ok(true)), Err(Error::TooManyRepresentatives));
        // A representation over frees its slot, and its pair.
        let mut with_over = full.clone();
        with_over[0].valid_until = Some(NOW);
        with_over.push(Representation { valid_until: Some(NOW - 1), ..guardianship(30, account(2)) });
        let (_, list, _) = attest_into(&with_over, attested(account(2)), || Ok(true)).unwrap();
        assert_eq!(list.len(), full.len());
        assert_eq!(list.last(), Some(&guardianship(7, account(2))));
        assert!(list.iter().all(|representation| !representation.is_over(NOW)));
    }

    #[test]
    fn its_issuer_or_the_admin_ends_a_representation() {
        let list = vec![guardianship(3, account(2)), guardianship(4, account(3))];
        for (caller, is_admin) in [(account(9), false), (account(8), true)] {
            let mut ended_list = list.clone();
            assert_eq!(end(caller, is_admin, NOW, account(2), &mut ended_list), Ok(guardianship(3, account(2))));
            assert_eq!(ended_list, vec![guardianship(4, account(3))]);
        }
        let mut unchanged = list.clone();
        for refused in [account(8), account(2), account(1)] {
            assert_eq!(end(refused, false, NOW, account(2), &mut unchanged), Err(Error::NotRepresentationIssuer));
        }
        assert_eq!(end(account(9), false, NOW, account(5), &mut unchanged), Err(Error::RepresentationNotFound));
        assert_eq!(
            end(account(9), false, MAJORITY, account(2), &mut unchanged),
            Err(Error::RepresentationNotFound),
            "over"
        );
        assert_eq!(unchanged, list, "refusals change nothing");
    }

    #[test]
    fn a_representative_acts_in_its_period_for_the_classes_not_excluded() {
        let list = vec![guardianship(3, account(2))];
        assert_eq!(live(&list, account(2), NOW), Some(guardianship(3, account(2))));
        assert_eq!(live(&list, account(2), NOW - 1), None, "not yet valid");
        assert_eq!(live(&list, account(2), MAJORITY - 1).map(|r| r.id), Some(3));
        assert_eq!(live(&list, account(2), MAJORITY), None, "the age of majority ends it");
        assert_eq!(live(&list, account(4), NOW), None);
        assert!(represents(&list, account(2), DataClass::Labs, NOW));
        assert!(represents(&list, account(2), DataClass::MentalHealth, NOW));
        assert!(!represents(&list, account(2), DataClass::SubstanceUse, NOW), "excluded");
        assert!(!represents(&list, account(2), DataClass::Labs, MAJORITY));
    }

    #[test]
    fn a_representative_touches_no_excluded_class() {
        let guardian = guardianship(3, account(2));
        let named = |classes: &[DataClass]| DataClassSet::from_slice(classes);
        assert_eq!(ensure_not_excluded(&guardian, Provision::Permit, named(&[DataClass::Labs])), Ok(()));
        assert_eq!(ensure_not_excluded(&guardian, Provision::Permit, DataClassSet::GENERAL), Ok(()), "broad Permit");
        assert_eq!(ensure_not_excluded(&guardian, Provision::Deny, named(&[DataClass::Labs])), Ok(()));
        let touching = [
            (Provision::Permit, named(&[DataClass::Labs, DataClass::SubstanceUse])),
            (Provision::Deny, named(&[DataClass::SubstanceUse])),
            (Provision::Deny, DataClassSet::GENERAL),
        ];
        for (provision, classes) in touching {
            assert_eq!(ensure_not_excluded(&guardian, provision, classes), Err(Error::ClassExcluded), "{classes:?}");
        }
        // A non-sensitive excluded class is covered by a broad Permit too.
        let labs_excluded = Representation { excluded: named(&[DataClass::Labs]), ..guardian };
        assert_eq!(
            ensure_not_excluded(&labs_excluded, Provision::Permit, DataClassSet::GENERAL),
            Err(Error::ClassExcluded)
        );
    }
}
