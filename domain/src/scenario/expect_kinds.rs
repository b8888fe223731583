//! Reading the expectations that are more than a target and fields: blur, badges, what an
//! explanation says, golden matrices, and check requests with the JSON their answer contains.

use serde_json::{Map, Value};

use super::error::ErrorKind;
use super::model::{Expectation, MatrixPart, Topic};
use super::read::{join, Reader};
use crate::eval::CheckRequest;

/// Keys of `badges`.
pub(crate) const BADGES_KEYS: [&str; 3] = ["earned", "notEarned", "exactly"];
/// Keys of `explanation`.
pub(crate) const EXPLANATION_KEYS: [&str; 7] = ["channel", "feature", "badge", "tier", "mentions", "suggests", "noStateChangeHelps"];
/// Keys of `matrix`.
pub(crate) const MATRIX_KEYS: [&str; 2] = ["golden", "part"];
/// Keys of `check`.
pub(crate) const CHECK_KEYS: [&str; 3] = ["type", "target", "contains"];
/// Keys of `blur`.
pub(crate) const BLUR_KEYS: [&str; 2] = ["level", "channel"];

pub(crate) fn read_blur(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Expectation> {
    let Value::Object(map) = value else {
        return r.blur(path, value).map(|level| Expectation::Blur { channel: None, level });
    };
    r.known_keys(path, map, &BLUR_KEYS);
    let channel = match map.get("channel") {
        Some(channel) => Some(r.channel(&join(path, "channel"), channel)?),
        None => None,
    };
    let level = target_value(r, path, map, "level")?;
    let level = r.blur(&join(path, "level"), level)?;
    Some(Expectation::Blur { channel, level })
}

fn target_value<'v>(r: &mut Reader<'_>, path: &str, map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    let value = map.get(key);
    if value.is_none() {
        r.error(&join(path, key), ErrorKind::Missing, format!("{key} is required"));
    }
    value
}

pub(crate) fn read_badges(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Expectation> {
    let map = r.map(path, value, "badges (with earned, notEarned or exactly)")?;
    r.known_keys(path, map, &BADGES_KEYS);
    let mut list = |key: &str| map.get(key).map(|v| r.ids(&join(path, key), v, Reader::badge));
    let earned = list("earned");
    let not_earned = list("notEarned");
    let exactly = list("exactly");
    if earned.is_none() && not_earned.is_none() && exactly.is_none() {
        r.error(path, ErrorKind::Missing, "say what to expect: one or more of earned, notEarned, exactly");
        return None;
    }
    let sorted = |ids: Vec<String>| {
        let mut ids = ids;
        ids.sort();
        ids
    };
    Some(Expectation::Badges {
        earned: earned.unwrap_or(Some(Vec::new())).map(sorted)?,
        not_earned: not_earned.unwrap_or(Some(Vec::new())).map(sorted)?,
        exactly: match exactly {
            Some(ids) => Some(sorted(ids?)),
            None => None,
        },
    })
}

pub(crate) fn read_explanation(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Expectation> {
    let map = r.map(path, value, "explanation")?;
    r.known_keys(path, map, &EXPLANATION_KEYS);
    let targets: Vec<&str> = ["channel", "feature", "badge", "tier"].into_iter().filter(|key| map.contains_key(*key)).collect();
    if targets.len() != 1 {
        r.error(path, ErrorKind::Missing, "name exactly one answer to explain: channel, feature, badge, or tier: next");
        return None;
    }
    let key = targets[0];
    let key_path = join(path, key);
    let topic = match key {
        "channel" => Topic::Channel(r.channel(&key_path, &map[key])?),
        "feature" => Topic::Feature(r.feature(&key_path, &map[key])?),
        "badge" => Topic::Badge(r.badge(&key_path, &map[key])?),
        _ => {
            r.choice(&key_path, &map[key], &["next"])?;
            Topic::Tier
        }
    };
    let mentions = map.get("mentions").map(|v| r.texts(&join(path, "mentions"), v)).unwrap_or(Some(Vec::new()))?;
    let suggests = map.get("suggests").map(|v| r.texts(&join(path, "suggests"), v)).unwrap_or(Some(Vec::new()))?;
    let no_state_change_helps = match map.get("noStateChangeHelps") {
        Some(v) => Some(r.boolean(&join(path, "noStateChangeHelps"), v)?),
        None => None,
    };
    if mentions.is_empty() && suggests.is_empty() && no_state_change_helps.is_none() {
        r.error(path, ErrorKind::Missing, "say what to expect: one or more of mentions, suggests, noStateChangeHelps");
        return None;
    }
    Some(Expectation::Explanation { topic, mentions, suggests, no_state_change_helps })
}

pub(crate) fn read_matrix(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Expectation> {
    let (golden_value, golden_path, part) = match value {
        Value::Object(map) => {
            r.known_keys(path, map, &MATRIX_KEYS);
            let part = match map.get("part") {
                Some(part) => match r.choice(&join(path, "part"), part, &["all", "channels", "features"])? {
                    "channels" => MatrixPart::Channels,
                    "features" => MatrixPart::Features,
                    _ => MatrixPart::All,
                },
                None => MatrixPart::All,
            };
            (target_value(r, path, map, "golden")?, join(path, "golden"), part)
        }
        scalar => (scalar, path.to_owned(), MatrixPart::All),
    };
    let golden = r.text(&golden_path, golden_value)?;
    let escapes =
        golden.starts_with('/') || golden.starts_with('\\') || golden.contains(':') || golden.split(['/', '\\']).any(|part| part == "..");
    if escapes {
        r.error(
            &golden_path,
            ErrorKind::InvalidValue,
            format!("a golden file is a path relative to the scenario file, without .. or a drive; got {golden}"),
        );
        return None;
    }
    Some(Expectation::Matrix { golden, part })
}

pub(crate) fn read_check(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Expectation> {
    let map = r.map(path, value, "check")?;
    r.known_keys(path, map, &CHECK_KEYS);
    let kind_value = target_value(r, path, map, "type")?;
    let kind = r.choice(&join(path, "type"), kind_value, &["channel", "access", "feature", "tier", "badges", "all"])?;
    let contains = target_value(r, path, map, "contains")?.clone();
    let target_path = join(path, "target");
    let request = match kind {
        "channel" | "access" | "feature" => {
            let Some(target) = map.get("target") else {
                r.error(&target_path, ErrorKind::Missing, format!("target is required for a {kind} check"));
                return None;
            };
            if kind == "feature" {
                CheckRequest::Feature { target: r.feature(&target_path, target)? }
            } else {
                CheckRequest::Channel { target: r.channel(&target_path, target)? }
            }
        }
        other => {
            if map.contains_key("target") {
                r.error(&target_path, ErrorKind::Conflict, format!("a {other} check takes no target"));
                return None;
            }
            match other {
                "tier" => CheckRequest::Tier,
                "badges" => CheckRequest::Badges,
                _ => CheckRequest::All,
            }
        }
    };
    Some(Expectation::Check { request, contains })
}
