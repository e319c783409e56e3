//! The words every contract shares (see DESIGN.md "Shared vocabulary").

use crate::{AccountId, ConsentId, EmergencyId, Hash32, RepresentationId, Timestamp};

/// Derives the codec, type-info and storage-layout traits the vocabulary types need in storage and in messages.
macro_rules! vocabulary_type {
    ($item:item) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        #[ink::scale_derive(Encode, Decode, TypeInfo)]
        #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
        $item
    };
}

/// A set of enum members as a bitset: bit `n` stands for the member whose discriminant is `n`.
macro_rules! bitset {
    ($(#[$meta:meta])* $set:ident($bits:ty) of $member:ident) => {
        vocabulary_type! {
            $(#[$meta])*
            pub struct $set(pub $bits);
        }

        impl $set {
            pub const EMPTY: Self = Self(0);

            /// The bit of `member` (discriminants are below the width of the set).
            const fn bit(member: $member) -> $bits {
                match (1 as $bits).checked_shl(member as u32) {
                    Some(bit) => bit,
                    None => 0,
                }
            }

            pub const fn of(member: $member) -> Self {
                Self(Self::bit(member))
            }

            pub fn from_slice(members: &[$member]) -> Self {
                members.iter().fold(Self::EMPTY, |set, m| set.with(*m))
            }

            #[must_use]
            pub const fn with(self, member: $member) -> Self {
                Self(self.0 | Self::bit(member))
            }

            #[must_use]
            pub const fn without(self, member: $member) -> Self {
                Self(self.0 & !Self::bit(member))
            }

            /// True when the bit of `member` is set (for data classes see also [`DataClassSet::covers`]).
            pub const fn contains(self, member: $member) -> bool {
                self.0 & Self::bit(member) != 0
            }

            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// True when every member of `other` is in `self`.
            pub const fn includes(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
        }

        impl Default for $set {
            fn default() -> Self {
                Self::EMPTY
            }
        }
    };
}

vocabulary_type! {
    /// What a credential lets an account be.
    pub enum Role {
        Provider = 0,
        Payer = 1,
        Manufacturer = 2,
        Distributor = 3,
        Pharmacy = 4,
        Regulator = 5,
        Researcher = 6,
        /// An appointed credential issuer (a medical board, a board of pharmacy, ...).
        Issuer = 7,
    }
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Provider,
        Role::Payer,
        Role::Manufacturer,
        Role::Distributor,
        Role::Pharmacy,
        Role::Regulator,
        Role::Researcher,
        Role::Issuer,
    ];
}

bitset! {
    /// A set of roles.
    RoleSet(u16) of Role
}

vocabulary_type! {
    /// HL7 v3 PurposeOfUse.
    pub enum Purpose {
        /// TREAT
        Treatment = 0,
        /// ETREAT
        Emergency = 1,
        /// HPAYMT
        Payment = 2,
        /// HOPERAT
        Operations = 3,
        /// HRESCH
        Research = 4,
        /// PUBHLTH
        PublicHealth = 5,
    }
}

impl Purpose {
    pub const ALL: [Purpose; 6] = [
        Purpose::Treatment,
        Purpose::Emergency,
        Purpose::Payment,
        Purpose::Operations,
        Purpose::Research,
        Purpose::PublicHealth,
    ];

    /// The credential anyone but the patient must hold to access data for this purpose ("minimum necessary"):
    /// a consent to an account does not make a suspended provider a provider again.
    pub const fn accessor_role(self) -> Role {
        match self {
            Purpose::Treatment | Purpose::Emergency | Purpose::Operations => Role::Provider,
            Purpose::Payment => Role::Payer,
            Purpose::Research => Role::Researcher,
            Purpose::PublicHealth => Role::Regulator,
        }
    }
}

bitset! {
    /// A set of purposes of use.
    PurposeSet(u8) of Purpose
}

vocabulary_type! {
    /// What kind of health data a record holds.
    pub enum DataClass {
        Demographics = 0,
        Encounters = 1,
        Diagnoses = 2,
        Labs = 3,
        Imaging = 4,
        /// Medications, including prescriptions.
        Medications = 5,
        Immunizations = 6,
        MentalHealth = 7,
        SubstanceUse = 8,
        Genomic = 9,
        Reproductive = 10,
    }
}

impl DataClass {
    pub const ALL: [DataClass; 11] = [
        DataClass::Demographics,
        DataClass::Encounters,
        DataClass::Diagnoses,
        DataClass::Labs,
        DataClass::Imaging,
        DataClass::Medications,
        DataClass::Immunizations,
        DataClass::MentalHealth,
        DataClass::SubstanceUse,
        DataClass::Genomic,
        DataClass::Reproductive,
    ];

    /// Sensitive classes are never implied by a broad grant: only a consent that names them covers them.
    pub const fn is_sensitive(self) -> bool {
        matches!(self, DataClass::MentalHealth | DataClass::SubstanceUse | DataClass::Genomic | DataClass::Reproductive)
    }
}

bitset! {
    /// A set of data classes. Besides the named classes it can carry the broad flag [`DataClassSet::GENERAL`]:
    /// "every class that is not sensitive".
    DataClassSet(u16) of DataClass
}

impl DataClassSet {
    /// The broad flag: every non-sensitive class, including ones named later. Never covers a sensitive class.
    pub const GENERAL: Self = Self(0x8000);
    /// Every class a set can name.
    const NAMEABLE: u16 = 0x07FF;

    /// Does this set cover `class`? Named classes always; the broad flag only non-sensitive ones.
    pub const fn covers(self, class: DataClass) -> bool {
        self.contains(class) || (!class.is_sensitive() && self.0 & Self::GENERAL.0 != 0)
    }

    /// True when no bit outside the named classes and the broad flag is set.
    pub const fn is_well_formed(self) -> bool {
        self.0 & !(Self::NAMEABLE | Self::GENERAL.0) == 0
    }
}

vocabulary_type! {
    pub enum Action {
        Read = 0,
        Write = 1,
    }
}

bitset! {
    /// A set of actions.
    ActionSet(u8) of Action
}

/// Who a consent speaks to: one account, or every account holding a role while it holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Grantee {
    Account(AccountId),
    Role(Role),
}

/// FHIR Consent.provision.type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Provision {
    Permit,
    Deny,
}

