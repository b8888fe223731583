//! Server functions answer every error with status 500 and the error's JSON body. This layer
//! reads the body's stable `code` and sets the status that code stands for, so the
//! `/api/v1/...` door gives the same statuses as REST.

use app::error::{ApiError, ErrorCode};
use axum::body::{to_bytes, Body};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

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
    let code = serde_json::from_slice::<ApiError>(&bytes).map(|e| e.code).unwrap_or(ErrorCode::Internal);
    parts.status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}
