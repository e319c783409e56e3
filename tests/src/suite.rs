//! The deploy helper: the five contracts wired together, the people of the story, and their credentials.

use crate::{account, ok, Backend};
use core::fmt::Debug;
use ink_e2e::Keypair;
use interfaces::{Role, RoleSet};

use claims::claims::{Claims, ClaimsRef};
use consent::consent::{Consent, ConsentRef};
use council::council::{Council, CouncilAction, CouncilRef};
use custody::custody::{Custody, CustodyRef};
use participants::participants::{Participants, ParticipantsRef};
use records::records::{Records, RecordsRef};

pub use ink::primitives::AccountId;

/// A valid NPI (CMS's worked example). An NPI is held by one account: the cast's providers get their own
/// ([`npi_of`]).
pub const NPI: u64 = 1_234_567_893;

/// A valid NPI of `who`'s own: the first digit 1, eight digits from the account's first bytes, and the check digit
/// ([`npi_check_digit`]). Distinct accounts get distinct NPIs unless those eight digits collide (the contract would
/// refuse the second with `NpiTaken`).
pub fn npi_of(who: AccountId) -> u64 {
    let bytes: &[u8; 32] = who.as_ref();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes[..8]);
    let base = 100_000_000 + u64::from_le_bytes(first) % 100_000_000;
    base * 10 + npi_check_digit(base)
}

/// The check digit CMS appends to a 9-digit NPI `base`: Luhn over "80840" followed by the nine digits (the prefix
/// adds 24 to the sum; from the right of the base, every other digit is doubled, starting with the last).
pub fn npi_check_digit(base: u64) -> u64 {
    let (mut rest, mut sum) = (base, 24);
    for position in 0..9 {
        let digit = rest % 10;
        rest /= 10;
        sum += match (position % 2 == 0, digit * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => digit,
        };
    }
    (10 - sum % 10) % 10
}
/// What each account of the cast is given when the backend has not endowed it.
pub const FUNDS: u128 = 1_000_000_000_000_000;
/// 2100-01-01 in milliseconds: later than any block time a test sees, on the sandbox or on a node.
pub const FAR_FUTURE: u64 = 4_102_444_800_000;
/// The GS1 Company Prefix the board attests to the cast's manufacturer: its GTINs are `0` + `0312345` + item
/// reference + check digit (an NDC labeler's form), such as [`GTIN`].
pub const COMPANY_PREFIX: &str = "0312345";
/// The cast manufacturer's product.
pub const GTIN: &str = "00312345678906";

/// A GS1 AI(17) expiry (YYMMDD) at the end of the year after the one `now` (ms, as the chain's block time) falls in:
/// ahead on every backend (the sandbox's clock reads 1970, a node's today).
pub fn expiry_next_year(now: u64) -> String {
    let year = custody::gs1::year_at(now).unwrap_or(1970);
    format!("{:02}1231", (year + 1) % 100)
}

/// The five contracts of one deployment.
#[derive(Debug, Clone, Copy)]
pub struct Suite {
    /// The council that governs the five, when there is one ([`Suite::deploy_governed`], a deployment manifest);
    /// else the admin account governs them directly ([`Suite::deploy`]).
    pub council: Option<AccountId>,
    pub participants: AccountId,
    pub consent: AccountId,
    pub records: AccountId,
    pub claims: AccountId,
    pub custody: AccountId,
}

/// The people of the story. The admin deployed everything; the board issues every credential.
pub struct Cast {
    pub admin: Keypair,
    pub board: Keypair,
    pub doctor: Keypair,
    pub patient: Keypair,
    pub payer: Keypair,
    pub pharmacy: Keypair,
    pub manufacturer: Keypair,
    pub distributor: Keypair,
    pub researcher: Keypair,
    pub regulator: Keypair,
}

