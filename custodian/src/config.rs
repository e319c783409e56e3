//! Command-line arguments and environment of `healthchain-custodian`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::blobs::S3Config;
use crate::Settings;

/// healthchain's key custodian: stores encrypted blobs and data keys, releases a key only against a finalized
/// on-chain open, shreds erased records.
#[derive(Debug, Clone, Parser)]
#[command(name = "healthchain-custodian", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HEALTHCHAIN_CUSTODIAN_LISTEN", default_value = "127.0.0.1:8420")]
    pub listen: SocketAddr,
    /// The node's WebSocket URL (default: the deployment manifest's url, else ws://127.0.0.1:9944).
    #[arg(long, env = "HEALTHCHAIN_NODE")]
    pub node: Option<String>,
    /// The records contract's address (0x hex or SS58).
    #[arg(long, env = "HEALTHCHAIN_RECORDS", conflicts_with = "deployment")]
    pub records: Option<String>,
    /// A deployment manifest (deployments/<network>.json) naming the records contract.
    #[arg(long, env = "HEALTHCHAIN_DEPLOYMENT")]
    pub deployment: Option<PathBuf>,
    /// Where the key store and (by default) the blobs and master key live.
    #[arg(long, env = "HEALTHCHAIN_CUSTODIAN_DATA", default_value = "./custodian-data")]
    pub data_dir: PathBuf,
    /// The master key file (default: <data-dir>/master.key; generated on first start).
    #[arg(long, env = "HEALTHCHAIN_CUSTODIAN_MASTER_KEY")]
    pub master_key: Option<PathBuf>,
    /// The blob store: `dir` (<data-dir>/blobs), a directory path, or `s3://bucket`.
    #[arg(long, env = "HEALTHCHAIN_CUSTODIAN_BLOBS", default_value = "dir")]
    pub blobs: String,
    /// The S3 endpoint URL (for S3-compatible stores; plain http only on loopback).
    #[arg(long, env = "HEALTHCHAIN_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// The S3 region.
    #[arg(long, env = "HEALTHCHAIN_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    /// How old an open may be when its release is requested, in seconds.
    #[arg(long, env = "HEALTHCHAIN_RELEASE_WINDOW_SECS", default_value_t = 600)]
    pub release_window_secs: u64,
    /// How far a request's time may be from the custodian's clock, in seconds.
    #[arg(long, env = "HEALTHCHAIN_CLOCK_SKEW_SECS", default_value_t = 120)]
    pub clock_skew_secs: u64,
    /// The largest blob accepted, in bytes.
    #[arg(long, env = "HEALTHCHAIN_MAX_BLOB_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_blob_bytes: usize,
    /// The base URL clients reach this custodian at (used in locators; default: http://<listen>).
    #[arg(long, env = "HEALTHCHAIN_CUSTODIAN_URL")]
    pub public_url: Option<String>,
}

/// Where blobs are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsConfig {
    /// A local directory.
    Dir(PathBuf),
    /// An S3-compatible bucket.
    S3(S3Config),
}

/// A configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Neither --records nor --deployment.
    #[error("no records contract: pass --records <address> or --deployment deployments/<network>.json")]
    NoRecords,
    /// The manifest could not be read.
    #[error("deployment manifest {path}: {reason}")]
    Manifest {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// `s3://` without a bucket.
    #[error("--blobs s3:// needs a bucket: s3://<bucket>")]
    NoBucket,
}

/// What a deployment manifest says of the records contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The records contract's address as written (SS58 or 0x hex).
    pub records: String,
    /// The node URL it was deployed through.
    pub url: Option<String>,
    /// The genesis hash it was deployed on (0x hex).
    pub genesis: Option<String>,
}

