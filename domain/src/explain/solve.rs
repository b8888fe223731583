//! Finding the smallest state changes that flip a decision. Plans are built from the effective
//! ladder (rank spans, BGT spans, badge rules), combined for channels that need a tier and a
//! badge, and every plan is applied and re-evaluated before it is offered.

use crate::eval::{Decider, Evaluator, Subject};
use crate::explain::Field;
use crate::theme::TierStrategy;

/// An inclusive span of a numeric field (ranks, wei, counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub lo: u128,
    pub hi: u128,
}

impl Span {
    pub(crate) const RANKS: Span = Span { lo: 1, hi: u32::MAX as u128 };

    pub(crate) fn at_least(lo: u128, hi: u128) -> Span {
        Span { lo, hi }
    }

    fn intersect(self, other: Span) -> Option<Span> {
        let span = Span { lo: self.lo.max(other.lo), hi: self.hi.min(other.hi) };
        (span.lo <= span.hi).then_some(span)
    }

    fn distance(self, value: u128) -> u128 {
        if value < self.lo {
            self.lo - value
        } else {
            value.saturating_sub(self.hi)
        }
    }

    /// The value of the span nearest to `value`.
    pub(crate) fn nearest(self, value: u128) -> u128 {
        value.clamp(self.lo, self.hi)
    }
}

/// One requirement of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Req {
    Rank(Span),
    RankClear,
    Bgt(Span),
    Count(Field, Span),
    HighestTier(usize),
    Grant(usize),
    Assume(usize),
    Reset,
}

/// Requirements that together flip a decision.
pub(crate) type Plan = Vec<Req>;

/// Builds plans against one evaluator.
pub(crate) struct Solver<'e, 't> {
    pub ev: &'e Evaluator<'t>,
}

impl Solver<'_, '_> {
    /// Plans that make the tier in force one of `accepted`.
    pub(crate) fn tier_plans(&self, subject: &Subject<'_>, accepted: &[bool]) -> Vec<Plan> {
        let Some(closest) = closest(accepted, subject.tier()) else { return Vec::new() };
        let state_plans = self.state_tier_plans(subject, accepted);
        let mut plans = Vec::new();
        if subject.assumed_tier.is_some() {
            if accepted[subject.computed.tier] {
                plans.push(vec![Req::Reset]);
            } else {
                plans.extend(state_plans.into_iter().map(|plan| [vec![Req::Reset], plan].concat()));
            }
        } else {
            plans.extend(state_plans);
        }
        plans.push(vec![Req::Assume(closest)]);
        plans
    }

    /// Plans that change only state so the computed tier is one of `accepted`.
    fn state_tier_plans(&self, subject: &Subject<'_>, accepted: &[bool]) -> Vec<Plan> {
        let ev = self.ev;
        let state = subject.state;
        let mut plans = Vec::new();
        let rank_spans = merge(ev.rank_tiers.iter().filter(|(_, tier)| accepted[*tier]).map(|(range, _)| span_of(range)));
        let rank_now = state.rank.map(|rank| u128::from(rank.get()));
        if let Some(span) = nearest_span(&rank_spans, rank_now) {
            plans.push(vec![Req::Rank(span)]);
        }
        let floor_by_rank = ev.rank_tiers.iter().any(|(_, tier)| *tier == 0);
        if ev.theme.tier_strategy == TierStrategy::RankOnly && accepted[0] && !floor_by_rank && state.rank.is_some() {
            plans.push(vec![Req::RankClear]);
        }
        if ev.theme.tier_strategy == TierStrategy::RankThenBgt && !ev.bgt_ladder.is_empty() {
            let bgt_spans = merge(self.bgt_spans().into_iter().filter(|(_, tier)| accepted[*tier]).map(|(span, _)| span));
            if let Some(span) = nearest_span(&bgt_spans, Some(state.bgt_balance.wei())) {
                let mut plan = Vec::new();
                if matches!(subject.computed.decider, Decider::Rank(_)) {
                    plan.push(self.leave_rank_tiers(rank_now));
                }
                plan.push(Req::Bgt(span));
                plans.push(plan);
            }
        }
        plans
    }

