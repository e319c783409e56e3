//! What `verify` answers anyone who reads a product identifier off a pack (GTIN, serial, lot, expiry), as the DSCSA
//! asks it: is the identifier one the manufacturer commissioned, with its batch's lot and expiry (genuine)? And,
//! apart from that, may the unit be sold now, and if not, why (its effective disposition,
//! [`crate::disposition::effective`])? A genuine unit that was dispensed or recalled is genuine and not saleable.

use crate::{
    disposition, gs1,
    types::{Batch, Disposition, IdentifierCheck, Unit, UnitId, Verification},
};
use interfaces::Timestamp;

/// The answer when no unit has the GTIN and serial: a counterfeit or a mistyped identifier.
pub const UNKNOWN: Verification = Verification {
    identifier: IdentifierCheck::UnknownSerial,
    saleable: false,
    disposition: None,
    owner: None,
    unit: None,
};

/// The answer for the unit the GTIN and serial name (`found`: its id, the unit and its batch; None for none), read
/// with `lot` and the AI(17) `expiry` at `now`. The expiry matches when it names the batch's day (DD 00 and the
/// month's last day are the same day), read in the century the batch's was.
pub fn verify(found: Option<(UnitId, Unit, Batch)>, lot: &str, expiry: &str, now: Timestamp) -> Verification {
    let Some((id, unit, batch)) = found else {
        return UNKNOWN;
    };
    let identifier = if batch.lot != lot {
        IdentifierCheck::LotMismatch
    } else if gs1::expiry_end(expiry, batch.created_at) != Some(batch.expires_at) {
        IdentifierCheck::ExpiryMismatch
    } else {
        IdentifierCheck::Genuine
    };
    let disposition = disposition::effective(&unit, &batch, now);
    Verification {
        identifier,
        saleable: identifier == IdentifierCheck::Genuine && is_saleable(disposition),
        disposition: Some(disposition),
        owner: Some(unit.owner),
        unit: Some(id),
    }
}

/// May a unit in this (effective) disposition be sold: Active at its owner, or in transit between trading partners.
pub fn is_saleable(disposition: Disposition) -> bool {
    matches!(disposition, Disposition::Active | Disposition::InTransit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Recall;
    use interfaces::AccountId;

    /// 1970-01-31, read in 1970: expires at the end of day 30.
    const EXPIRY: &str = "700131";
    const EXPIRES_AT: Timestamp = 31 * gs1::MS_PER_DAY;

    fn owner() -> AccountId {
        AccountId::from([1; 32])
    }

    fn found(disposition: Disposition, recalled: bool) -> Option<(UnitId, Unit, Batch)> {
        let recall = recalled.then(|| Recall { by: owner(), reason_hash: [0; 32], at: 0 });
        let expiry = (EXPIRY.into(), EXPIRES_AT);
        let batch = Batch { recall, ..Batch::new("04006381333931".into(), "LOT-1".into(), expiry, owner(), 0) };
        let recipient = (disposition == Disposition::InTransit).then(|| AccountId::from([2; 32]));
        let unit = Unit {
            batch: 1,
            serial: "SN1".into(),
            owner: owner(),
            disposition,
            recipient,
            decommissioned: None,
            prescription: None,
            deadline: None,
            trail_len: 1,
        };
        Some((7, unit, batch))
    }

    #[test]
    fn an_unknown_serial_names_nothing() {
        assert_eq!(verify(None, "LOT-1", EXPIRY, 0), UNKNOWN);
        assert_eq!(
            (UNKNOWN.identifier, UNKNOWN.saleable, UNKNOWN.disposition),
            (IdentifierCheck::UnknownSerial, false, None)
        );
    }

    #[test]
    fn the_lot_then_the_expiry_must_match_the_pack() {
        let wrong_both = verify(found(Disposition::Active, false), "LOT-2", "700201", 0);
        assert_eq!(
            wrong_both,
            Verification {
                identifier: IdentifierCheck::LotMismatch,
                saleable: false,
                disposition: Some(Disposition::Active),
                owner: Some(owner()),
                unit: Some(7)
            }
        );
        let wrong_expiry = verify(found(Disposition::Active, true), "LOT-1", "700130", 0);
        assert_eq!((wrong_expiry.identifier, wrong_expiry.saleable), (IdentifierCheck::ExpiryMismatch, false));
        let garbage = verify(found(Disposition::Active, false), "LOT-1", "7001", 0);
        assert_eq!(garbage.identifier, IdentifierCheck::ExpiryMismatch);
    }

    #[test]
    fn dd_00_matches_the_last_day_of_the_month() {
        let end_of_month = verify(found(Disposition::Active, false), "LOT-1", "700100", 0);
        assert_eq!((end_of_month.identifier, end_of_month.saleable), (IdentifierCheck::Genuine, true));
    }

    /// Regression: `verify` answered `authentic: false` for a genuine unit that was dispensed or recalled.
    #[test]
    fn a_genuine_unit_stays_genuine_whatever_its_disposition() {
        use Disposition::*;
        for (disposition, recalled, now, effective, saleable) in [
            (Active, false, 0, Active, true),
            (InTransit, false, 0, InTransit, true),
            (Active, false, EXPIRES_AT - 1, Active, true),
            (Active, false, EXPIRES_AT, Expired, false),
            (Active, true, 0, Recalled, false),
            (Quarantined, false, EXPIRES_AT, Quarantined, false),
            (Dispensed, true, 0, Dispensed, false),
            (Destroyed, false, 0, Destroyed, false),
            (Illegitimate, true, EXPIRES_AT, Illegitimate, false),
        ] {
            let answer = verify(found(disposition, recalled), "LOT-1", EXPIRY, now);
            assert_eq!(
                answer,
                Verification {
                    identifier: IdentifierCheck::Genuine,
                    saleable,
                    disposition: Some(effective),
                    owner: Some(owner()),
                    unit: Some(7)
                },
                "{disposition:?} recalled {recalled} at {now}"
            );
        }
    }
}
