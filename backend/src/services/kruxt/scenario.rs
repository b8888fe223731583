//! Running KRUXT scenario files against a KRUXT sandbox's database. Each scenario runs in one
//! transaction that is rolled back at its end, so scenarios never see each other's changes and
//! the sandbox is left as it was; each database action runs in a savepoint as its actor (kept
//! when it succeeds, so later steps see it), and each expectation is judged by the pure judge in
//! `domain::scenario::kruxt`. Runs are stored like tier runs, plus one row per scenario with the
//! test plan items it covers, for the beta test plan's status.

use super::errors::{db_error, outcome_error, outcome_of_api};
use super::files::ANCHOR;
use super::session::{self, Acting, Actor, Limit};
use super::{actors, console, query, rpc, FunctionCache, Kruxt};
use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::events::{self, Change};
use crate::state::AppState;
use crate::store::kruxt::tables::{self, Table};
use crate::store::{self, kruxt::NewResult, scenario::NewRun};
use domain::scenario::kruxt::{self as spec, DbAction, KruxtAction, KruxtFile, KruxtScenario, KruxtStep, Outcome, Snapshot};
use domain::scenario::{FileReport, FileStatus, Limits, ScenarioReport, ScenarioStatus, StepFailure, Totals};
use serde_json::{Map, Value};
use sqlx::{Connection, PgConnection};
use std::time::Instant;
use wire::error::{ApiError, ErrorCode};
use wire::model::{ConsoleRequest, RpcReturns, ScenarioRun};

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

/// What a run knows of the database: its tables, and its functions as far as asked.
struct Catalog<'k> {
    tables: Vec<Table>,
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
        tx.rollback().await.map_err(db_error)?;
        Catalog { tables: found, functions: &kruxt.functions }
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
    let mut actor_name = file.defaults.actor.clone();
    let mut clock = file.defaults.clock.unwrap_or(ANCHOR);
    let mut outcome: Option<Outcome> = None;
    let mut assertions = Vec::new();
    let mut error = None;
    for (index, item) in scenario.items.iter().enumerate() {
        let step = match &item.action {
            KruxtAction::Expect(expectation) => {
                assertions.push(spec::judge(&item.path, expectation, outcome.as_ref()));
                continue;
            }
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
                KruxtStep::Run { action, actor } => {
                    let name = actor.as_ref().or(actor_name.as_ref());
                    let who = match name {
                        Some(name) => actors::resolve(&mut tx, name).await?,
                        None => Actor::Anon,
                    };
                    let acting = Acting { actor: who, clock };
                    let ran = run_action(&mut tx, catalog, &acting, action, scenario, index).await?;
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
    })
}

/// The rows an `unchanged` expectation compares, read as the service role.
async fn snapshot_rows(
    tx: &mut PgConnection,
    catalog: &Catalog<'_>,
    clock: time::OffsetDateTime,
    table: &str,
    filter: &Map<String, Value>,
) -> Result<Value, Stop> {
    let table = tables::find(&catalog.tables, "unchanged.table", table)?;
    table.check_columns("unchanged.where", filter.keys())?;
    let mut sp = tx.begin().await?;
    session::apply(&mut sp, &Acting { actor: Actor::Service, clock }, Limit::Work).await?;
    let rows = tables::select(&mut sp, table, filter, &[], &[], None).await?;
    sp.rollback().await?;
    Ok(Value::Array(rows))
}

