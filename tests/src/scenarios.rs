//! The end-to-end scenarios. Each is written once, generic over the backend, and run on the sandbox and on a
//! node by `tests/scenarios.rs`. Each asserts statuses, balances, logs and errors, not just "no panic".

pub mod access;
pub mod claims;
pub mod consent_and_records;
pub mod credentialing;
pub mod custody;
pub mod delegation;
pub mod faults;
pub mod governance;
pub mod guardian;

use crate::{ok, Backend, Cast, Suite};
use interfaces::{Action, ActionSet, DataClass, DataClassSet, Purpose, PurposeSet, RecordId};

use consent::consent::{Grantee, Provision};

/// Every non-sensitive class, Read and Write, for `purpose`, from now on until revoked.
pub async fn grant_general<C: Backend>(
    client: &mut C,
    suite: &Suite,
    cast: &Cast,
    grantee: Grantee,
    purpose: Purpose,
) -> u64 {
    let message = suite.consent().grant(
        crate::account(&cast.patient),
        grantee,
        Provision::Permit,
        PurposeSet::of(purpose),
        DataClassSet::GENERAL,
        ActionSet::of(Action::Read).with(Action::Write),
        0,
        None,
        [1; 32],
    );
    ok(client, &cast.patient, &message).await
}

/// The doctor registers a record of `class` for the patient (needs a Write consent for it).
pub async fn doctor_registers<C: Backend>(
    client: &mut C,
    suite: &Suite,
    cast: &Cast,
    class: DataClass,
    content_hash: [u8; 32],
) -> RecordId {
    let message = suite.records().register(
        crate::account(&cast.patient),
        class,
        content_hash,
        b"ipfs://bafy-encrypted-record".to_vec(),
        None,
    );
    ok(client, &cast.doctor, &message).await
}
