//! `POST /api/v1/kruxt/status`: the KRUXT sandbox's database, the acting user, the clock and the gyms (`GET /sandbox/:id/kruxt`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The KRUXT sandbox's database, the acting user, the clock and the gyms (`GET /sandbox/:id/kruxt`).
#[server(prefix = "/api", endpoint = "v1/kruxt/status", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_status(sandbox: String, simulation: Option<String>) -> Result<crate::model::KruxtStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::status(&state, &p, &sandbox, &Target(simulation)).await
}
