//! The RLS matrix: for every actor and every table of the sandbox's database, what select,
//! insert, update and delete actually do, measured by real attempts inside one transaction that
//! is rolled back (each attempt in a savepoint of its own), so the database's privileges,
//! policies, guards and constraints all have their say and nothing is changed.
//!
//! The attempts: select counts the rows visible; insert writes a copy of one row (the first the
//! actor can see, else the first there is, its generated key left to the database and its unique
//! text marked so it does not collide); update sets a
//! column to its own value on every row; delete deletes every row.

use super::errors::db_error;
use super::session::{self, Acting, Actor, Limit};
use super::{actors, open};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use crate::store::kruxt::tables::{self, Table};
use futures_util::StreamExt;
use serde_json::Map;
use sqlx::postgres::PgRow;
use sqlx::Either;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};
use std::time::Instant;
use wire::error::ApiError;
use wire::model::{CellDifference, CellOutcome, MatrixCell, MatrixComparison, MatrixEntry, RlsMatrix};

/// Which actors and tables: all when empty (names as the actors listing has them).
#[derive(Clone, Debug, Default)]
pub struct MatrixQuery {
    pub actors: Vec<String>,
    pub tables: Vec<String>,
}

impl MatrixQuery {
    /// From comma-separated lists.
    pub fn parse(actors: Option<&str>, tables: Option<&str>) -> Self {
        let split = |s: Option<&str>| {
            s.map(|s| s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
        };
        Self { actors: split(actors), tables: split(tables) }
    }
}

fn cell_of(result: Result<u64, sqlx::Error>) -> MatrixCell {
    match result {
        Ok(n) => MatrixCell {
            outcome: if n > 0 { CellOutcome::Allowed } else { CellOutcome::NoRows },
            rows: Some(n as i64),
            sqlstate: None,
            message: None,
            label: format!("{n} row{}", if n == 1 { "" } else { "s" }),
        },
        Err(e) => {
            let (state, message) = match e.as_database_error() {
                Some(d) => (d.code().map(|c| c.into_owned()).unwrap_or_default(), d.message().to_owned()),
                None => (String::new(), e.to_string()),
            };
            let (outcome, label) = classify(&state, &message);
            MatrixCell { outcome, rows: None, sqlstate: Some(state).filter(|s| !s.is_empty()), message: Some(message), label }
        }
    }
}

/// What a failure means: refused by a privilege, a policy or a guard; stopped by a data
/// constraint after the policies let it through; or another error.
fn classify(state: &str, message: &str) -> (CellOutcome, String) {
    let lower = message.to_ascii_lowercase();
    match state {
        "42501" if lower.contains("row-level security") => (CellOutcome::Refused, "42501 RLS".into()),
        "42501" => (CellOutcome::Refused, "42501 no grant".into()),
        s if s.starts_with("KX4") => (CellOutcome::Refused, s.to_owned()),
        s if s.starts_with("23") => (CellOutcome::Constraint, format!("{s} constraint")),
        "" => (CellOutcome::Error, "error".into()),
        s => (CellOutcome::Error, s.to_owned()),
    }
}

/// An identifier as the key of a JSON object in SQL text (`'name'`): catalog names only.
fn key(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `INSERT` of a copy of a row: the first the actor sees, else the service's (setting
/// `crysknife.probe_<index>`), without the columns the database generates, and with the text of
/// unique columns changed so that only the policies and the other constraints decide. The row
/// never enters the SQL text: it is read inside the statement.
fn copy_statement(table: &Table, index: usize) -> String {
    let q = table.qualified();
    let generated: Vec<String> = table.generated_key.iter().map(|c| key(c)).collect();
    let strip = if generated.is_empty() { String::new() } else { format!(" - ARRAY[{}]::text[]", generated.join(", ")) };
    let renamed: Vec<String> = table
        .unique_text
        .iter()
        .map(|c| format!("{k}, CASE WHEN jsonb_typeof(r->{k}) = 'string' THEN (r->>{k}) || ' (probe)' END", k = key(c)))
        .collect();
    let fixed =
        if renamed.is_empty() { "r".to_owned() } else { format!("r || jsonb_strip_nulls(jsonb_build_object({}))", renamed.join(", ")) };
    let columns: Vec<String> = table.columns.iter().filter(|c| !table.generated_key.contains(c)).map(|c| tables::ident(c)).collect();
    if columns.is_empty() {
        return format!("INSERT INTO {q} DEFAULT VALUES");
    }
    let columns = columns.join(", ");
    format!(
        "WITH seen AS (SELECT coalesce((SELECT to_jsonb(s) FROM {q} s ORDER BY to_jsonb(s)::text LIMIT 1), current_setting('crysknife.probe_{index}')::jsonb){strip} AS r), \
              copy AS (SELECT {fixed} AS r FROM seen) \
         INSERT INTO {q} ({columns}) SELECT {columns} FROM copy, jsonb_populate_record(NULL::{q}, copy.r)"
    )
}

/// Runs `sql` in a savepoint that is rolled back, in one round trip when it succeeds (the
/// actor is already in force on `conn`; rolling a savepoint back keeps settings made before it).
/// Rows affected, and the rows it returned.
async fn attempt(conn: &mut PgConnection, sql: &str) -> Result<(u64, Vec<PgRow>), sqlx::Error> {
    let batch = format!("SAVEPOINT probe; {sql}; ROLLBACK TO SAVEPOINT probe; RELEASE SAVEPOINT probe");
    let mut stream = sqlx::raw_sql(AssertSqlSafe(batch)).fetch_many(&mut *conn);
    let mut affected = 0;
    let mut rows = Vec::new();
    let mut failed = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(Either::Left(done)) => affected += done.rows_affected(),
            Ok(Either::Right(row)) => rows.push(row),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(stream);
    match failed {
        None => Ok((affected, rows)),
        Some(e) => {
            // The statement failed inside the savepoint: undo it, then report the failure.
            sqlx::raw_sql("ROLLBACK TO SAVEPOINT probe; RELEASE SAVEPOINT probe").execute(&mut *conn).await?;
            Err(e)
        }
    }
}

/// The four cells of one actor (already acting on `conn`) on one table. The insert copies the
/// first row the actor sees, else the row the service saw (`fallback`: the index of the
/// transaction-local setting `crysknife.probe_<n>` holding it, `None` when the table is empty).
async fn probe(conn: &mut PgConnection, actor: &Actor, table: &Table, fallback: Option<usize>) -> Result<MatrixEntry, sqlx::Error> {
    let q = table.qualified();
    let select_sql = format!("SELECT count(*) FROM {q}");
    let counted = attempt(conn, &select_sql).await.and_then(|(_, rows)| {
        let row = rows.first().ok_or(sqlx::Error::RowNotFound)?;
        Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
    });
    let select = cell_of(counted);
    let insert_sql = match fallback {
        None => format!("INSERT INTO {q} DEFAULT VALUES"),
        Some(index) => copy_statement(table, index),
    };
    let insert = cell_of(attempt(conn, &insert_sql).await.map(|(n, _)| n));
    let column = if table.columns.iter().any(|c| c == "updated_at") {
        "updated_at"
    } else {
        table.columns.iter().find(|c| !table.generated_key.contains(c)).map(String::as_str).unwrap_or("id")
    };
    let update_sql = format!("UPDATE {} SET {} = {}", table.qualified(), tables::ident(column), tables::ident(column));
    let update = cell_of(attempt(conn, &update_sql).await.map(|(n, _)| n));
    let delete_sql = format!("DELETE FROM {}", table.qualified());
    let delete = cell_of(attempt(conn, &delete_sql).await.map(|(n, _)| n));
    Ok(MatrixEntry { actor: actor.key(), table: table.name.clone(), select, insert, update, delete })
}

/// Measures the matrix on `conn` (not in a transaction).
pub(crate) async fn measure(conn: &mut PgConnection, clock: time::OffsetDateTime, query: &MatrixQuery) -> Result<RlsMatrix, ApiError> {
    let started = Instant::now();
    let mut tx = conn.begin().await.map_err(db_error)?;
    let all_tables = tables::tables(&mut tx).await.map_err(db_error)?;
    let chosen: Vec<Table> = if query.tables.is_empty() {
        all_tables.clone()
    } else {
        query.tables.iter().map(|t| tables::find(&all_tables, "tables", t).cloned()).collect::<Result<_, _>>()?
    };
    let chosen_actors: Vec<Actor> = if query.actors.is_empty() {
        let mut listed = Vec::new();
        for a in actors::list(&mut tx).await? {
            listed.push(actors::resolve(&mut tx, &a.key).await?);
        }
        listed
    } else {
        let mut listed = Vec::new();
        for name in &query.actors {
            listed.push(
                actors::resolve(&mut tx, name)
                    .await
                    .map_err(|e| e.with_details(serde_json::json!({ "field": "actors", "actor": name })))?,
            );
        }
        listed
    };
    // A row of each table as the service role sees it, for actors who see none, kept in
    // transaction-local settings (bound, never spliced into SQL) for the probes to read.
    let service = Acting { actor: Actor::Service, clock };
    let mut fallbacks = Vec::with_capacity(chosen.len());
    let mut sp = tx.begin().await.map_err(db_error)?;
    session::apply(&mut sp, &service, Limit::Work).await.map_err(db_error)?;
    for table in &chosen {
        let rows = tables::select(&mut sp, table, &Map::new(), &[], &[], Some(1)).await.map_err(db_error)?;
        fallbacks.push(rows.into_iter().next().map(|v| v.to_string()));
    }
    sp.rollback().await.map_err(db_error)?;
    let stored: Vec<String> = fallbacks.iter().map(|f| f.clone().unwrap_or_default()).collect();
    sqlx::query("SELECT set_config('crysknife.probe_' || (i - 1), r, true) FROM unnest($1::text[]) WITH ORDINALITY AS u(r, i)")
        .bind(&stored)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    let mut entries = Vec::with_capacity(chosen.len() * chosen_actors.len());
    for actor in &chosen_actors {
        // One savepoint per actor in which the actor is in force for all its probes.
        let acting = Acting { actor: actor.clone(), clock };
        let mut as_actor = tx.begin().await.map_err(db_error)?;
        session::apply(&mut as_actor, &acting, Limit::Work).await.map_err(db_error)?;
        for (index, (table, fallback)) in chosen.iter().zip(&fallbacks).enumerate() {
            entries.push(probe(&mut as_actor, actor, table, fallback.as_ref().map(|_| index)).await.map_err(db_error)?);
        }
        as_actor.rollback().await.map_err(db_error)?;
    }
    tx.rollback().await.map_err(db_error)?;
    Ok(RlsMatrix {
        actors: chosen_actors.iter().map(Actor::key).collect(),
        tables: chosen.iter().map(|t| t.name.clone()).collect(),
        entries,
        clock,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// `GET /sandbox/:id/kruxt/matrix`.
#[tracing::instrument(name = "kruxt::matrix::matrix", skip_all, fields(sandbox = %id))]
pub async fn matrix(state: &AppState, p: &Principal, id: &str, target: &Target, query: MatrixQuery) -> Result<RlsMatrix, ApiError> {
    let kruxt = open(state, p, id, Need::Use).await?;
    let clock = super::context::acting(state, &kruxt, target).await?.clock;
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    measure(&mut conn, clock, &query).await
}

fn cells(entry: &MatrixEntry) -> [(&'static str, &MatrixCell); 4] {
    [("select", &entry.select), ("insert", &entry.insert), ("update", &entry.update), ("delete", &entry.delete)]
}

/// The matrix as CSV: one line per actor and table, a label and the SQLSTATE per operation.
pub fn to_csv(m: &RlsMatrix) -> String {
    let header = [
        "actor",
        "table",
        "select",
        "insert",
        "update",
        "delete",
        "select_sqlstate",
        "insert_sqlstate",
        "update_sqlstate",
        "delete_sqlstate",
    ];
    let rows = m.entries.iter().map(|e| {
        let c = cells(e);
        let mut row = vec![e.actor.clone(), e.table.clone()];
        row.extend(c.iter().map(|(_, cell)| cell.label.clone()));
        row.extend(c.iter().map(|(_, cell)| cell.sqlstate.clone().unwrap_or_default()));
        row
    });
    domain::csv_write::to_csv(&header, rows)
}

/// The cells where two actors' rows differ (outcome, rows or SQLSTATE).
pub fn differences(m: &RlsMatrix, left: &str, right: &str) -> MatrixComparison {
    let mut differences = Vec::new();
    let mut same = 0;
    for table in &m.tables {
        let find = |actor: &str| m.entries.iter().find(|e| e.actor == actor && &e.table == table);
        let (Some(l), Some(r)) = (find(left), find(right)) else { continue };
        for ((operation, a), (_, b)) in cells(l).into_iter().zip(cells(r)) {
            if a.outcome == b.outcome && a.rows == b.rows && a.sqlstate == b.sqlstate {
                same += 1;
            } else {
                differences.push(CellDifference {
                    table: table.clone(),
                    operation: operation.to_owned(),
                    left: a.clone(),
                    right: b.clone(),
                });
            }
        }
    }
    MatrixComparison { left: left.to_owned(), right: right.to_owned(), tables: m.tables.clone(), differences, same }
}

/// `GET /sandbox/:id/kruxt/matrix/compare?left=&right=`.
#[tracing::instrument(name = "kruxt::matrix::compare", skip_all, fields(sandbox = %id))]
pub async fn compare(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    left: &str,
    right: &str,
    tables: Option<&str>,
) -> Result<MatrixComparison, ApiError> {
    for (field, value) in [("left", left), ("right", right)] {
        if value.trim().is_empty() {
            return Err(ApiError::validation(field, "an actor (username, user id or email, `service` or `anon`)"));
        }
    }
    let query = MatrixQuery::parse(Some(&format!("{left},{right}")), tables);
    let m = matrix(state, p, id, target, query).await?;
    let (l, r) = match m.actors.as_slice() {
        [l, r] => (l.clone(), r.clone()),
        [only] => (only.clone(), only.clone()),
        _ => (left.to_owned(), right.to_owned()),
    };
    Ok(differences(&m, &l, &r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(outcome: CellOutcome, rows: Option<i64>, state: Option<&str>) -> MatrixCell {
        MatrixCell { outcome, rows, sqlstate: state.map(str::to_owned), message: None, label: String::new() }
    }

    #[test]
    fn a_copy_reads_its_row_inside_the_statement() {
        let table = Table {
            name: "gym_classes".into(),
            columns: vec!["id".into(), "gym_id".into(), "title".into()],
            generated_key: vec!["id".into()],
            unique_text: vec!["title".into()],
        };
        let sql = copy_statement(&table, 3);
        assert!(sql.contains("current_setting('crysknife.probe_3')::jsonb) - ARRAY['id']::text[]"), "{sql}");
        assert!(sql.contains("jsonb_build_object('title', CASE WHEN"), "{sql}");
        assert!(sql.ends_with("INSERT INTO public.\"gym_classes\" (\"gym_id\", \"title\") SELECT \"gym_id\", \"title\" FROM copy, jsonb_populate_record(NULL::public.\"gym_classes\", copy.r)"), "{sql}");
    }

    #[test]
    fn failures_are_told_apart_by_sqlstate_and_message() {
        assert_eq!(classify("42501", "new row violates row-level security policy for table \"waivers\"").0, CellOutcome::Refused);
        assert_eq!(classify("42501", "permission denied for table event_outbox").1, "42501 no grant");
        assert_eq!(classify("KX403", "Members cannot change their own membership role").1, "KX403");
        assert_eq!(classify("23505", "duplicate key value").0, CellOutcome::Constraint);
        assert_eq!(classify("P0001", "boom").0, CellOutcome::Error);
    }

    #[test]
    fn comparison_lists_only_differing_cells() {
        let entry = |actor: &str, rows: i64| MatrixEntry {
            actor: actor.into(),
            table: "waivers".into(),
            select: cell(CellOutcome::Allowed, Some(rows), None),
            insert: cell(CellOutcome::Refused, None, Some("42501")),
            update: cell(CellOutcome::NoRows, Some(0), None),
            delete: cell(CellOutcome::NoRows, Some(0), None),
        };
        let m = RlsMatrix {
            actors: vec!["a".into(), "b".into()],
            tables: vec!["waivers".into()],
            entries: vec![entry("a", 2), entry("b", 3)],
            clock: time::OffsetDateTime::UNIX_EPOCH,
            duration_ms: 0.0,
        };
        let d = differences(&m, "a", "b");
        assert_eq!(d.same, 3);
        assert_eq!(d.differences.len(), 1);
        assert_eq!(d.differences[0].operation, "select");
        let csv = to_csv(&m);
        assert!(csv.starts_with("actor,table,select,insert"));
        assert_eq!(csv.lines().count(), 3);
    }
}
