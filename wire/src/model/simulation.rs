//! Simulations on the wire: the context (PRD 4.2) and the views of it.

use domain::{Assumption, SimState, ThresholdOverrides};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One simulation's whole context. Every event stores it before and after the change, and
/// the hot store holds the newest one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SimulationContext {
    pub sandbox_id: String,
    pub simulation_id: String,
    pub name: String,
    /// Events applied so far; `If-Match` names the version a write expects.
    pub version: i64,
    pub theme_id: String,
    pub assumed_role: Option<Assumption>,
    pub simulated_state: SimState,
    pub threshold_overrides: ThresholdOverrides,
    /// KRUXT sandboxes: the acting KRUXT user and the simulated clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kruxt: Option<crate::model::KruxtContext>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A simulation as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SimulationView {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `POST /sandbox/:id/simulations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSimulation {
    pub name: String,
}

/// `POST /sandbox/:id/simulation/activity`: a simulated activity (`{"kind": "leaderboard_view",
/// "at": "2026-...Z"}`; `at` defaults to now).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityRequest {
    pub kind: String,
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub at: Option<time::OffsetDateTime>,
}

/// `GET /sandbox/:id/simulation/state`: every configured value, plus what derives from them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StateView {
    pub simulation: String,
    pub version: i64,
    #[serde(flatten)]
    pub state: SimState,
    /// The stage the facts give (`free`, `engaged`, `verified`).
    pub engagement_stage: domain::Stage,
    /// The tier in force: the assumed tier, else the computed one.
    pub tier_id: String,
    pub computed_tier_id: String,
    pub assumed_tier_id: Option<String>,
}

/// The assumed role as the PRD shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssumedRoleView {
    pub tier_id: String,
    pub tier_name: String,
    pub permissions: Vec<String>,
    pub rank: Option<u32>,
    pub badges: Vec<String>,
}

/// `GET /sandbox/:id/simulation/whoami`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    pub sandbox_id: String,
    pub simulation: String,
    pub version: i64,
    pub theme_id: String,
    pub assumed_role: Option<AssumedRoleView>,
    pub tier: domain::TierResult,
    pub gate: domain::GateResult,
    pub state: StateView,
    /// True when any threshold is overridden.
    pub thresholds_overridden: bool,
}
