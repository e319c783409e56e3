//! Access requests: a credentialed requester asks the patient for access ("authorized providers can request access")
//! instead of the patient granting in advance. Who may ask and for what (the purpose's role, a well-formed request,
//! an end still ahead), the bounds (one pending request per requester and patient, at most
//! [`MAX_PENDING_REQUESTS`] pending per patient), and how a request closes: the patient approves it into a Permit to
//! the requester (validated as [`rules::grant`] validates a grant, the consent id recorded on the request) or declines
//! it; the requester may withdraw it. Pending requests sit in the patient's list ([`crate::linked`]) until closed.
//!
//! Free of storage and environment: the contract loads, asks participants, calls a decision here, writes what it
//! returns and emits the event of what it wrote.

use crate::{
    delegation::{self, ActingFor, ActorsOf},
    errors::{Error, Result},
    linked,
    rules::{self, actions_well_formed, GrantRequest, Granted},
    types::{
        AccessRequest, ConsentEntry, Grantee, Links, PatientEntry, Provision, RequestId, RequestStatus,
        MAX_PENDING_REQUESTS,
    },
};
use ink::prelude::vec::Vec;
use interfaces::{
    AccountId, ActionSet, ConsentId, DataClassSet, Hash32, ListHead, Purpose, PurposeSet, Role, Timestamp,
};

/// What a requester asks for: the arguments of `request_access`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub patient: AccountId,
    pub purpose: Purpose,
    pub classes: DataClassSet,
    pub actions: ActionSet,
    pub end: Option<Timestamp>,
    pub reason_hash: Hash32,
}

/// What a request writes: the request, and the other requests it changed: the expired one of the same requester it
/// replaces (closed as `Expired`), that one's neighbours in the pending list, and the patient's request that was newest
/// before the new one (linked to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    pub request: AccessRequest,
    /// The expired request of this requester the new one replaces, if any.
    pub replaces: Option<RequestId>,
    pub changed: Vec<AccessRequest>,
}

/// `requester` asks at `now`. Refused, in this order: the patient themself (`SelfGrant`); no class or no action, or
/// bits that stand for none (as a grant); an end already passed (`PeriodEnded`); a requester without the purpose's
/// role (`NotCredentialedForPurpose`: `holds_role` asks participants, once the request is well formed); a request of
/// this requester to this patient still pending and not expired (`RequestPending`; `already_pending` is it, if any: an
/// expired one no longer holds the requester's slot, the new request replaces it and it closes as `Expired`); a
/// patient with [`MAX_PENDING_REQUESTS`] pending (`TooManyPendingRequests`). `pending` (the patient's pending list) and
/// `next_request` (the id this one gets) become what to store; `load` reads the requests the list changes link to.
#[allow(clippy::too_many_arguments)]
pub fn request(
    requester: AccountId,
    now: Timestamp,
    asked: Asked,
    holds_role: impl FnOnce(Role) -> Result<bool>,
    already_pending: Option<AccessRequest>,
    pending: &mut ListHead,
    load: impl Fn(RequestId) -> Option<AccessRequest>,
    next_request: &mut RequestId,
) -> Result<Requested> {
    let Asked { patient, purpose, classes, actions, end, reason_hash } = asked;
    if requester == patient {
        return Err(Error::SelfGrant);
    }
    if classes.is_empty() {
        return Err(Error::EmptyClasses);
    }
    if actions.is_empty() {
        return Err(Error::EmptyActions);
    }
    if !classes.is_well_formed() {
        return Err(Error::MalformedClassSet);
    }
    if !actions_well_formed(actions) {
        return Err(Error::MalformedActionSet);
    }
    if end.is_some_and(|end| end <= now) {
        return Err(Error::PeriodEnded);
    }
    if !holds_role(purpose.accessor_role())? {
        return Err(Error::NotCredentialedForPurpose);
    }
    let mut head = *pending;
    let mut changed = Vec::new();
    let mut replaces = None;
    if let Some(mut expired) = already_pending {
        if expired.end.is_none_or(|end| end > now) {
            return Err(Error::RequestPending);
        }
        expired.status = RequestStatus::Expired;
        expired.closed_at = Some(now);
        let neighbours = linked::remove(&mut head, &mut expired, &load);
        replaces = Some(expired.id);
        changed.push(expired);
        changed.extend(neighbours);
    }
    if head.len >= u64::from(MAX_PENDING_REQUESTS) {
        return Err(Error::TooManyPendingRequests);
    }
    let id = *next_request;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    let mut request = AccessRequest {
        id,
        patient,
        requester,
        purpose,
        classes,
        actions,
        end,
        reason_hash,
        requested_at: now,
        status: RequestStatus::Pending,
        closed_at: None,
        pending: Links::default(),
    };
    // The newest may be a neighbour of the replaced one, changed already: link the changed copy.
    let newest = |id| changed.iter().find(|changed: &&AccessRequest| changed.id == id).cloned().or_else(|| load(id));
    let previous = linked::push(&mut head, &mut request, newest)?;
    if let Some(previous) = previous {
        match changed.iter_mut().find(|changed| changed.id == previous.id) {
            Some(slot) => *slot = previous,
            None => changed.push(previous),
        }
    }
    *pending = head;
    *next_request = next;
    Ok(Requested { request, replaces, changed })
}

