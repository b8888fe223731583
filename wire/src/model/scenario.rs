//! Scenario runs on the wire.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// `POST /sandbox/:id/simulation/scenario`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunScenario {
    /// The file's text, YAML or JSON.
    pub scenario: String,
    /// A name for the file (its extension picks the syntax); `scenario.yaml` by default.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Golden files the scenario compares with, by the path it names them.
    #[serde(default)]
    pub golden: BTreeMap<String, String>,
    /// Also keep the file in the sandbox under this name (Discord runs saved files by name).
    #[serde(default)]
    pub save_as: Option<String>,
}

/// The answer to a run: the file's report, with the id it is stored under.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRun {
    pub run_id: String,
    #[serde(flatten)]
    pub report: domain::scenario::FileReport,
}

/// A stored run as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRunSummary {
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub file_name: String,
    pub passed: bool,
    pub assertions: i32,
    pub failures: i32,
    pub duration_ms: i32,
}

/// A scenario file kept in a sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SavedScenario {
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}
