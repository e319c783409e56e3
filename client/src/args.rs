//! Parsing what people type and the files they point to: accounts (SS58 or 0x hex), data classes, purposes of use
//! (HL7 codes or names), secret URIs, deployment manifests (`deployments/<network>.json` of scripts/deploy.sh).

use std::{path::Path, str::FromStr};

use healthchain_format::{hex0x, Account, Hash};
use interfaces::{DataClass, Purpose};
use serde::Deserialize;
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::error::{ClientError, Result};

/// The largest deployment manifest or secret file read.
const MAX_SMALL_FILE: u64 = 1 << 20;

/// An account as SS58 (any network prefix) or `0x` + 64 hex digits.
pub fn account(text: &str) -> Result<Account> {
    let text = text.trim();
    if text.starts_with("0x") {
        return hex0x::decode::<32>(text).map_err(|reason| {
            ClientError::Input(format!(
                "{text:?} is not an account ({reason}): pass an SS58 address or 0x + 64 hex digits"
            ))
        });
    }
    subxt::utils::AccountId32::from_str(text).map(|account| account.0).map_err(|error| {
        ClientError::Input(format!("{text:?} is not an account ({error}): pass an SS58 address or 0x + 64 hex digits"))
    })
}

/// An account as SS58 (generic substrate prefix 42).
pub fn ss58(account: &Account) -> String {
    subxt::utils::AccountId32(*account).to_string()
}

/// A data class by name, case and `-`/`_` ignored (`Labs`, `mental-health`, `SUBSTANCE_USE`).
pub fn class(text: &str) -> Result<DataClass> {
    let wanted = squash(text);
    DataClass::ALL.into_iter().find(|class| squash(&format!("{class:?}")) == wanted).ok_or_else(|| {
        let names: Vec<String> = DataClass::ALL.iter().map(|class| format!("{class:?}")).collect();
        ClientError::Input(format!("unknown data class {text:?}: choose one of {}", names.join(", ")))
    })
}

/// The HL7 v3 PurposeOfUse codes of the purposes, in [`Purpose::ALL`] order.
pub const PURPOSE_CODES: [(&str, Purpose); 6] = [
    ("TREAT", Purpose::Treatment),
    ("ETREAT", Purpose::Emergency),
    ("HPAYMT", Purpose::Payment),
    ("HOPERAT", Purpose::Operations),
    ("HRESCH", Purpose::Research),
    ("PUBHLTH", Purpose::PublicHealth),
];

/// A purpose of use by its HL7 code (`TREAT`, `ETREAT`, ...) or its name (`Treatment`, `public-health`), case and
/// `-`/`_` ignored.
pub fn purpose(text: &str) -> Result<Purpose> {
    let wanted = squash(text);
    PURPOSE_CODES
        .into_iter()
        .find(|(code, purpose)| squash(code) == wanted || squash(&format!("{purpose:?}")) == wanted)
        .map(|(_, purpose)| purpose)
        .ok_or_else(|| {
            let codes: Vec<String> =
                PURPOSE_CODES.iter().map(|(code, purpose)| format!("{code} ({purpose:?})")).collect();
            ClientError::Input(format!("unknown purpose {text:?}: choose one of {}", codes.join(", ")))
        })
}

fn squash(text: &str) -> String {
    text.trim().chars().filter(|c| *c != '-' && *c != '_').flat_map(char::to_lowercase).collect()
}

/// The signing key of a secret URI (`//Alice`, a secret phrase with optional `//hard/soft///password`). The URI
/// itself never appears in an error.
pub fn keypair(suri: &str) -> Result<Keypair> {
    let uri = SecretUri::from_str(suri.trim()).map_err(|error| {
        ClientError::Input(format!(
            "the secret URI is not valid ({error}): pass a dev URI such as //Alice or a secret phrase"
        ))
    })?;
    Keypair::from_uri(&uri).map_err(|error| {
        ClientError::Input(format!(
            "the secret URI gives no key ({error}): pass a dev URI such as //Alice or a secret phrase"
        ))
    })
}

/// Reads a secret URI from `path`, refusing a file others can read (on Unix).
pub fn read_suri_file(path: &Path) -> Result<String> {
    let io = |source| ClientError::Io { what: format!("reading the secret file {}", path.display()), source };
    let metadata = std::fs::metadata(path).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(ClientError::Input(format!(
                "the secret file {} can be read by other users: run 'chmod 600 {}'",
                path.display(),
                path.display()
            )));
        }
    }
    if metadata.len() > MAX_SMALL_FILE {
        return Err(ClientError::Input(format!("the secret file {} is too large to be a secret URI", path.display())));
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    Ok(text.trim().to_owned())
}

/// What this client needs of a deployment manifest (`deployments/<network>.json`, written by scripts/deploy.sh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The genesis hash of the chain it was deployed on.
    pub genesis: Hash,
    /// The records contract's address.
    pub records: Account,
}

#[derive(Deserialize)]
struct Manifest {
    genesis_hash: String,
    contracts: Contracts,
}

#[derive(Deserialize)]
struct Contracts {
    records: Option<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    address: String,
}

