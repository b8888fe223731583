//! `POST /api/v1/scenario/save`: keeps a scenario file in the sandbox under a name (`PUT /sandbox/:id/scenarios/:name`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Keeps a scenario file in the sandbox under a name (`PUT /sandbox/:id/scenarios/:name`).
#[server(prefix = "/api", endpoint = "v1/scenario/save", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn save_scenario(sandbox: String, name: String, source: String) -> Result<crate::model::SavedScenario, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::save(&state, &p, &sandbox, &name, &source).await
}
