//! Populations of simulated members for what-if: generated from a seed with chosen
//! distributions, or read from an uploaded CSV.

mod csv;
mod prng;

use serde::{Deserialize, Serialize};

use crate::bgt::Bgt;
use crate::rank::Rank;
use crate::state::SimState;
use crate::theme::{BadgeRule, Theme};

pub use self::csv::{parse_members_csv, CsvError, CsvErrors};
pub use prng::SplitMix64;

/// How to generate a population. Probabilities are in per mille so no float is involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PopulationSpec {
    /// Number of members.
    pub size: usize,
    /// The seed: the same seed gives the same members.
    pub seed: u64,
    /// Share of members with a rank, per mille.
    pub ranked_per_mille: u32,
    /// Ranks are uniform in 1..=max_rank.
    pub max_rank: u32,
    /// Share of members holding no BGT at all, per mille.
    pub zero_bgt_per_mille: u32,
    /// Balances are log-uniform: a decade from 1 to 10^bgt_decades, then uniform inside it.
    pub bgt_decades: u32,
    /// Share of balances with a fractional part (at a random scale up to 18 digits), per mille.
    pub fractional_bgt_per_mille: u32,
    /// Engagement points are uniform in 0..=max_engagement_points.
    pub max_engagement_points: u32,
    /// Share of verified wallets, per mille.
    pub verified_per_mille: u32,
    /// Activity scores are uniform in 0..=max_activity_score.
    pub max_activity_score: u32,
    /// Conviction scores are uniform in 0..=max_conviction_score.
    pub max_conviction_score: u64,
    /// Tenure is uniform in 0..=max_tenure_days.
    pub max_tenure_days: u32,
    /// Chance of holding each explicitly granted badge of the theme, per mille.
    pub granted_badge_per_mille: u32,
}

impl Default for PopulationSpec {
    fn default() -> PopulationSpec {
        PopulationSpec {
            size: 1000,
            seed: 42,
            ranked_per_mille: 100,
            max_rank: 1500,
            zero_bgt_per_mille: 50,
            bgt_decades: 4,
            fractional_bgt_per_mille: 500,
            max_engagement_points: 120,
            verified_per_mille: 250,
            max_activity_score: 300,
            max_conviction_score: 20_000,
            max_tenure_days: 730,
            granted_badge_per_mille: 20,
        }
    }
}

impl PopulationSpec {
    /// The members, generated deterministically from the seed.
    pub fn generate(&self, theme: &Theme) -> Vec<SimState> {
        let mut random = SplitMix64::new(self.seed);
        let granted: Vec<&str> = theme.badges.iter().filter(|b| b.rule == BadgeRule::Granted).map(|b| b.id.as_str()).collect();
        (0..self.size)
            .map(|_| {
                let rank = random.chance(self.ranked_per_mille).then(|| random.between(1, self.max_rank.max(1).into()));
                let bgt_balance = self.balance(&mut random);
                let mut state = SimState {
                    rank: rank.and_then(|rank| Rank::new(rank as u32)),
                    bgt_balance,
                    engagement_points: random.between(0, self.max_engagement_points.into()) as u32,
                    verified: random.chance(self.verified_per_mille),
                    activity_score: random.between(0, self.max_activity_score.into()) as u32,
                    conviction_score: random.between(0, self.max_conviction_score),
                    tenure_days: random.between(0, self.max_tenure_days.into()) as u32,
                    ..SimState::default()
                };
                for badge in &granted {
                    if random.chance(self.granted_badge_per_mille) {
                        state.granted_badges.insert((*badge).to_owned());
                    }
                }
                state
            })
            .collect()
    }

    fn balance(&self, random: &mut SplitMix64) -> Bgt {
        if random.chance(self.zero_bgt_per_mille) {
            return Bgt::ZERO;
        }
        let decade = random.between(0, self.bgt_decades.min(18).into()) as u32;
        let whole = random.between(0, 10u64.pow(decade + 1) - 1);
        let mut wei = u128::from(whole) * Bgt::whole(1).wei();
        if random.chance(self.fractional_bgt_per_mille) {
            let digits = random.between(1, 18) as u32;
            let fraction = u128::from(random.below(10u64.pow(digits.min(19))));
            wei += fraction * 10u128.pow(18 - digits);
        }
        Bgt::from_wei(wei)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_members() {
        let theme = Theme::builtin("sietch").unwrap();
        let spec = PopulationSpec { size: 200, ..PopulationSpec::default() };
        assert_eq!(spec.generate(theme), spec.generate(theme));
        let other = PopulationSpec { seed: 43, ..spec.clone() };
        assert_ne!(spec.generate(theme), other.generate(theme));
    }

    #[test]
    fn generated_members_respect_the_distributions() {
        let theme = Theme::builtin("sietch").unwrap();
        let spec = PopulationSpec { size: 5000, ..PopulationSpec::default() };
        let members = spec.generate(theme);
        let ranked = members.iter().filter(|m| m.rank.is_some()).count();
        assert!((300..700).contains(&ranked), "{ranked}");
        assert!(members.iter().all(|m| m.rank.is_none_or(|r| r.get() <= 1500)));
        assert!(members.iter().all(|m| m.bgt_balance < Bgt::whole(100_000)));
        assert!(members.iter().any(|m| m.granted_badges.contains("water_sharer")));
    }
}