/// Why an access was allowed: the consent, emergency access, the patient (or author) themself, or the patient's
/// personal representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Basis {
    /// The patient reads their own data.
    Patient,
    /// A Permit consent allowed it.
    Consent(ConsentId),
    /// Break-glass emergency access.
    Emergency(EmergencyId),
    /// The author of a record opens it (records contract only).
    Author,
    /// A personal representative of the patient (HIPAA 164.502(g): a guardian, a parent of a minor), under this
    /// representation, acts as the patient for every class it does not exclude.
    Representative(RepresentationId),
}

/// Why an access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Denied {
    /// No consent, active or not, speaks to this access.
    NoConsent,
    /// A Deny provision of this consent forbids it (deny beats permit).
    DeniedByConsent(ConsentId),
    /// The only consent that would have allowed it has ended.
    Expired(ConsentId),
    /// The only consent that would have allowed it starts later.
    NotYetValid(ConsentId),
    /// The only consent that would have allowed it was revoked.
    Revoked(ConsentId),
    /// The accessor does not hold this role now: the purpose's role ([`Purpose::accessor_role`]), or the role of a
    /// role consent that would allow it.
    RoleNotHeld(Role),
    /// The participants contract could not be asked about the accessor's role.
    ParticipantsUnreachable,
}

vocabulary_type! {
    /// FHIR DocumentReference.status, with erasure (GDPR Art. 17).
    pub enum RecordStatus {
        Current,
        Superseded,
        EnteredInError,
        Erased,
    }
}

vocabulary_type! {
    /// May an account register products under a GTIN? Answered by participants (`Participants::holds_gtin`) for
    /// custody's `register_product`, in one call: a credentialed Manufacturer holding the GS1 Company Prefix that
    /// follows the GTIN-14's indicator digit.
    pub enum GtinHolding {
        /// The account holds no active Manufacturer credential.
        NotManufacturer,
        /// A credentialed Manufacturer, but the GTIN's company prefix is not attested to it (another company's, or
        /// nobody's).
        PrefixNotHeld,
        /// A credentialed Manufacturer holding the GTIN's company prefix.
        PrefixHeld,
    }
}

/// What claims and custody may know of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct RecordSummary {
    pub patient: AccountId,
    pub author: AccountId,
    pub class: DataClass,
    pub status: RecordStatus,
    /// All zeroes once the record is erased.
    pub content_hash: Hash32,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_classes_are_never_implied_by_the_broad_flag() {
        let broad = DataClassSet::GENERAL;
        for class in DataClass::ALL {
            assert_eq!(broad.covers(class), !class.is_sensitive(), "{class:?}");
        }
        let named = DataClassSet::GENERAL.with(DataClass::MentalHealth);
        assert!(named.covers(DataClass::MentalHealth));
        assert!(!named.covers(DataClass::Genomic));
    }

    #[test]
    fn sets_add_remove_and_compare() {
        let set = RoleSet::EMPTY.with(Role::Provider).with(Role::Issuer);
        assert!(set.contains(Role::Provider) && set.contains(Role::Issuer));
        assert!(!set.contains(Role::Payer));
        assert!(!set.without(Role::Provider).contains(Role::Provider));
        assert!(set.includes(RoleSet::of(Role::Issuer)));
        assert!(!RoleSet::of(Role::Issuer).includes(set));
        assert_eq!(RoleSet::from_slice(&[Role::Provider, Role::Issuer]), set);
    }

    #[test]
    fn malformed_class_sets_are_detected() {
        assert!(DataClassSet::GENERAL.with(DataClass::Reproductive).is_well_formed());
        assert!(!DataClassSet(1 << 12).is_well_formed());
    }
}
