//! `POST /api/v1/kruxt/test_plan`: the beta test plan: all 153 items with their scenarios and status (`GET /api/kruxt/test-plan`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The beta test plan: all 153 items with their scenarios and status (`GET /api/kruxt/test-plan`).
#[server(prefix = "/api", endpoint = "v1/kruxt/test_plan", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_test_plan() -> Result<domain::scenario::kruxt::PlanStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::test_plan(&state, &p).await
}