/// What an approval writes besides the loaded values it changes: the consent (as a grant writes it) and the
/// neighbours of the request in the pending list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub granted: Granted,
    pub neighbours: Vec<AccessRequest>,
}

/// The loaded values a grant turns into what to store (see [`rules::grant`]): the consents indexed under (patient,
/// requester), the id the next consent gets, the patient's entry, and a reader of who acts for the patient (the
/// representations read when the caller is not the patient; the delegations only if an indexed consent was granted by
/// a delegate, to let the grants whose delegation ended leave the index).
pub struct Grantable<'a, I> {
    pub indexed: I,
    pub actors: ActorsOf<'a>,
    pub next_consent: &'a mut ConsentId,
    pub patient_entry: &'a mut PatientEntry,
}

/// The patient (`caller`), or their live representative, approves `request` at `now`: a Permit to the requester's
/// account for the request's purpose, classes and actions, from now until its end, with the hash of the signed consent
/// document. Refused: neither (`NotRequestPatient`; a delegate neither), a representative for a request covering a
/// class its representation excludes (`ClassExcluded`), a request no longer pending (`RequestNotPending`), its end passed
/// (`PeriodEnded`), then whatever [`rules::grant`] refuses (`TooManyActiveConsents`, ...). `request` (approved, the
/// consent id on it, out of the pending list), `pending` and the grant's values become what to store.
pub fn approve<I: IntoIterator<Item = ConsentEntry>>(
    caller: AccountId,
    now: Timestamp,
    request: &mut AccessRequest,
    document_hash: Hash32,
    pending: &mut ListHead,
    load: impl Fn(RequestId) -> Option<AccessRequest>,
    grantable: Grantable<'_, I>,
) -> Result<Approved> {
    let Grantable { indexed, actors, next_consent, patient_entry } = grantable;
    let mut acting_for = ActingFor::new(request.patient, actors);
    let classes = request.classes;
    delegation::ensure_as_patient(&mut acting_for, caller, now, Error::NotRequestPatient, Provision::Permit, classes)?;
    ensure_pending(request)?;
    if request.end.is_some_and(|end| end <= now) {
        return Err(Error::PeriodEnded);
    }
    let grant = GrantRequest {
        patient: request.patient,
        grantee: Grantee::Account(request.requester),
        provision: Provision::Permit,
        purposes: PurposeSet::of(request.purpose),
        classes: request.classes,
        actions: request.actions,
        start: now,
        end: request.end,
        document_hash,
    };
    let granted = rules::grant_as(caller, now, grant, &mut acting_for, indexed, next_consent, patient_entry)?;
    request.status = RequestStatus::Approved(granted.consent.id);
    request.closed_at = Some(now);
    let neighbours = linked::remove(pending, request, load);
    Ok(Approved { granted, neighbours })
}

/// How a request closes without a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// The patient declines it.
    Decline,
    /// The requester withdraws it.
    Withdraw,
}

/// `caller` closes `request` at `now` (`how`): declined by the patient or their live representative (else
/// `NotRequestPatient`; `ClassExcluded` for a representative if the request covers a class its representation
/// excludes; `actors` reads the representations when the caller is not the patient) or withdrawn by the requester
/// (else `NotRequester`); `RequestNotPending` once closed. `request` (out of the pending list) and `pending`
/// become what to store, with the neighbours returned.
pub fn close(
    caller: AccountId,
    now: Timestamp,
    request: &mut AccessRequest,
    how: Close,
    pending: &mut ListHead,
    load: impl Fn(RequestId) -> Option<AccessRequest>,
    actors: ActorsOf,
) -> Result<Vec<AccessRequest>> {
    let status = match how {
        Close::Decline => {
            let mut acting_for = ActingFor::new(request.patient, actors);
            let (refusal, classes) = (Error::NotRequestPatient, request.classes);
            delegation::ensure_as_patient(&mut acting_for, caller, now, refusal, Provision::Permit, classes)?;
            RequestStatus::Declined
        }
        Close::Withdraw if caller != request.requester => return Err(Error::NotRequester),
        Close::Withdraw => RequestStatus::Withdrawn,
    };
    ensure_pending(request)?;
    request.status = status;
    request.closed_at = Some(now);
    Ok(linked::remove(pending, request, load))
}

