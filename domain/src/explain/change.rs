//! Turning plans into exact changes with sentences, keeping only the fixes that really flip the
//! decision. Each plan is first resolved to the new values it sets and tried on a copy of the
//! deciding facts, through the same tier and badge rules the checks use; only plans that flip
//! the decision are written out as text.

use std::fmt::Write;

use super::solve::{Plan, Req, Solver};
use super::span::Span;
use super::text::{numeric_target, push_bound, push_int, signed};
use super::{Change, FactValue, Field, Fix, Remedy, Target};
use crate::bgt::Bgt;
use crate::eval::{Facts, Subject};
use crate::rank::Rank;
use crate::state::SimState;

/// A requirement resolved against the subject: the value it sets.
#[derive(Debug, Clone, Copy)]
enum Resolved {
    Rank { span: Span, from: Option<u128>, to: u128 },
    RankClear(Rank),
    Bgt { span: Span, now: Bgt, to: Bgt },
    Count { field: Field, span: Span, now: u128, to: u128 },
    HighestTier(usize),
    Grant(usize),
    Assume(usize),
    Reset,
}

impl<'t> Solver<'_, 't> {
    /// The verified fixes among `plans`, state-only and shortest first.
    pub(crate) fn remedy(
        &self,
        subject: &Subject<'_>,
        plans: Vec<Plan>,
        allowed: impl Fn(&Facts<'_>) -> bool,
        nothing_helps: impl FnOnce() -> String,
    ) -> Remedy {
        let mut fixes: Vec<Fix> = Vec::with_capacity(plans.len());
        for plan in &plans {
            let mut resolved = [Resolved::Reset; 4];
            let mut count = 0;
            let mut facts = Facts::of(subject);
            for req in plan.reqs() {
                if let Some(value) = self.resolve(subject, req) {
                    self.apply(&mut facts, &value);
                    resolved[count] = value;
                    count += 1;
                }
            }
            if count == 0 || !allowed(&facts) {
                continue;
            }
            let changes: Vec<Change> = resolved[..count].iter().map(|value| self.change(subject, value)).collect();
            if fixes.iter().any(|fix| fix.changes == changes) {
                continue;
            }
            let state_only = changes.iter().all(|change| change.field != Field::AssumedTier);
            let sentence = match changes.as_slice() {
                [only] => only.sentence.clone(),
                many => {
                    let mut sentence = String::with_capacity(many.iter().map(|c| c.sentence.len() + 5).sum());
                    for (i, change) in many.iter().enumerate() {
                        if i > 0 {
                            sentence.push_str(" and ");
                        }
                        sentence.push_str(&change.sentence);
                    }
                    sentence
                }
            };
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

    /// The value one requirement sets, or `None` when it already holds.
    fn resolve(&self, subject: &Subject<'_>, req: &Req) -> Option<Resolved> {
        let state = subject.state;
        Some(match *req {
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
                Resolved::Rank { span, from, to }
            }
            Req::RankClear => Resolved::RankClear(state.rank?),
            Req::Bgt(span) => {
                let now = state.bgt_balance;
                let to = Bgt::from_wei(span.nearest(now.wei()));
                if to == now {
                    return None;
                }
                Resolved::Bgt { span, now, to }
            }
            Req::Count(field, span) => {
                let now = count_of(state, field);
                let to = span.nearest(now);
                if to == now {
                    return None;
                }
                Resolved::Count { field, span, now, to }
            }
            Req::HighestTier(tier) => Resolved::HighestTier(tier),
            Req::Grant(badge) => Resolved::Grant(badge),
            Req::Assume(tier) => Resolved::Assume(tier),
            Req::Reset => {
                subject.assumption?;
                Resolved::Reset
            }
        })
    }

    /// The facts after the change, as `apply_fix` would leave the state and the assumption.
    fn apply<'f>(&self, facts: &mut Facts<'f>, value: &Resolved)
    where
        't: 'f,
    {
        let theme = self.ev.theme;
        let small = |to: u128| u32::try_from(to).unwrap_or(u32::MAX);
        match *value {
            Resolved::Rank { to, .. } => facts.rank = Rank::new(small(to)),
            Resolved::RankClear(_) => facts.rank = None,
            Resolved::Bgt { to, .. } => facts.bgt = to,
            Resolved::Count { field: Field::ConvictionScore, to, .. } => facts.conviction_score = u64::try_from(to).unwrap_or(u64::MAX),
            Resolved::Count { field: Field::TenureDays, to, .. } => facts.tenure_days = small(to),
            Resolved::Count { field: Field::ActivityScore, to, .. } => facts.activity_score = small(to),
            Resolved::Count { .. } => {}
            Resolved::HighestTier(tier) => facts.highest_tier = Some(theme.tiers[tier].id.as_str()),
            Resolved::Grant(badge) => facts.extra_grant = Some(theme.badges[badge].id.as_str()),
            Resolved::Assume(tier) => facts.assumed_tier = Some(tier),
            Resolved::Reset => {
                facts.assumed_tier = None;
                facts.assumed_badges = None;
            }
        }
    }

    /// The exact change, with its sentence.
    fn change(&self, subject: &Subject<'_>, value: &Resolved) -> Change {
        let state = subject.state;
        let theme = self.ev.theme;
        match *value {
            Resolved::Rank { span, from, to } => {
                let mut sentence = String::with_capacity(40);
                sentence.push_str("rank ");
                match state.rank {
                    Some(rank) => push_int(&mut sentence, u128::from(rank.get())),
                    None => sentence.push_str("(none)"),
                }
                sentence.push_str(" -> ");
                push_bound(&mut sentence, span, 1, Span::RANKS.hi, &|out, v| push_int(out, v));
                let from_value = from.map_or(FactValue::Null, |now| FactValue::Count(now as u64));
                let target = numeric_target(span, 1, Span::RANKS.hi, |v| FactValue::Count(v as u64));
                Change {
                    field: Field::Rank,
                    from: from_value,
                    to: FactValue::Count(to as u64),
                    target,
                    delta: from.map(|now| signed(now, to)),
                    sentence,
                }
            }
            Resolved::RankClear(rank) => {
                let sentence = format!("rank {rank} -> none (clear the rank)");
                Change {
                    field: Field::Rank,
                    from: FactValue::Count(rank.get().into()),
                    to: FactValue::Null,
                    target: Target::Clear,
                    delta: None,
                    sentence,
                }
            }
            Resolved::Bgt { span, now, to } => {
                let delta = now.delta_to(to).to_string();
                let text = |out: &mut String, v: u128| {
                    let _ = write!(out, "{}", Bgt::from_wei(v));
                };
                let mut sentence = String::with_capacity(48);
                let _ = write!(sentence, "BGT {now} -> ");
                if span.lo == 0 {
                    sentence.push_str("below ");
                    text(&mut sentence, span.hi + 1);
                } else if span.hi == u128::MAX {
                    sentence.push_str("at least ");
                    text(&mut sentence, span.lo);
                } else {
                    sentence.push_str("at least ");
                    text(&mut sentence, span.lo);
                    sentence.push_str(" and below ");
                    text(&mut sentence, span.hi + 1);
                }
                let _ = write!(sentence, " ({delta})");
                let target = numeric_target(span, 0, u128::MAX, |v| FactValue::Amount(Bgt::from_wei(v)));
                Change {
                    field: Field::BgtBalance,
                    from: FactValue::Amount(now),
                    to: FactValue::Amount(to),
                    target,
                    delta: Some(delta),
                    sentence,
                }
            }
            Resolved::Count { field, span, now, to } => {
                let max = if field == Field::ConvictionScore { u64::MAX.into() } else { u32::MAX.into() };
                let delta = signed(now, to);
                let mut sentence = String::with_capacity(48);
                sentence.push_str(field.label());
                sentence.push(' ');
                push_int(&mut sentence, now);
                sentence.push_str(" -> ");
                push_bound(&mut sentence, span, 0, max, &|out, v| push_int(out, v));
                let _ = write!(sentence, " ({delta})");
                let target = numeric_target(span, 0, max, |v| FactValue::Count(v as u64));
                Change { field, from: FactValue::Count(now as u64), to: FactValue::Count(to as u64), target, delta: Some(delta), sentence }
            }
            Resolved::HighestTier(tier) => {
                let id = &theme.tiers[tier].id;
                let from = state.highest_tier.clone().map_or(FactValue::Null, FactValue::Id);
                let sentence = format!("highest tier {} -> {id}", state.highest_tier.as_deref().unwrap_or("(none)"));
                Change {
                    field: Field::HighestTier,
                    from,
                    to: FactValue::Id(id.clone()),
                    target: Target::Set { value: FactValue::Id(id.clone()) },
                    delta: None,
                    sentence,
                }
            }
            Resolved::Grant(badge) => {
                let id = &theme.badges[badge].id;
                let sentence = format!("grant badge {id}");
                Change {
                    field: Field::GrantedBadges,
                    from: FactValue::Null,
                    to: FactValue::Id(id.clone()),
                    target: Target::Grant { badge: id.clone() },
                    delta: None,
                    sentence,
                }
            }
            Resolved::Assume(tier) => {
                let id = &theme.tiers[tier].id;
                let from = subject.assumption.map_or(FactValue::Null, |a| FactValue::Id(a.tier_id.clone()));
                let mut sentence = String::with_capacity(12 + id.len());
                sentence.push_str("assume tier ");
                sentence.push_str(id);
                Change {
                    field: Field::AssumedTier,
                    from,
                    to: FactValue::Id(id.clone()),
                    target: Target::Assume { tier: id.clone() },
                    delta: None,
                    sentence,
                }
            }
            Resolved::Reset => {
                let assumed = subject.assumption.map(|a| a.tier_id.as_str()).unwrap_or_default();
                let computed = &theme.tiers[subject.computed.tier].id;
                let mut sentence = String::with_capacity(48 + assumed.len() + computed.len());
                sentence.push_str("reset the assumed tier ");
                sentence.push_str(assumed);
                sentence.push_str(" (computed tier ");
                sentence.push_str(computed);
                sentence.push(')');
                Change {
                    field: Field::AssumedTier,
                    from: FactValue::Id(assumed.to_owned()),
                    to: FactValue::Null,
                    target: Target::Reset,
                    delta: None,
                    sentence,
                }
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
