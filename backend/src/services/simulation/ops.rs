//! Changes to a simulation: assume and reset, state patches, threshold overrides, simulated
//! activity, and new simulations.

use super::context::{create_in, mutate, resolve, Target};
use super::reads::{state_view, whoami_of};
use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::sandbox::theme::engine;
use crate::services::sandbox::{open, theme, Need};
use crate::state::AppState;
use crate::store;
use domain::{Assumption, StatePatch, ThresholdOverrides, ThresholdsView};
use wire::error::{ApiError, ErrorCode};
use wire::model::{ActivityRequest, CreateSimulation, SimulationView, StateView, WhoAmI};

/// At most this many simulations in one sandbox.
pub const MAX_SIMULATIONS: i64 = 10_000;

/// Assumes a tier (with an optional rank and badges) until reset.
#[tracing::instrument(name = "simulation::ops::assume", skip_all, fields(sandbox = %sandbox))]
pub async fn assume(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    assumption: Assumption,
    if_match: Option<i64>,
) -> Result<WhoAmI, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    assumption.validate(&theme).map_err(|e| ApiError::fields(&e))?;
    let sim = resolve(state, &row, target).await?;
    let ctx = mutate(state, p, &row, sim, if_match, "assume", |ctx| {
        ctx.assumed_role = Some(assumption);
        Ok(())
    })
    .await?;
    whoami_of(&theme, &ctx)
}

/// Returns to the computed tier.
#[tracing::instrument(name = "simulation::ops::reset_assume", skip_all, fields(sandbox = %sandbox))]
pub async fn reset_assume(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    if_match: Option<i64>,
) -> Result<WhoAmI, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    let ctx = mutate(state, p, &row, sim, if_match, "assume.reset", |ctx| {
        ctx.assumed_role = None;
        Ok(())
    })
    .await?;
    whoami_of(&theme, &ctx)
}

/// Changes state fields; all or nothing.
#[tracing::instrument(name = "simulation::ops::patch_state", skip_all, fields(sandbox = %sandbox))]
pub async fn patch_state(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    patch: StatePatch,
    if_match: Option<i64>,
) -> Result<StateView, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    if patch.is_empty() {
        return Err(ApiError::validation("body", "name at least one field to change"));
    }
    let sim = resolve(state, &row, target).await?;
    let ctx = mutate(state, p, &row, sim, if_match, "state.patch", |ctx| {
        let next = engine(&theme, &ctx.threshold_overrides)?.apply_patch(&ctx.simulated_state, &patch).map_err(|e| ApiError::fields(&e))?;
        ctx.simulated_state = next;
        Ok(())
    })
    .await?;
    state_view(&theme, &ctx)
}

/// Merges threshold overrides into those in force; the result must be a valid ladder.
#[tracing::instrument(name = "simulation::ops::patch_thresholds", skip_all, fields(sandbox = %sandbox))]
pub async fn patch_thresholds(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    patch: ThresholdOverrides,
    if_match: Option<i64>,
) -> Result<ThresholdsView, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    let ctx = mutate(state, p, &row, sim, if_match, "thresholds.patch", |ctx| {
        let merged = ctx.threshold_overrides.merged(&patch);
        engine(&theme, &merged)?;
        ctx.threshold_overrides = merged;
        Ok(())
    })
    .await?;
    Ok(engine(&theme, &ctx.threshold_overrides)?.thresholds().view(&theme))
}

/// Drops every threshold override.
#[tracing::instrument(name = "simulation::ops::reset_thresholds", skip_all, fields(sandbox = %sandbox))]
pub async fn reset_thresholds(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    if_match: Option<i64>,
) -> Result<ThresholdsView, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    let ctx = mutate(state, p, &row, sim, if_match, "thresholds.reset", |ctx| {
        ctx.threshold_overrides = ThresholdOverrides::default();
        Ok(())
    })
    .await?;
    Ok(engine(&theme, &ctx.threshold_overrides)?.thresholds().view(&theme))
}

/// Records a simulated activity under the gate's point rules.
#[tracing::instrument(name = "simulation::ops::record_activity", skip_all, fields(sandbox = %sandbox))]
pub async fn record_activity(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    req: ActivityRequest,
    if_match: Option<i64>,
) -> Result<domain::ActivityOutcome, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let theme = theme::of(state, &row)?;
    let kind = domain::theme::ActivityKind::parse(&req.kind).ok_or_else(|| {
        ApiError::validation("kind", "one of leaderboard_view, profile_view, badge_preview, cta_click, command_use, return_visit")
    })?;
    let now = req.at.unwrap_or_else(time::OffsetDateTime::now_utc);
    let sim = resolve(state, &row, target).await?;
    let mut outcome = None;
    mutate(state, p, &row, sim, if_match, "activity.record", |ctx| {
        let result = engine(&theme, &ctx.threshold_overrides)?
            .record_activity(&ctx.simulated_state, kind, now)
            .map_err(|e| ApiError::validation("at", e.to_string()))?;
        ctx.simulated_state = result.state;
        outcome = Some(result.outcome);
        Ok(())
    })
    .await?;
    outcome.ok_or_else(|| ApiError::internal("activity recorded without an outcome"))
}

/// Creates another simulation in the sandbox.
#[tracing::instrument(name = "simulation::ops::create", skip_all, fields(sandbox = %sandbox))]
pub async fn create(state: &AppState, p: &Principal, sandbox: &str, req: CreateSimulation) -> Result<SimulationView, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ApiError::validation("name", "1 to 64 characters"));
    }
    let mut tx = state.stores.pg.begin().await.db()?;
    if store::simulation::count(&mut *tx, row.id).await? >= MAX_SIMULATIONS {
        return Err(ApiError::new(ErrorCode::SandboxLimit, format!("a sandbox holds at most {MAX_SIMULATIONS} simulations")));
    }
    let ctx = create_in(&mut tx, row.id, name, false, &row.theme_id, Some(p.user_id)).await?;
    tx.commit().await.db()?;
    Ok(SimulationView { id: ctx.simulation_id, name: ctx.name, is_default: false, version: ctx.version, created_at: ctx.created_at })
}

/// The sandbox's simulations.
#[tracing::instrument(name = "simulation::ops::list", skip_all, fields(sandbox = %sandbox))]
pub async fn list(state: &AppState, p: &Principal, sandbox: &str) -> Result<Vec<SimulationView>, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    Ok(store::simulation::list(&state.stores.pg, row.id)
        .await?
        .into_iter()
        .map(|s| SimulationView {
            id: s.id.to_string(),
            name: s.name,
            is_default: s.is_default,
            version: s.version,
            created_at: s.created_at,
        })
        .collect())
}
