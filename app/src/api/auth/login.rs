//! `POST /api/v1/auth/login`: signs in with a username and password or an API token; the browser gets a session.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Signs in with a username and password or an API token; the browser gets a session.
#[server(prefix = "/api", endpoint = "v1/auth/login", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn login(credentials: crate::model::Credentials) -> Result<crate::model::UserView, ApiError> {
    let state = expect_context::<backend::state::AppState>();
    let session = crate::api::session()?;
    backend::services::auth::login(&state, credentials, Some(&session)).await
}
