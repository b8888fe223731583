//! Performing a fix on a copy of a state and assumption: how a client applies a suggested fix,
//! and how tests prove that every offered fix flips its decision.

use super::{FactValue, Field, Fix, Target};
use crate::assume::Assumption;
use crate::rank::Rank;
use crate::state::SimState;

/// The state and assumption after applying every change of `fix`.
pub fn apply_fix(fix: &Fix, state: &SimState, assumption: Option<&Assumption>) -> (SimState, Option<Assumption>) {
    let mut state = state.clone();
    let mut assumption = assumption.cloned();
    for change in &fix.changes {
        let count = match change.to {
            FactValue::Count(value) => value,
            _ => 0,
        };
        let small = u32::try_from(count).unwrap_or(u32::MAX);
        match (change.field, &change.target, &change.to) {
            (Field::Rank, _, to) => state.rank = if *to == FactValue::Null { None } else { Rank::new(small) },
            (Field::BgtBalance, _, FactValue::Amount(amount)) => state.bgt_balance = *amount,
            (Field::EngagementPoints, _, _) => state.engagement_points = small,
            (Field::ActivityScore, _, _) => state.activity_score = small,
            (Field::TenureDays, _, _) => state.tenure_days = small,
            (Field::ConvictionScore, _, _) => state.conviction_score = count,
            (Field::Verified, _, FactValue::Flag(flag)) => state.verified = *flag,
            (Field::HighestTier, _, FactValue::Id(tier)) => state.highest_tier = Some(tier.clone()),
            (Field::GrantedBadges, Target::Grant { badge }, _) => drop(state.granted_badges.insert(badge.clone())),
            (Field::AssumedTier, Target::Reset, _) => assumption = None,
            (Field::AssumedTier, Target::Assume { tier }, _) => match &mut assumption {
                Some(assumed) => assumed.tier_id = tier.clone(),
                None => assumption = Some(Assumption::tier(tier.clone())),
            },
            _ => {}
        }
    }
    (state, assumption)
}
