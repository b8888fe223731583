//! `POST /api/v1/system/info`: the version and the state of every store.

use crate::error::ApiError;
use crate::model::SystemReport;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Reports the version and checks every store now.
#[server(prefix = "/api", endpoint = "v1/system/info", input = Json, output = Json)]
pub async fn system_info() -> Result<SystemReport, ApiError> {
    let state = expect_context::<backend::state::AppState>();
    Ok(backend::services::system::info(&state).await)
}
