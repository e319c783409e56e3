//! National Provider Identifier (NPI) check, as CMS specifies it: 10 digits, the first 1 or 2, the last a Luhn
//! check digit computed over the first nine with the card-issuer prefix 80840 in front.

/// Is `npi` a well-formed NPI?
pub fn is_valid(npi: u64) -> bool {
    if !(1_000_000_000..3_000_000_000).contains(&npi) {
        return false;
    }
    // Luhn over "80840" followed by the ten digits: from the right, every second digit is doubled.
    let mut rest = npi;
    let mut sum: u32 = 0;
    let mut double = false;
    for _ in 0..10 {
        let digit = u32::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
        sum = sum.saturating_add(luhn_term(digit, double));
        double = !double;
    }
    // The prefix 8,0,8,4,0 continues the alternation from the right: 0, 4 doubled, 8, 0 doubled, 8 = 24.
    sum = sum.saturating_add(24);
    sum % 10 == 0
}

fn luhn_term(digit: u32, double: bool) -> u32 {
    if !double {
        return digit;
    }
    let doubled = digit.saturating_mul(2);
    if doubled > 9 {
        doubled.saturating_sub(9)
    } else {
        doubled
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_npis_with_the_right_check_digit() {
        // CMS's worked example, and real-format NPIs with computed check digits.
        assert!(is_valid(1_234_567_893));
        assert!(is_valid(1_245_319_599));
        assert!(is_valid(2_000_000_002));
        assert!(is_valid(1_003_000_126));
    }

    #[test]
    fn refuses_a_wrong_check_digit_bad_first_digit_or_length() {
        assert!(!is_valid(1_234_567_890));
        assert!(!is_valid(1_234_567_894));
        assert!(!is_valid(3_234_567_893), "first digit must be 1 or 2");
        assert!(!is_valid(123_456_789), "nine digits");
        assert!(!is_valid(12_345_678_931), "eleven digits");
        assert!(!is_valid(0));
    }
}
