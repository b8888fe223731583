//! `POST /api/v1/kruxt/actors`: everyone the sandbox can act as: the service role, anonymous and every user with their memberships (`GET /sandbox/:id/kruxt/actors`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Everyone the sandbox can act as: the service role, anonymous and every user with their memberships (`GET /sandbox/:id/kruxt/actors`).
#[server(prefix = "/api", endpoint = "v1/kruxt/actors", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_actors(sandbox: String) -> Result<Vec<crate::model::KruxtActor>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::actors(&state, &p, &sandbox).await
}