/// Parses a deployment manifest.
pub fn deployment(json: &str) -> Result<Deployment> {
    let bad = |reason: String| {
        ClientError::Input(format!("the deployment manifest is not one of scripts/deploy.sh ({reason}): pass another with --deployment, or --records ADDR"))
    };
    let manifest: Manifest = serde_json::from_str(json).map_err(|error| bad(error.to_string()))?;
    let genesis =
        hex0x::decode::<32>(&manifest.genesis_hash).map_err(|reason| bad(format!("genesis_hash: {reason}")))?;
    let entry = manifest.contracts.records.ok_or_else(|| bad("no records contract in it".into()))?;
    let records = account(&entry.address).map_err(|error| bad(format!("records address: {error}")))?;
    Ok(Deployment { genesis, records })
}

/// Reads and parses the deployment manifest at `path`.
pub fn read_deployment(path: &Path) -> Result<Deployment> {
    let io = |source| ClientError::Io { what: format!("reading the deployment manifest {}", path.display()), source };
    if std::fs::metadata(path).map_err(io)?.len() > MAX_SMALL_FILE {
        return Err(ClientError::Input(format!("{} is too large to be a deployment manifest", path.display())));
    }
    deployment(&std::fs::read_to_string(path).map_err(io)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE_SS58: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    const ALICE_HEX: &str = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    #[test]
    fn accounts_parse_from_ss58_and_hex_alike() {
        let from_ss58 = account(ALICE_SS58).expect("ss58");
        assert_eq!(from_ss58, account(ALICE_HEX).expect("hex"));
        assert_eq!(hex0x::encode(&from_ss58), ALICE_HEX);
        assert_eq!(ss58(&from_ss58), ALICE_SS58);
        assert!(matches!(account("0x1234"), Err(ClientError::Input(_))));
        assert!(matches!(account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"), Err(ClientError::Input(_))));
        assert!(matches!(account(""), Err(ClientError::Input(_))));
    }

    #[test]
    fn classes_parse_by_name_in_any_case() {
        assert_eq!(class("Labs").expect("Labs"), DataClass::Labs);
        assert_eq!(class("mental-health").expect("mental-health"), DataClass::MentalHealth);
        assert_eq!(class("SUBSTANCE_USE").expect("SUBSTANCE_USE"), DataClass::SubstanceUse);
        for each in DataClass::ALL {
            assert_eq!(class(&format!("{each:?}")).expect("every class"), each);
        }
        let error = class("xray").expect_err("unknown");
        assert!(error.to_string().contains("Imaging"), "{error}");
    }

    #[test]
    fn purposes_parse_by_hl7_code_or_name() {
        assert_eq!(purpose("TREAT").expect("TREAT"), Purpose::Treatment);
        assert_eq!(purpose("etreat").expect("etreat"), Purpose::Emergency);
        assert_eq!(purpose("public-health").expect("name"), Purpose::PublicHealth);
        assert_eq!(purpose("PUBHLTH").expect("code"), Purpose::PublicHealth);
        let listed: Vec<Purpose> = PURPOSE_CODES.iter().map(|(_, purpose)| *purpose).collect();
        assert_eq!(listed, Purpose::ALL.to_vec());
        let error = purpose("curiosity").expect_err("unknown");
        assert!(error.to_string().contains("TREAT (Treatment)"), "{error}");
    }

    #[test]
    fn dev_uris_and_phrases_give_keys_and_errors_never_echo_the_secret() {
        let alice = keypair("//Alice").expect("dev uri");
        assert_eq!(hex0x::encode(&alice.public_key().0), ALICE_HEX);
        let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice";
        assert_eq!(keypair(phrase).expect("phrase").public_key().0, alice.public_key().0);
        let secret = "not a phrase at all but secret words";
        let error = keypair(secret).expect_err("invalid");
        assert!(!error.to_string().contains("secret words"), "{error}");
    }

    #[test]
    fn suri_files_readable_by_others_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("suri");
        std::fs::write(&path, "//Bob\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            let error = read_suri_file(&path).expect_err("world readable");
            assert!(error.to_string().contains("chmod 600"), "{error}");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert_eq!(read_suri_file(&path).expect("private"), "//Bob");
        assert!(matches!(read_suri_file(&dir.path().join("missing")), Err(ClientError::Io { .. })));
    }

    #[test]
    fn deployment_manifests_give_genesis_and_records_address() {
        let json = format!(
            r#"{{"network": "local", "url": "ws://127.0.0.1:9944", "chain": "Development",
                "genesis_hash": "0x{}", "block": {{"number": 3, "hash": "0x00"}},
                "contracts": {{"records": {{"address": "{ALICE_SS58}", "code_hash": "0x01", "metadata": "m.json"}}}}}}"#,
            "ab".repeat(32)
        );
        let parsed = deployment(&json).expect("manifest");
        assert_eq!(parsed.genesis, [0xab; 32]);
        assert_eq!(parsed.records, account(ALICE_SS58).expect("alice"));
        let without = r#"{"genesis_hash": "0x00", "contracts": {}}"#;
        assert!(matches!(deployment(without), Err(ClientError::Input(_))));
        let no_records = format!(r#"{{"genesis_hash": "0x{}", "contracts": {{}}}}"#, "ab".repeat(32));
        let error = deployment(&no_records).expect_err("no records");
        assert!(error.to_string().contains("no records contract"), "{error}");
    }
}
