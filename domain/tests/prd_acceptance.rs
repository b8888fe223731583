//! PRD section 9.1: the MVP acceptance results, through the same calls every door makes.

use domain::{Assumption, Bgt, CheckRequest, CheckResult, Evaluator, InForce, SimState, StatePatch};
use serde_json::json;

fn sietch() -> Evaluator<'static> {
    Evaluator::builtin("sietch").unwrap()
}

#[test]
fn qa_assumes_fedaykin_and_gets_its_permissions() {
    let evaluator = sietch();
    let state = SimState::default();
    let assumption = Assumption::tier("fedaykin");
    let tier = evaluator.tier(&evaluator.subject(&state, Some(&assumption)).unwrap());
    assert_eq!((tier.tier_id.as_str(), tier.in_force), ("fedaykin", InForce::Assumed));
    assert_eq!(tier.permissions, ["view_all", "vote", "elite_access", "water_share"]);
}

#[test]
fn qa_checks_war_room_with_the_assumed_role() {
    let evaluator = sietch();
    let state = SimState::default();
    let assumption = Assumption::tier("fedaykin");
    let check = evaluator.check_channel(&evaluator.subject(&state, Some(&assumption)).unwrap(), "war-room").unwrap();
    assert!(check.allowed);
    assert_eq!(check.embed.title, "ACCESS GRANTED: #war-room");
    assert_eq!(check.required_tier.as_deref(), Some("fedaykin"));
}

#[test]
fn qa_sets_bgt_five_hundred_and_gets_sihaya_by_four_hundred_twenty() {
    let evaluator = sietch();
    let state = evaluator.apply_patch(&SimState::default(), &StatePatch::from_json(&json!({"bgtBalance": 500})).unwrap()).unwrap();
    let tier = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(tier.computed.tier_id, "sihaya");
    let json = serde_json::to_value(&tier).unwrap();
    assert_eq!(json["computed"]["rule"]["threshold"], "420");
}

#[test]
fn qa_sets_rank_five_and_gets_naib_by_one_to_seven() {
    let evaluator = sietch();
    let state = evaluator.apply_patch(&SimState::default(), &StatePatch::from_json(&json!({"rank": 5})).unwrap()).unwrap();
    let tier = evaluator.tier(&evaluator.subject(&state, None).unwrap());
    assert_eq!(tier.computed.tier_id, "naib");
    assert_eq!(tier.computed.boundary, "rank 1-7");
}

#[test]
fn a_denied_access_shows_the_reason_and_the_top_seven_suggestion() {
    let evaluator = sietch();
    let state = SimState::default();
    let assumption = Assumption::tier("hajra");
    let check = evaluator.check_channel(&evaluator.subject(&state, Some(&assumption)).unwrap(), "council-chamber").unwrap();
    assert!(!check.allowed);
    assert_eq!(check.embed.title, "ACCESS DENIED: #council-chamber");
    assert_eq!(check.required_tier.as_deref(), Some("naib"));
    assert!(check.embed.lines.iter().any(|line| line == "- Reach Naib tier (Top 7 rank required)"));
    let rank_fix = check.suggestions.iter().find(|fix| fix.changes.iter().any(|c| c.sentence == "rank (none) -> at most 7"));
    assert!(rank_fix.is_some(), "{:?}", check.suggestions);
}

#[test]
fn an_agent_checks_war_room_through_the_api_shape() {
    let evaluator = sietch();
    let state =
        evaluator.apply_patch(&SimState::default(), &StatePatch::from_json(&json!({"rank": 42, "bgtBalance": "150"})).unwrap()).unwrap();
    let request: CheckRequest = serde_json::from_value(json!({"type": "channel", "target": "war-room"})).unwrap();
    let result = evaluator.check(&evaluator.subject(&state, None).unwrap(), &request).unwrap();
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(
        (json["type"].as_str(), json["allowed"].as_bool(), json["effectiveTier"].as_str()),
        (Some("channel"), Some(true), Some("fedaykin"))
    );
    assert_eq!(json["blurLevel"], 0.8);
    assert!(matches!(result, CheckResult::Channel(_)));
    assert_eq!(state.bgt_balance, Bgt::whole(150));
}

#[test]
fn check_all_answers_every_channel_and_feature() {
    let evaluator = sietch();
    let state = SimState::with_rank(42);
    let all = evaluator.check_all(&evaluator.subject(&state, None).unwrap());
    assert_eq!((all.channels.len(), all.features.len(), all.badges.badges.len()), (16, 15, 12));
    let allowed: Vec<&str> = all.channels.iter().filter(|c| !c.allowed).map(|c| c.channel.as_str()).collect();
    assert_eq!(allowed, ["council-chamber", "naib-voice", "oasis-lounge"]);
}
