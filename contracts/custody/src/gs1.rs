//! GS1 identifiers as the GS1 General Specifications define them: the GTIN-14 check digit (mod 10, weights 3, 1,
//! 3, ... from the right, the check digit excluded) and the AI(21) serial / AI(10) lot character set "CSET 82".

use crate::errors::{Error, Result};

/// The most characters a serial number (AI 21) may have.
pub const MAX_SERIAL_LEN: usize = 20;
/// The most characters a lot number (AI 10) may have.
pub const MAX_LOT_LEN: usize = 20;

/// The check digit of the first 13 digits of a GTIN-14 (`None` if `digits` are not 13 ASCII digits).
pub fn gtin_check_digit(digits: &[u8]) -> Option<u8> {
    if digits.len() != 13 {
        return None;
    }
    let mut sum: u32 = 0;
    // From the right: the digit next to the check digit weighs 3, the one before 1, and so on.
    for (position, byte) in digits.iter().rev().enumerate() {
        let digit = char::from(*byte).to_digit(10)?;
        let weight = if position % 2 == 0 { 3 } else { 1 };
        sum = sum.checked_add(digit.checked_mul(weight)?)?;
    }
    let check = (10u32.checked_sub(sum % 10)?) % 10;
    u8::try_from(check).ok()
}

/// Is `gtin` exactly 14 ASCII digits whose last is the right check digit?
pub fn is_valid_gtin14(gtin: &str) -> bool {
    let bytes = gtin.as_bytes();
    let Some((last, body)) = bytes.split_last() else {
        return false;
    };
    if bytes.len() != 14 {
        return false;
    }
    match (gtin_check_digit(body), char::from(*last).to_digit(10)) {
        (Some(expected), Some(given)) => u32::from(expected) == given,
        _ => false,
    }
}

/// Is `byte` in GS1 "CSET 82": `! " % & ' ( ) * + , - . /`, `0-9`, `: ; < = > ?`, `A-Z`, `_`, `a-z`?
pub fn is_cset82(byte: u8) -> bool {
    matches!(byte,
        b'!' | b'"' | b'%'..=b'/' | b'0'..=b'9' | b':'..=b'?' | b'A'..=b'Z' | b'_' | b'a'..=b'z')
}

/// 1 to `max` characters, all of CSET 82.
fn is_cset82_text(text: &str, max: usize) -> bool {
    !text.is_empty() && text.len() <= max && text.bytes().all(is_cset82)
}

/// A valid AI(21) serial number: 1 to 20 characters of CSET 82.
pub fn is_valid_serial(serial: &str) -> bool {
    is_cset82_text(serial, MAX_SERIAL_LEN)
}

/// A valid AI(10) batch/lot number: 1 to 20 characters of CSET 82.
pub fn is_valid_lot(lot: &str) -> bool {
    is_cset82_text(lot, MAX_LOT_LEN)
}

// ---- the checks every message makes before it builds a storage key ----
//
// A storage key is at most 128 bytes on chain (pallet-contracts traps on a longer one): a GTIN, lot or serial of
// arbitrary length would make `(gtin, serial)` or `(gtin, lot)` too long, and the contract would trap instead of
// answering. Every message that takes one checks it here first; the checked ones are at most 14 + 20 bytes.

/// `gtin` is a valid GTIN-14, else `InvalidGtin`.
pub fn ensure_gtin(gtin: &str) -> Result<()> {
    if is_valid_gtin14(gtin) {
        Ok(())
    } else {
        Err(Error::InvalidGtin)
    }
}

/// `lot` is a valid AI(10) lot, else `InvalidLot`.
pub fn ensure_lot(lot: &str) -> Result<()> {
    if is_valid_lot(lot) {
        Ok(())
    } else {
        Err(Error::InvalidLot)
    }
}

/// `serial`, the only serial of a message, is a valid AI(21) serial, else `InvalidSerial(0)`.
pub fn ensure_serial(serial: &str) -> Result<()> {
    if is_valid_serial(serial) {
        Ok(())
    } else {
        Err(Error::InvalidSerial(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_known_gtins() {
        assert_eq!(gtin_check_digit(b"0400638133393"), Some(1));
        assert_eq!(gtin_check_digit(b"1061414100041"), Some(5));
        assert_eq!(gtin_check_digit(b"0000000000000"), Some(0));
        assert_eq!(gtin_check_digit(b"0123456789012"), Some(8));
        assert_eq!(gtin_check_digit(b"012345678901"), None, "12 digits");
        assert_eq!(gtin_check_digit(b"01234567890a2"), None, "not a digit");
    }

    #[test]
    fn gtin14_needs_14_digits_and_the_right_check_digit() {
        assert!(is_valid_gtin14("04006381333931"));
        assert!(is_valid_gtin14("10614141000415"));
        assert!(is_valid_gtin14("00300123456785"));
        assert!(!is_valid_gtin14("04006381333932"), "wrong check digit");
        assert!(!is_valid_gtin14("4006381333931"), "GTIN-13 not padded");
        assert!(!is_valid_gtin14("004006381333931"), "15 digits");
        assert!(!is_valid_gtin14("0400638133393A"));
        assert!(!is_valid_gtin14("0400638I333931"));
        assert!(!is_valid_gtin14(""));
        assert!(!is_valid_gtin14("０4006381333931"), "non-ASCII digit");
    }

    #[test]
    fn cset82_has_exactly_82_characters() {
        let allowed: Vec<u8> = (0u8..=255).filter(|b| is_cset82(*b)).collect();
        assert_eq!(allowed.len(), 82);
        for byte in b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz" {
            assert!(is_cset82(*byte), "{}", char::from(*byte));
        }
        for byte in b" #$@[\\]^`{|}~\t\n" {
            assert!(!is_cset82(*byte), "{}", char::from(*byte));
        }
    }

    #[test]
    fn serials_and_lots_are_1_to_20_characters_of_cset82() {
        assert!(is_valid_serial("A"));
        assert!(is_valid_serial("12345678901234567890"));
        assert!(is_valid_serial("SN-0001/a_b.c"));
        assert!(!is_valid_serial(""));
        assert!(!is_valid_serial("123456789012345678901"), "21 characters");
        assert!(!is_valid_serial("SN 1"), "space");
        assert!(!is_valid_serial("SN#1"));
        assert!(!is_valid_serial("SNé"), "non-ASCII");
        assert!(is_valid_lot("LOT-2024/07"));
        assert!(!is_valid_lot(""));
        assert!(!is_valid_lot("L23456789012345678901"));
        assert!(!is_valid_lot("LOT@1"));
    }

    #[test]
    fn the_key_checks_name_what_is_wrong() {
        let long = "9".repeat(200);
        assert_eq!(ensure_gtin("04006381333931"), Ok(()));
        assert_eq!(ensure_gtin(&long), Err(Error::InvalidGtin));
        assert_eq!(ensure_lot("LOT-1"), Ok(()));
        assert_eq!(ensure_lot(&long), Err(Error::InvalidLot));
        assert_eq!(ensure_serial("SN1"), Ok(()));
        assert_eq!(ensure_serial(&long), Err(Error::InvalidSerial(0)));
    }
}
