//! What the consent contract stores (consents, each patient's list and role grants, delegates, emergencies) and its
//! bounds, with what each stored value says of itself as methods. Re-exported by [`crate::consent`].
//!
//! [`Grantee`] and [`Provision`] are the shared vocabulary's ([`interfaces`]): the events and the other contracts
//! speak of them too.

use ink::prelude::vec::Vec;
use interfaces::{
    AccountId, Action, ActionSet, ConsentId, DataClass, DataClassSet, EmergencyId, Hash32, ListHead, Purpose,
    PurposeSet, RoleSet, Timestamp,
};
pub use interfaces::{Grantee, Provision};

/// The most live (not revoked, not ended) consents one (patient, grantee) key may hold: `check` reads at most this
/// many consents per key.
pub const MAX_ACTIVE_PER_KEY: u32 = 16;
/// The most revoked Permits one (patient, grantee) key remembers (the newest; older ones are forgotten), so that
/// `check` can answer [`interfaces::Denied::Revoked`] with a bounded number of reads.
pub const MAX_REVOKED_PER_KEY: u32 = 4;
/// The most delegates a patient may have at once.
pub const MAX_DELEGATES: u32 = 8;
/// How long break-glass access lasts unless the admin changes it: 24 hours, in milliseconds.
pub const DEFAULT_EMERGENCY_DURATION: u64 = 86_400_000;
/// The longest break-glass access the admin may set: 24 hours, in milliseconds (`DurationTooLong` above it).
pub const MAX_EMERGENCY_DURATION: u64 = 86_400_000;
/// How long after an emergency is over (ended early or by its time box) the same provider may not declare another
/// for the same patient: 1 hour, in milliseconds (`EmergencyCoolingDown`). Break-glass cannot be renewed at once into
/// standing access; another provider may still declare one.
pub const EMERGENCY_COOLDOWN: u64 = 3_600_000;

/// The most access requests a patient may have pending at once (`TooManyPendingRequests` past it); each requester
/// has at most one pending per patient (`RequestPending`; an expired one is replaced by its requester's next request),
/// so filling a patient's queue takes this many credentialed accounts, and the patient frees a slot by declining.
pub const MAX_PENDING_REQUESTS: u32 = 16;

/// Access request ids: a counter starting at 1, like every id.
pub use interfaces::RequestId;

/// The most representations a patient may have at once (`TooManyRepresentatives` past it): two parents and a
/// court-appointed guardian, with room for a successor attested before the predecessor's period ends. Ended and
/// expired ones leave the patient's list and free their slot.
pub const MAX_REPRESENTATIVES: u32 = 4;

/// Representation ids: a counter starting at 1, like every id.
pub use interfaces::RepresentationId;

/// An issuer's attestation that `representative` is the patient's personal representative (HIPAA 164.502(g): a
/// guardian, a parent of a minor, a holder of a healthcare power of attorney): in `[valid_from, valid_until)` it
/// acts as the patient (grants, revokes, delegates, answers access requests, reviews emergencies, opens and erases
/// records) for every class but `excluded` (adolescent-confidential classes a minor controls alone). Stored in the
/// patient's [`RepresentativeList`]; ended or expired, it leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Representation {
    pub id: RepresentationId,
    pub representative: AccountId,
    /// The appointed issuer that attested it (it, or the admin, may end it).
    pub issuer: AccountId,
    pub valid_from: Timestamp,
    /// Exclusive; None: until ended (an adult's guardianship). For a minor, the age of majority.
    pub valid_until: Option<Timestamp>,
    /// The classes it does not act for (named classes only, never the broad flag).
    pub excluded: DataClassSet,
}

impl Representation {
    /// In its period at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.valid_from <= now && self.valid_until.is_none_or(|until| now < until)
    }

    /// Its period ended by `now` (until then, live or not yet valid, it holds a slot of the patient's list).
    pub fn is_over(&self, now: Timestamp) -> bool {
        self.valid_until.is_some_and(|until| until <= now)
    }

    /// Does it act for `class`?
    pub fn acts_for(&self, class: DataClass) -> bool {
        !self.excluded.contains(class)
    }
}

/// A patient's representations not over yet (at most [`MAX_REPRESENTATIVES`]), oldest first.
pub type RepresentativeList = Vec<Representation>;

/// A key of the consent index: (patient, grantee).
pub type IndexKey = (AccountId, Grantee);

