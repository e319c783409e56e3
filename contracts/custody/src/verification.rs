//! What `verify` answers anyone who reads a product identifier off a pack (GTIN, serial, lot, expiry): is it a
//! genuine unit fit to trade, and if not, why? Checks in order: a known serial, the lot, the expiry, then the unit's
//! effective disposition ([`crate::disposition::effective`]).

use crate::{
    disposition,
    types::{Batch, Disposition, Unit, UnitId, Verification, VerifyResult},
};
use interfaces::Timestamp;

/// The answer when no unit has the GTIN and serial: a counterfeit or a mistyped identifier.
pub const UNKNOWN: Verification =
    Verification { authentic: false, reason: VerifyResult::UnknownSerial, owner: None, unit: None };

/// The answer for the unit the GTIN and serial name (`found`: its id, the unit and its batch; None for none), read
/// with `lot` and `expiry` at `now`. Authentic when the unit matches and is fit to trade: Active or in transit.
pub fn verify(found: Option<(UnitId, Unit, Batch)>, lot: &str, expiry: Timestamp, now: Timestamp) -> Verification {
    let Some((id, unit, batch)) = found else {
        return UNKNOWN;
    };
    let reason = if batch.lot != lot {
        VerifyResult::LotMismatch
    } else if batch.expiry != expiry {
        VerifyResult::ExpiryMismatch
    } else {
        reason(disposition::effective(&unit, &batch, now))
    };
    Verification {
        authentic: matches!(reason, VerifyResult::Authentic | VerifyResult::InTransit),
        reason,
        owner: Some(unit.owner),
        unit: Some(id),
    }
}

/// The answer for a matching identifier, by the unit's effective disposition.
pub fn reason(disposition: Disposition) -> VerifyResult {
    match disposition {
        Disposition::Active => VerifyResult::Authentic,
        Disposition::InTransit => VerifyResult::InTransit,
        Disposition::Recalled => VerifyResult::Recalled,
        Disposition::Dispensed => VerifyResult::Dispensed,
        Disposition::Destroyed => VerifyResult::Destroyed,
        Disposition::Expired => VerifyResult::Expired,
        Disposition::Quarantined => VerifyResult::Quarantined,
        Disposition::Illegitimate => VerifyResult::Illegitimate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Recall;
    use interfaces::AccountId;

    const EXPIRY: Timestamp = 1_000;

    fn owner() -> AccountId {
        AccountId::from([1; 32])
    }

    fn found(disposition: Disposition, recalled: bool) -> Option<(UnitId, Unit, Batch)> {
        let recall = recalled.then(|| Recall { by: owner(), reason_hash: [0; 32], at: 0 });
        let batch = Batch { recall, ..Batch::new("04006381333931".into(), "LOT-1".into(), EXPIRY, owner(), 0) };
        let recipient = (disposition == Disposition::InTransit).then(|| AccountId::from([2; 32]));
        let unit = Unit {
            batch: 1,
            serial: "SN1".into(),
            owner: owner(),
            disposition,
            recipient,
            decommissioned: None,
            prescription: None,
            trail_len: 1,
        };
        Some((7, unit, batch))
    }

    #[test]
    fn an_unknown_serial_names_nothing() {
        assert_eq!(verify(None, "LOT-1", EXPIRY, 0), UNKNOWN);
        assert_eq!(
            UNKNOWN,
            Verification { authentic: false, reason: VerifyResult::UnknownSerial, owner: None, unit: None }
        );
    }

    #[test]
    fn the_lot_then_the_expiry_must_match_the_pack() {
        let wrong_both = verify(found(Disposition::Active, false), "LOT-2", EXPIRY + 1, 0);
        assert_eq!(
            wrong_both,
            Verification { authentic: false, reason: VerifyResult::LotMismatch, owner: Some(owner()), unit: Some(7) }
        );
        let wrong_expiry = verify(found(Disposition::Active, true), "LOT-1", EXPIRY + 1, 0);
        assert_eq!((wrong_expiry.authentic, wrong_expiry.reason), (false, VerifyResult::ExpiryMismatch));
    }

    #[test]
    fn a_matching_pack_is_answered_by_the_effective_disposition() {
        for (disposition, recalled, now, reason, authentic) in [
            (Disposition::Active, false, 0, VerifyResult::Authentic, true),
            (Disposition::InTransit, false, 0, VerifyResult::InTransit, true),
            (Disposition::Active, false, EXPIRY, VerifyResult::Expired, false),
            (Disposition::Active, true, 0, VerifyResult::Recalled, false),
            (Disposition::Quarantined, false, EXPIRY, VerifyResult::Quarantined, false),
            (Disposition::Dispensed, true, 0, VerifyResult::Dispensed, false),
            (Disposition::Destroyed, false, 0, VerifyResult::Destroyed, false),
            (Disposition::Illegitimate, true, EXPIRY, VerifyResult::Illegitimate, false),
        ] {
            let answer = verify(found(disposition, recalled), "LOT-1", EXPIRY, now);
            assert_eq!(
                answer,
                Verification { authentic, reason, owner: Some(owner()), unit: Some(7) },
                "{disposition:?} recalled {recalled} at {now}"
            );
        }
    }

    #[test]
    fn every_disposition_has_its_answer() {
        use Disposition::*;
        let all = [Active, InTransit, Recalled, Dispensed, Destroyed, Expired, Quarantined, Illegitimate];
        let answers: Vec<VerifyResult> = all.iter().map(|d| reason(*d)).collect();
        assert_eq!(
            answers,
            [
                VerifyResult::Authentic,
                VerifyResult::InTransit,
                VerifyResult::Recalled,
                VerifyResult::Dispensed,
                VerifyResult::Destroyed,
                VerifyResult::Expired,
                VerifyResult::Quarantined,
                VerifyResult::Illegitimate
            ]
        );
    }
}
