//! `POST /api/v1/auth/logout_form`: the sign-out button's target; works without JavaScript.

use crate::error::ApiError;
use leptos::prelude::*;

/// Ends the session and returns to the sign-in page.
#[server(prefix = "/api", endpoint = "v1/auth/logout_form", input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn logout_form() -> Result<(), ApiError> {
    let session = crate::api::session()?;
    backend::services::auth::logout(&session).await?;
    leptos_axum::redirect("/login");
    Ok(())
}
