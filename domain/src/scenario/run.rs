//! Running scenarios, purely: the caller passes the theme resolver, the golden files, the start
//! of the simulated clock and the limits. Every scenario starts from the file's defaults; steps
//! change the simulated member, the thresholds or the clock; expectations are judged where they
//! stand. An invalid file runs nothing.

use serde_json::Value;
use time::OffsetDateTime;

use super::env::{LastActivity, RunEnv, Sim};
use super::error::{ErrorKind, ScenarioError, ScenarioErrors};
use super::judge::judge;
use super::model::{Action, Scenario, ScenarioFile, Step};
use super::read::Reader;
use super::report::{ExampleRow, FileReport, FileStatus, GoldenUpdate, ScenarioReport, ScenarioStatus, StepFailure};
use super::syntax::{read_value, Format};
use crate::assume::Assumption;
use crate::eval::Evaluator;
use crate::overrides::ThresholdOverrides;
use crate::state::SimState;
use crate::theme::Theme;

/// Reads a file and checks it against its theme, without running it.
pub fn parse(text: &str, file_name: &str, env: &RunEnv<'_, '_>) -> Result<ScenarioFile, ScenarioErrors> {
    let value = read_value(text, Format::detect(file_name, text), &env.limits)?;
    let (theme, mut errors) = resolve(&value, env);
    let evaluator = match theme.map(|theme| Evaluator::new(theme, &ThresholdOverrides::default())) {
        Some(Ok(evaluator)) => Some(evaluator),
        Some(Err(theme_errors)) => {
            errors.extend(
                theme_errors.0.into_iter().map(|e| ScenarioError::new("theme", ErrorKind::Theme, format!("the theme is invalid: {e}"))),
            );
            None
        }
        None => None,
    };
    let mut reader = Reader::new(evaluator.as_ref());
    let file = super::parse::read_file(&mut reader, &value, &env.limits);
    errors.extend(reader.errors);
    match file {
        Some(file) if errors.is_empty() => Ok(file),
        _ => Err(ScenarioErrors(errors)),
    }
}

fn resolve<'t>(value: &Value, env: &RunEnv<'_, 't>) -> (Option<&'t Theme>, Vec<ScenarioError>) {
    let requested = value.get("theme").and_then(Value::as_str).map(str::trim);
    match (env.themes)(requested) {
        Some(theme) => (Some(theme), Vec::new()),
        None => {
            let message = match requested {
                Some(id) => format!("theme {id} is not available here (built-in: {})", Theme::BUILTIN_IDS.join(", ")),
                None => "the file names no theme and no default theme is available".to_owned(),
            };
            (None, vec![ScenarioError::new("theme", ErrorKind::Theme, message)])
        }
    }
}

/// Reads and runs a file; an invalid one gives a report of its errors and runs nothing.
pub fn run_text(text: &str, file_name: &str, env: &RunEnv<'_, '_>) -> FileReport {
    match parse(text, file_name, env) {
        Ok(file) => run_file(&file, file_name, env),
        Err(errors) => {
            let name = read_value(text, Format::detect(file_name, text), &env.limits)
                .ok()
                .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_owned));
            FileReport::invalid(file_name, name, errors.0)
        }
    }
}

/// Runs a file read by [`parse`].
pub fn run_file(file: &ScenarioFile, file_name: &str, env: &RunEnv<'_, '_>) -> FileReport {
    let Some(theme) = (env.themes)(file.theme.as_deref()) else {
        let error = ScenarioError::new(
            "theme",
            ErrorKind::Theme,
            format!("theme {} is not available here", file.theme.as_deref().unwrap_or("(default)")),
        );
        return FileReport::invalid(file_name, Some(file.name.clone()), vec![error]);
    };
    let start = match Start::new(theme, file, env) {
        Ok(start) => start,
        Err(errors) => return FileReport::invalid(file_name, Some(file.name.clone()), errors.0),
    };
    let mut golden_updates = Vec::new();
    let mut scenarios = Vec::with_capacity(file.scenarios.len());
    for (done, scenario) in file.scenarios.iter().enumerate() {
        scenarios.push(run_scenario(&start, scenario, env, &mut golden_updates));
        if let Some(progress) = env.progress {
            progress(done + 1, file.scenarios.len());
        }
    }
    let mut report = FileReport {
        file: file_name.to_owned(),
        name: Some(file.name.clone()),
        theme: Some(theme.id.clone()),
        status: FileStatus::Passed,
        errors: Vec::new(),
        scenarios,
        golden_updates,
        totals: Default::default(),
        duration_ms: None,
    };
    report.recount();
    report
}

