//! Simulated activity with the clock passed in: the hourly cap over a rolling hour, the repeat
//! penalty, and the return-visit gap. The outcome says what was awarded and which rule decided.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::Evaluator;
use crate::stage::Stage;
use crate::state::{ActivityRecord, SimState};
use crate::theme::ActivityKind;

/// Which rule set the award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum AwardRule {
    /// The activity's full points.
    Full,
    /// Reduced: the same kind was already done often enough this hour.
    RepeatPenalty,
    /// Cut to what is left of the hourly cap.
    HourlyCap,
    /// Nothing left of the hourly cap.
    CapReached,
    /// A return visit too soon after the last activity: nothing, not recorded.
    ReturnVisitTooSoon,
}

/// What one simulated activity earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityOutcome {
    /// The activity.
    pub kind: ActivityKind,
    /// Its points before any rule.
    pub base_points: u32,
    /// Points awarded.
    pub awarded: u32,
    /// Whether it was recorded (counts for the hour and as the last activity).
    pub recorded: bool,
    /// The deciding rule.
    pub rule: AwardRule,
    /// The decision in a sentence.
    pub reason: String,
    /// Points earned in the rolling hour, this one included.
    pub points_in_hour: u32,
    /// Points left under the hourly cap.
    pub cap_remaining: u32,
    /// Engagement points afterwards.
    pub engagement_points: u32,
    /// Stage before.
    pub stage_before: Stage,
    /// Stage after.
    pub stage_after: Stage,
}

/// The new state and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityResult {
    /// The state after the activity.
    pub state: SimState,
    /// What happened.
    pub outcome: ActivityOutcome,
}

/// A simulated activity that cannot happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    /// `now` is before something already recorded.
    #[error("time cannot run backwards: the last recorded activity is at {last}, after {now}")]
    ClockWentBack {
        /// The latest recorded time.
        last: OffsetDateTime,
        /// The time given.
        now: OffsetDateTime,
    },
}

impl Evaluator<'_> {
    /// Records one activity at `now`.
    pub fn record_activity(&self, state: &SimState, kind: ActivityKind, now: OffsetDateTime) -> Result<ActivityResult, ActivityError> {
        let latest = state.activity_log.iter().map(|r| r.at).chain(state.last_activity_at).max();
        if let Some(last) = latest.filter(|last| *last > now) {
            return Err(ActivityError::ClockWentBack { last, now });
        }
        let gate = &self.theme.gate;
        let cap = self.thresholds.hourly_cap.value;
        let hour_start = now - Duration::HOUR;
        // The rolling hour excludes an action exactly one hour old.
        let hour: Vec<&ActivityRecord> = state.activity_log.iter().filter(|r| r.at > hour_start).collect();
        let used: u32 = hour.iter().map(|r| r.points).sum();
        let base = gate.activity_points.of(kind);
        let stage_before = self.stage_of(state);
        let gap = Duration::hours(gate.return_visit_gap_hours.into());
        if kind == ActivityKind::ReturnVisit {
            if let Some(last) = state.last_activity_at.filter(|last| now - *last < gap) {
                let reason = format!(
                    "a return visit {} min after the last activity is less than {} h later: it earns 0 and is not recorded",
                    (now - last).whole_minutes(),
                    gate.return_visit_gap_hours
                );
                let outcome = ActivityOutcome {
                    kind,
                    base_points: base,
                    awarded: 0,
                    recorded: false,
                    rule: AwardRule::ReturnVisitTooSoon,
                    reason,
                    points_in_hour: used,
                    cap_remaining: cap.saturating_sub(used),
                    engagement_points: state.engagement_points,
                    stage_before,
                    stage_after: stage_before,
                };
                return Ok(ActivityResult { state: state.clone(), outcome });
            }
        }
        let repeats = hour.iter().filter(|r| r.kind == kind).count();
        let penalised = repeats >= gate.repeat_penalty.after as usize;
        let value = if penalised { base / gate.repeat_penalty.divisor.max(1) } else { base };
        let remaining = cap.saturating_sub(used);
        let awarded = value.min(remaining);
        let (rule, reason) = if awarded < value && remaining == 0 {
            (AwardRule::CapReached, format!("the hourly cap of {cap} points is already reached: it earns 0"))
        } else if awarded < value {
            (AwardRule::HourlyCap, format!("{value} points cut to the {remaining} left of the hourly cap of {cap}"))
        } else if penalised {
            (
                AwardRule::RepeatPenalty,
                format!(
                    "{repeats} {kind} actions already this hour: {base} divided by {} (rounded down) is {value}",
                    gate.repeat_penalty.divisor
                ),
            )
        } else {
            (AwardRule::Full, format!("{kind} earns its full {base} points"))
        };
        let mut next = state.clone();
        next.activity_log.retain(|r| r.at > hour_start);
        next.activity_log.push(ActivityRecord { kind, at: now, points: awarded });
        next.engagement_points = next.engagement_points.saturating_add(awarded);
        next.last_activity_at = Some(now);
        let outcome = ActivityOutcome {
            kind,
            base_points: base,
            awarded,
            recorded: true,
            rule,
            reason,
            points_in_hour: used + awarded,
            cap_remaining: remaining - awarded,
            engagement_points: next.engagement_points,
            stage_before,
            stage_after: self.stage_of(&next),
        };
        Ok(ActivityResult { state: next, outcome })
    }
}
