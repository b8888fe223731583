//! `POST /api/v1/kruxt/compare`: the RLS matrix cells where two actors differ (`GET /sandbox/:id/kruxt/matrix/compare`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The RLS matrix cells where two actors differ (`GET /sandbox/:id/kruxt/matrix/compare`).
#[server(prefix = "/api", endpoint = "v1/kruxt/compare", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_compare(
    sandbox: String,
    simulation: Option<String>,
    left: String,
    right: String,
    tables: Option<String>,
) -> Result<crate::model::MatrixComparison, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::compare(&state, &p, &sandbox, &Target(simulation), &left, &right, tables.as_deref()).await
}
