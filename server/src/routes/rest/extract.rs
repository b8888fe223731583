//! Extractors of the REST door: the caller, JSON bodies with field paths in their errors,
//! `If-Match` versions and the `?simulation=` selector.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use backend::services::auth::{authenticate, Principal};
use backend::services::simulation::Target;
use backend::state::AppState;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wire::error::{ApiError, ErrorCode};

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The authenticated caller.
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authenticate(state, parts).await.map(Caller)
    }
}

/// A JSON body as a value, for the door to parse into its typed request (errors name field paths).
pub struct JsonBody(pub serde_json::Value);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        if let Some(declared) = req.headers().get(header::CONTENT_TYPE) {
            if !is_json(declared.as_bytes()) {
                let declared = String::from_utf8_lossy(declared.as_bytes()).into_owned();
                return Err(ApiError::new(ErrorCode::UnsupportedMediaType, format!("the body must be JSON, not `{declared}`"))
                    .with_details(serde_json::json!({ "field": "Content-Type", "rule": "application/json" })));
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ErrorCode::PayloadTooLarge, format!("the body is larger than {} KiB", BODY_LIMIT / 1024))
                    .with_details(serde_json::json!({ "field": "body", "rule": "at most 64 KiB" }))
            } else {
                ApiError::validation("body", rejection.body_text())
            }
        })?;
        wire::json::parse_json_bytes(&bytes).map(JsonBody)
    }
}

/// `application/json` or a `+json` type, with or without parameters. A body sent without a
/// `Content-Type` is read as JSON too (curl's `-d` habit); a body declared as anything else is
/// refused with 415 before it is read.
fn is_json(value: &[u8]) -> bool {
    let value = String::from_utf8_lossy(value);
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A JSON body parsed into `T`; unknown fields and wrong types are named by path.
pub struct Typed<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Typed<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let JsonBody(value) = JsonBody::from_request(req, state).await?;
        wire::parse_json(value).map(Typed)
    }
}

/// The version named by `If-Match` (`3`, `"3"` or `W/"3"`), if any.
pub struct IfMatch(pub Option<i64>);

impl FromRequestParts<AppState> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(axum::http::header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(|v| IfMatch(Some(v)))
            .ok_or_else(|| ApiError::validation("If-Match", "must be a simulation version such as \"3\""))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulationQuery {
    simulation: Option<String>,
}

/// `?simulation=<id or name>`; absent means the default simulation.
pub struct Sim(pub Target);

impl FromRequestParts<AppState> for Sim {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Query(q) =
            Query::<SimulationQuery>::from_request_parts(parts, state).await.map_err(|e| ApiError::validation("query", e.body_text()))?;
        Ok(Sim(Target(q.simulation)))
    }
}

/// Query parameters parsed into `T`, errors naming the parameter.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Params(q))
            .map_err(|e| ApiError::validation("query", e.body_text()))
    }
}
