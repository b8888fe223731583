//! Judging the expectations about text and whole answers: what an explanation mentions and
//! which fixes it suggests, whether a check's JSON answer contains given values, and whether the
//! permission matrix equals its golden file (or, in update mode, what the golden file becomes).

use serde_json::{Map, Value};

use super::env::RunEnv;
use super::model::{MatrixPart, Topic};
use super::report::{AssertionReport, GoldenUpdate};
use crate::eval::{CheckRequest, Evaluator, Subject};
use crate::explain::Fix;

/// At most this many differing places are listed for a golden file.
const MAX_DIFFERENCES: usize = 20;

/// "#war-room", "feature vote", "badge og", "the tier".
pub(crate) fn topic_name(topic: &Topic) -> String {
    match topic {
        Topic::Channel(name) => format!("#{}", name.trim_start_matches('#')),
        Topic::Feature(id) => format!("feature {id}"),
        Topic::Badge(id) => format!("badge {id}"),
        Topic::Tier => "the tier".to_owned(),
    }
}

/// The texts of an answer, its suggested fixes and whether no state change helps.
struct Explained {
    main: String,
    texts: Vec<String>,
    fixes: Vec<String>,
    no_state_change_helps: bool,
}

fn explained(ev: &Evaluator<'_>, subject: &Subject<'_>, topic: &Topic) -> Result<Explained, String> {
    let sentences = |fixes: &[Fix]| -> Vec<String> {
        fixes.iter().flat_map(|fix| std::iter::once(fix.sentence.clone()).chain(fix.changes.iter().map(|c| c.sentence.clone()))).collect()
    };
    Ok(match topic {
        Topic::Channel(name) => {
            let check = ev.check_channel(subject, name).map_err(|e| e.to_string())?;
            let mut texts = vec![check.reason.clone(), check.embed.title.clone()];
            texts.extend(check.note.clone());
            texts.extend(check.embed.lines.iter().cloned());
            Explained {
                main: check.explanation,
                texts,
                fixes: sentences(&check.suggestions),
                no_state_change_helps: check.no_state_change_helps,
            }
        }
        Topic::Feature(id) => {
            let check = ev.check_feature(subject, id).map_err(|e| e.to_string())?;
            let mut texts = vec![check.reason.clone(), check.embed.title.clone()];
            texts.extend(check.note.clone());
            texts.extend(check.embed.lines.iter().cloned());
            Explained {
                main: check.explanation,
                texts,
                fixes: sentences(&check.suggestions),
                no_state_change_helps: check.no_state_change_helps,
            }
        }
        Topic::Badge(id) => {
            let badges = ev.badges(subject);
            let status = badges.badges.into_iter().find(|b| b.badge_id == *id).ok_or_else(|| format!("no badge {id}"))?;
            let remedy = status.remedy.unwrap_or_default();
            let mut texts = vec![status.rule];
            texts.extend(remedy.note.clone());
            texts.extend(status.distance);
            Explained {
                main: status.reason,
                texts,
                fixes: sentences(&remedy.fixes),
                no_state_change_helps: !status.earned && remedy.no_state_change_helps,
            }
        }
        Topic::Tier => {
            let tier = ev.tier(subject);
            let mut texts = tier.lines.clone();
            texts.push(tier.computed.reason.clone());
            let (fixes, helps) = match &tier.next_tier {
                Some(next) => {
                    texts.extend(next.remedy.note.clone());
                    texts.push(format!("next tier {} ({})", next.tier_id, next.boundary));
                    (sentences(&next.remedy.fixes), next.remedy.no_state_change_helps)
                }
                None => (Vec::new(), false),
            };
            Explained { main: tier.explanation, texts, fixes, no_state_change_helps: helps }
        }
    })
}

