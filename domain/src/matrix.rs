//! The permission matrix: tiers x channels and tiers x features, each cell with its explanation.
//! Badge-gated channels show "needs badge" for tiers that meet the tier requirement.

use serde::{Deserialize, Serialize};

use crate::eval::{CompiledBadge, Evaluator};
use crate::thresholds::boundary_text;

/// Access in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    /// Every member of the tier may.
    Allowed,
    /// No member of the tier may.
    Denied,
    /// Members of the tier may if they hold the badge.
    NeedsBadge,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    /// The access.
    pub access: Access,
    /// The badge that would also be needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
    /// Why, in a sentence.
    pub explanation: String,
}

/// A row header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixTier {
    /// Tier id.
    pub id: String,
    /// Tier name.
    pub name: String,
    /// Role colour.
    pub colour: String,
    /// Its boundary in force.
    pub boundary: String,
}

/// A channel column header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixChannel {
    /// Channel name.
    pub name: String,
    /// Category name.
    pub category: String,
    /// Required tier.
    pub required_tier: Option<String>,
    /// Required badge.
    pub required_badge: Option<String>,
}

/// Tiers (rows, highest first) against channels and features (columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    /// The theme.
    pub theme_id: String,
    /// Rows, highest tier first.
    pub tiers: Vec<MatrixTier>,
    /// Channel columns in display order.
    pub channels: Vec<MatrixChannel>,
    /// Feature columns.
    pub features: Vec<String>,
    /// `channel_cells[row][column]`.
    pub channel_cells: Vec<Vec<Cell>>,
    /// `feature_cells[row][column]`.
    pub feature_cells: Vec<Vec<Cell>>,
}

impl Matrix {
    /// The cell of a tier and channel, by id and name.
    pub fn channel_cell(&self, tier: &str, channel: &str) -> Option<&Cell> {
        let row = self.tiers.iter().position(|t| t.id == tier)?;
        let column = self.channels.iter().position(|c| c.name == channel)?;
        Some(&self.channel_cells[row][column])
    }

    /// The cell of a tier and feature.
    pub fn feature_cell(&self, tier: &str, feature: &str) -> Option<&Cell> {
        let row = self.tiers.iter().position(|t| t.id == tier)?;
        let column = self.features.iter().position(|f| f == feature)?;
        Some(&self.feature_cells[row][column])
    }
}

impl Evaluator<'_> {
    /// The access of tier `tier` to channel `index`, regardless of any member's badges.
    pub(crate) fn channel_access(&self, tier: usize, index: usize) -> Access {
        let rule = &self.channels[index];
        if rule.tier.is_some_and(|needed| tier < needed) {
            return Access::Denied;
        }
        match rule.badge.map(|badge| self.badges[badge]) {
            None => Access::Allowed,
            Some(CompiledBadge::TierReached(needed)) if tier >= needed => Access::Allowed,
            Some(_) => Access::NeedsBadge,
        }
    }

    /// The permission matrix.
    pub fn matrix(&self) -> Matrix {
        let theme = self.theme;
        let rows: Vec<usize> = (0..theme.tiers.len()).rev().collect();
        let tiers = rows
            .iter()
            .map(|t| MatrixTier {
                id: theme.tiers[*t].id.clone(),
                name: theme.tiers[*t].name.clone(),
                colour: theme.tiers[*t].colour.clone(),
                boundary: boundary_text(self.assignment(*t)),
            })
            .collect();
        let channels = self
            .channels
            .iter()
            .map(|rule| MatrixChannel {
                name: theme.categories[rule.category].channels[rule.channel].name.clone(),
                category: theme.categories[rule.category].name.clone(),
                required_tier: rule.tier.map(|t| theme.tiers[t].id.clone()),
                required_badge: rule.badge.map(|b| theme.badges[b].id.clone()),
            })
            .collect();
        let channel_cells = rows.iter().map(|t| (0..self.channels.len()).map(|c| self.channel_cell(*t, c)).collect()).collect();
        let feature_cells = rows.iter().map(|t| (0..self.features.len()).map(|f| self.feature_cell(*t, f)).collect()).collect();
        Matrix {
            theme_id: theme.id.clone(),
            tiers,
            channels,
            features: self.features.iter().map(|f| f.id.clone()).collect(),
            channel_cells,
            feature_cells,
        }
    }

    fn channel_cell(&self, tier: usize, index: usize) -> Cell {
        let rule = &self.channels[index];
        let name = &self.theme.tiers[tier].name;
        let access = self.channel_access(tier, index);
        let required = rule.tier.map(|t| self.theme.tiers[t].name.as_str());
        let badge = rule.badge.map(|b| &self.theme.badges[b]);
        let explanation = match (access, required, badge) {
            (Access::Denied, Some(required), _) => format!("{name} does not meet the required tier {required}"),
            (Access::NeedsBadge, _, Some(badge)) => format!("{name} may enter with the {} badge ({})", badge.name, badge.rule),
            (Access::Allowed, _, Some(badge)) => format!("{name} earns the {} badge by its tier", badge.name),
            (Access::Allowed, Some(required), None) => format!("{name} meets the required tier {required}"),
            _ => "no tier or badge restriction".to_owned(),
        };
        Cell { access, badge: badge.filter(|_| access == Access::NeedsBadge).map(|b| b.id.clone()), explanation }
    }

    fn feature_cell(&self, tier: usize, index: usize) -> Cell {
        let feature = &self.features[index];
        let name = &self.theme.tiers[tier].name;
        let (access, explanation) = if feature.granted_by[tier] {
            (Access::Allowed, format!("{name}'s permissions include {}", feature.id))
        } else {
            (Access::Denied, format!("{name}'s permissions do not include {} (nothing is inherited)", feature.id))
        };
        Cell { access, badge: None, explanation }
    }
}
