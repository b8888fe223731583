//! What a change to a sandbox looks like on its way to open pages, and the in-process fan-out
//! every live-update stream subscribes to (`services::events` publishes and relays).

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// One change to a sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub sandbox: Uuid,
    /// `simulation`, `lifecycle` or `scenario`.
    pub kind: String,
    /// What happened (`state.patch`, `sandbox.extended`, ...).
    pub action: String,
    pub simulation: Option<String>,
    pub version: Option<i64>,
}

/// The in-process fan-out every SSE stream subscribes to.
pub fn channel() -> broadcast::Sender<Change> {
    broadcast::channel(1024).0
}
