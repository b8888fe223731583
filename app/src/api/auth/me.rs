//! `POST /api/v1/auth/me`: the signed-in user.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in user.
#[server(prefix = "/api", endpoint = "v1/auth/me", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn me() -> Result<crate::model::UserView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::me(&state, &p).await
}
