//! Spec sections 2-6: channels, features, the progressive gate, activity, badges and role
//! assumption, table by table.

use domain::{
    AccessRule, ActivityKind, Assumption, AwardRule, Bgt, BlurLevel, CheckError, Evaluator, RankRange, SimState, Stage, Theme,
    ThresholdOverrides,
};
use serde_json::json;
use time::macros::datetime;
use time::Duration;

fn sietch() -> Evaluator<'static> {
    Evaluator::builtin("sietch").unwrap()
}

fn assumed(tier: &str) -> Assumption {
    Assumption::tier(tier)
}

#[test]
fn every_sietch_channel_has_the_spec_requirement() {
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("the-door", "SIETCH SCROLLS", None, None),
        ("desert-laws", "SIETCH SCROLLS", None, None),
        ("census", "SIETCH SCROLLS", None, None),
        ("announcements", "SIETCH SCROLLS", None, None),
        ("council-chamber", "NAIB COUNCIL", Some("naib"), None),
        ("naib-voice", "NAIB COUNCIL", Some("naib"), None),
        ("war-room", "FEDAYKIN QUARTERS", Some("fedaykin"), None),
        ("fedaykin-voice", "FEDAYKIN QUARTERS", Some("fedaykin"), None),
        ("oasis-lounge", "THE OASIS", None, Some("water_sharer")),
        ("sietch-lounge", "COMMON GROUNDS", None, None),
        ("introductions", "COMMON GROUNDS", None, None),
        ("spice-market", "COMMON GROUNDS", None, None),
        ("desert-voice", "COMMON GROUNDS", None, None),
        ("taqwa-waiting", "CAVE ENTRANCE", None, None),
        ("bot-commands", "THE STILLSUIT", None, None),
        ("leaderboard", "THE STILLSUIT", None, None),
    ];
    let evaluator = sietch();
    let state = SimState::default();
    let subject = evaluator.subject(&state, None).unwrap();
    for (channel, category, tier, badge) in cases {
        let check = evaluator.check_channel(&subject, channel).unwrap();
        assert_eq!(check.category, *category, "{channel}");
        assert_eq!(check.required_tier.as_deref(), *tier, "{channel}");
        assert_eq!(check.required_badge.as_deref(), *badge, "{channel}");
    }
    assert_eq!(evaluator.matrix().channels.len(), cases.len());
}

#[test]
fn channel_access_follows_the_tier_order() {
    let cases = [
        ("naib", "council-chamber", true),
        ("fedaykin", "council-chamber", false),
        ("naib", "war-room", true),
        ("fedaykin", "war-room", true),
        ("usul", "war-room", false),
        ("hajra", "the-door", true),
        ("hajra", "war-room", false),
        ("naib", "oasis-lounge", false),
    ];
    let evaluator = sietch();
    let state = SimState::default();
    for (tier, channel, allowed) in cases {
        let assumption = assumed(tier);
        let subject = evaluator.subject(&state, Some(&assumption)).unwrap();
        assert_eq!(evaluator.check_channel(&subject, channel).unwrap().allowed, allowed, "{tier} {channel}");
    }
}

#[test]
fn channel_names_ignore_case_and_a_leading_hash() {
    let evaluator = sietch();
    let state = SimState::with_rank(42);
    let subject = evaluator.subject(&state, None).unwrap();
    for name in ["war-room", "#war-room", "WAR-ROOM", "  #War-Room "] {
        let check = evaluator.check_channel(&subject, name).unwrap();
        assert_eq!((check.channel.as_str(), check.allowed), ("war-room", true), "{name}");
    }
}