pub(crate) fn judge_explanation(
    report: &mut AssertionReport,
    ev: &Evaluator<'_>,
    subject: &Subject<'_>,
    topic: &Topic,
    mentions: &[String],
    suggests: &[String],
    no_state_change_helps: Option<bool>,
) {
    let mut expected = Map::new();
    if !mentions.is_empty() {
        expected.insert("mentions".to_owned(), Value::from(mentions.to_vec()));
    }
    if !suggests.is_empty() {
        expected.insert("suggests".to_owned(), Value::from(suggests.to_vec()));
    }
    if let Some(flag) = no_state_change_helps {
        expected.insert("noStateChangeHelps".to_owned(), Value::from(flag));
    }
    report.expected = Value::Object(expected);
    let answer = match explained(ev, subject, topic) {
        Ok(answer) => answer,
        Err(message) => {
            report.explanation = message;
            return;
        }
    };
    let haystack =
        std::iter::once(&answer.main).chain(&answer.texts).chain(&answer.fixes).map(|t| t.to_lowercase()).collect::<Vec<_>>().join("\n");
    let fixes: Vec<String> = answer.fixes.iter().map(|f| f.to_lowercase()).collect();
    let mentioned = mentions.iter().all(|text| haystack.contains(&text.to_lowercase()));
    let suggested = suggests.iter().all(|text| fixes.iter().any(|fix| fix.contains(&text.to_lowercase())));
    let helps = no_state_change_helps.is_none_or(|flag| flag == answer.no_state_change_helps);
    report.passed = mentioned && suggested && helps;
    let mut fix_sentences: Vec<String> = Vec::new();
    for fix in answer.fixes {
        if !fix_sentences.contains(&fix) {
            fix_sentences.push(fix);
        }
    }
    report.actual = serde_json::json!({
        "explanation": answer.main,
        "suggestions": fix_sentences,
        "noStateChangeHelps": answer.no_state_change_helps,
    });
    report.explanation = answer.texts.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" | ");
}

pub(crate) fn judge_check(
    report: &mut AssertionReport,
    ev: &Evaluator<'_>,
    subject: &Subject<'_>,
    request: &CheckRequest,
    contains: &Value,
) {
    report.expected = contains.clone();
    let answer = match ev.check(subject, request) {
        Ok(result) => serde_json::to_value(result).unwrap_or_default(),
        Err(error) => {
            report.explanation = error.to_string();
            return;
        }
    };
    report.passed = contained(contains, &answer);
    report.actual = project(contains, &answer);
    report.explanation = ["explanation", "reason"]
        .iter()
        .find_map(|key| answer.get(*key).and_then(Value::as_str))
        .or_else(|| answer.pointer("/tier/explanation").and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
}

/// Whether `actual` holds everything `expected` says: maps by key, lists element by element in
/// any order, numbers by value.
fn contained(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(key, value)| have.get(key).is_some_and(|got| contained(value, got)))
        }
        (Value::Array(want), Value::Array(have)) => want.iter().all(|value| have.iter().any(|got| contained(value, got))),
        (Value::Number(want), Value::Number(have)) => want.as_f64() == have.as_f64(),
        (want, have) => want == have,
    }
}

/// The parts of `actual` that `expected` asks about, for the report.
fn project(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => Value::Object(
            want.iter().map(|(key, value)| (key.clone(), have.get(key).map_or(Value::Null, |got| project(value, got)))).collect(),
        ),
        (_, have) => have.clone(),
    }
}

