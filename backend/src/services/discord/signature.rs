//! Discord's request signature: Ed25519 over `timestamp + body` with the application's public
//! key. Checked before anything else is read; then the timestamp must be fresh and the
//! signature never seen before, so a captured request cannot be replayed.

use crate::state::AppState;
use ed25519_dalek::{Signature, VerifyingKey};
use std::time::Duration;
use wire::error::{ApiError, ErrorCode};

/// How far a request's timestamp may be from now.
pub const FRESHNESS: Duration = Duration::from_secs(300);

/// Why a request was refused; logged, and answered with 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the signature or timestamp header is missing")]
    Missing,
    #[error("the signature is malformed")]
    Malformed,
    #[error("the signature does not match")]
    Mismatch,
    #[error("the timestamp is stale or in the future")]
    Stale,
    #[error("the request was already received once")]
    Replayed,
}

/// Checks the signature of `body` sent at `timestamp` (seconds, as Discord sends it), then
/// its freshness against `now` (seconds). Pure: no store is touched.
pub fn verify(public_key: &VerifyingKey, signature: Option<&str>, timestamp: Option<&str>, body: &[u8], now: i64) -> Result<(), Refusal> {
    let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
        return Err(Refusal::Missing);
    };
    let mut bytes = [0u8; 64];
    hex::decode_to_slice(signature.trim(), &mut bytes).map_err(|_| Refusal::Malformed)?;
    let signature = Signature::from_bytes(&bytes);
    let mut message = Vec::with_capacity(timestamp.len() + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(body);
    public_key.verify_strict(&message, &signature).map_err(|_| Refusal::Mismatch)?;
    let sent: i64 = timestamp.trim().parse().map_err(|_| Refusal::Stale)?;
    if now.abs_diff(sent) > FRESHNESS.as_secs() {
        return Err(Refusal::Stale);
    }
    Ok(())
}

/// The configured public key; `NOT_FOUND` when Discord is not configured on this server.
pub fn public_key(state: &AppState) -> Result<VerifyingKey, ApiError> {
    let hex_key = state.settings.discord_public_key.as_deref().ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, "Discord interactions are not configured on this server (set DISCORD_PUBLIC_KEY)")
    })?;
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex_key, &mut bytes).map_err(ApiError::internal)?;
    VerifyingKey::from_bytes(&bytes).map_err(ApiError::internal)
}

/// Authenticates an interaction request: signature, freshness, then no replay (a signature is
/// remembered in the hot store for twice the freshness window). Refusals are logged without
/// the headers' values and answered `UNAUTHENTICATED`.
#[tracing::instrument(name = "discord::signature::authenticate", skip_all)]
pub async fn authenticate(state: &AppState, signature: Option<&str>, timestamp: Option<&str>, body: &[u8]) -> Result<(), ApiError> {
    let key = public_key(state)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut outcome = verify(&key, signature, timestamp, body, now);
    if outcome.is_ok() {
        let seen = format!("discord:seen:{}", signature.unwrap_or_default().trim().to_lowercase());
        let (count, _) = state.stores.hot.hit(&seen, FRESHNESS * 2).await?;
        if count > 1 {
            outcome = Err(Refusal::Replayed);
        }
    }
    outcome.map_err(|refusal| {
        tracing::warn!(%refusal, "discord interaction refused");
        ApiError::new(ErrorCode::Unauthenticated, format!("invalid request signature: {refusal}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn signed(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body);
        hex::encode(key.sign(&message).to_bytes())
    }

    #[test]
    fn a_good_signature_over_timestamp_and_body_passes() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let sig = signed(&key, "1000", b"{}");
        assert_eq!(verify(&key.verifying_key(), Some(&sig), Some("1000"), b"{}", 1010), Ok(()));
    }

    #[test]
    fn a_changed_body_a_foreign_key_or_a_missing_header_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let sig = signed(&key, "1000", b"{}");
        assert_eq!(verify(&key.verifying_key(), Some(&sig), Some("1000"), b"{ }", 1000), Err(Refusal::Mismatch));
        assert_eq!(verify(&other.verifying_key(), Some(&sig), Some("1000"), b"{}", 1000), Err(Refusal::Mismatch));
        assert_eq!(verify(&key.verifying_key(), None, Some("1000"), b"{}", 1000), Err(Refusal::Missing));
        assert_eq!(verify(&key.verifying_key(), Some("zz"), Some("1000"), b"{}", 1000), Err(Refusal::Malformed));
    }

    #[test]
    fn a_timestamp_older_than_five_minutes_is_stale_even_when_signed() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let sig = signed(&key, "1000", b"{}");
        assert_eq!(verify(&key.verifying_key(), Some(&sig), Some("1000"), b"{}", 1301), Err(Refusal::Stale));
        assert_eq!(verify(&key.verifying_key(), Some(&sig), Some("1000"), b"{}", 699), Err(Refusal::Stale));
    }
}
