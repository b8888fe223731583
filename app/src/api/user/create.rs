//! `POST /api/v1/user/create`: creates a user (admins only).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Creates a user (admins only).
#[server(prefix = "/api", endpoint = "v1/user/create", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_user(user: crate::model::NewUser) -> Result<crate::model::UserView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::create_user(&state, &p, user).await
}
