//! The permission matrix, what-if comparisons and boundary personas.

use domain::{what_if, Access, BoundaryStep, Evaluator, PopulationSpec, Position, Stage, Theme, ThresholdOverrides};
use serde_json::json;

fn with(overrides: serde_json::Value) -> Evaluator<'static> {
    Evaluator::new(Theme::builtin("sietch").unwrap(), &ThresholdOverrides::from_json(&overrides).unwrap()).unwrap()
}

#[test]
fn the_sietch_matrix_has_every_tier_channel_and_feature() {
    let matrix = Evaluator::builtin("sietch").unwrap().matrix();
    assert_eq!((matrix.tiers.len(), matrix.channels.len(), matrix.features.len()), (9, 16, 15));
    assert_eq!(matrix.tiers[0].id, "naib");
    let cell = |tier: &str, channel: &str| matrix.channel_cell(tier, channel).unwrap().access;
    assert_eq!(cell("naib", "council-chamber"), Access::Allowed);
    assert_eq!(cell("fedaykin", "council-chamber"), Access::Denied);
    assert_eq!(cell("naib", "war-room"), Access::Allowed);
    assert_eq!(cell("hajra", "oasis-lounge"), Access::NeedsBadge);
    assert_eq!(matrix.channel_cell("naib", "oasis-lounge").unwrap().badge.as_deref(), Some("water_sharer"));
    assert_eq!(matrix.feature_cell("naib", "elite_access").unwrap().access, Access::Denied);
    assert!(matrix.feature_cell("naib", "elite_access").unwrap().explanation.contains("nothing is inherited"));
}

#[test]
fn raising_engaged_min_moves_engaged_members_back_to_free() {
    let theme = Theme::builtin("sietch").unwrap();
    let members = PopulationSpec { size: 50_000, seed: 7, ..PopulationSpec::default() }.generate(theme);
    let report = what_if(&with(json!({})), &with(json!({"engagement": {"engagedMin": 75}})), &members);
    let expected = members.iter().filter(|m| !m.verified && (50..75).contains(&m.engagement_points)).count();
    assert_eq!(report.population.stage_changed, expected);
    assert_eq!(report.population.stage_moves.len(), 1);
    assert_eq!((report.population.stage_moves[0].from.as_str(), report.population.stage_moves[0].to.as_str()), ("engaged", "free"));
    assert_eq!(report.population.tier_changed, 0);
    let line = format!("Raising ENGAGED_MIN from 50 to 75 moves {} of 50,000 members from engaged to free", thousands(expected));
    assert!(report.summary.contains(&line), "{:?}", report.summary);
    assert!(report.cell_flips.is_empty());
}

#[test]
fn lowering_a_bgt_threshold_moves_members_up_and_grants_its_features() {
    let theme = Theme::builtin("sietch").unwrap();
    let members = PopulationSpec { size: 20_000, seed: 11, ..PopulationSpec::default() }.generate(theme);
    let report = what_if(&with(json!({})), &with(json!({"bgt": {"sihaya": 300}})), &members);
    assert!(report.population.tier_moves.iter().all(|m| (m.from.as_str(), m.to.as_str()) == ("qanat", "sihaya")));
    assert!(report.population.tier_changed > 0);
    let vote = report.population.access_flips.iter().find(|f| f.target == "vote").unwrap();
    assert_eq!((vote.gained, vote.lost), (report.population.tier_changed, 0));
    assert_eq!(report.threshold_changes[0].name, "sihaya");
}

#[test]
fn two_themes_flip_the_cells_that_differ_in_both_directions() {
    let sietch = Theme::builtin("sietch").unwrap();
    let mut changed = sietch.clone();
    changed.categories[2].restriction.tier = Some("naib".into());
    changed.categories[0].restriction.tier = Some("ichwan".into());
    let before = Evaluator::new(sietch, &ThresholdOverrides::default()).unwrap();
    let after = Evaluator::new(&changed, &ThresholdOverrides::default()).unwrap();
    let report = what_if(&before, &after, &[]);
    let flip = report.cell_flips.iter().find(|f| f.tier == "fedaykin" && f.target == "war-room").unwrap();
    assert_eq!((flip.before, flip.after), (Access::Allowed, Access::Denied));
    assert!(report.cell_flips.iter().any(|f| f.tier == "hajra" && f.target == "the-door"));
    assert_eq!(report.cell_flips.len(), 2 + 4, "fedaykin loses both of its channels, hajra the four scrolls");
}

#[test]
fn boundary_personas_sit_one_wei_around_each_threshold() {
    let evaluator = Evaluator::builtin("sietch").unwrap();
    let personas = evaluator.boundary_personas(BoundaryStep::Wei);
    let find = |id: &str| personas.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id}"));
    let below = find("bgt-sihaya-below");
    assert_eq!((below.state.bgt_balance.to_string().as_str(), below.expected.tier.as_str()), ("419.999999999999999999", "qanat"));
    assert_eq!(find("bgt-sihaya-at").expected.tier, "sihaya");
    assert_eq!(find("bgt-sihaya-above").state.bgt_balance.to_string(), "420.000000000000000001");
    let hajra = find("bgt-hajra-below");
    assert_eq!((hajra.expected.tier.as_str(), hajra.expected.below_minimum), ("hajra", true));
    assert_eq!(find("rank-naib-max-above").expected.tier, "fedaykin");
    assert_eq!(find("rank-naib-max-at").position, Position::At);
    assert_eq!(find("rank-fedaykin-max-above").expected.tier, "hajra");
    assert_eq!(find("engaged-min-at").expected.stage, Stage::Engaged);
    assert_eq!(find("badge-og-below").expected.badges, ["veteran"]);
    assert_eq!(find("badge-og-at").expected.badges, ["og", "veteran"]);
    let text = serde_json::to_string(&personas).unwrap();
    let back: Vec<domain::BoundaryPersona> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, personas);
}

#[test]
fn boundary_personas_can_step_at_the_value_scale() {
    let evaluator = Evaluator::builtin("sietch").unwrap();
    let personas = evaluator.boundary_personas(BoundaryStep::ValueScale);
    let bgt = |id: &str| personas.iter().find(|p| p.id == id).unwrap().state.bgt_balance.to_string();
    assert_eq!((bgt("bgt-hajra-below"), bgt("bgt-hajra-above")), ("6.8".to_owned(), "7".to_owned()));
    assert_eq!((bgt("bgt-sihaya-below"), bgt("bgt-sihaya-above")), ("419".to_owned(), "421".to_owned()));
}

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
