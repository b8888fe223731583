//! KRUXT's database errors at the edge. Unlike the control plane's, these errors are the product
//! under test: the SQLSTATE and the spec's message go back to the caller as the shared
//! `{code, message, details: {sqlstate, ...}}`, with the KX codes and 42501 mapped to 4xx.

use domain::scenario::kruxt::OutcomeError;
use serde_json::{json, Map, Value};
use sqlx::postgres::PgDatabaseError;
use wire::error::{ApiError, ErrorCode};

/// KRUXT is not usable on this server (the database user may not create roles or databases):
/// 503 naming the reason; the cause is logged. Connection failures are plain store outages.
pub(crate) fn unavailable(reason: &str, e: &sqlx::Error) -> ApiError {
    if let Some(d) = e.as_database_error() {
        let state = d.code().map(|c| c.into_owned()).unwrap_or_default();
        if state == "42501" || state.starts_with("28") || state == "3D000" {
            tracing::warn!(error = %e, reason, "KRUXT unavailable");
            return ApiError::new(ErrorCode::StoreUnavailable, format!("KRUXT sandboxes are not available on this server: {reason}"))
                .with_details(json!({ "store": "kruxt", "reason": reason, "sqlstate": state }));
        }
        return ApiError::internal(format!("{reason}: {e}"));
    }
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            ApiError::store_unavailable("postgres")
        }
        other => ApiError::internal(format!("{reason}: {other}")),
    }
}

/// The error code a SQLSTATE stands for: 403 for refusals, 404 not found, 409 immutable or
/// duplicate, 400 for anything the request itself got wrong.
fn code_for(sqlstate: &str) -> ErrorCode {
    match sqlstate {
        "KX401" | "KX403" | "42501" | "25006" => ErrorCode::Forbidden,
        "KX404" => ErrorCode::NotFound,
        "KX423" | "23505" | "40001" | "40P01" | "55P03" => ErrorCode::Conflict,
        s if s.starts_with("08") || s.starts_with("53") || s.starts_with("57P") || s.starts_with("58") => ErrorCode::StoreUnavailable,
        s if s.starts_with("XX") => ErrorCode::Internal,
        _ => ErrorCode::Validation,
    }
}

/// The database's answer as details: SQLSTATE, and detail, hint, table, column, constraint and
/// position when PostgreSQL gave them.
fn details(d: &PgDatabaseError, position_shift: usize) -> Value {
    let mut map = Map::new();
    map.insert("sqlstate".into(), json!(d.code()));
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            map.insert(key.into(), json!(v));
        }
    };
    put("detail", d.detail());
    put("hint", d.hint());
    put("table", d.table());
    put("column", d.column());
    put("constraint", d.constraint());
    if let Some(sqlx::postgres::PgErrorPosition::Original(at)) = d.position() {
        map.insert("position".into(), json!(at.saturating_sub(position_shift)));
    }
    Value::Object(map)
}

/// A failed KRUXT statement as the caller sees it.
pub(crate) fn db_error(e: sqlx::Error) -> ApiError {
    db_error_at(e, 0)
}

/// As `db_error`, with error positions moved back by `shift` characters (the exploration
/// wrapper's prefix).
pub(crate) fn db_error_at(e: sqlx::Error, shift: usize) -> ApiError {
    match &e {
        sqlx::Error::Database(d) => match d.try_downcast_ref::<PgDatabaseError>() {
            Some(pg) => {
                let code = code_for(pg.code());
                if code == ErrorCode::Internal || code == ErrorCode::StoreUnavailable {
                    tracing::warn!(error = %e, "KRUXT database failure");
                }
                let message = match pg.code() {
                    "57014" => "the statement ran longer than its time limit and was cancelled".to_owned(),
                    _ => pg.message().to_owned(),
                };
                let mut error = ApiError::new(code, message).with_details(details(pg, shift));
                error.sqlstate = Some(pg.code().to_owned());
                error
            }
            None => ApiError::internal(e),
        },
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            tracing::warn!(error = %e, "KRUXT database unavailable");
            ApiError::store_unavailable("postgres")
        }
        _ => ApiError::internal(e),
    }
}

/// A failed statement as a scenario outcome; `None` when it is not the database's answer (an
/// outage), which ends the scenario instead.
pub(crate) fn outcome_error(e: &sqlx::Error) -> Option<OutcomeError> {
    let d = e.as_database_error()?.try_downcast_ref::<PgDatabaseError>()?;
    Some(OutcomeError { sqlstate: Some(d.code().to_owned()), code: None, message: d.message().to_owned(), step: None, recoverable: None })
}

/// The outcome of an error the service made itself (an unknown table, a bad argument).
pub(crate) fn outcome_of_api(e: &ApiError) -> OutcomeError {
    let sqlstate = e.sqlstate().map(str::to_owned);
    OutcomeError {
        code: if sqlstate.is_some() { None } else { Some(e.code.as_str().to_owned()) },
        sqlstate,
        message: e.message.clone(),
        step: None,
        recoverable: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_403_missing_rows_404_immutables_409_and_mistakes_400() {
        assert_eq!(code_for("KX403").status(), 403);
        assert_eq!(code_for("42501").status(), 403);
        assert_eq!(code_for("KX401").status(), 403, "the KRUXT actor, not the Crysknife caller, is unauthenticated");
        assert_eq!(code_for("KX404").status(), 404);
        assert_eq!(code_for("KX423").status(), 409);
        assert_eq!(code_for("KX422").status(), 400);
        assert_eq!(code_for("23503").status(), 400);
        assert_eq!(code_for("42601").status(), 400);
        assert_eq!(code_for("08006").status(), 503);
    }
}