/// `request` is still pending.
fn ensure_pending(request: &AccessRequest) -> Result<()> {
    if request.status != RequestStatus::Pending {
        return Err(Error::RequestNotPending);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ConsentStatus, DelegateList, MAX_ACTIVE_PER_KEY};
    use interfaces::{Action, DataClass};

    /// The indexed consents here were all granted by the patient: no delegation is read.
    fn never_read(_: AccountId) -> DelegateList {
        panic!("the patient's delegations are not read")
    }

    const NOW: Timestamp = 1_000;
    const REASON: Hash32 = [4; 32];
    const DOC: Hash32 = [9; 32];

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn asked(patient: AccountId) -> Asked {
        Asked {
            patient,
            purpose: Purpose::Treatment,
            classes: DataClassSet::of(DataClass::Labs),
            actions: ActionSet::of(Action::Read),
            end: Some(NOW + 100),
            reason_hash: REASON,
        }
    }

    fn provider(role: Role) -> Result<bool> {
        Ok(role == Role::Provider)
    }

    /// `requester` asks `asked` on an empty pending list; the request (id 7).
    fn requested(requester: AccountId, asked: Asked) -> AccessRequest {
        let mut pending = ListHead::default();
        request(requester, NOW, asked, provider, None, &mut pending, |_| None, &mut 7).unwrap().request
    }

    #[test]
    fn a_credentialed_requester_asks_and_the_request_joins_the_pending_list() {
        let (doctor, patient) = (account(1), account(2));
        let mut pending = ListHead { len: 1, newest: Some(3) };
        let mut next_request = 7;
        let older = AccessRequest { id: 3, ..requested(account(5), asked(patient)) };
        let asked_role = core::cell::Cell::new(None);
        let holds = |role| {
            asked_role.set(Some(role));
            Ok(true)
        };
        let requested = request(
            doctor,
            NOW,
            asked(patient),
            holds,
            None,
            &mut pending,
            |id| (id == 3).then(|| older.clone()),
            &mut next_request,
        )
        .unwrap();
        assert_eq!(asked_role.get(), Some(Role::Provider), "the purpose's role is asked");
        assert_eq!(
            requested.request,
            AccessRequest {
                id: 7,
                patient,
                requester: doctor,
                purpose: Purpose::Treatment,
                classes: DataClassSet::of(DataClass::Labs),
                actions: ActionSet::of(Action::Read),
                end: Some(NOW + 100),
                reason_hash: REASON,
                requested_at: NOW,
                status: RequestStatus::Pending,
                closed_at: None,
                pending: Links { older: Some(3), newer: None },
            }
        );
        assert_eq!(requested.changed.iter().map(|previous| previous.pending.newer).collect::<Vec<_>>(), vec![Some(7)]);
        assert_eq!(requested.replaces, None);
        assert_eq!((pending, next_request), (ListHead { len: 2, newest: Some(7) }, 8));
        // Each purpose asks for its own role: a Researcher for Research.
        let research = Asked { purpose: Purpose::Research, ..asked(patient) };
        let only_researchers = |role| Ok(role == Role::Researcher);
        assert!(request(doctor, NOW, research, only_researchers, None, &mut pending, |_| None, &mut 8).is_ok());
    }

    #[test]
    fn bad_requests_are_refused_in_order_and_change_nothing() {
        let (doctor, patient) = (account(1), account(2));
        let full = ListHead { len: u64::from(MAX_PENDING_REQUESTS), newest: Some(1) };
        let one = ListHead { len: 1, newest: Some(1) };
        let pending_one = || Some(requested(doctor, asked(patient)));
        let cases: [(AccountId, Asked, Option<AccessRequest>, ListHead, Error); 10] = [
            (patient, Asked { classes: DataClassSet::EMPTY, ..asked(patient) }, pending_one(), full, Error::SelfGrant),
            (
                doctor,
                Asked { classes: DataClassSet::EMPTY, ..asked(patient) },
                pending_one(),
                full,
                Error::EmptyClasses,
            ),
            (doctor, Asked { actions: ActionSet::EMPTY, ..asked(patient) }, pending_one(), full, Error::EmptyActions),
            (
                doctor,
                Asked { classes: DataClassSet(1 << 14), ..asked(patient) },
                pending_one(),
                full,
                Error::MalformedClassSet,
            ),
            (
                doctor,
                Asked { actions: ActionSet(0b100), ..asked(patient) },
                pending_one(),
                full,
                Error::MalformedActionSet,
            ),
            (doctor, Asked { end: Some(NOW), ..asked(patient) }, pending_one(), full, Error::PeriodEnded),
            (
                doctor,
                Asked { purpose: Purpose::Payment, ..asked(patient) },
                pending_one(),
                full,
                Error::NotCredentialedForPurpose,
            ),
            (doctor, asked(patient), pending_one(), one, Error::RequestPending),
            (doctor, asked(patient), None, full, Error::TooManyPendingRequests),
            (doctor, asked(patient), None, ListHead { len: 0, newest: None }, Error::Overflow),
        ];
        for (requester, asked, already, head, error) in cases {
            let mut pending = head;
            let mut next_request = if error == Error::Overflow { u64::MAX } else { 7 };
            let before = next_request;
            let refused = request(requester, NOW, asked, provider, already, &mut pending, |_| None, &mut next_request);
            assert_eq!(refused, Err(error));
            assert_eq!((pending, next_request), (head, before), "{error:?} changed nothing");
        }
        let unreachable = |_| Err(Error::ParticipantsUnreachable);
        let mut pending = ListHead::default();
        let refused = request(doctor, NOW, asked(patient), unreachable, None, &mut pending, |_| None, &mut 7);
        assert_eq!(refused, Err(Error::ParticipantsUnreachable));
        // An open-ended request is fine.
        let open = Asked { end: None, ..asked(patient) };
        assert!(request(doctor, NOW, open, provider, None, &mut pending, |_| None, &mut 7).is_ok());
    }

    #[test]
    fn the_patient_approves_into_a_permit_to_the_requester() {
        let (doctor, patient) = (account(1), account(2));
        let mut request = requested(doctor, asked(patient));
        let mut pending = ListHead { len: 1, newest: Some(7) };
        let (mut next_consent, mut patient_entry) = (40, PatientEntry::default());
        let grantable = Grantable {
            indexed: Vec::new(),
            actors: &never_read,
            next_consent: &mut next_consent,
            patient_entry: &mut patient_entry,
        };
        let approved = approve(patient, NOW + 10, &mut request, DOC, &mut pending, |_| None, grantable).unwrap();
        let consent = approved.granted.consent;
        assert_eq!(
            consent,
            ConsentEntry {
                id: 40,
                patient,
                grantee: Grantee::Account(doctor),
                provision: Provision::Permit,
                purposes: PurposeSet::of(Purpose::Treatment),
                classes: DataClassSet::of(DataClass::Labs),
                actions: ActionSet::of(Action::Read),
                start: NOW + 10,
                end: Some(NOW + 100),
                document_hash: DOC,
                status: ConsentStatus::Active,
                granted_by: patient,
                delegation: None,
                granted_at: NOW + 10,
                previous_of_patient: None,
            }
        );
        assert_eq!(approved.granted.live, [40]);
        assert_eq!((request.status, request.closed_at), (RequestStatus::Approved(40), Some(NOW + 10)));
        assert_eq!(request.pending, Links::default());
        assert_eq!((pending, next_consent), (ListHead::default(), 41));
        assert!(approved.neighbours.is_empty());
    }

    #[test]
    fn approvals_are_refused_as_grants_are_and_change_nothing() {
        let (doctor, patient, stranger) = (account(1), account(2), account(3));
        let pending_request = requested(doctor, asked(patient));
        let declined = AccessRequest { status: RequestStatus::Declined, ..pending_request.clone() };
        let full: Vec<ConsentEntry> = (1..=u64::from(MAX_ACTIVE_PER_KEY))
            .map(|id| ConsentEntry {
                id,
                patient,
                grantee: Grantee::Account(doctor),
                provision: Provision::Permit,
                purposes: PurposeSet::of(Purpose::Treatment),
                classes: DataClassSet::GENERAL,
                actions: ActionSet::of(Action::Read),
                start: 0,
                end: None,
                document_hash: DOC,
                status: ConsentStatus::Active,
                granted_by: patient,
                delegation: None,
                granted_at: 0,
                previous_of_patient: None,
            })
            .collect();
        for (caller, request, now, indexed, error) in [
            (stranger, &pending_request, NOW, Vec::new(), Error::NotRequestPatient),
            (doctor, &pending_request, NOW, Vec::new(), Error::NotRequestPatient),
            (patient, &declined, NOW, Vec::new(), Error::RequestNotPending),
            (patient, &pending_request, NOW + 100, Vec::new(), Error::PeriodEnded),
            (patient, &pending_request, NOW, full.clone(), Error::TooManyActiveConsents),
        ] {
            let (mut request_now, mut pending) = (request.clone(), ListHead { len: 1, newest: Some(7) });
            let (mut next_consent, mut patient_entry) = (40, PatientEntry::default());
            let grantable = Grantable {
                indexed,
                actors: &never_read,
                next_consent: &mut next_consent,
                patient_entry: &mut patient_entry,
            };
            let refused = approve(caller, now, &mut request_now, DOC, &mut pending, |_| None, grantable);
            assert_eq!(refused, Err(error));
            assert_eq!(&request_now, request, "{error:?}");
            assert_eq!(
                (pending, next_consent, patient_entry),
                (ListHead { len: 1, newest: Some(7) }, 40, PatientEntry::default())
            );
        }
    }

    #[test]
    fn the_patient_declines_the_requester_withdraws_once() {
        let (doctor, patient, stranger) = (account(1), account(2), account(3));
        let pending_request = requested(doctor, asked(patient));
        for (how, closer, status) in
            [(Close::Decline, patient, RequestStatus::Declined), (Close::Withdraw, doctor, RequestStatus::Withdrawn)]
        {
            let mut request = pending_request.clone();
            let mut pending = ListHead { len: 1, newest: Some(7) };
            let wrong = if how == Close::Decline { doctor } else { patient };
            let refusal = if how == Close::Decline { Error::NotRequestPatient } else { Error::NotRequester };
            for caller in [wrong, stranger] {
                assert_eq!(close(caller, NOW, &mut request, how, &mut pending, |_| None, &never_read), Err(refusal));
            }
            assert_eq!((&request, pending), (&pending_request, ListHead { len: 1, newest: Some(7) }));
            assert_eq!(close(closer, NOW + 3, &mut request, how, &mut pending, |_| None, &never_read), Ok(Vec::new()));
            assert_eq!((request.status, request.closed_at, pending), (status, Some(NOW + 3), ListHead::default()));
            let closed = request.clone();
            assert_eq!(
                close(closer, NOW + 4, &mut request, how, &mut pending, |_| None, &never_read),
                Err(Error::RequestNotPending)
            );
            assert_eq!(request, closed);
        }
    }

    #[test]
    fn an_expired_pending_request_is_replaced_and_leaves_the_list_linked() {
        let (doctor, patient) = (account(1), account(2));
        // The patient's list: 5 (newest), the doctor's 4 (expired at NOW), 3.
        let expiring = AccessRequest {
            id: 4,
            end: Some(NOW),
            pending: Links { older: Some(3), newer: Some(5) },
            ..requested(doctor, asked(patient))
        };
        let other = |id, older, newer| AccessRequest {
            id,
            requester: account(9),
            pending: Links { older, newer },
            ..requested(doctor, asked(patient))
        };
        let stored = [other(3, None, Some(4)), expiring.clone(), other(5, Some(4), None)];
        let load = |id| stored.iter().find(|request: &&AccessRequest| request.id == id).cloned();
        let mut pending = ListHead { len: 3, newest: Some(5) };
        let mut next = 7;
        let requested =
            request(doctor, NOW, asked(patient), provider, Some(expiring.clone()), &mut pending, load, &mut next)
                .unwrap();
        assert_eq!(requested.replaces, Some(4));
        assert_eq!(
            (requested.request.pending, pending),
            (Links { older: Some(5), newer: None }, ListHead { len: 3, newest: Some(7) })
        );
        let changed = |id| requested.changed.iter().find(|request| request.id == id).cloned().unwrap();
        assert_eq!(
            (changed(4).status, changed(4).closed_at, changed(4).pending),
            (RequestStatus::Expired, Some(NOW), Links::default())
        );
        assert_eq!(changed(5).pending, Links { older: Some(3), newer: Some(7) }, "one copy, both changes");
        assert_eq!(changed(3).pending, Links { older: None, newer: Some(5) });
        assert_eq!(requested.changed.len(), 3);
        // Not expired yet: it still holds the slot, and nothing changes.
        let mut pending = ListHead { len: 3, newest: Some(5) };
        let live = AccessRequest { end: Some(NOW + 1), ..expiring };
        assert_eq!(
            request(doctor, NOW, asked(patient), provider, Some(live), &mut pending, load, &mut next),
            Err(Error::RequestPending)
        );
        assert_eq!((pending, next), (ListHead { len: 3, newest: Some(5) }, 8));
    }
}
