//! `POST /api/v1/kruxt/reset_actor`: acts as anonymous again (`DELETE /sandbox/:id/kruxt/assume`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Acts as anonymous again (`DELETE /sandbox/:id/kruxt/assume`).
#[server(prefix = "/api", endpoint = "v1/kruxt/reset_actor", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_reset_actor(
    sandbox: String,
    simulation: Option<String>,
    version: Option<i64>,
) -> Result<crate::model::KruxtStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::reset_actor(&state, &p, &sandbox, &Target(simulation), version).await
}
