//! What one database action of a KRUXT scenario did, as the runner hands it to the judge.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a database action failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeError {
    /// The SQLSTATE, when the database raised it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlstate: Option<String>,
    /// The flow's error code, for console methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// The flow step that failed, for flow methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// Whether the flow says the user can recover, for flow methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recoverable: Option<bool>,
}

/// The rows an `unchanged` expectation compares, read before and after the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// The table.
    pub table: String,
    /// Which rows.
    pub filter: serde_json::Map<String, Value>,
    /// The rows before the action.
    pub before: Value,
    /// The rows after it.
    pub after: Value,
}

/// What one database action did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// "select device_connections", "console approve".
    pub action: String,
    /// Who acted.
    pub actor: String,
    /// Rows (a list of objects), a function's value, or a flow's result; null after an error.
    pub result: Value,
    /// Rows returned, for reads and set-returning functions.
    pub rows: Option<u64>,
    /// Rows inserted, updated or deleted.
    pub affected: Option<u64>,
    /// Why it failed, if it did.
    pub error: Option<OutcomeError>,
    /// The snapshots the following `unchanged` expectations need.
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
}
