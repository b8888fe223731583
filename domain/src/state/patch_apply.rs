//! Applying a state patch, all or nothing. Setting a stage adjusts the facts it derives from
//! (spec section 4, Decision): verified sets the flag; engaged clears it and raises points to at
//! least ENGAGED_MIN; free clears it and lowers points below ENGAGED_MIN.

use super::{SimState, StatePatch};
use crate::assume::check_grantable;
use crate::error::{FieldErrors, Rule};
use crate::eval::Evaluator;
use crate::lookup::hint;
use crate::stage::Stage;

impl Evaluator<'_> {
    /// The state after `patch`, or every broken rule (the state is then left as it was).
    pub fn apply_patch(&self, state: &SimState, patch: &StatePatch) -> Result<SimState, FieldErrors> {
        let theme = self.theme;
        let mut errors = FieldErrors::default();
        if let Some(Some(tier)) = &patch.highest_tier {
            if theme.tier(tier).is_none() {
                let near = hint(tier, theme.tiers.iter().map(|t| t.id.as_str()));
                errors.push("highestTier", Rule::UnknownTier, format!("theme {} has no tier {tier}{}", theme.id, near.text));
            }
        }
        if let Some(badges) = &patch.granted_badges {
            check_grantable(theme, "grantedBadges", badges, &mut errors);
        }
        let mut next = state.clone();
        if let Some(rank) = patch.rank {
            next.rank = rank;
        }
        if let Some(bgt) = patch.bgt_balance {
            next.bgt_balance = bgt;
        }
        if let Some(points) = patch.engagement_points {
            next.engagement_points = points;
        }
        if let Some(verified) = patch.verified {
            next.verified = verified;
        }
        if let Some(score) = patch.activity_score {
            next.activity_score = score;
        }
        if let Some(score) = patch.conviction_score {
            next.conviction_score = score;
        }
        if let Some(days) = patch.tenure_days {
            next.tenure_days = days;
        }
        if let Some(tier) = &patch.highest_tier {
            next.highest_tier = tier.clone();
        }
        if let Some(badges) = &patch.granted_badges {
            next.granted_badges = badges.clone();
        }
        if let Some(at) = patch.last_activity_at {
            next.last_activity_at = at;
        }
        if let Some(stage) = patch.engagement_stage {
            self.reach_stage(&mut next, stage, patch, &mut errors);
        }
        errors.into_result(next)
    }

    fn reach_stage(&self, state: &mut SimState, stage: Stage, patch: &StatePatch, errors: &mut FieldErrors) {
        let min = self.thresholds.engaged_min.value;
        let wanted_verified = stage == Stage::Verified;
        if patch.verified.is_some_and(|verified| verified != wanted_verified) {
            let message =
                format!("engagementStage {stage} needs verified {wanted_verified}, but the patch sets verified {}", !wanted_verified);
            errors.push("engagementStage", Rule::Conflict, message);
        }
        state.verified = wanted_verified;
        match stage {
            Stage::Verified => {}
            Stage::Engaged => match patch.engagement_points {
                Some(points) if points < min => errors.push(
                    "engagementStage",
                    Rule::Conflict,
                    format!(
                        "engagementStage engaged needs at least {min} points (ENGAGED_MIN), but the patch sets engagementPoints {points}"
                    ),
                ),
                _ => state.engagement_points = state.engagement_points.max(min),
            },
            Stage::Free if min == 0 => errors.push(
                "engagementStage",
                Rule::Conflict,
                "free cannot be reached: ENGAGED_MIN is 0, so every member who is not verified is engaged",
            ),
            Stage::Free => match patch.engagement_points {
                Some(points) if points >= min => errors.push(
                    "engagementStage",
                    Rule::Conflict,
                    format!(
                        "engagementStage free needs fewer than {min} points (ENGAGED_MIN), but the patch sets engagementPoints {points}"
                    ),
                ),
                _ => state.engagement_points = state.engagement_points.min(min - 1),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{Evaluator, FieldErrors, Rule, SimState, Stage, StatePatch};

    fn apply(state: &SimState, patch: serde_json::Value) -> Result<SimState, FieldErrors> {
        let evaluator = Evaluator::builtin("sietch").unwrap();
        evaluator.apply_patch(state, &StatePatch::from_json(&patch).unwrap())
    }

    #[test]
    fn setting_engaged_raises_points_to_engaged_min() {
        let state = apply(&SimState::default(), json!({"engagementStage": "engaged"})).unwrap();
        assert_eq!((state.engagement_points, state.verified), (50, false));
    }

    #[test]
    fn setting_free_lowers_points_below_engaged_min_and_clears_the_flag() {
        let start = SimState { engagement_points: 80, verified: true, ..SimState::default() };
        let state = apply(&start, json!({"engagementStage": "free"})).unwrap();
        assert_eq!((state.engagement_points, state.verified), (49, false));
        let evaluator = Evaluator::builtin("sietch").unwrap();
        assert_eq!(evaluator.gate(&evaluator.subject(&state, None).unwrap()).stage, Stage::Free);
    }

    #[test]
    fn contradicting_points_and_stage_change_nothing() {
        let errors = apply(&SimState::default(), json!({"engagementStage": "engaged", "engagementPoints": 10, "rank": 3})).unwrap_err();
        assert!(errors.has("engagementStage", Rule::Conflict));
    }

    #[test]
    fn an_earned_badge_cannot_be_granted() {
        let errors = apply(&SimState::default(), json!({"grantedBadges": ["og", "water_sharer", "watr"]})).unwrap_err();
        assert!(errors.has("grantedBadges", Rule::NotGrantable));
        assert!(errors.has("grantedBadges", Rule::UnknownBadge));
    }

    #[test]
    fn rank_null_clears_the_rank() {
        let state = apply(&SimState::with_rank(5), json!({"rank": null, "bgtBalance": "500"})).unwrap();
        assert_eq!(state.rank, None);
        assert_eq!(state.bgt_balance.to_string(), "500");
    }
}
