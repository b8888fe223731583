//! One database action of a KRUXT scenario, run as its actor in a savepoint, with the rows its
//! `unchanged` expectations watch read before and after it.

use super::{Catalog, Stop};
use crate::services::kruxt::errors::{outcome_error, outcome_of_api};
use crate::services::kruxt::session::{self, Acting, Actor, Limit};
use crate::services::kruxt::{actors, console, query, rpc};
use crate::store::kruxt::tables;
use domain::scenario::kruxt::{self as spec, DbAction, KruxtScenario, Outcome, Snapshot};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use wire::error::ApiError;
use wire::model::{ConsoleRequest, NewKruxtActor, RpcReturns};

/// What a step asks of its action beyond the action itself.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct StepOptions {
    /// Fire deferred constraints and constraint triggers at the end of the step.
    pub commit: bool,
    /// The step's statement timeout, instead of the usual 15 s.
    pub timeout: Option<time::Duration>,
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

pub(super) async fn run_action(
    tx: &mut PgConnection,
    catalog: &Catalog<'_>,
    acting: &Acting,
    action: &DbAction,
    scenario: &KruxtScenario,
    index: usize,
    options: StepOptions,
) -> Result<Outcome, Stop> {
    let StepOptions { commit, timeout } = options;
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
        DbAction::CreateUser(args) => {
            new_user(args)?;
        }
    }
    let signature = match action {
        DbAction::Rpc { function, args } => Some(rpc::resolve(catalog.functions, tx, function, args).await?),
        _ => None,
    };
    let mut sp = tx.begin().await?;
    session::apply(&mut sp, acting, Limit::Work).await?;
    if let Some(timeout) = timeout {
        sqlx::query("SELECT set_config('statement_timeout', $1, true)")
            .bind(format!("{}ms", timeout.whole_milliseconds()))
            .execute(&mut *sp)
            .await?;
    }
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
            DbAction::CreateUser(args) => {
                let Ok(new) = new_user(args) else { unreachable!("checked before the savepoint") };
                match actors::add(&mut sp, &new).await {
                    Ok(id) => outcome.result = serde_json::json!({ "id": id.to_string(), "username": new.username.trim() }),
                    Err(e) => outcome.error = Some(outcome_of_api(&e)),
                }
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
                                step: Some(e.step.clone()),
                                recoverable: Some(e.recoverable),
                            });
                        }
                    }
                    Err(e) => outcome.error = Some(outcome_of_api(&e)),
                }
            }
        }
        if commit && outcome.error.is_none() {
            // What the commit would check: deferred constraints and constraint triggers fire now.
            sqlx::raw_sql("SET CONSTRAINTS ALL IMMEDIATE").execute(&mut *sp).await?;
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
    if commit && !scenario.immediate && !catalog.deferred.is_empty() {
        // Later steps defer again what is deferred by the schema.
        let names = catalog.deferred.join(", ");
        sqlx::raw_sql(AssertSqlSafe(format!("SET CONSTRAINTS {names} DEFERRED"))).execute(&mut *tx).await?;
    }
    for ((table, filter), before) in watched.into_iter().zip(before) {
        let after = snapshot_rows(tx, catalog, acting.clock, &table, &filter).await?;
        outcome.snapshots.push(Snapshot { table, filter, before, after });
    }
    Ok(outcome)
}

/// A `user: {create}` step's new user, as the actors listing adds one.
fn new_user(args: &Map<String, Value>) -> Result<NewKruxtActor, Stop> {
    serde_json::from_value(Value::Object(args.clone())).map_err(|e| Stop(format!("user.create: {e}")))
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
