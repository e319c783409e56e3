//! The events of the consent contract, one per state change, all defined once in [`interfaces::events::consent`]
//! (feature `consent-events`), so that the custodian, the indexer and the clients decode the very types this contract
//! emits; the governance events are [`interfaces::governance`]'s. Re-exported by [`crate::consent`].

pub use interfaces::events::consent::{
    AccessRequestApproved, AccessRequestDeclined, AccessRequestWithdrawn, AccessRequested, ConsentGranted,
    ConsentRevoked, DelegateAdded, DelegateRemoved, EmergencyAccessEnded, EmergencyAccessGranted,
    EmergencyDurationChanged, EmergencyReviewed, RepresentationAttested, RepresentationEnded,
};
