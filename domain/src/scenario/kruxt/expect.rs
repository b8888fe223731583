//! Expectations about a part of the result, picked by a path: `contains`, `matches`, `absent`
//! and `sameAs`; how they are read and how they are judged.

use serde_json::{json, Map, Value};

use super::compare::{contained, same};
use super::model::{Absence, KruxtExpectation};
use super::outcome::Outcome;
use super::vars::{as_text, check_path, lookup};
use crate::scenario::error::ErrorKind;
use crate::scenario::read::{join, Reader};
use crate::scenario::report::AssertionReport;

/// Reads `contains`, `matches`, `absent` and `sameAs`.
pub(crate) fn read(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<KruxtExpectation> {
    match kind {
        "contains" => {
            let map = r.map(path, value, "a path and the value found there (contains: {path: snapshot.members, value: {role: coach}})")?;
            r.known_keys(path, map, &["path", "value"]);
            let at = path_of(r, path, map)?;
            let Some(value) = map.get("value") else {
                r.error(&join(path, "value"), ErrorKind::Missing, "value is required: what the result holds at the path");
                return None;
            };
            Some(KruxtExpectation::Contains { path: at, value: value.clone() })
        }
        "matches" => {
            let map = r.map(path, value, "a path and a regular expression (matches: {path: error.message, pattern: \"^Only\"})")?;
            r.known_keys(path, map, &["path", "pattern"]);
            let at = path_of(r, path, map)?;
            let pattern_path = join(path, "pattern");
            let Some(pattern) = map.get("pattern").and_then(|v| r.text(&pattern_path, v)) else {
                if !map.contains_key("pattern") {
                    r.error(&pattern_path, ErrorKind::Missing, "pattern is required: a regular expression");
                }
                return None;
            };
            if let Err(e) = regex::Regex::new(&pattern) {
                r.error(&pattern_path, ErrorKind::InvalidValue, format!("not a regular expression: {e}"));
                return None;
            }
            Some(KruxtExpectation::Matches { path: at, pattern })
        }
        "absent" => {
            if let Value::String(_) = value {
                let at = r.text(path, value)?;
                return checked(r, path, at).map(|at| KruxtExpectation::Absent { path: at, what: Absence::Value });
            }
            let map = r.map(path, value, "a path, or {path, text} or {path, row}")?;
            r.known_keys(path, map, &["path", "text", "row"]);
            let at = match map.get("path") {
                Some(v) => {
                    let key = join(path, "path");
                    let text = r.text(&key, v)?;
                    checked(r, &key, text)?
                }
                None => "$".to_owned(),
            };
            let what = match (map.get("text"), map.get("row")) {
                (Some(t), None) => Absence::Text(r.text(&join(path, "text"), t)?),
                (None, Some(row)) => Absence::Row(row.clone()),
                (None, None) => Absence::Value,
                (Some(_), Some(_)) => {
                    r.error(path, ErrorKind::Conflict, "absent takes text or row, not both");
                    return None;
                }
            };
            Some(KruxtExpectation::Absent { path: at, what })
        }
        "sameAs" => match value {
            Value::Object(map) if map.contains_key("path") => {
                r.known_keys(path, map, &["path", "value"]);
                let at = path_of(r, path, map)?;
                let value = map.get("value").cloned().unwrap_or(Value::Null);
                Some(KruxtExpectation::SameAs { path: at, value })
            }
            other => Some(KruxtExpectation::SameAs { path: "$".to_owned(), value: other.clone() }),
        },
        _ => None,
    }
}

fn path_of(r: &mut Reader<'_>, path: &str, map: &Map<String, Value>) -> Option<String> {
    let key = join(path, "path");
    match map.get("path") {
        Some(v) => {
            let text = r.text(&key, v)?;
            checked(r, &key, text)
        }
        None => Some("$".to_owned()),
    }
}

fn checked(r: &mut Reader<'_>, path: &str, at: String) -> Option<String> {
    match check_path(&at) {
        Ok(()) => Some(at),
        Err(message) => {
            r.error(path, ErrorKind::InvalidValue, message);
            None
        }
    }
}

/// Whether `got` holds `want`: a text holds a text it contains, a list holds a value one of its
/// elements holds (or a list of values each held), anything else as `result` compares.
fn holds(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::String(w), Value::String(h)) => h.contains(w.as_str()) || same(want, got),
        (Value::Array(_), Value::Array(_)) => contained(want, got),
        (_, Value::Array(items)) => items.iter().any(|item| contained(want, item)),
        _ => contained(want, got),
    }
}

