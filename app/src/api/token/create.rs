//! `POST /api/v1/token/create`: creates an API token for the caller; its secret is shown only in this answer.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Creates an API token for the caller; its secret is shown only in this answer.
#[server(prefix = "/api", endpoint = "v1/token/create", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_token(name: String) -> Result<crate::model::NewToken, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::create_token(&state, &p, &name).await
}
