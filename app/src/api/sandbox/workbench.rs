//! `POST /api/v1/sandbox/workbench`: a sandbox, its theme and one simulation's context, for pages.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A sandbox, its theme, one simulation's context and the list of simulations.
#[server(prefix = "/api", endpoint = "v1/sandbox/workbench", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn workbench(id: String, simulation: Option<String>) -> Result<crate::model::Workbench, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::workbench(&state, &p, &id, &Target(simulation)).await
}