/// A description of the path for sentences: "the result" or "result at snapshot.members".
fn place(path: &str) -> String {
    if path.trim_start_matches('$').is_empty() {
        "the result".to_owned()
    } else {
        format!("the result at {path}")
    }
}

/// Judges the path expectations; the caller has checked that the action succeeded.
pub(crate) fn judge(report: &mut AssertionReport, expectation: &KruxtExpectation, outcome: &Outcome) {
    let who = format!("{} as {}", outcome.action, outcome.actor);
    match expectation {
        KruxtExpectation::Contains { path, value } => {
            compare_at(report, &who, outcome, path, value, holds, ("holds it", "does not hold it"))
        }
        KruxtExpectation::Matches { path, pattern } => {
            report.expected = json!(pattern);
            let found = lookup(&outcome.result, path);
            report.actual = found.cloned().unwrap_or(Value::Null);
            let re = regex::Regex::new(pattern);
            report.passed = match (&re, found) {
                (Ok(re), Some(got)) => re.is_match(&as_text(got)),
                _ => false,
            };
            report.explanation = match (re, found) {
                (Err(e), _) => format!("{pattern} is not a regular expression: {e}"),
                (_, None) => format!("{} of {who} has nothing at {path}", place("$")),
                _ if report.passed => format!("{} of {who} matches /{pattern}/", place(path)),
                _ => format!("{} of {who} does not match /{pattern}/", place(path)),
            };
        }
        KruxtExpectation::Absent { path, what } => {
            let found = lookup(&outcome.result, path);
            let (passed, expected, explanation) = match (what, found) {
                (Absence::Value, None) => (true, Value::Null, format!("{who} has nothing at {path}")),
                (Absence::Value, Some(_)) => (false, Value::Null, format!("{who} has a value at {path}")),
                (_, None) => (true, Value::Null, format!("{who} has nothing at {path}, so nothing to find there")),
                (Absence::Text(text), Some(got)) => {
                    let holds = as_text(got).contains(text.as_str());
                    let sentence = if holds { "contains" } else { "does not contain" };
                    (!holds, json!({ "notContaining": text }), format!("{} of {who} {sentence} {text:?}", place(path)))
                }
                (Absence::Row(row), Some(got)) => {
                    let hit = holds(row, got);
                    let sentence = if hit { "has a row holding it" } else { "has no row holding it" };
                    (!hit, json!({ "noRow": row }), format!("{} of {who} {sentence}", place(path)))
                }
            };
            report.passed = passed;
            report.expected = expected;
            report.actual = found.cloned().unwrap_or(Value::Null);
            report.explanation = explanation;
        }
        KruxtExpectation::SameAs { path, value } => compare_at(report, &who, outcome, path, value, same, ("is the same", "differs")),
        _ => {}
    }
}

/// Judges `want` against the part of the result at `path` with `test`; `said` is the sentence's
/// ending when it passes and when it does not.
fn compare_at(
    report: &mut AssertionReport,
    who: &str,
    outcome: &Outcome,
    path: &str,
    want: &Value,
    test: fn(&Value, &Value) -> bool,
    said: (&str, &str),
) {
    report.expected = want.clone();
    let found = lookup(&outcome.result, path);
    report.actual = found.cloned().unwrap_or(Value::Null);
    report.passed = found.is_some_and(|got| test(want, got));
    report.explanation = match found {
        None => format!("{} of {who} has nothing at {path}", place("$")),
        Some(_) => format!("{} of {who} {}", place(path), if report.passed { said.0 } else { said.1 }),
    };
}

