//! `POST /api/v1/kruxt/rpc`: calls a KRUXT function with named arguments as the acting user (`POST /sandbox/:id/kruxt/rpc/:function`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Calls a KRUXT function with named arguments as the acting user (`POST /sandbox/:id/kruxt/rpc/:function`).
#[server(prefix = "/api", endpoint = "v1/kruxt/rpc", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_rpc(
    sandbox: String,
    simulation: Option<String>,
    function: String,
    args: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<crate::model::RpcResult, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::rpc(&state, &p, &sandbox, &Target(simulation), &function, args.unwrap_or_default()).await
}
