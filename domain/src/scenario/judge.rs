//! Judging one expectation: ask the engine the question the expectation names, pick the same
//! fields from its answer, compare, and keep the engine's explanation for the report.

use serde_json::Value;

use super::env::{RunEnv, Sim};
use super::judge_text::{judge_check, judge_explanation, judge_matrix};
use super::model::{Expectation, Fields};
use super::report::{AssertionReport, GoldenUpdate};
use crate::eval::TierRule;

/// The result of one expectation at the simulation's current point.
pub(crate) fn judge(
    sim: &Sim<'_>,
    path: &str,
    expectation: &Expectation,
    env: &RunEnv<'_, '_>,
    updates: &mut Vec<GoldenUpdate>,
) -> AssertionReport {
    let ev = &sim.ev;
    // Assumptions are checked when the file is read, so the subject always resolves.
    let subject = ev.subject_unchecked(&sim.state, sim.assumption.as_ref());
    let mut report = AssertionReport {
        path: path.to_owned(),
        kind: expectation.kind().to_owned(),
        description: describe(expectation),
        passed: false,
        expected: Value::Null,
        actual: Value::Null,
        explanation: String::new(),
        updated: false,
    };
    match expectation {
        Expectation::Tier(fields) => {
            let tier = ev.tier(&subject);
            let actual = pick(fields, |name| match name {
                "is" => Value::from(tier.tier_id.as_str()),
                "computed" => Value::from(tier.computed.tier_id.as_str()),
                "assumed" => tier.assumed.as_ref().map_or(Value::Null, |a| Value::from(a.tier_id.as_str())),
                "inForce" => serde_json::to_value(tier.in_force).unwrap_or_default(),
                "rule" => Value::from(rule_name(&tier.computed.rule)),
                "boundary" => Value::from(tier.computed.boundary.as_str()),
                "threshold" => match &tier.computed.rule {
                    TierRule::Bgt { threshold } => Value::from(threshold.to_string()),
                    TierRule::BelowMinimum { minimum } => Value::from(minimum.to_string()),
                    _ => Value::Null,
                },
                "range" => match &tier.computed.rule {
                    TierRule::Rank { min_rank, max_rank } => {
                        Value::from(crate::rank::RankRange { min_rank: *min_rank, max_rank: *max_rank }.to_string())
                    }
                    _ => Value::Null,
                },
                "belowMinimum" => Value::from(tier.computed.below_minimum),
                "overridden" => Value::from(tier.computed.overridden),
                _ => tier.next_tier.as_ref().map_or(Value::Null, |next| Value::from(next.tier_id.as_str())),
            });
            compare(&mut report, fields, actual, tier.explanation);
        }
        Expectation::Permissions(expected) => {
            let tier = &sim.theme.tiers[subject.tier()];
            let mut actual = tier.permissions.clone();
            actual.sort();
            report.passed = *expected == actual;
            report.expected = Value::from(expected.clone());
            report.actual = Value::from(actual);
            report.explanation = format!(
                "{} (the tier in force) has exactly the permissions {}; nothing is inherited",
                tier.name,
                tier.permissions.join(", ")
            );
        }
        Expectation::Access { channel, fields } => match ev.check_channel(&subject, channel) {
            Ok(check) => {
                let actual = pick(fields, |name| match name {
                    "allowed" => Value::from(check.allowed),
                    "requiredTier" => check.required_tier.as_deref().map_or(Value::Null, Value::from),
                    "requiredBadge" => check.required_badge.as_deref().map_or(Value::Null, Value::from),
                    "source" => serde_json::to_value(check.requirement_source).unwrap_or_default(),
                    "decidedBy" => serde_json::to_value(check.decided_by).unwrap_or_default(),
                    "blur" => serde_json::to_value(check.blur_level).unwrap_or_default(),
                    "effectiveTier" => Value::from(check.effective_tier.as_str()),
                    "stage" => Value::from(check.stage.id()),
                    _ => Value::from(check.no_state_change_helps),
                });
                let explanation = with_fixes(&check.explanation, check.suggestions.iter().map(|fix| fix.sentence.as_str()));
                compare(&mut report, fields, actual, explanation);
            }
            Err(error) => report.explanation = error.to_string(),
        },
        Expectation::Feature { feature, fields } => match ev.check_feature(&subject, feature) {
            Ok(check) => {
                let actual = pick(fields, |name| match name {
                    "allowed" => Value::from(check.allowed),
                    "grantedBy" => {
                        let mut tiers = check.granted_by.clone();
                        tiers.sort();
                        Value::from(tiers)
                    }
                    "effectiveTier" => Value::from(check.effective_tier.as_str()),
                    _ => Value::from(check.no_state_change_helps),
                });
                let explanation = with_fixes(&check.explanation, check.suggestions.iter().map(|fix| fix.sentence.as_str()));
                compare(&mut report, fields, actual, explanation);
            }
            Err(error) => report.explanation = error.to_string(),
        },
        Expectation::Blur { channel, level } => {
            let (actual, explanation) = match channel {
                Some(channel) => match ev.check_channel(&subject, channel) {
                    Ok(check) => {
                        (check.blur_level, format!("{} Blur is 1.0 when denied, else the stage's ({}).", check.explanation, check.stage))
                    }
                    Err(error) => (crate::stage::BlurLevel::HIDDEN, error.to_string()),
                },
                None => {
                    let gate = ev.gate(&subject);
                    (gate.blur_level, format!("stage {}: {}", gate.stage, gate.reason))
                }
            };
            report.passed = actual == *level;
            report.expected = serde_json::to_value(level).unwrap_or_default();
            report.actual = serde_json::to_value(actual).unwrap_or_default();
            report.explanation = explanation;
        }
        Expectation::Stage(fields) => {
            let gate = ev.gate(&subject);
            let actual = pick(fields, |name| match name {
                "is" => Value::from(gate.stage.id()),
                "points" => Value::from(gate.engagement_points),
                "pointsToNext" => gate.points_to_next.map_or(Value::Null, Value::from),
                "progress" => Value::from(gate.progress_percent),
                "engagedMin" => Value::from(gate.engaged_min.value),
                "verified" => Value::from(gate.verified),
                _ => serde_json::to_value(gate.blur_level).unwrap_or_default(),
            });
            let explanation = match &gate.next_step {
                Some(next) => format!("{}; {next}", gate.reason),
                None => gate.reason.clone(),
            };
            compare(&mut report, fields, actual, explanation);
        }
        Expectation::Badges { earned, not_earned, exactly } => {
            let result = ev.badges(&subject);
            let held = |id: &String| result.earned.contains(id);
            report.passed = earned.iter().all(held)
                && !not_earned.iter().any(held)
                && exactly.as_ref().is_none_or(|ids| {
                    let mut actual = result.earned.clone();
                    actual.sort();
                    *ids == actual
                });
            let mut expected = serde_json::Map::new();
            for (key, ids) in [("earned", Some(earned)), ("notEarned", Some(not_earned)), ("exactly", exactly.as_ref())] {
                if let Some(ids) = ids.filter(|ids| key == "exactly" || !ids.is_empty()) {
                    expected.insert(key.to_owned(), Value::from(ids.clone()));
                }
            }
            let mut actual = result.earned.clone();
            actual.sort();
            report.expected = Value::Object(expected);
            report.actual = serde_json::json!({ "earned": actual });
            let named: Vec<&String> = earned.iter().chain(not_earned).chain(exactly.iter().flatten()).collect();
            let reasons: Vec<String> = result
                .badges
                .iter()
                .filter(|b| named.is_empty() || named.contains(&&b.badge_id))
                .map(|b| format!("{}: {}", b.badge_id, b.reason))
                .collect();
            report.explanation = reasons.join("; ");
        }
        Expectation::Awarded(fields) => match &sim.last_activity {
            Some(last) => {
                let outcome = &last.outcome;
                let actual = pick(fields, |name| match name {
                    "points" => Value::from(outcome.awarded),
                    "total" => Value::from(last.total),
                    "rule" => serde_json::to_value(outcome.rule).unwrap_or_default(),
                    "recorded" => Value::from(outcome.recorded),
                    "pointsInHour" => Value::from(outcome.points_in_hour),
                    "capRemaining" => Value::from(outcome.cap_remaining),
                    _ => Value::from(outcome.engagement_points),
                });
                compare(&mut report, fields, actual, outcome.reason.clone());
            }
            None => {
                report.expected = Value::Object(fields.clone().into_iter().collect());
                report.explanation = "no activity was recorded before this assertion; add an activity step".to_owned();
            }
        },
        Expectation::Explanation { topic, mentions, suggests, no_state_change_helps } => {
            judge_explanation(&mut report, ev, &subject, topic, mentions, suggests, *no_state_change_helps);
        }
        Expectation::Matrix { golden, part } => judge_matrix(&mut report, ev, golden, *part, env, updates),
        Expectation::Check { request, contains } => judge_check(&mut report, ev, &subject, request, contains),
    }
    report
}

