//! The rules every tier ladder must keep, shared by theme validation and threshold overrides:
//! rank ranges are well formed, disjoint and ordered with the tiers; BGT thresholds strictly
//! increase with the tier order. Any break would make the tier of some state ambiguous.

use crate::bgt::Bgt;
use crate::error::Rule;
use crate::rank::RankRange;

/// One rung as the checks see it: its position, id and effective assignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rung<'a> {
    pub index: usize,
    pub id: &'a str,
    pub rank: Option<RankRange>,
    pub bgt: Option<Bgt>,
}

/// A broken ladder rule, blaming tier `index` (the higher tier of a pair).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict {
    pub index: usize,
    pub other: Option<usize>,
    pub rule: Rule,
    pub message: String,
}

/// Every ladder conflict among the rungs (given lowest first).
pub(crate) fn conflicts(rungs: &[Rung<'_>]) -> Vec<Conflict> {
    let mut found = Vec::new();
    let ranked: Vec<(&Rung<'_>, RankRange)> = rungs.iter().filter_map(|rung| rung.rank.map(|range| (rung, range))).collect();
    for (rung, range) in &ranked {
        if range.min_rank == 0 {
            found.push(single(rung, Rule::Zero, format!("{}: ranks start at 1; minRank 0 is not a rank", rung.id)));
        }
        if range.max_rank.is_some_and(|max| max < range.min_rank) {
            let message = format!("{}: minRank {} is above maxRank {}", rung.id, range.min_rank, range.last());
            found.push(single(rung, Rule::InvertedRange, message));
        }
    }
    for (i, (lower, low_range)) in ranked.iter().enumerate() {
        for (higher, high_range) in &ranked[i + 1..] {
            if low_range.overlaps(high_range) {
                let message = format!(
                    "{} ({low_range}) and {} ({high_range}) both claim some ranks; rank ranges must not overlap",
                    lower.id, higher.id
                );
                found.push(pair(higher, lower, Rule::OverlappingRanks, message));
            } else if high_range.min_rank > low_range.min_rank {
                let message = format!(
                    "{} is above {} but its ranks ({high_range}) are worse than {}'s ({low_range}); a higher tier needs better (smaller) ranks",
                    higher.id, lower.id, lower.id
                );
                found.push(pair(higher, lower, Rule::OutOfOrder, message));
            }
        }
    }
    let laddered: Vec<(&Rung<'_>, Bgt)> = rungs.iter().filter_map(|rung| rung.bgt.map(|bgt| (rung, bgt))).collect();
    for window in laddered.windows(2) {
        let ((lower, low), (higher, high)) = (window[0], window[1]);
        if high <= low {
            let message = format!(
                "{}'s BGT threshold {high} must be above {}'s {low}: thresholds strictly increase with the tier order",
                higher.id, lower.id
            );
            found.push(pair(higher, lower, Rule::OutOfOrder, message));
        }
    }
    found
}

fn single(rung: &Rung<'_>, rule: Rule, message: String) -> Conflict {
    Conflict { index: rung.index, other: None, rule, message }
}

fn pair(blamed: &Rung<'_>, other: &Rung<'_>, rule: Rule, message: String) -> Conflict {
    Conflict { index: blamed.index, other: Some(other.index), rule, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(index: usize, id: &str, min: u32, max: u32) -> Rung<'_> {
        Rung { index, id, rank: Some(RankRange::new(min, max)), bgt: None }
    }

    fn bgt(index: usize, id: &str, whole: u64) -> Rung<'_> {
        Rung { index, id, rank: None, bgt: Some(Bgt::whole(whole)) }
    }

    #[test]
    fn the_sietch_ladder_has_no_conflict() {
        let rungs = [bgt(0, "sihaya", 420), bgt(1, "mushtamal", 690), rank(2, "fedaykin", 8, 69), rank(3, "naib", 1, 7)];
        assert!(conflicts(&rungs).is_empty());
    }

    #[test]
    fn overlapping_ranks_name_both_tiers() {
        let found = conflicts(&[rank(0, "fedaykin", 8, 69), rank(1, "naib", 1, 10)]);
        assert_eq!(found[0].rule, Rule::OverlappingRanks);
        assert!(found[0].message.contains("fedaykin (8-69) and naib (1-10)"));
    }

    #[test]
    fn a_threshold_equal_to_the_one_below_is_ambiguous() {
        let found = conflicts(&[bgt(0, "sihaya", 690), bgt(1, "mushtamal", 690)]);
        assert_eq!(found[0].rule, Rule::OutOfOrder);
        assert_eq!(found[0].index, 1);
    }

    #[test]
    fn inverted_and_zero_ranges_are_caught() {
        let found = conflicts(&[rank(0, "a", 0, 5), rank(1, "b", 9, 8)]);
        let rules: Vec<Rule> = found.iter().map(|c| c.rule).collect();
        assert!(rules.contains(&Rule::Zero) && rules.contains(&Rule::InvertedRange));
    }

    #[test]
    fn swapped_rank_tiers_are_out_of_order() {
        let found = conflicts(&[rank(0, "fedaykin", 1, 7), rank(1, "naib", 8, 69)]);
        assert_eq!(found[0].rule, Rule::OutOfOrder);
    }
}
