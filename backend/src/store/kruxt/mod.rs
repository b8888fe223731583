//! KRUXT's stores. Here, the control plane's KRUXT rows: each KRUXT sandbox's database name, the
//! gateway login (whose password never leaves here), and the results of KRUXT scenarios by test
//! plan item. Below: the gateway's pools and caches (`gateways`), and the queries that read a
//! sandbox database's own catalog (`functions`, `tables`).

pub mod functions;
pub mod gateways;
pub mod tables;

pub use gateways::Gateways;

use crate::error::StoreError;
use crate::settings::Secret;
use sqlx::{PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// Records the database a KRUXT sandbox owns.
pub async fn set_database(db: impl PgExecutor<'_>, sandbox: Uuid, name: &str) -> Result<(), StoreError> {
    sqlx::query!("UPDATE sandbox SET database_name = $2, updated_at = now() WHERE id = $1", sandbox, name).execute(db).await?;
    Ok(())
}

/// The database a sandbox owns, if it is a KRUXT sandbox.
pub async fn database_of(db: impl PgExecutor<'_>, sandbox: Uuid) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar!("SELECT database_name FROM sandbox WHERE id = $1", sandbox).fetch_optional(db).await?.flatten())
}

/// Locks a sandbox's row while its database is dropped and cloned again.
pub async fn lock_sandbox(db: &mut PgConnection, sandbox: Uuid) -> Result<(), StoreError> {
    sqlx::query_scalar!("SELECT id FROM sandbox WHERE id = $1 FOR NO KEY UPDATE", sandbox).fetch_one(db).await?;
    Ok(())
}

/// The gateway login's role name and password, once created.
pub async fn gateway_login(db: impl PgExecutor<'_>) -> Result<Option<(String, Secret)>, StoreError> {
    let row = sqlx::query!("SELECT role_name, password FROM kruxt_gateway_login").fetch_optional(db).await?;
    Ok(row.map(|r| (r.role_name, Secret::new(r.password))))
}

/// Stores a gateway login unless one exists (the first instance to get here wins).
pub async fn insert_gateway_login(db: impl PgExecutor<'_>, role: &str, password: &Secret) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO kruxt_gateway_login (role_name, password) VALUES ($1, $2) ON CONFLICT (singleton) DO NOTHING",
        role,
        password.expose()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One scenario of a KRUXT run, with the items it covers.
pub struct NewResult<'a> {
    pub run: Uuid,
    pub sandbox: Uuid,
    pub file: &'a str,
    pub scenario: &'a str,
    pub items: &'a [i32],
    pub passed: bool,
}

pub async fn insert_result(db: impl PgExecutor<'_>, result: NewResult<'_>) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO kruxt_scenario_result (run_id, sandbox_id, file_name, scenario, items, passed) VALUES ($1, $2, $3, $4, $5, $6)",
        result.run,
        result.sandbox,
        result.file,
        result.scenario,
        result.items,
        result.passed
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The newest result of one scenario.
#[derive(Clone, Debug)]
pub struct LatestRow {
    pub file_name: String,
    pub scenario: String,
    pub passed: bool,
    pub at: OffsetDateTime,
    pub run_id: Uuid,
    pub sandbox_id: Uuid,
}

/// The newest result of every scenario ever run.
pub async fn latest_results(pool: &PgPool) -> Result<Vec<LatestRow>, StoreError> {
    sqlx::query_as!(
        LatestRow,
        "SELECT DISTINCT ON (file_name, scenario) file_name, scenario, passed, at, run_id, sandbox_id
         FROM kruxt_scenario_result ORDER BY file_name, scenario, at DESC"
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}
