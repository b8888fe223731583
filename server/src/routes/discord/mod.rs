//! The Discord door: `POST /discord/interactions` (Discord's HTTP interactions endpoint: the
//! signature is checked before the body is read as anything) and the REST routes that link
//! Discord users to Crysknife users (`/discord/links`, `/discord/link-code`).

pub(crate) mod links;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use backend::services::discord;
use backend::state::AppState;
use discord::reply::InteractionResponse;
use wire::error::ApiError;

/// Verifies the Ed25519 signature over `timestamp + body`, then answers the interaction.
pub async fn interactions(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<InteractionResponse>, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    discord::signature::authenticate(&s, header("x-signature-ed25519"), header("x-signature-timestamp"), &body).await?;
    Ok(Json(discord::interact(&s, &body).await?))
}
