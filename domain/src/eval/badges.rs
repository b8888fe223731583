//! The badge check: every badge earned or not, with the rule, the reason and, when not earned,
//! the distance (the smallest changes that would earn it).

use serde::{Deserialize, Serialize};

use super::{Evaluator, Subject};
use crate::explain::{Remedy, Solver};
use crate::theme::{BadgeCategory, BadgeRule};

/// One badge for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeStatus {
    /// Badge id.
    pub badge_id: String,
    /// Badge name.
    pub name: String,
    /// Its group.
    pub category: BadgeCategory,
    /// Whether it is lost when the rule stops holding.
    pub revocable: bool,
    /// Whether the member holds it.
    pub earned: bool,
    /// The rule ("tenure days >= 180").
    pub rule: String,
    /// Why it is or is not held.
    pub reason: String,
    /// The nearest way to earn it, in a sentence, when not earned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<String>,
    /// Every way to earn it, when not earned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
}

/// The answer to "check badges".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgesResult {
    /// Ids of the badges held.
    pub earned: Vec<String>,
    /// Every badge of the theme.
    pub badges: Vec<BadgeStatus>,
}

impl Evaluator<'_> {
    /// The badge check.
    pub fn badges(&self, subject: &Subject<'_>) -> BadgesResult {
        let badges: Vec<BadgeStatus> = (0..self.theme.badges.len()).map(|index| self.badge_status(subject, index)).collect();
        let earned = badges.iter().filter(|b| b.earned).map(|b| b.badge_id.clone()).collect();
        BadgesResult { earned, badges }
    }

    /// Ids of the badges the subject holds, without explanations.
    pub fn earned_badges(&self, subject: &Subject<'_>) -> Vec<String> {
        (0..self.theme.badges.len())
            .filter(|index| self.holds(*index, subject.state, subject.assumed_badges(), subject.tier()))
            .map(|index| self.theme.badges[index].id.clone())
            .collect()
    }

    fn badge_status(&self, subject: &Subject<'_>, index: usize) -> BadgeStatus {
        let badge = &self.theme.badges[index];
        let state = subject.state;
        let earned = self.holds(index, state, subject.assumed_badges(), subject.tier());
        let verdict = if earned { "earned" } else { "not earned" };
        let reason = match &badge.rule {
            BadgeRule::TenureDays { min } => format!("tenure {} days against {min}: {verdict}", state.tenure_days),
            BadgeRule::ActivityScore { min } => format!("activity score {} against {min}: {verdict}", state.activity_score),
            BadgeRule::ConvictionScore { min } => format!("conviction score {} against {min}: {verdict}", state.conviction_score),
            BadgeRule::TierReached { tier } => format!(
                "tier in force {} and highest tier {} against {tier}: {verdict}",
                self.theme.tiers[subject.tier()].id,
                state.highest_tier.as_deref().unwrap_or("(none)")
            ),
            BadgeRule::Granted if earned => "granted explicitly".to_owned(),
            BadgeRule::Granted => "not granted".to_owned(),
        };
        let remedy = (!earned).then(|| {
            let solver = Solver { ev: self };
            let plans = solver.badge_plans(subject, index);
            solver.remedy(
                subject,
                plans,
                |facts| self.holds_facts(index, facts, self.facts_tier(facts)),
                || format!("no state can earn {}", badge.id),
            )
        });
        BadgeStatus {
            badge_id: badge.id.clone(),
            name: badge.name.clone(),
            category: badge.category,
            revocable: badge.revocable,
            earned,
            rule: badge.rule.to_string(),
            reason,
            distance: remedy.as_ref().and_then(|r| r.fixes.first()).map(|fix| fix.sentence.clone()),
            remedy,
        }
    }
}
