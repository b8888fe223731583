//! The theme model: tiers and how each is assigned, channels and their restrictions, badges and
//! their rules, gate settings. Themes are data: the built-ins are TOML files in `domain/themes/`.

mod badge;
mod builtin;
mod channel;
mod gate;

mod lint;
mod load;
mod validate;

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;
use crate::rank::RankRange;

pub use badge::{Badge, BadgeCategory, BadgeRule};
pub use channel::{Category, Channel, ChannelType, RequirementSource, Restriction};
pub use gate::{ActivityKind, ActivityPoints, BlurLevels, GateSettings, RepeatPenalty};

pub use lint::{lint, Finding, Severity};
pub use load::ThemeFormat;

/// A permission system to simulate: tiers, channels, features, badges and the engagement gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    /// Stable id ("sietch").
    pub id: String,
    /// Display name ("Sietch").
    pub name: String,
    /// How state is turned into a tier.
    pub tier_strategy: TierStrategy,
    /// Tiers from the lowest to the highest: the list order is the tier order.
    pub tiers: Vec<Tier>,
    /// Features the theme knows beyond those some tier grants (a feature nobody is granted yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Channel categories in display order.
    pub categories: Vec<Category>,
    /// Badges in display order.
    #[serde(default)]
    pub badges: Vec<Badge>,
    /// The progressive gate's settings.
    #[serde(default)]
    pub gate: GateSettings,
}

/// How a theme decides a member's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum TierStrategy {
    /// Sietch's nightly sync: a rank inside a rank-assigned tier's range wins whatever the
    /// balance; otherwise the highest BGT threshold met; otherwise the lowest tier, flagged.
    RankThenBgt,
    /// Only rank ranges decide; no rank (or a rank in no range) gives the lowest tier, flagged.
    RankOnly,
}

/// One tier of the ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tier {
    /// Stable id ("naib").
    pub id: String,
    /// Display name ("Naib").
    pub name: String,
    /// Role colour as `#RRGGBB`.
    pub colour: String,
    /// Exactly the permissions this tier has; nothing is inherited from lower tiers.
    pub permissions: Vec<String>,
    /// How a member gets this tier.
    pub assignment: Assignment,
    /// A rank range shown in displays only (Sietch's BGT tiers show 70-100 and so on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_rank: Option<RankRange>,
}

/// How a tier is assigned from state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "by", rename_all = "camelCase")]
pub enum Assignment {
    /// A leaderboard rank inside the range.
    Rank(RankRange),
    /// A BGT balance at or above the threshold.
    Bgt {
        /// The minimum balance (`>=`).
        threshold: Bgt,
    },
    /// No state assigns it; it can only be assumed.
    None,
}

impl Theme {
    /// The position of a tier in the order (0 is the lowest).
    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.tiers.iter().position(|tier| tier.id == id)
    }

    /// A tier by id.
    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|tier| tier.id == id)
    }

    /// A badge by id.
    pub fn badge(&self, id: &str) -> Option<&Badge> {
        self.badges.iter().find(|badge| badge.id == id)
    }

    /// Every channel with its category, in display order.
    pub fn channels(&self) -> impl Iterator<Item = (&Category, &Channel)> {
        self.categories.iter().flat_map(|category| category.channels.iter().map(move |channel| (category, channel)))
    }

    /// Every feature id: the declared ones and every permission some tier grants, first seen first.
    pub fn feature_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        let granted = self.tiers.iter().rev().flat_map(|tier| tier.permissions.iter());
        for id in granted.chain(self.features.iter()) {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        ids
    }
}
