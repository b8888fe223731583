//! One guard for every door: PostgreSQL's text types cannot hold the NUL character, so a name,
//! username, scenario or theme text, KRUXT SQL, RPC argument or Discord option carrying one
//! would fail deep inside a store. This layer refuses such a request before any handler runs,
//! with `400 VALIDATION` naming the field: the JSON path in a body (`member.username`), the
//! parameter of a query string or form, or `path`.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use wire::error::{ApiError, ErrorCode};

/// The rule, as every refusal states it.
const RULE: &str = "must not contain the NUL character (\\u0000)";

/// Refuses a request whose path, query or body carries a NUL character.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    if let Some(field) = nul_in_path(request.uri().path()).or_else(|| request.uri().query().and_then(nul_in_form)) {
        return refusal(&field);
    }
    if !may_have_body(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The limit layer outside this one bounds the body; past it the read fails.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return ApiError::new(ErrorCode::PayloadTooLarge, "the body is larger than 64 KiB")
                .with_details(serde_json::json!({ "field": "body", "rule": "at most 64 KiB" }))
                .into_response()
        }
    };
    let is_form =
        parts.headers.get(axum::http::header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded"));
    let found = if is_form { nul_in_form_bytes(&bytes) } else { nul_in_body(&bytes) };
    if let Some(field) = found {
        return refusal(&field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn may_have_body(request: &Request) -> bool {
    use axum::http::Method;
    matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

fn refusal(field: &str) -> Response {
    ApiError::validation(field, RULE).into_response()
}

/// `path` when the decoded path holds a NUL.
fn nul_in_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).collect::<Vec<u8>>();
    decoded.contains(&0).then(|| "path".to_owned())
}

/// The name of the first form or query parameter whose name or value holds a NUL.
fn nul_in_form(text: &str) -> Option<String> {
    nul_in_form_bytes(text.as_bytes())
}

fn nul_in_form_bytes(bytes: &[u8]) -> Option<String> {
    form_urlencoded::parse(bytes).find(|(key, value)| key.contains('\0') || value.contains('\0')).map(|(key, _)| {
        if key.contains('\0') || key.is_empty() {
            "query".to_owned()
        } else {
            key.into_owned()
        }
    })
}

/// The JSON path of the first string or key holding a NUL, or `body` for a raw NUL byte.
fn nul_in_body(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return Some("body".to_owned());
    }
    // Only JSON's escape can smuggle one in; parse only when it appears.
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let mut path = Vec::new();
    find_nul(&value, &mut path).then(|| if path.is_empty() { "body".to_owned() } else { path.join(".") })
}

/// Depth-first search; on success `path` names the offending value (or key).
fn find_nul(value: &Value, path: &mut Vec<String>) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            path.push(i.to_string());
            let found = find_nul(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Object(map) => map.iter().any(|(key, item)| {
            path.push(key.replace('\0', "\\u0000"));
            let found = key.contains('\0') || find_nul(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_a_nested_json_string_is_named_by_its_path() {
        let body = br#"{"sandbox": "x", "member": {"username": "\u0000\u00d0"}}"#;
        assert_eq!(nul_in_body(body).as_deref(), Some("member.username"));
        let list = br#"{"args": {"names": ["ok", "bad\u0000"]}}"#;
        assert_eq!(nul_in_body(list).as_deref(), Some("args.names.1"));
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_plain_text() {
        assert_eq!(nul_in_body(br#"{"sql": "select '\\u0000'"}"#), None);
        assert_eq!(nul_in_body(br#"{"name": "ok"}"#), None);
    }

    #[test]
    fn forms_queries_and_paths_are_checked_after_decoding() {
        assert_eq!(nul_in_form("simulation=a%00b").as_deref(), Some("simulation"));
        assert_eq!(nul_in_form("simulation=ab"), None);
        assert_eq!(nul_in_path("/sandbox/x/scenarios/a%00b").as_deref(), Some("path"));
        assert_eq!(nul_in_path("/sandbox/x/scenarios/ab"), None);
        assert_eq!(nul_in_body(b"raw \0 byte").as_deref(), Some("body"));
    }
}
