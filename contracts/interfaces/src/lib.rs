//! Shared vocabulary of the healthchain contracts: roles, purposes of use, data classes, the traits the contracts
//! call each other through ([`traits`]), typed clients for those calls ([`client`]), paged reads ([`paging`]), the
//! governance every contract has ([`governance`]) and the events off-chain code decodes ([`events`]).
//!
//! This is a plain library, not a contract: it has no `ink-as-dependency` feature on purpose (ink_e2e would try to
//! build it as a contract).
//!
//! Features: `consent-events` and `records-events` compile those contracts' events (ink! 5 puts every event linked
//! into a contract in its metadata, so each contract enables only its own); `testing` adds [`stubs`] and
//! [`testing`] for `#[ink::test]` unit tests.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod client;
pub mod events;
pub mod governance;
pub mod paging;
mod traits;
mod vocabulary;

#[cfg(feature = "testing")]
pub mod stubs;
#[cfg(feature = "testing")]
pub mod testing;

pub use ink::primitives::AccountId;
pub use paging::{linked_page, page_range, ListHead, Page, MAX_PAGE};
pub use traits::*;
pub use vocabulary::*;

/// Milliseconds since the Unix epoch, as `block_timestamp()` gives it in ink!'s default environment.
pub type Timestamp = u64;
/// SHA-256 of an encrypted payload or signed document.
pub type Hash32 = [u8; 32];
pub type ConsentId = u64;
pub type EmergencyId = u64;
/// A patient's delegation of consent-granting to a delegate, within a scope (consent contract).
pub type DelegationId = u64;
/// An issuer's attestation that an account is a patient's personal representative (HIPAA 164.502(g); consent
/// contract).
pub type RepresentationId = u64;
pub type RecordId = u64;
/// A requester's access request to a patient (consent contract).
pub type RequestId = u64;
