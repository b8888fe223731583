//! Run results as data: per file, per scenario and per assertion, pass or fail with expected,
//! actual and the engine's explanation, and totals. JSON in camelCase both ways, because the
//! server sends it and the CLI and the browser read it back. Durations are added by callers:
//! the engine has no clock.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::ScenarioError;

/// The results of one or more files.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// One entry per file, in the order given.
    pub files: Vec<FileReport>,
    /// Sums over the files.
    pub totals: Totals,
    /// Wall time of the whole run, when the caller measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

/// Whether a file ran and passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum FileStatus {
    /// Every assertion passed.
    Passed,
    /// Some assertion failed or some scenario could not finish.
    Failed,
    /// The file could not be read; nothing ran.
    Invalid,
}

impl FileStatus {
    /// `passed`, `failed` or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Passed => "passed",
            FileStatus::Failed => "failed",
            FileStatus::Invalid => "invalid",
        }
    }
}

/// The results of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    /// The file's name or path as the caller gave it.
    pub file: String,
    /// The name inside the file, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The theme the file ran against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Passed, failed or invalid.
    pub status: FileStatus,
    /// Why the file is invalid; empty when it ran.
    #[serde(default)]
    pub errors: Vec<ScenarioError>,
    /// One entry per scenario (and per example row).
    #[serde(default)]
    pub scenarios: Vec<ScenarioReport>,
    /// New contents of golden files, in update mode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub golden_updates: Vec<GoldenUpdate>,
    /// Sums over the scenarios.
    pub totals: Totals,
    /// Wall time, when the caller measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

/// Whether a scenario passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ScenarioStatus {
    /// Every assertion passed.
    Passed,
    /// Some assertion failed.
    Failed,
    /// A step could not be carried out; the rest of the scenario did not run.
    Error,
}

/// The results of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReport {
    /// Its name.
    pub name: String,
    /// Where it is in the file (`scenarios[2]`).
    pub path: String,
    /// The example row it came from: `{"row": 3, "values": {...}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ExampleRow>,
    /// Its tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Passed, failed or error.
    pub status: ScenarioStatus,
    /// The step that could not be carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<StepFailure>,
    /// Every assertion that ran, in order.
    pub assertions: Vec<AssertionReport>,
    /// KRUXT scenarios: each database action with its duration (none for tier scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<super::timing::ActionTiming>,
}

/// The example row of a table-driven scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExampleRow {
    /// 1-based row number.
    pub row: usize,
    /// Column to value.
    pub values: Map<String, Value>,
}

/// A step the engine refused while running (an override set that breaks the ladder, a clock
/// that runs backwards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepFailure {
    /// Where the step is (`scenarios[0].when[2]`).
    pub path: String,
    /// Why it was refused.
    pub message: String,
}

/// The result of one assertion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssertionReport {
    /// Where it is (`scenarios[0].then[1]`).
    pub path: String,
    /// Its kind (`tier`, `access`, ...).
    pub kind: String,
    /// What it asserts, in a line.
    pub description: String,
    /// Whether it held.
    pub passed: bool,
    /// What was expected, as JSON.
    pub expected: Value,
    /// What the engine answered, the same fields as `expected`.
    pub actual: Value,
    /// The engine's explanation of its answer.
    pub explanation: String,
    /// True when update mode wrote a new golden file for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub updated: bool,
}

/// New contents for a golden file (update mode): the caller writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GoldenUpdate {
    /// The golden path as the scenario names it, relative to the scenario file.
    pub path: String,
    /// The whole new file.
    pub contents: String,
}

/// Counts over files, scenarios and assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Files run or refused.
    pub files: usize,
    /// Files refused as invalid.
    pub invalid_files: usize,
    /// Scenarios run.
    pub scenarios: usize,
    /// Scenarios with every assertion passed.
    pub passed_scenarios: usize,
    /// Scenarios with a failed assertion or a refused step.
    pub failed_scenarios: usize,
    /// Assertions run.
    pub assertions: usize,
    /// Assertions that held.
    pub passed: usize,
    /// Assertions that did not.
    pub failed: usize,
}

impl ScenarioStatus {
    /// A scenario's status: error when a step could not be carried out, else passed when every
    /// assertion held.
    pub fn of(error: Option<&StepFailure>, assertions: &[AssertionReport]) -> ScenarioStatus {
        if error.is_some() {
            ScenarioStatus::Error
        } else if assertions.iter().all(|a| a.passed) {
            ScenarioStatus::Passed
        } else {
            ScenarioStatus::Failed
        }
    }
}

impl Totals {
    /// Adds another count.
    pub fn add(&mut self, other: &Totals) {
        self.files += other.files;
        self.invalid_files += other.invalid_files;
        self.scenarios += other.scenarios;
        self.passed_scenarios += other.passed_scenarios;
        self.failed_scenarios += other.failed_scenarios;
        self.assertions += other.assertions;
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// Whether nothing failed and no file was invalid.
    pub fn all_passed(&self) -> bool {
        self.invalid_files == 0 && self.failed_scenarios == 0 && self.failed == 0
    }
}

impl FileReport {
    /// The report of a file that could not be read.
    pub fn invalid(file: impl Into<String>, name: Option<String>, errors: Vec<ScenarioError>) -> FileReport {
        let totals = Totals { files: 1, invalid_files: 1, ..Totals::default() };
        FileReport {
            file: file.into(),
            name,
            theme: None,
            status: FileStatus::Invalid,
            errors,
            scenarios: Vec::new(),
            golden_updates: Vec::new(),
            totals,
            duration_ms: None,
        }
    }

    /// Recounts the totals and the status from the scenarios.
    pub fn recount(&mut self) {
        if self.status == FileStatus::Invalid {
            self.totals = Totals { files: 1, invalid_files: 1, ..Totals::default() };
            return;
        }
        let mut totals = Totals { files: 1, scenarios: self.scenarios.len(), ..Totals::default() };
        for scenario in &self.scenarios {
            let passed = scenario.assertions.iter().filter(|a| a.passed).count();
            totals.assertions += scenario.assertions.len();
            totals.passed += passed;
            totals.failed += scenario.assertions.len() - passed;
            if scenario.status == ScenarioStatus::Passed {
                totals.passed_scenarios += 1;
            } else {
                totals.failed_scenarios += 1;
            }
        }
        self.status = if totals.failed_scenarios == 0 { FileStatus::Passed } else { FileStatus::Failed };
        self.totals = totals;
    }
}

impl Report {
    /// A report of these files, with totals.
    pub fn new(files: Vec<FileReport>) -> Report {
        let mut totals = Totals::default();
        for file in &files {
            totals.add(&file.totals);
        }
        Report { files, totals, duration_ms: None }
    }

    /// Exit status for command lines: 0 when everything passed, 1 when something failed, 2
    /// when a file was invalid.
    pub fn exit_code(&self) -> u8 {
        if self.totals.invalid_files > 0 {
            2
        } else if self.totals.all_passed() {
            0
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_reads_back_what_it_wrote_and_ignores_extra_fields() {
        let mut file =
            FileReport::invalid("a.yaml", None, vec![ScenarioError::new("name", super::super::ErrorKind::Missing, "name is required")]);
        file.recount();
        let report = Report::new(vec![file]);
        let mut json = serde_json::to_value(&report).unwrap();
        json["runId"] = Value::from("0b5e...");
        assert_eq!(serde_json::from_value::<Report>(json).unwrap(), report);
        assert_eq!(report.exit_code(), 2);
    }
}
