//! KRUXT in the sandbox: a KRUXT sandbox owns a PostgreSQL database cloned from a template
//! built from `migrations/kruxt` and the seed; Crysknife acts as KRUXT users inside it (one
//! transaction per operation, on a non-superuser gateway login, with the actor's role, claims
//! and simulated clock), so the database's own row-level security, functions and triggers
//! decide. This module owns the databases (template, clone, reset, drop), the actors, RPC
//! calls, read-only exploration, the staff console flow (09 §2), the RLS matrix, the KRUXT
//! scenario runner and the beta test plan's status.

mod actors;
mod catalog;
mod cluster;
mod console;
mod context;
mod errors;
mod files;
mod gateway;
mod matrix;
mod plan;
mod query;
mod rpc;
mod scenario;
mod scram;
mod session;
mod tables;

pub use cluster::database_name;
pub use console::console;
pub use context::{actors, add_actor, assume, reset, reset_actor, set_clock, status};
pub use files::{template_name, ANCHOR};
pub use matrix::{compare, matrix, to_csv as matrix_to_csv, MatrixQuery};
pub use plan::{offline_plan, run_suite, test_plan};
pub use query::query;
pub use rpc::rpc;

pub(crate) use errors::unavailable;

use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Principal;
use crate::services::sandbox::{self, Need};
use crate::state::AppState;
use crate::store::{self, sandbox::SandboxRow};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The theme id of KRUXT sandboxes.
pub const THEME_ID: &str = "kruxt";

/// The error for tier-theme work (checks, state, thresholds, tier scenarios) on a KRUXT sandbox.
pub fn not_tier_theme(row: &SandboxRow) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!("sandbox {} is a KRUXT sandbox: tier-theme features do not apply; use /sandbox/{}/kruxt/...", row.name, row.id),
    )
    .with_details(json!({ "themeId": THEME_ID, "rule": "a tier-theme sandbox (sietch, basic or an uploaded theme)" }))
}

/// Refuses a sandbox that is not a KRUXT sandbox.
pub(crate) fn require(row: &SandboxRow) -> Result<(), ApiError> {
    if row.theme_id == THEME_ID {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        format!("sandbox {} runs the tier theme {}, not KRUXT; create a sandbox with themeId kruxt", row.name, row.theme_id),
    )
    .with_details(json!({ "themeId": row.theme_id, "rule": "a KRUXT sandbox (themeId kruxt)" })))
}

/// A KRUXT sandbox the caller may use, with its database and gateway pool.
pub(crate) struct Kruxt {
    pub row: SandboxRow,
    pub database: String,
    pub pool: PgPool,
}

/// Opens a KRUXT sandbox for `need`.
pub(crate) async fn open(state: &AppState, p: &Principal, id: &str, need: Need) -> Result<Kruxt, ApiError> {
    let row = sandbox::open(state, p, id, need).await?;
    require(&row)?;
    let database = database_name(row.id);
    let pool = gateway::pool(state, &database).await?;
    Ok(Kruxt { row, database, pool })
}

/// Before a KRUXT sandbox is created: the template and the gateway login exist (built now if
/// missing). Returns the template's name; fails with 503 when this server cannot host KRUXT.
pub async fn prepare(state: &AppState) -> Result<String, ApiError> {
    let template = cluster::ensure_template(state).await?;
    gateway::login(state).await?;
    Ok(template)
}

/// Clones the template for a sandbox being created and records the database in its row (in the
/// creating transaction).
pub async fn provision(state: &AppState, tx: &mut PgConnection, sandbox: Uuid, template: &str) -> Result<(), ApiError> {
    let database = database_name(sandbox);
    match cluster::clone_database(state, template, &database).await {
        // The template was dropped since `prepare`: build it again, once.
        Err(e) if e.details.get("sqlstate").and_then(|s| s.as_str()) == Some("3D000") => {
            let template = cluster::ensure_template(state).await?;
            cluster::clone_database(state, &template, &database).await?;
        }
        other => other?,
    }
    store::kruxt::set_database(&mut *tx, sandbox, &database).await?;
    Ok(())
}

/// Drops the database a sandbox would own (after a failed creation). Idempotent.
pub async fn drop_database(state: &AppState, sandbox: Uuid) -> Result<(), ApiError> {
    cluster::drop_database(state, &database_name(sandbox)).await
}

/// Drops a sandbox's database if it has one (clean-up after destroy or expiry). Idempotent.
pub async fn release(state: &AppState, sandbox: Uuid) -> Result<(), ApiError> {
    if let Some(database) = store::kruxt::database_of(&state.stores.pg, sandbox).await? {
        cluster::drop_database(state, &database).await?;
    }
    Ok(())
}

/// Runs a KRUXT scenario file in a KRUXT sandbox and stores the run (the scenario endpoint
/// sends KRUXT files and KRUXT sandboxes here).
pub async fn run_file(state: &AppState, p: &Principal, row: SandboxRow, file_name: &str, text: &str) -> Result<crate::model::ScenarioRun, ApiError> {
    require(&row)?;
    let database = database_name(row.id);
    let pool = gateway::pool(state, &database).await?;
    let kruxt = Kruxt { row, database, pool };
    scenario::run_and_store(state, p, &kruxt, file_name, text).await
}

/// Whether a scenario file is a KRUXT file (`theme: kruxt`).
pub fn is_kruxt_file(text: &str, file_name: &str) -> bool {
    domain::scenario::kruxt::is_kruxt(text, file_name)
}
