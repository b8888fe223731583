//! Leaderboard ranks (positive integers, 1 is the top) and inclusive rank ranges such as
//! `1-7` or `1001+`.

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A leaderboard position: 1 is the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank(NonZeroU32);

impl Rank {
    /// A rank, or `None` for 0.
    pub const fn new(rank: u32) -> Option<Rank> {
        match NonZeroU32::new(rank) {
            Some(rank) => Some(Rank(rank)),
            None => None,
        }
    }

    /// The position as a number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Rank {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.get())
    }
}

impl<'de> Deserialize<'de> for Rank {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rank, D::Error> {
        let value = u32::deserialize(deserializer)?;
        Rank::new(value).ok_or_else(|| serde::de::Error::custom("rank must be a positive whole number (1 is the top); got 0"))
    }
}

/// An inclusive range of ranks; no `maxRank` means open-ended (`1001+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RankRange {
    /// The best (smallest) rank in the range.
    pub min_rank: u32,
    /// The worst (largest) rank in the range, if bounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rank: Option<u32>,
}

impl RankRange {
    /// A bounded range.
    pub const fn new(min_rank: u32, max_rank: u32) -> RankRange {
        RankRange { min_rank, max_rank: Some(max_rank) }
    }

    /// An open-ended range from `min_rank` on.
    pub const fn from(min_rank: u32) -> RankRange {
        RankRange { min_rank, max_rank: None }
    }

    /// Whether the rank lies in the range.
    pub fn contains(&self, rank: u32) -> bool {
        rank >= self.min_rank && self.max_rank.is_none_or(|max| rank <= max)
    }

    /// Whether two ranges share a rank.
    pub fn overlaps(&self, other: &RankRange) -> bool {
        let below = |a: &RankRange, b: &RankRange| a.max_rank.is_some_and(|max| max < b.min_rank);
        !below(self, other) && !below(other, self)
    }

    /// The largest rank, with `u32::MAX` for an open end.
    pub fn last(&self) -> u32 {
        self.max_rank.unwrap_or(u32::MAX)
    }
}

impl fmt::Display for RankRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max_rank {
            Some(max) if max == self.min_rank => write!(f, "{max}"),
            Some(max) => write!(f, "{}-{max}", self.min_rank),
            None => write!(f, "{}+", self.min_rank),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_zero_does_not_exist() {
        assert_eq!(Rank::new(0), None);
        assert!(serde_json::from_str::<Rank>("0").is_err());
        assert!(serde_json::from_str::<Rank>("-3").is_err());
        assert!(serde_json::from_str::<Rank>("7.5").is_err());
    }

    #[test]
    fn ranges_display_like_the_spec() {
        assert_eq!(RankRange::new(1, 7).to_string(), "1-7");
        assert_eq!(RankRange::from(1001).to_string(), "1001+");
    }

    #[test]
    fn rank_seven_is_inside_one_to_seven_and_eight_is_not() {
        let naib = RankRange::new(1, 7);
        assert!(naib.contains(7));
        assert!(!naib.contains(8));
        assert!(RankRange::from(51).contains(u32::MAX));
    }

    #[test]
    fn touching_ranges_do_not_overlap() {
        assert!(!RankRange::new(1, 7).overlaps(&RankRange::new(8, 69)));
        assert!(RankRange::new(1, 8).overlaps(&RankRange::new(8, 69)));
        assert!(RankRange::from(60).overlaps(&RankRange::new(8, 69)));
    }
}
