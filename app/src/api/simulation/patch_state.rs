//! `POST /api/v1/simulation/patch_state`: changes state fields, all or nothing (`PATCH /sandbox/:id/simulation/state`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Changes state fields, all or nothing (`PATCH /sandbox/:id/simulation/state`).
#[server(prefix = "/api", endpoint = "v1/simulation/patch_state", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn patch_state(
    sandbox: String,
    simulation: Option<String>,
    patch: serde_json::Value,
    version: Option<i64>,
) -> Result<crate::model::StateView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::patch_state(&state, &p, &sandbox, &Target(simulation), wire::json::parse_state_patch(&patch)?, version)
        .await
}
