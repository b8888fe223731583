//! `POST /api/v1/simulation/whoami`: assumed and computed tier, gate and state (`GET /sandbox/:id/simulation/whoami`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Assumed and computed tier, gate and state (`GET /sandbox/:id/simulation/whoami`).
#[server(prefix = "/api", endpoint = "v1/simulation/whoami", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn whoami(sandbox: String, simulation: Option<String>) -> Result<crate::model::WhoAmI, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::whoami(&state, &p, &sandbox, &Target(simulation)).await
}
