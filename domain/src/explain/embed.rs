//! Display lines in the PRD 5.2 style ("ACCESS DENIED: #council-chamber", "Reach Naib tier (Top 7
//! rank required)", "Current rank: 42, need: <=7") from which Discord and HTML embeds are built.

use serde::{Deserialize, Serialize};

use crate::eval::{Evaluator, Subject};
use crate::theme::Assignment;

/// A titled block of lines, ready for a Discord embed or an HTML card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let state = subject.state;
        let stage = match self.stage_of(state) {
            crate::stage::Stage::Free => "FREE",
            crate::stage::Stage::Engaged => "ENGAGED",
            crate::stage::Stage::Verified => "VERIFIED",
        };
        lines.push("Current State:".to_owned());
        lines.push(format!("- BGT Balance: {}", state.bgt_balance));
        lines.push(match state.rank {
            Some(rank) => format!("- Rank: {rank}"),
            None => "- Rank: none".to_owned(),
        });
        lines.push(format!("- Engagement: {stage} ({} pts)", state.engagement_points));
        lines.push(format!("- Tenure: {} days", state.tenure_days));
    }

    /// "Reach Naib tier (Top 7 rank required)" and "Current rank: 42, need: <=7".
    pub(crate) fn reach_tier_lines(&self, subject: &Subject<'_>, tier: usize) -> Vec<String> {
        let name = &self.theme.tiers[tier].name;
        let state = subject.state;
        match self.assignment(tier) {
            Assignment::Rank(range) => {
                let required = match range.max_rank {
                    Some(max) if range.min_rank == 1 => format!("Top {max} rank required"),
                    _ => format!("rank {range} required"),
                };
                let need = match range.max_rank {
                    Some(max) if range.min_rank == 1 => format!("<={max}"),
                    Some(max) => format!("{}-{max}", range.min_rank),
                    None => format!(">={}", range.min_rank),
                };
                let now = state.rank.map_or_else(|| "none".to_owned(), |rank| rank.to_string());
                vec![format!("- Reach {name} tier ({required})"), format!("- Current rank: {now}, need: {need}")]
            }
            Assignment::Bgt { threshold } => vec![
                format!("- Reach {name} tier (BGT >= {threshold} required)"),
                format!("- Current BGT: {}, need: >={threshold}", state.bgt_balance),
            ],
            Assignment::None => vec![format!("- Assume the {name} tier (no state assigns it)")],
        }
    }

    /// "Hold the Water Sharer badge (granted explicitly)".
    pub(crate) fn hold_badge_line(&self, badge: usize) -> String {
        let badge = &self.theme.badges[badge];
        format!("- Hold the {} badge ({})", badge.name, badge.rule)
    }
}
