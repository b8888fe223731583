//! Judging KRUXT expectations, purely: the runner (which talks to the database) hands over what
//! the most recent action did as an `Outcome`, and each expectation becomes an assertion report
//! with expected, actual and a sentence saying why.

use serde_json::{json, Value};

use super::compare::{contained, project, same};
use super::model::{ErrorExpectation, Filter, KruxtExpectation};
use super::outcome::{Outcome, OutcomeError};
use crate::scenario::report::AssertionReport;

/// Judges `expectation` against the most recent action's outcome (none before the first action).
pub fn judge(path: &str, expectation: &KruxtExpectation, outcome: Option<&Outcome>) -> AssertionReport {
    let mut report = AssertionReport {
        path: path.to_owned(),
        kind: expectation.kind().to_owned(),
        description: describe(expectation),
        passed: false,
        expected: Value::Null,
        actual: Value::Null,
        explanation: String::new(),
        updated: false,
    };
    let Some(outcome) = outcome else {
        report.explanation = "no database action ran before this expectation".to_owned();
        return report;
    };
    let failed = |error: &OutcomeError| match &error.sqlstate {
        Some(state) => format!("{} as {} failed with {state}: {}", outcome.action, outcome.actor, error.message),
        None => format!(
            "{} as {} failed with {}: {}",
            outcome.action,
            outcome.actor,
            error.code.as_deref().unwrap_or("an error"),
            error.message
        ),
    };
    match expectation {
        KruxtExpectation::Ok(want) => {
            report.expected = json!(want);
            report.actual = json!(outcome.error.is_none());
            report.passed = outcome.error.is_none() == *want;
            report.explanation = match &outcome.error {
                Some(error) => failed(error),
                None => format!("{} as {} succeeded", outcome.action, outcome.actor),
            };
        }
        KruxtExpectation::Rows(want) | KruxtExpectation::Affected(want) => {
            let rows = matches!(expectation, KruxtExpectation::Rows(_));
            let got = if rows { outcome.rows } else { outcome.affected };
            report.expected = json!(want);
            report.actual = got.map_or(Value::Null, |n| json!(n));
            report.passed = outcome.error.is_none() && got == Some(*want);
            report.explanation = match (&outcome.error, got) {
                (Some(error), _) => failed(error),
                (None, None) => format!("{} reports no {} count", outcome.action, if rows { "row" } else { "affected-row" }),
                (None, Some(n)) => {
                    format!("{} as {} {} {n} row(s)", outcome.action, outcome.actor, if rows { "returned" } else { "changed" })
                }
            };
        }
        KruxtExpectation::Error(want) => judge_error(&mut report, want, outcome),
        KruxtExpectation::Result(want) | KruxtExpectation::Equals(want) => {
            let exact = matches!(expectation, KruxtExpectation::Equals(_));
            report.expected = want.clone();
            report.actual = if exact { outcome.result.clone() } else { project(want, &outcome.result) };
            report.passed = outcome.error.is_none() && if exact { same(want, &outcome.result) } else { contained(want, &outcome.result) };
            report.explanation = match &outcome.error {
                Some(error) => failed(error),
                None if report.passed => format!("the result of {} as {} matches", outcome.action, outcome.actor),
                None => format!("the result of {} as {} differs", outcome.action, outcome.actor),
            };
        }
        KruxtExpectation::Unchanged { table, filter } => judge_unchanged(&mut report, table, filter, outcome),
        other => match &outcome.error {
            Some(error) => report.explanation = failed(error),
            None => super::expect::judge(&mut report, other, outcome),
        },
    }
    report
}

