//! The custodian's HTTP API (version 1, docs/offchain-format.md section 6), as a client.
//!
//! Every error answer (`{code, message}`) becomes [`ClientError::Http`] with the custodian's stable code; a custodian
//! that cannot be reached becomes [`ClientError::Unreachable`]. Answers are read with a size bound: JSON answers at
//! most [`MAX_JSON_BYTES`], blobs at most the `max_blob_bytes` the custodian announces.

use std::time::Duration;

use healthchain_format::{hex0x, Account, DepositRequest, Hash, ReleaseRequest, ReleaseResponse};
use reqwest::{Method, StatusCode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::error::{ClientError, Result};

/// The largest JSON answer read from a custodian.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// How long connecting to the custodian may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request (including a blob upload or download) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// The most release-log rows one page asks for.
pub const MAX_RELEASES_PAGE: u32 = 1000;

/// `GET /v1/info`: what the custodian serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// The API version (1).
    pub version: u32,
    /// The genesis hash of the chain it serves.
    #[serde(with = "hex0x")]
    pub genesis: Hash,
    /// The records contract it serves.
    #[serde(with = "hex0x")]
    pub records: Account,
    /// Its X25519 public key: data keys are deposited sealed to it.
    #[serde(with = "hex0x")]
    pub custodian_key: [u8; 32],
    /// How old an open may be (by its block's timestamp) to be released against.
    pub release_window_secs: u64,
    /// The largest blob it stores.
    pub max_blob_bytes: u64,
}

/// One row of the custodian's release log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseLogEntry {
    /// The row's position in the log.
    pub seq: u64,
    /// The record whose key was released.
    pub record: u64,
    /// The reader it was released to.
    #[serde(with = "hex0x")]
    pub reader: Account,
    /// The block of the open it was released against.
    #[serde(with = "hex0x")]
    pub block: Hash,
    /// The index of that `RecordOpened` among the block's events.
    pub event_index: u32,
    /// The purpose of use of the open (`Treatment`, ...).
    pub purpose: String,
    /// The basis the open was allowed on (`Patient`, `Author`, `Consent(3)`, `Emergency(1)`).
    pub basis: String,
    /// When the custodian released it, ms since the Unix epoch.
    pub released_at_ms: u64,
}

/// `GET /v1/releases`: a page of the release log and the `from` of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasePage {
    /// The rows, oldest first.
    pub items: Vec<ReleaseLogEntry>,
    /// The `from` of the next page, if rows remain.
    pub next: Option<u64>,
}

/// Whether a PUT or POST created something new or found it there already (the API's 201 and 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Created now (201).
    Created,
    /// Held already: the same blob or the same key (200).
    AlreadyHeld,
}

/// The error body of the API.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

#[derive(Debug, Deserialize)]
struct BlobAnswer {
    #[serde(with = "hex0x")]
    content_hash: Hash,
}

#[derive(Debug, Deserialize)]
struct KeyAnswer {
    record: u64,
}

#[derive(Debug, Deserialize)]
struct HealthAnswer {
    finalized: u32,
}

/// A custodian, by its base URL (`https://custodian.example.org`, no trailing slash needed).
#[derive(Debug, Clone)]
pub struct Custodian {
    base_url: String,
    http: reqwest::Client,
}

