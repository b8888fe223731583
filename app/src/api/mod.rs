//! Server functions: one per file, each with an explicit `/api/v1/<area>/<verb>` endpoint,
//! JSON in and out, calling one service function. The same services serve the REST routes.

pub mod auth;
pub mod discord;
#[cfg(feature = "ssr")]
pub mod doc;
pub mod kruxt;
pub mod sandbox;
pub mod scenario;
pub mod simulation;
pub mod system;
pub mod token;
pub mod user;

/// A typed request as the JSON body argument of a server function. Those arguments stay JSON so
/// the server names the exact field of a bad value (`wire::parse_json`), as the REST door does;
/// the pages build the typed request and never write the JSON by hand.
pub fn to_body<T: serde::Serialize>(request: &T) -> serde_json::Value {
    serde_json::to_value(request).unwrap_or_default()
}

/// The application state and the authenticated caller of the current server function.
#[cfg(feature = "ssr")]
pub(crate) async fn caller() -> Result<(backend::state::AppState, backend::services::auth::Principal), crate::error::ApiError> {
    let state = leptos::prelude::expect_context::<backend::state::AppState>();
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()
        .ok_or_else(|| crate::error::ApiError::internal("server function called without request parts"))?;
    let principal = backend::services::auth::authenticate(&state, &parts).await?;
    Ok((state, principal))
}

/// The browser session of the current server function.
#[cfg(feature = "ssr")]
pub(crate) fn session() -> Result<tower_sessions::Session, crate::error::ApiError> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(|| crate::error::ApiError::internal("sessions are not configured"))
}

/// The OpenAPI 3.1 document the server generated at start-up from its route table and these
/// server functions (`doc`), served at `/api/openapi.json` and rendered at `/api/docs`.
#[cfg(feature = "ssr")]
pub static OPENAPI: std::sync::OnceLock<String> = std::sync::OnceLock::new();
