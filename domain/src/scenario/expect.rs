//! Reading expectations. Most kinds are a target (a channel, a feature) plus expected fields,
//! each read by its type and normalised to the JSON the engine reports (tier ids, exact BGT
//! text, blur numbers, sorted sets), so the runner compares values without knowing the kind.

use serde_json::{Map, Value};

use super::error::ErrorKind;
use super::expect_kinds as kinds;
use super::model::{Expectation, Fields};
use super::read::{join, Reader};
use crate::stage::Stage;

/// The type of one expected field.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ty {
    Tier,
    TierOrNone,
    BadgeOrNone,
    Bool,
    Choice(&'static [&'static str]),
    Bgt,
    Text,
    Count,
    CountOrNone,
    Blur,
    Stage,
    Tiers,
}

const TIER_RULES: &[&str] = &["rank", "bgt", "belowMinimum", "noRank", "rankOutsideRanges"];
const SOURCES: &[&str] = &["channel", "category", "none"];
const ACCESS_RULES: &[&str] = &["open", "requirementsMet", "tierTooLow", "badgeMissing", "tierTooLowAndBadgeMissing"];
const AWARD_RULES: &[&str] = &["full", "repeatPenalty", "hourlyCap", "capReached", "returnVisitTooSoon"];
const STAGES: &[&str] = &["free", "engaged", "verified"];

/// Fields of `tier`.
pub(crate) const TIER_FIELDS: &[(&str, Ty)] = &[
    ("is", Ty::Tier),
    ("computed", Ty::Tier),
    ("assumed", Ty::TierOrNone),
    ("inForce", Ty::Choice(&["computed", "assumed"])),
    ("rule", Ty::Choice(TIER_RULES)),
    ("boundary", Ty::Text),
    ("threshold", Ty::Bgt),
    ("range", Ty::Text),
    ("belowMinimum", Ty::Bool),
    ("overridden", Ty::Bool),
    ("next", Ty::TierOrNone),
];
/// Fields of `access` besides `channel`.
pub(crate) const ACCESS_FIELDS: &[(&str, Ty)] = &[
    ("allowed", Ty::Bool),
    ("requiredTier", Ty::TierOrNone),
    ("requiredBadge", Ty::BadgeOrNone),
    ("source", Ty::Choice(SOURCES)),
    ("decidedBy", Ty::Choice(ACCESS_RULES)),
    ("blur", Ty::Blur),
    ("effectiveTier", Ty::Tier),
    ("stage", Ty::Stage),
    ("noStateChangeHelps", Ty::Bool),
];
/// Fields of `feature` besides `id`.
pub(crate) const FEATURE_FIELDS: &[(&str, Ty)] =
    &[("allowed", Ty::Bool), ("grantedBy", Ty::Tiers), ("effectiveTier", Ty::Tier), ("noStateChangeHelps", Ty::Bool)];
/// Fields of `stage`.
pub(crate) const STAGE_FIELDS: &[(&str, Ty)] = &[
    ("is", Ty::Stage),
    ("points", Ty::Count),
    ("pointsToNext", Ty::CountOrNone),
    ("progress", Ty::Count),
    ("engagedMin", Ty::Count),
    ("verified", Ty::Bool),
    ("blur", Ty::Blur),
];
/// Fields of `awarded`.
pub(crate) const AWARD_FIELDS: &[(&str, Ty)] = &[
    ("points", Ty::Count),
    ("total", Ty::Count),
    ("rule", Ty::Choice(AWARD_RULES)),
    ("recorded", Ty::Bool),
    ("pointsInHour", Ty::Count),
    ("capRemaining", Ty::Count),
    ("engagementPoints", Ty::Count),
];

