//! Server functions answer every error with status 500 and the error's JSON body. This layer
//! reads the body's stable `code` and sets the status that code stands for, so the
//! `/api/v1/...` door gives the same statuses as REST.

use axum::body::{to_bytes, Body};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use wire::error::{ApiError, ErrorCode};

/// Error bodies are small; anything larger is passed through untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Sets the status of a server function's error response from its `code`.
pub async fn map_status(response: Response) -> Response {
    if !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    let error = serde_json::from_slice::<ApiError>(&bytes).ok();
    let code = error.as_ref().map(|e| e.code).unwrap_or(ErrorCode::Internal);
    parts.status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(seconds) = error.and_then(|e| e.retry_after_seconds()) {
        parts.headers.insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    parts.headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}

/// A body over the limit is refused by the limit layer with a plain-text 413 before any
/// handler runs; give it the shared JSON error shape.
pub async fn json_payload_too_large(response: Response) -> Response {
    let is_json = response.headers().get(axum::http::header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || is_json {
        return response;
    }
    axum::response::IntoResponse::into_response(
        ApiError::new(ErrorCode::PayloadTooLarge, "the body is larger than 64 KiB")
            .with_details(serde_json::json!({ "field": "body", "rule": "at most 64 KiB" })),
    )
}