pub(crate) fn judge_matrix(
    report: &mut AssertionReport,
    ev: &Evaluator<'_>,
    golden: &str,
    part: MatrixPart,
    env: &RunEnv<'_, '_>,
    updates: &mut Vec<GoldenUpdate>,
) {
    let matrix = serde_json::to_value(ev.matrix()).unwrap_or_default();
    let actual = match part {
        MatrixPart::All => matrix,
        MatrixPart::Channels => keep(&matrix, &["themeId", "tiers", "channels", "channelCells"]),
        MatrixPart::Features => keep(&matrix, &["themeId", "tiers", "features", "featureCells"]),
    };
    report.expected = serde_json::json!({ "golden": golden });
    let stored = (env.golden)(golden);
    let parsed = stored.as_deref().map(serde_json::from_str::<Value>);
    let differences = match &parsed {
        Some(Ok(expected)) => differences(expected, &actual),
        _ => Vec::new(),
    };
    let matches = matches!(parsed, Some(Ok(_))) && differences.is_empty();
    if env.update_golden && !matches {
        let mut contents = serde_json::to_string_pretty(&actual).unwrap_or_default();
        contents.push('\n');
        updates.push(GoldenUpdate { path: golden.to_owned(), contents });
        report.passed = true;
        report.updated = true;
        report.actual = report.expected.clone();
        report.explanation = format!("golden file {golden} written from the engine's matrix");
        return;
    }
    report.passed = matches;
    match parsed {
        None => report.explanation = format!("golden file {golden} does not exist; run with --update-golden to write it"),
        Some(Err(error)) => report.explanation = format!("golden file {golden} is not valid JSON: {error}"),
        Some(Ok(_)) if matches => report.explanation = format!("the matrix of theme {} equals {golden}", ev.theme().id),
        Some(Ok(_)) => {
            let expected: Map<String, Value> = differences.iter().map(|(at, want, _)| (at.clone(), want.clone())).collect();
            let actual: Map<String, Value> = differences.iter().map(|(at, _, have)| (at.clone(), have.clone())).collect();
            report.expected = serde_json::json!({ "golden": golden, "differences": expected });
            report.actual = serde_json::json!({ "golden": golden, "differences": actual });
            let first = differences.first().map(|(at, _, _)| at.as_str()).unwrap_or_default();
            report.explanation = format!(
                "the matrix differs from {golden} in {} place(s), first at {first}; run with --update-golden if the change is intended",
                differences.len()
            );
        }
    }
}

fn keep(value: &Value, keys: &[&str]) -> Value {
    Value::Object(keys.iter().filter_map(|key| value.get(*key).map(|v| ((*key).to_owned(), v.clone()))).collect())
}

/// Places where two JSON values differ, as (JSON pointer, expected, actual).
fn differences(expected: &Value, actual: &Value) -> Vec<(String, Value, Value)> {
    let mut found = Vec::new();
    diff("", expected, actual, &mut found);
    found
}

fn diff(at: &str, expected: &Value, actual: &Value, found: &mut Vec<(String, Value, Value)>) {
    if found.len() >= MAX_DIFFERENCES || expected == actual {
        return;
    }
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for key in want.keys().chain(have.keys().filter(|key| !want.contains_key(*key))) {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                diff(&format!("{at}/{escaped}"), want.get(key).unwrap_or(&Value::Null), have.get(key).unwrap_or(&Value::Null), found);
            }
        }
        (Value::Array(want), Value::Array(have)) if want.len() == have.len() => {
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                diff(&format!("{at}/{i}"), w, h, found);
            }
        }
        _ => found.push((if at.is_empty() { "/".to_owned() } else { at.to_owned() }, expected.clone(), actual.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containment_ignores_extra_fields_and_list_order() {
        let answer = json!({"allowed": true, "effectiveTier": "fedaykin", "blurLevel": 0.8, "grantedBy": ["naib", "fedaykin"]});
        assert!(contained(&json!({"allowed": true, "effectiveTier": "fedaykin"}), &answer));
        assert!(contained(&json!({"grantedBy": ["fedaykin"], "blurLevel": 0.8}), &answer));
        assert!(!contained(&json!({"allowed": false}), &answer));
        assert!(!contained(&json!({"missing": null}), &answer));
    }

    #[test]
    fn differences_point_at_the_changed_cell() {
        let golden = json!({"cells": [[{"access": "allowed"}, {"access": "denied"}]]});
        let now = json!({"cells": [[{"access": "allowed"}, {"access": "allowed"}]]});
        let found = differences(&golden, &now);
        assert_eq!(found, vec![("/cells/0/1/access".to_owned(), json!("denied"), json!("allowed"))]);
    }
}
