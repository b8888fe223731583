//! Exploring a KRUXT database with one read-only query as the acting user: a READ ONLY
//! transaction with a short statement timeout, on the gateway login (which cannot become a
//! superuser), the text wrapped as a subquery so it must be a single query that reads.

use super::errors::{db_error, db_error_at};
use super::session::{self, Acting, Limit};
use super::{open, Kruxt};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use serde_json::Value;
use sqlx::{AssertSqlSafe, Executor, PgConnection};
use std::time::Instant;
use wire::error::ApiError;
use wire::model::{QueryRequest, QueryResult};

/// Rows a query returns unless it asks for fewer or more.
pub const DEFAULT_LIMIT: u32 = 200;
/// The most rows a query may ask for.
pub const MAX_LIMIT: u32 = 5000;
/// The longest query text.
const MAX_SQL_BYTES: usize = 16 * 1024;

/// The text without trailing semicolons and space; refuses empty and oversized text.
pub(crate) fn clean(sql: &str) -> Result<&str, ApiError> {
    let text = sql.trim().trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    if text.is_empty() {
        return Err(ApiError::validation("sql", "one SELECT, VALUES, TABLE or WITH query"));
    }
    if text.len() > MAX_SQL_BYTES {
        return Err(ApiError::validation("sql", format!("at most {MAX_SQL_BYTES} bytes")));
    }
    Ok(text)
}

const PREFIX: &str = "SELECT to_jsonb(q) FROM (\n";

/// Runs `sql` on `conn` (already acting) and returns column names and at most `limit + 1` rows
/// as objects; errors point into the caller's text.
pub(crate) async fn read(conn: &mut PgConnection, sql: &str, limit: u32) -> Result<(Vec<String>, Vec<Value>), ApiError> {
    let text = clean(sql)?;
    let wrapped = format!("{PREFIX}{text}\n) AS q LIMIT {}", u64::from(limit) + 1);
    let shift = PREFIX.chars().count();
    // The query's own columns, in order (to_jsonb keeps only names); errors point into its text.
    let inner = (&mut *conn).describe(sqlx::SqlSafeStr::into_sql_str(AssertSqlSafe(text.to_owned()))).await.map_err(db_error)?;
    let names: Vec<String> = inner.columns().iter().map(|c| sqlx::Column::name(c).to_owned()).collect();
    let rows: Vec<Value> = sqlx::query_scalar(AssertSqlSafe(wrapped)).fetch_all(conn).await.map_err(|e| db_error_at(e, shift))?;
    Ok((names, rows))
}

/// `POST /sandbox/:id/kruxt/query`.
#[tracing::instrument(name = "kruxt::query::query", skip_all, fields(sandbox = %id))]
pub async fn query(state: &AppState, p: &Principal, id: &str, target: &Target, req: QueryRequest) -> Result<QueryResult, ApiError> {
    let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::validation("limit", format!("between 1 and {MAX_LIMIT}")));
    }
    clean(&req.sql)?;
    let kruxt = open(state, p, id, Need::Use).await?;
    let acting = super::context::acting(state, &kruxt, target).await?;
    explore(&kruxt, &acting, &req.sql, limit).await
}

pub(crate) async fn explore(kruxt: &Kruxt, acting: &Acting, sql: &str, limit: u32) -> Result<QueryResult, ApiError> {
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = session::begin(&mut conn, Limit::Explore).await.map_err(db_error)?;
    session::apply(&mut tx, acting, Limit::Explore).await.map_err(db_error)?;
    let started = Instant::now();
    let (columns, mut objects) = read(&mut tx, sql, limit).await?;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    session::finish(tx, false).await.map_err(db_error)?;
    let truncated = objects.len() > limit as usize;
    objects.truncate(limit as usize);
    let rows: Vec<Vec<Value>> =
        objects.iter().map(|o| columns.iter().map(|c| o.get(c).cloned().unwrap_or(Value::Null)).collect()).collect();
    Ok(QueryResult { actor: acting.actor.key(), columns, row_count: rows.len(), rows, truncated, limit, duration_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_semicolons_go_and_empty_text_is_refused() {
        assert_eq!(clean(" select 1 ;; \n").unwrap(), "select 1");
        let e = clean(" ; ").unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.message.contains("sql") || e.details["field"] == "sql");
    }
}