impl Cast {
    /// Alice to Ferdie are endowed on both backends; //One and //Two only on the sandbox (a dev chain's genesis
    /// leaves them out), so the admin tops them up when they are short. The researcher and the regulator are new
    /// accounts funded by the admin.
    pub async fn new<C: Backend>(client: &mut C) -> Self {
        for keypair in [ink_e2e::one(), ink_e2e::two()] {
            let who = account(&keypair);
            if crate::balance(client, who).await < FUNDS / 2 {
                let to = ink_e2e::subxt::dynamic::Value::unnamed_variant(
                    "Id",
                    [ink_e2e::subxt::dynamic::Value::from_bytes(who)],
                );
                client
                    .runtime_call(
                        &ink_e2e::alice(),
                        "Balances",
                        "transfer_allow_death",
                        vec![to, ink_e2e::subxt::dynamic::Value::u128(FUNDS)],
                    )
                    .await
                    .unwrap_or_else(|e| panic!("could not fund {who:?}: {e:?}"));
            }
        }
        let researcher = client.create_and_fund_account(&ink_e2e::alice(), FUNDS).await;
        let regulator = client.create_and_fund_account(&ink_e2e::alice(), FUNDS).await;
        Self {
            admin: ink_e2e::alice(),
            board: ink_e2e::bob(),
            doctor: ink_e2e::charlie(),
            patient: ink_e2e::dave(),
            payer: ink_e2e::eve(),
            pharmacy: ink_e2e::ferdie(),
            manufacturer: ink_e2e::one(),
            distributor: ink_e2e::two(),
            researcher,
            regulator,
        }
    }
}

impl Suite {
    /// Uploads and instantiates the five contracts in dependency order, each given the others' addresses; the admin
    /// account governs them directly (the governance scenario hands them to a council contract).
    pub async fn deploy<C: Backend>(client: &mut C, cast: &Cast) -> Suite {
        Self::deploy_under(client, cast, None).await
    }

    /// As scripts/deploy.sh does on a development chain: a council of the admin alone (threshold 1, no delay), then
    /// the five with the council as their admin.
    pub async fn deploy_governed<C: Backend>(client: &mut C, cast: &Cast) -> Suite {
        let mut constructor = CouncilRef::new(vec![account(&cast.admin)], 1, 0);
        let council = client.instantiate("council", &cast.admin, &mut constructor).submit().await;
        let council = council.expect("instantiate council").account_id;
        Self::deploy_under(client, cast, Some(council)).await
    }

    async fn deploy_under<C: Backend>(client: &mut C, cast: &Cast, council: Option<AccountId>) -> Suite {
        // The admin instantiates contract `$name` with `$constructor`: its account.
        macro_rules! instantiate {
            ($name:literal, $constructor:expr) => {
                client
                    .instantiate($name, &cast.admin, &mut $constructor)
                    .submit()
                    .await
                    .expect(concat!("instantiate ", $name))
                    .account_id
            };
        }
        let admin = council.unwrap_or_else(|| account(&cast.admin));
        let participants = instantiate!("participants", ParticipantsRef::new(admin));
        let consent = instantiate!("consent", ConsentRef::new(admin, participants));
        let records = instantiate!("records", RecordsRef::new(admin, participants, consent));
        let claims = instantiate!("claims", ClaimsRef::new(admin, participants, records, consent));
        let custody = instantiate!("custody", CustodyRef::new(admin, participants, records));
        Suite { council, participants, consent, records, claims, custody }
    }

    /// The council (governed by the admin alone) calls `message` (its selector) of `contract` with `args`: the admin
    /// proposes, then executes. Returns the proposal's id.
    pub async fn through_council<C: Backend>(
        &self,
        client: &mut C,
        cast: &Cast,
        contract: AccountId,
        message: [u8; 4],
        args: impl scale::Encode,
    ) -> u32 {
        let council = self.council.expect("a suite governed by a council");
        let calls = || ink_e2e::create_call_builder::<Council>(council);
        let action = CouncilAction::Call { contract, message, args: args.encode() };
        let id = ok(client, &cast.admin, &calls().propose(action)).await;
        ok(client, &cast.admin, &calls().execute(id)).await;
        id
    }

