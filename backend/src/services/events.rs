//! Live updates: every change to a sandbox is announced, and open pages listening on
//! `/sandbox/:id/events` (server-sent events) refresh within a second. With Redis the
//! announcement goes through Redis pub/sub so every server instance hears it; without, it stays
//! in this process.

use crate::state::AppState;
use std::time::Duration;

/// The Redis pub/sub pattern every instance listens on.
const PATTERN: &str = "crysknife:events:*";

pub use crate::events::Change;

/// Announces a change; failures are logged, never surfaced (the change itself is durable).
pub async fn publish(state: &AppState, change: Change) {
    match &state.stores.hot {
        crate::store::HotStore::Redis(redis) => {
            let payload = serde_json::to_string(&change).unwrap_or_default();
            let channel = format!("crysknife:events:{}", change.sandbox);
            if let Err(e) = redis.publish(&channel, &payload).await {
                tracing::warn!(error = %e, "could not publish a change; delivering locally");
                let _ = state.events.send(change);
            }
        }
        crate::store::HotStore::Memory(_) => {
            let _ = state.events.send(change);
        }
    }
}

/// With Redis: listens for every instance's changes and hands them to local subscribers,
/// reconnecting after any failure. Runs until the process ends.
pub async fn relay(state: AppState) {
    let crate::store::HotStore::Redis(redis) = &state.stores.hot else {
        return;
    };
    loop {
        match redis.psubscribe(PATTERN).await {
            Ok(mut messages) => {
                use futures_util::StreamExt;
                while let Some(msg) = messages.next().await {
                    let payload: String = msg.get_payload().unwrap_or_default();
                    if let Ok(change) = serde_json::from_str::<Change>(&payload) {
                        let _ = state.events.send(change);
                    }
                }
                tracing::warn!("redis pub/sub ended; resubscribing");
            }
            Err(e) => tracing::warn!(error = %e, "redis pub/sub unavailable; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
