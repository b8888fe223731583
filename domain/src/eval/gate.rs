//! The progressive gate: stage from the facts (verified flag, points against ENGAGED_MIN), its
//! blur, points to the next stage and progress percent, in integers only.

use serde::{Deserialize, Serialize};

use super::{Evaluator, Subject};
use crate::stage::{BlurLevel, Stage};
use crate::thresholds::Setting;

/// The gate answer for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateResult {
    /// The derived stage.
    pub stage: Stage,
    /// The stage's blur level.
    pub blur_level: BlurLevel,
    /// Points held.
    pub engagement_points: u32,
    /// Whether the wallet is verified.
    pub verified: bool,
    /// ENGAGED_MIN in force.
    pub engaged_min: Setting,
    /// The next stage, none when verified.
    pub next_stage: Option<Stage>,
    /// Points still needed to become engaged, when free.
    pub points_to_next: Option<u32>,
    /// min(100, round(points / ENGAGED_MIN * 100)).
    pub progress_percent: u32,
    /// The decision in a sentence.
    pub reason: String,
    /// What reaching the next stage takes, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
}

impl Evaluator<'_> {
    /// The gate check.
    pub fn gate(&self, subject: &Subject<'_>) -> GateResult {
        let state = subject.state;
        let engaged_min = self.thresholds.engaged_min;
        let min = engaged_min.value;
        let points = state.engagement_points;
        let stage = self.stage_of(state);
        let (reason, next_stage, points_to_next, next_step) = match stage {
            Stage::Verified => ("the wallet is verified".to_owned(), None, None, None),
            Stage::Engaged => (
                format!("not verified, and {points} points meet ENGAGED_MIN {min}"),
                Some(Stage::Verified),
                None,
                Some("verify the wallet to become verified".to_owned()),
            ),
            Stage::Free => (
                format!("not verified, and {points} points are below ENGAGED_MIN {min}"),
                Some(Stage::Engaged),
                Some(min - points),
                Some(format!("earn {} more points ({points} -> {min}) to become engaged, or verify the wallet", min - points)),
            ),
        };
        GateResult {
            stage,
            blur_level: self.theme.gate.blur.of(stage),
            engagement_points: points,
            verified: state.verified,
            engaged_min,
            next_stage,
            points_to_next,
            progress_percent: progress_percent(points, min),
            reason,
            next_step,
        }
    }

    /// The blur of the member's stage.
    pub(crate) fn stage_blur(&self, subject: &Subject<'_>) -> BlurLevel {
        self.theme.gate.blur.of(self.stage_of(subject.state))
    }
}

/// min(100, round(points / min * 100)), halves rounded up as production's Math.round does.
pub(crate) fn progress_percent(points: u32, min: u32) -> u32 {
    if min == 0 {
        return 100;
    }
    let (points, min) = (u64::from(points), u64::from(min));
    let rounded = (points * 200 + min) / (2 * min);
    rounded.min(100) as u32
}

#[cfg(test)]
mod tests {
    use super::progress_percent;

    #[test]
    fn progress_rounds_halves_up_and_caps_at_one_hundred() {
        assert_eq!(progress_percent(20, 50), 40);
        assert_eq!(progress_percent(1, 200), 1);
        assert_eq!(progress_percent(1, 3), 33);
        assert_eq!(progress_percent(2, 3), 67);
        assert_eq!(progress_percent(500, 50), 100);
        assert_eq!(progress_percent(0, 0), 100);
    }
}
