//! "config show": every effective threshold with an `overridden` flag, as data and as lines.

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;
use crate::theme::{Assignment, Theme};
use crate::thresholds::{boundary_text, Setting, Thresholds};

/// Every threshold in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdsView {
    /// The theme they belong to.
    pub theme_id: String,
    /// Tiers from the highest to the lowest, as displays list them.
    pub tiers: Vec<TierThresholdView>,
    /// Gate values.
    pub engagement: EngagementView,
    /// One line per value, "(overridden)" only where overridden.
    pub lines: Vec<String>,
}

/// One tier's threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierThresholdView {
    /// Tier id.
    pub tier_id: String,
    /// Tier name.
    pub tier_name: String,
    /// `rank`, `bgt` or `none`.
    pub by: String,
    /// Best rank, for rank-assigned tiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_rank: Option<u32>,
    /// Worst rank, for bounded rank-assigned tiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_rank: Option<u32>,
    /// The BGT threshold, for BGT-assigned tiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bgt: Option<Bgt>,
    /// `rank 1-7` or `BGT >= 420`.
    pub boundary: String,
    /// The theme's own boundary.
    pub default_boundary: String,
    /// Whether an override set it.
    pub overridden: bool,
}

/// The gate values in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EngagementView {
    /// ENGAGED_MIN.
    pub engaged_min: Setting,
    /// Points per rolling hour.
    pub rate_limit: Setting,
}

impl Thresholds {
    /// The "config show" view.
    pub fn view(&self, theme: &Theme) -> ThresholdsView {
        let tiers: Vec<TierThresholdView> = theme
            .tiers
            .iter()
            .zip(&self.tiers)
            .rev()
            .map(|(tier, effective)| {
                let (by, min_rank, max_rank, bgt) = match &effective.assignment {
                    Assignment::Rank(range) => ("rank", Some(range.min_rank), range.max_rank, None),
                    Assignment::Bgt { threshold } => ("bgt", None, None, Some(*threshold)),
                    Assignment::None => ("none", None, None, None),
                };
                TierThresholdView {
                    tier_id: tier.id.clone(),
                    tier_name: tier.name.clone(),
                    by: by.to_owned(),
                    min_rank,
                    max_rank,
                    bgt,
                    boundary: boundary_text(&effective.assignment),
                    default_boundary: boundary_text(&tier.assignment),
                    overridden: effective.overridden,
                }
            })
            .collect();
        let engagement = EngagementView { engaged_min: self.engaged_min, rate_limit: self.hourly_cap };
        let mut lines: Vec<String> =
            tiers.iter().map(|tier| format!("{}: {}{}", tier.tier_id, tier.boundary, flag(tier.overridden))).collect();
        lines.push(format!("ENGAGED_MIN: {} points{}", self.engaged_min.value, flag(self.engaged_min.overridden)));
        lines.push(format!("rate limit: {} points per hour{}", self.hourly_cap.value, flag(self.hourly_cap.overridden)));
        ThresholdsView { theme_id: theme.id.clone(), tiers, engagement, lines }
    }
}

fn flag(overridden: bool) -> &'static str {
    if overridden {
        " (overridden)"
    } else {
        ""
    }
}
