//! consent: grants, revocations, delegates, break-glass, and the check other contracts ask.
//! Only `declare_emergency` (has_role) and `check` once the patient has role consents (roles_of) call participants.

use core::fmt::Debug;
use healthchain_tests::{account, Backend, Env};
use ink::primitives::AccountId;
use ink_e2e::ContractsBackend;
use interfaces::{Action, ActionSet, Basis, ConsentCheck as _, DataClass, DataClassSet, Purpose, PurposeSet, Role};

use consent::consent::{Grantee, Provision};

use super::Ctx;
use crate::measure::{Bench, Kind, Label};

fn label(message: &'static str, case: &str, kind: Kind) -> Label {
    Label::new("consent", message, case, kind)
}

pub async fn run<C: Backend>(b: &mut Bench<'_, C>, ctx: &Ctx)
where
    <C as ContractsBackend<Env>>::Error: Debug,
{
    let (suite, cast) = (&ctx.suite, &ctx.cast);
    let c = || suite.consent();
    let patient = account(&cast.patient);
    let (doctor, payer, researcher) = (account(&cast.doctor), account(&cast.payer), account(&cast.researcher));
    let read_write = ActionSet::of(Action::Read).with(Action::Write);
    let permit = |grantee, purpose, actions| {
        c().grant(
            patient,
            grantee,
            Provision::Permit,
            PurposeSet::of(purpose),
            DataClassSet::GENERAL,
            actions,
            0,
            None,
            [7; 32],
        )
    };

    let treat = permit(Grantee::Account(doctor), Purpose::Treatment, read_write);
    let treat_id =
        b.tx(label("grant", "to an account, Treatment, read+write", Kind::Single), &cast.patient, &treat).await;
    b.run(&cast.patient, &permit(Grantee::Account(payer), Purpose::Payment, ActionSet::of(Action::Read))).await;
    let check_doctor = c().check(patient, doctor, Purpose::Treatment, DataClass::Labs, Action::Read);
    let basis = b
        .read(label("check", "account consent, no role consents: has_role", Kind::Cross), &cast.admin, &check_doctor)
        .await;
    assert_eq!(basis, Ok(Basis::Consent(treat_id)));

    let research = permit(Grantee::Role(Role::Researcher), Purpose::Research, ActionSet::of(Action::Read));
    let research_id =
        b.tx(label("grant", "to a role (Researcher), Research, read", Kind::Single), &cast.patient, &research).await;
    let check_researcher = c().check(patient, researcher, Purpose::Research, DataClass::Labs, Action::Read);
    let basis = b.read(label("check", "role consent: roles_of", Kind::Cross), &cast.admin, &check_researcher).await;
    assert_eq!(basis, Ok(Basis::Consent(research_id)));
    let basis = b
        .read(
            label("check", "account consent, patient has role consents: roles_of", Kind::Cross),
            &cast.admin,
            &check_doctor,
        )
        .await;
    assert_eq!(basis, Ok(Basis::Consent(treat_id)));

    let throwaway =
        permit(Grantee::Account(AccountId::from([0x77; 32])), Purpose::Operations, ActionSet::of(Action::Read));
    let throwaway_id = b.run(&cast.patient, &throwaway).await;
    b.tx(label("revoke", "an account consent", Kind::Single), &cast.patient, &c().revoke(throwaway_id)).await;

    let delegate = AccountId::from([0x66; 32]);
    b.tx(label("add_delegate", "open-ended", Kind::Single), &cast.patient, &c().add_delegate(delegate, None)).await;
    b.read(label("delegates", "one delegate", Kind::Single), &cast.admin, &c().delegates(patient)).await;
    b.tx(label("remove_delegate", "the only delegate", Kind::Single), &cast.patient, &c().remove_delegate(delegate))
        .await;

    let declare = c().declare_emergency(patient, [12; 32]);
    let emergency =
        b.tx(label("declare_emergency", "by a provider: asks has_role", Kind::Cross), &cast.doctor, &declare).await;
    b.read(label("emergency", "an active one", Kind::Single), &cast.admin, &c().emergency(emergency)).await;
    b.tx(label("end_emergency", "by the patient", Kind::Single), &cast.patient, &c().end_emergency(emergency)).await;

    b.read(label("consent", "one consent", Kind::Single), &cast.admin, &c().consent(treat_id)).await;
    let page = b
        .read(
            label("consents_of", "a page of 10 (4 consents)", Kind::Single),
            &cast.admin,
            &c().consents_of(patient, None, 10),
        )
        .await;
    assert_eq!(page.items.len(), 4);
    b.read(label("admin", super::FLOOR, Kind::Single), &cast.admin, &c().admin()).await;
}
