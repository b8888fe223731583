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

pub use console::console;
pub use context::{actors, add_actor, assume, reset, reset_actor, set_clock, status};
pub use files::{template_name, ANCHOR};
pub use matrix::{compare, matrix, to_csv as matrix_to_csv, MatrixQuery};
pub use plan::{offline_plan, run_suite, test_plan};
pub use query::query;
pub use rpc::rpc;

pub(crate) use errors::unavailable;

use crate::services::auth::Principal;
use crate::services::sandbox::{self, Need};
use crate::state::AppState;
use crate::store;
use crate::store::sandbox::{database_name, SandboxKind, SandboxRow};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use wire::error::{ApiError, ErrorCode};
use wire::model::KRUXT_THEME_ID;

/// The function signatures of one database, by name.
pub(crate) type FunctionCache = moka::sync::Cache<String, std::sync::Arc<Vec<crate::store::kruxt::functions::Signature>>>;
use uuid::Uuid;

/// The error for tier-theme work (checks, state, thresholds, tier scenarios) on a KRUXT sandbox.
pub fn not_tier_theme(row: &SandboxRow) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!("sandbox {} is a KRUXT sandbox: tier-theme features do not apply; use /sandbox/{}/kruxt/...", row.name, row.id),
    )
    .with_details(json!({ "themeId": KRUXT_THEME_ID, "rule": "a tier-theme sandbox (sietch, basic or an uploaded theme)" }))
}

/// The database of a KRUXT sandbox; refuses a tier-theme sandbox.
pub(crate) fn require(row: &SandboxRow) -> Result<String, ApiError> {
    if let SandboxKind::Kruxt { database } = row.kind() {
        return Ok(database.into_owned());
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        format!("sandbox {} runs the tier theme {}, not KRUXT; create a sandbox with themeId kruxt", row.name, row.theme_id),
    )
    .with_details(json!({ "themeId": row.theme_id, "rule": "a KRUXT sandbox (themeId kruxt)" })))
}

/// A KRUXT sandbox the caller may use, with its database, gateway pool and function catalog.
pub(crate) struct Kruxt {
    pub row: SandboxRow,
    pub database: String,
    pub pool: PgPool,
    /// The database's function signatures, cached per database.
    pub functions: FunctionCache,
}

impl Kruxt {
    async fn of(state: &AppState, row: SandboxRow) -> Result<Kruxt, ApiError> {
        let database = require(&row)?;
        let entry = gateway::database(state, &database).await?;
        Ok(Kruxt { row, database, pool: entry.pool, functions: entry.functions })
    }
}

/// Opens a KRUXT sandbox for `need`.
pub(crate) async fn open(state: &AppState, p: &Principal, id: &str, need: Need) -> Result<Kruxt, ApiError> {
    let row = sandbox::open(state, p, id, need).await?;
    Kruxt::of(state, row).await
}

/// Before a KRUXT sandbox is created: the template and the gateway login exist (built now if
/// missing). Returns the template's name; fails with 503 when this server cannot host KRUXT.
#[tracing::instrument(name = "kruxt::prepare", skip_all)]
pub async fn prepare(state: &AppState) -> Result<String, ApiError> {
    let template = cluster::ensure_template(state).await?;
    gateway::login(state).await?;
    Ok(template)
}

/// Clones the template for a sandbox being created and records the database in its row (in the
/// creating transaction).
#[tracing::instrument(name = "kruxt::provision", skip_all)]
pub async fn provision(state: &AppState, tx: &mut PgConnection, sandbox: Uuid, template: &str) -> Result<(), ApiError> {
    let database = database_name(sandbox);
    match cluster::clone_database(state, template, &database).await {
        // The template was dropped since `prepare`: build it again, once.
        Err(e) if e.sqlstate() == Some("3D000") => {
            let template = cluster::ensure_template(state).await?;
            cluster::clone_database(state, &template, &database).await?;
        }
        other => other?,
    }
    store::kruxt::set_database(&mut *tx, sandbox, &database).await?;
    Ok(())
}

/// Drops the database a sandbox would own (after a failed creation). Idempotent.
#[tracing::instrument(name = "kruxt::drop_database", skip_all)]
pub async fn drop_database(state: &AppState, sandbox: Uuid) -> Result<(), ApiError> {
    forget_and_drop(state, &database_name(sandbox)).await
}

/// The one place a sandbox database goes away: this process forgets its pool and function
/// cache, then the database is dropped (ending every other connection to it).
async fn forget_and_drop(state: &AppState, database: &str) -> Result<(), ApiError> {
    gateway::forget(state, database);
    cluster::drop_database(state, database).await
}

/// Drops a sandbox's database if it has one (clean-up after destroy or expiry). Idempotent.
#[tracing::instrument(name = "kruxt::release", skip_all)]
pub async fn release(state: &AppState, sandbox: Uuid) -> Result<(), ApiError> {
    if let Some(database) = store::kruxt::database_of(&state.stores.pg, sandbox).await? {
        forget_and_drop(state, &database).await?;
    }
    Ok(())
}

/// Runs a KRUXT scenario file in a KRUXT sandbox and stores the run (the scenario endpoint
/// sends KRUXT files and KRUXT sandboxes here).
#[tracing::instrument(name = "kruxt::run_file", skip_all)]
pub async fn run_file(
    state: &AppState,
    p: &Principal,
    row: SandboxRow,
    file_name: &str,
    text: &str,
) -> Result<wire::model::ScenarioRun, ApiError> {
    let kruxt = Kruxt::of(state, row).await?;
    scenario::run_and_store(state, p, &kruxt, file_name, text).await
}

/// Whether a scenario file is a KRUXT file (`theme: kruxt`).
pub fn is_kruxt_file(text: &str, file_name: &str) -> bool {
    domain::scenario::kruxt::is_kruxt(text, file_name)
}
