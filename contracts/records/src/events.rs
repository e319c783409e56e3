//! The events of the records contract, one per state change. They are defined once in
//! [`interfaces::events::records`] (feature `records-events`), so that the custodian and the indexer decode the
//! very types this contract emits; `RecordOpened` is the disclosure entry a custodian releases a key against. The
//! admin events come from [`interfaces::governance`].

pub use interfaces::events::records::{RecordEnteredInError, RecordErased, RecordOpened, RecordRegistered};
