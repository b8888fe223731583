//! Questions asked of a simulation: state, who am I, checks, thresholds.

use super::context::{load, resolve, Target};
use crate::services::auth::Principal;
use crate::services::sandbox::theme::{engine, Engine};
use crate::services::sandbox::{open, theme, Need};
use crate::state::AppState;
use domain::{CheckError, CheckRequest, CheckResult, Theme, ThresholdsView};
use serde_json::json;
use std::sync::Arc;
use wire::error::ApiError;
use wire::model::{AssumedRoleView, SimulationContext, StateView, WhoAmI};

fn evaluator<'t>(theme: &'t Arc<Theme>, ctx: &SimulationContext) -> Result<Engine<'t>, ApiError> {
    engine(theme, &ctx.threshold_overrides)
}

/// The state with what derives from it.
pub(super) fn state_view(theme: &Arc<Theme>, ctx: &SimulationContext) -> Result<StateView, ApiError> {
    let ev = evaluator(theme, ctx)?;
    let subject = ev.subject(&ctx.simulated_state, ctx.assumed_role.as_ref()).map_err(|e| ApiError::fields(&e))?;
    let tier = ev.tier(&subject);
    let gate = ev.gate(&subject);
    Ok(StateView {
        simulation: ctx.name.clone(),
        version: ctx.version,
        state: ctx.simulated_state.clone(),
        engagement_stage: gate.stage,
        tier_id: tier.tier_id,
        computed_tier_id: tier.computed.tier_id,
        assumed_tier_id: tier.assumed.map(|a| a.tier_id),
    })
}

/// Who the simulated member is: assumed and computed tier, gate, state.
pub(super) fn whoami_of(theme: &Arc<Theme>, ctx: &SimulationContext) -> Result<WhoAmI, ApiError> {
    let ev = evaluator(theme, ctx)?;
    let subject = ev.subject(&ctx.simulated_state, ctx.assumed_role.as_ref()).map_err(|e| ApiError::fields(&e))?;
    let tier = ev.tier(&subject);
    let gate = ev.gate(&subject);
    let assumed_role = tier.assumed.as_ref().map(|a| AssumedRoleView {
        tier_id: a.tier_id.clone(),
        tier_name: a.tier_name.clone(),
        permissions: a.permissions.clone(),
        rank: a.rank.map(|r| r.get()),
        badges: a.badges.iter().cloned().collect(),
    });
    Ok(WhoAmI {
        sandbox_id: ctx.sandbox_id.clone(),
        simulation: ctx.name.clone(),
        version: ctx.version,
        theme_id: theme.id.clone(),
        assumed_role,
        state: state_view(theme, ctx)?,
        tier,
        gate,
        thresholds_overridden: !ctx.threshold_overrides.is_empty(),
    })
}

/// `GET .../simulation/state`.
#[tracing::instrument(name = "simulation::reads::state", skip_all, fields(sandbox = %sandbox))]
pub async fn state(state: &AppState, p: &Principal, sandbox: &str, target: &Target) -> Result<StateView, ApiError> {
    let row = open(state, p, sandbox, Need::Use).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    state_view(&theme, &load(state, &row, sim).await?)
}

/// `GET .../simulation/whoami`.
#[tracing::instrument(name = "simulation::reads::whoami", skip_all, fields(sandbox = %sandbox))]
pub async fn whoami(state: &AppState, p: &Principal, sandbox: &str, target: &Target) -> Result<WhoAmI, ApiError> {
    let row = open(state, p, sandbox, Need::Use).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    whoami_of(&theme, &load(state, &row, sim).await?)
}

/// `POST .../simulation/check` with `{type, target}`.
#[tracing::instrument(name = "simulation::reads::check", skip_all, fields(sandbox = %sandbox))]
pub async fn check(
    state: &AppState,
    p: &Principal,
    sandbox: &str,
    target: &Target,
    request: CheckRequest,
) -> Result<CheckResult, ApiError> {
    let row = open(state, p, sandbox, Need::Use).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    let ctx = load(state, &row, sim).await?;
    let ev = evaluator(&theme, &ctx)?;
    let subject = ev.subject(&ctx.simulated_state, ctx.assumed_role.as_ref()).map_err(|e| ApiError::fields(&e))?;
    ev.check(&subject, &request).map_err(|e| {
        let (kind, near) = match &e {
            CheckError::UnknownChannel { near_matches, .. } => ("channel", near_matches.clone()),
            CheckError::UnknownFeature { near_matches, .. } => ("feature", near_matches.clone()),
        };
        ApiError::validation("target", e.to_string())
            .with_details(json!({ "field": "target", "rule": format!("known {kind}"), "nearMatches": near }))
    })
}

/// `GET .../simulation/thresholds`.
#[tracing::instrument(name = "simulation::reads::thresholds", skip_all, fields(sandbox = %sandbox))]
pub async fn thresholds(state: &AppState, p: &Principal, sandbox: &str, target: &Target) -> Result<ThresholdsView, ApiError> {
    let row = open(state, p, sandbox, Need::Use).await?;
    let theme = theme::of(state, &row)?;
    let sim = resolve(state, &row, target).await?;
    let ctx = load(state, &row, sim).await?;
    Ok(evaluator(&theme, &ctx)?.thresholds().view(&theme))
}

/// The sandbox, its theme and one simulation's context, for pages that compute with the engine.
#[tracing::instrument(name = "simulation::reads::workbench", skip_all, fields(sandbox = %sandbox))]
pub async fn workbench(state: &AppState, p: &Principal, sandbox: &str, target: &Target) -> Result<wire::model::Workbench, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    let theme = theme::of(state, &row)?;
    let context = match row.default_simulation {
        Some(_) if row.state.is_live() => {
            let sim = resolve(state, &row, target).await?;
            load(state, &row, sim).await?
        }
        // A sandbox no longer running keeps its newest context in PostgreSQL only.
        _ => {
            let sim = resolve(state, &row, target).await?;
            let after =
                crate::store::simulation::latest_context(&state.stores.pg, sim).await?.ok_or_else(|| ApiError::not_found("simulation"))?;
            serde_json::from_value(after).map_err(ApiError::internal)?
        }
    };
    let simulations = crate::store::simulation::list(&state.stores.pg, row.id)
        .await?
        .into_iter()
        .map(|s| wire::model::SimulationView {
            id: s.id.to_string(),
            name: s.name,
            is_default: s.is_default,
            version: s.version,
            created_at: s.created_at,
        })
        .collect();
    Ok(wire::model::Workbench { sandbox: crate::services::sandbox::view(&row), theme: (*theme).clone(), context, simulations })
}
