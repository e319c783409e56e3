//! How the council calls a governed contract: the call data of a proposal, sent as is, and the answer read as
//! "Ok or not". The governed contracts' admin messages all answer `Result<_, Error>`: after ink!'s own
//! `MessageResult` byte, `0` is `Ok`. A call that traps, or answers `Err`, fails the execution.

use interfaces::AccountId;
use scale::{Encode, Input, Output};

/// A message's SCALE-encoded arguments, written as they are (no length prefix).
struct RawArgs<'a>(&'a [u8]);

impl Encode for RawArgs<'_> {
    fn size_hint(&self) -> usize {
        self.0.len()
    }

    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(self.0);
    }
}

/// Whether the called message answered `Ok` (or nothing); reads and drops the rest of the answer.
struct Answered(bool);

impl scale::Decode for Answered {
    fn decode<I: Input>(input: &mut I) -> Result<Self, scale::Error> {
        let mut left = input.remaining_len()?.unwrap_or(0);
        if left == 0 {
            return Ok(Answered(true));
        }
        let ok = input.read_byte()? == 0;
        left = left.saturating_sub(1);
        let mut sink = [0u8; 32];
        while left > 0 {
            let n = left.min(sink.len());
            input.read(&mut sink[..n])?;
            left = left.saturating_sub(n);
        }
        Ok(Answered(ok))
    }
}

/// Calls `message` of `contract` with `args`; true when it answered Ok.
pub fn call(contract: AccountId, message: [u8; 4], args: &[u8]) -> bool {
    use ink::env::call::{build_call, ExecutionInput, Selector};
    let result = build_call::<ink::env::DefaultEnvironment>()
        .call(contract)
        .exec_input(ExecutionInput::new(Selector::new(message)).push_arg(RawArgs(args)))
        .returns::<Answered>()
        .try_invoke();
    matches!(result, Ok(Ok(Answered(true))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scale::Decode;

    #[test]
    fn arguments_are_sent_as_they_are() {
        assert_eq!(RawArgs(&[1, 2, 3]).encode(), vec![1, 2, 3]);
    }

    #[test]
    fn an_answer_is_ok_when_it_starts_with_zero_or_is_empty() {
        assert!(Answered::decode(&mut &[][..]).unwrap().0);
        assert!(Answered::decode(&mut &[0][..]).unwrap().0);
        assert!(Answered::decode(&mut &[0, 7, 7][..]).unwrap().0, "Ok(value)");
        assert!(!Answered::decode(&mut &[1, 3][..]).unwrap().0, "Err(error)");
        let long = [1u8; 100];
        let mut input = &long[..];
        assert!(!Answered::decode(&mut input).unwrap().0);
        assert!(input.is_empty(), "the whole answer is read (ink! decodes answers with DecodeAll)");
    }
}
