//! The RLS matrix, its comparison, and a KRUXT suite run.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What one attempt in the RLS matrix did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CellOutcome {
    /// It succeeded on at least one row.
    Allowed,
    /// It succeeded on no row: nothing visible, or nothing the actor may change.
    NoRows,
    /// A privilege, a policy or a guard refused it (42501, KX4xx).
    Refused,
    /// The policies let it through; a data constraint stopped it (23xxx).
    Constraint,
    /// Anything else.
    Error,
}

/// One cell: an operation on a table as an actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixCell {
    pub outcome: CellOutcome,
    /// Rows visible (select) or affected (insert, update, delete).
    pub rows: Option<i64>,
    pub sqlstate: Option<String>,
    pub message: Option<String>,
    /// A short text for the cell: `12 rows`, `42501 RLS`, `KX423`.
    pub label: String,
}

/// One actor and one table, four cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixEntry {
    pub actor: String,
    pub table: String,
    pub select: MatrixCell,
    pub insert: MatrixCell,
    pub update: MatrixCell,
    pub delete: MatrixCell,
}

/// The RLS matrix: actors x tables x {select, insert, update, delete}, measured by attempts
/// rolled back afterwards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RlsMatrix {
    pub actors: Vec<String>,
    pub tables: Vec<String>,
    /// Actor-major: every table of the first actor, then the next actor's.
    pub entries: Vec<MatrixEntry>,
    #[serde(with = "time::serde::rfc3339")]
    pub clock: OffsetDateTime,
    pub duration_ms: f64,
}

/// One cell that differs between two actors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CellDifference {
    pub table: String,
    /// `select`, `insert`, `update` or `delete`.
    pub operation: String,
    pub left: MatrixCell,
    pub right: MatrixCell,
}

/// Two actors' matrices side by side: the cells that differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixComparison {
    pub left: String,
    pub right: String,
    pub tables: Vec<String>,
    pub differences: Vec<CellDifference>,
    /// Cells that are the same.
    pub same: usize,
}

/// Every KRUXT scenario the server knows, run in one sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtSuiteRun {
    pub runs: Vec<crate::model::ScenarioRun>,
    pub totals: domain::scenario::Totals,
}
