//! Threshold overrides in the PRD's shape (`tiers: {id: {minRank, maxRank}}`, `bgt: {tier:
//! amount}`, `engagement: {engagedMin, rateLimit}`): reading them with every broken rule named,
//! merging a PATCH into the stored set. Validation against a theme lives in `thresholds`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::bgt::Bgt;
use crate::error::{FieldError, FieldErrors, Rule};
use crate::lookup::hint;
use crate::state::{json_type, whole_from_json};

mod show;

pub use show::{EngagementView, ThresholdsView, TierThresholdView};

/// One threshold a person can edit, named as the override set names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThresholdKey {
    /// A rank-assigned tier's best rank, or its worst rank.
    Rank {
        /// The tier's id.
        tier: String,
        /// The worst rank (`maxRank`) rather than the best (`minRank`).
        worst: bool,
    },
    /// A BGT-assigned tier's minimum balance.
    Bgt {
        /// The tier's id.
        tier: String,
    },
    /// The gate's ENGAGED_MIN.
    EngagedMin,
    /// Engagement points per rolling hour.
    RateLimit,
}

/// Overrides of a theme's thresholds. Only present values are overridden.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdOverrides {
    /// Rank bounds of rank-assigned tiers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tiers: BTreeMap<String, RankOverride>,
    /// BGT thresholds of BGT-assigned tiers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bgt: BTreeMap<String, Bgt>,
    /// Gate thresholds.
    #[serde(skip_serializing_if = "EngagementOverride::is_empty")]
    pub engagement: EngagementOverride,
}

/// New rank bounds of one tier; an absent bound keeps the theme's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RankOverride {
    /// New best rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_rank: Option<u32>,
    /// New worst rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_rank: Option<u32>,
}

/// New gate thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EngagementOverride {
    /// ENGAGED_MIN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engaged_min: Option<u32>,
    /// Points per rolling hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
}

impl EngagementOverride {
    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.engaged_min.is_none() && self.rate_limit.is_none()
    }
}

impl ThresholdOverrides {
    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty() && self.bgt.is_empty() && self.engagement.is_empty()
    }

    /// This set with `patch` laid over it (a PATCH of the thresholds).
    pub fn merged(&self, patch: &ThresholdOverrides) -> ThresholdOverrides {
        let mut merged = self.clone();
        for (tier, bounds) in &patch.tiers {
            let entry = merged.tiers.entry(tier.clone()).or_default();
            entry.min_rank = bounds.min_rank.or(entry.min_rank);
            entry.max_rank = bounds.max_rank.or(entry.max_rank);
        }
        merged.bgt.extend(patch.bgt.iter().map(|(tier, bgt)| (tier.clone(), *bgt)));
        merged.engagement.engaged_min = patch.engagement.engaged_min.or(merged.engagement.engaged_min);
        merged.engagement.rate_limit = patch.engagement.rate_limit.or(merged.engagement.rate_limit);
        merged
    }

    /// The overrides that set each key to the text typed for it (a form holds numbers as text);
    /// every broken rule is named by its path (`tiers.naib.minRank`), as `from_json` names it.
    pub fn from_edits<'a>(edits: impl IntoIterator<Item = (&'a ThresholdKey, &'a str)>) -> Result<ThresholdOverrides, FieldErrors> {
        let mut patch = serde_json::Map::new();
        for (key, text) in edits {
            let text = text.trim();
            // A whole number is sent as one; anything else as text, so the rule names it.
            let number = || text.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::from(text));
            let (group, name, field, value) = match key {
                ThresholdKey::Rank { tier, worst } => ("tiers", tier.as_str(), Some(if *worst { "maxRank" } else { "minRank" }), number()),
                ThresholdKey::Bgt { tier } => ("bgt", tier.as_str(), None, Value::from(text)),
                ThresholdKey::EngagedMin => ("engagement", "engagedMin", None, number()),
                ThresholdKey::RateLimit => ("engagement", "rateLimit", None, number()),
            };
            let group = patch.entry(group).or_insert_with(|| Value::Object(serde_json::Map::new()));
            let Value::Object(group) = group else { continue };
            match field {
                Some(field) => {
                    if let Value::Object(tier) = group.entry(name).or_insert_with(|| Value::Object(serde_json::Map::new())) {
                        tier.insert(field.to_owned(), value);
                    }
                }
                None => drop(group.insert(name.to_owned(), value)),
            }
        }
        ThresholdOverrides::from_json(&Value::Object(patch))
    }

    /// Reads overrides from JSON text.
    pub fn from_json_str(text: &str) -> Result<ThresholdOverrides, FieldErrors> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| FieldError::new("", Rule::Syntax, format!("the overrides are not valid JSON: {e}")))?;
        ThresholdOverrides::from_json(&value)
    }

    /// Reads overrides from a JSON value, reporting every broken rule with its path.
    pub fn from_json(value: &Value) -> Result<ThresholdOverrides, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut overrides = ThresholdOverrides::default();
        for (key, value) in object("", value, &mut errors) {
            match key.as_str() {
                "tiers" => overrides.tiers = read_tiers(value, &mut errors),
                "bgt" => {
                    for (tier, amount) in object("bgt", value, &mut errors) {
                        match read_bgt(&format!("bgt.{tier}"), amount) {
                            Ok(bgt) => drop(overrides.bgt.insert(tier.clone(), bgt)),
                            Err(error) => errors.0.push(error),
                        }
                    }
                }
                "engagement" => overrides.engagement = read_engagement(value, &mut errors),
                _ => unknown(key, "", &["tiers", "bgt", "engagement"], &mut errors),
            }
        }
        errors.into_result(overrides)
    }
}

