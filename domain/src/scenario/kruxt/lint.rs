//! Expectations that cannot fail, found by reading a KRUXT file: a test that always passes hides
//! the behaviour it claims to check. Today one rule: an `unchanged` among the expectations of an
//! action that is expected to fail (`error`, `ok: false`) always holds, because a failed action's
//! savepoint is rolled back before the rows are read again; if the action wrongly succeeded, the
//! `error` expectation already fails.

use super::model::{KruxtAction, KruxtExpectation, KruxtFile, KruxtStep};

/// A finding: where, and why it cannot fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintWarning {
    /// `scenarios[2].steps[5]`.
    pub path: String,
    /// What is wrong and what to do instead.
    pub message: String,
}

/// Every expectation of `file` that cannot fail.
pub fn lint(file: &KruxtFile) -> Vec<LintWarning> {
    let mut warnings = Vec::new();
    for scenario in &file.scenarios {
        for (index, item) in scenario.items.iter().enumerate() {
            let KruxtAction::Step(KruxtStep::Run { action, .. }) = &item.action else { continue };
            let expects_failure = scenario.expectations_after(index).any(KruxtExpectation::expects_failure);
            if !expects_failure {
                continue;
            }
            let judged = scenario.judging(index).filter(|(_, e)| matches!(e, KruxtExpectation::Unchanged { .. }));
            for (unchanged, _) in judged {
                warnings.push(LintWarning {
                    path: unchanged.path.clone(),
                    message: format!(
                        "this unchanged cannot fail: {} is expected to fail, and a failed action is rolled back before the rows are read again; drop it (the error expectation already fails if the action succeeds)",
                        action.describe()
                    ),
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::kruxt::parse;
    use crate::scenario::Limits;

    #[test]
    fn an_unchanged_after_an_expected_failure_is_reported_and_one_after_a_success_is_not() {
        let text = "name: t\ntheme: kruxt\nscenarios:\n  - name: s\n    steps:\n      - delete: waivers\n      - error: \"42501\"\n      - unchanged: waivers\n      - update: {table: waivers, set: {title: x}}\n      - affected: 0\n      - unchanged: waivers\n";
        let file = parse(text, "t.yaml", &Limits::default()).unwrap();
        let warnings = lint(&file);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].path, "scenarios[0].steps[2]");
        assert!(warnings[0].message.contains("delete waivers"), "{}", warnings[0].message);
    }
}
