//! Scenario files: QA and agents write given/when/then scenarios once, in YAML or JSON, and run
//! them anywhere (browser, API, CLI). This module owns the format (model, parsing with every
//! error as data, the JSON Schema), the pure runner, the report and its renderings (text, JSON,
//! JUnit XML), and the generated boundary suite. No IO and no clock: themes, golden files and
//! the start of the simulated clock are parameters.
//!
//! ```yaml
//! name: PRD 9.1
//! theme: sietch
//! scenarios:
//!   - name: QA sets BGT balance for tier computation
//!     when:
//!       - set: {bgt: 500}
//!     then:
//!       - tier: {computed: sihaya, rule: bgt, threshold: 420}
//! ```

mod env;
mod error;
mod examples;
mod expect;
mod expect_kinds;
mod generate;
mod judge;
mod judge_text;
pub mod kruxt;
mod model;
mod parse;
mod read;
mod render;
mod report;
mod run;
mod step;
mod syntax;
mod timing;

use time::macros::datetime;
use time::OffsetDateTime;

pub use env::{builtin_theme, GoldenSource, RunEnv, ThemeResolver};
pub use error::{ErrorKind, ScenarioError, ScenarioErrors};
pub use generate::boundary_suite;
pub use model::{
    Action, Defaults, Example, Expectation, Fields, Item, MatrixPart, Scenario, ScenarioFile, Step, Topic, DEFAULTS_KEYS,
    EXPECTATION_KINDS, FILE_KEYS, GIVEN_KEYS, SCENARIO_KEYS, STEP_KINDS,
};
pub use render::{render_json, render_junit, render_pretty};
pub use report::{
    AssertionReport, ExampleRow, FileReport, FileStatus, GoldenUpdate, Report, ScenarioReport, ScenarioStatus, StepFailure, Totals,
};
pub use run::{parse, run_file, run_text};
pub use step::{parse_duration, STATE_KEYS};
pub use syntax::{golden_files, Format};

/// The JSON Schema (draft 2020-12) of the scenario format, for editors; served by the API.
pub const JSON_SCHEMA: &str = include_str!("schema.json");

/// Where the simulated clock starts unless the file sets `defaults.clock` (or a step sets
/// `clock`): 2026-01-19 12:00 UTC, the PRD's date. Runs are reproducible whatever the wall time.
pub const DEFAULT_CLOCK: OffsetDateTime = datetime!(2026-01-19 12:00 UTC);

/// How large a scenario file may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of text.
    pub max_bytes: usize,
    /// Scenarios, one per example row for table-driven ones.
    pub max_scenarios: usize,
    /// Steps and assertions in one scenario.
    pub max_steps: usize,
    /// Assertions in the whole file.
    pub max_assertions: usize,
    /// Rows of one examples table.
    pub max_rows: usize,
}

impl Default for Limits {
    /// 2 MiB, 2,000 scenarios, 1,000 steps and assertions per scenario, 20,000 assertions per
    /// file, 2,000 rows per table.
    fn default() -> Limits {
        Limits { max_bytes: 2 * 1024 * 1024, max_scenarios: 2_000, max_steps: 1_000, max_assertions: 20_000, max_rows: 2_000 }
    }
}
