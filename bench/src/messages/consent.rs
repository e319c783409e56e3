//! consent: grants, revocations, delegates, personal representatives, break-glass and its review, access requests,
//! and the check other contracts ask. `declare_emergency`, `request_access` and `represent` (has_role) and `check`
//! (has_role, or roles_of once the patient has role consents) call participants; `check` for a representative calls
//! nobody.

use interfaces::{Basis, ConsentCheck as _, Representatives as _};

use super::*;

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx) {
    let (c, cast) = (|| ctx.suite.consent(), &ctx.cast);
    let l = |message, case, kind| Label::new("consent", message, case, kind);
    let (patient, doctor, researcher) = (account(&cast.patient), account(&cast.doctor), account(&cast.researcher));
    let (read, me) = (ActionSet::of(Action::Read), &cast.patient);
    let grant = |to, purpose, actions| permit(ctx, patient, to, purpose, actions, 7);

    let treat = grant(Grantee::Account(doctor), Purpose::Treatment, read.with(Action::Write));
    let treat_id = b.tx(l("grant", "to an account, Treatment, read+write", Single), me, &treat).await;
    ok(b.client, me, &grant(Grantee::Account(account(&cast.payer)), Purpose::Payment, read)).await;
    let check_doctor = c().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Read);
    let basis = b.read(l("check", "account consent, no role consents: has_role", Cross), &check_doctor).await;
    assert_eq!(basis, Ok(Basis::Consent(treat_id)));

    let research = grant(Grantee::Role(Role::Researcher), Purpose::Research, read);
    let research_id = b.tx(l("grant", "to a role (Researcher), Research, read", Single), me, &research).await;
    let check_researcher = c().check(patient, researcher, Purpose::Research, DataClass::Labs, Action::Read);
    let basis = b.read(l("check", "role consent: roles_of", Cross), &check_researcher).await;
    assert_eq!(basis, Ok(Basis::Consent(research_id)));
    let case = "account consent, patient has role consents: roles_of";
    assert_eq!(b.read(l("check", case, Cross), &check_doctor).await, Ok(Basis::Consent(treat_id)));

    let throwaway =
        ok(b.client, me, &grant(Grantee::Account(AccountId::from([0x77; 32])), Purpose::Operations, read)).await;
    b.tx(l("revoke", "an account consent", Single), me, &c().revoke(throwaway)).await;

    let delegate = AccountId::from([0x66; 32]);
    let scope = (PurposeSet::of(Purpose::Treatment), DataClassSet::GENERAL, read);
    let add = c().add_delegate(patient, delegate, scope.0, scope.1, scope.2, None);
    b.tx(l("add_delegate", "open-ended, by the patient", Single), me, &add).await;
    b.read(l("delegates", "one delegate", Single), &c().delegates(patient)).await;
    let remove = c().remove_delegate(patient, delegate);
    b.tx(l("remove_delegate", "the only delegate, by the patient", Single), me, &remove).await;

    let guardian = AccountId::from([0x67; 32]);
    let excluded = DataClassSet::of(DataClass::SubstanceUse);
    let represent = c().represent(patient, guardian, 0, None, excluded);
    let case = "by an issuer: asks has_role";
    let representation = b.tx(l("represent", case, Cross), &cast.board, &represent).await;
    let check_guardian = c().check(patient, guardian, Purpose::Treatment, DataClass::Labs, Action::Read);
    let basis = b.read(l("check", "a representative: asks nobody", Single), &check_guardian).await;
    assert_eq!(basis, Ok(Basis::Representative(representation)));
    let represents = c().represents(patient, guardian, DataClass::Labs);
    assert!(b.read(l("represents", "a representative", Single), &represents).await);
    b.read(l("representatives", "a page (1 representative)", Single), &c().representatives(patient, 0, 4)).await;
    let end = c().end_representation(patient, guardian);
    b.tx(l("end_representation", "by its issuer", Single), &cast.board, &end).await;

    let declare = c().declare_emergency(patient, [12; 32]);
    let emergency = b.tx(l("declare_emergency", "by a provider: asks has_role", Cross), &cast.doctor, &declare).await;
    b.read(l("emergency", "an active one", Single), &c().emergency(emergency)).await;
    b.tx(l("end_emergency", "by the patient", Single), me, &c().end_emergency(emergency)).await;
    let unreviewed = c().unreviewed_emergencies(patient, None, 10);
    b.read(l("unreviewed_emergencies", "a page of 10 (1 emergency)", Single), &unreviewed).await;
    let review = c().review_emergency(emergency, true, [13; 32]);
    b.tx(l("review_emergency", "by the patient: justified", Single), me, &review).await;

    b.read(l("consent", "one consent", Single), &c().consent(treat_id)).await;
    let page = b.read(l("consents_of", "a page of 10 (4 consents)", Single), &c().consents_of(patient, None, 10)).await;
    assert_eq!(page.items.len(), 4);

    let ask = || c().request_access(patient, Purpose::Operations, DataClassSet::GENERAL, read, None, [14; 32]);
    let request = b.tx(l("request_access", "by a provider: asks has_role", Cross), &cast.doctor, &ask()).await;
    let pending = c().pending_requests(patient, None, 10);
    b.read(l("pending_requests", "a page of 10 (1 request)", Single), &pending).await;
    b.tx(l("approve_request", "into a consent", Single), me, &c().approve_request(request, [15; 32])).await;
    let request = ok(b.client, &cast.doctor, &ask()).await;
    b.tx(l("decline_request", "by the patient", Single), me, &c().decline_request(request)).await;
    let request = ok(b.client, &cast.doctor, &ask()).await;
    b.tx(l("withdraw_request", "by the requester", Single), &cast.doctor, &c().withdraw_request(request)).await;
    b.read(l("admin", FLOOR, Single), &c().admin()).await;
}
