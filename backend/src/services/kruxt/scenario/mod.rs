//! Running KRUXT scenario files against a KRUXT sandbox's database. Each scenario runs in one
//! transaction that is rolled back at its end, so scenarios never see each other's changes and
//! the sandbox is left as it was; each database action runs in a savepoint as its actor (kept
//! when it succeeds, so later steps see it), and each expectation is judged by the pure judge in
//! `domain::scenario::kruxt`. Runs are stored like tier runs, plus one row per scenario with the
//! test plan items it covers, for the beta test plan's status.

mod action;

use super::errors::db_error;
use super::files::ANCHOR;
use super::session::{Acting, Actor};
use super::{actors, FunctionCache, Kruxt};
use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::events::{self, Change};
use crate::state::AppState;
use crate::store::kruxt::tables::{self, Table};
use crate::store::{self, kruxt::NewResult, scenario::NewRun};
use domain::scenario::kruxt::{self as spec, ActionTiming, KruxtAction, KruxtFile, KruxtScenario, KruxtStep, Outcome, Vars};
use domain::scenario::{FileReport, FileStatus, Limits, ScenarioReport, ScenarioStatus, StepFailure, Totals};
use sqlx::{Connection, PgConnection};
use std::time::Instant;
use wire::error::{ApiError, ErrorCode};
use wire::model::ScenarioRun;

/// Why a step could not be carried out (the scenario stops there).
struct Stop(String);

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Self {
        Stop(e.message)
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop(db_error(e).message)
    }
}

/// What a run knows of the database: its tables, its initially deferred constraints, and its
/// functions as far as asked.
struct Catalog<'k> {
    tables: Vec<Table>,
    deferred: Vec<String>,
    functions: &'k FunctionCache,
}

/// Reads a KRUXT file; an unreadable one is an invalid report.
pub(crate) fn parse(text: &str, file_name: &str) -> Result<KruxtFile, FileReport> {
    spec::parse(text, file_name, &Limits::default()).map_err(|errors| FileReport::invalid(file_name, None, errors.0))
}

/// Runs every scenario of `file` in the sandbox's database.
pub(crate) async fn run_parsed(kruxt: &Kruxt, file_name: &str, file: &KruxtFile) -> Result<FileReport, ApiError> {
    let started = Instant::now();
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let catalog = {
        let mut tx = conn.begin().await.map_err(db_error)?;
        let found = tables::tables(&mut tx).await.map_err(db_error)?;
        let deferred = tables::initially_deferred(&mut tx).await.map_err(db_error)?;
        tx.rollback().await.map_err(db_error)?;
        Catalog { tables: found, deferred, functions: &kruxt.functions }
    };
    let mut scenarios = Vec::with_capacity(file.scenarios.len());
    for scenario in &file.scenarios {
        scenarios.push(run_scenario(&mut conn, &catalog, file, scenario).await?);
    }
    let mut report = FileReport {
        file: file_name.to_owned(),
        name: Some(file.name.clone()),
        theme: Some(spec::THEME.to_owned()),
        status: FileStatus::Passed,
        errors: Vec::new(),
        scenarios,
        golden_updates: Vec::new(),
        totals: Totals::default(),
        duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
    };
    report.recount();
    Ok(report)
}

