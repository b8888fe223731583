//! `POST /api/v1/kruxt/console`: runs a staff console flow method (load, approve, reject, assignRole, setStatus) as the acting user (`POST /sandbox/:id/kruxt/console/:method`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs a staff console flow method (load, approve, reject, assignRole, setStatus) as the acting user (`POST /sandbox/:id/kruxt/console/:method`).
#[server(prefix = "/api", endpoint = "v1/kruxt/console", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_console(
    sandbox: String,
    simulation: Option<String>,
    method: String,
    request: crate::model::ConsoleRequest,
) -> Result<crate::model::FlowResult, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::console(&state, &p, &sandbox, &Target(simulation), &method, request).await
}
