//! Spec section 1 and 7: every tier example, the input rules and the override rules.

use domain::{Assumption, Bgt, Evaluator, FieldErrors, InForce, Rule, SimState, Theme, ThresholdOverrides, TierRule};
use serde_json::json;

fn state(rank: Option<u32>, bgt: &str) -> SimState {
    SimState { rank: rank.and_then(domain::Rank::new), bgt_balance: Bgt::parse(bgt).unwrap(), ..SimState::default() }
}

fn sietch() -> Evaluator<'static> {
    Evaluator::builtin("sietch").unwrap()
}

#[test]
fn every_sietch_tier_example_of_the_spec_holds() {
    let cases: &[(Option<u32>, &str, &str, bool)] = &[
        (None, "500", "sihaya", false),
        (Some(5), "0", "naib", false),
        (Some(5), "500", "naib", false),
        (Some(30), "10", "fedaykin", false),
        (None, "6.8999", "hajra", true),
        (None, "68.9999", "hajra", false),
        (None, "69.0001", "ichwan", false),
        (None, "221.9999", "ichwan", false),
        (None, "1110.9999", "sayyadina", false),
        (None, "5000", "usul", false),
        (Some(70), "0", "hajra", true),
        (None, "0", "hajra", true),
        (None, "6.9", "hajra", false),
        (Some(7), "0", "naib", false),
        (Some(8), "0", "fedaykin", false),
        (Some(69), "0", "fedaykin", false),
        (None, "1111", "usul", false),
        (None, "888", "sayyadina", false),
        (None, "690", "mushtamal", false),
        (None, "420", "sihaya", false),
        (None, "222", "qanat", false),
        (None, "419.999999999999999999", "qanat", false),
    ];
    let evaluator = sietch();
    for (rank, bgt, tier, below) in cases {
        let state = state(*rank, bgt);
        let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
        assert_eq!(result.tier_id, *tier, "rank {rank:?} bgt {bgt}");
        assert_eq!(result.computed.below_minimum, *below, "rank {rank:?} bgt {bgt}");
    }
}

#[test]
fn bgt_five_hundred_is_sihaya_by_threshold_four_hundred_twenty() {
    let evaluator = sietch();
    let state = state(None, "500");
    let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(result.computed.rule, TierRule::Bgt { threshold: Bgt::whole(420) });
    assert_eq!(result.computed.boundary, "BGT >= 420");
    assert!(!result.computed.overridden);
    assert_eq!(result.in_force, InForce::Computed);
}

#[test]
fn rank_five_is_naib_with_boundary_one_to_seven_even_with_bgt() {
    let evaluator = sietch();
    let state = state(Some(5), "500");
    let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(result.computed.boundary, "rank 1-7");
    assert!(result.computed.reason.contains("rank wins whatever the balance"));
}

#[test]
fn the_hajra_minimum_is_reported_as_not_met() {
    let evaluator = sietch();
    let state = state(None, "6.8999");
    let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(result.computed.rule, TierRule::BelowMinimum { minimum: Bgt::parse("6.9").unwrap() });
    assert!(result.computed.reason.contains("hajra minimum is not met"), "{}", result.computed.reason);
}

#[test]
fn basic_assigns_by_rank_only() {
    let evaluator = Evaluator::builtin("basic").unwrap();
    let cases: &[(Option<u32>, &str, &str)] = &[
        (Some(1), "0", "gold"),
        (Some(10), "0", "gold"),
        (Some(11), "0", "silver"),
        (Some(50), "5000", "silver"),
        (Some(51), "0", "bronze"),
        (Some(100000), "0", "bronze"),
        (None, "99999", "bronze"),
    ];
    for (rank, bgt, tier) in cases {
        let state = state(*rank, bgt);
        assert_eq!(evaluator.tier(&evaluator.subject(&state, None).unwrap()).tier_id, *tier, "{rank:?}");
    }
    let unranked = state(None, "0");
    assert_eq!(evaluator.tier(&evaluator.subject(&unranked, None).unwrap()).computed.rule, TierRule::NoRank);
}

