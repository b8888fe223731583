//! The pure Crysknife engine: themes as data, tier and gate evaluation, badges, channel and
//! feature checks with explanations, threshold overrides, permission matrices, what-if and
//! boundary personas. No IO, no async, no clock, no randomness source: time and seeds are
//! parameters. Builds for native and `wasm32-unknown-unknown`.

#![warn(missing_docs)]

mod assume;
mod bgt;
mod boundary;
pub mod csv_write;
mod error;
mod eval;
mod explain;
mod fixed;
mod ladder;
pub mod lookup;
mod matrix;
mod overrides;
mod population;
mod rank;
pub mod scenario;
mod schema;
mod stage;
mod state;
pub mod theme;
mod thresholds;
mod whatif;

pub use bgt::{Bgt, BgtDelta, BgtError, BGT_DECIMALS};
pub use error::{FieldError, FieldErrors, Rule};
pub use rank::{Rank, RankRange};
pub use stage::{BlurLevel, Stage};
pub use theme::{ActivityKind, Theme};

pub use assume::Assumption;
pub use eval::{
    AccessDecision, AccessRule, ActivityError, ActivityOutcome, ActivityResult, AllResult, AssumedTier, AwardRule, BadgeStatus,
    BadgesResult, ChannelCheck, CheckError, CheckRequest, CheckResult, ComputedTier, Evaluator, FeatureCheck, GateResult, InForce,
    NextTier, Subject, TierResult, TierRule,
};
pub use explain::{apply_fix, Change, Embed, FactValue, Field, Fix, Remedy, Target};
pub use overrides::{
    EngagementOverride, EngagementView, RankOverride, ThresholdKey, ThresholdOverrides, ThresholdsView, TierThresholdView,
};
pub use state::{ActivityRecord, SimState, StatePatch};
pub use thresholds::{boundary_text, Setting, Thresholds};

pub use boundary::{BoundaryPersona, BoundaryStep, Expected, Position};
pub use matrix::{Access, Cell, Matrix, MatrixChannel, MatrixTier};
pub use population::{parse_members_csv, CsvError, CsvErrors, PopulationSpec, SplitMix64};
pub use whatif::{what_if, AccessFlip, CellFlip, Move, PopulationImpact, ThresholdChange, WhatIf};
