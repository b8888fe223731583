//! The stores: PostgreSQL (the durable truth) and the hot store (Redis, or process memory).
//! Every call that can hang is bounded, so an outage answers `STORE_UNAVAILABLE` within a
//! second and the pools reconnect by themselves when the store returns.

pub mod audit;
pub mod discord;
pub mod hot;
pub mod instance;
pub mod kruxt;
pub mod pg;
pub mod sandbox;
pub mod scenario;
pub mod session;
pub mod simulation;
pub mod token;
pub mod user;

pub use hot::HotStore;

use std::time::Duration;
use wire::model::StoreStatus;

/// How long any single store round-trip may take before we call the store down.
pub const STORE_TIMEOUT: Duration = Duration::from_millis(900);

/// Both stores, cheap to clone.
#[derive(Clone)]
pub struct Stores {
    pub pg: sqlx::PgPool,
    /// `embedded` when the server runs its own PostgreSQL cluster.
    pub pg_embedded: bool,
    pub hot: HotStore,
}

impl Stores {
    /// Pings every store, concurrently, each within `STORE_TIMEOUT`.
    pub async fn status(&self) -> Vec<StoreStatus> {
        let (pg, hot) = tokio::join!(pg::ping(&self.pg), self.hot.ping());
        let backend = if self.pg_embedded { "postgres (embedded)" } else { "postgres" };
        vec![StoreStatus::measured("postgres", backend, true, pg), StoreStatus::measured("hot", self.hot.backend(), true, hot)]
    }
}
