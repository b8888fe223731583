//! The evaluator: a theme compiled with the thresholds in force, answering tier, gate, badge,
//! channel and feature questions for a subject (a state and an optional assumption).

mod activity;
mod badges;
mod channel;
mod channel_check;
mod check;
mod facts;
mod feature;
mod gate;
mod subject;
mod tier;
mod tier_text;

use crate::bgt::Bgt;
use crate::error::FieldErrors;
use crate::explain::{reach_of, Ladder, Reach};
use crate::overrides::ThresholdOverrides;
use crate::rank::{Rank, RankRange};
use crate::stage::Stage;
use crate::state::SimState;
use crate::theme::{Assignment, BadgeRule, RequirementSource, Theme, TierStrategy};
use crate::thresholds::{bgt_of, rank_of, Thresholds};

pub use activity::{ActivityError, ActivityOutcome, ActivityResult, AwardRule};
pub use badges::{BadgeStatus, BadgesResult};
pub use channel::{AccessDecision, AccessRule, ChannelCheck};
pub use check::{AllResult, CheckError, CheckRequest, CheckResult};
pub(crate) use facts::Facts;
pub use feature::FeatureCheck;
pub use gate::GateResult;
pub use subject::{InForce, Subject};
pub use tier::{AssumedTier, ComputedTier, NextTier, TierResult, TierRule};

/// A theme and its thresholds in force, ready to evaluate any number of subjects.
#[derive(Debug, Clone)]
pub struct Evaluator<'t> {
    pub(crate) theme: &'t Theme,
    pub(crate) thresholds: Thresholds,
    /// Rank-assigned tiers with their effective ranges, best ranks first.
    pub(crate) rank_tiers: Vec<(RankRange, usize)>,
    /// BGT-assigned tiers with their effective thresholds, highest first.
    pub(crate) bgt_ladder: Vec<(Bgt, usize)>,
    pub(crate) channels: Vec<CompiledChannel>,
    pub(crate) features: Vec<CompiledFeature>,
    pub(crate) badges: Vec<CompiledBadge>,
    /// The spans the solver needs, worked out once.
    pub(crate) ladder: Ladder,
    /// Per tier, the "reach it" display lines of denials.
    pub(crate) reach: Vec<Reach>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledChannel {
    pub key: String,
    pub category: usize,
    pub channel: usize,
    pub tier: Option<usize>,
    pub badge: Option<usize>,
    pub source: RequirementSource,
    pub display: ChannelDisplay,
}

/// Display text of a channel that depends only on the theme and thresholds, built once.
#[derive(Debug, Clone)]
pub(crate) struct ChannelDisplay {
    pub granted_title: String,
    pub denied_title: String,
    pub required_line: String,
    pub badge_line: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledFeature {
    pub id: String,
    pub granted_by: Vec<bool>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum CompiledBadge {
    Tenure(u32),
    Activity(u32),
    Conviction(u64),
    TierReached(usize),
    Granted,
}

/// What decided a computed tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decider {
    Rank(RankRange),
    Bgt(Bgt),
    /// No rule matched: the lowest tier, flagged.
    Floor(Floor),
}

/// Why the lowest tier was given by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Floor {
    /// The balance is below the lowest BGT threshold.
    BelowMinimum(Bgt),
    /// No rank is set and ranks are the only rule.
    NoRank,
    /// The rank lies in no rank-assigned tier's range and ranks are the only rule.
    RankOutsideRanges,
}

/// A computed tier and what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Computed {
    pub tier: usize,
    pub decider: Decider,
}

impl<'t> Evaluator<'t> {
    /// Compiles a theme with validated overrides; refuses an invalid theme or override set.
    pub fn new(theme: &'t Theme, overrides: &ThresholdOverrides) -> Result<Evaluator<'t>, FieldErrors> {
        theme.validate()?;
        let thresholds = Thresholds::resolve(theme, overrides)?;
        Ok(Evaluator::compile(theme, thresholds))
    }

    /// The evaluator of a built-in theme with its default thresholds.
    pub fn builtin(theme_id: &str) -> Option<Evaluator<'static>> {
        let theme = Theme::builtin(theme_id)?;
        Some(Evaluator::compile(theme, Thresholds::defaults(theme)))
    }

