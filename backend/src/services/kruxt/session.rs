//! Acting as a KRUXT user: one transaction (or, inside a scenario's transaction, one savepoint)
//! in which the request role is set with `SET LOCAL ROLE` semantics, the claims and the clock are
//! transaction-local settings, and the database's own policies decide. Nothing leaks into the
//! next transaction (migrations/kruxt/README.md, "Acting as an actor").

use serde_json::json;
use sqlx::{Connection, PgConnection, Postgres, Transaction};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Actor {
    /// A user: `authenticated` with `sub`.
    User { id: Uuid, username: Option<String>, email: Option<String>, locale: Option<String> },
    /// `service_role`.
    Service,
    /// `anon`.
    Anon,
}

impl Actor {
    /// The request role it runs as.
    pub fn role(&self) -> &'static str {
        match self {
            Actor::User { .. } => "authenticated",
            Actor::Service => "service_role",
            Actor::Anon => "anon",
        }
    }

    /// The claims of `request.jwt.claims`.
    pub fn claims(&self) -> String {
        match self {
            Actor::User { id, email, locale, .. } => {
                let mut claims = json!({ "sub": id.to_string(), "role": "authenticated" });
                if let Some(email) = email {
                    claims["email"] = json!(email);
                }
                if let Some(locale) = locale {
                    claims["locale"] = json!(locale);
                }
                claims.to_string()
            }
            Actor::Service => json!({ "role": "service_role" }).to_string(),
            Actor::Anon => json!({ "role": "anon" }).to_string(),
        }
    }

    /// How reports and answers name it: the username, else the user id, `service` or `anon`.
    pub fn key(&self) -> String {
        match self {
            Actor::User { id, username, .. } => username.clone().unwrap_or_else(|| id.to_string()),
            Actor::Service => "service".to_owned(),
            Actor::Anon => "anon".to_owned(),
        }
    }
}

/// An actor at a simulated time.
#[derive(Clone, Debug)]
pub(crate) struct Acting {
    pub actor: Actor,
    pub clock: OffsetDateTime,
}

/// How long one statement may run: exploration queries get less.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Limit {
    /// Server-written work (RPCs, flows, scenario steps, matrix probes).
    Work,
    /// A person's read-only query.
    Explore,
}

impl Limit {
    fn timeout(self) -> &'static str {
        match self {
            Limit::Work => "15s",
            Limit::Explore => "5s",
        }
    }
}

/// Opens a transaction on `conn`, or a savepoint when `conn` is already in one; an exploration
/// transaction is read-only (and always top-level).
pub(crate) async fn begin(conn: &mut PgConnection, limit: Limit) -> Result<Transaction<'_, Postgres>, sqlx::Error> {
    match limit {
        Limit::Explore => conn.begin_with("BEGIN READ ONLY").await,
        Limit::Work => conn.begin().await,
    }
}

/// Acts as `acting` from here to the end of the transaction (or savepoint).
pub(crate) async fn apply(tx: &mut PgConnection, acting: &Acting, limit: Limit) -> Result<(), sqlx::Error> {
    let clock = acting.clock.format(&Rfc3339).unwrap_or_default();
    sqlx::query(
        "SELECT set_config('statement_timeout', $1, true), set_config('role', $2, true),
                set_config('request.jwt.claims', $3, true), set_config('kruxt.now', $4, true)",
    )
    .bind(limit.timeout())
    .bind(acting.actor.role())
    .bind(acting.actor.claims())
    .bind(clock)
    .execute(tx)
    .await?;
    Ok(())
}

/// Commits or rolls back a unit opened by `begin`.
pub(crate) async fn finish(tx: Transaction<'_, Postgres>, commit: bool) -> Result<(), sqlx::Error> {
    if commit {
        tx.commit().await
    } else {
        tx.rollback().await
    }
}
