//! The tier check: which tier is in force, which rule decided the computed one, its boundary,
//! whether it is overridden or below the minimum, and what reaching the next tier takes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Decider, Evaluator, Floor, InForce, Subject};
use crate::bgt::Bgt;
use crate::explain::{Remedy, Solver};
use crate::rank::Rank;
use crate::thresholds::boundary_text;

/// The rule that decided a computed tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum TierRule {
    /// The rank lies in the tier's range.
    Rank {
        /// Best rank of the range.
        min_rank: u32,
        /// Worst rank of the range.
        #[serde(skip_serializing_if = "Option::is_none")]
        max_rank: Option<u32>,
    },
    /// The balance meets the tier's threshold, the highest one met.
    Bgt {
        /// The threshold met.
        threshold: Bgt,
    },
    /// The balance is below the lowest threshold: the lowest tier, minimum not met.
    BelowMinimum {
        /// The lowest threshold.
        minimum: Bgt,
    },
    /// Ranks are the only rule and no rank is set: the lowest tier.
    NoRank,
    /// Ranks are the only rule and the rank is in no range: the lowest tier.
    RankOutsideRanges,
}

/// The tier computed from state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComputedTier {
    /// Tier id.
    pub tier_id: String,
    /// Tier name.
    pub tier_name: String,
    /// The deciding rule.
    pub rule: TierRule,
    /// `rank 1-7`, `BGT >= 420`, or `BGT < 6.9 (minimum not met)`.
    pub boundary: String,
    /// Whether the deciding value is overridden.
    pub overridden: bool,
    /// Whether the lowest tier was given although its minimum is not met.
    pub below_minimum: bool,
    /// The decision in a sentence.
    pub reason: String,
}

/// The assumed role, when one is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssumedTier {
    /// Tier id.
    pub tier_id: String,
    /// Tier name.
    pub tier_name: String,
    /// Permissions of the assumed tier.
    pub permissions: Vec<String>,
    /// Assumed rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<Rank>,
    /// Badges held while assumed.
    pub badges: BTreeSet<String>,
}

/// What reaching the next tier up would take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NextTier {
    /// Tier id.
    pub tier_id: String,
    /// Its boundary.
    pub boundary: String,
    /// The smallest changes that reach it.
    pub remedy: Remedy,
}

/// The answer to "check tier".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierResult {
    /// The tier in force.
    pub tier_id: String,
    /// Its name.
    pub tier_name: String,
    /// Its role colour.
    pub colour: String,
    /// Its permissions.
    pub permissions: Vec<String>,
    /// Whether the computed or the assumed tier is in force.
    pub in_force: InForce,
    /// The tier computed from state, always shown.
    pub computed: ComputedTier,
    /// The assumed tier, if any.
    pub assumed: Option<AssumedTier>,
    /// The next tier up and how to reach it; none at the top.
    pub next_tier: Option<NextTier>,
    /// The decision in a sentence.
    pub explanation: String,
    /// Display lines for embeds.
    pub lines: Vec<String>,
}

impl Evaluator<'_> {
    /// The tier check.
    pub fn tier(&self, subject: &Subject<'_>) -> TierResult {
        let tier = &self.theme.tiers[subject.tier()];
        let computed = self.computed_tier(subject);
        let assumed = subject.assumption.zip(subject.assumed_tier).map(|(assumption, index)| AssumedTier {
            tier_id: assumption.tier_id.clone(),
            tier_name: self.theme.tiers[index].name.clone(),
            permissions: self.theme.tiers[index].permissions.clone(),
            rank: assumption.rank,
            badges: assumption.badges.clone(),
        });
        let explanation = self.explain_tier(subject, &computed);
        let mut lines = vec![self.effective_label("Tier: ", subject)];
        lines.push(format!(
            "Computed tier: {} ({}){}",
            computed.tier_name,
            computed.boundary,
            if computed.overridden { " (overridden)" } else { "" }
        ));
        if let Some(assumed) = &assumed {
            lines.push(format!("Assumed tier: {} (in force)", assumed.tier_name));
        }
        let next_tier = (subject.tier() + 1 < self.theme.tiers.len()).then(|| {
            let next = subject.tier() + 1;
            let solver = Solver { ev: self };
            let plans = solver.tier_plans(subject, &self.ladder.at_least[next]);
            let remedy =
                solver.remedy(subject, plans, |facts| self.facts_tier(facts) >= next, || "no tier above can be reached".to_owned());
            NextTier { tier_id: self.theme.tiers[next].id.clone(), boundary: boundary_text(self.assignment(next)), remedy }
        });
        TierResult {
            tier_id: tier.id.clone(),
            tier_name: tier.name.clone(),
            colour: tier.colour.clone(),
            permissions: tier.permissions.clone(),
            in_force: subject.in_force(),
            computed,
            assumed,
            next_tier,
            explanation,
            lines,
        }
    }

    fn explain_tier(&self, subject: &Subject<'_>, computed: &ComputedTier) -> String {
        match subject.assumed_tier {
            Some(index) => format!(
                "{} is assumed and in force; the computed tier is {}: {}",
                self.theme.tiers[index].name, computed.tier_name, computed.reason
            ),
            None => computed.reason.clone(),
        }
    }

    fn computed_tier(&self, subject: &Subject<'_>) -> ComputedTier {
        let index = subject.computed.tier;
        let tier = &self.theme.tiers[index];
        let overridden = self.thresholds.tiers[index].overridden;
        let (rule, boundary, reason) = self.decision(subject);
        let below_minimum = matches!(subject.computed.decider, Decider::Floor(_));
        ComputedTier { tier_id: tier.id.clone(), tier_name: tier.name.clone(), rule, boundary, overridden, below_minimum, reason }
    }

    /// The deciding rule, its boundary text and the reason sentence.
    fn decision(&self, subject: &Subject<'_>) -> (TierRule, String, String) {
        let (rule, boundary) = match subject.computed.decider {
            Decider::Rank(range) => (TierRule::Rank { min_rank: range.min_rank, max_rank: range.max_rank }, format!("rank {range}")),
            Decider::Bgt(threshold) => (TierRule::Bgt { threshold }, format!("BGT >= {threshold}")),
            Decider::Floor(Floor::BelowMinimum(minimum)) => {
                (TierRule::BelowMinimum { minimum }, format!("BGT < {minimum} (minimum not met)"))
            }
            Decider::Floor(Floor::NoRank) => (TierRule::NoRank, "no rank".to_owned()),
            Decider::Floor(Floor::RankOutsideRanges) => (TierRule::RankOutsideRanges, "rank in no range".to_owned()),
        };
        (rule, boundary, self.decision_reason(subject))
    }
}
