//! The population side of what-if: for every member, the tier, stage and access to each channel
//! and feature before and after, tallied into moves and flips without allocating per member.

use std::collections::BTreeMap;

use super::{AccessFlip, Move, PopulationImpact};
use crate::eval::Evaluator;
use crate::stage::Stage;
use crate::state::SimState;

/// How `members` move between the two evaluators.
pub(super) fn population_impact(before: &Evaluator<'_>, after: &Evaluator<'_>, members: &[SimState]) -> PopulationImpact {
    let channel_pairs: Vec<(usize, usize)> = (0..before.channels.len())
        .filter_map(|i| after.channels.iter().position(|c| c.key == before.channels[i].key).map(|j| (i, j)))
        .collect();
    let feature_pairs: Vec<(usize, usize)> = (0..before.features.len())
        .filter_map(|i| after.features.iter().position(|f| f.id == before.features[i].id).map(|j| (i, j)))
        .collect();
    let mut tier_moves: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut stage_moves: BTreeMap<(Stage, Stage), usize> = BTreeMap::new();
    let mut channel_flips = vec![(0usize, 0usize); channel_pairs.len()];
    let mut feature_flips = vec![(0usize, 0usize); feature_pairs.len()];
    for state in members {
        let (x, y) = (before.subject_unchecked(state, None), after.subject_unchecked(state, None));
        let (tx, ty) = (x.computed.tier, y.computed.tier);
        if before.theme.tiers[tx].id != after.theme.tiers[ty].id {
            *tier_moves.entry((tx, ty)).or_default() += 1;
        }
        let (sx, sy) = (before.stage_of(state), after.stage_of(state));
        if sx != sy {
            *stage_moves.entry((sx, sy)).or_default() += 1;
        }
        for (k, (i, j)) in channel_pairs.iter().enumerate() {
            let (ax, bx) = before.channel_tests(*i, &x);
            let (ay, by) = after.channel_tests(*j, &y);
            tally(&mut channel_flips[k], ax && bx, ay && by);
        }
        for (k, (i, j)) in feature_pairs.iter().enumerate() {
            tally(&mut feature_flips[k], before.feature_allowed(*i, tx), after.feature_allowed(*j, ty));
        }
    }
    let mut access_flips: Vec<AccessFlip> = Vec::new();
    for ((i, _), (gained, lost)) in channel_pairs.iter().zip(&channel_flips) {
        if gained + lost > 0 {
            access_flips.push(AccessFlip { target: before.channels[*i].key.clone(), kind: "channel".into(), gained: *gained, lost: *lost });
        }
    }
    for ((i, _), (gained, lost)) in feature_pairs.iter().zip(&feature_flips) {
        if gained + lost > 0 {
            access_flips.push(AccessFlip { target: before.features[*i].id.clone(), kind: "feature".into(), gained: *gained, lost: *lost });
        }
    }
    let tier_moves = sorted(tier_moves.into_iter().map(|((a, b), count)| Move {
        from: before.theme.tiers[a].id.clone(),
        to: after.theme.tiers[b].id.clone(),
        count,
    }));
    let stage_moves = sorted(stage_moves.into_iter().map(|((a, b), count)| Move { from: a.id().to_owned(), to: b.id().to_owned(), count }));
    PopulationImpact {
        members: members.len(),
        tier_changed: tier_moves.iter().map(|m| m.count).sum(),
        stage_changed: stage_moves.iter().map(|m| m.count).sum(),
        tier_moves,
        stage_moves,
        access_flips,
    }
}

fn tally(counts: &mut (usize, usize), was: bool, is: bool) {
    match (was, is) {
        (false, true) => counts.0 += 1,
        (true, false) => counts.1 += 1,
        _ => {}
    }
}

fn sorted(moves: impl Iterator<Item = Move>) -> Vec<Move> {
    let mut moves: Vec<Move> = moves.collect();
    moves.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to))));
    moves
}
