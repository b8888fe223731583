//! Comparing JSON values the way KRUXT expectations do: numbers by value, UUID texts without
//! regard to case, maps by key and lists in any order for containment.

use serde_json::Value;

/// Whether `actual` holds everything `expected` says: maps by key, lists element by element in
/// any order, numbers by value, texts without regard to case when both look like UUIDs.
pub fn contained(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(key, value)| have.get(key).is_some_and(|got| contained(value, got)))
        }
        (Value::Array(want), Value::Array(have)) => want.iter().all(|value| have.iter().any(|got| contained(value, got))),
        _ => same(expected, actual),
    }
}

/// Equality where numbers compare by value and UUID texts without regard to case.
pub(crate) fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(want), Value::Number(have)) => want.as_f64() == have.as_f64(),
        (Value::String(want), Value::String(have)) => want == have || (want.len() == 36 && want.eq_ignore_ascii_case(have)),
        (Value::Array(want), Value::Array(have)) => want.len() == have.len() && want.iter().zip(have).all(|(w, h)| same(w, h)),
        (Value::Object(want), Value::Object(have)) => {
            want.len() == have.len() && want.iter().all(|(k, w)| have.get(k).is_some_and(|h| same(w, h)))
        }
        (want, have) => want == have,
    }
}

/// The parts of `actual` that `expected` asks about, for the report.
pub(crate) fn project(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => Value::Object(
            want.iter().map(|(key, value)| (key.clone(), have.get(key).map_or(Value::Null, |got| project(value, got)))).collect(),
        ),
        (Value::Array(want), Value::Array(have)) if have.len() > 20 => {
            // A long list is cut to the rows the expectation could match, so reports stay readable.
            Value::Array(have.iter().filter(|got| want.iter().any(|w| contained(w, got))).cloned().collect())
        }
        (_, have) => have.clone(),
    }
}
