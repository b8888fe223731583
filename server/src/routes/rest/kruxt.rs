//! KRUXT sandboxes: `/sandbox/:id/kruxt/...` (status, actors, assume, clock, reset, RPC calls,
//! read-only queries, the staff console flow, the RLS matrix, the shipped scenarios) and
//! `GET /api/kruxt/test-plan` (the page of the same plan is `/kruxt/test-plan`). Every operation
//! acts as the simulation's assumed KRUXT actor.

use super::extract::{Caller, IfMatch, Params, Sim, Typed};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::services::kruxt as service;
use backend::services::simulation::Target;
use backend::state::AppState;
use domain::scenario::kruxt::PlanStatus;
use serde::Deserialize;
use serde_json::{Map, Value};
use wire::error::ApiError;
use wire::model::{
    AssumeActor, ConsoleRequest, FlowResult, KruxtActor, KruxtStatus, KruxtSuiteRun, MatrixComparison, NewKruxtActor, QueryRequest,
    QueryResult, RpcResult, SetClock,
};

type Id = Path<String>;

pub async fn status(State(s): State<AppState>, Caller(p): Caller, Path(id): Id, Sim(t): Sim) -> Result<Json<KruxtStatus>, ApiError> {
    Ok(Json(service::status(&s, &p, &id, &t).await?))
}

pub async fn actors(State(s): State<AppState>, Caller(p): Caller, Path(id): Id) -> Result<Json<Vec<KruxtActor>>, ApiError> {
    Ok(Json(service::actors(&s, &p, &id).await?))
}

pub async fn add_actor(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Typed(req): Typed<NewKruxtActor>,
) -> Result<(StatusCode, Json<KruxtActor>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::add_actor(&s, &p, &id, req).await?)))
}

pub async fn assume(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    Typed(req): Typed<AssumeActor>,
) -> Result<Json<KruxtStatus>, ApiError> {
    Ok(Json(service::assume(&s, &p, &id, &t, req, v).await?))
}

pub async fn reset_actor(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
) -> Result<Json<KruxtStatus>, ApiError> {
    Ok(Json(service::reset_actor(&s, &p, &id, &t, v).await?))
}

pub async fn clock(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    IfMatch(v): IfMatch,
    Typed(req): Typed<SetClock>,
) -> Result<Json<KruxtStatus>, ApiError> {
    Ok(Json(service::set_clock(&s, &p, &id, &t, req, v).await?))
}

pub async fn reset(State(s): State<AppState>, Caller(p): Caller, Path(id): Id, Sim(t): Sim) -> Result<Json<KruxtStatus>, ApiError> {
    Ok(Json(service::reset(&s, &p, &id, &t).await?))
}

pub async fn rpc(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, function)): Path<(String, String)>,
    Sim(t): Sim,
    Typed(args): Typed<Map<String, Value>>,
) -> Result<Json<RpcResult>, ApiError> {
    Ok(Json(service::rpc(&s, &p, &id, &t, &function, args).await?))
}

pub async fn query(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Sim(t): Sim,
    Typed(req): Typed<QueryRequest>,
) -> Result<Json<QueryResult>, ApiError> {
    Ok(Json(service::query(&s, &p, &id, &t, req).await?))
}

pub async fn console(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, method)): Path<(String, String)>,
    Sim(t): Sim,
    Typed(req): Typed<ConsoleRequest>,
) -> Result<Json<FlowResult>, ApiError> {
    Ok(Json(service::console(&s, &p, &id, &t, &method, req).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixParams {
    simulation: Option<String>,
    actors: Option<String>,
    tables: Option<String>,
    format: Option<String>,
}

/// The matrix as JSON, or as CSV with `?format=csv`.
pub async fn matrix(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Params(q): Params<MatrixParams>,
) -> Result<Response, ApiError> {
    let query = service::MatrixQuery::parse(q.actors.as_deref(), q.tables.as_deref());
    let target = Target(q.simulation);
    let m = service::matrix(&s, &p, &id, &target, query).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(Json(m).into_response()),
        Some("csv") => {
            let disposition = format!("attachment; filename=\"rls-matrix-{id}.csv\"");
            Ok((
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
                service::matrix_to_csv(&m),
            )
                .into_response())
        }
        Some(_) => Err(ApiError::validation("format", "json or csv")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareParams {
    simulation: Option<String>,
    left: Option<String>,
    right: Option<String>,
    tables: Option<String>,
}

pub async fn compare(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Id,
    Params(q): Params<CompareParams>,
) -> Result<Json<MatrixComparison>, ApiError> {
    let target = Target(q.simulation);
    let left = q.left.unwrap_or_default();
    let right = q.right.unwrap_or_default();
    Ok(Json(service::compare(&s, &p, &id, &target, &left, &right, q.tables.as_deref()).await?))
}

pub async fn run_suite(State(s): State<AppState>, Caller(p): Caller, Path(id): Id) -> Result<Json<KruxtSuiteRun>, ApiError> {
    Ok(Json(service::run_suite(&s, &p, &id).await?))
}

pub async fn test_plan(State(s): State<AppState>, Caller(p): Caller) -> Result<Json<PlanStatus>, ApiError> {
    Ok(Json(service::test_plan(&s, &p).await?))
}
