//! Reading steps: state patches (with the short names of the CLI grammar: `bgt`, `stage`,
//! `points`, `tenure`, ...), facts cleared, badges granted and revoked, assumed roles, threshold
//! overrides, simulated activity, and the simulated clock.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::error::ErrorKind;
use super::model::Step;
use super::read::{join, Reader};
use crate::assume::Assumption;
use crate::bgt::Bgt;
use crate::error::{FieldErrors, Rule};
use crate::overrides::ThresholdOverrides;
use crate::rank::Rank;
use crate::state::{SimState, StatePatch};
use crate::theme::{ActivityKind, BadgeRule};
use crate::thresholds::Thresholds;

/// The state fields by their PRD names, then the short names the CLI grammar uses.
const PATCH_KEYS: [(&str, &str); 18] = [
    ("rank", "rank"),
    ("bgtBalance", "bgtBalance"),
    ("engagementPoints", "engagementPoints"),
    ("engagementStage", "engagementStage"),
    ("verified", "verified"),
    ("activityScore", "activityScore"),
    ("convictionScore", "convictionScore"),
    ("tenureDays", "tenureDays"),
    ("highestTier", "highestTier"),
    ("grantedBadges", "grantedBadges"),
    ("lastActivityAt", "lastActivityAt"),
    ("bgt", "bgtBalance"),
    ("points", "engagementPoints"),
    ("stage", "engagementStage"),
    ("activity", "activityScore"),
    ("conviction", "convictionScore"),
    ("tenure", "tenureDays"),
    ("badges", "grantedBadges"),
];

/// Names of every state field a patch accepts.
pub const STATE_KEYS: [&str; 18] = {
    let mut keys = [""; 18];
    let mut i = 0;
    while i < 18 {
        keys[i] = PATCH_KEYS[i].0;
        i += 1;
    }
    keys
};

/// Longest run of one activity step.
const MAX_TIMES: u64 = 1000;