#[test]
fn an_unknown_channel_is_an_error_with_near_matches_never_allowed() {
    let evaluator = sietch();
    let state = SimState::with_rank(1);
    let subject = evaluator.subject(&state, None).unwrap();
    match evaluator.check_channel(&subject, "#war-rom").unwrap_err() {
        CheckError::UnknownChannel { near_matches, message, .. } => {
            assert_eq!(near_matches, ["war-room"]);
            assert!(message.contains("did you mean war-room"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_oasis_needs_the_water_sharer_badge_from_state_or_assumption() {
    let evaluator = sietch();
    let mut state = SimState::default();
    let subject = evaluator.subject(&state, None).unwrap();
    let denied = evaluator.check_channel(&subject, "oasis-lounge").unwrap();
    assert_eq!((denied.allowed, denied.decided_by), (false, AccessRule::BadgeMissing));
    assert_eq!(denied.suggestions[0].sentence, "grant badge water_sharer");
    state.granted_badges.insert("water_sharer".into());
    assert!(evaluator.check_channel(&evaluator.subject(&state, None).unwrap(), "oasis-lounge").unwrap().allowed);
    let mut assumption = assumed("hajra");
    assumption.badges.insert("water_sharer".into());
    let plain = SimState::default();
    assert!(evaluator.check_channel(&evaluator.subject(&plain, Some(&assumption)).unwrap(), "oasis-lounge").unwrap().allowed);
}

#[test]
fn blur_is_the_stage_blur_when_allowed_and_one_when_denied() {
    let evaluator = sietch();
    let cases = [
        (SimState { engagement_points: 10, ..SimState::default() }, "the-door", 80),
        (SimState { engagement_points: 50, ..SimState::default() }, "the-door", 30),
        (SimState { verified: true, ..SimState::default() }, "the-door", 0),
        (SimState { verified: true, ..SimState::default() }, "war-room", 100),
    ];
    for (state, channel, percent) in cases {
        let check = evaluator.check_channel(&evaluator.subject(&state, None).unwrap(), channel).unwrap();
        assert_eq!(check.blur_level, BlurLevel::from_percent(percent).unwrap(), "{channel}");
    }
}

#[test]
fn a_denial_lists_the_exact_smallest_changes() {
    let evaluator = sietch();
    let mut state = SimState::with_rank(42);
    state.bgt_balance = Bgt::whole(340);
    let check = evaluator.check_channel(&evaluator.subject(&state, None).unwrap(), "council-chamber").unwrap();
    assert_eq!(check.suggestions[0].sentence, "rank 42 -> at most 7");
    assert_eq!(check.suggestions[0].changes[0].delta.as_deref(), Some("-35"));
    assert!(check.embed.lines.contains(&"- Reach Naib tier (Top 7 rank required)".to_owned()));
    assert!(check.embed.lines.contains(&"- Current rank: 42, need: <=7".to_owned()));

    let theme = Theme::builtin("sietch").unwrap();
    let mut custom = theme.clone();
    custom.categories[4].restriction.tier = Some("sihaya".into());
    let evaluator = Evaluator::new(&custom, &ThresholdOverrides::default()).unwrap();
    let state = SimState::with_bgt(Bgt::whole(340));
    let check = evaluator.check_channel(&evaluator.subject(&state, None).unwrap(), "sietch-lounge").unwrap();
    let sentences: Vec<&str> = check.suggestions.iter().map(|f| f.sentence.as_str()).collect();
    assert!(sentences.contains(&"BGT 340 -> at least 420 (+80)"), "{sentences:?}");
    assert!(check.embed.lines.contains(&"- Current BGT: 340, need: >=420".to_owned()));
}

#[test]
fn features_are_not_inherited() {
    let cases = [
        ("naib", "elite_access", false),
        ("fedaykin", "elite_access", true),
        ("naib", "council_access", true),
        ("naib", "view_premium", false),
        ("usul", "inner_circle", true),
        ("sayyadina", "ceremony_access", true),
        ("mushtamal", "garden_access", true),
        ("sihaya", "vote", true),
        ("qanat", "vote", false),
        ("qanat", "limited_vote", true),
        ("ichwan", "view_basic", true),
        ("hajra", "view_general", true),
        ("hajra", "view_basic", false),
    ];
    let evaluator = sietch();
    let state = SimState::default();
    for (tier, feature, allowed) in cases {
        let assumption = assumed(tier);
        let check = evaluator.check_feature(&evaluator.subject(&state, Some(&assumption)).unwrap(), feature).unwrap();
        assert_eq!(check.allowed, allowed, "{tier} {feature}");
    }
    assert_eq!(evaluator.matrix().features.len(), 15);
}

#[test]
fn a_feature_check_names_the_tiers_that_grant_it() {
    let evaluator = sietch();
    let state = SimState::with_rank(3);
    let check = evaluator.check_feature(&evaluator.subject(&state, None).unwrap(), "elite_access").unwrap();
    assert_eq!(check.granted_by, ["fedaykin"]);
    assert_eq!(check.suggestions[0].sentence, "rank 3 -> between 8 and 69");
    let vote = evaluator.check_feature(&evaluator.subject(&state, None).unwrap(), "vote").unwrap();
    assert_eq!(vote.granted_by, ["naib", "fedaykin", "usul", "sayyadina", "mushtamal", "sihaya"]);
}

#[test]
fn a_feature_no_tier_grants_says_no_state_change_helps() {
    let mut theme = Theme::builtin("sietch").unwrap().clone();
    theme.features.push("time_travel".into());
    let evaluator = Evaluator::new(&theme, &ThresholdOverrides::default()).unwrap();
    let state = SimState::default();
    let check = evaluator.check_feature(&evaluator.subject(&state, None).unwrap(), "time_travel").unwrap();
    assert!(!check.allowed && check.no_state_change_helps && check.suggestions.is_empty());
    assert!(check.note.unwrap().contains("no tier of theme sietch grants time_travel"));
}

#[test]
fn the_gate_stage_comes_from_the_flag_and_engaged_min() {
    let evaluator = sietch();
    let cases = [
        (0, false, Stage::Free, Some(50), 0),
        (20, false, Stage::Free, Some(30), 40),
        (49, false, Stage::Free, Some(1), 98),
        (50, false, Stage::Engaged, None, 100),
        (10, true, Stage::Verified, None, 20),
    ];
    for (points, verified, stage, to_next, percent) in cases {
        let state = SimState { engagement_points: points, verified, ..SimState::default() };
        let gate = evaluator.gate(&evaluator.subject(&state, None).unwrap());
        assert_eq!((gate.stage, gate.points_to_next, gate.progress_percent), (stage, to_next, percent), "{points} {verified}");
    }
}

#[test]
fn raising_engaged_min_moves_an_engaged_member_back_to_free() {
    let theme = Theme::builtin("sietch").unwrap();
    let evaluator = Evaluator::new(theme, &ThresholdOverrides::from_json(&json!({"engagement": {"engagedMin": 75}})).unwrap()).unwrap();
    let state = SimState { engagement_points: 60, ..SimState::default() };
    let gate = evaluator.gate(&evaluator.subject(&state, None).unwrap());
    assert_eq!((gate.stage, gate.points_to_next, gate.engaged_min.overridden), (Stage::Free, Some(15), true));
}

#[test]
fn activity_follows_the_cap_the_repeat_penalty_and_the_return_gap() {
    let evaluator = sietch();
    let start = datetime!(2026-01-19 12:00 UTC);
    let mut state = SimState::default();
    let mut awards = Vec::new();
    for (minutes, kind) in [
        (0, ActivityKind::BadgePreview),
        (1, ActivityKind::BadgePreview),
        (2, ActivityKind::BadgePreview),
        (3, ActivityKind::BadgePreview),
        (4, ActivityKind::CtaClick),
        (5, ActivityKind::ProfileView),
    ] {
        let result = evaluator.record_activity(&state, kind, start + Duration::minutes(minutes)).unwrap();
        awards.push((result.outcome.awarded, result.outcome.rule));
        state = result.state;
    }
    assert_eq!(
        awards,
        [
            (2, AwardRule::Full),
            (2, AwardRule::Full),
            (2, AwardRule::Full),
            (1, AwardRule::RepeatPenalty),
            (3, AwardRule::HourlyCap),
            (0, AwardRule::CapReached)
        ]
    );
    assert_eq!(state.engagement_points, 10);
    let later = evaluator.record_activity(&state, ActivityKind::ReturnVisit, start + Duration::hours(2)).unwrap();
    assert_eq!((later.outcome.awarded, later.outcome.recorded, later.outcome.rule), (0, false, AwardRule::ReturnVisitTooSoon));
    assert_eq!(later.state, state);
    let next_day = evaluator.record_activity(&state, ActivityKind::ReturnVisit, start + Duration::hours(25)).unwrap();
    assert_eq!((next_day.outcome.awarded, next_day.outcome.rule), (8, AwardRule::Full));
    assert!(evaluator.record_activity(&state, ActivityKind::CtaClick, start).is_err());
}

#[test]
fn the_hour_rolls_so_old_actions_stop_counting() {
    let evaluator = sietch();
    let start = datetime!(2026-01-19 12:00 UTC);
    let first = evaluator.record_activity(&SimState::default(), ActivityKind::CtaClick, start).unwrap();
    let second = evaluator.record_activity(&first.state, ActivityKind::CtaClick, start + Duration::minutes(59)).unwrap();
    assert_eq!(second.outcome.awarded, 0);
    let third = evaluator.record_activity(&second.state, ActivityKind::CtaClick, start + Duration::minutes(60)).unwrap();
    assert_eq!(third.outcome.awarded, 10);
}

#[test]
fn every_badge_rule_of_the_spec_holds() {
    let evaluator = sietch();
    let mut state = SimState { tenure_days: 180, activity_score: 50, conviction_score: 10_000, ..SimState::default() };
    state.granted_badges.insert("founding_naib".into());
    state.rank = domain::Rank::new(30);
    let badges = evaluator.badges(&evaluator.subject(&state, None).unwrap());
    assert_eq!(badges.earned, ["og", "veteran", "fedaykin_initiated", "usul_ascended", "first_maker", "desert_active", "founding_naib"]);
    let elder = badges.badges.iter().find(|b| b.badge_id == "elder").unwrap();
    assert_eq!(elder.distance.as_deref(), Some("tenure days 180 -> at least 365 (+185)"));
    let naib = badges.badges.iter().find(|b| b.badge_id == "naib_ascended").unwrap();
    assert_eq!(naib.distance.as_deref(), Some("rank 30 -> at most 7"));
}

#[test]
fn a_naib_earns_every_lower_tier_badge_and_the_highest_tier_counts() {
    let evaluator = sietch();
    let naib = SimState::with_rank(1);
    let earned = evaluator.earned_badges(&evaluator.subject(&naib, None).unwrap());
    assert!(["naib_ascended", "fedaykin_initiated", "usul_ascended"].iter().all(|b| earned.contains(&b.to_string())));
    let former = SimState { highest_tier: Some("usul".into()), ..SimState::default() };
    let earned = evaluator.earned_badges(&evaluator.subject(&former, None).unwrap());
    assert_eq!(earned, ["usul_ascended"]);
}

#[test]
fn basic_theme_channels_badges_and_features() {
    let evaluator = Evaluator::builtin("basic").unwrap();
    let silver = SimState { rank: domain::Rank::new(20), tenure_days: 30, ..SimState::default() };
    let subject = evaluator.subject(&silver, None).unwrap();
    let lounge = evaluator.check_channel(&subject, "gold-lounge").unwrap();
    assert!(!lounge.allowed);
    assert_eq!(lounge.suggestions[0].sentence, "rank 20 -> at most 10");
    assert!(evaluator.check_channel(&subject, "general-chat").unwrap().allowed);
    assert!(!evaluator.check_feature(&subject, "early_access").unwrap().allowed);
    assert_eq!(evaluator.earned_badges(&subject), ["early_adopter"]);
    let gold = SimState::with_rank(10);
    assert_eq!(evaluator.earned_badges(&evaluator.subject(&gold, None).unwrap()), ["top_tier"]);
    let theme = Theme::builtin("basic").unwrap();
    assert_eq!(
        theme.tiers.iter().map(|t| t.assignment.clone()).collect::<Vec<_>>(),
        [
            domain::theme::Assignment::Rank(RankRange::from(51)),
            domain::theme::Assignment::Rank(RankRange::new(11, 50)),
            domain::theme::Assignment::Rank(RankRange::new(1, 10)),
        ]
    );
}
