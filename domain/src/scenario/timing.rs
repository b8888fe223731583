//! How long each database action of a KRUXT scenario took, for its report.

use serde::{Deserialize, Serialize};

/// One database action of a KRUXT scenario and how long it took. Timings never fail a scenario;
/// they are recorded so slow steps show in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionTiming {
    /// Where the step is (`scenarios[0].steps[3]`).
    pub path: String,
    /// "rpc log_workout_atomic", "console approve".
    pub action: String,
    /// Who acted.
    pub actor: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// Wall time of the action in the database, with its snapshots, in milliseconds.
    pub duration_ms: f64,
}
