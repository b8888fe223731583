//! `POST /api/v1/kruxt/add_actor`: adds a user to the sandbox's database, with gym memberships (`POST /sandbox/:id/kruxt/actors`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Adds a user to the sandbox's database, with gym memberships (`POST /sandbox/:id/kruxt/actors`).
#[server(prefix = "/api", endpoint = "v1/kruxt/add_actor", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_add_actor(sandbox: String, actor: crate::model::NewKruxtActor) -> Result<crate::model::KruxtActor, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::add_actor(&state, &p, &sandbox, actor).await
}
