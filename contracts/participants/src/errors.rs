//! Why a participants message is refused: one variant per refusal. A refused message changes nothing.

/// Why a participants message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the admin.
    NotAdmin,
    /// No admin transfer is pending for the caller.
    NotProposedAdmin,
    /// The caller is not an appointed issuer.
    NotIssuer,
    /// An issuer cannot attest a credential to its own account.
    SelfAttestation,
    /// No issuer is appointed at that account.
    IssuerNotFound,
    /// An issuer's role set must name at least one role and may not name Issuer.
    InvalidRoleSet,
    /// The issuer is not allowed to attest this role.
    RoleNotAllowed,
    /// The Issuer role is given by appointment, not attested.
    RoleNotAttestable,
    /// A provider credential needs an NPI.
    NpiRequired,
    /// Only provider credentials carry an NPI.
    NpiNotExpected,
    /// The NPI is not 10 digits starting with 1 or 2 with a valid Luhn check digit.
    InvalidNpi,
    /// `valid_until` must be after `valid_from`.
    InvalidPeriod,
    /// `valid_until` has already passed.
    PeriodEnded,
    /// The account already holds a live (active or suspended, unexpired) credential for this role.
    CredentialExists,
    /// The account's credential for this role is revoked: no issuer reinstates or re-attests it; only the admin
    /// lifts a revocation (`lift_revocation`).
    Revoked,
    /// Another account's provider credential holds this NPI (it is live, or revoked and not lifted): an NPI is
    /// held by one account.
    NpiTaken,
    /// The account holds no credential for this role.
    CredentialNotFound,
    /// Only the credential's issuer or the admin may change it.
    NotCredentialIssuer,
    /// Only an Active credential can be suspended.
    NotActive,
    /// Only a Suspended credential can be reinstated.
    NotSuspended,
    /// The admin suspended this credential: only the admin reinstates it.
    SuspendedByAdmin,
    /// Only a Revoked credential's revocation can be lifted.
    NotRevoked,
    /// The credential is already revoked.
    AlreadyRevoked,
    /// The chain refused the new code hash.
    UpgradeFailed,
    /// A GS1 Company Prefix is 4 to 12 ASCII digits.
    InvalidCompanyPrefix,
    /// A company prefix is attested only to an account holding a live Manufacturer credential.
    ManufacturerCredentialRequired,
    /// The prefix, or a prefix it begins with, is attested to another account: a prefix is held by one company.
    CompanyPrefixTaken,
    /// The prefix is already attested to this account.
    CompanyPrefixExists,
    /// No company prefix is attested at that prefix.
    CompanyPrefixNotFound,
}

interfaces::admin_errors!(Error);

pub type Result<T> = core::result::Result<T, Error>;
