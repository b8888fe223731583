//! `POST /api/v1/sandbox/audit`: a sandbox's audit trail, newest first (`GET /sandbox/:id/audit`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A sandbox's audit trail, newest first (`GET /sandbox/:id/audit`).
#[server(prefix = "/api", endpoint = "v1/sandbox/audit", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn sandbox_audit(id: String, filter: Option<crate::model::AuditQuery>) -> Result<Vec<crate::model::AuditEntry>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::audit(&state, &p, &id, filter.unwrap_or_default()).await
}
