//! `healthchain-custodian`: the key custodian of one data holder. See `healthchain-custodian --help` and
//! docs/offchain-format.md.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use healthchain_custodian::blobs::{BlobStore, DirStore, S3Store};
use healthchain_custodian::chain_view::{Cached, ChainView};
use healthchain_custodian::config::{BlobsConfig, Config};
use healthchain_custodian::keys::KeyStore;
use healthchain_custodian::master_key::{MasterKey, Origin};
use healthchain_custodian::shredder::Shredder;
use healthchain_custodian::subxt_view::SubxtChainView;
use healthchain_custodian::{http, system_clock, Custodian};
use healthchain_format::hex0x;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Config::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

async fn run(config: Config) -> Result<(), Error> {
    let (records_text, deployment) = config.records()?;
    let records = healthchain_client::args::account(&records_text).map_err(|error| format!("--records: {error}"))?;
    let node = config
        .node
        .clone()
        .or_else(|| deployment.as_ref().and_then(|deployment| deployment.url.clone()))
        .unwrap_or_else(|| "ws://127.0.0.1:9944".into());

    std::fs::create_dir_all(&config.data_dir)
        .map_err(|error| format!("data dir {}: {error}", config.data_dir.display()))?;
    let master_path = config.master_key_path();
    let (master, origin) = MasterKey::load_or_generate(&master_path)?;
    if origin == Origin::Generated {
        eprintln!(
            "generated a new master key at {} (mode 0600): back it up somewhere safe; losing it loses every stored \
             data key, and anyone who reads it reads them all",
            master_path.display()
        );
    }

    let view = SubxtChainView::connect(&node, records).await?;
    let binding = view.binding();
    if let Some(expected) = deployment.as_ref().and_then(|deployment| deployment.genesis.as_deref()) {
        if !expected.eq_ignore_ascii_case(&hex0x::encode(&binding.genesis)) {
            return Err(format!(
                "the node at {node} runs the chain with genesis {}, the deployment manifest was written for {expected}: \
                 point --node at that chain or deploy anew",
                hex0x::encode(&binding.genesis)
            )
            .into());
        }
    }
    let chain: Arc<dyn ChainView> = Arc::new(Cached::new(view));

    let secret = master.x25519_secret();
    let keys = KeyStore::open(&config.database_path(), master, &binding)?;
    let (blobs, blobs_at): (Arc<dyn BlobStore>, String) = match config.blobs()? {
        BlobsConfig::Dir(dir) => (Arc::new(DirStore::open(&dir)?), dir.display().to_string()),
        BlobsConfig::S3(s3) => {
            let at = format!("s3://{} ({})", s3.bucket, s3.endpoint.as_deref().unwrap_or("AWS"));
            (Arc::new(S3Store::new(&s3)?), at)
        }
    };
    let custodian =
        Arc::new(Custodian::new(chain.clone(), keys.clone(), blobs.clone(), secret, config.settings(), system_clock()));

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error} (pass another --listen)", config.listen))?;
    let key_count = keys.key_count()?;
    eprintln!(
        "healthchain-custodian listening on {} (public URL {}), records {} on genesis {} via {node}, {key_count} keys \
         held, blobs in {blobs_at}, custodian key {}",
        config.listen,
        config.public_url(),
        hex0x::encode(&binding.records),
        hex0x::encode(&binding.genesis),
        hex0x::encode(&custodian.public_key()),
    );

    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let shredder = Shredder { chain, keys, blobs, clock: system_clock() };
    let shredding = tokio::spawn(shredder.run(async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    }));
    let served = axum::serve(listener, http::router(custodian)).with_graceful_shutdown(shutdown_signal()).await;
    let _ = stop.send(true);
    let _ = shredding.await;
    served.map_err(|error| format!("the HTTP server failed: {error}"))?;
    eprintln!("healthchain-custodian stopped");
    Ok(())
}
