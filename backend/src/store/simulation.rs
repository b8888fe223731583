//! `simulation` and `simulation_event`: each simulation's version and its append-only events,
//! whose newest `after` is the simulation's context.

use crate::error::StoreError;
use sqlx::{PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// One simulation row.
#[derive(Clone, Debug)]
pub struct SimulationRow {
    pub id: Uuid,
    pub sandbox_id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub version: i64,
    pub created_at: OffsetDateTime,
}

/// One event about to be appended.
pub struct NewEvent<'a> {
    pub simulation: Uuid,
    pub sandbox: Uuid,
    pub version: i64,
    pub actor: Option<Uuid>,
    pub operation: &'a str,
    pub before: Option<&'a serde_json::Value>,
    pub after: &'a serde_json::Value,
}

pub async fn insert(db: impl PgExecutor<'_>, sandbox: Uuid, name: &str, is_default: bool) -> Result<SimulationRow, StoreError> {
    sqlx::query_as!(
        SimulationRow,
        "INSERT INTO simulation (id, sandbox_id, name, is_default) VALUES ($1, $2, $3, $4)
         RETURNING id, sandbox_id, name, is_default, version, created_at",
        Uuid::new_v4(),
        sandbox,
        name,
        is_default
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// A simulation of the sandbox, by id or by name.
pub async fn find(pool: &PgPool, sandbox: Uuid, key: &str) -> Result<Option<SimulationRow>, StoreError> {
    let id = Uuid::parse_str(key).ok();
    sqlx::query_as!(
        SimulationRow,
        "SELECT id, sandbox_id, name, is_default, version, created_at FROM simulation
         WHERE sandbox_id = $1 AND (id = $2 OR name = $3)",
        sandbox,
        id,
        key
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}

/// The sandbox's simulations, default first.
pub async fn list(pool: &PgPool, sandbox: Uuid) -> Result<Vec<SimulationRow>, StoreError> {
    sqlx::query_as!(
        SimulationRow,
        "SELECT id, sandbox_id, name, is_default, version, created_at FROM simulation
         WHERE sandbox_id = $1 ORDER BY is_default DESC, created_at",
        sandbox
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

pub async fn count(db: impl PgExecutor<'_>, sandbox: Uuid) -> Result<i64, StoreError> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM simulation WHERE sandbox_id = $1"#, sandbox)
        .fetch_one(db)
        .await
        .map_err(StoreError::from)
}

/// Locks the simulation for a write and returns its version.
pub async fn lock(db: &mut PgConnection, simulation: Uuid) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar!("SELECT version FROM simulation WHERE id = $1 FOR NO KEY UPDATE", simulation)
        .fetch_optional(db)
        .await
        .map_err(StoreError::from)
}

/// The context after the newest event, if any event exists.
pub async fn latest_context(db: impl PgExecutor<'_>, simulation: Uuid) -> Result<Option<serde_json::Value>, StoreError> {
    sqlx::query_scalar!("SELECT after FROM simulation_event WHERE simulation_id = $1 ORDER BY version DESC LIMIT 1", simulation)
        .fetch_optional(db)
        .await
        .map_err(StoreError::from)
}

/// Appends an event and moves the simulation to its version.
pub async fn append(db: &mut PgConnection, event: NewEvent<'_>) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO simulation_event (simulation_id, sandbox_id, version, actor_id, operation, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        event.simulation,
        event.sandbox,
        event.version,
        event.actor,
        event.operation,
        event.before,
        event.after
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!("UPDATE simulation SET version = $2 WHERE id = $1", event.simulation, event.version).execute(&mut *db).await?;
    Ok(())
}

/// How many events a simulation has (tests compare it with the version).
pub async fn event_count(pool: &PgPool, simulation: Uuid) -> Result<i64, StoreError> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM simulation_event WHERE simulation_id = $1"#, simulation)
        .fetch_one(pool)
        .await
        .map_err(StoreError::from)
}
