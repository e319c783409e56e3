//! The events off-chain code decodes (the custodian, the indexer, the clients), defined once here so that the
//! contract that emits them and every reader share one type.
//!
//! Each set sits behind a feature that only its own contract (and off-chain readers) enable: ink! 5 writes every
//! event linked into a contract into that contract's metadata. The admin events every contract emits live in
//! [`crate::governance`].

#[cfg(feature = "consent-events")]
pub mod consent;
#[cfg(feature = "records-events")]
pub mod records;