/// Reads one expectation of kind `kind` at `path`.
pub(crate) fn read_expectation(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<Expectation> {
    match kind {
        "tier" => shorthand(r, path, value, "is", TIER_FIELDS).map(Expectation::Tier),
        "stage" => shorthand(r, path, value, "is", STAGE_FIELDS).map(Expectation::Stage),
        "awarded" => shorthand(r, path, value, "points", AWARD_FIELDS).map(Expectation::Awarded),
        "permissions" => r.ids(path, value, Reader::feature).map(|mut ids| {
            ids.sort();
            Expectation::Permissions(ids)
        }),
        "access" => {
            let map = r.map(path, value, "access")?;
            let channel = target(r, path, map, "channel", Reader::channel);
            let fields = fields(r, path, map, ACCESS_FIELDS, &["channel"])?;
            Some(Expectation::Access { channel: channel?, fields })
        }
        "feature" => {
            let map = r.map(path, value, "feature")?;
            let feature = target(r, path, map, "id", Reader::feature);
            let fields = fields(r, path, map, FEATURE_FIELDS, &["id"])?;
            Some(Expectation::Feature { feature: feature?, fields })
        }
        "blur" => kinds::read_blur(r, path, value),
        "badges" => kinds::read_badges(r, path, value),
        "explanation" => kinds::read_explanation(r, path, value),
        "matrix" => kinds::read_matrix(r, path, value),
        "check" => kinds::read_check(r, path, value),
        _ => None,
    }
}

/// A scalar stands for one field (`tier: sihaya` is `tier: {is: sihaya}`); a map is read whole.
fn shorthand(r: &mut Reader<'_>, path: &str, value: &Value, field: &str, specs: &[(&str, Ty)]) -> Option<Fields> {
    match value {
        Value::Object(map) => fields(r, path, map, specs, &[]),
        scalar => {
            let ty = specs.iter().find(|(name, _)| *name == field).map(|(_, ty)| *ty)?;
            let normalised = typed(r, path, scalar, ty)?;
            Some(Fields::from([(field.to_owned(), normalised)]))
        }
    }
}

/// The required target key of a map (`channel`, `id`), read with `read`.
fn target<'e>(
    r: &mut Reader<'e>,
    path: &str,
    map: &Map<String, Value>,
    key: &str,
    read: fn(&mut Reader<'e>, &str, &Value) -> Option<String>,
) -> Option<String> {
    match map.get(key) {
        Some(value) => read(r, &join(path, key), value),
        None => {
            r.error(&join(path, key), ErrorKind::Missing, format!("{key} is required"));
            None
        }
    }
}

/// Expected fields of a map: at least one, each of its type; `targets` are keys read elsewhere.
fn fields(r: &mut Reader<'_>, path: &str, map: &Map<String, Value>, specs: &[(&str, Ty)], targets: &[&str]) -> Option<Fields> {
    let known: Vec<&str> = targets.iter().copied().chain(specs.iter().map(|(name, _)| *name)).collect();
    r.known_keys(path, map, &known);
    let mut fields = Fields::new();
    let mut ok = true;
    for (name, ty) in specs {
        if let Some(value) = map.get(*name) {
            match typed(r, &join(path, name), value, *ty) {
                Some(normalised) => drop(fields.insert((*name).to_owned(), normalised)),
                None => ok = false,
            }
        }
    }
    if fields.is_empty() && ok {
        let names: Vec<&str> = specs.iter().map(|(name, _)| *name).collect();
        r.error(path, ErrorKind::Missing, format!("say what to expect: one or more of {}", names.join(", ")));
        return None;
    }
    ok.then_some(fields)
}

/// One value read by its type and normalised.
fn typed(r: &mut Reader<'_>, path: &str, value: &Value, ty: Ty) -> Option<Value> {
    let none = |value: &Value| value.is_null() || value.as_str().is_some_and(|text| text.trim().eq_ignore_ascii_case("none"));
    Some(match ty {
        Ty::Tier => Value::String(r.tier(path, value)?),
        Ty::TierOrNone if none(value) => Value::Null,
        Ty::TierOrNone => Value::String(r.tier(path, value)?),
        Ty::BadgeOrNone if none(value) => Value::Null,
        Ty::BadgeOrNone => Value::String(r.badge(path, value)?),
        Ty::Bool => Value::Bool(r.boolean(path, value)?),
        Ty::Choice(choices) => Value::String(r.choice(path, value, choices)?.to_owned()),
        Ty::Bgt => Value::String(r.bgt(path, value)?.to_string()),
        Ty::Text => Value::String(r.text(path, value)?),
        Ty::Count => Value::from(r.count(path, value)?),
        Ty::CountOrNone if none(value) => Value::Null,
        Ty::CountOrNone => Value::from(r.count(path, value)?),
        Ty::Blur => serde_json::to_value(r.blur(path, value)?).unwrap_or(Value::Null),
        Ty::Stage => Value::String(Stage::parse(r.choice(path, value, STAGES)?)?.id().to_owned()),
        Ty::Tiers => {
            let mut ids = r.ids(path, value, Reader::tier)?;
            ids.sort();
            Value::from(ids)
        }
    })
}
