//! Properties: monotonic tiers, matrix = individual checks, default overrides change nothing,
//! every suggested fix really flips its decision, exact BGT text round-trips.

use domain::{apply_fix, Access, Assumption, Bgt, Evaluator, Rank, SimState, Theme, ThresholdOverrides};
use proptest::prelude::*;
use serde_json::json;

fn bgt() -> impl Strategy<Value = Bgt> {
    prop_oneof![
        (0u64..20_000).prop_map(Bgt::whole),
        (0u128..20_000_000_000_000_000_000_000).prop_map(Bgt::from_wei),
        prop::sample::select(vec![6.9f64, 69.0, 222.0, 420.0, 690.0, 888.0, 1111.0])
            .prop_flat_map(|t| (Just(t), -2i128..=2))
            .prop_map(|(t, d)| Bgt::from_wei((Bgt::from_float(t).unwrap().wei() as i128 + d) as u128)),
    ]
}

fn state() -> impl Strategy<Value = SimState> {
    (
        prop::option::of(1u32..2_000),
        bgt(),
        0u32..200,
        any::<bool>(),
        (0u32..400, 0u64..20_000, 0u32..800),
        prop::option::of(prop::sample::select(vec!["hajra", "usul", "fedaykin", "naib", "gold", "silver"])),
        any::<bool>(),
    )
        .prop_map(
            |(rank, bgt_balance, engagement_points, verified, (activity_score, conviction_score, tenure_days), highest, water)| {
                let mut state = SimState {
                    rank: rank.and_then(Rank::new),
                    bgt_balance,
                    engagement_points,
                    verified,
                    activity_score,
                    conviction_score,
                    tenure_days,
                    highest_tier: highest.map(str::to_owned),
                    ..SimState::default()
                };
                if water {
                    state.granted_badges.insert("water_sharer".into());
                }
                state
            },
        )
}

fn theme() -> impl Strategy<Value = &'static Theme> {
    prop::sample::select(vec!["sietch", "basic"]).prop_map(|id| Theme::builtin(id).unwrap())
}

fn assumption(theme: &Theme) -> impl Strategy<Value = Option<Assumption>> {
    let tiers: Vec<String> = theme.tiers.iter().map(|t| t.id.clone()).collect();
    let granted: Vec<String> = theme.badges.iter().filter(|b| b.rule == domain::theme::BadgeRule::Granted).map(|b| b.id.clone()).collect();
    prop::option::of((prop::sample::select(tiers), prop::sample::subsequence(granted.clone(), 0..=granted.len())))
        .prop_map(|assumed| assumed.map(|(tier, badges)| Assumption { tier_id: tier, rank: None, badges: badges.into_iter().collect() }))
}

