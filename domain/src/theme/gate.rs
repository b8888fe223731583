//! Settings of the progressive gate: the engaged threshold, blur per stage, activity points and
//! the rate-limit rules. The defaults are the PRD's (appendix C and D).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::stage::{BlurLevel, Stage};

/// The progressive gate of a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct GateSettings {
    /// ENGAGED_MIN: points at which a member who is not verified becomes engaged.
    pub engaged_min: u32,
    /// Blur level of each stage.
    pub blur: BlurLevels,
    /// Points each simulated activity earns.
    pub activity_points: ActivityPoints,
    /// At most this many points in any rolling hour.
    pub hourly_cap: u32,
    /// The reduced award for repeating one kind of action within the hour.
    pub repeat_penalty: RepeatPenalty,
    /// A return visit sooner than this after the last activity earns nothing.
    pub return_visit_gap_hours: u32,
}

impl Default for GateSettings {
    fn default() -> GateSettings {
        GateSettings {
            engaged_min: 50,
            blur: BlurLevels::default(),
            activity_points: ActivityPoints::default(),
            hourly_cap: 10,
            repeat_penalty: RepeatPenalty::default(),
            return_visit_gap_hours: 24,
        }
    }
}

/// Blur level per stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BlurLevels {
    /// Blur while free (0.8).
    pub free: BlurLevel,
    /// Blur while engaged (0.3).
    pub engaged: BlurLevel,
    /// Blur once verified (0.0).
    pub verified: BlurLevel,
}

impl Default for BlurLevels {
    fn default() -> BlurLevels {
        BlurLevels {
            free: BlurLevel::from_percent(80).unwrap_or(BlurLevel::HIDDEN),
            engaged: BlurLevel::from_percent(30).unwrap_or(BlurLevel::HIDDEN),
            verified: BlurLevel::CLEAR,
        }
    }
}

impl BlurLevels {
    /// The blur of a stage.
    pub fn of(&self, stage: Stage) -> BlurLevel {
        match stage {
            Stage::Free => self.free,
            Stage::Engaged => self.engaged,
            Stage::Verified => self.verified,
        }
    }
}

/// The simulated activities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// Viewing the leaderboard.
    LeaderboardView,
    /// Viewing a profile.
    ProfileView,
    /// Previewing a badge.
    BadgePreview,
    /// Clicking a call to action.
    CtaClick,
    /// Using a bot command.
    CommandUse,
    /// Coming back after a while.
    ReturnVisit,
}

impl ActivityKind {
    /// Every activity.
    pub const ALL: [ActivityKind; 6] = [
        ActivityKind::LeaderboardView,
        ActivityKind::ProfileView,
        ActivityKind::BadgePreview,
        ActivityKind::CtaClick,
        ActivityKind::CommandUse,
        ActivityKind::ReturnVisit,
    ];

    /// The activity's id ("cta_click").
    pub fn id(self) -> &'static str {
        match self {
            ActivityKind::LeaderboardView => "leaderboard_view",
            ActivityKind::ProfileView => "profile_view",
            ActivityKind::BadgePreview => "badge_preview",
            ActivityKind::CtaClick => "cta_click",
            ActivityKind::CommandUse => "command_use",
            ActivityKind::ReturnVisit => "return_visit",
        }
    }

    /// Parses an activity id.
    pub fn parse(text: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|kind| kind.id() == text.trim())
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Points per activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ActivityPoints {
    /// leaderboard_view (5).
    pub leaderboard_view: u32,
    /// profile_view (3).
    pub profile_view: u32,
    /// badge_preview (2).
    pub badge_preview: u32,
    /// cta_click (10).
    pub cta_click: u32,
    /// command_use (5).
    pub command_use: u32,
    /// return_visit (8).
    pub return_visit: u32,
}

impl Default for ActivityPoints {
    fn default() -> ActivityPoints {
        ActivityPoints { leaderboard_view: 5, profile_view: 3, badge_preview: 2, cta_click: 10, command_use: 5, return_visit: 8 }
    }
}

impl ActivityPoints {
    /// The points of one activity.
    pub fn of(&self, kind: ActivityKind) -> u32 {
        match kind {
            ActivityKind::LeaderboardView => self.leaderboard_view,
            ActivityKind::ProfileView => self.profile_view,
            ActivityKind::BadgePreview => self.badge_preview,
            ActivityKind::CtaClick => self.cta_click,
            ActivityKind::CommandUse => self.command_use,
            ActivityKind::ReturnVisit => self.return_visit,
        }
    }
}

/// Once `after` actions of one kind fall in the rolling hour, a further one earns its points
/// divided by `divisor` (rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepeatPenalty {
    /// Actions of the same kind already in the hour before the penalty applies (3).
    pub after: u32,
    /// What the points are divided by (2).
    pub divisor: u32,
}

impl Default for RepeatPenalty {
    fn default() -> RepeatPenalty {
        RepeatPenalty { after: 3, divisor: 2 }
    }
}
