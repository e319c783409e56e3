//! `healthchain`: the reference client CLI. Writes a document as an encrypted record (`put`), reads one under an
//! on-chain open (`get`), erases one (`erase`), pages the custodian's release log (`releases`) and a patient's
//! accounting of disclosures (`disclosures`), and shows what a custodian serves (`info`).
//!
//! Every error is one line on stderr, with the fix where there is one; the exit status is 1 (2 for bad arguments).

// The doc comments of the argument structs are clap's help text, printed as written: no Markdown there.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags)]

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use healthchain_client::{
    args,
    chain::records,
    custodian::{Custodian, MAX_RELEASES_PAGE},
    flows, Chain, ClientError, Keypair, Result,
};
use healthchain_format::{hex0x, Account};
use interfaces::MAX_PAGE;

/// The largest document `put` reads.
const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

#[derive(Debug, Parser)]
#[command(
    name = "healthchain",
    version,
    about = "healthchain client: write, read and erase encrypted records under on-chain consent"
)]
struct Cli {
    /// The node's WebSocket URL (ws:// only for localhost; wss:// elsewhere).
    #[arg(long, global = true, env = "HEALTHCHAIN_NODE", default_value = "ws://127.0.0.1:9944")]
    node: String,
    /// The custodian's base URL (e.g. https://custodian.example.org).
    #[arg(long, global = true, env = "HEALTHCHAIN_CUSTODIAN")]
    custodian: Option<String>,
    /// A deployment manifest of scripts/deploy.sh (deployments/<network>.json): the records contract is read from it.
    #[arg(long, global = true, env = "HEALTHCHAIN_DEPLOYMENT")]
    deployment: Option<PathBuf>,
    /// The records contract's address (SS58 or 0x hex); wins over --deployment.
    #[arg(long, global = true, env = "HEALTHCHAIN_RECORDS")]
    records: Option<String>,
    /// The signer's secret URI (//Alice-style dev URI or secret phrase). WARNING: a key on the command line lands in
    /// your shell history and in the process list: prefer the HEALTHCHAIN_SURI environment variable or --suri-file.
    #[arg(long, global = true, env = "HEALTHCHAIN_SURI", hide_env_values = true)]
    suri: Option<String>,
    /// A file holding the signer's secret URI (mode 600); wins over --suri and HEALTHCHAIN_SURI.
    #[arg(long, global = true)]
    suri_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Encrypt a document, store it with the custodian, register it on chain for a patient and deposit its key;
    /// prints the new record's id. The signer is the author (the patient, or a provider with a Write consent).
    Put {
        /// The patient (SS58 or 0x hex).
        #[arg(long)]
        patient: String,
        /// The data class: Demographics, Encounters, Diagnoses, Labs, Imaging, Medications, Immunizations,
        /// MentalHealth, SubstanceUse, Genomic, Reproductive.
        #[arg(long)]
        class: String,
        /// The document to encrypt (default: stdin).
        #[arg(long)]
        input: Option<PathBuf>,
    },
    /// Open a record on chain as the signer (one entry of the patient's accounting of disclosures), get its key from
    /// the custodian, download, check and decrypt it.
    Get {
        /// The record id.
        #[arg(long)]
        record: u64,
        /// The purpose of use: TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH (or Treatment, Emergency, ...).
        #[arg(long)]
        purpose: String,
        /// Where to write the document (a new file, mode 600; default: stdout).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Erase a record as its patient (the signer): the custodian then destroys its key and blob.
    Erase {
        /// The record id.
        #[arg(long)]
        record: u64,
    },
    /// Print a page of the custodian's release log, one JSON object per line.
    Releases {
        /// The first row's sequence number.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// How many rows (at most 1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Print a page of a patient's accounting of disclosures (on chain), oldest first.
    Disclosures {
        /// The patient (SS58 or 0x hex).
        #[arg(long)]
        patient: String,
        /// The first entry's index.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// How many entries (at most 50).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show what the custodian serves (chain, records contract, key, limits) and whether it matches this node.
    Info,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.to_string().replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Put { patient, class, input } => {
            let patient = args::account(patient)?;
            let class = args::class(class)?;
            let author = signer(&cli)?;
            let document = read_document(input.as_deref())?;
            let custodian = custodian(&cli)?;
            let (chain, records) = connect(&cli).await?;
            let record = flows::put(&chain, &custodian, &author, records, patient, class, &document).await?;
            println!("{record}");
        }
        Command::Get { record, purpose, output } => {
            let purpose = args::purpose(purpose)?;
            let reader = signer(&cli)?;
            if let Some(path) = output {
                refuse_existing(path)?;
            }
            let custodian = custodian(&cli)?;
            let (chain, records) = connect(&cli).await?;
            let document = flows::get(&chain, &custodian, &reader, records, *record, purpose).await?;
            write_document(output.as_deref(), &document)?;
        }
        Command::Erase { record } => {
            let patient = signer(&cli)?;
            let (chain, records) = connect(&cli).await?;
            let included = flows::erase(&chain, &patient, records, *record).await?;
            println!(
                "erased record {record} in block #{} {}",
                included.block.number,
                hex0x::encode(&included.block.hash)
            );
        }
        Command::Releases { from, limit } => {
            let custodian = custodian(&cli)?;
            let page = custodian.releases(*from, (*limit).min(MAX_RELEASES_PAGE)).await?;
            let mut out = std::io::stdout().lock();
            for row in &page.items {
                let line = serde_json::to_string(row)
                    .map_err(|error| ClientError::Decode { what: "a release-log row", reason: error.to_string() })?;
                writeln!(out, "{line}").map_err(stdout_error)?;
            }
            if let Some(next) = page.next {
                eprintln!("more rows: --from {next}");
            }
        }
        Command::Disclosures { patient, from, limit } => {
            let patient = args::account(patient)?;
            let (chain, records) = connect(&cli).await?;
            let page = records::disclosures(&chain, records, patient, *from, (*limit).min(MAX_PAGE)).await?;
            let mut out = std::io::stdout().lock();
            for (offset, entry) in page.items.iter().enumerate() {
                writeln!(
                    out,
                    "{} at_ms={} accessor={} record={} purpose={:?} basis={:?}",
                    from.saturating_add(offset as u64),
                    entry.at,
                    args::ss58(&entry.accessor.0),
                    entry.record,
                    entry.purpose,
                    entry.basis
                )
                .map_err(stdout_error)?;
            }
            match page.next {
                Some(next) => eprintln!("{} entries in all; more: --from {next}", page.len),
                None => eprintln!("{} entries in all", page.len),
            }
        }
        Command::Info => {
            let custodian = custodian(&cli)?;
            let info = custodian.info().await?;
            let text = serde_json::to_string_pretty(&info)
                .map_err(|error| ClientError::Decode { what: "the custodian's info", reason: error.to_string() })?;
            println!("{text}");
            let (chain, records) = connect(&cli).await?;
            flows::check_binding(&chain, records, &info)?;
            eprintln!("the custodian serves this node's chain and records contract {}", args::ss58(&records));
        }
    }
    Ok(())
}

/// The signer from --suri-file, else --suri / HEALTHCHAIN_SURI.
fn signer(cli: &Cli) -> Result<Keypair> {
    let suri = match (&cli.suri_file, &cli.suri) {
        (Some(path), _) => args::read_suri_file(path)?,
        (None, Some(suri)) => suri.clone(),
        (None, None) => return Err(ClientError::Input(
            "no signer: set HEALTHCHAIN_SURI or pass --suri-file FILE (a secret URI such as //Alice on a dev chain)"
                .into(),
        )),
    };
    args::keypair(&suri)
}

fn custodian(cli: &Cli) -> Result<Custodian> {
    let url = cli
        .custodian
        .as_deref()
        .ok_or_else(|| ClientError::Input("no custodian: pass --custodian URL or set HEALTHCHAIN_CUSTODIAN".into()))?;
    Custodian::new(url)
}

/// The records contract of --records, else of --deployment (checked against the node's genesis).
fn records_address(cli: &Cli) -> Result<(Account, Option<[u8; 32]>)> {
    if let Some(records) = &cli.records {
        return Ok((args::account(records)?, None));
    }
    match &cli.deployment {
        Some(path) => {
            let deployment = args::read_deployment(path)?;
            Ok((deployment.records, Some(deployment.genesis)))
        }
        None => Err(ClientError::Input(
            "no records contract: pass --records ADDR or --deployment deployments/<network>.json".into(),
        )),
    }
}

async fn connect(cli: &Cli) -> Result<(Chain, Account)> {
    let (records, genesis) = records_address(cli)?;
    let chain = Chain::connect(&cli.node).await?;
    if let Some(genesis) = genesis {
        if genesis != chain.genesis() {
            return Err(ClientError::Input(format!(
                "the deployment manifest is of the chain with genesis {}, the node at {} has {}: pass the manifest of this chain or the node of that one",
                hex0x::encode(&genesis),
                cli.node,
                hex0x::encode(&chain.genesis())
            )));
        }
    }
    Ok((chain, records))
}

fn read_document(input: Option<&Path>) -> Result<Vec<u8>> {
    let mut document = Vec::new();
    let (what, result) = match input {
        Some(path) => {
            let what = format!("reading {}", path.display());
            match std::fs::File::open(path) {
                Ok(file) => (what, file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut document)),
                Err(source) => return Err(ClientError::Io { what, source }),
            }
        }
        None => (
            "reading stdin".to_owned(),
            std::io::stdin().lock().take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut document),
        ),
    };
    result.map_err(|source| ClientError::Io { what, source })?;
    if document.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(ClientError::Input(format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes: split it")));
    }
    Ok(document)
}

fn refuse_existing(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(ClientError::Input(format!("{} exists: choose a new --output path or remove it", path.display())));
    }
    Ok(())
}