/// What the index holds for one (patient, grantee) key, in one storage entry so that `check` reads it once: the
/// live consents (at most [`MAX_ACTIVE_PER_KEY`]) and the newest revoked Permits (at most [`MAX_REVOKED_PER_KEY`],
/// oldest first), read only to explain a refusal as `Revoked`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct KeyConsents {
    pub live: Vec<ConsentId>,
    pub revoked: Vec<ConsentId>,
}

impl KeyConsents {
    /// Nothing to keep: the key can leave the index.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty() && self.revoked.is_empty()
    }
}

/// Delegation ids: a counter starting at 1, like every id. Each `add_delegate` makes a new delegation (adding a
/// delegate again replaces its delegation, and ends the grants made under the one it replaces).
pub use interfaces::DelegationId;

/// What a delegate may grant for the patient: a delegate's grant names only purposes, classes and actions of its
/// scope (each a subset, bit for bit: a sensitive class is grantable only when the scope names it, the broad flag
/// only when the scope has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DelegateScope {
    pub purposes: PurposeSet,
    pub classes: DataClassSet,
    pub actions: ActionSet,
}

/// One delegate of a patient: who, under which delegation, what it may grant and until when (exclusive; None: until
/// removed). Its grants count while the delegation is live ([`Delegation::is_active`] and still the patient's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Delegation {
    pub delegate: AccountId,
    pub id: DelegationId,
    pub scope: DelegateScope,
    pub expires: Option<Timestamp>,
}

impl Delegation {
    /// Not expired at `now` (an expiry is exclusive; None never expires).
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }
}

/// A patient's delegations (at most [`MAX_DELEGATES`] active ones).
pub type DelegateList = Vec<Delegation>;

/// FHIR Consent.status as kept on chain; expiry is derived from the period and the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum ConsentStatus {
    Active,
    Revoked,
    /// Never stored: how the reads (`consent`, `consents_of`) show an Active consent a delegate granted under a
    /// delegation that was since removed, replaced or expired. It ended with its delegation and counts nowhere.
    DelegationEnded,
}

/// One consent. (Named `ConsentEntry` because `Consent` is the contract itself, whose ref is `ConsentRef`.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ConsentEntry {
    pub id: ConsentId,
    pub patient: AccountId,
    pub grantee: Grantee,
    pub provision: Provision,
    pub purposes: PurposeSet,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    /// Valid in `[start, end)`, in milliseconds; `end == None` is until revoked.
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    /// SHA-256 of the signed consent document.
    pub document_hash: Hash32,
    pub status: ConsentStatus,
    /// The patient or the delegate who granted it.
    pub granted_by: AccountId,
    /// The delegation it was granted under (None: by the patient). A delegate's grant counts only while that
    /// delegation is live: removing or expiring it ends the grant, checked by `check` (one read of the patient's
    /// delegations) rather than by iterating over the grants.
    pub delegation: Option<DelegationId>,
    pub granted_at: Timestamp,
    /// The patient's consent granted before this one (the link of `consents_of`).
    pub previous_of_patient: Option<ConsentId>,
}

impl ConsentEntry {
    /// Does this consent speak to `action` on `class` for `purpose`? A Permit covers a sensitive class only when it
    /// names it; a Deny with the broad flag covers every class ([`covers`]).
    pub fn matches(&self, purpose: Purpose, class: DataClass, action: Action) -> bool {
        self.purposes.contains(purpose) && covers(self.provision, self.classes, class) && self.actions.contains(action)
    }
}

/// Does a consent with `provision` and `classes` speak to `class`? Named classes always. The broad flag
/// ([`DataClassSet::GENERAL`], a consent with no class restriction) is read per FHIR: in a Permit it covers only the
/// classes that are not sensitive (a sensitive class is never implied); in a Deny it covers every class, the sensitive
/// ones too (a patient who denies "everything" denies MentalHealth, SubstanceUse, Genomic and Reproductive as well).
pub fn covers(provision: Provision, classes: DataClassSet, class: DataClass) -> bool {
    match provision {
        Provision::Permit => classes.covers(class),
        Provision::Deny => classes.contains(class) || classes.includes(DataClassSet::GENERAL),
    }
}

/// What consent keeps per patient, in one storage entry so a grant reads and writes it once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PatientEntry {
    /// Every consent the patient was ever granted, newest first.
    pub consents: ListHead,
    /// The roles whose key holds something `check` reads: a live role consent or a remembered revoked role Permit
    /// (so `check` asks for roles only when they matter).
    pub role_grants: RoleSet,
    /// How many representations the patient's [`RepresentativeList`] holds as stored (so `check`, which reads this
    /// entry anyway, reads the list only when there is one).
    pub representatives: u32,
}

