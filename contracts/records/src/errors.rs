//! Why a records message is refused: one variant per refusal. A refused message changes nothing.
//!
//! `Erased` was called `RecordErased` before the event of that name moved to `interfaces::events::records`: an
//! error never shares a name with an event. `Erased` refuses what an erased record no longer allows (opening,
//! marking it entered in error); `AlreadyErased` is `erase`'s own refusal of a second erasure.

use interfaces::{Denied, Role};

/// Why a records message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the admin.
    NotAdmin,
    /// No admin transfer is pending for the caller.
    NotProposedAdmin,
    /// The chain refused the new code hash.
    UpgradeFailed,
    /// This contract does not call that dependency.
    NotADependency,
    /// The locator is empty.
    EmptyLocator,
    /// The locator is longer than `MAX_LOCATOR` bytes.
    LocatorTooLong,
    /// The content hash is all zeroes.
    EmptyContentHash,
    /// No record has this id.
    RecordNotFound,
    /// The record named in `replaces` does not exist.
    ReplacedRecordNotFound,
    /// The record named in `replaces` belongs to another patient.
    ReplacedRecordOfAnotherPatient,
    /// The record named in `replaces` is of another data class.
    ReplacedRecordOfAnotherClass,
    /// The record named in `replaces` is not Current.
    ReplacedRecordNotCurrent,
    /// The record named in `replaces` was written by someone else: only its author supersedes it (for a record the
    /// patient wrote, the patient or their representative for its class).
    NotAuthorOfReplaced,
    /// Only the record's author may do this.
    NotAuthor,
    /// Only the record's patient, or a personal representative of theirs for the record's class, may do this.
    NotPatient,
    /// The record was erased: nobody opens it any more, and it cannot be marked entered in error.
    Erased,
    /// The record was already erased (`erase` called twice).
    AlreadyErased,
    /// The record is entered in error (only its patient may still open it; it cannot be marked twice).
    EnteredInError,
    /// The caller does not hold the role the purpose requires (`Purpose::accessor_role`; Provider to register
    /// for a patient), or the role of the role consent that would allow it, as the consent contract answered.
    RoleNotHeld(Role),
    /// The consent contract refused, for this reason.
    Denied(Denied),
    /// The participants contract could not be asked.
    ParticipantsUnreachable,
    /// The consent contract could not be asked.
    ConsentUnreachable,
    /// A counter would overflow.
    Overflow,
}

interfaces::admin_errors!(Error);

/// Consent's refusal under records' own names: the role it found missing and participants being unreachable are
/// records' refusals too; any other reason stays consent's ([`Error::Denied`]).
impl From<Denied> for Error {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::RoleNotHeld(role) => Error::RoleNotHeld(role),
            Denied::ParticipantsUnreachable => Error::ParticipantsUnreachable,
            denied => Error::Denied(denied),
        }
    }
}

pub type Result<T> = core::result::Result<T, Error>;