fn object<'v>(path: &str, value: &'v Value, errors: &mut FieldErrors) -> Vec<(&'v String, &'v Value)> {
    match value {
        Value::Object(map) => map.iter().collect(),
        other => {
            let what = if path.is_empty() { "threshold overrides" } else { path };
            errors.push(path, Rule::WrongType, format!("{what} must be an object; got {}", json_type(other)));
            Vec::new()
        }
    }
}

fn unknown(key: &str, parent: &str, known: &[&str], errors: &mut FieldErrors) {
    let path = if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") };
    let near = hint(key, known.iter().copied());
    errors.push(path, Rule::UnknownField, format!("unknown field {key}{}", near.text));
}

fn read_tiers(value: &Value, errors: &mut FieldErrors) -> BTreeMap<String, RankOverride> {
    let mut tiers = BTreeMap::new();
    for (tier, bounds) in object("tiers", value, errors) {
        let path = format!("tiers.{tier}");
        let mut rank = RankOverride::default();
        for (key, value) in object(&path, bounds, errors) {
            let field = format!("{path}.{key}");
            match key.as_str() {
                "minRank" => rank.min_rank = whole(&field, value, errors),
                "maxRank" => rank.max_rank = whole(&field, value, errors),
                _ => unknown(key, &path, &["minRank", "maxRank"], errors),
            }
        }
        tiers.insert(tier.clone(), rank);
    }
    tiers
}

fn read_engagement(value: &Value, errors: &mut FieldErrors) -> EngagementOverride {
    let mut engagement = EngagementOverride::default();
    for (key, value) in object("engagement", value, errors) {
        let field = format!("engagement.{key}");
        match key.as_str() {
            "engagedMin" => engagement.engaged_min = whole(&field, value, errors),
            "rateLimit" => engagement.rate_limit = whole(&field, value, errors),
            _ => unknown(key, "engagement", &["engagedMin", "rateLimit"], errors),
        }
    }
    engagement
}

fn whole(field: &str, value: &Value, errors: &mut FieldErrors) -> Option<u32> {
    whole_from_json(field, value).map_err(|error| errors.0.push(error)).ok()
}

