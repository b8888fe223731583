//! `POST /api/v1/user/list`: every user (admins only).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every user (admins only).
#[server(prefix = "/api", endpoint = "v1/user/list", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_users() -> Result<Vec<crate::model::UserView>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::list_users(&state, &p).await
}
