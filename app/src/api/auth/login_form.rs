//! `POST /api/v1/auth/login_form`: the sign-in form's target; works without JavaScript.

use crate::error::ApiError;
use leptos::prelude::*;

/// Signs in from a form (username and password, or token) and redirects to `next`, or back to
/// the sign-in page with the reason.
#[server(prefix = "/api", endpoint = "v1/auth/login_form", input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn login_form(username: String, password: String, token: String, next: String) -> Result<(), ApiError> {
    let state = expect_context::<backend::state::AppState>();
    let session = crate::api::session()?;
    let credentials = if token.trim().is_empty() {
        crate::model::Credentials { username: Some(username), password: Some(password), token: None }
    } else {
        crate::model::Credentials { username: None, password: None, token: Some(token.trim().to_owned()) }
    };
    let next = if next.starts_with('/') && !next.starts_with("//") { next } else { "/sandboxes".into() };
    match backend::services::auth::login(&state, credentials, Some(&session)).await {
        Ok(_) => leptos_axum::redirect(&next),
        Err(e) => leptos_axum::redirect(&format!(
            "/login?error={}&next={}",
            crate::components::feedback::urlencode(&e.message),
            crate::components::feedback::urlencode(&next)
        )),
    }
    Ok(())
}