/// The actual values of the expected fields.
fn pick(fields: &Fields, value: impl Fn(&str) -> Value) -> Fields {
    fields.keys().map(|name| (name.clone(), value(name))).collect()
}

fn compare(report: &mut AssertionReport, expected: &Fields, actual: Fields, explanation: String) {
    report.passed = *expected == actual;
    report.expected = Value::Object(expected.clone().into_iter().collect());
    report.actual = Value::Object(actual.into_iter().collect());
    report.explanation = explanation;
}

/// The explanation followed by the suggested fixes.
fn with_fixes<'a>(explanation: &str, fixes: impl Iterator<Item = &'a str>) -> String {
    let fixes: Vec<&str> = fixes.collect();
    if fixes.is_empty() {
        explanation.to_owned()
    } else {
        format!("{explanation} Smallest changes: {}.", fixes.join("; or "))
    }
}

fn rule_name(rule: &TierRule) -> &'static str {
    match rule {
        TierRule::Rank { .. } => "rank",
        TierRule::Bgt { .. } => "bgt",
        TierRule::BelowMinimum { .. } => "belowMinimum",
        TierRule::NoRank => "noRank",
        TierRule::RankOutsideRanges => "rankOutsideRanges",
    }
}

/// "access #war-room: allowed true, requiredTier fedaykin".
pub(crate) fn describe(expectation: &Expectation) -> String {
    let fields = |fields: &Fields| fields.iter().map(|(name, value)| format!("{name} {}", show(value))).collect::<Vec<_>>().join(", ");
    match expectation {
        Expectation::Tier(f) => format!("tier: {}", fields(f)),
        Expectation::Permissions(ids) => format!("permissions: exactly {}", ids.join(", ")),
        Expectation::Access { channel, fields: f } => format!("access #{}: {}", channel.trim_start_matches('#'), fields(f)),
        Expectation::Feature { feature, fields: f } => format!("feature {feature}: {}", fields(f)),
        Expectation::Blur { channel: Some(channel), level } => format!("blur of #{}: {level}", channel.trim_start_matches('#')),
        Expectation::Blur { channel: None, level } => format!("blur of the stage: {level}"),
        Expectation::Stage(f) => format!("stage: {}", fields(f)),
        Expectation::Badges { earned, not_earned, exactly } => {
            let mut parts = Vec::new();
            if !earned.is_empty() {
                parts.push(format!("earned {}", earned.join(", ")));
            }
            if !not_earned.is_empty() {
                parts.push(format!("not earned {}", not_earned.join(", ")));
            }
            if let Some(ids) = exactly {
                parts.push(format!("exactly [{}]", ids.join(", ")));
            }
            format!("badges: {}", parts.join("; "))
        }
        Expectation::Explanation { topic, mentions, suggests, no_state_change_helps } => {
            let mut parts: Vec<String> = mentions.iter().map(|m| format!("mentions {m:?}")).collect();
            parts.extend(suggests.iter().map(|s| format!("suggests {s:?}")));
            parts.extend(no_state_change_helps.map(|flag| format!("noStateChangeHelps {flag}")));
            format!("explanation of {}: {}", super::judge_text::topic_name(topic), parts.join(", "))
        }
        Expectation::Matrix { golden, .. } => format!("matrix equals {golden}"),
        Expectation::Check { request, contains } => {
            format!("check {}: contains {contains}", serde_json::to_string(request).unwrap_or_default())
        }
        Expectation::Awarded(f) => format!("awarded: {}", fields(f)),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "none".to_owned(),
        Value::Array(items) => format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}
