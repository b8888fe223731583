//! The facts a decision reads, copied cheaply from a subject, and the badge and tier rules on
//! them: how checks decide, and how a suggested fix is tried without cloning the state.

use std::collections::BTreeSet;

use super::{CompiledBadge, Evaluator, Subject};
use crate::bgt::Bgt;
use crate::rank::Rank;
use crate::state::SimState;

/// The facts a decision reads, borrowed from a subject and copied cheaply, so a suggested fix
/// can be tried by the same rules without cloning the state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts<'a> {
    pub rank: Option<Rank>,
    pub bgt: Bgt,
    pub tenure_days: u32,
    pub activity_score: u32,
    pub conviction_score: u64,
    pub highest_tier: Option<&'a str>,
    pub granted: &'a BTreeSet<String>,
    /// A badge granted on top of `granted`.
    pub extra_grant: Option<&'a str>,
    pub assumed_badges: Option<&'a BTreeSet<String>>,
    pub assumed_tier: Option<usize>,
}

impl<'a> Facts<'a> {
    /// The facts of a subject as they are.
    pub(crate) fn of(subject: &Subject<'a>) -> Facts<'a> {
        let state = subject.state;
        Facts {
            rank: state.rank,
            bgt: state.bgt_balance,
            tenure_days: state.tenure_days,
            activity_score: state.activity_score,
            conviction_score: state.conviction_score,
            highest_tier: state.highest_tier.as_deref(),
            granted: &state.granted_badges,
            extra_grant: None,
            assumed_badges: subject.assumption.map(|a| &a.badges),
            assumed_tier: subject.assumed_tier,
        }
    }
}

impl Evaluator<'_> {
    /// Whether a member with this state, extra assumed badges and effective tier holds a badge.
    pub(crate) fn holds(&self, badge: usize, state: &SimState, assumed_badges: Option<&BTreeSet<String>>, tier: usize) -> bool {
        let facts = Facts {
            rank: state.rank,
            bgt: state.bgt_balance,
            tenure_days: state.tenure_days,
            activity_score: state.activity_score,
            conviction_score: state.conviction_score,
            highest_tier: state.highest_tier.as_deref(),
            granted: &state.granted_badges,
            extra_grant: None,
            assumed_badges,
            assumed_tier: None,
        };
        self.holds_facts(badge, &facts, tier)
    }

    /// Whether facts hold a badge at the effective tier `tier`: the one badge rule.
    pub(crate) fn holds_facts(&self, badge: usize, facts: &Facts<'_>, tier: usize) -> bool {
        match self.badges[badge] {
            CompiledBadge::Tenure(min) => facts.tenure_days >= min,
            CompiledBadge::Activity(min) => facts.activity_score >= min,
            CompiledBadge::Conviction(min) => facts.conviction_score >= min,
            CompiledBadge::TierReached(needed) => {
                let highest = facts.highest_tier.and_then(|id| self.theme.tier_index(id));
                tier >= needed || highest.is_some_and(|highest| highest >= needed)
            }
            CompiledBadge::Granted => {
                let id = self.theme.badges[badge].id.as_str();
                facts.granted.contains(id)
                    || facts.extra_grant == Some(id)
                    || facts.assumed_badges.is_some_and(|badges| badges.contains(id))
            }
        }
    }

    /// The tier in force for facts: the assumed one, else the computed one.
    pub(crate) fn facts_tier(&self, facts: &Facts<'_>) -> usize {
        facts.assumed_tier.unwrap_or_else(|| self.compute_from(facts.rank, facts.bgt).tier)
    }
}