fn judge_error(report: &mut AssertionReport, want: &ErrorExpectation, outcome: &Outcome) {
    report.expected = json!({ "sqlstate": want.sqlstate, "code": want.code, "message": want.message });
    if want.step.is_some() || want.recoverable.is_some() {
        report.expected["step"] = json!(want.step);
        report.expected["recoverable"] = json!(want.recoverable);
    }
    let Some(error) = &outcome.error else {
        report.explanation = format!("{} as {} succeeded; an error was expected", outcome.action, outcome.actor);
        report.actual = json!({ "ok": true });
        return;
    };
    let code = error.code.as_ref().or(error.sqlstate.as_ref());
    report.actual = json!({ "sqlstate": error.sqlstate, "code": code, "message": error.message });
    if want.step.is_some() || want.recoverable.is_some() {
        report.actual["step"] = json!(error.step);
        report.actual["recoverable"] = json!(error.recoverable);
    }
    let state_ok = want.sqlstate.as_ref().is_none_or(|s| error.sqlstate.as_ref().is_some_and(|e| e.eq_ignore_ascii_case(s)));
    let code_ok = want.code.as_ref().is_none_or(|c| code.is_some_and(|e| e.eq_ignore_ascii_case(c)));
    let message_ok = want.message.as_ref().is_none_or(|m| error.message.to_lowercase().contains(&m.to_lowercase()));
    let step_ok = want.step.as_ref().is_none_or(|s| error.step.as_deref() == Some(s.as_str()));
    let recoverable_ok = want.recoverable.is_none_or(|r| error.recoverable == Some(r));
    report.passed = state_ok && code_ok && message_ok && step_ok && recoverable_ok;
    report.explanation = format!(
        "{} as {} failed with {}: {}",
        outcome.action,
        outcome.actor,
        code.map(String::as_str).unwrap_or("an error"),
        error.message
    );
}

fn judge_unchanged(report: &mut AssertionReport, table: &str, filter: &Filter, outcome: &Outcome) {
    let Some(snapshot) = outcome.snapshots.iter().find(|s| s.table == table && s.filter == filter.0) else {
        report.explanation = format!("no snapshot of {table} was taken before {}", outcome.action);
        return;
    };
    report.expected = snapshot.before.clone();
    report.actual = snapshot.after.clone();
    report.passed = snapshot.before == snapshot.after;
    let count = |v: &Value| v.as_array().map_or(0, Vec::len);
    report.explanation = if report.passed {
        format!("the {} row(s) of {table} are the same after {} as {}", count(&snapshot.before), outcome.action, outcome.actor)
    } else {
        format!(
            "{} as {} changed rows of {table} ({} before, {} after)",
            outcome.action,
            outcome.actor,
            count(&snapshot.before),
            count(&snapshot.after)
        )
    };
}