impl Custodian {
    /// A client of the custodian at `base_url` (`http://` or `https://`; a trailing `/` is dropped).
    pub fn new(base_url: &str) -> Result<Custodian> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base_url).map_err(|error| {
            ClientError::Input(format!(
                "the custodian URL {base_url:?} is not a URL ({error}): pass one like https://custodian.example.org"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ClientError::Input(format!(
                "the custodian URL {base_url:?} is not an http(s) URL: pass one like https://custodian.example.org"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::Input(format!(
                "the custodian URL {base_url:?} has a query or fragment: pass its base URL only"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| ClientError::Unreachable { url: base_url.clone(), reason: error.to_string() })?;
        Ok(Custodian { base_url, http })
    }

    /// The base URL (without a trailing `/`): what a record's locator starts with.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET /v1/info`.
    pub async fn info(&self) -> Result<Info> {
        let response = self.send(self.http.request(Method::GET, self.url("/v1/info"))).await?;
        self.json(response, "the custodian's info").await
    }

    /// `GET /v1/health`: the custodian's finalized height.
    pub async fn health(&self) -> Result<u32> {
        let response = self.send(self.http.request(Method::GET, self.url("/v1/health"))).await?;
        Ok(self.json::<HealthAnswer>(response, "the custodian's health").await?.finalized)
    }

    /// `PUT /v1/blobs/0x<hash>`: stores `blob` under its content hash.
    pub async fn put_blob(&self, content_hash: &Hash, blob: Vec<u8>) -> Result<Stored> {
        let request = self
            .http
            .request(Method::PUT, self.url(&blob_path(content_hash)))
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(blob);
        let response = self.send(request).await?;
        let stored = stored(response.status());
        let answer: BlobAnswer = self.json(response, "the custodian's blob answer").await?;
        if &answer.content_hash != content_hash {
            return Err(ClientError::Decode {
                what: "the custodian's blob answer",
                reason: format!(
                    "it names the blob {} instead of {}",
                    hex0x::encode(&answer.content_hash),
                    hex0x::encode(content_hash)
                ),
            });
        }
        Ok(stored)
    }

    /// `GET /v1/blobs/0x<hash>`: the blob, refused if it is longer than `max_bytes`. The caller checks its hash.
    pub async fn get_blob(&self, content_hash: &Hash, max_bytes: u64) -> Result<Vec<u8>> {
        let response = self.send(self.http.request(Method::GET, self.url(&blob_path(content_hash)))).await?;
        let limit = usize::try_from(max_bytes).unwrap_or(usize::MAX);
        self.body(response, limit, "the blob").await
    }

    /// `POST /v1/keys`: deposits a record's data key.
    pub async fn deposit(&self, request: &DepositRequest) -> Result<Stored> {
        let response = self.send(self.http.request(Method::POST, self.url("/v1/keys")).json(request)).await?;
        let stored = stored(response.status());
        let answer: KeyAnswer = self.json(response, "the custodian's deposit answer").await?;
        if answer.record != request.record {
            return Err(ClientError::Decode {
                what: "the custodian's deposit answer",
                reason: format!("it names record {} instead of {}", answer.record, request.record),
            });
        }
        Ok(stored)
    }

    /// `POST /v1/releases`: asks for a record's data key against a finalized open.
    pub async fn release(&self, request: &ReleaseRequest) -> Result<ReleaseResponse> {
        let response = self.send(self.http.request(Method::POST, self.url("/v1/releases")).json(request)).await?;
        let answer: ReleaseResponse = self.json(response, "the custodian's release answer").await?;
        if answer.record != request.record || answer.block != request.block {
            return Err(ClientError::Decode {
                what: "the custodian's release answer",
                reason: "it names another record or block than the request".into(),
            });
        }
        Ok(answer)
    }

    /// `GET /v1/releases?from=N&limit=M`: a page of the release log (`limit` from 1 to [`MAX_RELEASES_PAGE`]).
    pub async fn releases(&self, from: u64, limit: u32) -> Result<ReleasePage> {
        let limit = limit.clamp(1, MAX_RELEASES_PAGE);
        let request = self
            .http
            .request(Method::GET, self.url("/v1/releases"))
            .query(&[("from", from), ("limit", u64::from(limit))]);
        let response = self.send(request).await?;
        self.json(response, "the custodian's release log").await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends `request`; an error answer becomes [`ClientError::Http`].
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let response = request.send().await.map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = self.body(response, MAX_JSON_BYTES, "an error answer").await?;
        Err(http_error(status, &body))
    }

    async fn json<T: DeserializeOwned>(&self, response: reqwest::Response, what: &'static str) -> Result<T> {
        let body = self.body(response, MAX_JSON_BYTES, what).await?;
        serde_json::from_slice(&body).map_err(|error| ClientError::Decode { what, reason: error.to_string() })
    }

    /// The body, read chunk by chunk and refused once it passes `limit` bytes.
    async fn body(&self, mut response: reqwest::Response, limit: usize, what: &'static str) -> Result<Vec<u8>> {
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large(what, limit));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| self.unreachable(&error))? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(too_large(what, limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn unreachable(&self, error: &reqwest::Error) -> ClientError {
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !reason.contains(&text) {
                reason = format!("{reason}: {text}");
            }
            source = cause.source();
        }
        ClientError::Unreachable { url: self.base_url.clone(), reason }
    }
}

/// `/v1/blobs/0x<hash>`.
fn blob_path(content_hash: &Hash) -> String {
    format!("/v1/blobs/{}", hex0x::encode(content_hash))
}

fn stored(status: StatusCode) -> Stored {
    if status == StatusCode::CREATED {
        Stored::Created
    } else {
        Stored::AlreadyHeld
    }
}

fn too_large(what: &'static str, limit: usize) -> ClientError {
    ClientError::Decode { what, reason: format!("the custodian sent more than {limit} bytes") }
}

/// The [`ClientError::Http`] of an error answer: its `{code, message}`, or `http_<status>` and the start of the body
/// when it is not an error of the API.
pub(crate) fn http_error(status: StatusCode, body: &[u8]) -> ClientError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(error) => ClientError::Http { status: status.as_u16(), code: error.code, message: one_line(&error.message) },
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text: String = one_line(&text).chars().take(200).collect();
            let message =
                if text.is_empty() { status.canonical_reason().unwrap_or("no reason").to_owned() } else { text };
            ClientError::Http { status: status.as_u16(), code: format!("http_{}", status.as_u16()), message }
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
