//! The RLS matrix: for every actor and every table of the sandbox's database, what select,
//! insert, update and delete actually do, measured by real attempts inside one transaction that
//! is rolled back (each attempt in a savepoint of its own), so the database's privileges,
//! policies, guards and constraints all have their say and nothing is changed.
//!
//! The attempts: select counts the rows visible; insert writes a copy of one row (the first the
//! actor can see, else the first there is, its generated key left to the database and its unique
//! text marked so it does not collide); update sets a
//! column to its own value on every row; delete deletes every row.

mod probe;
mod report;

pub use report::{differences, to_csv};

use super::errors::db_error;
use super::session::{self, Acting, Actor, Limit};
use super::{actors, open};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use crate::store::kruxt::tables::{self, Table};
use serde_json::Map;
use sqlx::Connection;
use sqlx::PgConnection;
use std::time::Instant;
use wire::error::ApiError;
use wire::model::{MatrixComparison, RlsMatrix};

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
            entries.push(probe::probe(&mut as_actor, actor, table, fallback.as_ref().map(|_| index)).await.map_err(db_error)?);
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