/// Break-glass access of one provider to one patient's data, Emergency/Read, every class, until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Emergency {
    pub id: EmergencyId,
    pub patient: AccountId,
    pub provider: AccountId,
    /// Hash of the provider's written reason.
    pub reason_hash: Hash32,
    pub declared_at: Timestamp,
    /// Access ends at `until` (exclusive) unless ended earlier.
    pub until: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub ended_by: Option<AccountId>,
    /// The after-the-fact review (HIPAA 164.312(a)(2)(ii)): None until the patient or a Regulator reviews it.
    pub review: Option<Review>,
    /// Its links in the patient's list of unreviewed emergencies (both None once reviewed).
    pub unreviewed: Links,
}

impl Emergency {
    /// Neither ended early nor past its time box.
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.ended_at.is_none() && now < self.until
    }

    /// When access ends (or ended): when it was ended early, else its time box.
    pub fn over_at(&self) -> Timestamp {
        self.ended_at.map_or(self.until, |ended_at| ended_at.min(self.until))
    }
}

/// The review of an emergency: was breaking the glass justified, in whose judgement, and the hash of their note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Review {
    pub justified: bool,
    /// Hash of the reviewer's written note.
    pub note_hash: Hash32,
    /// The patient or a credentialed Regulator.
    pub reviewed_by: AccountId,
    pub reviewed_at: Timestamp,
}

/// The links of an item in a list kept newest first and linked both ways (the patient's unreviewed emergencies,
/// their pending access requests), so that an item leaves it from anywhere in O(1) ([`crate::linked`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Links {
    /// The item added before this one (toward the list's end).
    pub older: Option<u64>,
    /// The item added after this one (toward the list's head).
    pub newer: Option<u64>,
}

/// Where an access request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum RequestStatus {
    /// Waiting for the patient's answer.
    Pending,
    /// The patient approved it into this consent.
    Approved(ConsentId),
    /// The patient declined it.
    Declined,
    /// The requester withdrew it.
    Withdrawn,
    /// Its end passed while it was pending, and its requester's new request replaced it.
    Expired,
}

/// A credentialed requester asks the patient for access: on approval it becomes a Permit to the requester's account
/// for `purpose`, `classes` and `actions`, from the approval until `end` (None: until revoked).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct AccessRequest {
    pub id: RequestId,
    pub patient: AccountId,
    pub requester: AccountId,
    pub purpose: Purpose,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub end: Option<Timestamp>,
    /// Hash of the requester's written reason.
    pub reason_hash: Hash32,
    pub requested_at: Timestamp,
    pub status: RequestStatus,
    /// When it was approved, declined or withdrawn.
    pub closed_at: Option<Timestamp>,
    /// Its links in the patient's list of pending requests (both None once closed).
    pub pending: Links,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broad_deny_covers_every_class_a_broad_permit_only_the_general_ones() {
        let broad = DataClassSet::GENERAL;
        for class in DataClass::ALL {
            assert!(covers(Provision::Deny, broad, class), "{class:?}");
            assert_eq!(covers(Provision::Permit, broad, class), !class.is_sensitive(), "{class:?}");
        }
        // Named classes are covered by both, and only those without the broad flag.
        let mental_health = DataClassSet::of(DataClass::MentalHealth);
        for provision in [Provision::Permit, Provision::Deny] {
            assert!(covers(provision, mental_health, DataClass::MentalHealth));
            assert!(!covers(provision, mental_health, DataClass::Genomic));
            assert!(!covers(provision, mental_health, DataClass::Labs));
        }
        let named_and_broad = broad.with(DataClass::Genomic);
        assert!(covers(Provision::Permit, named_and_broad, DataClass::Genomic));
        assert!(!covers(Provision::Permit, named_and_broad, DataClass::Reproductive));
        assert!(covers(Provision::Deny, named_and_broad, DataClass::Reproductive));
    }

    #[test]
    fn an_emergency_is_over_at_its_early_end_or_its_time_box() {
        let emergency = Emergency {
            id: 1,
            patient: AccountId::from([1; 32]),
            provider: AccountId::from([2; 32]),
            reason_hash: [0; 32],
            declared_at: 10,
            until: 100,
            ended_at: None,
            ended_by: None,
            review: None,
            unreviewed: Links::default(),
        };
        assert_eq!(emergency.over_at(), 100);
        assert_eq!(Emergency { ended_at: Some(40), ..emergency.clone() }.over_at(), 40);
        assert_eq!(Emergency { ended_at: Some(400), ..emergency }.over_at(), 100, "never after its time box");
    }
}
