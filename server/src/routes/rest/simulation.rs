//! `/sandbox/:id/simulation/...` and `/sandbox/:id/simulations`: PRD section 4.5.

use super::extract::{Caller, IfMatch, JsonBody, Sim, Typed};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::services::simulation as service;
use backend::state::AppState;
use domain::{ActivityOutcome, CheckResult, ThresholdsView};
use wire::error::ApiError;
use wire::json::{parse_json, parse_state_patch, parse_threshold_overrides};
use wire::model::{CreateSimulation, SimulationView, StateView, WhoAmI};

type Id = Path<String>;

/// A JSON answer carrying the simulation's version as its `ETag`.
fn versioned<T: serde::Serialize>(version: i64, body: T) -> Response {
    ([(header::ETAG, format!("\"{version}\""))], Json(body)).into_response()
}

pub async fn assume(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    JsonBody(b): JsonBody,
) -> Result<Response, ApiError> {
    let who: WhoAmI = service::assume(&s, &p, &id, &t, parse_json(b)?, v).await?;
    Ok(versioned(who.version, who))
}

pub async fn reset_assume(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
) -> Result<Response, ApiError> {
    let who = service::reset_assume(&s, &p, &id, &t, v).await?;
    Ok(versioned(who.version, who))
}

pub async fn state(State(s): State<AppState>, Caller(p): Caller, Path(id): Id, Sim(t): Sim) -> Result<Response, ApiError> {
    let view: StateView = service::state(&s, &p, &id, &t).await?;
    Ok(versioned(view.version, view))
}

pub async fn patch_state(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    JsonBody(b): JsonBody,
) -> Result<Response, ApiError> {
    let view = service::patch_state(&s, &p, &id, &t, parse_state_patch(&b)?, v).await?;
    Ok(versioned(view.version, view))
}

pub async fn check(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    JsonBody(b): JsonBody,
) -> Result<Json<CheckResult>, ApiError> {
    Ok(Json(service::check(&s, &p, &id, &t, parse_json(b)?).await?))
}

pub async fn whoami(State(s): State<AppState>, Caller(p): Caller, Path(id): Id, Sim(t): Sim) -> Result<Response, ApiError> {
    let who = service::whoami(&s, &p, &id, &t).await?;
    Ok(versioned(who.version, who))
}

pub async fn thresholds(State(s): State<AppState>, Caller(p): Caller, Path(id): Id, Sim(t): Sim) -> Result<Json<ThresholdsView>, ApiError> {
    Ok(Json(service::thresholds(&s, &p, &id, &t).await?))
}

pub async fn patch_thresholds(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    JsonBody(b): JsonBody,
) -> Result<Json<ThresholdsView>, ApiError> {
    Ok(Json(service::patch_thresholds(&s, &p, &id, &t, parse_threshold_overrides(&b)?, v).await?))
}

pub async fn reset_thresholds(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
) -> Result<Json<ThresholdsView>, ApiError> {
    Ok(Json(service::reset_thresholds(&s, &p, &id, &t, v).await?))
}

pub async fn activity(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    JsonBody(b): JsonBody,
) -> Result<Json<ActivityOutcome>, ApiError> {
    Ok(Json(service::record_activity(&s, &p, &id, &t, parse_json(b)?, v).await?))
}

pub async fn list(State(s): State<AppState>, Caller(p): Caller, Path(id): Id) -> Result<Json<Vec<SimulationView>>, ApiError> {
    Ok(Json(service::list(&s, &p, &id).await?))
}

pub async fn create(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Typed(req): Typed<CreateSimulation>,
) -> Result<(StatusCode, Json<SimulationView>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::create(&s, &p, &id, req).await?)))
}
