//! Function calls and read-only queries as the acting user.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a function returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum RpcReturns {
    /// Rows (a set, a composite or a table): `rows`.
    Rows,
    /// One value: `value`.
    Value,
    /// Nothing.
    Void,
}

/// `POST /sandbox/:id/kruxt/rpc/:function`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RpcResult {
    pub function: String,
    /// Who called it.
    pub actor: String,
    pub returns: RpcReturns,
    /// Row objects (for `rows`).
    pub rows: Vec<Value>,
    /// The value (for `value`).
    pub value: Value,
    pub duration_ms: f64,
}

/// `POST /sandbox/:id/kruxt/query`: one read-only query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueryRequest {
    /// One SELECT, VALUES, TABLE or WITH query.
    pub sql: String,
    /// At most this many rows (default 200, at most 5000).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The rows of a read-only query, columns in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryResult {
    pub actor: String,
    pub columns: Vec<String>,
    /// One list of values per row, in column order.
    pub rows: Vec<Vec<Value>>,
    pub row_count: usize,
    /// More rows exist than the limit let through.
    pub truncated: bool,
    pub limit: u32,
    pub duration_ms: f64,
}
