//! Display lines in the PRD 5.2 style ("ACCESS DENIED: #council-chamber", "Reach Naib tier (Top 7
//! rank required)", "Current rank: 42, need: <=7") from which Discord and HTML embeds are built.

use serde::{Deserialize, Serialize};

use super::push_int;
use crate::eval::{Evaluator, Subject};
use crate::theme::{Assignment, Theme};

/// A titled block of lines, ready for a Discord embed or an HTML card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Embed {
    /// "ACCESS GRANTED: #war-room".
    pub title: String,
    /// Role colour of the tier in force.
    pub colour: String,
    /// The body, one line each; an empty line separates sections.
    pub lines: Vec<String>,
}

impl Evaluator<'_> {
    /// Appends the "Current State:" lines of a subject.
    pub(crate) fn push_state_lines(&self, subject: &Subject<'_>, lines: &mut Vec<String>) {
        use std::fmt::Write;
        let state = subject.state;
        let stage = match self.stage_of(state) {
            crate::stage::Stage::Free => "FREE",
            crate::stage::Stage::Engaged => "ENGAGED",
            crate::stage::Stage::Verified => "VERIFIED",
        };
        lines.push("Current State:".to_owned());
        let mut bgt = String::with_capacity(32);
        // Writing into a String cannot fail.
        let _ = write!(bgt, "- BGT Balance: {}", state.bgt_balance);
        lines.push(bgt);
        let mut rank = String::with_capacity(20);
        rank.push_str("- Rank: ");
        match state.rank {
            Some(value) => push_int(&mut rank, value.get().into()),
            None => rank.push_str("none"),
        }
        lines.push(rank);
        let mut engagement = String::with_capacity(40);
        engagement.push_str("- Engagement: ");
        engagement.push_str(stage);
        engagement.push_str(" (");
        push_int(&mut engagement, state.engagement_points.into());
        engagement.push_str(" pts)");
        lines.push(engagement);
        let mut tenure = String::with_capacity(24);
        tenure.push_str("- Tenure: ");
        push_int(&mut tenure, state.tenure_days.into());
        tenure.push_str(" days");
        lines.push(tenure);
    }

    /// Appends "- Reach Naib tier (Top 7 rank required)" and "- Current rank: 42, need: <=7".
    pub(crate) fn push_reach_lines(&self, subject: &Subject<'_>, tier: usize, lines: &mut Vec<String>) {
        use std::fmt::Write;
        let reach = &self.reach[tier];
        lines.push(reach.line.clone());
        let state = subject.state;
        match &reach.need {
            Some((ReachField::Rank, need)) => {
                let mut line = String::with_capacity(24 + need.len());
                line.push_str("- Current rank: ");
                match state.rank {
                    Some(rank) => push_int(&mut line, rank.get().into()),
                    None => line.push_str("none"),
                }
                line.push_str(need);
                lines.push(line);
            }
            Some((ReachField::Bgt, need)) => {
                let mut line = String::with_capacity(32 + need.len());
                // Writing into a String cannot fail.
                let _ = write!(line, "- Current BGT: {}", state.bgt_balance);
                line.push_str(need);
                lines.push(line);
            }
            None => {}
        }
    }

    /// "Hold the Water Sharer badge (granted explicitly)".
    pub(crate) fn hold_badge_line(&self, badge: usize) -> String {
        let badge = &self.theme.badges[badge];
        format!("- Hold the {} badge ({})", badge.name, badge.rule)
    }
}

/// How a denial's display says to reach a tier; depends only on the thresholds in force.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    /// "- Reach Naib tier (Top 7 rank required)".
    pub line: String,
    /// What the second line compares: the rank or the balance, and ", need: <=7".
    pub need: Option<(ReachField, String)>,
}

/// Which fact a "Current ...: X, need: ..." line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReachField {
    Rank,
    Bgt,
}

/// The "reach it" lines of a tier: "- Reach Naib tier (Top 7 rank required)" and the need of
/// "- Current rank: 42, need: <=7".
pub(crate) fn reach_of(theme: &Theme, assignment: &Assignment, tier: usize) -> Reach {
    let name = &theme.tiers[tier].name;
    match assignment {
        Assignment::Rank(range) => {
            let required = match range.max_rank {
                Some(max) if range.min_rank == 1 => format!("Top {max} rank required"),
                _ => format!("rank {range} required"),
            };
            let need = match range.max_rank {
                Some(max) if range.min_rank == 1 => format!(", need: <={max}"),
                Some(max) => format!(", need: {}-{max}", range.min_rank),
                None => format!(", need: >={}", range.min_rank),
            };
            Reach { line: format!("- Reach {name} tier ({required})"), need: Some((ReachField::Rank, need)) }
        }
        Assignment::Bgt { threshold } => Reach {
            line: format!("- Reach {name} tier (BGT >= {threshold} required)"),
            need: Some((ReachField::Bgt, format!(", need: >={threshold}"))),
        },
        Assignment::None => Reach { line: format!("- Assume the {name} tier (no state assigns it)"), need: None },
    }
}
