//! `POST /api/v1/kruxt/query`: runs one read-only query as the acting user (`POST /sandbox/:id/kruxt/query`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs one read-only query as the acting user (`POST /sandbox/:id/kruxt/query`).
#[server(prefix = "/api", endpoint = "v1/kruxt/query", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_query(
    sandbox: String,
    simulation: Option<String>,
    sql: String,
    limit: Option<u32>,
) -> Result<crate::model::QueryResult, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::query(&state, &p, &sandbox, &Target(simulation), crate::model::QueryRequest { sql, limit }).await
}
