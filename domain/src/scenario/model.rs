//! The scenario model: a file with its defaults and scenarios, each scenario an ordered list of
//! steps (changes to the simulated member, the thresholds or the clock) and expectations (what
//! the engine must answer at that point). Step and expectation kinds are keyed by name in the
//! file, so a new kind is one more key: files written for the old kinds keep their meaning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use crate::assume::Assumption;
use crate::eval::CheckRequest;
use crate::overrides::ThresholdOverrides;
use crate::stage::BlurLevel;
use crate::state::StatePatch;
use crate::theme::ActivityKind;

/// Keys of a file.
pub const FILE_KEYS: [&str; 6] = ["$schema", "name", "description", "theme", "defaults", "scenarios"];
/// Keys of `defaults`.
pub const DEFAULTS_KEYS: [&str; 4] = ["state", "overrides", "assume", "clock"];
/// Keys of a scenario.
pub const SCENARIO_KEYS: [&str; 8] = ["name", "description", "tags", "given", "when", "then", "steps", "examples"];
/// Keys of `given` written as a map (applied in this order).
pub const GIVEN_KEYS: [&str; 7] = ["clock", "state", "clear", "grant", "revoke", "overrides", "assume"];
/// Step kinds, the single key of a step.
pub const STEP_KINDS: [&str; 10] = ["set", "state", "clear", "grant", "revoke", "assume", "config", "activity", "advance", "clock"];
/// Expectation kinds, the single key of an assertion.
pub const EXPECTATION_KINDS: [&str; 11] =
    ["tier", "permissions", "access", "feature", "blur", "stage", "badges", "explanation", "matrix", "check", "awarded"];

/// A scenario file, read and checked against its theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    /// What the file tests.
    pub name: String,
    /// A longer description.
    pub description: Option<String>,
    /// The theme id the file names (`sietch`, `basic`, or an uploaded theme's id); none means
    /// the caller's theme.
    pub theme: Option<String>,
    /// Where every scenario starts.
    pub defaults: Defaults,
    /// The scenarios, table-driven ones expanded one per example row.
    pub scenarios: Vec<Scenario>,
}

/// The start of every scenario of a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Defaults {
    /// Laid over the empty state.
    pub state: StatePatch,
    /// Threshold overrides in force.
    pub overrides: ThresholdOverrides,
    /// An assumed role.
    pub assume: Option<Assumption>,
    /// When the simulated clock starts; the runner's start time when absent.
    pub clock: Option<OffsetDateTime>,
}

/// One scenario: steps and expectations in the order they run.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name; for an example row, with the row's values put in.
    pub name: String,
    /// Where it is in the file (`scenarios[3]`).
    pub path: String,
    /// A longer description.
    pub description: Option<String>,
    /// Free labels for filtering and reports.
    pub tags: Vec<String>,
    /// The example row it was made from.
    pub example: Option<Example>,
    /// Given steps, when steps and then expectations, in order.
    pub items: Vec<Item>,
}

/// One row of an examples table.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// 1-based row number.
    pub row: usize,
    /// Column to value.
    pub values: Map<String, Value>,
}

/// A step or an expectation with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `scenarios[0].when[1]`.
    pub path: String,
    /// What it does.
    pub action: Action,
}

/// A step or an expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Changes something.
    Step(Step),
    /// Checks something.
    Expect(Expectation),
}

/// A change to the simulated member, the thresholds or the clock.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Step {
    /// `set` / `state` / `clear`: a state patch.
    Set(StatePatch),
    /// `grant`: special badges added to the granted ones.
    Grant(Vec<String>),
    /// `revoke`: special badges removed from the granted ones.
    Revoke(Vec<String>),
    /// `assume`: a role in force until reset.
    Assume(Assumption),
    /// `assume: reset`.
    ResetAssume,
    /// `config`: threshold overrides laid over those in force.
    Config(ThresholdOverrides),
    /// `config: reset`: back to the theme's thresholds.
    ResetConfig,
    /// `activity`: simulated activity recorded at the simulated clock.
    Activity {
        /// The activity.
        kind: ActivityKind,
        /// How many times.
        times: u32,
        /// Clock advance between two repetitions.
        every: Duration,
    },
    /// `advance`: the simulated clock moves on.
    Advance(Duration),
    /// `clock`: the simulated clock is set.
    Clock(OffsetDateTime),
}

/// Expected values by field name, normalised as the engine reports them (sets sorted).
pub type Fields = BTreeMap<String, Value>;

/// What an explanation expectation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// A channel check.
    Channel(String),
    /// A feature check.
    Feature(String),
    /// A badge.
    Badge(String),
    /// The tier check and the way to the next tier.
    Tier,
}

/// Which part of the permission matrix a golden file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixPart {
    /// Tiers, channels, features and every cell.
    All,
    /// Tiers against channels.
    Channels,
    /// Tiers against features.
    Features,
}

/// What the engine must answer at one point of a scenario.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expectation {
    /// `tier`: the tier in force, the computed one, its rule and boundary.
    Tier(Fields),
    /// `permissions`: exactly these permissions (the tier in force's).
    Permissions(Vec<String>),
    /// `access`: a channel check.
    Access {
        /// The channel.
        channel: String,
        /// Expected fields of the check.
        fields: Fields,
    },
    /// `feature`: a feature check.
    Feature {
        /// The feature id.
        feature: String,
        /// Expected fields of the check.
        fields: Fields,
    },
    /// `blur`: the stage's blur, or a channel's.
    Blur {
        /// The channel, if any.
        channel: Option<String>,
        /// The level.
        level: BlurLevel,
    },
    /// `stage`: the gate.
    Stage(Fields),
    /// `badges`: which are earned and which are not.
    Badges {
        /// Each of these is earned.
        earned: Vec<String>,
        /// None of these is earned.
        not_earned: Vec<String>,
        /// Exactly these are earned.
        exactly: Option<Vec<String>>,
    },
    /// `explanation`: what an answer's explanation says.
    Explanation {
        /// Which answer.
        topic: Topic,
        /// Texts that must appear in the explanation (any case).
        mentions: Vec<String>,
        /// Texts that must appear in a suggested fix.
        suggests: Vec<String>,
        /// Whether no state change can help.
        no_state_change_helps: Option<bool>,
    },
    /// `matrix`: the permission matrix equals a golden file.
    Matrix {
        /// The golden file, relative to the scenario file.
        golden: String,
        /// Which part.
        part: MatrixPart,
    },
    /// `check`: the JSON answer of a check request contains these values.
    Check {
        /// The request, as the API takes it.
        request: CheckRequest,
        /// A JSON value the answer must contain.
        contains: Value,
    },
    /// `awarded`: what the last activity step earned.
    Awarded(Fields),
}

impl Expectation {
    /// The expectation's kind, as the file names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Expectation::Tier(_) => "tier",
            Expectation::Permissions(_) => "permissions",
            Expectation::Access { .. } => "access",
            Expectation::Feature { .. } => "feature",
            Expectation::Blur { .. } => "blur",
            Expectation::Stage(_) => "stage",
            Expectation::Badges { .. } => "badges",
            Expectation::Explanation { .. } => "explanation",
            Expectation::Matrix { .. } => "matrix",
            Expectation::Check { .. } => "check",
            Expectation::Awarded(_) => "awarded",
        }
    }
}

impl ScenarioFile {
    /// How many expectations the file holds.
    pub fn assertion_count(&self) -> usize {
        self.scenarios.iter().map(Scenario::assertion_count).sum()
    }
}

impl Scenario {
    /// How many expectations the scenario holds.
    pub fn assertion_count(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.action, Action::Expect(_))).count()
    }
}
