//! The gateway login and its connection pools. Every KRUXT transaction runs on a login that is
//! not a superuser and is a member (NOINHERIT) of `kruxt_gateway`, so it can switch to `anon`,
//! `authenticated` or `service_role` and nothing else: SQL text a person writes cannot `RESET
//! ROLE` back to a superuser (migrations/kruxt/README.md, "Which login runs this"). The login is
//! created once per control plane; its generated password lives in the control plane's
//! database, is set as a SCRAM verifier, and is never logged or returned.
//!
//! Pools (with each database's function catalog cache) are kept in `AppState::kruxt`, keyed by
//! cluster and database, and forgotten when the database is reset or dropped.

use super::cluster::{admin_connection, lock, options_for, unlock};
use super::{scram, unavailable};
use crate::settings::Secret;
use crate::state::AppState;
use crate::store;
use crate::store::kruxt::gateways::{Database, Login};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, Connection};
use std::time::Duration;
use wire::error::ApiError;

/// `host:port/database` of `database` on the server's cluster.
fn key(state: &AppState, database: &str) -> String {
    let options = state.stores.pg.connect_options();
    format!("{}:{}/{database}", options.get_host(), options.get_port())
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    hex::encode(buf)
}

/// The gateway login of this control plane, created (and its role made) on first use.
pub(crate) async fn login(state: &AppState) -> Result<Login, ApiError> {
    let control_plane = key(state, state.stores.pg.connect_options().get_database().unwrap_or_default());
    if let Some(login) = state.kruxt.login(&control_plane) {
        return Ok(login);
    }
    if store::kruxt::gateway_login(&state.stores.pg).await?.is_none() {
        let role = format!("crysknife_kruxt_{}", random_hex(4));
        store::kruxt::insert_gateway_login(&state.stores.pg, &role, &Secret::new(random_hex(24))).await?;
    }
    let (role, password) =
        store::kruxt::gateway_login(&state.stores.pg).await?.ok_or_else(|| ApiError::internal("the gateway login vanished"))?;
    let login = Login { role, password };
    ensure_role(state, &login).await?;
    state.kruxt.remember_login(control_plane, login.clone());
    Ok(login)
}

/// Creates the login role when missing and sets its password; both under the build lock, so
/// instances racing here do one after the other.
async fn ensure_role(state: &AppState, login: &Login) -> Result<(), ApiError> {
    let valid = login.role.starts_with("crysknife_kruxt_") && login.role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(ApiError::internal("the stored gateway role name is not one the server makes"));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let verifier = scram::verifier(login.password.expose(), &salt);
    let mut admin = admin_connection(state).await?;
    lock(&mut admin).await?;
    let done = async {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)").bind(&login.role).fetch_one(&mut admin).await?;
        // The verifier is a hash, not the password; the role name is the server's own.
        let sql = if exists {
            format!("ALTER ROLE \"{}\" WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{verifier}'", login.role)
        } else {
            format!("CREATE ROLE \"{}\" WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{verifier}' IN ROLE kruxt_gateway", login.role)
        };
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut admin).await?;
        let member: bool = sqlx::query_scalar("SELECT pg_has_role($1, 'kruxt_gateway', 'MEMBER')").bind(&login.role).fetch_one(&mut admin).await?;
        if !member {
            sqlx::raw_sql(AssertSqlSafe(format!("GRANT kruxt_gateway TO \"{}\"", login.role))).execute(&mut admin).await?;
        }
        Ok::<(), sqlx::Error>(())
    }
    .await;
    unlock(&mut admin).await;
    let _ = admin.close().await;
    done.map_err(|e| unavailable("the server's database user cannot create the KRUXT gateway login", &e))
}

/// The gateway's entry for a sandbox database: its pool (made on first use, lazily connected)
/// and its function catalog cache.
pub(crate) async fn database(state: &AppState, database: &str) -> Result<Database, ApiError> {
    let key = key(state, database);
    if let Some(found) = state.kruxt.known(&key) {
        return Ok(found);
    }
    let login = login(state).await?;
    let options = options_for(state, database).username(&login.role).password(login.password.expose()).statement_cache_capacity(64);
    Ok(state.kruxt.database(&key, || {
        PgPoolOptions::new()
            .max_connections(4)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .idle_timeout(Some(Duration::from_secs(60)))
            .connect_lazy_with(options)
    }))
}

/// Forgets a database's pool and function cache; its connections close in the background.
pub(crate) fn forget(state: &AppState, database: &str) {
    if let Some(pool) = state.kruxt.forget(&key(state, database)) {
        tokio::spawn(async move { pool.close().await });
    }
}
