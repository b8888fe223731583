//! The one error type every door returns: a stable code, a message for people, and details
//! for programs. Internal causes are logged where they happen and never sent.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable error codes shared by REST, server functions, Discord and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    Validation,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    VersionConflict,
    SandboxLimit,
    SandboxNameTaken,
    SandboxState,
    RateLimited,
    StoreUnavailable,
    Internal,
}

impl ErrorCode {
    /// The HTTP status that carries this code.
    pub fn status(self) -> u16 {
        match self {
            Self::Validation => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict | Self::VersionConflict | Self::SandboxNameTaken | Self::SandboxState => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::SandboxLimit => 422,
            Self::RateLimited => 429,
            Self::StoreUnavailable => 503,
            Self::Internal => 500,
        }
    }

    /// The code as it appears on the wire (`VERSION_CONFLICT`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "VALIDATION",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::VersionConflict => "VERSION_CONFLICT",
            Self::SandboxLimit => "SANDBOX_LIMIT",
            Self::SandboxNameTaken => "SANDBOX_NAME_TAKEN",
            Self::SandboxState => "SANDBOX_STATE",
            Self::RateLimited => "RATE_LIMITED",
            Self::StoreUnavailable => "STORE_UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }

    /// Parses a wire code back; unknown codes read as `INTERNAL`.
    pub fn parse(code: &str) -> Self {
        serde_json::from_value(serde_json::Value::String(code.to_owned())).unwrap_or(Self::Internal)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON error body `{code, message, details}` of every door.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
    /// The SQLSTATE of a KRUXT database's answer (also in `details`), so a KRUXT error reads
    /// `{code, message, sqlstate}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlstate: Option<String>,
    /// What was not found (`sandbox`, `route`), for callers in this process that react to it
    /// (the Discord door adds a hint for a sandbox); never sent.
    #[serde(skip)]
    pub missing: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: serde_json::Value::Null, sqlstate: None, missing: None }
    }

    /// Adds machine-readable details (the field, the rule, valid values...).
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    /// A validation error naming the field and the rule it broke.
    pub fn validation(field: &str, rule: impl Into<String>) -> Self {
        let rule = rule.into();
        Self::new(ErrorCode::Validation, format!("{field}: {rule}")).with_details(serde_json::json!({ "field": field, "rule": rule }))
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        let what = what.into();
        Self { missing: Some(what.clone()), ..Self::new(ErrorCode::NotFound, format!("{what} not found")) }
    }

    /// A store that cannot be reached; `store` names it (`postgres`, `redis`).
    pub fn store_unavailable(store: &str) -> Self {
        Self::new(ErrorCode::StoreUnavailable, format!("{store} is unavailable; try again shortly"))
            .with_details(serde_json::json!({ "store": store }))
    }

    /// Validation errors from the engine: the first one's sentence, all of them in `details`.
    pub fn fields(errors: &domain::FieldErrors) -> Self {
        let list: Vec<&domain::FieldError> = errors.iter().collect();
        let message = match list.as_slice() {
            [] => "invalid input".to_owned(),
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        };
        let field = list.first().map(|e| e.path.clone()).unwrap_or_default();
        Self::new(ErrorCode::Validation, message).with_details(serde_json::json!({ "field": field, "errors": list }))
    }

    /// A role too low for the operation.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    /// An unexpected failure: the cause is logged here and never sent to the client.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::Internal, "internal error; it has been logged")
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The field the error is about (`details.field`), when it names one.
    pub fn field(&self) -> Option<&str> {
        self.details.get("field").and_then(serde_json::Value::as_str)
    }

    /// The SQLSTATE of a KRUXT database's answer (or of a store failure that has one).
    pub fn sqlstate(&self) -> Option<&str> {
        self.sqlstate.as_deref().or_else(|| self.details.get("sqlstate").and_then(serde_json::Value::as_str))
    }

    /// Known names close to an unknown one (`details.nearMatches`).
    pub fn near_matches(&self) -> Vec<String> {
        strings(self.details.get("nearMatches"))
    }

    /// The theme id of the sandbox the request did not fit (`details.themeId`), for an answer
    /// that a sandbox is of the other kind.
    pub fn theme_id(&self) -> Option<&str> {
        self.details.get("themeId").and_then(serde_json::Value::as_str)
    }

    /// Every problem of a refused file (`details.errors`: path, line, column, message).
    pub fn listed_errors(&self) -> Vec<ListedError> {
        self.details.get("errors").and_then(|e| serde_json::from_value::<Vec<ListedError>>(e.clone()).ok()).unwrap_or_default()
    }

    /// For `RATE_LIMITED`: the seconds the client should wait (the `Retry-After` header).
    pub fn retry_after_seconds(&self) -> Option<u64> {
        (self.code == ErrorCode::RateLimited).then(|| self.details["retryAfterSeconds"].as_u64()).flatten()
    }
}

/// One problem of a refused file or request, as `details.errors` lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ListedError {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub line: Option<u64>,
    #[serde(default)]
    pub column: Option<u64>,
    #[serde(default)]
    pub message: String,
}

fn strings(value: Option<&serde_json::Value>) -> Vec<String> {
    value
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

impl server_fn::error::FromServerFnError for ApiError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::MissingArg(m) | E::Deserialization(m) => Self::new(ErrorCode::Validation, format!("request body: {m}"))
                .with_details(serde_json::json!({ "field": "body", "rule": m })),
            E::Request(m) => Self::new(ErrorCode::StoreUnavailable, format!("the server could not be reached: {m}")),
            other => Self::new(ErrorCode::Internal, other.to_string()),
        }
    }
}

#[cfg(feature = "axum")]
impl axum::response::IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after_seconds();
        let mut response = (status, axum::Json(self)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_wire_names() {
        for code in [ErrorCode::VersionConflict, ErrorCode::StoreUnavailable, ErrorCode::RateLimited] {
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
    }

    #[test]
    fn a_store_outage_is_a_503_naming_the_store() {
        let err = ApiError::store_unavailable("redis");
        assert_eq!(err.status(), 503);
        let body = serde_json::to_value(&err).unwrap();
        assert_eq!(body["code"], "STORE_UNAVAILABLE");
        assert_eq!(body["details"]["store"], "redis");
    }
}