fn tier_index(evaluator: &Evaluator<'_>, state: &SimState) -> usize {
    let id = evaluator.tier(&evaluator.subject(state, None).unwrap()).computed.tier_id;
    evaluator.theme().tier_index(&id).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn more_bgt_never_lowers_the_tier_while_rank_does_not_decide(mut state in state(), a in bgt(), b in bgt()) {
        let evaluator = Evaluator::builtin("sietch").unwrap();
        state.rank = state.rank.filter(|rank| rank.get() >= 70);
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let poorer = SimState { bgt_balance: low, ..state.clone() };
        let richer = SimState { bgt_balance: high, ..state };
        prop_assert!(tier_index(&evaluator, &poorer) <= tier_index(&evaluator, &richer));
    }

    #[test]
    fn a_better_rank_never_lowers_the_tier(theme in theme(), state in state(), a in 1u32..2_000, b in 1u32..2_000) {
        let evaluator = Evaluator::new(theme, &ThresholdOverrides::default()).unwrap();
        let (better, worse) = (a.min(b), a.max(b));
        let unranked = SimState { rank: None, ..state.clone() };
        let worse_state = SimState { rank: Rank::new(worse), ..state.clone() };
        let better_state = SimState { rank: Rank::new(better), ..state };
        prop_assert!(tier_index(&evaluator, &worse_state) <= tier_index(&evaluator, &better_state));
        prop_assert!(tier_index(&evaluator, &unranked) <= tier_index(&evaluator, &worse_state));
    }

    #[test]
    fn the_matrix_agrees_with_individual_checks((theme, assumed) in theme().prop_flat_map(|t| (Just(t), assumption(t))), state in state()) {
        let evaluator = Evaluator::new(theme, &ThresholdOverrides::default()).unwrap();
        let matrix = evaluator.matrix();
        let subject = evaluator.subject(&state, assumed.as_ref()).unwrap();
        let tier = evaluator.tier(&subject).tier_id;
        for channel in &matrix.channels {
            let cell = matrix.channel_cell(&tier, &channel.name).unwrap();
            let check = evaluator.check_channel(&subject, &channel.name).unwrap();
            match cell.access {
                Access::Allowed => prop_assert!(check.allowed),
                Access::Denied => prop_assert!(!check.allowed),
                Access::NeedsBadge => {
                    let badge = channel.required_badge.as_ref().unwrap();
                    let held = evaluator.earned_badges(&subject).contains(badge);
                    prop_assert_eq!(check.allowed, held);
                }
            }
        }
        for feature in &matrix.features {
            let cell = matrix.feature_cell(&tier, feature).unwrap();
            let check = evaluator.check_feature(&subject, feature).unwrap();
            prop_assert_eq!(check.allowed, cell.access == Access::Allowed);
        }
    }

    #[test]
    fn overriding_values_with_their_defaults_changes_nothing(state in state(), mask in 0u32..64) {
        let theme = Theme::builtin("sietch").unwrap();
        let all = [
            json!({"bgt": {"sihaya": "420"}}), json!({"bgt": {"hajra": 6.9}}), json!({"tiers": {"naib": {"minRank": 1, "maxRank": 7}}}),
            json!({"tiers": {"fedaykin": {"maxRank": 69}}}), json!({"engagement": {"engagedMin": 50}}), json!({"engagement": {"rateLimit": 10}}),
        ];
        let mut overrides = ThresholdOverrides::default();
        for (i, value) in all.iter().enumerate() {
            if mask & (1 << i) != 0 {
                overrides = overrides.merged(&ThresholdOverrides::from_json(value).unwrap());
            }
        }
        let plain = Evaluator::new(theme, &ThresholdOverrides::default()).unwrap();
        let same = Evaluator::new(theme, &overrides).unwrap();
        let (a, b) = (plain.subject(&state, None).unwrap(), same.subject(&state, None).unwrap());
        prop_assert_eq!(plain.tier(&a).tier_id, same.tier(&b).tier_id);
        prop_assert_eq!(plain.gate(&a).stage, same.gate(&b).stage);
        prop_assert_eq!(plain.earned_badges(&a), same.earned_badges(&b));
        let flips = domain::what_if(&plain, &same, std::slice::from_ref(&state));
        prop_assert_eq!(flips.population.tier_changed + flips.population.stage_changed, 0);
        prop_assert!(flips.population.access_flips.is_empty() && flips.cell_flips.is_empty());
    }

    #[test]
    fn every_suggested_fix_flips_its_decision((theme, assumed) in theme().prop_flat_map(|t| (Just(t), assumption(t))), state in state()) {
        let evaluator = Evaluator::new(theme, &ThresholdOverrides::default()).unwrap();
        let subject = evaluator.subject(&state, assumed.as_ref()).unwrap();
        for check in evaluator.check_all(&subject).channels.iter().filter(|c| !c.allowed) {
            prop_assert!(!check.suggestions.is_empty() || check.no_state_change_helps, "{}", check.channel);
            for fix in &check.suggestions {
                let (state, assumption) = apply_fix(fix, &state, assumed.as_ref());
                let after = evaluator.check_channel(&evaluator.subject(&state, assumption.as_ref()).unwrap(), &check.channel).unwrap();
                prop_assert!(after.allowed, "{} after {}", check.channel, fix.sentence);
            }
        }
        for check in evaluator.check_all(&subject).features.iter().filter(|c| !c.allowed) {
            for fix in &check.suggestions {
                let (state, assumption) = apply_fix(fix, &state, assumed.as_ref());
                let after = evaluator.check_feature(&evaluator.subject(&state, assumption.as_ref()).unwrap(), &check.feature).unwrap();
                prop_assert!(after.allowed, "{} after {}", check.feature, fix.sentence);
            }
        }
        for badge in evaluator.badges(&subject).badges.iter().filter(|b| !b.earned) {
            for fix in &badge.remedy.as_ref().unwrap().fixes {
                let (state, assumption) = apply_fix(fix, &state, assumed.as_ref());
                let earned = evaluator.earned_badges(&evaluator.subject(&state, assumption.as_ref()).unwrap());
                prop_assert!(earned.contains(&badge.badge_id), "{} after {}", badge.badge_id, fix.sentence);
            }
        }
    }

    #[test]
    fn sietch_channel_fixes_need_at_most_two_state_changes(state in state()) {
        let evaluator = Evaluator::builtin("sietch").unwrap();
        let subject = evaluator.subject(&state, None).unwrap();
        for check in evaluator.check_all(&subject).channels.iter().filter(|c| !c.allowed) {
            for fix in check.suggestions.iter().filter(|f| f.state_only) {
                prop_assert!(fix.changes.len() <= 2, "{}", fix.sentence);
            }
        }
    }

    #[test]
    fn bgt_text_round_trips_exactly(wei in any::<u128>()) {
        let bgt = Bgt::from_wei(wei);
        prop_assert_eq!(Bgt::parse(&bgt.to_string()).unwrap(), bgt);
        let json = serde_json::to_string(&bgt).unwrap();
        prop_assert_eq!(serde_json::from_str::<Bgt>(&json).unwrap(), bgt);
    }

    #[test]
    fn a_stored_state_round_trips_through_json(state in state()) {
        let text = serde_json::to_string(&state).unwrap();
        prop_assert_eq!(serde_json::from_str::<SimState>(&text).unwrap(), state);
    }
}
