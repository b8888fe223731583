//! The KRUXT databases on the server's PostgreSQL cluster: the template (built once per set of
//! files, under a cluster-wide advisory lock, into a scratch name and renamed into place when
//! complete, so a half-built template is never cloned), each sandbox's clone, and dropping it.
//! All of it runs as the server's own database user, which must be allowed to create roles and
//! databases; when it is not, KRUXT answers 503 and everything else keeps working.

use super::files::{self, ANCHOR_TEXT};
use super::unavailable;
use crate::error::Db;
use crate::state::AppState;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::time::Duration;
use wire::error::ApiError;

/// The advisory lock every KRUXT build and login change takes on the maintenance database.
const BUILD_LOCK: i64 = 0x6b72_7578_745f_7470; // "kruxt_tp"

/// The server's own login, for another database of the same cluster.
pub(crate) fn options_for(state: &AppState, database: &str) -> PgConnectOptions {
    (*state.stores.pg.connect_options()).clone().database(database).application_name("crysknife-kruxt")
}

/// A connection to the cluster's `postgres` database (so the build lock is shared by every
/// control plane on the cluster), else to the control plane's own database.
pub(crate) async fn admin_connection(state: &AppState) -> Result<PgConnection, ApiError> {
    let own = state.stores.pg.connect_options().get_database().unwrap_or("postgres").to_owned();
    let conn = match PgConnection::connect_with(&options_for(state, "postgres")).await {
        Ok(conn) => conn,
        Err(_) => {
            PgConnection::connect_with(&options_for(state, &own)).await.map_err(|e| unavailable("cannot connect to PostgreSQL", &e))?
        }
    };
    Ok(conn)
}

/// Holds the cluster-wide build lock on `conn` until `unlock`.
pub(crate) async fn lock(conn: &mut PgConnection) -> Result<(), ApiError> {
    sqlx::query("SET statement_timeout = '120s'").execute(&mut *conn).await.db()?;
    sqlx::query("SELECT pg_advisory_lock($1)").bind(BUILD_LOCK).execute(&mut *conn).await.db()?;
    Ok(())
}

pub(crate) async fn unlock(conn: &mut PgConnection) {
    if let Err(e) = sqlx::query("SELECT pg_advisory_unlock($1)").bind(BUILD_LOCK).execute(&mut *conn).await {
        tracing::warn!(error = %e, "could not release the KRUXT build lock; it goes with the connection");
    }
}

async fn exists(conn: &mut PgConnection, name: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)").bind(name).fetch_one(conn).await
}

/// The template for the built-in files, built now if it is missing.
pub(crate) async fn ensure_template(state: &AppState) -> Result<String, ApiError> {
    let name = files::template_name();
    let mut conn = state.stores.pg.acquire().await.db()?;
    if exists(&mut conn, &name).await.db()? {
        return Ok(name);
    }
    drop(conn);
    let mut admin = admin_connection(state).await?;
    lock(&mut admin).await?;
    let built = build_locked(state, &mut admin, &name).await;
    unlock(&mut admin).await;
    let _ = admin.close().await;
    built.map(|()| name)
}

async fn build_locked(state: &AppState, admin: &mut PgConnection, name: &str) -> Result<(), ApiError> {
    if exists(admin, name).await.db()? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let scratch = format!("{name}_build");
    // Only the holder of the lock builds, so a scratch database left here was a crashed build.
    execute(admin, &format!("DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)")).await.db()?;
    execute(admin, &format!("CREATE DATABASE \"{scratch}\" TEMPLATE template0 ENCODING 'UTF8'"))
        .await
        .map_err(|e| unavailable("the server's database user cannot create databases", &e))?;
    let applied = apply_files(state, &scratch).await;
    if let Err(e) = applied {
        let _ = execute(admin, &format!("DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)")).await;
        return Err(e);
    }
    execute(admin, &format!("ALTER DATABASE \"{scratch}\" RENAME TO \"{name}\"")).await.db()?;
    // Nobody connects to a template: a connection would block every clone.
    execute(admin, &format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false")).await.db()?;
    tracing::info!(template = name, ms = started.elapsed().as_millis() as u64, "built the KRUXT template database");
    Ok(())
}

/// Each file as one multi-statement simple-query call, migrations then seeds at the anchor.
async fn apply_files(state: &AppState, database: &str) -> Result<(), ApiError> {
    let mut conn = PgConnection::connect_with(&options_for(state, database))
        .await
        .map_err(|e| unavailable("cannot connect to the new template", &e))?;
    let result = async {
        for (file, text) in files::MIGRATIONS {
            sqlx::raw_sql(*text).execute(&mut conn).await.map_err(|e| build_failed(file, &e))?;
        }
        sqlx::query("SELECT set_config('kruxt.now', $1, false)").bind(ANCHOR_TEXT).execute(&mut conn).await.db()?;
        for (file, text) in files::SEEDS {
            sqlx::raw_sql(*text).execute(&mut conn).await.map_err(|e| build_failed(file, &e))?;
        }
        // Statistics travel with every clone, so policies and joins are planned well at once.
        sqlx::raw_sql("ANALYZE").execute(&mut conn).await.db()?;
        Ok::<(), ApiError>(())
    }
    .await;
    let _ = conn.close().await;
    result
}

fn build_failed(file: &str, e: &sqlx::Error) -> ApiError {
    let privilege = e.as_database_error().and_then(|d| d.code()).is_some_and(|c| c == "42501");
    if privilege {
        return unavailable(&format!("the server's database user may not run KRUXT's {file} (it needs a superuser)"), e);
    }
    ApiError::internal(format!("building the KRUXT template failed in {file}: {e}"))
}

async fn execute(conn: &mut PgConnection, sql: &str) -> Result<(), sqlx::Error> {
    // Utility statements take no parameters; every name here is generated by the server.
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(conn).await.map(|_| ())
}

/// Clones the template into the sandbox's database (dropping a leftover of the same name).
pub(crate) async fn clone_database(state: &AppState, template: &str, database: &str) -> Result<(), ApiError> {
    let mut conn = state.stores.pg.acquire().await.db()?;
    execute(&mut conn, &format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)")).await.db()?;
    let created = tokio::time::timeout(
        Duration::from_secs(60),
        execute(&mut conn, &format!("CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"")),
    )
    .await
    .map_err(|_| ApiError::internal("cloning the KRUXT template took over a minute"))?;
    created.map_err(|e| unavailable("the server's database user cannot create the sandbox's database", &e))
}

/// Drops a sandbox's database, ending every connection to it. Idempotent. (The gateway's pool
/// is forgotten by the caller, `kruxt::forget_and_drop`.)
pub(crate) async fn drop_database(state: &AppState, database: &str) -> Result<(), ApiError> {
    let mut conn = state.stores.pg.acquire().await.db()?;
    execute(&mut conn, &format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)")).await.db()?;
    Ok(())
}
