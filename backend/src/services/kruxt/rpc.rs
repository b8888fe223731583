//! Calling a KRUXT function with named JSON arguments, as the acting user. The function is looked
//! up in the catalog (public schema, plain functions); each argument is converted by the
//! function's own declared type inside PostgreSQL; the answer is rows (set-returning and
//! composite functions), one value, or nothing.

use super::errors::db_error;
use super::session::{self, Acting, Limit};
use super::{open, FunctionCache, Kruxt};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use crate::store::kruxt::functions::{self, Signature};
use crate::store::kruxt::tables;
use domain::lookup::hint;
use serde_json::{json, Map, Value};
use sqlx::{AssertSqlSafe, PgConnection};
use std::sync::Arc;
use std::time::Instant;
use wire::error::ApiError;
use wire::model::{RpcResult, RpcReturns};

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 63 && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The overload the arguments fit: every given name is an argument, every argument without a
/// default is given. Errors name the field and the rule.
pub(crate) async fn resolve(
    cache: &FunctionCache,
    conn: &mut PgConnection,
    function: &str,
    args: &Map<String, Value>,
) -> Result<Signature, ApiError> {
    let function = function.trim().strip_prefix("public.").unwrap_or(function.trim());
    if !valid_name(function) {
        return Err(ApiError::validation("function", "a function name of lower-case letters, digits and _"));
    }
    let overloads = match cache.get(function) {
        Some(known) => known,
        None => {
            let found = Arc::new(functions::overloads(conn, function).await.map_err(db_error)?);
            cache.insert(function.to_owned(), found.clone());
            found
        }
    };
    if overloads.is_empty() {
        let all = functions::names(conn).await.map_err(db_error)?;
        let near = hint(function, all.iter().map(String::as_str));
        return Err(ApiError::not_found(format!("function public.{function}{}", near.text))
            .with_details(json!({ "field": "function", "nearMatches": near.near })));
    }
    let fits = |s: &Signature| {
        let required = s.args.len().saturating_sub(s.defaults);
        args.keys().all(|k| s.args.iter().any(|(n, _)| n == k)) && s.args[..required].iter().all(|(n, _)| args.contains_key(n))
    };
    if let Some(found) = overloads.iter().find(|s| fits(s)) {
        return Ok(found.clone());
    }
    // Explain against the overload closest in size.
    let best = overloads.iter().min_by_key(|s| s.args.len().abs_diff(args.len())).expect("at least one overload");
    if let Some(unknown) = args.keys().find(|k| !best.args.iter().any(|(n, _)| n == *k)) {
        let near = hint(unknown, best.args.iter().map(|(n, _)| n.as_str()));
        return Err(ApiError::validation(
            &format!("args.{unknown}"),
            format!("public.{function} has no argument `{unknown}`{}", near.text),
        )
        .with_details(
            json!({ "field": format!("args.{unknown}"), "rule": "an argument of the function", "arguments": describe_args(best) }),
        ));
    }
    let required = best.args.len().saturating_sub(best.defaults);
    let missing = best.args[..required].iter().find(|(n, _)| !args.contains_key(n)).map(|(n, _)| n.clone()).unwrap_or_default();
    Err(ApiError::validation(&format!("args.{missing}"), format!("public.{function} needs `{missing}`"))
        .with_details(json!({ "field": format!("args.{missing}"), "rule": "required argument", "arguments": describe_args(best) })))
}

fn describe_args(s: &Signature) -> Vec<Value> {
    let required = s.args.len().saturating_sub(s.defaults);
    s.args.iter().enumerate().map(|(i, (n, t))| json!({ "name": n, "type": t, "required": i < required })).collect()
}

/// `"name" => <value of $1->'name' as the declared type>` for each given argument.
fn call_expression(s: &Signature, args: &Map<String, Value>) -> String {
    let parts: Vec<String> = s
        .args
        .iter()
        .filter(|(name, _)| args.contains_key(name))
        .map(|(name, ty)| {
            let key = name.replace('\'', "''");
            let value = if ty == "json" || ty == "jsonb" {
                format!("($1->'{key}')::{ty}")
            } else if let Some(element) = ty.strip_suffix("[]") {
                format!("(CASE WHEN jsonb_typeof($1->'{key}') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text($1->'{key}')::{element}) END)::{ty}")
            } else {
                format!("($1->>'{key}')::{ty}")
            };
            format!("{} => {value}", tables::ident(name))
        })
        .collect();
    format!("public.{}({})", tables::ident(&s.name), parts.join(", "))
}

