//! `POST /api/v1/simulation/state`: every configured value and what derives from it (`GET /sandbox/:id/simulation/state`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every configured value and what derives from it (`GET /sandbox/:id/simulation/state`).
#[server(prefix = "/api", endpoint = "v1/simulation/state", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_state(sandbox: String, simulation: Option<String>) -> Result<crate::model::StateView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::state(&state, &p, &sandbox, &Target(simulation)).await
}
