//! `POST /api/v1/simulation/patch_thresholds`: overrides thresholds (`PATCH /sandbox/:id/simulation/thresholds`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Overrides thresholds (`PATCH /sandbox/:id/simulation/thresholds`).
#[server(prefix = "/api", endpoint = "v1/simulation/patch_thresholds", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn patch_thresholds(
    sandbox: String,
    simulation: Option<String>,
    overrides: serde_json::Value,
    version: Option<i64>,
) -> Result<domain::ThresholdsView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::patch_thresholds(
        &state,
        &p,
        &sandbox,
        &Target(simulation),
        wire::json::parse_threshold_overrides(&overrides)?,
        version,
    )
    .await
}
