//! Boundary personas: for every threshold and range end in force, members just below, at and
//! just above it, each with the tier, stage and badges the engine expects, serialisable so they
//! can become scenario files.
//!
//! BGT steps default to one wei (10^-18), the finest difference a balance can have: a persona at
//! 6.899999999999999999 is exactly what a floating-point comparison gets wrong. A coarser step
//! at the value's own scale (6.8 / 6.9 / 7.0) can be chosen for readable suites.

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;
use crate::eval::{CompiledBadge, Evaluator};
use crate::rank::Rank;
use crate::stage::Stage;
use crate::state::SimState;
use crate::theme::Assignment;

/// How far from a BGT threshold the "below" and "above" personas sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum BoundaryStep {
    /// One wei.
    #[default]
    Wei,
    /// One unit of the threshold's last digit (6.9 gives 6.8 and 7.0; 420 gives 419 and 421).
    ValueScale,
}

/// Where a persona sits against its boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Position {
    /// Just below.
    Below,
    /// Exactly at.
    At,
    /// Just above.
    Above,
}

/// What the engine answers for a persona.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Expected {
    /// Computed tier.
    pub tier: String,
    /// Whether the lowest tier was given below its minimum.
    pub below_minimum: bool,
    /// Gate stage.
    pub stage: Stage,
    /// Badges held.
    pub badges: Vec<String>,
}

/// One persona at one boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoundaryPersona {
    /// Stable id ("bgt-sihaya-below").
    pub id: String,
    /// The boundary tested ("sihaya BGT >= 420").
    pub boundary: String,
    /// Below, at or above it.
    pub position: Position,
    /// A sentence for reports.
    pub description: String,
    /// The member.
    pub state: SimState,
    /// The engine's answer.
    pub expected: Expected,
}

impl Evaluator<'_> {
    /// Every boundary persona of the thresholds in force.
    pub fn boundary_personas(&self, step: BoundaryStep) -> Vec<BoundaryPersona> {
        let mut personas = Vec::new();
        for (index, tier) in self.theme.tiers.iter().enumerate() {
            match self.assignment(index) {
                Assignment::Bgt { threshold } if !self.bgt_ladder.is_empty() => {
                    let delta = match step {
                        BoundaryStep::Wei => Bgt::WEI,
                        BoundaryStep::ValueScale => Bgt::step(threshold.scale()),
                    };
                    let label = format!("{} BGT >= {threshold}", tier.id);
                    let values = [
                        (Position::Below, threshold.checked_sub(delta)),
                        (Position::At, Some(*threshold)),
                        (Position::Above, threshold.checked_add(delta)),
                    ];
                    for (position, value) in values {
                        if let Some(bgt) = value {
                            let state = SimState::with_bgt(bgt);
                            personas.push(self.persona(format!("bgt-{}", tier.id), &label, position, format!("BGT {bgt}"), state));
                        }
                    }
                }
                Assignment::Rank(range) => {
                    let ends = [("min", range.min_rank, "best"), ("max", range.last(), "worst")];
                    for (end, value, word) in ends.into_iter().filter(|(end, _, _)| *end == "min" || range.max_rank.is_some()) {
                        let label = format!("{} rank {range} ({word} rank {value})", tier.id);
                        let values =
                            [(Position::Below, value.checked_sub(1)), (Position::At, Some(value)), (Position::Above, value.checked_add(1))];
                        for (position, rank) in values {
                            if let Some(rank) = rank.and_then(Rank::new) {
                                let state = SimState { rank: Some(rank), ..SimState::default() };
                                personas.push(self.persona(
                                    format!("rank-{}-{end}", tier.id),
                                    &label,
                                    position,
                                    format!("rank {rank}"),
                                    state,
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let min = self.thresholds.engaged_min.value;
        let label = format!("ENGAGED_MIN {min}");
        for (position, points) in [(Position::Below, min.checked_sub(1)), (Position::At, Some(min)), (Position::Above, min.checked_add(1))]
        {
            if let Some(points) = points {
                let state = SimState { engagement_points: points, ..SimState::default() };
                personas.push(self.persona("engaged-min".to_owned(), &label, position, format!("{points} engagement points"), state));
            }
        }
        for (index, badge) in self.theme.badges.iter().enumerate() {
            let (field, min): (&str, u64) = match self.badges[index] {
                CompiledBadge::Tenure(min) => ("tenure days", min.into()),
                CompiledBadge::Activity(min) => ("activity score", min.into()),
                CompiledBadge::Conviction(min) => ("conviction score", min),
                _ => continue,
            };
            let label = format!("{} {field} >= {min}", badge.id);
            for (position, value) in
                [(Position::Below, min.checked_sub(1)), (Position::At, Some(min)), (Position::Above, min.checked_add(1))]
            {
                let Some(value) = value else { continue };
                let mut state = SimState::default();
                let small = u32::try_from(value).unwrap_or(u32::MAX);
                match self.badges[index] {
                    CompiledBadge::Tenure(_) => state.tenure_days = small,
                    CompiledBadge::Activity(_) => state.activity_score = small,
                    _ => state.conviction_score = value,
                }
                personas.push(self.persona(format!("badge-{}", badge.id), &label, position, format!("{field} {value}"), state));
            }
        }
        personas
    }

    fn persona(&self, stem: String, boundary: &str, position: Position, value: String, state: SimState) -> BoundaryPersona {
        let subject = self.subject_unchecked(&state, None);
        let tier = self.theme.tiers[subject.computed.tier].id.clone();
        let expected = Expected {
            tier: tier.clone(),
            below_minimum: matches!(subject.computed.decider, crate::eval::Decider::Floor(_)),
            stage: self.stage_of(&state),
            badges: self.earned_badges(&subject),
        };
        let word = match position {
            Position::Below => "below",
            Position::At => "at",
            Position::Above => "above",
        };
        let description = format!("{value}, just {word} {boundary}: {tier}, {}", expected.stage);
        BoundaryPersona { id: format!("{stem}-{word}"), boundary: boundary.to_owned(), position, description, state, expected }
    }
}
