//! The ladder as the solver sees it, worked out once per evaluator: for every set of accepted
//! tiers a check can ask for (the tiers at or above one tier, the tiers granting one feature),
//! the merged rank and BGT spans that reach it, and the ranks outside every rank-assigned tier.

use super::span::{merge, span_of, Span};
use crate::eval::Evaluator;
use crate::theme::TierStrategy;

/// A set of accepted tiers with its spans, worked out once per evaluator.
#[derive(Debug, Clone, Default)]
pub(crate) struct TierSet {
    /// `accepted[tier]`.
    pub accepted: Vec<bool>,
    /// Ranks whose rank-assigned tier is accepted, merged.
    pub(crate) rank_spans: Vec<Span>,
    /// Balances whose BGT tier is accepted, merged.
    pub(crate) bgt_spans: Vec<Span>,
}

/// What the solver needs of a ladder, worked out when the evaluator is compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ladder {
    /// `at_least[t]`: the tiers at or above `t`.
    pub at_least: Vec<TierSet>,
    /// `features[f]`: the tiers granting feature `f`.
    pub features: Vec<TierSet>,
    /// Ranks outside every rank-assigned tier.
    pub(crate) free_ranks: Vec<Span>,
    /// Whether the lowest tier is assigned by rank.
    pub(crate) floor_by_rank: bool,
}

impl Ladder {
    pub(crate) fn build(ev: &Evaluator<'_>) -> Ladder {
        let tiers = ev.theme.tiers.len();
        let at_least = (0..tiers).map(|needed| tier_set(ev, (0..tiers).map(|t| t >= needed).collect())).collect();
        let features = ev.features.iter().map(|feature| tier_set(ev, feature.granted_by.clone())).collect();
        let taken = merge(ev.rank_tiers.iter().map(|(range, _)| span_of(range)));
        let mut free_ranks = Vec::new();
        let mut next = 1u128;
        for span in &taken {
            if span.lo > next {
                free_ranks.push(Span { lo: next, hi: span.lo - 1 });
            }
            next = span.hi + 1;
        }
        if next <= Span::RANKS.hi {
            free_ranks.push(Span { lo: next, hi: Span::RANKS.hi });
        }
        Ladder { at_least, features, free_ranks, floor_by_rank: ev.rank_tiers.iter().any(|(_, tier)| *tier == 0) }
    }
}

fn tier_set(ev: &Evaluator<'_>, accepted: Vec<bool>) -> TierSet {
    let rank_spans = merge(ev.rank_tiers.iter().filter(|(_, tier)| accepted[*tier]).map(|(range, _)| span_of(range)));
    let bgt_spans = match ev.theme.tier_strategy {
        TierStrategy::RankThenBgt => merge(bgt_spans(ev).into_iter().filter(|(_, tier)| accepted[*tier]).map(|(span, _)| span)),
        TierStrategy::RankOnly => Vec::new(),
    };
    TierSet { accepted, rank_spans, bgt_spans }
}

/// Each BGT tier's span of balances, the lowest tier also taking what is below the minimum.
fn bgt_spans(ev: &Evaluator<'_>) -> Vec<(Span, usize)> {
    let ladder: Vec<_> = ev.bgt_ladder.iter().rev().collect();
    let mut spans = Vec::new();
    if let Some((lowest, _)) = ladder.first() {
        if lowest.wei() > 0 {
            spans.push((Span { lo: 0, hi: lowest.wei() - 1 }, 0));
        }
    }
    for (i, (threshold, tier)) in ladder.iter().enumerate() {
        let hi = ladder.get(i + 1).map_or(u128::MAX, |(next, _)| next.wei() - 1);
        spans.push((Span { lo: threshold.wei(), hi }, *tier));
    }
    spans
}
