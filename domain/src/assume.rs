//! Role assumption: a tier (with an optional rank and granted badges) that overrides the
//! computed tier for every check until reset.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{FieldErrors, Rule};
use crate::lookup::hint;
use crate::rank::Rank;
use crate::theme::{BadgeRule, Theme};

/// An assumed role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Assumption {
    /// The tier in force while assumed.
    pub tier_id: String,
    /// A rank to show with the assumed tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<Rank>,
    /// Special badges held while assumed, on top of the state's granted badges.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub badges: BTreeSet<String>,
}

impl Assumption {
    /// Assumes a tier with no rank and no badges.
    pub fn tier(tier_id: impl Into<String>) -> Assumption {
        Assumption { tier_id: tier_id.into(), rank: None, badges: BTreeSet::new() }
    }

    /// Checks that the tier and badges exist in the theme and the badges can be granted.
    pub fn validate(&self, theme: &Theme) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if theme.tier(&self.tier_id).is_none() {
            let near = hint(&self.tier_id, theme.tiers.iter().map(|t| t.id.as_str()));
            let message = format!("theme {} has no tier {}{}", theme.id, self.tier_id, near.text);
            errors.push("tierId", Rule::UnknownTier, message);
        }
        check_grantable(theme, "badges", &self.badges, &mut errors);
        errors.into_result(())
    }
}

/// Checks that every badge exists and is granted explicitly rather than earned by a rule.
pub(crate) fn check_grantable(theme: &Theme, path: &str, badges: &BTreeSet<String>, errors: &mut FieldErrors) {
    for id in badges {
        match theme.badge(id) {
            None => {
                let near = hint(id, theme.badges.iter().map(|b| b.id.as_str()));
                errors.push(path, Rule::UnknownBadge, format!("theme {} has no badge {id}{}", theme.id, near.text));
            }
            Some(badge) if badge.rule != BadgeRule::Granted => {
                errors.push(path, Rule::NotGrantable, format!("{id} is earned by its rule ({}), not granted", badge.rule));
            }
            Some(_) => {}
        }
    }
}
