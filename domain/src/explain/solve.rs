//! Finding the smallest state changes that flip a decision. Plans are built from the effective
//! ladder (rank spans, BGT spans, badge rules), combined for channels that need a tier and a
//! badge, and every plan is tried on a copy of the deciding facts before it is offered.
//!
//! The spans come precomputed from `ladder`, and plans are small inline arrays, so explaining a
//! denial allocates little beyond the text it returns.

use super::ladder::TierSet;
use super::span::{nearest_span, Span};
use crate::eval::{Decider, Evaluator, Subject};
use crate::explain::Field;
use crate::theme::TierStrategy;

/// One requirement of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The most requirements a plan holds: one per field a fix can touch (the assumption, the
/// rank, the balance, and one badge fact). Small, so a list of plans stays a small allocation.
const PLAN_MAX: usize = 4;

/// Requirements that together flip a decision, kept inline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    reqs: [Req; PLAN_MAX],
    len: usize,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Plan) -> bool {
        self.reqs() == other.reqs()
    }
}

impl Plan {
    pub(crate) fn of(reqs: &[Req]) -> Plan {
        let mut plan = Plan { reqs: [Req::Reset; PLAN_MAX], len: 0 };
        for req in reqs {
            plan.push(*req);
        }
        plan
    }

    fn push(&mut self, req: Req) {
        // Plans are built from at most one requirement per field; PLAN_MAX covers every field.
        debug_assert!(self.len < PLAN_MAX, "a plan has one requirement per field");
        if self.len < PLAN_MAX {
            self.reqs[self.len] = req;
            self.len += 1;
        }
    }

    pub(crate) fn reqs(&self) -> &[Req] {
        &self.reqs[..self.len]
    }
}

/// Builds plans against one evaluator.
pub(crate) struct Solver<'e, 't> {
    pub ev: &'e Evaluator<'t>,
}

impl Solver<'_, '_> {
    /// Plans that make the tier in force one of `set`.
    pub(crate) fn tier_plans(&self, subject: &Subject<'_>, set: &TierSet) -> Vec<Plan> {
        let Some(closest) = closest(&set.accepted, subject.tier()) else { return Vec::new() };
        let mut plans = Vec::with_capacity(4);
        match subject.assumed_tier {
            Some(_) if set.accepted[subject.computed.tier] => plans.push(Plan::of(&[Req::Reset])),
            Some(_) => self.state_tier_plans(subject, set, Some(Req::Reset), &mut plans),
            None => self.state_tier_plans(subject, set, None, &mut plans),
        }
        plans.push(Plan::of(&[Req::Assume(closest)]));
        plans
    }

    /// Plans that change only state (after `first`, when given) so the computed tier is in `set`.
    fn state_tier_plans(&self, subject: &Subject<'_>, set: &TierSet, first: Option<Req>, plans: &mut Vec<Plan>) {
        let ev = self.ev;
        let state = subject.state;
        let start = || Plan::of(first.as_slice());
        let rank_now = state.rank.map(|rank| u128::from(rank.get()));
        if let Some(span) = nearest_span(&set.rank_spans, rank_now) {
            let mut plan = start();
            plan.push(Req::Rank(span));
            plans.push(plan);
        }
        if ev.theme.tier_strategy == TierStrategy::RankOnly && set.accepted[0] && !ev.ladder.floor_by_rank && state.rank.is_some() {
            let mut plan = start();
            plan.push(Req::RankClear);
            plans.push(plan);
        }
        if ev.theme.tier_strategy == TierStrategy::RankThenBgt && !ev.bgt_ladder.is_empty() {
            if let Some(span) = nearest_span(&set.bgt_spans, Some(state.bgt_balance.wei())) {
                let mut plan = start();
                if matches!(subject.computed.decider, Decider::Rank(_)) {
                    plan.push(nearest_span(&ev.ladder.free_ranks, rank_now).map_or(Req::RankClear, Req::Rank));
                }
                plan.push(Req::Bgt(span));
                plans.push(plan);
            }
        }
    }

    /// Plans that earn a badge the subject does not hold.
    pub(crate) fn badge_plans(&self, subject: &Subject<'_>, badge: usize) -> Vec<Plan> {
        use crate::eval::CompiledBadge;
        let count = |field, min: u128, max: u128| vec![Plan::of(&[Req::Count(field, Span::at_least(min, max))])];
        match self.ev.badges[badge] {
            CompiledBadge::Granted => vec![Plan::of(&[Req::Grant(badge)])],
            CompiledBadge::Tenure(min) => count(Field::TenureDays, min.into(), u32::MAX.into()),
            CompiledBadge::Activity(min) => count(Field::ActivityScore, min.into(), u32::MAX.into()),
            CompiledBadge::Conviction(min) => count(Field::ConvictionScore, min.into(), u64::MAX.into()),
            CompiledBadge::TierReached(needed) => {
                let mut plans = self.tier_plans(subject, &self.ev.ladder.at_least[needed]);
                plans.push(Plan::of(&[Req::HighestTier(needed)]));
                plans
            }
        }
    }
}

/// Every pairing of a plan from `a` with one from `b`, merged; contradictory pairs are dropped.
pub(crate) fn combine(a: Vec<Plan>, b: Vec<Plan>) -> Vec<Plan> {
    let mut plans = Vec::with_capacity(a.len() * b.len());
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
    let mut plan = *left;
    for req in right.reqs() {
        let len = plan.len;
        let slot = plan.reqs[..len].iter_mut().find(|have| same_field(have, req));
        match (slot, req) {
            (None, req) => plan.push(*req),
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

/// The accepted tier closest to `tier` in the order, the higher one on a tie.
fn closest(accepted: &[bool], tier: usize) -> Option<usize> {
    (0..accepted.len()).filter(|t| accepted[*t]).min_by_key(|t| (t.abs_diff(tier), usize::MAX - t))
}
