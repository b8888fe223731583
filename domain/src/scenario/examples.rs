//! Table-driven scenarios: an `examples` table (a list of rows, or `columns` and `rows`) turns
//! one scenario template into one scenario per row. A text that is exactly `<column>` takes the
//! row's value with its type; `<column>` inside a longer text takes its text. The expansion
//! happens before the template is read, so every step and assertion kind works in tables.

use serde_json::{Map, Value};

use super::error::{ErrorKind, ScenarioError};
use super::read::{at, join, Reader};
use super::Limits;
use crate::lookup::hint;
use crate::state::json_type;

/// The rows of an examples table, each a map from column to value.
pub(crate) fn rows(r: &mut Reader<'_>, path: &str, table: &Value, limits: &Limits) -> Vec<Map<String, Value>> {
    let rows = match table {
        Value::Array(rows) => {
            let mut maps = Vec::with_capacity(rows.len());
            for (i, row) in rows.iter().enumerate() {
                match row {
                    Value::Object(map) => maps.push(map.clone()),
                    other => r.error(
                        &at(path, i),
                        ErrorKind::WrongType,
                        format!("an example row is a map from column to value; got {}", json_type(other)),
                    ),
                }
            }
            maps
        }
        Value::Object(map) => columns_and_rows(r, path, map),
        other => {
            let message = format!("examples is a list of rows (maps), or a map with columns and rows; got {}", json_type(other));
            r.error(path, ErrorKind::WrongType, message);
            return Vec::new();
        }
    };
    if rows.is_empty() && r.errors.iter().all(|e| !e.path.starts_with(path)) {
        r.error(path, ErrorKind::Missing, "examples needs at least one row");
    }
    if rows.len() > limits.max_rows {
        let message =
            format!("the table has {} rows; a table may have at most {} (split it into several scenarios)", rows.len(), limits.max_rows);
        r.error(path, ErrorKind::Limit, message);
        return Vec::new();
    }
    rows
}

/// `{columns: [bgt, tier], rows: [[500, sihaya], ...]}`.
fn columns_and_rows(r: &mut Reader<'_>, path: &str, map: &Map<String, Value>) -> Vec<Map<String, Value>> {
    r.known_keys(path, map, &["columns", "rows"]);
    let columns = match map.get("columns") {
        Some(value) => r.texts(&join(path, "columns"), value).unwrap_or_default(),
        None => {
            r.error(&join(path, "columns"), ErrorKind::Missing, "columns is required: the column names");
            return Vec::new();
        }
    };
    let Some(Value::Array(rows)) = map.get("rows") else {
        r.error(&join(path, "rows"), ErrorKind::Missing, "rows is required: a list of rows, each a list of values in column order");
        return Vec::new();
    };
    let mut maps = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let row_path = at(&join(path, "rows"), i);
        match row {
            Value::Array(values) if values.len() == columns.len() => {
                maps.push(columns.iter().cloned().zip(values.iter().cloned()).collect());
            }
            Value::Array(values) => {
                let message = format!("the row has {} values for {} columns ({})", values.len(), columns.len(), columns.join(", "));
                r.error(&row_path, ErrorKind::Placeholder, message);
            }
            other => {
                r.error(&row_path, ErrorKind::WrongType, format!("a row is a list of values in column order; got {}", json_type(other)))
            }
        }
    }
    maps
}

/// The template with `examples` removed and every placeholder filled from `row`.
pub(crate) fn fill(r: &mut Reader<'_>, path: &str, template: &Map<String, Value>, row: &Map<String, Value>) -> Map<String, Value> {
    let mut filled = Map::new();
    for (key, value) in template {
        if key != "examples" {
            filled.insert(key.clone(), fill_value(r, &join(path, key), value, row));
        }
    }
    filled
}

fn fill_value(r: &mut Reader<'_>, path: &str, value: &Value, row: &Map<String, Value>) -> Value {
    match value {
        Value::String(text) if text.contains('<') => fill_text(r, path, text, row),
        Value::Array(items) => Value::Array(items.iter().enumerate().map(|(i, item)| fill_value(r, &at(path, i), item, row)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(key, item)| (key.clone(), fill_value(r, &join(path, key), item, row))).collect())
        }
        other => other.clone(),
    }
}

fn fill_text(r: &mut Reader<'_>, path: &str, text: &str, row: &Map<String, Value>) -> Value {
    let placeholders = placeholders(text);
    if let [(0, end, name)] = placeholders.as_slice() {
        if *end == text.len() {
            if let Some(value) = row.get(*name) {
                return value.clone();
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for (start, end, name) in placeholders {
        out.push_str(&text[copied..start]);
        match row.get(name) {
            Some(Value::String(value)) => out.push_str(value),
            Some(value) => out.push_str(&value.to_string()),
            None => {
                let near = hint(name, row.keys().map(String::as_str));
                let message = format!("<{name}> names no column of the examples table{}", near.text);
                r.push(ScenarioError::new(path, ErrorKind::Placeholder, message).with_near(near.near));
                out.push_str(&text[start..end]);
            }
        }
        copied = end;
    }
    out.push_str(&text[copied..]);
    Value::String(out)
}

/// Every `<name>` in a text, as (start, end, name); `name` starts with a letter or `_` and holds
/// letters, digits, `_`, `-` and `.`, so "BGT < 6.9" and "<=7" are left alone.
fn placeholders(text: &str) -> Vec<(usize, usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
            let name_end =
                bytes[i + 1..].iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))).map(|n| i + 1 + n);
            if let Some(end) = name_end.filter(|end| bytes[*end] == b'>') {
                found.push((i, end + 1, &text[i + 1..end]));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_skip_comparisons() {
        let found: Vec<&str> = placeholders("BGT < 6.9, need <=7, tier <tier> at <bgt>").into_iter().map(|p| p.2).collect();
        assert_eq!(found, ["tier", "bgt"]);
    }

    #[test]
    fn a_whole_placeholder_keeps_the_value_type() {
        let mut r = Reader::new(None);
        let row = json!({"bgt": 500, "tier": "sihaya"});
        let row = row.as_object().unwrap();
        assert_eq!(fill_text(&mut r, "x", "<bgt>", row), json!(500));
        assert_eq!(fill_text(&mut r, "x", "BGT <bgt> gives <tier>", row), json!("BGT 500 gives sihaya"));
        assert!(r.errors.is_empty());
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_the_columns_near_it() {
        let mut r = Reader::new(None);
        let row = json!({"bgt": 500});
        fill_text(&mut r, "scenarios[0].when[0].set.bgt", "<bgtt>", row.as_object().unwrap());
        assert_eq!(r.errors[0].kind, ErrorKind::Placeholder);
        assert_eq!(r.errors[0].near_matches, ["bgt"]);
    }

    #[test]
    fn columns_and_rows_make_the_same_rows_as_maps() {
        let mut r = Reader::new(None);
        let table = json!({"columns": ["bgt", "tier"], "rows": [[500, "sihaya"], [1111, "usul"]]});
        let rows = rows(&mut r, "examples", &table, &Limits::default());
        assert_eq!(Value::Object(rows[1].clone()), json!({"bgt": 1111, "tier": "usul"}));
        let short = json!({"columns": ["bgt", "tier"], "rows": [[500]]});
        assert!(super::rows(&mut r, "examples", &short, &Limits::default()).is_empty());
        assert_eq!(r.errors[0].path, "examples.rows[0]");
    }
}