fn read_bgt(path: &str, value: &Value) -> Result<Bgt, FieldError> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(_) => crate::state::number_text(value).unwrap_or_default(),
        other => return Err(FieldError::new(path, Rule::WrongType, format!("{path} must be a BGT amount; got {}", json_type(other)))),
    };
    Bgt::parse(&text).map_err(|error| FieldError::new(path, error.rule(), error.to_string()))
}

impl<'de> Deserialize<'de> for ThresholdOverrides {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ThresholdOverrides, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ThresholdOverrides::from_json(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_prd_shape_reads() {
        let overrides = ThresholdOverrides::from_json(&json!({
            "tiers": {"naib": {"minRank": 1, "maxRank": 10}},
            "bgt": {"sihaya": 400, "hajra": "6.9"},
            "engagement": {"engagedMin": 75, "rateLimit": 20}
        }))
        .unwrap();
        assert_eq!(overrides.tiers["naib"].max_rank, Some(10));
        assert_eq!(overrides.bgt["hajra"], Bgt::parse("6.9").unwrap());
        assert_eq!(overrides.engagement.engaged_min, Some(75));
    }

    #[test]
    fn edits_typed_in_a_form_become_overrides_and_bad_text_is_named() {
        let naib_worst = ThresholdKey::Rank { tier: "naib".into(), worst: true };
        let sihaya = ThresholdKey::Bgt { tier: "sihaya".into() };
        let edits = [(&naib_worst, " 12 "), (&sihaya, "400.5"), (&ThresholdKey::EngagedMin, "75")];
        let overrides = ThresholdOverrides::from_edits(edits).unwrap();
        assert_eq!(overrides.tiers["naib"], RankOverride { min_rank: None, max_rank: Some(12) });
        assert_eq!(overrides.bgt["sihaya"], Bgt::parse("400.5").unwrap());
        assert_eq!(overrides.engagement, EngagementOverride { engaged_min: Some(75), rate_limit: None });

        let naib_best = ThresholdKey::Rank { tier: "naib".into(), worst: false };
        let errors =
            ThresholdOverrides::from_edits([(&naib_best, "ten"), (&ThresholdKey::RateLimit, "-1"), (&sihaya, "lots")]).unwrap_err();
        assert!(errors.0.iter().any(|e| e.path == "tiers.naib.minRank"), "{errors:?}");
        assert!(errors.0.iter().any(|e| e.path == "engagement.rateLimit"), "{errors:?}");
        assert!(errors.0.iter().any(|e| e.path == "bgt.sihaya"), "{errors:?}");
    }

    #[test]
    fn negatives_and_unknown_fields_are_named() {
        let errors = ThresholdOverrides::from_json(&json!({
            "tiers": {"naib": {"minRank": -1, "permissions": []}},
            "bgt": {"sihaya": "-5"},
            "engagement": {"engagedMin": -2}
        }))
        .unwrap_err();
        assert!(errors.has("tiers.naib.minRank", Rule::Negative));
        assert!(errors.has("tiers.naib.permissions", Rule::UnknownField));
        assert!(errors.has("bgt.sihaya", Rule::Negative));
        assert!(errors.has("engagement.engagedMin", Rule::Negative));
    }

    #[test]
    fn a_patch_keeps_what_it_does_not_mention() {
        let stored = ThresholdOverrides::from_json(&json!({"tiers": {"naib": {"maxRank": 10}}, "bgt": {"sihaya": 400}})).unwrap();
        let patch = ThresholdOverrides::from_json(&json!({"tiers": {"naib": {"minRank": 2}}, "engagement": {"engagedMin": 75}})).unwrap();
        let merged = stored.merged(&patch);
        assert_eq!(merged.tiers["naib"], RankOverride { min_rank: Some(2), max_rank: Some(10) });
        assert_eq!(merged.bgt.len(), 1);
        assert_eq!(merged.engagement.engaged_min, Some(75));
        assert!(ThresholdOverrides::from_json(&json!({})).unwrap().is_empty());
    }
}