/// Calls the function on `conn` (already acting); returns rows or the value.
pub(crate) async fn call(conn: &mut PgConnection, s: &Signature, args: &Map<String, Value>) -> Result<(Vec<Value>, Value), sqlx::Error> {
    let call = call_expression(s, args);
    let bound = Value::Object(args.clone());
    match s.returns {
        RpcReturns::Rows => {
            let sql = format!("SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) FROM {call} AS r");
            let rows: Value = sqlx::query_scalar(AssertSqlSafe(sql)).bind(bound).fetch_one(conn).await?;
            Ok((rows.as_array().cloned().unwrap_or_default(), Value::Null))
        }
        RpcReturns::Value => {
            let sql = format!("SELECT to_jsonb({call})");
            let value: Option<Value> = sqlx::query_scalar(AssertSqlSafe(sql)).bind(bound).fetch_one(conn).await?;
            Ok((Vec::new(), value.unwrap_or(Value::Null)))
        }
        RpcReturns::Void => {
            sqlx::query(AssertSqlSafe(format!("SELECT {call}"))).bind(bound).execute(conn).await?;
            Ok((Vec::new(), Value::Null))
        }
    }
}

/// `POST /sandbox/:id/kruxt/rpc/:function`: one call in one transaction as the assumed actor,
/// committed when it succeeds.
#[tracing::instrument(name = "kruxt::rpc::rpc", skip_all, fields(sandbox = %id))]
pub async fn rpc(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    function: &str,
    args: Map<String, Value>,
) -> Result<RpcResult, ApiError> {
    let kruxt = open(state, p, id, Need::Change).await?;
    let acting = super::context::acting(state, &kruxt, target).await?;
    run(&kruxt, &acting, function, &args).await
}

pub(crate) async fn run(kruxt: &Kruxt, acting: &Acting, function: &str, args: &Map<String, Value>) -> Result<RpcResult, ApiError> {
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = session::begin(&mut conn, Limit::Work).await.map_err(db_error)?;
    let signature = resolve(&kruxt.functions, &mut tx, function, args).await?;
    session::apply(&mut tx, acting, Limit::Work).await.map_err(db_error)?;
    let started = Instant::now();
    let (rows, value) = call(&mut tx, &signature, args).await.map_err(db_error)?;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    session::finish(tx, true).await.map_err(db_error)?;
    metrics::counter!("kruxt_calls_total", "kind" => "rpc").increment(1);
    metrics::histogram!("kruxt_call_duration_seconds", "kind" => "rpc").record(duration_ms / 1000.0);
    Ok(RpcResult { function: signature.name, actor: acting.actor.key(), returns: signature.returns, rows, value, duration_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_converted_by_their_declared_types() {
        let s = Signature {
            name: "f".into(),
            args: vec![
                ("p_gym".into(), "uuid".into()),
                ("p_tags".into(), "text[]".into()),
                ("p_doc".into(), "jsonb".into()),
                ("p_n".into(), "integer".into()),
            ],
            defaults: 1,
            returns: RpcReturns::Value,
        };
        let args: Map<String, Value> = serde_json::from_value(json!({ "p_gym": "x", "p_tags": ["a"], "p_doc": {} })).unwrap();
        let call = call_expression(&s, &args);
        assert!(call.starts_with("public.\"f\"(\"p_gym\" => ($1->>'p_gym')::uuid, "), "{call}");
        assert!(call.contains("ARRAY(SELECT jsonb_array_elements_text($1->'p_tags')::text)"), "{call}");
        assert!(call.contains("\"p_doc\" => ($1->'p_doc')::jsonb"), "{call}");
        assert!(!call.contains("p_n"), "arguments not given keep their defaults: {call}");
    }

    #[test]
    fn function_names_are_plain_identifiers() {
        assert!(valid_name("user_has_gym_permission"));
        assert!(!valid_name("pg_catalog.pg_sleep"));
        assert!(!valid_name("f(); drop table x"));
    }
}
