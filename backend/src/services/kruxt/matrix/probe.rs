//! One actor's four attempts on one table, each in a savepoint that is rolled back, and what a
//! refusal means.

use crate::services::kruxt::session::Actor;
use crate::store::kruxt::tables::{self, Table};
use futures_util::StreamExt;
use sqlx::postgres::PgRow;
use sqlx::Either;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use wire::model::{CellOutcome, MatrixCell, MatrixEntry};

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
pub(super) async fn probe(
    conn: &mut PgConnection,
    actor: &Actor,
    table: &Table,
    fallback: Option<usize>,
) -> Result<MatrixEntry, sqlx::Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
