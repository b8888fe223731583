//! Loading and changing one simulation's context.

use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::events::{self, Change};
use crate::services::keys;
use crate::state::AppState;
use crate::store;
use crate::store::sandbox::SandboxRow;
use crate::store::simulation::{NewEvent, SimulationRow};
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};
use wire::model::SimulationContext;

/// Which simulation of a sandbox: the default one, or one named by id or name
/// (`?simulation=` on REST).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target(pub Option<String>);

/// The id of the simulation a request means; the default one comes from the (cached)
/// sandbox row, so the common case touches no database.
pub(crate) async fn resolve(state: &AppState, sandbox: &SandboxRow, target: &Target) -> Result<Uuid, ApiError> {
    let found = match target.0.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => sandbox.default_simulation,
        Some(key) => store::simulation::find(&state.stores.pg, sandbox.id, key).await?.map(|s| s.id),
    };
    found.ok_or_else(|| ApiError::not_found("simulation"))
}

/// A fresh context for a new simulation.
fn fresh(sandbox: Uuid, sim: &SimulationRow, theme_id: &str) -> SimulationContext {
    SimulationContext {
        sandbox_id: sandbox.to_string(),
        simulation_id: sim.id.to_string(),
        name: sim.name.clone(),
        version: 0,
        theme_id: theme_id.to_owned(),
        assumed_role: None,
        simulated_state: Default::default(),
        threshold_overrides: Default::default(),
        kruxt: None,
        created_at: sim.created_at,
        updated_at: sim.created_at,
    }
}

/// Creates a simulation with its first event (version 1, the fresh context), inside the
/// caller's transaction.
pub(super) async fn create_in(
    tx: &mut sqlx::PgConnection,
    sandbox: Uuid,
    name: &str,
    is_default: bool,
    theme_id: &str,
    actor: Option<Uuid>,
) -> Result<SimulationContext, ApiError> {
    let sim = store::simulation::insert(&mut *tx, sandbox, name, is_default).await.map_err(|e| {
        if e.constraint() == Some("simulation_sandbox_id_name_key") {
            ApiError::new(ErrorCode::Conflict, format!("a simulation is already named `{name}`"))
                .with_details(json!({ "field": "name", "rule": "unique in the sandbox" }))
        } else {
            e.into()
        }
    })?;
    let mut ctx = fresh(sandbox, &sim, theme_id);
    ctx.version = 1;
    let after = serde_json::to_value(&ctx).map_err(ApiError::internal)?;
    let event = NewEvent { simulation: sim.id, sandbox, version: 1, actor, operation: "simulation.create", before: None, after: &after };
    store::simulation::append(tx, event).await?;
    Ok(ctx)
}

/// The default simulation of a sandbox being created.
#[tracing::instrument(name = "simulation::context::create_default", skip_all)]
pub async fn create_default(tx: &mut sqlx::PgConnection, sandbox: Uuid, theme_id: &str, actor: Option<Uuid>) -> Result<(), ApiError> {
    create_in(tx, sandbox, "default", true, theme_id, actor).await.map(|_| ())
}

fn hot_ttl(sandbox: &SandboxRow) -> Duration {
    let left = (sandbox.expires_at - time::OffsetDateTime::now_utc()).whole_milliseconds();
    Duration::from_millis(u64::try_from(left).unwrap_or(0).max(1000))
}

/// The context, from the hot store, else rebuilt from the newest event and put back.
pub(crate) async fn load(state: &AppState, sandbox: &SandboxRow, sim: Uuid) -> Result<SimulationContext, ApiError> {
    let key = keys::simulation(sandbox.id, sim);
    if !state.stale_hot.lock().expect("stale set lock").contains(&key) {
        if let Some(json) = state.stores.hot.get(&key).await? {
            if let Ok(ctx) = serde_json::from_str(&json) {
                return Ok(ctx);
            }
        }
    }
    // Every simulation is created with its first event, so no event means no simulation.
    let after = store::simulation::latest_context(&state.stores.pg, sim).await?.ok_or_else(|| ApiError::not_found("simulation"))?;
    let ctx: SimulationContext = serde_json::from_value(after).map_err(ApiError::internal)?;
    put_hot(state, sandbox, &key, &ctx).await;
    Ok(ctx)
}

async fn put_hot(state: &AppState, sandbox: &SandboxRow, key: &str, ctx: &SimulationContext) {
    let stored = match serde_json::to_string(ctx) {
        // "Not newer" is success too: a later version is already there.
        Ok(json) => state.stores.hot.set_if_newer(key, &json, ctx.version, hot_ttl(sandbox)).await.is_ok(),
        Err(_) => false,
    };
    let mut stale = state.stale_hot.lock().expect("stale set lock");
    if stored {
        stale.remove(key);
    } else {
        // The change is durable in PostgreSQL; until the hot copy is written again, reads on
        // this instance rebuild from the events instead of trusting it.
        tracing::warn!(key, "hot copy not updated; will rebuild from events");
        stale.insert(key.to_owned());
    }
}

/// Applies `change` to the newest context under the simulation's row lock: checks `if_match`,
/// appends the event, commits, then updates the hot copy. A change that fails validation
/// writes nothing.
pub(crate) async fn mutate(
    state: &AppState,
    principal: &Principal,
    sandbox: &SandboxRow,
    sim: Uuid,
    if_match: Option<i64>,
    operation: &str,
    change: impl FnOnce(&mut SimulationContext) -> Result<(), ApiError>,
) -> Result<SimulationContext, ApiError> {
    let mut tx = state.stores.pg.begin().await.db()?;
    let version = store::simulation::lock(&mut tx, sim).await?.ok_or_else(|| ApiError::not_found("simulation"))?;
    if let Some(expected) = if_match {
        if expected != version {
            return Err(ApiError::new(
                ErrorCode::VersionConflict,
                format!("the simulation is at version {version}, not {expected}; read it again and retry"),
            )
            .with_details(json!({ "expected": expected, "actual": version })));
        }
    }
    let before = store::simulation::latest_context(&mut *tx, sim).await?.ok_or_else(|| ApiError::not_found("simulation"))?;
    let before: SimulationContext = serde_json::from_value(before).map_err(ApiError::internal)?;
    let mut after = before.clone();
    change(&mut after)?;
    after.version = version + 1;
    after.updated_at = time::OffsetDateTime::now_utc();
    let before_json = serde_json::to_value(&before).map_err(ApiError::internal)?;
    let after_json = serde_json::to_value(&after).map_err(ApiError::internal)?;
    let event = NewEvent {
        simulation: sim,
        sandbox: sandbox.id,
        version: after.version,
        actor: Some(principal.user_id),
        operation,
        before: Some(&before_json),
        after: &after_json,
    };
    store::simulation::append(&mut tx, event).await?;
    tx.commit().await.db()?;
    put_hot(state, sandbox, &keys::simulation(sandbox.id, sim), &after).await;
    let change = Change {
        sandbox: sandbox.id,
        kind: "simulation".into(),
        action: operation.to_owned(),
        simulation: Some(after.name.clone()),
        version: Some(after.version),
    };
    events::publish(state, change).await;
    Ok(after)
}
