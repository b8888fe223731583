//! `POST /api/v1/auth/logout`: ends the browser session.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Ends the browser session.
#[server(prefix = "/api", endpoint = "v1/auth/logout", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn logout() -> Result<(), ApiError> {
    let session = crate::api::session()?;
    backend::services::auth::logout(&session).await
}