    /// Each BGT tier's span of balances, the lowest tier also taking what is below the minimum.
    fn bgt_spans(&self) -> Vec<(Span, usize)> {
        let ladder: Vec<_> = self.ev.bgt_ladder.iter().rev().collect();
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

    /// A rank requirement that puts the rank outside every rank-assigned tier, so BGT decides.
    fn leave_rank_tiers(&self, rank_now: Option<u128>) -> Req {
        let taken = merge(self.ev.rank_tiers.iter().map(|(range, _)| span_of(range)));
        let mut free = Vec::new();
        let mut next = 1u128;
        for span in &taken {
            if span.lo > next {
                free.push(Span { lo: next, hi: span.lo - 1 });
            }
            next = span.hi + 1;
        }
        if next <= Span::RANKS.hi {
            free.push(Span { lo: next, hi: Span::RANKS.hi });
        }
        nearest_span(&free, rank_now).map_or(Req::RankClear, Req::Rank)
    }

    /// Plans that earn a badge the subject does not hold.
    pub(crate) fn badge_plans(&self, subject: &Subject<'_>, badge: usize) -> Vec<Plan> {
        use crate::eval::CompiledBadge;
        match self.ev.badges[badge] {
            CompiledBadge::Granted => vec![vec![Req::Grant(badge)]],
            CompiledBadge::Tenure(min) => vec![vec![Req::Count(Field::TenureDays, Span::at_least(min.into(), u32::MAX.into()))]],
            CompiledBadge::Activity(min) => vec![vec![Req::Count(Field::ActivityScore, Span::at_least(min.into(), u32::MAX.into()))]],
            CompiledBadge::Conviction(min) => vec![vec![Req::Count(Field::ConvictionScore, Span::at_least(min.into(), u64::MAX.into()))]],
            CompiledBadge::TierReached(needed) => {
                let accepted: Vec<bool> = (0..self.ev.theme.tiers.len()).map(|tier| tier >= needed).collect();
                let mut plans = self.tier_plans(subject, &accepted);
                plans.push(vec![Req::HighestTier(needed)]);
                plans
            }
        }
    }
}

/// Every pairing of a plan from `a` with one from `b`, merged; contradictory pairs are dropped.
pub(crate) fn combine(a: Vec<Plan>, b: Vec<Plan>) -> Vec<Plan> {
    let mut plans = Vec::new();
    for left in &a {
        for right in &b {
            if let Some(plan) = merge_plans(left, right) {
                if !plans.contains(&plan) {
                    plans.push(plan);
                }
            }
        }
    }
    plans
}

fn merge_plans(left: &Plan, right: &Plan) -> Option<Plan> {
    let mut plan = left.clone();
    for req in right {
        let slot = plan.iter_mut().find(|have| same_field(have, req));
        match (slot, req) {
            (None, req) => plan.push(req.clone()),
            (Some(Req::Rank(have)), Req::Rank(want)) => *have = have.intersect(*want)?,
            (Some(Req::Bgt(have)), Req::Bgt(want)) => *have = have.intersect(*want)?,
            (Some(Req::Count(_, have)), Req::Count(_, want)) => *have = have.intersect(*want)?,
            (Some(Req::HighestTier(have)), Req::HighestTier(want)) => *have = (*have).max(*want),
            (Some(Req::Assume(have)), Req::Assume(want)) => *have = (*have).max(*want),
            (Some(have), want) if have == want => {}
            _ => return None,
        }
    }
    Some(plan)
}

fn same_field(a: &Req, b: &Req) -> bool {
    match (a, b) {
        (Req::Rank(_) | Req::RankClear, Req::Rank(_) | Req::RankClear) => true,
        (Req::Count(x, _), Req::Count(y, _)) => x == y,
        (Req::Grant(x), Req::Grant(y)) => x == y,
        (Req::Assume(_) | Req::Reset, Req::Assume(_) | Req::Reset) => true,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

fn span_of(range: &crate::rank::RankRange) -> Span {
    Span { lo: range.min_rank.into(), hi: range.last().into() }
}

/// Sorted, touching spans joined.
fn merge(spans: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut spans: Vec<Span> = spans.collect();
    spans.sort_by_key(|span| span.lo);
    let mut merged: Vec<Span> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.lo <= last.hi.saturating_add(1) => last.hi = last.hi.max(span.hi),
            _ => merged.push(span),
        }
    }
    merged
}

/// The span nearest to `value`; with no value (no rank), the one easiest to reach (largest).
fn nearest_span(spans: &[Span], value: Option<u128>) -> Option<Span> {
    match value {
        Some(value) => spans.iter().copied().min_by_key(|span| span.distance(value)),
        None => spans.iter().copied().max_by_key(|span| span.hi),
    }
}

/// The accepted tier closest to `tier` in the order, the higher one on a tie.
fn closest(accepted: &[bool], tier: usize) -> Option<usize> {
    (0..accepted.len()).filter(|t| accepted[*t]).min_by_key(|t| (t.abs_diff(tier), usize::MAX - t))
}
