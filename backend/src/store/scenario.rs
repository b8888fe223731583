//! `scenario_run` and `saved_scenario`: runs made through the API with their reports, and
//! scenario files kept in a sandbox by name.

use crate::error::StoreError;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// One stored run, without its report.
#[derive(Clone, Debug)]
pub struct RunRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub file_name: String,
    pub passed: bool,
    pub assertions: i32,
    pub failures: i32,
    pub duration_ms: i32,
}

/// What a new run row holds.
pub struct NewRun<'a> {
    pub sandbox: Uuid,
    pub actor: Uuid,
    pub file_name: &'a str,
    pub passed: bool,
    pub assertions: i32,
    pub failures: i32,
    pub duration_ms: i32,
    pub report: &'a serde_json::Value,
}

pub async fn insert_run(db: impl PgExecutor<'_>, run: NewRun<'_>) -> Result<Uuid, StoreError> {
    sqlx::query_scalar!(
        "INSERT INTO scenario_run (id, sandbox_id, actor_id, file_name, passed, assertions, failures, duration_ms, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        Uuid::new_v4(),
        run.sandbox,
        run.actor,
        run.file_name,
        run.passed,
        run.assertions,
        run.failures,
        run.duration_ms,
        run.report
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// A sandbox's runs, newest first.
pub async fn list_runs(pool: &PgPool, sandbox: Uuid, limit: i64) -> Result<Vec<RunRow>, StoreError> {
    sqlx::query_as!(
        RunRow,
        "SELECT r.id, r.at, u.username AS \"actor?\", r.file_name, r.passed, r.assertions, r.failures, r.duration_ms
         FROM scenario_run r LEFT JOIN app_user u ON u.id = r.actor_id
         WHERE r.sandbox_id = $1 ORDER BY r.at DESC LIMIT $2",
        sandbox,
        limit
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

/// One run's report.
pub async fn report(pool: &PgPool, sandbox: Uuid, run: Uuid) -> Result<Option<serde_json::Value>, StoreError> {
    sqlx::query_scalar!("SELECT report FROM scenario_run WHERE sandbox_id = $1 AND id = $2", sandbox, run)
        .fetch_optional(pool)
        .await
        .map_err(StoreError::from)
}

/// Saves (or replaces) a scenario file under a name.
pub async fn save(db: impl PgExecutor<'_>, sandbox: Uuid, name: &str, source: &str, by: Uuid) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO saved_scenario (sandbox_id, name, source, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sandbox_id, name) DO UPDATE SET source = EXCLUDED.source, updated_at = now()",
        sandbox,
        name,
        source,
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A saved file's text.
pub async fn saved_source(pool: &PgPool, sandbox: Uuid, name: &str) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar!("SELECT source FROM saved_scenario WHERE sandbox_id = $1 AND name = $2", sandbox, name)
        .fetch_optional(pool)
        .await
        .map_err(StoreError::from)
}

/// The names of a sandbox's saved files, with when they changed last.
pub async fn saved_names(pool: &PgPool, sandbox: Uuid) -> Result<Vec<(String, OffsetDateTime)>, StoreError> {
    let rows =
        sqlx::query!("SELECT name, updated_at FROM saved_scenario WHERE sandbox_id = $1 ORDER BY name", sandbox).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| (r.name, r.updated_at)).collect())
}

pub async fn delete_saved(pool: &PgPool, sandbox: Uuid, name: &str) -> Result<bool, StoreError> {
    let done = sqlx::query!("DELETE FROM saved_scenario WHERE sandbox_id = $1 AND name = $2", sandbox, name).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}
