//! `POST /api/v1/system/info`: the version and the state of every store;
//! `POST /api/v1/system/api_document`: the OpenAPI document, for the API reference page.

use crate::error::ApiError;
use crate::model::SystemReport;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Reports the version and checks every store now.
#[server(prefix = "/api", endpoint = "v1/system/info", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn system_info() -> Result<SystemReport, ApiError> {
    let state = expect_context::<backend::state::AppState>();
    Ok(backend::services::system::info(&state).await)
}

/// The OpenAPI 3.1 document as JSON text (the same as `GET /api/openapi.json`).
#[server(prefix = "/api", endpoint = "v1/system/api_document", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn api_document() -> Result<String, ApiError> {
    crate::api::OPENAPI.get().cloned().ok_or_else(|| ApiError::internal("the OpenAPI document was not generated at start-up"))
}
