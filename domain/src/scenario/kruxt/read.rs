//! Small readers the KRUXT file parser and its step readers share: required keys, console
//! method names, SQL text (plain or with `as`), and `where` filters.

use serde_json::{Map, Value};

use super::model::{Filter, CONSOLE_METHODS};
use crate::scenario::error::ErrorKind;
use crate::scenario::read::{join, Reader};

/// The value under `key`, or a `Missing` error naming it.
pub(crate) fn required<'v>(r: &mut Reader<'_>, path: &str, map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    let value = map.get(key);
    if value.is_none() {
        r.error(&join(path, key), ErrorKind::Missing, format!("{key} is required"));
    }
    value
}

/// A console method name, checked against the flow's methods.
pub(crate) fn console_method(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<String> {
    r.choice(path, value, &CONSOLE_METHODS).map(str::to_owned)
}

/// Reads a value that is either a plain step's text or the map form, for `sql`: the query, the
/// step's own actor and whether it asks for `commit`.
pub(crate) fn sql_text(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<(String, Option<String>, bool)> {
    match value {
        Value::Object(map) => {
            r.known_keys(path, map, &["query", "as", "commit"]);
            let query = required(r, path, map, "query").and_then(|v| r.text(&join(path, "query"), v))?;
            let actor = map.get("as").and_then(|v| r.text(&join(path, "as"), v));
            let commit = map.get("commit").and_then(|v| r.boolean(&join(path, "commit"), v)).unwrap_or(false);
            Some((query, actor, commit))
        }
        other => r.text(path, other).map(|query| (query, None, false)),
    }
}

/// A `where` map: column names to values, `null` for IS NULL.
pub(crate) fn filter(r: &mut Reader<'_>, path: &str, value: Option<&Value>) -> Filter {
    match value {
        None => Filter::default(),
        Some(v) => r.map(path, v, "where").map(|m| Filter(m.clone())).unwrap_or_default(),
    }
}
