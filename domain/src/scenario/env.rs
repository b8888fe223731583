//! What a scenario run takes from outside (the theme resolver, golden files, the clock's start,
//! limits, progress) and the simulation a scenario runs in: shared by the runner and the judges.

use time::OffsetDateTime;

use super::{Limits, DEFAULT_CLOCK};
use crate::assume::Assumption;
use crate::eval::{ActivityOutcome, Evaluator};
use crate::overrides::ThresholdOverrides;
use crate::state::SimState;
use crate::theme::Theme;

/// Finds the theme a file names: `None` when the file names none (the caller's theme, such as a
/// sandbox's uploaded one), `Some(id)` otherwise.
pub type ThemeResolver<'a, 't> = dyn Fn(Option<&str>) -> Option<&'t Theme> + 'a;

/// The contents of a golden file by its path relative to the scenario file, if it exists.
pub type GoldenSource<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Everything a run takes from outside: the engine does no IO and reads no clock.
pub struct RunEnv<'a, 't> {
    /// Resolves the file's theme.
    pub themes: &'a ThemeResolver<'a, 't>,
    /// Reads golden files.
    pub golden: &'a GoldenSource<'a>,
    /// Return new golden contents instead of failing when they differ.
    pub update_golden: bool,
    /// Where the simulated clock starts when the file sets none.
    pub start: OffsetDateTime,
    /// Size limits.
    pub limits: Limits,
    /// Called after each scenario with (scenarios done, scenarios in the file).
    pub progress: Option<&'a (dyn Fn(usize, usize) + 'a)>,
}

/// The built-in themes: `sietch` and `basic` by id, `sietch` when the file names none.
pub fn builtin_theme(requested: Option<&str>) -> Option<&'static Theme> {
    Theme::builtin(requested.unwrap_or("sietch"))
}

fn no_golden(_: &str) -> Option<String> {
    None
}

impl RunEnv<'static, 'static> {
    /// Built-in themes, no golden files, the default clock and limits. Replace fields with
    /// struct update syntax: `RunEnv { golden: &read, ..RunEnv::builtin() }`.
    pub fn builtin() -> RunEnv<'static, 'static> {
        RunEnv {
            themes: &builtin_theme,
            golden: &no_golden,
            update_golden: false,
            start: DEFAULT_CLOCK,
            limits: Limits::default(),
            progress: None,
        }
    }
}

/// The last activity step's outcome, for `awarded`.
#[derive(Debug, Clone)]
pub(crate) struct LastActivity {
    pub outcome: ActivityOutcome,
    pub total: u32,
}

/// The simulation while a scenario runs.
pub(crate) struct Sim<'t> {
    pub theme: &'t Theme,
    pub ev: Evaluator<'t>,
    pub overrides: ThresholdOverrides,
    pub state: SimState,
    pub assumption: Option<Assumption>,
    pub clock: OffsetDateTime,
    pub last_activity: Option<LastActivity>,
}
