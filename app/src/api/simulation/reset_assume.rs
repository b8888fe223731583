//! `POST /api/v1/simulation/reset_assume`: returns to the computed tier (`DELETE /sandbox/:id/simulation/assume`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Returns to the computed tier (`DELETE /sandbox/:id/simulation/assume`).
#[server(prefix = "/api", endpoint = "v1/simulation/reset_assume", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn reset_assume(sandbox: String, simulation: Option<String>, version: Option<i64>) -> Result<crate::model::WhoAmI, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::reset_assume(&state, &p, &sandbox, &Target(simulation), version).await
}
