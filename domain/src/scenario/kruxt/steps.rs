//! Reading KRUXT steps: the actor (`as`), the clock (`clock`, `advance`), captures (`capture`)
//! and the database actions (`rpc`, `select`, `sql`, `insert`, `update`, `delete`, `console`),
//! each of which may name its own actor with `as` and ask for `commit: true`.

use serde_json::{Map, Value};

use super::model::{DbAction, Filter, KruxtStep};
use super::read::{console_method, filter, sql_text, step_timeout};
use super::vars::check_path;
use crate::scenario::error::ErrorKind;
use crate::scenario::read::{at, join, Reader};
use crate::scenario::step::{read_clock, read_duration};

/// Most rows one `select` may ask for.
pub const MAX_LIMIT: u64 = 10_000;

/// Reads one step of kind `kind` at `path`.
pub(crate) fn read_step(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<KruxtStep> {
    match kind {
        "as" => r.text(path, value).map(KruxtStep::As),
        "clock" => read_clock(r, path, value).map(KruxtStep::Clock),
        "advance" => read_duration(r, path, value).map(KruxtStep::Advance),
        "capture" => read_capture(r, path, value),
        "user" => read_user(r, path, value),
        "sql" => sql_text(r, path, value).map(|(query, actor, commit, timeout)| KruxtStep::Run {
            action: DbAction::Sql(query),
            actor,
            commit,
            timeout,
        }),
        _ => read_action(r, path, kind, value),
    }
}

/// `user: {create: {username, displayName, email, locale, memberships: [{gymId, role, status}]}}`.
fn read_user(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<KruxtStep> {
    let map = r.map(path, value, "user: {create: {username: nina_new}}")?;
    r.known_keys(path, map, &["create"]);
    let create_path = join(path, "create");
    let Some(create) = map.get("create") else {
        r.error(
            &create_path,
            ErrorKind::Missing,
            "create is required: the new user's username and, if you like, displayName, email, locale, memberships",
        );
        return None;
    };
    let create = r.map(&create_path, create, "the new user")?;
    r.known_keys(&create_path, create, &["username", "displayName", "email", "locale", "memberships"]);
    let Some(username) = create.get("username") else {
        r.error(&join(&create_path, "username"), ErrorKind::Missing, "username is required");
        return None;
    };
    r.text(&join(&create_path, "username"), username)?;
    if let Some(Value::Array(list)) = create.get("memberships") {
        for (i, m) in list.iter().enumerate() {
            let m_path = at(&join(&create_path, "memberships"), i);
            if let Some(m) = r.map(&m_path, m, "a membership {gymId, role, status}") {
                r.known_keys(&m_path, m, &["gymId", "role", "status"]);
                if !m.contains_key("gymId") {
                    r.error(&join(&m_path, "gymId"), ErrorKind::Missing, "gymId is required");
                }
            }
        }
    }
    Some(KruxtStep::Run { action: DbAction::CreateUser(create.clone()), actor: None, commit: false, timeout: None })
}

/// `capture: {name: path, ...}`: names are letters, digits and `_`; paths are checked here.
fn read_capture(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<KruxtStep> {
    let map = r.map(path, value, "names and the paths of the result they keep (capture: {workout: \"[0].id\"})")?;
    if map.is_empty() {
        r.error(path, ErrorKind::Missing, "capture names at least one value: capture: {workout: \"[0].id\"}");
        return None;
    }
    let mut out = Vec::with_capacity(map.len());
    for (name, target) in map {
        let name_path = join(path, name);
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            r.error(&name_path, ErrorKind::InvalidValue, format!("{name} is not a capture name (letters, digits and _)"));
            continue;
        }
        let Some(target) = r.text(&name_path, target) else { continue };
        if let Err(message) = check_path(&target) {
            r.error(&name_path, ErrorKind::InvalidValue, message);
            continue;
        }
        out.push((name.clone(), target));
    }
    Some(KruxtStep::Capture(out))
}

fn read_action(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<KruxtStep> {
    // `rpc: name` and `select: table` read as the map with only that key.
    let short = match (kind, value) {
        ("rpc", Value::String(_)) => Some(("function", value)),
        ("select" | "delete", Value::String(_)) => Some(("table", value)),
        _ => None,
    };
    let owned;
    let map = match short {
        Some((key, v)) => {
            owned = Map::from_iter([(key.to_owned(), v.clone())]);
            &owned
        }
        None => r.map(path, value, kind)?,
    };
    let keys: &[&str] = match kind {
        "rpc" => &["function", "args", "as", "commit", "timeout"],
        "select" => &["table", "where", "columns", "orderBy", "limit", "as", "commit", "timeout"],
        "insert" => &["table", "values", "as", "commit", "timeout"],
        "update" => &["table", "set", "where", "as", "commit", "timeout"],
        "delete" => &["table", "where", "as", "commit", "timeout"],
        _ => &["method", "gymId", "membershipId", "role", "status", "as", "commit", "timeout"],
    };
    r.known_keys(path, map, keys);
    let actor = map.get("as").and_then(|v| r.text(&join(path, "as"), v));
    let commit = map.get("commit").and_then(|v| r.boolean(&join(path, "commit"), v)).unwrap_or(false);
    let timeout = step_timeout(r, path, map);
    let action = match kind {
        "rpc" => {
            let function = identifier(r, &join(path, "function"), map.get("function"), "the function to call")?;
            let args = match map.get("args") {
                None => Map::new(),
                Some(v) => r.map(&join(path, "args"), v, "args")?.clone(),
            };
            DbAction::Rpc { function, args }
        }
        "select" => {
            let table = identifier(r, &join(path, "table"), map.get("table"), "the table to read")?;
            let columns = names(r, &join(path, "columns"), map.get("columns"));
            let order_by = names(r, &join(path, "orderBy"), map.get("orderBy"));
            let limit = match map.get("limit") {
                Some(v) => Some(r.count(&join(path, "limit"), v).filter(|n| (1..=MAX_LIMIT).contains(n)).or_else(|| {
                    r.error(&join(path, "limit"), ErrorKind::InvalidValue, format!("limit must be from 1 to {MAX_LIMIT}"));
                    None
                })?),
                None => None,
            };
            DbAction::Select { table, filter: filter(r, &join(path, "where"), map.get("where")), columns, order_by, limit }
        }
        "insert" => {
            let table = identifier(r, &join(path, "table"), map.get("table"), "the table to insert into")?;
            let values_path = join(path, "values");
            let rows = match map.get("values") {
                Some(Value::Object(row)) => vec![row.clone()],
                Some(Value::Array(list)) if !list.is_empty() => {
                    list.iter().enumerate().filter_map(|(i, v)| r.map(&at(&values_path, i), v, "a row").cloned()).collect()
                }
                _ => {
                    r.error(&values_path, ErrorKind::Missing, "values is required: a row (column: value) or a list of rows");
                    return None;
                }
            };
            DbAction::Insert { table, rows }
        }
        "update" => {
            let table = identifier(r, &join(path, "table"), map.get("table"), "the table to update")?;
            let set = match map.get("set") {
                Some(Value::Object(set)) if !set.is_empty() => set.clone(),
                _ => {
                    r.error(&join(path, "set"), ErrorKind::Missing, "set is required: the columns to change and their values");
                    return None;
                }
            };
            DbAction::Update { table, set, filter: filter(r, &join(path, "where"), map.get("where")) }
        }
        "delete" => {
            let table = identifier(r, &join(path, "table"), map.get("table"), "the table to delete from")?;
            DbAction::Delete { table, filter: filter(r, &join(path, "where"), map.get("where")) }
        }
        _ => {
            let method = match map.get("method") {
                Some(v) => console_method(r, &join(path, "method"), v)?,
                None => {
                    r.error(
                        &join(path, "method"),
                        ErrorKind::Missing,
                        "method is required: load, approve, reject, assignRole or setStatus",
                    );
                    return None;
                }
            };
            let mut args = map.clone();
            args.remove("method");
            args.remove("as");
            args.remove("commit");
            args.remove("timeout");
            DbAction::Console { method, args }
        }
    };
    Some(KruxtStep::Run { action, actor, commit, timeout })
}

/// `{table: t, where: {...}}`, or a table name alone.
pub(crate) fn read_target(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<(String, Filter)> {
    if value.is_string() {
        return identifier(r, path, Some(value), "a table").map(|table| (table, Filter::default()));
    }
    let map = r.map(path, value, "a table and its rows")?;
    r.known_keys(path, map, &["table", "where"]);
    let table = identifier(r, &join(path, "table"), map.get("table"), "the table")?;
    Some((table, filter(r, &join(path, "where"), map.get("where"))))
}

/// A lower-case SQL name (`device_connections`, `user_has_gym_permission`).
fn identifier(r: &mut Reader<'_>, path: &str, value: Option<&Value>, what: &str) -> Option<String> {
    let Some(value) = value else {
        r.error(path, ErrorKind::Missing, format!("required: {what}"));
        return None;
    };
    let name = r.text(path, value)?;
    let valid = name.len() <= 63
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        r.error(path, ErrorKind::InvalidValue, format!("{name} is not a name of the KRUXT schema (lower-case letters, digits and _)"));
        return None;
    }
    Some(name)
}

fn names(r: &mut Reader<'_>, path: &str, value: Option<&Value>) -> Vec<String> {
    let Some(value) = value else { return Vec::new() };
    let list: Vec<(String, &Value)> = match value {
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (at(path, i), v)).collect(),
        single => vec![(path.to_owned(), single)],
    };
    list.into_iter().filter_map(|(p, v)| identifier(r, &p, Some(v), "a column")).collect()
}

#[cfg(test)]
mod tests {
    use crate::scenario::kruxt::{parse, KruxtAction, KruxtStep};
    use crate::scenario::Limits;

    fn first_step(step: &str) -> Result<KruxtStep, String> {
        let text = format!("name: t\ntheme: kruxt\nscenarios:\n  - name: s\n    steps:\n      - {step}\n      - ok: true\n");
        let file = parse(&text, "t.yaml", &Limits::default()).map_err(|e| format!("{:?}", e.0))?;
        match &file.scenarios[0].items[0].action {
            KruxtAction::Step(step) => Ok(step.clone()),
            KruxtAction::Expect(_) => Err("not a step".into()),
        }
    }

    #[test]
    fn a_step_may_set_its_timeout_from_one_second_to_two_minutes() {
        let KruxtStep::Run { timeout, .. } = first_step("rpc: {function: rank_recompute_weekly, timeout: 90s}").unwrap() else { panic!() };
        assert_eq!(timeout, Some(time::Duration::seconds(90)));
        let KruxtStep::Run { timeout, .. } = first_step("sql: {query: select 1, timeout: 2m}").unwrap() else { panic!() };
        assert_eq!(timeout, Some(time::Duration::minutes(2)));
        let KruxtStep::Run { timeout, .. } = first_step("select: waivers").unwrap() else { panic!() };
        assert_eq!(timeout, None);
        for bad in ["rpc: {function: f, timeout: 121s}", "sql: {query: select 1, timeout: 0s}", "delete: {table: t, timeout: soon}"] {
            let err = first_step(bad).unwrap_err();
            assert!(err.contains("timeout"), "{bad}: {err}");
        }
    }
}
