//! Explanations as data: the exact state changes (field, from, to, delta, sentence) that would
//! flip a decision, grouped into alternative fixes. `ladder` works out the spans once per
//! evaluator, `solve` builds plans from them, `change` tries each plan on the deciding facts
//! (through the same rules the checks use) and writes only the fixes that flip the decision;
//! `apply` performs a fix on a state, for clients and for tests that prove each fix again.

mod apply;
mod change;
mod embed;
mod ladder;
mod solve;
mod span;
mod text;

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;

pub use apply::apply_fix;
pub use embed::Embed;
pub(crate) use embed::{reach_of, Reach};
pub(crate) use ladder::Ladder;
pub(crate) use solve::{combine, Solver};
pub(crate) use text::push_int;

/// A state field (or the assumption) a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// Leaderboard rank.
    Rank,
    /// BGT balance.
    BgtBalance,
    /// Engagement points.
    EngagementPoints,
    /// Wallet verification.
    Verified,
    /// Activity score.
    ActivityScore,
    /// Conviction score.
    ConvictionScore,
    /// Tenure in days.
    TenureDays,
    /// Highest tier ever held.
    HighestTier,
    /// Granted special badges.
    GrantedBadges,
    /// The assumed role (not a state fact).
    AssumedTier,
}

impl Field {
    /// How sentences name the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Rank => "rank",
            Field::BgtBalance => "BGT",
            Field::EngagementPoints => "engagement points",
            Field::Verified => "verified",
            Field::ActivityScore => "activity score",
            Field::ConvictionScore => "conviction score",
            Field::TenureDays => "tenure days",
            Field::HighestTier => "highest tier",
            Field::GrantedBadges => "granted badges",
            Field::AssumedTier => "assumed tier",
        }
    }
}

/// A value of a field, as JSON shows it: numbers, BGT strings, flags, ids or null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum FactValue {
    /// No value (no rank, no assumption).
    Null,
    /// A whole number.
    Count(u64),
    /// A BGT amount.
    Amount(Bgt),
    /// A flag.
    Flag(bool),
    /// A tier or badge id.
    Id(String),
}

/// What a change asks of its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Target {
    /// The value must be at most `value`.
    AtMost {
        /// Inclusive bound.
        value: FactValue,
    },
    /// The value must be at least `value`.
    AtLeast {
        /// Inclusive bound.
        value: FactValue,
    },
    /// The value must lie in `min..=max`.
    Between {
        /// Inclusive lower bound.
        min: FactValue,
        /// Inclusive upper bound.
        max: FactValue,
    },
    /// The value must be cleared.
    Clear,
    /// The value must become `value`.
    Set {
        /// The new value.
        value: FactValue,
    },
    /// A badge must be granted.
    Grant {
        /// Badge id.
        badge: String,
    },
    /// A tier must be assumed.
    Assume {
        /// Tier id.
        tier: String,
    },
    /// The assumption must be reset.
    Reset,
}

/// One exact change of one field: the nearest value that satisfies the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The field changed.
    pub field: Field,
    /// Its value now.
    pub from: FactValue,
    /// The nearest value that satisfies the target.
    pub to: FactValue,
    /// What the field must satisfy.
    pub target: Target,
    /// The signed difference ("+80", "-35") for numeric fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// "rank 42 -> at most 7", "BGT 340 -> at least 420 (+80)", "grant badge water_sharer".
    pub sentence: String,
}

/// An alternative way to flip a decision: all its changes together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// The changes, all needed.
    pub changes: Vec<Change>,
    /// The changes in one sentence.
    pub sentence: String,
    /// Whether it changes only the simulated state (no assumption involved).
    pub state_only: bool,
}

/// Every alternative fix of one denial, and whether state changes can help at all.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Remedy {
    /// Alternatives, state-only fixes first, fewest changes first.
    pub fixes: Vec<Fix>,
    /// True when no change of state can allow it (only assuming a tier, or nothing).
    pub no_state_change_helps: bool,
    /// Why no state change helps, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Appends the sentence with its first letter in upper case.
pub(crate) fn push_capitalised(out: &mut String, sentence: &str) {
    let mut chars = sentence.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}
