//! Badges and the rules that earn them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A badge a member can earn or be granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Badge {
    /// Stable id ("water_sharer").
    pub id: String,
    /// Display name ("Water Sharer").
    pub name: String,
    /// Grouping shown in displays.
    pub category: BadgeCategory,
    /// Lost again when the rule stops holding.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revocable: bool,
    /// How it is earned.
    pub rule: BadgeRule,
}

/// The badge groups of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum BadgeCategory {
    /// Earned by days in the community.
    Tenure,
    /// Earned by reaching something.
    Achievement,
    /// Earned by recent activity.
    Activity,
    /// Granted by hand.
    Special,
}

/// How a badge is earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum BadgeRule {
    /// Tenure days at or above `min`.
    TenureDays {
        /// Days needed.
        min: u32,
    },
    /// Activity score at or above `min`.
    ActivityScore {
        /// Score needed.
        min: u32,
    },
    /// Conviction score at or above `min`.
    ConvictionScore {
        /// Score needed.
        min: u64,
    },
    /// The current or highest tier meets `tier`.
    TierReached {
        /// The tier to meet.
        tier: String,
    },
    /// Granted explicitly (production uses a custom evaluator).
    Granted,
}

impl fmt::Display for BadgeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadgeRule::TenureDays { min } => write!(f, "tenure days >= {min}"),
            BadgeRule::ActivityScore { min } => write!(f, "activity score >= {min}"),
            BadgeRule::ConvictionScore { min } => write!(f, "conviction score >= {min}"),
            BadgeRule::TierReached { tier } => write!(f, "current or highest tier meets {tier}"),
            BadgeRule::Granted => f.write_str("granted explicitly"),
        }
    }
}
