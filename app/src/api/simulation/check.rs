//! `POST /api/v1/simulation/check`: asks a question: channel, feature, tier, badges or all (`POST /sandbox/:id/simulation/check`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Asks a question: channel, feature, tier, badges or all (`POST /sandbox/:id/simulation/check`).
#[server(prefix = "/api", endpoint = "v1/simulation/check", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn check(sandbox: String, simulation: Option<String>, check: serde_json::Value) -> Result<domain::CheckResult, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::check(&state, &p, &sandbox, &Target(simulation), wire::parse_json(check)?).await
}
