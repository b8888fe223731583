//! The one JSON parser of every door: a body (or a JSON value a door already holds) into a
//! typed request, with a failure naming the field's path and the rule it broke.

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses `value` into `T`; unknown fields and wrong types are `400 VALIDATION` naming the path
/// (`check.target`), or `body` for the whole value.
pub fn parse_json<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::validation(if path == "." { "body" } else { &path }, e.inner().to_string())
    })
}

/// Parses JSON bytes into `T`: not JSON at all is `400 VALIDATION` on `body` with the line and
/// column; anything else as `parse_json`.
pub fn parse_json_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::validation("body", "a JSON body is required"));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::validation("body", format!("not valid JSON: {e}"))
            .with_details(serde_json::json!({ "field": "body", "rule": "JSON", "line": e.line(), "column": e.column() }))
    })?;
    parse_json(value)
}

/// A state patch (`PATCH .../simulation/state`), read by the engine's own rules: every problem
/// named by its field.
pub fn parse_state_patch(value: &Value) -> Result<domain::StatePatch, ApiError> {
    domain::StatePatch::from_json(value).map_err(|e| ApiError::fields(&e))
}

/// Threshold overrides (`PATCH .../simulation/thresholds`), read by the engine's own rules.
pub fn parse_threshold_overrides(value: &Value) -> Result<domain::ThresholdOverrides, ApiError> {
    domain::ThresholdOverrides::from_json(value).map_err(|e| ApiError::fields(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read by the assertions through Debug only
    struct Request {
        name: String,
        check: Check,
    }

    #[derive(Debug, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read by the assertions through Debug only
    struct Check {
        target: String,
    }

    #[test]
    fn a_wrong_type_names_its_path() {
        let e = parse_json::<Request>(serde_json::json!({ "name": "x", "check": { "target": 3 } })).unwrap_err();
        assert_eq!(e.details["field"], "check.target");
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn bytes_that_are_not_json_report_line_and_column() {
        let e = parse_json_bytes::<Request>(b"{\n  \"name\": ").unwrap_err();
        assert_eq!(e.details["field"], "body");
        assert_eq!(e.details["line"], 2);
        assert!(parse_json_bytes::<Request>(b"").unwrap_err().message.contains("required"));
    }
}
