//! Turning plans into exact changes with sentences, and keeping only the fixes that really flip
//! the decision when applied.

use super::apply::apply_changes;
use super::solve::{Plan, Req, Solver, Span};
use super::{Change, FactValue, Field, Fix, Remedy, Target};
use crate::assume::Assumption;
use crate::bgt::Bgt;
use crate::eval::{Evaluator, Subject};
use crate::rank::Rank;
use crate::state::SimState;

impl Solver<'_, '_> {
    /// The verified fixes among `plans`, state-only and shortest first.
    pub(crate) fn remedy(
        &self,
        subject: &Subject<'_>,
        plans: Vec<Plan>,
        allowed: impl Fn(&Evaluator<'_>, &SimState, Option<&Assumption>) -> bool,
        nothing_helps: impl FnOnce() -> String,
    ) -> Remedy {
        let mut fixes: Vec<Fix> = Vec::new();
        for plan in plans {
            let changes: Vec<Change> = plan.iter().filter_map(|req| self.change(subject, req)).collect();
            if changes.is_empty() || fixes.iter().any(|fix| fix.changes == changes) {
                continue;
            }
            let (state, assumption) = apply_changes(&changes, subject.state, subject.assumption);
            if !allowed(self.ev, &state, assumption.as_ref()) {
                continue;
            }
            let state_only = changes.iter().all(|change| change.field != Field::AssumedTier);
            let sentence = changes.iter().map(|change| change.sentence.as_str()).collect::<Vec<_>>().join(" and ");
            fixes.push(Fix { changes, sentence, state_only });
        }
        fixes.sort_by_key(|fix| (!fix.state_only, fix.changes.len()));
        let no_state_change_helps = !fixes.iter().any(|fix| fix.state_only);
        let note = if fixes.is_empty() {
            Some(nothing_helps())
        } else if no_state_change_helps && subject.assumed_tier.is_some() {
            Some("the assumed tier is in force, so no change of the simulated state alone can allow this; assume another tier or reset the assumption".to_owned())
        } else if no_state_change_helps {
            Some("no change of the simulated state can allow this; only assuming a tier can".to_owned())
        } else {
            None
        };
        Remedy { fixes, no_state_change_helps, note }
    }

    /// The exact change one requirement asks for, or `None` when it already holds.
    fn change(&self, subject: &Subject<'_>, req: &Req) -> Option<Change> {
        let state = subject.state;
        let theme = self.ev.theme;
        match req {
            Req::Rank(span) => {
                let from = state.rank.map(|rank| u128::from(rank.get()));
                let to = match from {
                    Some(now) => span.nearest(now),
                    None if span.hi == Span::RANKS.hi => span.lo,
                    None => span.hi,
                };
                if from == Some(to) {
                    return None;
                }
                let from_value = from.map_or(FactValue::Null, |now| FactValue::Count(now as u64));
                let target = numeric_target(*span, 1, Span::RANKS.hi, |v| FactValue::Count(v as u64));
                let delta = from.map(|now| signed(now, to));
                let sentence = format!("rank {} -> {}", show_rank(state.rank), bound_text(*span, 1, Span::RANKS.hi, &|v| v.to_string()));
                Some(Change { field: Field::Rank, from: from_value, to: FactValue::Count(to as u64), target, delta, sentence })
            }
            Req::RankClear => {
                let rank = state.rank?;
                let sentence = format!("rank {rank} -> none (clear the rank)");
                Some(Change { field: Field::Rank, from: FactValue::Count(rank.get().into()), to: FactValue::Null, target: Target::Clear, delta: None, sentence })
            }
            Req::Bgt(span) => {
                let now = state.bgt_balance;
                let to = Bgt::from_wei(span.nearest(now.wei()));
                if to == now {
                    return None;
                }
                let delta = now.delta_to(to).to_string();
                let text = |v: u128| Bgt::from_wei(v).to_string();
                let bound = if span.lo == 0 {
                    format!("below {}", text(span.hi + 1))
                } else if span.hi == u128::MAX {
                    format!("at least {}", text(span.lo))
                } else {
                    format!("at least {} and below {}", text(span.lo), text(span.hi + 1))
                };
                let target = numeric_target(*span, 0, u128::MAX, |v| FactValue::Amount(Bgt::from_wei(v)));
                let sentence = format!("BGT {now} -> {bound} ({delta})");
                Some(Change { field: Field::BgtBalance, from: FactValue::Amount(now), to: FactValue::Amount(to), target, delta: Some(delta), sentence })
            }
            Req::Count(field, span) => {
                let now = count_of(state, *field);
                let to = span.nearest(now);
                if to == now {
                    return None;
                }
                let max = if *field == Field::ConvictionScore { u64::MAX.into() } else { u32::MAX.into() };
                let delta = signed(now, to);
                let sentence = format!("{} {now} -> {} ({delta})", field.label(), bound_text(*span, 0, max, &|v| v.to_string()));
                let target = numeric_target(*span, 0, max, |v| FactValue::Count(v as u64));
                Some(Change { field: *field, from: FactValue::Count(now as u64), to: FactValue::Count(to as u64), target, delta: Some(delta), sentence })
            }
            Req::HighestTier(tier) => {
                let id = &theme.tiers[*tier].id;
                let from = state.highest_tier.clone().map_or(FactValue::Null, FactValue::Id);
                let sentence = format!("highest tier {} -> {id}", state.highest_tier.as_deref().unwrap_or("(none)"));
                Some(Change { field: Field::HighestTier, from, to: FactValue::Id(id.clone()), target: Target::Set { value: FactValue::Id(id.clone()) }, delta: None, sentence })
            }
            Req::Grant(badge) => {
                let id = &theme.badges[*badge].id;
                let sentence = format!("grant badge {id}");
                Some(Change { field: Field::GrantedBadges, from: FactValue::Null, to: FactValue::Id(id.clone()), target: Target::Grant { badge: id.clone() }, delta: None, sentence })
            }
            Req::Assume(tier) => {
                let id = &theme.tiers[*tier].id;
                let from = subject.assumption.map_or(FactValue::Null, |a| FactValue::Id(a.tier_id.clone()));
                let sentence = format!("assume tier {id}");
                Some(Change { field: Field::AssumedTier, from, to: FactValue::Id(id.clone()), target: Target::Assume { tier: id.clone() }, delta: None, sentence })
            }
            Req::Reset => {
                let assumption = subject.assumption?;
                let computed = &theme.tiers[subject.computed.tier].id;
                let sentence = format!("reset the assumed tier {} (computed tier {computed})", assumption.tier_id);
                Some(Change { field: Field::AssumedTier, from: FactValue::Id(assumption.tier_id.clone()), to: FactValue::Null, target: Target::Reset, delta: None, sentence })
            }
        }
    }
}

fn count_of(state: &SimState, field: Field) -> u128 {
    match field {
        Field::EngagementPoints => state.engagement_points.into(),
        Field::ActivityScore => state.activity_score.into(),
        Field::ConvictionScore => state.conviction_score.into(),
        Field::TenureDays => state.tenure_days.into(),
        _ => 0,
    }
}

fn show_rank(rank: Option<Rank>) -> String {
    rank.map_or_else(|| "(none)".to_owned(), |rank| rank.to_string())
}

fn signed(from: u128, to: u128) -> String {
    if to >= from {
        format!("+{}", to - from)
    } else {
        format!("-{}", from - to)
    }
}

fn bound_text(span: Span, min: u128, max: u128, show: &dyn Fn(u128) -> String) -> String {
    match (span.lo <= min, span.hi >= max) {
        (true, true) => "any value".to_owned(),
        (true, false) => format!("at most {}", show(span.hi)),
        (false, true) => format!("at least {}", show(span.lo)),
        (false, false) => format!("between {} and {}", show(span.lo), show(span.hi)),
    }
}

fn numeric_target(span: Span, min: u128, max: u128, value: impl Fn(u128) -> FactValue) -> Target {
    match (span.lo <= min, span.hi >= max) {
        (true, false) => Target::AtMost { value: value(span.hi) },
        (false, true) | (true, true) => Target::AtLeast { value: value(span.lo) },
        (false, false) => Target::Between { min: value(span.lo), max: value(span.hi) },
    }
}
