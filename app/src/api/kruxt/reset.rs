//! `POST /api/v1/kruxt/reset`: clones the sandbox's database again from the template: every change in it is gone (`POST /sandbox/:id/kruxt/reset`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Clones the sandbox's database again from the template: every change in it is gone (`POST /sandbox/:id/kruxt/reset`).
#[server(prefix = "/api", endpoint = "v1/kruxt/reset", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_reset(sandbox: String, simulation: Option<String>) -> Result<crate::model::KruxtStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::reset(&state, &p, &sandbox, &Target(simulation)).await
}
