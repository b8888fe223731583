//! The simulated member state with the PRD's field names. The engagement stage and the tier are
//! never stored: they are derived from these facts and the thresholds in force.

mod field;
mod patch;
mod patch_apply;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::bgt::Bgt;
use crate::rank::Rank;
use crate::theme::ActivityKind;

pub(crate) use field::{json_type, number_text, parse_bool_text, parse_count_text, parse_rank_text, whole_from_json, FieldProblem};
pub use patch::StatePatch;

/// What a simulated member is: every fact the tier, gate and badge rules read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SimState {
    /// Leaderboard position (1 is the top), or none.
    pub rank: Option<Rank>,
    /// BGT held, exact to the wei.
    pub bgt_balance: Bgt,
    /// Engagement points of the progressive gate.
    pub engagement_points: u32,
    /// Whether the wallet is verified (the verified stage).
    pub verified: bool,
    /// Activity score (activity badges).
    pub activity_score: u32,
    /// Conviction score (First Maker).
    pub conviction_score: u64,
    /// Days in the community (tenure badges).
    pub tenure_days: u32,
    /// The highest tier ever held, for achievement badges.
    pub highest_tier: Option<String>,
    /// Special badges granted explicitly.
    pub granted_badges: BTreeSet<String>,
    /// When the member last did something, for the return-visit gap.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_activity_at: Option<OffsetDateTime>,
    /// Recorded activities of the rolling hour, oldest first.
    pub activity_log: Vec<ActivityRecord>,
}

/// One recorded simulated activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityRecord {
    /// What was done.
    pub kind: ActivityKind,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Points it earned.
    pub points: u32,
}

impl SimState {
    /// A state with only a BGT balance.
    pub fn with_bgt(bgt: Bgt) -> SimState {
        SimState { bgt_balance: bgt, ..SimState::default() }
    }

    /// A state with only a rank.
    pub fn with_rank(rank: u32) -> SimState {
        SimState { rank: Rank::new(rank), ..SimState::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_state_serialises_with_prd_names() {
        let json = serde_json::to_value(SimState::default()).unwrap();
        for field in [
            "rank",
            "bgtBalance",
            "engagementPoints",
            "verified",
            "activityScore",
            "convictionScore",
            "tenureDays",
            "highestTier",
            "grantedBadges",
            "lastActivityAt",
        ] {
            assert!(json.get(field).is_some(), "{field}");
        }
        assert_eq!(json["bgtBalance"], "0");
        assert_eq!(json["rank"], serde_json::Value::Null);
    }

    #[test]
    fn a_stored_state_round_trips() {
        let mut state = SimState::with_bgt(Bgt::parse("6.9").unwrap());
        state.rank = Rank::new(42);
        state.last_activity_at = Some(time::macros::datetime!(2026-01-19 12:00 UTC));
        let text = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<SimState>(&text).unwrap(), state);
    }
}
