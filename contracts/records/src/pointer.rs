//! Shape rules of a record pointer, independent of the chain: the encrypted off-chain location is a non-empty byte
//! string of at most [`MAX_LOCATION`] bytes, and the content hash is not all zeroes (all zeroes is what erasure
//! leaves behind).

use interfaces::Hash32;

/// The longest encrypted location a pointer may carry, in bytes.
pub const MAX_LOCATION: usize = 512;

/// The content hash an erased record carries.
pub const ERASED_HASH: Hash32 = [0; 32];

/// Why a pointer is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointerError {
    EmptyLocation,
    LocationTooLong,
    EmptyContentHash,
}

/// Checks the location bound and the content hash.
pub fn validate(location: &[u8], content_hash: &Hash32) -> Result<(), PointerError> {
    if location.is_empty() {
        return Err(PointerError::EmptyLocation);
    }
    if location.len() > MAX_LOCATION {
        return Err(PointerError::LocationTooLong);
    }
    if *content_hash == ERASED_HASH {
        return Err(PointerError::EmptyContentHash);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_location_is_bounded_on_both_sides() {
        assert_eq!(validate(&[], &[1; 32]), Err(PointerError::EmptyLocation));
        assert_eq!(validate(&[7], &[1; 32]), Ok(()));
        assert_eq!(validate(&[7; MAX_LOCATION], &[1; 32]), Ok(()));
        assert_eq!(validate(&[7; MAX_LOCATION + 1], &[1; 32]), Err(PointerError::LocationTooLong));
    }

    #[test]
    fn an_all_zero_hash_is_refused_but_a_single_set_bit_is_enough() {
        assert_eq!(validate(&[7], &ERASED_HASH), Err(PointerError::EmptyContentHash));
        let mut hash = ERASED_HASH;
        hash[31] = 1;
        assert_eq!(validate(&[7], &hash), Ok(()));
    }
}
