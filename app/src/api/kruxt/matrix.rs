//! `POST /api/v1/kruxt/matrix`: the RLS matrix: actors x tables x select, insert, update, delete, measured by attempts that are rolled back (`GET /sandbox/:id/kruxt/matrix`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The RLS matrix: actors x tables x select, insert, update, delete, measured by attempts that are rolled back (`GET /sandbox/:id/kruxt/matrix`).
#[server(prefix = "/api", endpoint = "v1/kruxt/matrix", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_matrix(
    sandbox: String,
    simulation: Option<String>,
    actors: Option<String>,
    tables: Option<String>,
) -> Result<crate::model::RlsMatrix, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::matrix(
        &state,
        &p,
        &sandbox,
        &Target(simulation),
        backend::services::kruxt::MatrixQuery::parse(actors.as_deref(), tables.as_deref()),
    )
    .await
}