/// "contains snapshot.members {..}", "absent secret", ...
pub(crate) fn describe(expectation: &KruxtExpectation) -> Option<String> {
    Some(match expectation {
        KruxtExpectation::Contains { path, value } => format!("{} contains {value}", place(path)),
        KruxtExpectation::Matches { path, pattern } => format!("{} matches /{pattern}/", place(path)),
        KruxtExpectation::Absent { path, what: Absence::Value } => format!("nothing at {path}"),
        KruxtExpectation::Absent { path, what: Absence::Text(t) } => format!("{} does not contain {t:?}", place(path)),
        KruxtExpectation::Absent { path, what: Absence::Row(row) } => format!("{} has no row {row}", place(path)),
        KruxtExpectation::SameAs { path, value } => format!("{} is the same as {value}", place(path)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::kruxt::judge::judge as judge_one;
    use crate::scenario::kruxt::{parse, KruxtAction};
    use crate::scenario::Limits;

    fn outcome(result: Value) -> Outcome {
        Outcome {
            action: "console load".into(),
            actor: "marco_bianchi".into(),
            result,
            rows: None,
            affected: None,
            error: None,
            snapshots: Vec::new(),
        }
    }

    fn expectations(yaml_steps: &str) -> Result<Vec<KruxtExpectation>, String> {
        let text = format!("name: t\ntheme: kruxt\nscenarios:\n  - name: s\n    steps:\n      - rpc: f\n{yaml_steps}");
        let file = parse(&text, "t.yaml", &Limits::default()).map_err(|e| format!("{:?}", e.0))?;
        Ok(file.scenarios[0]
            .items
            .iter()
            .filter_map(|i| match &i.action {
                KruxtAction::Expect(e) => Some(e.clone()),
                KruxtAction::Step(_) => None,
            })
            .collect())
    }

    #[test]
    fn path_expectations_pass_and_fail_on_what_they_name() {
        let o = outcome(json!({"ok": true, "snapshot": {"members": [{"user": "sara", "role": "member"}], "note": "Welcome, Sara"}}));
        let read = expectations(
            "      - contains: {path: snapshot.members, value: {role: member}}\n      - contains: {path: snapshot.members, value: {role: coach}}\n      - matches: {path: snapshot.note, pattern: \"^Welcome\"}\n      - matches: {path: snapshot.note, pattern: \"^Bye\"}\n      - absent: snapshot.secret\n      - absent: snapshot.note\n      - absent: {text: password}\n      - absent: {path: snapshot.members, row: {user: sara}}\n      - sameAs: {path: snapshot.note, value: \"Welcome, Sara\"}\n      - sameAs: {path: snapshot.note, value: \"Welcome\"}\n",
        )
        .unwrap();
        let verdicts: Vec<bool> = read.iter().map(|e| judge_one("p", e, Some(&o)).passed).collect();
        assert_eq!(verdicts, [true, false, true, false, true, false, true, false, true, false]);
    }

    #[test]
    fn a_failed_action_fails_a_path_expectation() {
        let mut o = outcome(Value::Null);
        o.error = Some(crate::scenario::kruxt::OutcomeError {
            sqlstate: Some("42501".into()),
            code: None,
            message: "denied".into(),
            step: None,
            recoverable: None,
        });
        let e = KruxtExpectation::Absent { path: "$".into(), what: Absence::Value };
        let report = judge_one("p", &e, Some(&o));
        assert!(!report.passed);
        assert!(report.explanation.contains("42501"), "{}", report.explanation);
    }

    #[test]
    fn bad_paths_and_patterns_are_refused_with_their_place() {
        let err = expectations("      - matches: {path: a, pattern: \"(\"}\n").unwrap_err();
        assert!(err.contains("pattern") && err.contains("regular expression"), "{err}");
        let err = expectations("      - contains: {path: \"a[x]\", value: 1}\n").unwrap_err();
        assert!(err.contains("index"), "{err}");
        let err = expectations("      - absent: {text: a, row: {}}\n").unwrap_err();
        assert!(err.contains("not both"), "{err}");
    }
}
