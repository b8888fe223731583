//! The server's health on the wire: each store's state and the version (`system/info`, `/readyz`).

use serde::{Deserialize, Serialize};

/// One store as the health checks see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
    /// `postgres` or `hot`.
    pub name: String,
    /// What serves it: `postgres`, `postgres (embedded)`, `redis` or `memory`.
    pub backend: String,
    pub required: bool,
    pub up: bool,
    pub latency_ms: Option<f64>,
    /// Why it is down (`unreachable`, `timed out`); never a driver's own message.
    pub problem: Option<String>,
}

impl StoreStatus {
    /// Builds a status from a ping result.
    pub fn measured(name: &str, backend: &str, required: bool, ping: Result<std::time::Duration, &'static str>) -> Self {
        let (up, latency_ms, problem) = match ping {
            Ok(d) => (true, Some((d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0), None),
            Err(p) => (false, None, Some(p.to_owned())),
        };
        Self { name: name.into(), backend: backend.into(), required, up, latency_ms, problem }
    }
}

/// The answer of `system/info`: version and store health.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemReport {
    pub name: String,
    pub version: String,
    pub stores: Vec<StoreStatus>,
    /// The newest applied control-plane migration (absent while PostgreSQL is down).
    pub schema_version: Option<i64>,
    /// Server instances with a recent heartbeat (absent while PostgreSQL is down).
    pub live_instances: Option<i64>,
    /// When the stores were checked (RFC 3339, UTC).
    pub checked_at: String,
}

impl SystemReport {
    /// True when every required store is up.
    pub fn ready(&self) -> bool {
        self.stores.iter().all(|s| s.up || !s.required)
    }
}
