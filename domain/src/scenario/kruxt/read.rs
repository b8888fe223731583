//! Small readers the KRUXT file parser and its step readers share: required keys, console
//! method names, SQL text (plain or with `as`), and `where` filters.

use serde_json::{Map, Value};

use super::model::{Filter, CONSOLE_METHODS, MAX_STEP_TIMEOUT_SECS};
use crate::scenario::error::ErrorKind;
use crate::scenario::read::{join, Reader};
use crate::scenario::step::read_duration;
use time::Duration;

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
/// step's own actor, whether it asks for `commit`, and its timeout.
pub(crate) fn sql_text(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<(String, Option<String>, bool, Option<Duration>)> {
    match value {
        Value::Object(map) => {
            r.known_keys(path, map, &["query", "as", "commit", "timeout"]);
            let query = required(r, path, map, "query").and_then(|v| r.text(&join(path, "query"), v))?;
            let actor = map.get("as").and_then(|v| r.text(&join(path, "as"), v));
            let commit = map.get("commit").and_then(|v| r.boolean(&join(path, "commit"), v)).unwrap_or(false);
            Some((query, actor, commit, step_timeout(r, path, map)))
        }
        other => r.text(path, other).map(|query| (query, None, false, None)),
    }
}

/// `timeout: 90s` on an action: from 1 second to `MAX_STEP_TIMEOUT_SECS`.
pub(crate) fn step_timeout(r: &mut Reader<'_>, path: &str, map: &Map<String, Value>) -> Option<Duration> {
    let value = map.get("timeout")?;
    let timeout_path = join(path, "timeout");
    let timeout = read_duration(r, &timeout_path, value)?;
    if timeout < Duration::SECOND || timeout > Duration::seconds(MAX_STEP_TIMEOUT_SECS) {
        r.error(&timeout_path, ErrorKind::InvalidValue, format!("a step's timeout is from 1s to {MAX_STEP_TIMEOUT_SECS}s"));
        return None;
    }
    Some(timeout)
}

/// A `where` map: column names to values, `null` for IS NULL.
pub(crate) fn filter(r: &mut Reader<'_>, path: &str, value: Option<&Value>) -> Filter {
    match value {
        None => Filter::default(),
        Some(v) => r.map(path, v, "where").map(|m| Filter(m.clone())).unwrap_or_default(),
    }
}
