//! KRUXT scenario files: the same given/when/then (or steps) layout as tier files, marked
//! `theme: kruxt`, whose steps act as KRUXT users against a KRUXT sandbox's database and whose
//! expectations judge what the database did. This module owns the format and the judging; the
//! runner that talks to the database lives with the server (`app::services::kruxt`), and reports
//! come out in the same shapes as tier runs (`FileReport`, `ScenarioReport`, `AssertionReport`).
//! It also holds the beta test plan as data and works out each item's status.
//!
//! ```yaml
//! name: Item 2 - members cannot write staff-only objects
//! theme: kruxt
//! testPlanItem: 2
//! defaults: {actor: sara_conti}
//! scenarios:
//!   - name: A member inserting a waiver is refused by row-level security
//!     steps:
//!       - insert: {table: waivers, values: {gym_id: 10000000-0000-4000-8000-000000000001, title: Mine, policy_version: x, document_url: "https://x"}}
//!       - error: {sqlstate: "42501", message: row-level security}
//! ```

mod compare;
mod expect;
mod facets;
mod judge;
mod lint;
mod model;
mod outcome;
mod parse;
mod plan;
mod read;
mod steps;
mod vars;

pub use crate::scenario::timing::ActionTiming;
pub use compare::contained;
pub use facets::{check_facet, FacetState, FacetStatus, NeededFacet, DEFAULT_FACETS, DEFAULT_SCENARIO_FACET};
pub use judge::{describe, judge};
pub use lint::{lint, LintWarning};
pub use model::{
    Absence, DbAction, ErrorExpectation, Filter, KruxtAction, KruxtDefaults, KruxtExpectation, KruxtFile, KruxtItem, KruxtScenario,
    KruxtStep, CONSOLE_METHODS, DEFAULTS_KEYS, EXPECTATION_KINDS, FILE_KEYS, MAX_STEP_TIMEOUT_SECS, SCENARIO_KEYS, STEP_KINDS, THEME,
};
pub use outcome::{Outcome, OutcomeError, Snapshot};
pub use parse::{is_kruxt, parse, MAX_ITEM};
pub use plan::{ItemScenario, ItemState, ItemStatus, LastRun, PlanError, PlanItem, PlanStatus, PlanTotals, TaggedScenario, TestPlan};
pub use steps::MAX_LIMIT;
pub use vars::{check_path, lookup, references, Vars};
