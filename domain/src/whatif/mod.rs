//! What-if: two override sets or two themes compared. The matrix cells that flip (both
//! directions), the thresholds that differ, and over a population how many members change tier,
//! stage or access ("raising ENGAGED_MIN from 50 to 75 moves 1,240 of 50,000 members to free").

mod population;

use serde::{Deserialize, Serialize};

use crate::eval::Evaluator;
use crate::matrix::Access;
use crate::state::SimState;

use population::population_impact;

/// A cell of the matrix whose access differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CellFlip {
    /// Tier id.
    pub tier: String,
    /// Channel name or feature id.
    pub target: String,
    /// `channel` or `feature`.
    pub kind: String,
    /// Access before.
    pub before: Access,
    /// Access after.
    pub after: Access,
}

/// A threshold whose value differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdChange {
    /// What ("sihaya", "ENGAGED_MIN").
    pub name: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// Members moving between two tiers or stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// How many members.
    pub count: usize,
}

/// Members gaining or losing one channel or feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessFlip {
    /// Channel name or feature id.
    pub target: String,
    /// `channel` or `feature`.
    pub kind: String,
    /// Members who gain it.
    pub gained: usize,
    /// Members who lose it.
    pub lost: usize,
}

/// The effect on a population.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PopulationImpact {
    /// Members compared.
    pub members: usize,
    /// Members whose tier changes.
    pub tier_changed: usize,
    /// Members whose stage changes.
    pub stage_changed: usize,
    /// Tier moves, largest first.
    pub tier_moves: Vec<Move>,
    /// Stage moves, largest first.
    pub stage_moves: Vec<Move>,
    /// Channels and features some member gains or loses.
    pub access_flips: Vec<AccessFlip>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WhatIf {
    /// Thresholds that differ.
    pub threshold_changes: Vec<ThresholdChange>,
    /// Matrix cells that flip, both directions.
    pub cell_flips: Vec<CellFlip>,
    /// The effect on the population.
    pub population: PopulationImpact,
    /// Sentences for displays.
    pub summary: Vec<String>,
}

/// Compares two evaluators (two override sets of a theme, or two themes) over `members`.
pub fn what_if(before: &Evaluator<'_>, after: &Evaluator<'_>, members: &[SimState]) -> WhatIf {
    let threshold_changes = threshold_changes(before, after);
    let cell_flips = cell_flips(before, after);
    let population = population_impact(before, after, members);
    let summary = summary(&threshold_changes, &population);
    WhatIf { threshold_changes, cell_flips, population, summary }
}

fn threshold_changes(before: &Evaluator<'_>, after: &Evaluator<'_>) -> Vec<ThresholdChange> {
    let view = |ev: &Evaluator<'_>| ev.thresholds().view(ev.theme());
    let (a, b) = (view(before), view(after));
    let mut changes = Vec::new();
    for tier in &a.tiers {
        let other = b.tiers.iter().find(|t| t.tier_id == tier.tier_id);
        let after_text = other.map_or_else(|| "(no such tier)".to_owned(), |t| t.boundary.clone());
        if after_text != tier.boundary {
            changes.push(ThresholdChange { name: tier.tier_id.clone(), before: tier.boundary.clone(), after: after_text });
        }
    }
    for tier in b.tiers.iter().filter(|t| !a.tiers.iter().any(|o| o.tier_id == t.tier_id)) {
        changes.push(ThresholdChange { name: tier.tier_id.clone(), before: "(no such tier)".to_owned(), after: tier.boundary.clone() });
    }
    for (name, x, y) in [
        ("ENGAGED_MIN", a.engagement.engaged_min.value, b.engagement.engaged_min.value),
        ("rate limit", a.engagement.rate_limit.value, b.engagement.rate_limit.value),
    ] {
        if x != y {
            changes.push(ThresholdChange { name: name.to_owned(), before: x.to_string(), after: y.to_string() });
        }
    }
    changes
}

fn cell_flips(before: &Evaluator<'_>, after: &Evaluator<'_>) -> Vec<CellFlip> {
    let (a, b) = (before.matrix(), after.matrix());
    let mut flips = Vec::new();
    for (row, tier) in a.tiers.iter().enumerate() {
        for (column, channel) in a.channels.iter().enumerate() {
            if let Some(cell) = b.channel_cell(&tier.id, &channel.name) {
                let was = a.channel_cells[row][column].access;
                if was != cell.access {
                    flips.push(CellFlip {
                        tier: tier.id.clone(),
                        target: channel.name.clone(),
                        kind: "channel".into(),
                        before: was,
                        after: cell.access,
                    });
                }
            }
        }
        for (column, feature) in a.features.iter().enumerate() {
            if let Some(cell) = b.feature_cell(&tier.id, feature) {
                let was = a.feature_cells[row][column].access;
                if was != cell.access {
                    flips.push(CellFlip {
                        tier: tier.id.clone(),
                        target: feature.clone(),
                        kind: "feature".into(),
                        before: was,
                        after: cell.access,
                    });
                }
            }
        }
    }
    flips
}

fn summary(changes: &[ThresholdChange], impact: &PopulationImpact) -> Vec<String> {
    let members = thousands(impact.members);
    let cause = match changes {
        [one] => {
            let verb = match (one.before.parse::<u64>(), one.after.parse::<u64>()) {
                (Ok(a), Ok(b)) if b > a => "Raising",
                (Ok(a), Ok(b)) if b < a => "Lowering",
                _ => "Changing",
            };
            format!("{verb} {} from {} to {}", one.name, one.before, one.after)
        }
        [] => "The change".to_owned(),
        _ => format!("Changing {}", changes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")),
    };
    let moves =
        |moves: &[Move]| moves.iter().map(|m| format!("{} {} -> {}", thousands(m.count), m.from, m.to)).collect::<Vec<_>>().join(", ");
    let mut lines = Vec::new();
    for change in changes {
        lines.push(format!("{}: {} -> {}", change.name, change.before, change.after));
    }
    match impact.stage_moves.as_slice() {
        [] => {}
        [only] => lines.push(format!("{cause} moves {} of {members} members from {} to {}", thousands(only.count), only.from, only.to)),
        all => {
            lines.push(format!("{cause} moves {} of {members} members to another stage ({})", thousands(impact.stage_changed), moves(all)))
        }
    }
    if !impact.tier_moves.is_empty() {
        lines.push(format!(
            "{cause} moves {} of {members} members to another tier ({})",
            thousands(impact.tier_changed),
            moves(&impact.tier_moves)
        ));
    }
    if impact.stage_moves.is_empty() && impact.tier_moves.is_empty() {
        lines.push(format!("No member of {members} changes tier or stage"));
    }
    lines
}

/// 50000 as "50,000".
fn thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(50000), "50,000");
        assert_eq!(thousands(1240), "1,240");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
