//! Values one step produces and a later one uses: `capture: {name: path}` keeps a part of the
//! most recent action's result under a name, and `${name}` anywhere in a later step or
//! expectation stands for it. A text that is exactly `${name}` becomes the captured value with
//! its type (a number stays a number); inside a longer text it is spliced in as text.
//!
//! Paths pick a part of a result: `id`, `[0].id`, `snapshot.members[2].role`, with an optional
//! leading `$` (`$` alone is the whole result). `DbAction::substitute` and
//! `KruxtExpectation::substitute` replace the references of one step or expectation.

use serde_json::{Map, Value};

use super::model::{Absence, DbAction, Filter, KruxtExpectation};

/// Captured values by name.
pub type Vars = Map<String, Value>;

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Reads a path; the error says what is wrong with it.
fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let rest = path.trim();
    let rest = rest.strip_prefix('$').unwrap_or(rest);
    let mut out = Vec::new();
    let mut chars = rest.char_indices();
    let mut key = String::new();
    let flush = |key: &mut String, out: &mut Vec<Segment>| {
        if !key.is_empty() {
            out.push(Segment::Key(std::mem::take(key)));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => {
                if key.is_empty() && !matches!(out.last(), Some(Segment::Index(_))) && i != 0 {
                    return Err(format!("{path} has an empty key before position {i}"));
                }
                flush(&mut key, &mut out);
            }
            '[' => {
                flush(&mut key, &mut out);
                let mut digits = String::new();
                loop {
                    match chars.next() {
                        Some((_, ']')) => break,
                        Some((_, d)) if d.is_ascii_digit() => digits.push(d),
                        _ => return Err(format!("{path}: an index is a number in brackets, like [0]")),
                    }
                }
                let index = digits.parse().map_err(|_| format!("{path}: an index is a number in brackets, like [0]"))?;
                out.push(Segment::Index(index));
            }
            ']' => return Err(format!("{path} has a ] without its [")),
            c if c.is_whitespace() => return Err(format!("{path} has a space; keys are written without spaces")),
            c => key.push(c),
        }
    }
    if rest.ends_with('.') {
        return Err(format!("{path} ends with a dot"));
    }
    flush(&mut key, &mut out);
    Ok(out)
}

/// Whether `path` is a readable path; the error says why not.
pub fn check_path(path: &str) -> Result<(), String> {
    segments(path).map(|_| ())
}

/// The part of `value` at `path`, if there is one (a JSON null counts as there).
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut here = value;
    for segment in segments(path).ok()? {
        here = match (segment, here) {
            (Segment::Key(key), Value::Object(map)) => map.get(&key)?,
            (Segment::Index(i), Value::Array(list)) => list.get(i)?,
            _ => return None,
        };
    }
    Some(here)
}

/// The names a text refers to with `${name}`.
pub fn references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        names.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    names
}

/// A value's text form when spliced into a longer text: texts without quotes, the rest as JSON.
pub(crate) fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `text` with every `${name}` replaced; an unknown name is an error naming it.
pub fn substitute_text(text: &str, vars: &Vars) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        let value = vars.get(name).ok_or_else(|| unknown(name, vars))?;
        out.push_str(&as_text(value));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn unknown(name: &str, vars: &Vars) -> String {
    if vars.is_empty() {
        format!("${{{name}}} was not captured: no step before it has a capture")
    } else {
        let known: Vec<&str> = vars.keys().map(String::as_str).collect();
        format!("${{{name}}} was not captured before this step; captured: {}", known.join(", "))
    }
}

/// `value` with every `${name}` replaced, in texts, keys' values and lists at any depth.
pub fn substitute(value: &Value, vars: &Vars) -> Result<Value, String> {
    Ok(match value {
        Value::String(text) => {
            let refs = references(text);
            match refs.as_slice() {
                [] => value.clone(),
                [one] if text == &format!("${{{one}}}") => vars.get(one).cloned().ok_or_else(|| unknown(one, vars))?,
                _ => Value::String(substitute_text(text, vars)?),
            }
        }
        Value::Array(list) => Value::Array(list.iter().map(|v| substitute(v, vars)).collect::<Result<_, _>>()?),
        Value::Object(map) => Value::Object(substitute_map(map, vars)?),
        other => other.clone(),
    })
}

/// A map with every value substituted.
pub fn substitute_map(map: &Map<String, Value>, vars: &Vars) -> Result<Map<String, Value>, String> {
    map.iter().map(|(k, v)| Ok((k.clone(), substitute(v, vars)?))).collect()
}

fn filter(f: &Filter, vars: &Vars) -> Result<Filter, String> {
    substitute_map(&f.0, vars).map(Filter)
}