async fn run_scenario(
    conn: &mut PgConnection,
    catalog: &Catalog<'_>,
    file: &KruxtFile,
    scenario: &KruxtScenario,
) -> Result<ScenarioReport, ApiError> {
    let mut tx = conn.begin().await.map_err(db_error)?;
    if scenario.immediate {
        sqlx::raw_sql("SET CONSTRAINTS ALL IMMEDIATE").execute(&mut *tx).await.map_err(db_error)?;
    }
    let mut vars = Vars::new();
    let mut timings = Vec::new();
    let mut actor_name = file.defaults.actor.clone();
    let mut clock = file.defaults.clock.unwrap_or(ANCHOR);
    let mut outcome: Option<Outcome> = None;
    let mut assertions = Vec::new();
    let mut error = None;
    for (index, item) in scenario.items.iter().enumerate() {
        let step = match &item.action {
            KruxtAction::Expect(expectation) => match expectation.substitute(&vars) {
                Ok(expectation) => {
                    assertions.push(spec::judge(&item.path, &expectation, outcome.as_ref()));
                    continue;
                }
                Err(message) => {
                    error = Some(StepFailure { path: item.path.clone(), message });
                    break;
                }
            },
            KruxtAction::Step(step) => step,
        };
        let done: Result<(), Stop> = async {
            match step {
                KruxtStep::As(name) => {
                    actors::resolve(&mut tx, name).await?;
                    actor_name = Some(name.clone());
                }
                KruxtStep::Clock(at) => clock = *at,
                KruxtStep::Advance(by) => clock += *by,
                KruxtStep::Capture(names) => capture(&mut vars, names, outcome.as_ref())?,
                KruxtStep::Run { action, actor, commit, timeout } => {
                    let action = action.substitute(&vars).map_err(Stop)?;
                    let name = actor.as_ref().or(actor_name.as_ref());
                    let who = match name {
                        Some(name) => actors::resolve(&mut tx, name).await?,
                        None => Actor::Anon,
                    };
                    let acting = Acting { actor: who, clock };
                    let started = Instant::now();
                    let options = action::StepOptions { commit: *commit, timeout: *timeout };
                    let ran = action::run_action(&mut tx, catalog, &acting, &action, scenario, index, options).await?;
                    timings.push(ActionTiming {
                        path: item.path.clone(),
                        action: ran.action.clone(),
                        actor: ran.actor.clone(),
                        ok: ran.error.is_none(),
                        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                    let unexpected_failure = ran.error.is_some() && scenario.expectations_after(index).next().is_none();
                    if unexpected_failure {
                        let e = ran.error.as_ref().expect("an error");
                        return Err(Stop(format!(
                            "{} as {} failed with {}: {}",
                            ran.action,
                            ran.actor,
                            e.sqlstate.as_deref().or(e.code.as_deref()).unwrap_or("an error"),
                            e.message
                        )));
                    }
                    outcome = Some(ran);
                }
            }
            Ok(())
        }
        .await;
        if let Err(Stop(message)) = done {
            error = Some(StepFailure { path: item.path.clone(), message });
            break;
        }
    }
    tx.rollback().await.map_err(db_error)?;
    let status = ScenarioStatus::of(error.as_ref(), &assertions);
    Ok(ScenarioReport {
        name: scenario.name.clone(),
        path: scenario.path.clone(),
        example: None,
        tags: scenario.tags.clone(),
        status,
        error,
        assertions,
        actions: timings,
    })
}

/// Keeps the parts of the most recent action's result that `names` pick.
fn capture(vars: &mut Vars, names: &[(String, String)], outcome: Option<&Outcome>) -> Result<(), Stop> {
    let Some(outcome) = outcome else {
        return Err(Stop("capture: no database action ran before it".to_owned()));
    };
    if let Some(e) = &outcome.error {
        return Err(Stop(format!("capture: {} as {} failed, so it has no result to keep: {}", outcome.action, outcome.actor, e.message)));
    }
    for (name, path) in names {
        let Some(value) = spec::lookup(&outcome.result, path) else {
            return Err(Stop(format!("capture {name}: the result of {} as {} has nothing at {path}", outcome.action, outcome.actor)));
        };
        vars.insert(name.clone(), value.clone());
    }
    Ok(())
}

/// Runs a KRUXT file in a sandbox for `p` and stores the run with its per-scenario results.
pub(crate) async fn run_and_store(
    state: &AppState,
    p: &Principal,
    kruxt: &Kruxt,
    file_name: &str,
    text: &str,
) -> Result<ScenarioRun, ApiError> {
    let file = match parse(text, file_name) {
        Ok(file) => file,
        Err(report) => {
            let first = report.errors.first().map(|e| e.to_string()).unwrap_or_else(|| "the scenario file is invalid".into());
            return Err(ApiError::new(ErrorCode::Validation, first)
                .with_details(serde_json::json!({ "field": "scenario", "errors": report.errors })));
        }
    };
    let report = run_parsed(kruxt, file_name, &file).await?;
    metrics::counter!("scenario_runs_total", "kind" => "kruxt", "status" => report.status.as_str()).increment(1);
    let json = serde_json::to_value(&report).map_err(ApiError::internal)?;
    let new = NewRun {
        sandbox: kruxt.row.id,
        actor: p.user_id,
        file_name,
        passed: report.status == FileStatus::Passed,
        assertions: report.totals.assertions as i32,
        failures: report.totals.failed as i32,
        duration_ms: report.duration_ms.unwrap_or_default() as i32,
        report: &json,
    };
    let mut tx = state.stores.pg.begin().await.db()?;
    let id = store::scenario::insert_run(&mut *tx, new).await?;
    for (scenario, result) in file.scenarios.iter().zip(&report.scenarios) {
        let items: Vec<i32> = scenario.test_plan_items.iter().map(|n| *n as i32).collect();
        let row = NewResult {
            run: id,
            sandbox: kruxt.row.id,
            file: file_name,
            scenario: &scenario.name,
            items: &items,
            passed: result.status == ScenarioStatus::Passed,
        };
        store::kruxt::insert_result(&mut *tx, row).await?;
    }
    tx.commit().await.db()?;
    let change = Change { sandbox: kruxt.row.id, kind: "scenario".into(), action: "scenario.run".into(), simulation: None, version: None };
    events::publish(state, change).await;
    Ok(ScenarioRun { run_id: id.to_string(), report })
}