/// Where every scenario of a file starts, worked out once.
struct Start<'t> {
    theme: &'t Theme,
    evaluator: Evaluator<'t>,
    overrides: ThresholdOverrides,
    state: SimState,
    assumption: Option<Assumption>,
    clock: OffsetDateTime,
}

impl<'t> Start<'t> {
    fn new(theme: &'t Theme, file: &ScenarioFile, env: &RunEnv<'_, '_>) -> Result<Start<'t>, ScenarioErrors> {
        let defaults = &file.defaults;
        let refused = |path: &str, e: crate::error::FieldErrors| {
            ScenarioErrors::from(ScenarioError::new(path, ErrorKind::InvalidValue, e.to_string()))
        };
        let evaluator = Evaluator::new(theme, &defaults.overrides).map_err(|e| refused("defaults.overrides", e))?;
        let state = evaluator.apply_patch(&SimState::default(), &defaults.state).map_err(|e| refused("defaults.state", e))?;
        Ok(Start {
            theme,
            evaluator,
            overrides: defaults.overrides.clone(),
            state,
            assumption: defaults.assume.clone(),
            clock: defaults.clock.unwrap_or(env.start),
        })
    }
}

fn run_scenario(start: &Start<'_>, scenario: &Scenario, env: &RunEnv<'_, '_>, updates: &mut Vec<GoldenUpdate>) -> ScenarioReport {
    let mut sim = Sim {
        theme: start.theme,
        ev: start.evaluator.clone(),
        overrides: start.overrides.clone(),
        state: start.state.clone(),
        assumption: start.assumption.clone(),
        clock: start.clock,
        last_activity: None,
    };
    let mut assertions = Vec::with_capacity(scenario.assertion_count());
    let mut error = None;
    for item in &scenario.items {
        match &item.action {
            Action::Step(step) => {
                if let Err(message) = sim.step(step) {
                    error = Some(StepFailure { path: item.path.clone(), message });
                    break;
                }
            }
            Action::Expect(expectation) => assertions.push(judge(&sim, &item.path, expectation, env, updates)),
        }
    }
    let status = ScenarioStatus::of(error.as_ref(), &assertions);
    ScenarioReport {
        name: scenario.name.clone(),
        path: scenario.path.clone(),
        example: scenario.example.as_ref().map(|e| ExampleRow { row: e.row, values: e.values.clone() }),
        tags: scenario.tags.clone(),
        status,
        error,
        assertions,
        actions: Vec::new(),
    }
}

impl Sim<'_> {
    /// Carries out a step, or says why the engine refused it.
    fn step(&mut self, step: &Step) -> Result<(), String> {
        match step {
            Step::Set(patch) => self.state = self.ev.apply_patch(&self.state, patch).map_err(|e| e.to_string())?,
            Step::Grant(ids) => self.state.granted_badges.extend(ids.iter().cloned()),
            Step::Revoke(ids) => self.state.granted_badges.retain(|id| !ids.contains(id)),
            Step::Assume(assumption) => self.assumption = Some(assumption.clone()),
            Step::ResetAssume => self.assumption = None,
            Step::Config(overrides) => {
                let merged = self.overrides.merged(overrides);
                self.ev = Evaluator::new(self.theme, &merged).map_err(|e| format!("the thresholds would be refused: {e}"))?;
                self.overrides = merged;
            }
            Step::ResetConfig => {
                self.overrides = ThresholdOverrides::default();
                self.ev = Evaluator::new(self.theme, &self.overrides).map_err(|e| e.to_string())?;
            }
            Step::Activity { kind, times, every } => {
                let mut last = None;
                let mut total = 0;
                for i in 0..*times {
                    if i > 0 {
                        self.clock = self.clock.checked_add(*every).ok_or("the simulated clock ran past the year 9999")?;
                    }
                    let result = self.ev.record_activity(&self.state, *kind, self.clock).map_err(|e| e.to_string())?;
                    total += result.outcome.awarded;
                    self.state = result.state;
                    last = Some(result.outcome);
                }
                self.last_activity = last.map(|outcome| LastActivity { outcome, total });
            }
            Step::Advance(duration) => {
                self.clock = self.clock.checked_add(*duration).ok_or("the simulated clock ran past the year 9999")?
            }
            Step::Clock(at) => self.clock = *at,
        }
        Ok(())
    }
}
