//! PostgreSQL: the pool (bounded waits), the embedded control-plane migrations, and the ping.

use super::STORE_TIMEOUT;
use crate::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The control-plane migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A pool whose every wait is bounded: a down database fails a request within a second
/// instead of hanging it, and the pool opens fresh connections once the database is back.
pub fn pool(url: &str) -> Result<PgPool, StoreError> {
    let options = PgConnectOptions::from_str(url)?.application_name("crysknife");
    Ok(PgPoolOptions::new()
        .max_connections(16)
        .min_connections(0)
        .acquire_timeout(STORE_TIMEOUT)
        .idle_timeout(Some(Duration::from_secs(300)))
        .connect_lazy_with(options))
}

/// Runs the pending control-plane migrations.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// The newest applied migration, if any.
pub async fn schema_version(pool: &PgPool) -> Result<Option<i64>, StoreError> {
    // `_sqlx_migrations` belongs to sqlx, not to our schema, so it is not in the query cache.
    sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success").fetch_one(pool).await.map_err(StoreError::from)
}

/// One round-trip, within the store timeout; returns the latency.
pub async fn ping(pool: &PgPool) -> Result<Duration, &'static str> {
    let started = Instant::now();
    match tokio::time::timeout(STORE_TIMEOUT, sqlx::query("SELECT 1").execute(pool)).await {
        Ok(Ok(_)) => Ok(started.elapsed()),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "postgres ping failed");
            Err("unreachable")
        }
        Err(_) => Err("timed out"),
    }
}