impl DbAction {
    /// The action with every `${name}` replaced by its captured value.
    pub fn substitute(&self, vars: &Vars) -> Result<DbAction, String> {
        Ok(match self {
            DbAction::Rpc { function, args } => DbAction::Rpc { function: function.clone(), args: substitute_map(args, vars)? },
            DbAction::Select { table, filter: f, columns, order_by, limit } => DbAction::Select {
                table: table.clone(),
                filter: filter(f, vars)?,
                columns: columns.clone(),
                order_by: order_by.clone(),
                limit: *limit,
            },
            DbAction::Sql(text) => DbAction::Sql(substitute_text(text, vars)?),
            DbAction::Insert { table, rows } => {
                DbAction::Insert { table: table.clone(), rows: rows.iter().map(|row| substitute_map(row, vars)).collect::<Result<_, _>>()? }
            }
            DbAction::Update { table, set, filter: f } => {
                DbAction::Update { table: table.clone(), set: substitute_map(set, vars)?, filter: filter(f, vars)? }
            }
            DbAction::Delete { table, filter: f } => DbAction::Delete { table: table.clone(), filter: filter(f, vars)? },
            DbAction::Console { method, args } => DbAction::Console { method: method.clone(), args: substitute_map(args, vars)? },
            DbAction::CreateUser(args) => DbAction::CreateUser(substitute_map(args, vars)?),
        })
    }
}

impl KruxtExpectation {
    /// The expectation with every `${name}` in its values replaced.
    pub fn substitute(&self, vars: &Vars) -> Result<KruxtExpectation, String> {
        Ok(match self {
            KruxtExpectation::Result(v) => KruxtExpectation::Result(substitute(v, vars)?),
            KruxtExpectation::Equals(v) => KruxtExpectation::Equals(substitute(v, vars)?),
            KruxtExpectation::Unchanged { table, filter: f } => {
                KruxtExpectation::Unchanged { table: table.clone(), filter: filter(f, vars)? }
            }
            KruxtExpectation::Contains { path, value } => {
                KruxtExpectation::Contains { path: path.clone(), value: substitute(value, vars)? }
            }
            KruxtExpectation::Matches { path, pattern } => {
                KruxtExpectation::Matches { path: path.clone(), pattern: substitute_text(pattern, vars)? }
            }
            KruxtExpectation::Absent { path, what } => KruxtExpectation::Absent {
                path: path.clone(),
                what: match what {
                    Absence::Value => Absence::Value,
                    Absence::Text(t) => Absence::Text(substitute_text(t, vars)?),
                    Absence::Row(row) => Absence::Row(substitute(row, vars)?),
                },
            },
            KruxtExpectation::SameAs { path, value } => KruxtExpectation::SameAs { path: path.clone(), value: substitute(value, vars)? },
            other => other.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_pick_keys_and_indexes() {
        let v = json!({"snapshot": {"members": [{"role": "coach"}, {"role": "member"}]}, "id": 7});
        assert_eq!(lookup(&v, "id"), Some(&json!(7)));
        assert_eq!(lookup(&v, "$.id"), Some(&json!(7)));
        assert_eq!(lookup(&v, "snapshot.members[1].role"), Some(&json!("member")));
        assert_eq!(lookup(&v, "$"), Some(&v));
        assert_eq!(lookup(&v, "snapshot.members[2]"), None);
        assert_eq!(lookup(&json!([{"id": 1}]), "[0].id"), Some(&json!(1)));
        assert_eq!(lookup(&json!([{"id": 1}]), "$[0].id"), Some(&json!(1)));
        assert!(check_path("a[x]").is_err());
        assert!(check_path("a..b").is_err());
        assert!(check_path("a.").is_err());
        assert!(check_path("a b").is_err());
    }

    #[test]
    fn a_whole_reference_keeps_its_type_and_a_spliced_one_becomes_text() {
        let vars: Vars = [("n".to_owned(), json!(3)), ("id".to_owned(), json!("abc"))].into_iter().collect();
        assert_eq!(substitute(&json!({"count": "${n}", "list": ["${id}"]}), &vars).unwrap(), json!({"count": 3, "list": ["abc"]}));
        assert_eq!(substitute(&json!("row ${id} of ${n}"), &vars).unwrap(), json!("row abc of 3"));
        assert_eq!(substitute_text("where id = '${id}'", &vars).unwrap(), "where id = 'abc'");
        let err = substitute(&json!("${missing}"), &vars).unwrap_err();
        assert!(err.contains("${missing}") && err.contains("captured:") && err.contains(" n") && err.contains("id"), "{err}");
    }

    #[test]
    fn captured_values_replace_references_in_actions_and_expectations() {
        let vars: Vars = [("w".to_owned(), json!("7f0c"))].into_iter().collect();
        let action = DbAction::Rpc { function: "f".into(), args: [("p_id".to_owned(), json!("${w}"))].into_iter().collect() };
        assert_eq!(
            action.substitute(&vars).unwrap(),
            DbAction::Rpc { function: "f".into(), args: [("p_id".to_owned(), json!("7f0c"))].into_iter().collect() }
        );
        assert_eq!(DbAction::Sql("select '${w}'".into()).substitute(&vars).unwrap(), DbAction::Sql("select '7f0c'".into()));
        let e = KruxtExpectation::SameAs { path: "$".into(), value: json!("${w}") };
        assert_eq!(e.substitute(&vars).unwrap(), KruxtExpectation::SameAs { path: "$".into(), value: json!("7f0c") });
        assert!(DbAction::Sql("${nope}".into()).substitute(&vars).unwrap_err().contains("${nope}"));
    }
}