/// Writes the document to a new file readable by its owner only, or to stdout.
fn write_document(output: Option<&Path>, document: &[u8]) -> Result<()> {
    match output {
        Some(path) => {
            let what = || format!("writing {}", path.display());
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(path).map_err(|source| ClientError::Io { what: what(), source })?;
            file.write_all(document)
                .and_then(|()| file.sync_all())
                .map_err(|source| ClientError::Io { what: what(), source })
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(document).and_then(|()| out.flush()).map_err(stdout_error)
        }
    }
}

fn stdout_error(source: std::io::Error) -> ClientError {
    ClientError::Io { what: "writing stdout".into(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> core::result::Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("healthchain").chain(args.iter().copied()))
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn put_takes_patient_class_and_the_global_options_anywhere() {
        let cli = parse(&["put", "--patient", "0x01", "--class", "Labs", "--custodian", "http://c", "--records", "5G"])
            .expect("parses");
        assert_eq!(cli.custodian.as_deref(), Some("http://c"));
        assert_eq!(cli.records.as_deref(), Some("5G"));
        assert_eq!(cli.node, "ws://127.0.0.1:9944");
        match cli.command {
            Command::Put { patient, class, input } => {
                assert_eq!((patient.as_str(), class.as_str(), input), ("0x01", "Labs", None));
            }
            other => panic!("parsed as {other:?}"),
        }
        assert!(parse(&["put", "--class", "Labs"]).is_err(), "the patient is required");
    }

    #[test]
    fn get_needs_a_numeric_record_and_a_purpose() {
        let cli =
            parse(&["--node", "ws://localhost:9955", "get", "--record", "7", "--purpose", "TREAT"]).expect("parses");
        assert_eq!(cli.node, "ws://localhost:9955");
        assert!(matches!(cli.command, Command::Get { record: 7, ref purpose, output: None } if purpose == "TREAT"));
        assert!(parse(&["get", "--record", "seven", "--purpose", "TREAT"]).is_err());
        assert!(parse(&["get", "--record", "7"]).is_err());
    }

    #[test]
    fn paging_commands_have_defaults() {
        let cli = parse(&["releases"]).expect("parses");
        assert!(matches!(cli.command, Command::Releases { from: 0, limit: 100 }));
        let cli = parse(&["disclosures", "--patient", "0x01", "--from", "3"]).expect("parses");
        assert!(matches!(cli.command, Command::Disclosures { from: 3, limit: 50, .. }));
    }

    #[test]
    fn the_suri_file_wins_over_the_suri_and_no_signer_is_a_plain_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("suri");
        std::fs::write(&path, "//Bob").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        let path_text = path.to_str().expect("utf-8 path");
        let cli = parse(&["erase", "--record", "1", "--suri", "//Alice", "--suri-file", path_text]).expect("parses");
        let bob = args::keypair("//Bob").expect("bob");
        assert_eq!(signer(&cli).expect("signer").public_key().0, bob.public_key().0);
        let mut cli = parse(&["erase", "--record", "1"]).expect("parses");
        cli.suri = None; // whatever HEALTHCHAIN_SURI holds in the test environment
        let error = signer(&cli).map(|_| ()).expect_err("no signer");
        assert!(error.to_string().contains("HEALTHCHAIN_SURI"), "{error}");
    }

    #[test]
    fn the_records_address_comes_from_records_or_the_deployment() {
        let mut cli = parse(&["info"]).expect("parses");
        cli.records = None;
        cli.deployment = None;
        assert!(records_address(&cli).expect_err("none").to_string().contains("--records ADDR"));
        let dir = tempfile::tempdir().expect("tempdir");
        let manifest = dir.path().join("local.json");
        let json = format!(
            r#"{{"genesis_hash": "0x{}", "contracts": {{"records": {{"address": "0x{}"}}}}}}"#,
            "11".repeat(32),
            "22".repeat(32)
        );
        std::fs::write(&manifest, json).expect("write");
        cli.deployment = Some(manifest);
        assert_eq!(records_address(&cli).expect("manifest"), ([0x22; 32], Some([0x11; 32])));
        cli.records = Some(format!("0x{}", "33".repeat(32)));
        assert_eq!(records_address(&cli).expect("records wins"), ([0x33; 32], None));
    }

    #[test]
    fn documents_are_written_to_new_private_files_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("note.txt");
        write_document(Some(&path), b"hello").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"hello");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).expect("metadata").permissions().mode() & 0o777, 0o600);
        }
        assert!(refuse_existing(&path).is_err());
        assert!(matches!(write_document(Some(&path), b"again"), Err(ClientError::Io { .. })));
        assert_eq!(std::fs::read(&path).expect("read"), b"hello", "an existing file is never overwritten");
        let input = dir.path().join("in.bin");
        std::fs::write(&input, [7u8; 10]).expect("write");
        assert_eq!(read_document(Some(&input)).expect("read"), vec![7u8; 10]);
        assert!(matches!(read_document(Some(&dir.path().join("missing"))), Err(ClientError::Io { .. })));
    }
}
