//! `POST /api/v1/kruxt/set_clock`: sets or moves the simulated clock, or puts it back at the seed anchor (`POST /sandbox/:id/kruxt/clock`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Sets or moves the simulated clock, or puts it back at the seed anchor (`POST /sandbox/:id/kruxt/clock`).
#[server(prefix = "/api", endpoint = "v1/kruxt/set_clock", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_set_clock(
    sandbox: String,
    simulation: Option<String>,
    clock: crate::model::SetClock,
    version: Option<i64>,
) -> Result<crate::model::KruxtStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::set_clock(&state, &p, &sandbox, &Target(simulation), clock, version).await
}