    fn compile(theme: &'t Theme, thresholds: Thresholds) -> Evaluator<'t> {
        let mut rank_tiers: Vec<(RankRange, usize)> =
            thresholds.tiers.iter().enumerate().filter_map(|(index, tier)| rank_of(&tier.assignment).map(|range| (range, index))).collect();
        rank_tiers.sort_by_key(|(range, _)| range.min_rank);
        let bgt_ladder: Vec<(Bgt, usize)> = match theme.tier_strategy {
            TierStrategy::RankOnly => Vec::new(),
            TierStrategy::RankThenBgt => thresholds
                .tiers
                .iter()
                .enumerate()
                .rev()
                .filter_map(|(index, tier)| bgt_of(&tier.assignment).map(|bgt| (bgt, index)))
                .collect(),
        };
        let tier_of = |id: &Option<String>| id.as_deref().and_then(|id| theme.tier_index(id));
        let badge_of = |id: &Option<String>| id.as_deref().and_then(|id| theme.badges.iter().position(|b| b.id == id));
        let channels: Vec<CompiledChannel> = theme
            .categories
            .iter()
            .enumerate()
            .flat_map(|(c, category)| category.channels.iter().enumerate().map(move |(h, channel)| (c, category, h, channel)))
            .map(|(category_index, category, channel_index, channel)| {
                let (restriction, source) = channel.requirement(category);
                let tier = tier_of(&restriction.tier);
                let badge = badge_of(&restriction.badge);
                let required = tier.map_or_else(|| "none".to_owned(), |t| required_label(theme, &thresholds.tiers[t].assignment, t));
                let display = ChannelDisplay {
                    granted_title: format!("ACCESS GRANTED: #{}", channel.name),
                    denied_title: format!("ACCESS DENIED: #{}", channel.name),
                    required_line: format!("Required Tier: {required}"),
                    badge_line: badge.map(|b| format!("Required Badge: {}", theme.badges[b].name)),
                    source: format!(" (from category {})", category.name),
                };
                CompiledChannel {
                    key: crate::lookup::channel_key(&channel.name),
                    category: category_index,
                    channel: channel_index,
                    tier,
                    badge,
                    source,
                    display,
                }
            })
            .collect();
        let features = theme
            .feature_ids()
            .into_iter()
            .map(|id| CompiledFeature {
                id: id.to_owned(),
                granted_by: theme.tiers.iter().map(|tier| tier.permissions.iter().any(|p| p == id)).collect(),
            })
            .collect();
        let badges = theme
            .badges
            .iter()
            .map(|badge| match &badge.rule {
                BadgeRule::TenureDays { min } => CompiledBadge::Tenure(*min),
                BadgeRule::ActivityScore { min } => CompiledBadge::Activity(*min),
                BadgeRule::ConvictionScore { min } => CompiledBadge::Conviction(*min),
                BadgeRule::TierReached { tier } => CompiledBadge::TierReached(theme.tier_index(tier).unwrap_or(usize::MAX)),
                BadgeRule::Granted => CompiledBadge::Granted,
            })
            .collect();
        let reach = (0..theme.tiers.len()).map(|tier| reach_of(theme, &thresholds.tiers[tier].assignment, tier)).collect();
        let mut evaluator =
            Evaluator { theme, thresholds, rank_tiers, bgt_ladder, channels, features, badges, ladder: Ladder::default(), reach };
        evaluator.ladder = Ladder::build(&evaluator);
        evaluator
    }

    /// The theme evaluated.
    pub fn theme(&self) -> &'t Theme {
        self.theme
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// The id of the tier computed from state, without explanation: what bulk callers need.
    pub fn computed_tier_id(&self, state: &SimState) -> &'t str {
        &self.theme.tiers[self.compute(state).tier].id
    }

    /// The production tier rule, without any assumption.
    pub(crate) fn compute(&self, state: &SimState) -> Computed {
        self.compute_from(state.rank, state.bgt_balance)
    }

    /// The production tier rule on a rank and a balance.
    pub(crate) fn compute_from(&self, rank: Option<Rank>, bgt: Bgt) -> Computed {
        if let Some(rank) = rank {
            if let Some((range, tier)) = self.rank_tiers.iter().find(|(range, _)| range.contains(rank.get())) {
                return Computed { tier: *tier, decider: Decider::Rank(*range) };
            }
        }
        if let Some((threshold, tier)) = self.bgt_ladder.iter().find(|(threshold, _)| bgt >= *threshold) {
            return Computed { tier: *tier, decider: Decider::Bgt(*threshold) };
        }
        let floor = match (self.bgt_ladder.last(), rank) {
            (Some((minimum, _)), _) => Floor::BelowMinimum(*minimum),
            (None, None) => Floor::NoRank,
            (None, Some(_)) => Floor::RankOutsideRanges,
        };
        Computed { tier: 0, decider: Decider::Floor(floor) }
    }

    /// The gate stage the facts derive.
    pub(crate) fn stage_of(&self, state: &SimState) -> Stage {
        if state.verified {
            Stage::Verified
        } else if state.engagement_points >= self.thresholds.engaged_min.value {
            Stage::Engaged
        } else {
            Stage::Free
        }
    }

    /// The effective assignment of a tier.
    pub(crate) fn assignment(&self, tier: usize) -> &Assignment {
        &self.thresholds.tiers[tier].assignment
    }
}

/// "Naib (rank 1-7)", "Sihaya (BGT >= 420)".
pub(crate) fn required_label(theme: &Theme, assignment: &Assignment, tier: usize) -> String {
    let name = &theme.tiers[tier].name;
    match assignment {
        Assignment::None => format!("{name} (assumed only)"),
        assignment => format!("{name} ({})", crate::thresholds::boundary_text(assignment)),
    }
}