/// "rows = 2", "error KX403 \"Permission\"", "unchanged waivers where gym_id = ...".
pub fn describe(expectation: &KruxtExpectation) -> String {
    match expectation {
        KruxtExpectation::Ok(true) => "succeeds".to_owned(),
        KruxtExpectation::Ok(false) => "fails".to_owned(),
        KruxtExpectation::Rows(n) => format!("rows = {n}"),
        KruxtExpectation::Affected(n) => format!("affected = {n}"),
        KruxtExpectation::Error(e) => {
            let parts: Vec<String> = [
                e.sqlstate.clone(),
                e.code.clone(),
                e.message.as_ref().map(|m| format!("{m:?}")),
                e.step.as_ref().map(|s| format!("at step {s}")),
                e.recoverable.map(|r| if r { "recoverable".to_owned() } else { "not recoverable".to_owned() }),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("error {}", parts.join(" "))
        }
        KruxtExpectation::Result(v) => format!("result contains {v}"),
        KruxtExpectation::Equals(v) => format!("result equals {v}"),
        KruxtExpectation::Unchanged { table, filter } if filter.0.is_empty() => format!("{table} unchanged"),
        KruxtExpectation::Unchanged { table, filter } => {
            let parts: Vec<String> = filter.0.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            format!("{table} where {} unchanged", parts.join(" and "))
        }
        other => super::expect::describe(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::kruxt::Snapshot;

    fn outcome(result: Value, error: Option<OutcomeError>) -> Outcome {
        Outcome {
            action: "select waivers".into(),
            actor: "sara_conti".into(),
            result,
            rows: Some(2),
            affected: None,
            error,
            snapshots: Vec::new(),
        }
    }

    #[test]
    fn a_row_count_passes_only_when_the_action_succeeded_with_that_count() {
        let ok = outcome(json!([{}, {}]), None);
        assert!(judge("p", &KruxtExpectation::Rows(2), Some(&ok)).passed);
        assert!(!judge("p", &KruxtExpectation::Rows(3), Some(&ok)).passed);
        let refused = outcome(
            Value::Null,
            Some(OutcomeError {
                sqlstate: Some("42501".into()),
                code: None,
                message: "permission denied for table waivers".into(),
                step: None,
                recoverable: None,
            }),
        );
        assert!(!judge("p", &KruxtExpectation::Rows(2), Some(&refused)).passed);
    }

    #[test]
    fn an_error_expectation_matches_sqlstate_code_and_message_text() {
        let refused = outcome(
            Value::Null,
            Some(OutcomeError {
                sqlstate: Some("KX403".into()),
                code: None,
                message: "Permission admin.roles.manage is required".into(),
                step: None,
                recoverable: None,
            }),
        );
        let want = ErrorExpectation {
            sqlstate: Some("KX403".into()),
            code: None,
            message: Some("admin.roles.manage".into()),
            ..ErrorExpectation::default()
        };
        assert!(judge("p", &KruxtExpectation::Error(want), Some(&refused)).passed);
        let by_code = ErrorExpectation { code: Some("kx403".into()), ..ErrorExpectation::default() };
        assert!(judge("p", &KruxtExpectation::Error(by_code), Some(&refused)).passed, "a database error's code is its SQLSTATE");
        let other = ErrorExpectation { sqlstate: Some("42501".into()), ..ErrorExpectation::default() };
        assert!(!judge("p", &KruxtExpectation::Error(other), Some(&refused)).passed);
        let success = outcome(json!([]), None);
        let report = judge(
            "p",
            &KruxtExpectation::Error(ErrorExpectation { sqlstate: Some("42501".into()), ..ErrorExpectation::default() }),
            Some(&success),
        );
        assert!(!report.passed);
        assert!(report.explanation.contains("succeeded"), "{}", report.explanation);
    }

    #[test]
    fn a_result_is_contained_in_any_order_and_uuids_ignore_case() {
        let rows = outcome(json!([{"role": "member", "user_id": "a0000000-0000-4000-8000-00000000000A"}, {"role": "leader"}]), None);
        assert!(
            judge(
                "p",
                &KruxtExpectation::Result(json!([{"role": "leader"}, {"user_id": "a0000000-0000-4000-8000-00000000000a"}])),
                Some(&rows)
            )
            .passed
        );
        assert!(!judge("p", &KruxtExpectation::Equals(json!([{"role": "leader"}])), Some(&rows)).passed);
    }

    #[test]
    fn unchanged_compares_the_snapshots_taken_around_the_action() {
        let mut done = outcome(json!(null), None);
        done.snapshots.push(Snapshot {
            table: "waivers".into(),
            filter: Default::default(),
            before: json!([{"id": 1}]),
            after: json!([{"id": 1}]),
        });
        let same = KruxtExpectation::Unchanged { table: "waivers".into(), filter: Filter::default() };
        assert!(judge("p", &same, Some(&done)).passed);
        done.snapshots[0].after = json!([]);
        assert!(!judge("p", &same, Some(&done)).passed);
    }

    #[test]
    fn an_expectation_before_any_action_fails_and_says_why() {
        let report = judge("p", &KruxtExpectation::Ok(true), None);
        assert!(!report.passed);
        assert!(report.explanation.contains("no database action"));
    }
}