#[test]
fn an_assumed_tier_is_in_force_and_the_computed_one_is_still_shown() {
    let evaluator = sietch();
    let state = state(None, "500");
    let assumption = Assumption::tier("fedaykin");
    let result = evaluator.tier(&evaluator.subject(&state, Some(&assumption)).unwrap());
    assert_eq!(result.tier_id, "fedaykin");
    assert_eq!(result.in_force, InForce::Assumed);
    assert_eq!(result.computed.tier_id, "sihaya");
    assert_eq!(result.permissions, ["view_all", "vote", "elite_access", "water_share"]);
}

#[test]
fn assuming_an_unknown_tier_is_an_error_with_near_matches() {
    let evaluator = sietch();
    let errors = evaluator.subject(&SimState::default(), Some(&Assumption::tier("fedaykn"))).unwrap_err();
    assert!(errors.has("tierId", Rule::UnknownTier));
    assert!(errors.to_string().contains("did you mean fedaykin"));
}

fn overrides(value: serde_json::Value) -> Result<Evaluator<'static>, FieldErrors> {
    let theme = Theme::builtin("sietch").unwrap();
    Evaluator::new(theme, &ThresholdOverrides::from_json(&value)?)
}

#[test]
fn an_overridden_threshold_decides_and_is_flagged() {
    let evaluator = overrides(json!({"bgt": {"sihaya": 400}})).unwrap();
    let state = state(None, "410");
    let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(result.tier_id, "sihaya");
    assert!(result.computed.overridden);
    let view = evaluator.thresholds().view(evaluator.theme());
    assert!(view.lines.contains(&"sihaya: BGT >= 400 (overridden)".to_owned()));
    assert!(view.lines.contains(&"mushtamal: BGT >= 690".to_owned()));
}

#[test]
fn ambiguous_or_pointless_overrides_are_refused_with_the_conflict_named() {
    let cases = [
        (json!({"bgt": {"sihaya": 700}}), "bgt.sihaya", Rule::OutOfOrder),
        (json!({"bgt": {"sihaya": 690}}), "bgt.sihaya", Rule::OutOfOrder),
        (json!({"tiers": {"naib": {"maxRank": 10}}}), "tiers.naib", Rule::OverlappingRanks),
        (json!({"tiers": {"naib": {"minRank": 0}}}), "tiers.naib", Rule::Zero),
        (json!({"tiers": {"naib": {"minRank": 9, "maxRank": 3}}}), "tiers.naib", Rule::InvertedRange),
        (json!({"tiers": {"usul": {"minRank": 70}}}), "tiers.usul", Rule::NoEffect),
        (json!({"bgt": {"naib": 10000}}), "bgt.naib", Rule::NoEffect),
        (json!({"bgt": {"sihya": 400}}), "bgt.sihya", Rule::UnknownTier),
    ];
    for (value, path, rule) in cases {
        let errors = overrides(value.clone()).unwrap_err();
        assert!(errors.has(path, rule), "{value}: {errors}");
    }
    let errors = overrides(json!({"tiers": {"usul": {"minRank": 70}}})).unwrap_err();
    assert!(errors.to_string().contains("override bgt.usul instead"), "{errors}");
    let errors = overrides(json!({"bgt": {"sihaya": -1}})).unwrap_err();
    assert!(errors.has("bgt.sihaya", Rule::Negative));
}

#[test]
fn basic_refuses_bgt_overrides() {
    let theme = Theme::builtin("basic").unwrap();
    let errors = Evaluator::new(theme, &ThresholdOverrides::from_json(&json!({"bgt": {"gold": 5}})).unwrap()).unwrap_err();
    assert!(errors.has("bgt.gold", Rule::NoEffect));
}

#[test]
fn raising_the_naib_range_moves_rank_ten_up() {
    let evaluator = overrides(json!({"tiers": {"naib": {"maxRank": 10}, "fedaykin": {"minRank": 11}}})).unwrap();
    let state = state(Some(10), "0");
    let result = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!((result.tier_id.as_str(), result.computed.boundary.as_str(), result.computed.overridden), ("naib", "rank 1-10", true));
}
