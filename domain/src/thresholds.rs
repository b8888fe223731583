//! The thresholds in force: a theme's values with validated overrides laid over them, each
//! flagged when overridden. Validation follows spec section 1: an override that makes the ladder
//! ambiguous or that would have no effect in the theme is refused with the conflict named.

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;
use crate::error::{FieldErrors, Rule};
use crate::ladder::{self, Rung};
use crate::lookup::hint;
use crate::overrides::ThresholdOverrides;
use crate::rank::RankRange;
use crate::theme::{Assignment, Theme, TierStrategy};

/// The effective assignment of every tier and the gate values in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    pub(crate) tiers: Vec<TierThreshold>,
    pub(crate) engaged_min: Setting,
    pub(crate) hourly_cap: Setting,
}

/// One tier's effective assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TierThreshold {
    pub assignment: Assignment,
    pub overridden: bool,
}

/// A gate value in force, its default and whether it is overridden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Setting {
    /// The value in force.
    pub value: u32,
    /// The theme's value.
    pub default: u32,
    /// Whether an override set it.
    pub overridden: bool,
}

impl Thresholds {
    /// The thresholds of `theme` with `overrides` applied, or every conflict found.
    pub fn resolve(theme: &Theme, overrides: &ThresholdOverrides) -> Result<Thresholds, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut tiers: Vec<TierThreshold> =
            theme.tiers.iter().map(|tier| TierThreshold { assignment: tier.assignment.clone(), overridden: false }).collect();
        for (id, bounds) in &overrides.tiers {
            let path = format!("tiers.{id}");
            let Some(index) = known_tier(theme, id, &path, &mut errors) else { continue };
            match &mut tiers[index].assignment {
                Assignment::Rank(range) => {
                    range.min_rank = bounds.min_rank.unwrap_or(range.min_rank);
                    range.max_rank = bounds.max_rank.or(range.max_rank);
                    tiers[index].overridden = true;
                }
                Assignment::Bgt { .. } => errors.push(
                    path,
                    Rule::NoEffect,
                    format!(
                        "{id} is assigned by BGT in theme {}, so rank bounds have no effect on it; override bgt.{id} instead",
                        theme.id
                    ),
                ),
                Assignment::None => errors.push(
                    path,
                    Rule::NoEffect,
                    format!("{id} is not assigned from state in theme {}; it can only be assumed", theme.id),
                ),
            }
        }
        for (id, amount) in &overrides.bgt {
            let path = format!("bgt.{id}");
            let Some(index) = known_tier(theme, id, &path, &mut errors) else { continue };
            let tier = &mut tiers[index];
            match (&mut tier.assignment, theme.tier_strategy) {
                (Assignment::Bgt { .. }, TierStrategy::RankOnly) => errors.push(path, Rule::NoEffect, format!(
                    "theme {} assigns tiers by rank only, so a BGT threshold for {id} has no effect", theme.id)),
                (Assignment::Bgt { threshold }, TierStrategy::RankThenBgt) => {
                    *threshold = *amount;
                    tier.overridden = true;
                }
                (Assignment::Rank(range), _) => errors.push(path, Rule::NoEffect, format!(
                    "{id} is assigned by rank ({range}) in theme {}, so a BGT threshold has no effect on it; override tiers.{id}.minRank or maxRank instead", theme.id)),
                (Assignment::None, _) => errors.push(path, Rule::NoEffect, format!(
                    "{id} is not assigned from state in theme {}; it can only be assumed", theme.id)),
            }
        }
        let rungs: Vec<Rung<'_>> = tiers
            .iter()
            .enumerate()
            .map(|(index, tier)| Rung { index, id: &theme.tiers[index].id, rank: rank_of(&tier.assignment), bgt: bgt_of(&tier.assignment) })
            .collect();
        for conflict in ladder::conflicts(&rungs) {
            let blamed = match conflict.other {
                Some(other) if !tiers[conflict.index].overridden && tiers[other].overridden => other,
                _ => conflict.index,
            };
            let id = &theme.tiers[blamed].id;
            let path = match tiers[blamed].assignment {
                Assignment::Bgt { .. } => format!("bgt.{id}"),
                _ => format!("tiers.{id}"),
            };
            errors.push(path, conflict.rule, conflict.message);
        }
        let gate = &theme.gate;
        errors.into_result(Thresholds {
            tiers,
            engaged_min: setting(gate.engaged_min, overrides.engagement.engaged_min),
            hourly_cap: setting(gate.hourly_cap, overrides.engagement.rate_limit),
        })
    }

    /// The thresholds of a theme without overrides.
    pub fn defaults(theme: &Theme) -> Thresholds {
        Thresholds {
            tiers: theme.tiers.iter().map(|tier| TierThreshold { assignment: tier.assignment.clone(), overridden: false }).collect(),
            engaged_min: setting(theme.gate.engaged_min, None),
            hourly_cap: setting(theme.gate.hourly_cap, None),
        }
    }

    /// ENGAGED_MIN in force.
    pub fn engaged_min(&self) -> Setting {
        self.engaged_min
    }

    /// The hourly point cap in force.
    pub fn hourly_cap(&self) -> Setting {
        self.hourly_cap
    }
}

fn known_tier(theme: &Theme, id: &str, path: &str, errors: &mut FieldErrors) -> Option<usize> {
    let index = theme.tier_index(id);
    if index.is_none() {
        let near = hint(id, theme.tiers.iter().map(|t| t.id.as_str()));
        errors.push(path, Rule::UnknownTier, format!("theme {} has no tier {id}{}", theme.id, near.text));
    }
    index
}

fn setting(default: u32, value: Option<u32>) -> Setting {
    Setting { value: value.unwrap_or(default), default, overridden: value.is_some() }
}

pub(crate) fn rank_of(assignment: &Assignment) -> Option<RankRange> {
    match assignment {
        Assignment::Rank(range) => Some(*range),
        _ => None,
    }
}

pub(crate) fn bgt_of(assignment: &Assignment) -> Option<Bgt> {
    match assignment {
        Assignment::Bgt { threshold } => Some(*threshold),
        _ => None,
    }
}

/// The boundary text of an assignment: `rank 1-7`, `BGT >= 420`, `assumed only`.
pub fn boundary_text(assignment: &Assignment) -> String {
    match assignment {
        Assignment::Rank(range) => format!("rank {range}"),
        Assignment::Bgt { threshold } => format!("BGT >= {threshold}"),
        Assignment::None => "assumed only".to_owned(),
    }
}