/// Reads deployments/<network>.json (written by scripts/deploy.sh).
pub fn read_deployment(path: &Path) -> Result<Deployment, ConfigError> {
    let fail = |reason: String| ConfigError::Manifest { path: path.to_path_buf(), reason };
    let text = std::fs::read_to_string(path).map_err(|error| fail(error.to_string()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|error| fail(error.to_string()))?;
    let records = manifest["contracts"]["records"]["address"]
        .as_str()
        .ok_or_else(|| fail("no contracts.records.address: deploy with scripts/deploy.sh".into()))?;
    Ok(Deployment {
        records: records.to_string(),
        url: manifest["url"].as_str().map(str::to_string),
        genesis: manifest["genesis_hash"].as_str().map(str::to_string),
    })
}

impl Config {
    /// The settings of the release and upload checks.
    pub fn settings(&self) -> Settings {
        Settings {
            release_window_secs: self.release_window_secs,
            clock_skew_secs: self.clock_skew_secs,
            max_blob_bytes: self.max_blob_bytes,
        }
    }

    /// The master key file.
    pub fn master_key_path(&self) -> PathBuf {
        self.master_key.clone().unwrap_or_else(|| self.data_dir.join("master.key"))
    }

    /// The key store database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("keys.sqlite")
    }

    /// The base URL of locators.
    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// The records contract (as written) and, with --deployment, the manifest.
    pub fn records(&self) -> Result<(String, Option<Deployment>), ConfigError> {
        match (&self.records, &self.deployment) {
            (Some(records), _) => Ok((records.clone(), None)),
            (None, Some(path)) => {
                let deployment = read_deployment(path)?;
                Ok((deployment.records.clone(), Some(deployment)))
            }
            (None, None) => Err(ConfigError::NoRecords),
        }
    }

    /// Where blobs are kept; S3 credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    pub fn blobs(&self) -> Result<BlobsConfig, ConfigError> {
        if self.blobs == "dir" {
            return Ok(BlobsConfig::Dir(self.data_dir.join("blobs")));
        }
        if let Some(bucket) = self.blobs.strip_prefix("s3://") {
            let bucket = bucket.trim_end_matches('/');
            if bucket.is_empty() {
                return Err(ConfigError::NoBucket);
            }
            return Ok(BlobsConfig::S3(S3Config {
                bucket: bucket.to_string(),
                endpoint: self.s3_endpoint.clone(),
                region: self.s3_region.clone(),
                access_key_id: std::env::var("AWS_ACCESS_KEY_ID").ok(),
                secret_access_key: std::env::var("AWS_SECRET_ACCESS_KEY").ok(),
            }));
        }
        Ok(BlobsConfig::Dir(PathBuf::from(&self.blobs)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = Config::try_parse_from(["healthchain-custodian", "--records", "0x00"]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8420");
        assert_eq!(config.settings(), Settings::default());
        assert_eq!(config.master_key_path(), PathBuf::from("./custodian-data/master.key"));
        assert_eq!(config.blobs().unwrap(), BlobsConfig::Dir(PathBuf::from("./custodian-data/blobs")));
        assert_eq!(config.public_url(), "http://127.0.0.1:8420");
    }

    #[test]
    fn s3_blobs_name_a_bucket() {
        let config = Config::try_parse_from([
            "x",
            "--records",
            "0x00",
            "--blobs",
            "s3://b",
            "--s3-endpoint",
            "http://127.0.0.1:9",
        ])
        .unwrap();
        let BlobsConfig::S3(s3) = config.blobs().unwrap() else { panic!("not s3") };
        assert_eq!((s3.bucket.as_str(), s3.endpoint.as_deref()), ("b", Some("http://127.0.0.1:9")));
        let config = Config::try_parse_from(["x", "--records", "0x00", "--blobs", "s3://"]).unwrap();
        assert!(matches!(config.blobs(), Err(ConfigError::NoBucket)));
    }

    #[test]
    fn the_records_contract_comes_from_the_flag_or_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("local.json");
        std::fs::write(
            &manifest,
            r#"{"url": "ws://127.0.0.1:9944", "genesis_hash": "0xab", "contracts": {"records": {"address": "5Abc"}}}"#,
        )
        .unwrap();
        let config = Config::try_parse_from(["x", "--deployment", manifest.to_str().unwrap()]).unwrap();
        let (records, deployment) = config.records().unwrap();
        assert_eq!(records, "5Abc");
        assert_eq!(deployment.unwrap().url.as_deref(), Some("ws://127.0.0.1:9944"));
        let config = Config::try_parse_from(["x"]).unwrap();
        assert!(matches!(config.records(), Err(ConfigError::NoRecords)));
        std::fs::write(&manifest, r#"{"contracts": {}}"#).unwrap();
        let config = Config::try_parse_from(["x", "--deployment", manifest.to_str().unwrap()]).unwrap();
        assert!(config.records().unwrap_err().to_string().contains("contracts.records.address"));
    }
}
