//! The per-sandbox rate limit: a counter per sandbox and clock minute in the hot store, shared
//! by every server instance when the hot store is Redis.

use crate::services::keys;
use crate::state::AppState;
use std::time::Duration;
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};

/// Counts one request against the sandbox; the request past the limit gets `RATE_LIMITED`
/// with the seconds until the minute ends.
pub async fn hit(state: &AppState, sandbox: Uuid) -> Result<(), ApiError> {
    let limit = u64::from(state.settings.rate_limit_per_minute);
    let now = time::OffsetDateTime::now_utc();
    let minute = now.unix_timestamp().div_euclid(60);
    let left_in_minute = Duration::from_secs(u64::try_from(60 - now.unix_timestamp().rem_euclid(60)).unwrap_or(60));
    let (count, _) = state.stores.hot.hit(&keys::rate_window(sandbox, minute), left_in_minute + Duration::from_secs(1)).await?;
    if count > limit {
        let retry_after = left_in_minute.as_secs().max(1);
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            format!("this sandbox allows {limit} requests a minute; try again in {retry_after} s"),
        )
        .with_details(serde_json::json!({ "limitPerMinute": limit, "retryAfterSeconds": retry_after })));
    }
    Ok(())
}