    /// The contracts of a deployment manifest (`deployments/<network>.json`: `contracts.<name>.address`, SS58).
    pub fn from_manifest(path: &str) -> Result<Suite, String> {
        use core::str::FromStr;
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read the deployment manifest {path} ({e})"))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("the manifest {path} is not JSON: {e}"))?;
        let address = |name: &str| -> Result<AccountId, String> {
            let ss58 = json["contracts"][name]["address"]
                .as_str()
                .ok_or_else(|| format!("the manifest {path} has no contracts.{name}.address"))?;
            let id = ink_e2e::subxt::utils::AccountId32::from_str(ss58)
                .map_err(|e| format!("bad address {ss58} for {name} in {path}: {e}"))?;
            Ok(AccountId::from(id.0))
        };
        Ok(Suite {
            council: Some(address("council")?),
            participants: address("participants")?,
            consent: address("consent")?,
            records: address("records")?,
            claims: address("claims")?,
            custody: address("custody")?,
        })
    }

    /// Deploys, appoints the board as issuer of every role and credentials each member of the cast in their role.
    pub async fn deploy_credentialed<C: Backend>(client: &mut C, cast: &Cast) -> Suite {
        let suite = Suite::deploy(client, cast).await;
        // Every role a credential can give (Issuer is held by appointment only).
        let all = RoleSet::from_slice(&Role::ALL).without(Role::Issuer);
        ok(client, &cast.admin, &suite.participants().appoint_issuer(account(&cast.board), all)).await;
        for (member, role) in [
            (&cast.doctor, Role::Provider),
            (&cast.payer, Role::Payer),
            (&cast.pharmacy, Role::Pharmacy),
            (&cast.manufacturer, Role::Manufacturer),
            (&cast.distributor, Role::Distributor),
            (&cast.researcher, Role::Researcher),
            (&cast.regulator, Role::Regulator),
        ] {
            suite.credential(client, cast, account(member), role).await;
        }
        let prefix = suite.participants().attest_company_prefix(account(&cast.manufacturer), COMPANY_PREFIX.into());
        ok(client, &cast.board, &prefix).await;
        suite
    }

    /// The board attests `role` to `who` from the epoch until 2100 (a provider with its own NPI, [`npi_of`]).
    pub async fn credential<C: Backend>(&self, client: &mut C, cast: &Cast, who: AccountId, role: Role) {
        let npi = (role == Role::Provider).then(|| npi_of(who));
        let message = self.participants().attest(who, role, [role as u8; 32], npi, 0, FAR_FUTURE);
        ok(client, &cast.board, &message).await;
    }

    pub fn participants(&self) -> <Participants as ink::codegen::ContractCallBuilder>::Type {
        ink_e2e::create_call_builder::<Participants>(self.participants)
    }

    pub fn consent(&self) -> <Consent as ink::codegen::ContractCallBuilder>::Type {
        ink_e2e::create_call_builder::<Consent>(self.consent)
    }

    pub fn records(&self) -> <Records as ink::codegen::ContractCallBuilder>::Type {
        ink_e2e::create_call_builder::<Records>(self.records)
    }

    pub fn claims(&self) -> <Claims as ink::codegen::ContractCallBuilder>::Type {
        ink_e2e::create_call_builder::<Claims>(self.claims)
    }

    pub fn custody(&self) -> <Custody as ink::codegen::ContractCallBuilder>::Type {
        ink_e2e::create_call_builder::<Custody>(self.custody)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_gets_a_valid_npi_of_its_own() {
        assert_eq!(npi_check_digit(123_456_789), 3, "CMS's worked example");
        assert_eq!(npi_check_digit(124_531_959), 9);
        let npis: Vec<u64> = [ink_e2e::alice(), ink_e2e::bob(), ink_e2e::charlie(), ink_e2e::dave(), ink_e2e::one()]
            .iter()
            .map(|keypair| npi_of(crate::account(keypair)))
            .collect();
        for (i, npi) in npis.iter().enumerate() {
            assert!(participants::npi::is_valid(*npi), "{npi}");
            assert!(!npis[..i].contains(npi), "{npi} twice");
        }
        for base in [100_000_000, 199_999_999, 150_000_001] {
            assert!(participants::npi::is_valid(base * 10 + npi_check_digit(base)), "{base}");
        }
    }
}
