//! Theme lint for theme developers: findings that evaluate fine but are likely mistakes —
//! non-monotonic grants, unreachable tiers, channels nobody can enter, badges no state can earn.

use serde::{Deserialize, Serialize};

use super::{Assignment, BadgeRule, Theme, TierStrategy};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably unintended.
    Warning,
    /// Certainly broken: something can never happen.
    Error,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// A stable code ("nonMonotonicGrant").
    pub code: &'static str,
    /// What it is about (a tier, channel, badge or feature id).
    pub subject: String,
    /// A plain sentence.
    pub message: String,
}

impl Theme {
    /// Lints the theme; findings are ordered most severe first.
    pub fn lint(&self) -> Vec<Finding> {
        lint(self)
    }
}

/// Lints a (valid) theme; findings are ordered most severe first.
pub fn lint(theme: &Theme) -> Vec<Finding> {
    let mut findings = Vec::new();
    let reachable: Vec<bool> = (0..theme.tiers.len()).map(|t| is_reachable(theme, t)).collect();
    let mut push =
        |severity, code, subject: &str, message: String| findings.push(Finding { severity, code, subject: subject.to_owned(), message });
    for (index, tier) in theme.tiers.iter().enumerate() {
        if !reachable[index] {
            let why = match (&tier.assignment, theme.tier_strategy) {
                (Assignment::Bgt { .. }, TierStrategy::RankOnly) => {
                    format!("theme {} assigns tiers by rank only, so its BGT threshold is never used", theme.id)
                }
                _ => "no state assigns it".to_owned(),
            };
            push(Severity::Warning, "unreachableTier", &tier.id, format!("tier {} is unreachable: {why}; it can only be assumed", tier.id));
        }
        if tier.permissions.is_empty() {
            push(Severity::Info, "emptyTier", &tier.id, format!("tier {} has no permissions", tier.id));
        }
    }
    if theme.tier_strategy == TierStrategy::RankThenBgt {
        let lowest_rank_tier = theme.tiers.iter().position(|t| matches!(t.assignment, Assignment::Rank(_)));
        let highest_bgt_tier = theme.tiers.iter().rposition(|t| matches!(t.assignment, Assignment::Bgt { .. }));
        if let (Some(rank), Some(bgt)) = (lowest_rank_tier, highest_bgt_tier) {
            if rank < bgt {
                let (r, b) = (&theme.tiers[rank].id, &theme.tiers[bgt].id);
                push(
                    Severity::Warning,
                    "rankBelowBgt",
                    r,
                    format!(
                        "rank-assigned tier {r} is below BGT-assigned tier {b}; since rank wins, a better rank can lower a member's tier"
                    ),
                );
            }
        }
    }
    for feature in theme.feature_ids() {
        let grants: Vec<bool> = theme.tiers.iter().map(|t| t.permissions.iter().any(|p| p == feature)).collect();
        let Some(lowest) = grants.iter().position(|g| *g) else {
            push(Severity::Warning, "ungrantedFeature", feature, format!("feature {feature} is declared but no tier grants it"));
            continue;
        };
        let lacking: Vec<&str> = (lowest + 1..grants.len()).filter(|t| !grants[*t]).map(|t| theme.tiers[t].id.as_str()).collect();
        if !lacking.is_empty() {
            let granted: Vec<&str> = (0..grants.len()).filter(|t| grants[*t]).map(|t| theme.tiers[t].id.as_str()).collect();
            push(
                Severity::Warning,
                "nonMonotonicGrant",
                feature,
                format!(
                    "{feature} is granted to {} but not to the higher {} {}; permissions are not inherited",
                    granted.join(", "),
                    if lacking.len() == 1 { "tier" } else { "tiers" },
                    lacking.join(", ")
                ),
            );
        }
    }
    let earnable: Vec<bool> = theme
        .badges
        .iter()
        .map(|badge| match &badge.rule {
            BadgeRule::TierReached { tier } => {
                theme.tier_index(tier).is_some_and(|needed| (needed..theme.tiers.len()).any(|t| reachable[t]))
            }
            _ => true,
        })
        .collect();
    for (badge, earnable) in theme.badges.iter().zip(&earnable) {
        if !earnable {
            push(
                Severity::Error,
                "unearnableBadge",
                &badge.id,
                format!("no state can earn badge {}: no reachable tier meets the tier its rule needs", badge.id),
            );
        }
    }
    for (category, channel) in theme.channels() {
        let (restriction, _) = channel.requirement(category);
        let tier_blocked = restriction
            .tier
            .as_deref()
            .and_then(|id| theme.tier_index(id))
            .is_some_and(|needed| !(needed..theme.tiers.len()).any(|t| reachable[t]));
        let badge_blocked =
            restriction.badge.as_deref().and_then(|id| theme.badges.iter().position(|b| b.id == id)).is_some_and(|b| !earnable[b]);
        if tier_blocked || badge_blocked {
            let why = if tier_blocked { "no reachable tier meets its required tier" } else { "no state can earn its required badge" };
            push(
                Severity::Error,
                "unenterableChannel",
                &channel.name,
                format!("nobody can enter #{} without assuming a tier: {why}", channel.name),
            );
        }
    }
    let blur = &theme.gate.blur;
    if blur.engaged > blur.free || blur.verified > blur.engaged {
        push(
            Severity::Warning,
            "blurNotDecreasing",
            "gate.blur",
            "blur should not grow as members advance (free >= engaged >= verified)".to_owned(),
        );
    }
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    findings
}

/// Whether some state gets this tier without assuming it.
fn is_reachable(theme: &Theme, tier: usize) -> bool {
    match (&theme.tiers[tier].assignment, theme.tier_strategy) {
        (Assignment::Rank(_), _) | (Assignment::Bgt { .. }, TierStrategy::RankThenBgt) => true,
        _ => tier == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sietch_lint_points_out_that_naib_lacks_elite_access() {
        let findings = lint(Theme::builtin("sietch").unwrap());
        let elite = findings.iter().find(|f| f.subject == "elite_access").unwrap();
        assert_eq!(elite.code, "nonMonotonicGrant");
        assert!(elite.message.contains("granted to fedaykin but not to the higher tier naib"), "{}", elite.message);
        assert!(findings.iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn an_unassigned_tier_makes_its_channels_and_badges_unreachable() {
        let mut theme = Theme::builtin("sietch").unwrap().clone();
        theme.tiers[8].assignment = Assignment::None;
        let findings = lint(&theme);
        let codes: Vec<(&str, &str)> = findings.iter().map(|f| (f.code, f.subject.as_str())).collect();
        assert!(codes.contains(&("unreachableTier", "naib")));
        assert!(codes.contains(&("unenterableChannel", "council-chamber")));
        assert!(codes.contains(&("unearnableBadge", "naib_ascended")));
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn a_bgt_tier_in_a_rank_only_theme_is_unreachable() {
        let mut theme = Theme::builtin("basic").unwrap().clone();
        theme.tiers[1].assignment = Assignment::Bgt { threshold: crate::Bgt::whole(5) };
        let findings = lint(&theme);
        assert!(findings.iter().any(|f| f.code == "unreachableTier" && f.subject == "silver"));
    }
}