/// Reads one step of kind `kind` (the step's key) at `path`.
pub(crate) fn read_step(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<Step> {
    match kind {
        "set" | "state" => read_patch(r, path, value).map(Step::Set),
        "clear" => read_clear(r, path, value).map(Step::Set),
        "grant" => grantable(r, path, value).map(Step::Grant),
        "revoke" => grantable(r, path, value).map(Step::Revoke),
        "assume" if value.as_str().is_some_and(|text| text.trim().eq_ignore_ascii_case("reset")) => Some(Step::ResetAssume),
        "assume" => read_assumption(r, path, value).map(Step::Assume),
        "config" if value.as_str().is_some_and(|text| text.trim().eq_ignore_ascii_case("reset")) => Some(Step::ResetConfig),
        "config" => read_overrides(r, path, value, false).map(Step::Config),
        "activity" => read_activity(r, path, value),
        "advance" => read_duration(r, path, value).map(Step::Advance),
        "clock" => read_clock(r, path, value).map(Step::Clock),
        _ => None,
    }
}

/// A state patch; its ids are checked against the theme.
pub(crate) fn read_patch(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<StatePatch> {
    let map = r.map(path, value, "a state patch")?;
    let mut canonical = Map::new();
    let mut written: Vec<(&str, &str)> = Vec::new();
    for (key, field) in map {
        let Some((_, name)) = PATCH_KEYS.iter().find(|(alias, _)| alias == key) else {
            r.unknown(&join(path, key), ErrorKind::UnknownKey, "state field", key, STATE_KEYS);
            continue;
        };
        if let Some((other, _)) = written.iter().find(|(_, done)| done == name) {
            r.error(&join(path, key), ErrorKind::Conflict, format!("{key} and {other} set the same field"));
            continue;
        }
        written.push((key, name));
        canonical.insert((*name).to_owned(), field.clone());
    }
    let user_key =
        |field: &str| written.iter().find(|(_, name)| *name == field).map_or_else(|| field.to_owned(), |(key, _)| (*key).to_owned());
    let patch = match StatePatch::from_json(&Value::Object(canonical)) {
        Ok(patch) => patch,
        Err(errors) => {
            r.field_errors(path, errors, user_key);
            return None;
        }
    };
    if let Some(ev) = r.ev {
        if let Err(errors) = ev.apply_patch(&SimState::default(), &patch) {
            // Only unknown ids are certain now; a stage against ENGAGED_MIN depends on the run.
            let certain =
                errors.0.into_iter().filter(|e| matches!(e.rule, Rule::UnknownTier | Rule::UnknownBadge | Rule::NotGrantable)).collect();
            r.field_errors(path, FieldErrors(certain), user_key);
        }
    }
    Some(patch)
}

/// `clear: rank` or `clear: [rank, grantedBadges]`: facts back to none, zero or false.
fn read_clear(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<StatePatch> {
    let mut patch = StatePatch::default();
    for key in r.texts(path, value)? {
        let Some((_, name)) = PATCH_KEYS.iter().find(|(alias, _)| *alias == key) else {
            r.unknown(path, ErrorKind::UnknownValue, "state field", &key, STATE_KEYS);
            continue;
        };
        match *name {
            "rank" => patch.rank = Some(None),
            "bgtBalance" => patch.bgt_balance = Some(Bgt::ZERO),
            "engagementPoints" => patch.engagement_points = Some(0),
            "verified" => patch.verified = Some(false),
            "activityScore" => patch.activity_score = Some(0),
            "convictionScore" => patch.conviction_score = Some(0),
            "tenureDays" => patch.tenure_days = Some(0),
            "highestTier" => patch.highest_tier = Some(None),
            "grantedBadges" => patch.granted_badges = Some(BTreeSet::new()),
            "lastActivityAt" => patch.last_activity_at = Some(None),
            _ => r.error(path, ErrorKind::InvalidValue, format!("{key} is derived from points and the verified flag; clear those instead")),
        }
    }
    Some(patch)
}

/// Badge ids that can be granted explicitly.
fn grantable(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Vec<String>> {
    let ids = r.ids(path, value, Reader::badge)?;
    let theme = r.ev.map(|ev| ev.theme());
    for id in &ids {
        if let Some(badge) = theme.and_then(|theme| theme.badge(id)).filter(|badge| badge.rule != BadgeRule::Granted) {
            r.error(path, ErrorKind::InvalidValue, format!("{id} is earned by its rule ({}), not granted", badge.rule));
        }
    }
    Some(ids)
}

/// `fedaykin`, or `{tier: fedaykin, rank: 3, badges: [water_sharer]}`.
pub(crate) fn read_assumption(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Assumption> {
    let Value::Object(map) = value else {
        return r.tier(path, value).map(Assumption::tier);
    };
    r.known_keys(path, map, &["tier", "rank", "badges"]);
    let Some(tier) = map.get("tier") else {
        r.error(&join(path, "tier"), ErrorKind::Missing, "tier is required: the tier to assume");
        return None;
    };
    let mut assumption = Assumption::tier(r.tier(&join(path, "tier"), tier)?);
    if let Some(rank) = map.get("rank") {
        let rank_path = join(path, "rank");
        let count = r.count(&rank_path, rank)?;
        match u32::try_from(count).ok().and_then(Rank::new) {
            Some(rank) => assumption.rank = Some(rank),
            None => {
                r.error(&rank_path, ErrorKind::InvalidValue, format!("rank must be a positive whole number (1 is the top); got {count}"))
            }
        }
    }
    if let Some(badges) = map.get("badges") {
        assumption.badges = grantable(r, &join(path, "badges"), badges)?.into_iter().collect();
    }
    Some(assumption)
}

/// Threshold overrides. Only defaults are checked against the whole ladder: a step's overrides
/// are laid over those in force when it runs, so their order is checked then.
pub(crate) fn read_overrides(r: &mut Reader<'_>, path: &str, value: &Value, whole_ladder: bool) -> Option<ThresholdOverrides> {
    let overrides = match ThresholdOverrides::from_json(value) {
        Ok(overrides) => overrides,
        Err(errors) => {
            r.field_errors(path, errors, str::to_owned);
            return None;
        }
    };
    if let Some(ev) = r.ev {
        if let Err(errors) = Thresholds::resolve(ev.theme(), &overrides) {
            let ladder = [Rule::OutOfOrder, Rule::OverlappingRanks, Rule::InvertedRange];
            let kept = errors.0.into_iter().filter(|e| whole_ladder || !ladder.contains(&e.rule)).collect();
            r.field_errors(path, FieldErrors(kept), str::to_owned);
        }
    }
    Some(overrides)
}

/// `cta_click`, or `{kind: cta_click, times: 3, every: 10m}`.
fn read_activity(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Step> {
    let ids: Vec<&'static str> = ActivityKind::ALL.iter().map(|kind| kind.id()).collect();
    let Value::Object(map) = value else {
        let id = r.choice(path, value, &ids)?;
        return ActivityKind::parse(id).map(|kind| Step::Activity { kind, times: 1, every: Duration::ZERO });
    };
    r.known_keys(path, map, &["kind", "times", "every"]);
    let Some(kind) = map.get("kind") else {
        r.error(&join(path, "kind"), ErrorKind::Missing, format!("kind is required: one of {}", ids.join(", ")));
        return None;
    };
    let kind = r.choice(&join(path, "kind"), kind, &ids).and_then(ActivityKind::parse);
    let times = match map.get("times") {
        Some(times) => {
            let times_path = join(path, "times");
            let count = r.count(&times_path, times)?;
            if !(1..=MAX_TIMES).contains(&count) {
                r.error(&times_path, ErrorKind::Limit, format!("times must be from 1 to {MAX_TIMES}; got {count}"));
                return None;
            }
            count as u32
        }
        None => 1,
    };
    let every = match map.get("every") {
        Some(every) => read_duration(r, &join(path, "every"), every)?,
        None => Duration::ZERO,
    };
    Some(Step::Activity { kind: kind?, times, every })
}

/// An RFC 3339 instant such as `2026-01-19T12:00:00Z`.
pub(crate) fn read_clock(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<OffsetDateTime> {
    let text = r.text(path, value)?;
    OffsetDateTime::parse(&text, &Rfc3339)
        .map_err(|e| {
            r.error(path, ErrorKind::InvalidValue, format!("must be an RFC 3339 time such as 2026-01-19T12:00:00Z; got {text} ({e})"))
        })
        .ok()
}

/// A duration such as `90m`, `25h`, `1d12h` or `30s`.
pub(crate) fn read_duration(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<Duration> {
    let text = r.text(path, value)?;
    let parsed = parse_duration(&text);
    if parsed.is_none() {
        r.error(path, ErrorKind::InvalidValue, format!("must be a duration such as 90m, 25h, 1d12h or 30s (units d, h, m, s); got {text}"));
    }
    parsed
}

/// Parses `1d12h30m15s` (each unit at most once, largest first, at most about 100 years).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut total: i64 = 0;
    let mut number: Option<i64> = None;
    let mut last_unit = u8::MAX;
    for byte in text.trim().bytes() {
        match byte {
            b'0'..=b'9' => number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(i64::from(byte - b'0'))?),
            b'd' | b'h' | b'm' | b's' => {
                let (rank, seconds) = match byte {
                    b'd' => (3, 86_400),
                    b'h' => (2, 3_600),
                    b'm' => (1, 60),
                    _ => (0, 1),
                };
                if rank >= last_unit {
                    return None;
                }
                last_unit = rank;
                total = total.checked_add(number.take()?.checked_mul(seconds)?)?;
            }
            _ => return None,
        }
    }
    (number.is_none() && last_unit != u8::MAX && total <= 100 * 366 * 86_400).then(|| Duration::seconds(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_largest_unit_first() {
        assert_eq!(parse_duration("25h"), Some(Duration::hours(25)));
        assert_eq!(parse_duration("1d12h30m15s"), Some(Duration::seconds(86_400 + 12 * 3_600 + 30 * 60 + 15)));
        assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
        for bad in ["", "5", "h", "30m1h", "1.5h", "-1h", "2w"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