async fn run_action(
    tx: &mut PgConnection,
    catalog: &Catalog<'_>,
    acting: &Acting,
    action: &DbAction,
    scenario: &KruxtScenario,
    index: usize,
) -> Result<Outcome, Stop> {
    let watched: Vec<(String, Map<String, Value>)> = scenario
        .expectations_after(index)
        .filter_map(|e| match e {
            spec::KruxtExpectation::Unchanged { table, filter } => Some((table.clone(), filter.0.clone())),
            _ => None,
        })
        .collect();
    let mut before = Vec::with_capacity(watched.len());
    for (table, filter) in &watched {
        before.push(snapshot_rows(tx, catalog, acting.clock, table, filter).await?);
    }
    // Names are checked before anything runs: a wrong name is the file's mistake, not the
    // database's answer.
    let table_of = |name: &str| tables::find(&catalog.tables, "table", name);
    match action {
        DbAction::Select { table, filter, columns, order_by, .. } => {
            let t = table_of(table)?;
            t.check_columns("where", filter.0.keys())?;
            t.check_columns("columns", columns.iter())?;
            t.check_columns("orderBy", order_by.iter())?;
        }
        DbAction::Insert { table, rows } => {
            let t = table_of(table)?;
            for row in rows {
                t.check_columns("values", row.keys())?;
            }
        }
        DbAction::Update { table, set, filter } => {
            let t = table_of(table)?;
            t.check_columns("set", set.keys())?;
            t.check_columns("where", filter.0.keys())?;
        }
        DbAction::Delete { table, filter } => table_of(table)?.check_columns("where", filter.0.keys())?,
        DbAction::Sql(text) => {
            query::clean(text)?;
        }
        DbAction::Console { method, args } => {
            console::check(method, &console_request(args)?)?;
        }
        DbAction::Rpc { .. } => {}
    }
    let signature = match action {
        DbAction::Rpc { function, args } => Some(rpc::resolve(catalog.functions, tx, function, args).await?),
        _ => None,
    };
    let mut sp = tx.begin().await?;
    session::apply(&mut sp, acting, Limit::Work).await?;
    let mut outcome = Outcome {
        action: action.describe(),
        actor: acting.actor.key(),
        result: Value::Null,
        rows: None,
        affected: None,
        error: None,
        snapshots: Vec::new(),
    };
    let result: Result<(), sqlx::Error> = async {
        match action {
            DbAction::Rpc { args, .. } => {
                let signature = signature.as_ref().expect("resolved above");
                let (rows, value) = rpc::call(&mut sp, signature, args).await?;
                if signature.returns == RpcReturns::Rows {
                    outcome.rows = Some(rows.len() as u64);
                    outcome.result = Value::Array(rows);
                } else {
                    outcome.result = value;
                }
            }
            DbAction::Select { table, filter, columns, order_by, limit } => {
                let rows = tables::select(&mut sp, table_of(table).expect("checked"), &filter.0, columns, order_by, *limit).await?;
                outcome.rows = Some(rows.len() as u64);
                outcome.result = Value::Array(rows);
            }
            DbAction::Sql(text) => match query::read(&mut sp, text, spec::MAX_LIMIT as u32).await {
                Ok((_, rows)) => {
                    outcome.rows = Some(rows.len() as u64);
                    outcome.result = Value::Array(rows);
                }
                Err(e) => outcome.error = Some(outcome_of_api(&e)),
            },
            DbAction::Insert { table, rows } => {
                let t = table_of(table).expect("checked");
                let mut affected = 0;
                for row in rows {
                    affected += tables::insert(&mut sp, t, row).await?;
                }
                outcome.affected = Some(affected);
            }
            DbAction::Update { table, set, filter } => {
                outcome.affected = Some(tables::update(&mut sp, table_of(table).expect("checked"), set, &filter.0).await?)
            }
            DbAction::Delete { table, filter } => {
                outcome.affected = Some(tables::delete(&mut sp, table_of(table).expect("checked"), &filter.0).await?)
            }
            DbAction::Console { method, args } => {
                let req = console_request(args).expect("checked");
                match console::run_method(&mut sp, acting, method, &req).await {
                    Ok(flow) => {
                        outcome.result = console::to_value(&flow);
                        if let Some(e) = &flow.error {
                            outcome.error = Some(spec::OutcomeError {
                                sqlstate: e.sqlstate.clone(),
                                code: Some(e.code.clone()),
                                message: e.message.clone(),
                            });
                        }
                    }
                    Err(e) => outcome.error = Some(outcome_of_api(&e)),
                }
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) if outcome.error.is_none() => sp.commit().await?,
        Ok(()) => sp.rollback().await?,
        Err(e) => {
            let Some(error) = outcome_error(&e) else {
                return Err(Stop::from(e));
            };
            outcome.error = Some(error);
            sp.rollback().await?;
        }
    }
    for ((table, filter), before) in watched.into_iter().zip(before) {
        let after = snapshot_rows(tx, catalog, acting.clock, &table, &filter).await?;
        outcome.snapshots.push(Snapshot { table, filter, before, after });
    }
    Ok(outcome)
}

/// A console step's arguments as the flow's request.
fn console_request(args: &Map<String, Value>) -> Result<ConsoleRequest, ApiError> {
    let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(ConsoleRequest {
        gym_id: text("gymId").ok_or_else(|| ApiError::validation("gymId", "required for every console method"))?,
        membership_id: text("membershipId"),
        role: text("role"),
        status: text("status"),
    })
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
