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

// ---- AI(17) expiration dates ----
//
// A pack carries its expiry as GS1 AI(17) YYMMDD. DD = 00 means the last day of the month (GS1 General
// Specifications 3.4.x: "if only year and month are available, DD must be filled with two zeroes"). YY is placed
// in a century by the GS1 sliding window (7.12): 51 to 99 years ahead of the current year is the previous century,
// 50 to 99 years behind is the next one, anything else the current century. A product is usable through the whole
// day: it expires at the first millisecond after that day, 00:00 UTC of the next day.

/// Milliseconds in a day.
pub const MS_PER_DAY: u64 = 86_400_000;
/// The length of an AI(17) date.
pub const EXPIRY_LEN: usize = 6;

/// `a + b`, `a * b`, `a / b`, `a % b` on u64 that cannot fail here, checked anyway (no silent overflow on chain).
fn add(a: u64, b: u64) -> Option<u64> {
    a.checked_add(b)
}
fn mul(a: u64, b: u64) -> Option<u64> {
    a.checked_mul(b)
}
fn div(a: u64, b: u64) -> Option<u64> {
    a.checked_div(b)
}
fn sub(a: u64, b: u64) -> Option<u64> {
    a.checked_sub(b)
}

/// Days from 1970-01-01 to `year`-`month`-`day` (proleptic Gregorian, year >= 1970; H. Hinnant's
/// `days_from_civil`, with March as the first month of the computing year).
pub fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 { sub(year, 1)? } else { year };
    let era = div(year, 400)?;
    let year_of_era = sub(year, mul(era, 400)?)?;
    let month_from_march = if month > 2 { sub(month, 3)? } else { add(month, 9)? };
    let day_of_year = add(div(add(mul(153, month_from_march)?, 2)?, 5)?, sub(day, 1)?)?;
    let day_of_era =
        add(sub(add(mul(year_of_era, 365)?, div(year_of_era, 4)?)?, div(year_of_era, 100)?)?, day_of_year)?;
    sub(add(mul(era, 146_097)?, day_of_era)?, 719_468)
}

/// Is `year` a Gregorian leap year?
pub fn is_leap(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1 to 12) of `year`.
pub fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The (UTC) year `now` (ms since 1970) falls in.
pub fn year_at(now: u64) -> Option<u64> {
    let days = div(now, MS_PER_DAY)?;
    // 365.2425 days a year on average: the estimate is off by at most one year either way.
    let estimate = add(1970, div(mul(days, 400)?, 146_097)?)?;
    if days_from_civil(estimate, 1, 1)? > days {
        sub(estimate, 1)
    } else if days_from_civil(add(estimate, 1)?, 1, 1)? <= days {
        add(estimate, 1)
    } else {
        Some(estimate)
    }
}

/// The full year of a two-digit `yy` read at `now`, by the GS1 sliding window.
pub fn full_year(yy: u64, now: u64) -> Option<u64> {
    let current = year_at(now)?;
    let century = mul(div(current, 100)?, 100)?;
    let current_yy = current % 100;
    if yy > current_yy && sub(yy, current_yy)? >= 51 {
        add(sub(century, 100)?, yy)
    } else if current_yy > yy && sub(current_yy, yy)? >= 50 {
        add(add(century, 100)?, yy)
    } else {
        add(century, yy)
    }
}

/// The first millisecond after the AI(17) date `yymmdd` (read at `now`, for its century), or None when it is not
/// 6 ASCII digits naming a day (MM 01-12, DD 00 or a day of that month).
pub fn expiry_end(yymmdd: &str, now: u64) -> Option<u64> {
    let bytes = yymmdd.as_bytes();
    if bytes.len() != EXPIRY_LEN || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let pair = |at: usize| -> Option<u64> {
        let tens = u64::from(bytes.get(at)?.checked_sub(b'0')?);
        let ones = u64::from(bytes.get(at.checked_add(1)?)?.checked_sub(b'0')?);
        add(mul(tens, 10)?, ones)
    };
    let (yy, month, day) = (pair(0)?, pair(2)?, pair(4)?);
    if !(1..=12).contains(&month) {
        return None;
    }
    let year = full_year(yy, now)?;
    let last = days_in_month(year, month);
    let day = match day {
        0 => last,
        day if day <= last => day,
        _ => return None,
    };
    mul(add(days_from_civil(year, month, day)?, 1)?, MS_PER_DAY)
}

/// The end of the AI(17) date `expiry` read at `now` ([`expiry_end`]), else `InvalidExpiry`.
pub fn ensure_expiry(expiry: &str, now: u64) -> Result<u64> {
    expiry_end(expiry, now).ok_or(Error::InvalidExpiry)
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

    const DAY: u64 = MS_PER_DAY;

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(1971, 2, 5), Some(400));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2026, 11, 29), Some(20_786));
        assert_eq!(year_at(0), Some(1970));
        assert_eq!(year_at(365 * DAY - 1), Some(1970));
        assert_eq!(year_at(365 * DAY), Some(1971));
        assert_eq!(year_at(20_786 * DAY), Some(2026));
        assert_eq!(year_at(days_from_civil(2100, 1, 1).unwrap() * DAY - 1), Some(2099));
    }

    #[test]
    fn ai17_is_the_end_of_its_day_and_dd_00_the_end_of_its_month() {
        let now = days_from_civil(2026, 11, 29).unwrap() * DAY;
        let end_of = |y, m, d| (days_from_civil(y, m, d).unwrap() + 1) * DAY;
        assert_eq!(expiry_end("261130", now), Some(end_of(2026, 11, 30)));
        assert_eq!(expiry_end("261100", now), Some(end_of(2026, 11, 30)), "DD 00: the last day of November");
        assert_eq!(expiry_end("280200", now), Some(end_of(2028, 2, 29)), "leap year");
        assert_eq!(expiry_end("270200", now), Some(end_of(2027, 2, 28)));
        assert_eq!(expiry_end("001231", now), Some(end_of(2000, 12, 31)));
        for bad in ["", "2611", "2611300", "261131", "270229", "261300", "260000", "26113A", "２61130", "26-1-3"] {
            assert_eq!(expiry_end(bad, now), None, "{bad}");
            assert_eq!(ensure_expiry(bad, now), Err(Error::InvalidExpiry));
        }
    }

    #[test]
    fn the_century_comes_from_the_gs1_sliding_window() {
        let in_2026 = days_from_civil(2026, 6, 1).unwrap() * DAY;
        assert_eq!(full_year(26, in_2026), Some(2026));
        assert_eq!(full_year(76, in_2026), Some(2076), "50 ahead: this century");
        assert_eq!(full_year(77, in_2026), Some(1977), "51 ahead: the previous one");
        assert_eq!(full_year(99, in_2026), Some(1999));
        assert_eq!(full_year(0, in_2026), Some(2000));
        let in_2080 = days_from_civil(2080, 6, 1).unwrap() * DAY;
        assert_eq!(full_year(30, in_2080), Some(2130), "50 behind: the next century");
        assert_eq!(full_year(31, in_2080), Some(2031));
        assert_eq!(full_year(71, 10 * DAY), Some(1971));
    }
}
