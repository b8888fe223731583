//! Scenario runs and saved scenario files: `POST /sandbox/:id/simulation/scenario` (PRD 4.5),
//! `/sandbox/:id/scenario-runs[/:run[/junit]]`, `/sandbox/:id/scenarios[/:name]`.

use super::extract::{Caller, Typed};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use backend::services::scenario as service;
use backend::state::AppState;
use domain::scenario::FileReport;
use serde::Deserialize;
use wire::error::ApiError;
use wire::model::{RunScenario, SavedScenario, ScenarioRun, ScenarioRunSummary};

pub async fn run(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
    Typed(req): Typed<RunScenario>,
) -> Result<Json<ScenarioRun>, ApiError> {
    Ok(Json(service::run(&s, &p, &id, req).await?))
}

pub async fn runs(State(s): State<AppState>, Caller(p): Caller, Path(id): Path<String>) -> Result<Json<Vec<ScenarioRunSummary>>, ApiError> {
    Ok(Json(service::runs(&s, &p, &id).await?))
}

pub async fn report(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, run)): Path<(String, String)>,
) -> Result<Json<FileReport>, ApiError> {
    Ok(Json(service::report(&s, &p, &id, &run).await?))
}

pub async fn junit(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, run)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let xml = service::junit(&s, &p, &id, &run).await?;
    let disposition = format!("attachment; filename=\"scenario-run-{run}.xml\"");
    Ok(([(header::CONTENT_TYPE, "application/xml".to_owned()), (header::CONTENT_DISPOSITION, disposition)], xml))
}

pub async fn saved(State(s): State<AppState>, Caller(p): Caller, Path(id): Path<String>) -> Result<Json<Vec<SavedScenario>>, ApiError> {
    Ok(Json(service::saved(&s, &p, &id).await?))
}

/// A scenario file's text, to save under a name.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ScenarioSource)]
pub struct Source {
    scenario: String,
}

pub async fn save(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, name)): Path<(String, String)>,
    Typed(body): Typed<Source>,
) -> Result<Json<SavedScenario>, ApiError> {
    Ok(Json(service::save(&s, &p, &id, &name, &body.scenario).await?))
}

pub async fn run_saved(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<ScenarioRun>, ApiError> {
    Ok(Json(service::run_saved(&s, &p, &id, &name).await?))
}

pub async fn delete_saved(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    service::delete_saved(&s, &p, &id, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
