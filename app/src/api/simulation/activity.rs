//! `POST /api/v1/simulation/activity`: records a simulated activity under the gate's point rules.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Records a simulated activity under the gate's point rules.
#[server(prefix = "/api", endpoint = "v1/simulation/activity", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn record_activity(
    sandbox: String,
    simulation: Option<String>,
    activity: serde_json::Value,
    version: Option<i64>,
) -> Result<domain::ActivityOutcome, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::record_activity(&state, &p, &sandbox, &Target(simulation), wire::parse_json(activity)?, version).await
}
