//! The custodian's HTTP API, version 1 (docs/offchain-format.md, section 6). Every error answers
//! `{code, message}`; blob bodies are limited to `max_blob_bytes`, JSON bodies to [`crate::MAX_JSON_BYTES`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use healthchain_format::{content_hash, hex0x, DepositRequest, Hash, ReleaseRequest};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::deposit::DepositOutcome;
use crate::{ApiError, Custodian, MAX_JSON_BYTES};

/// The version of the API and format, as `GET /v1/info` reports it.
pub const VERSION: u32 = 1;
/// The most rows one `GET /v1/releases` answers.
pub const MAX_PAGE: u32 = 100;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "code": self.code(), "message": self.to_string() }))).into_response()
    }
}

type Shared = State<Arc<Custodian>>;

/// The API's routes over `custodian`.
pub fn router(custodian: Arc<Custodian>) -> Router {
    let blob_limit = custodian.settings().max_blob_bytes;
    Router::new()
        .route("/v1/info", get(info))
        .route("/v1/health", get(health))
        .route("/v1/blobs/:hash", get(get_blob).put(put_blob).layer(DefaultBodyLimit::max(blob_limit)))
        .route("/v1/keys", post(post_key).layer(DefaultBodyLimit::max(MAX_JSON_BYTES)))
        .route("/v1/releases", post(post_release).get(list_releases).layer(DefaultBodyLimit::max(MAX_JSON_BYTES)))
        .fallback(no_route)
        .with_state(custodian)
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::MalformedRequest(format!("no route {method} {}: see the custodian's HTTP API v1", uri.path()))
}

fn body(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::BodyTooLarge { limit }
        } else {
            ApiError::MalformedRequest(format!("could not read the body: {}", rejection.body_text()))
        }
    })
}

fn json_body<T: for<'de> Deserialize<'de>>(bytes: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body(bytes, MAX_JSON_BYTES)?;
    serde_json::from_slice(&bytes).map_err(|error| ApiError::MalformedRequest(format!("the JSON body: {error}")))
}

fn path_hash(text: &str) -> Result<Hash, ApiError> {
    hex0x::decode::<32>(text)
        .map_err(|error| ApiError::MalformedRequest(format!("the content hash in the path: {error}")))
}

#[derive(Serialize)]
struct Info {
    version: u32,
    #[serde(with = "hex0x")]
    genesis: Hash,
    #[serde(with = "hex0x")]
    records: Hash,
    #[serde(with = "hex0x")]
    custodian_key: [u8; 32],
    release_window_secs: u64,
    max_blob_bytes: usize,
}

async fn info(State(custodian): Shared) -> Json<Info> {
    let binding = custodian.binding();
    Json(Info {
        version: VERSION,
        genesis: binding.genesis,
        records: binding.records,
        custodian_key: custodian.public_key(),
        release_window_secs: custodian.settings().release_window_secs,
        max_blob_bytes: custodian.settings().max_blob_bytes,
    })
}

async fn health(State(custodian): Shared) -> Result<Json<serde_json::Value>, ApiError> {
    let head = custodian.chain().finalized_head().await?;
    Ok(Json(json!({ "finalized": head.number })))
}

#[derive(Serialize)]
struct Stored {
    #[serde(with = "hex0x")]
    content_hash: Hash,
}

async fn put_blob(
    State(custodian): Shared,
    Path(hash): Path<String>,
    blob: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Stored>), ApiError> {
    let hash = path_hash(&hash)?;
    let blob = body(blob, custodian.settings().max_blob_bytes)?;
    let actual = content_hash(&blob);
    if actual != hash {
        return Err(ApiError::HashMismatch { actual });
    }
    let status = if custodian.blobs().exists(&hash).await? {
        StatusCode::OK
    } else {
        custodian.blobs().put(&hash, blob).await?;
        StatusCode::CREATED
    };
    Ok((status, Json(Stored { content_hash: hash })))
}

async fn get_blob(State(custodian): Shared, Path(hash): Path<String>) -> Result<Response, ApiError> {
    let hash = path_hash(&hash)?;
    let blob = custodian.blobs().get(&hash).await?.ok_or(ApiError::BlobNotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], blob).into_response())
}

async fn post_key(
    State(custodian): Shared,
    request: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let request: DepositRequest = json_body(request)?;
    let record = request.record;
    let status = match crate::deposit::deposit(&custodian, request).await? {
        DepositOutcome::Stored => StatusCode::CREATED,
        DepositOutcome::AlreadyHeld => StatusCode::OK,
    };
    Ok((status, Json(json!({ "record": record }))))
}

async fn post_release(
    State(custodian): Shared,
    request: Result<Bytes, BytesRejection>,
) -> Result<Json<healthchain_format::ReleaseResponse>, ApiError> {
    let request: ReleaseRequest = json_body(request)?;
    Ok(Json(crate::release::release(&custodian, request).await?))
}

#[derive(Deserialize)]
struct Page {
    from: Option<u64>,
    limit: Option<u32>,
}

#[derive(Serialize)]
struct Releases {
    items: Vec<crate::keys::ReleaseRow>,
    next: Option<u64>,
}

async fn list_releases(
    State(custodian): Shared,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Releases>, ApiError> {
    let Query(page) = page.map_err(|rejection| ApiError::MalformedRequest(rejection.body_text()))?;
    let from = page.from.unwrap_or(0);
    let limit = match page.limit {
        None => MAX_PAGE,
        Some(0) => return Err(ApiError::MalformedRequest("limit must be at least 1".into())),
        Some(limit) => limit.min(MAX_PAGE),
    };
    let (items, next) = custodian.with_keys(move |keys| Ok(keys.releases(from, limit)?)).await?;
    Ok(Json(Releases { items, next }))
}
