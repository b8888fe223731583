//! A PATCH of the simulated state: every field optional, unknown fields refused, `null` clears
//! the rank, the highest tier and the last activity time. Reading one collects every broken rule.

use std::collections::BTreeSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::field::{json_type, rank_from_json, whole_from_json};
use crate::bgt::Bgt;
use crate::error::{FieldError, FieldErrors, Rule};
use crate::lookup::hint;
use crate::rank::Rank;
use crate::stage::Stage;

/// Changes to a simulated state. `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatePatch {
    /// New rank; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<Option<Rank>>,
    /// New BGT balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bgt_balance: Option<Bgt>,
    /// New engagement points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engagement_points: Option<u32>,
    /// A stage to reach by adjusting the facts it derives from (spec section 4, Decision).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engagement_stage: Option<Stage>,
    /// New verified flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// New activity score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_score: Option<u32>,
    /// New conviction score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conviction_score: Option<u64>,
    /// New tenure in days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenure_days: Option<u32>,
    /// New highest tier; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highest_tier: Option<Option<String>>,
    /// The complete new set of granted special badges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_badges: Option<BTreeSet<String>>,
    /// New last activity time; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "serialize_time")]
    pub last_activity_at: Option<Option<OffsetDateTime>>,
}

const FIELDS: [&str; 11] = [
    "rank",
    "bgtBalance",
    "engagementPoints",
    "engagementStage",
    "verified",
    "activityScore",
    "convictionScore",
    "tenureDays",
    "highestTier",
    "grantedBadges",
    "lastActivityAt",
];

impl StatePatch {
    /// Reads a patch from JSON text.
    pub fn from_json_str(text: &str) -> Result<StatePatch, FieldErrors> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| FieldError::new("", Rule::Syntax, format!("the patch is not valid JSON: {e}")))?;
        StatePatch::from_json(&value)
    }

    /// Reads a patch from a JSON value, reporting every broken rule with its field.
    pub fn from_json(value: &Value) -> Result<StatePatch, FieldErrors> {
        let Value::Object(map) = value else {
            let message = format!("a state patch is a JSON object; got {}", json_type(value));
            return Err(FieldError::new("", Rule::WrongType, message).into());
        };
        let mut patch = StatePatch::default();
        let mut errors = FieldErrors::default();
        for (key, value) in map {
            if let Err(error) = patch.read_field(key, value) {
                errors.0.push(error);
            }
        }
        errors.into_result(patch)
    }

    fn read_field(&mut self, key: &str, value: &Value) -> Result<(), FieldError> {
        match key {
            "rank" if value.is_null() => self.rank = Some(None),
            "rank" => self.rank = Some(Some(rank_from_json(value)?)),
            "bgtBalance" => self.bgt_balance = Some(bgt_from_json(value)?),
            "engagementPoints" => self.engagement_points = Some(whole_from_json(key, value)?),
            "engagementStage" => self.engagement_stage = Some(stage_from_json(value)?),
            "verified" => self.verified = Some(bool_from_json(key, value)?),
            "activityScore" => self.activity_score = Some(whole_from_json(key, value)?),
            "convictionScore" => self.conviction_score = Some(whole_from_json(key, value)?),
            "tenureDays" => self.tenure_days = Some(whole_from_json(key, value)?),
            "highestTier" => self.highest_tier = Some(optional_text(key, value)?),
            "grantedBadges" => self.granted_badges = Some(badges_from_json(value)?),
            "lastActivityAt" => self.last_activity_at = Some(time_from_json(value)?),
            _ => {
                let near = hint(key, FIELDS);
                let message = format!("unknown state field {key}{}", near.text);
                return Err(FieldError::new(key, Rule::UnknownField, message));
            }
        }
        Ok(())
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &StatePatch::default()
    }
}

fn bgt_from_json(value: &Value) -> Result<Bgt, FieldError> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(_) => super::field::number_text(value).unwrap_or_default(),
        other => {
            let message = format!("bgtBalance must be a decimal string or number such as \"6.9\"; got {}", json_type(other));
            return Err(FieldError::new("bgtBalance", Rule::WrongType, message));
        }
    };
    Bgt::parse(&text).map_err(|error| FieldError::new("bgtBalance", error.rule(), error.to_string()))
}

fn stage_from_json(value: &Value) -> Result<Stage, FieldError> {
    value.as_str().and_then(Stage::parse).ok_or_else(|| {
        let got = value.as_str().map_or_else(|| json_type(value).to_owned(), |text| format!("{text:?}"));
        let message = format!("engagementStage must be one of free, engaged, verified; got {got}");
        FieldError::new("engagementStage", Rule::UnknownStage, message)
    })
}

fn bool_from_json(field: &str, value: &Value) -> Result<bool, FieldError> {
    value
        .as_bool()
        .ok_or_else(|| FieldError::new(field, Rule::WrongType, format!("{field} must be true or false; got {}", json_type(value))))
}

fn optional_text(field: &str, value: &Value) -> Result<Option<String>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) if !text.trim().is_empty() => Ok(Some(text.trim().to_owned())),
        other => Err(FieldError::new(field, Rule::WrongType, format!("{field} must be a tier id or null; got {}", json_type(other)))),
    }
}

fn badges_from_json(value: &Value) -> Result<BTreeSet<String>, FieldError> {
    let wrong = || FieldError::new("grantedBadges", Rule::WrongType, "grantedBadges must be a list of badge ids");
    let Value::Array(items) = value else { return Err(wrong()) };
    items.iter().map(|item| item.as_str().map(|id| id.trim().to_owned()).ok_or_else(wrong)).collect()
}

fn time_from_json(value: &Value) -> Result<Option<OffsetDateTime>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => OffsetDateTime::parse(text, &Rfc3339).map(Some).map_err(|e| {
            FieldError::new(
                "lastActivityAt",
                Rule::Malformed,
                format!("lastActivityAt must be an RFC 3339 time such as 2026-01-19T12:00:00Z ({e})"),
            )
        }),
        other => Err(FieldError::new(
            "lastActivityAt",
            Rule::WrongType,
            format!("lastActivityAt must be an RFC 3339 time or null; got {}", json_type(other)),
        )),
    }
}

fn serialize_time<S: Serializer>(value: &Option<Option<OffsetDateTime>>, serializer: S) -> Result<S::Ok, S::Error> {
    let text = value.flatten().map(|time| time.format(&Rfc3339)).transpose().map_err(serde::ser::Error::custom)?;
    text.serialize(serializer)
}

impl<'de> Deserialize<'de> for StatePatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StatePatch, D::Error> {
        let value = Value::deserialize(deserializer)?;
        StatePatch::from_json(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rank_null_clears_and_absence_keeps() {
        let patch = StatePatch::from_json(&json!({"rank": null})).unwrap();
        assert_eq!(patch.rank, Some(None));
        assert_eq!(StatePatch::from_json(&json!({})).unwrap().rank, None);
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_field() {
        let errors = StatePatch::from_json(&json!({
            "rank": 0, "bgtBalance": "1.0000000000000000001", "engagementStage": "gold", "bgt": 5
        }))
        .unwrap_err();
        assert!(errors.has("rank", Rule::Zero));
        assert!(errors.has("bgtBalance", Rule::TooPrecise));
        assert!(errors.has("engagementStage", Rule::UnknownStage));
        assert!(errors.has("bgt", Rule::UnknownField));
        assert!(errors.to_string().contains("did you mean bgtBalance"));
    }

    #[test]
    fn a_json_number_balance_stays_exact() {
        let patch: StatePatch = serde_json::from_str(r#"{"bgtBalance": 6.9}"#).unwrap();
        assert_eq!(patch.bgt_balance, Some(Bgt::parse("6.9").unwrap()));
    }

    #[test]
    fn negative_and_textual_balances_are_refused() {
        assert!(StatePatch::from_json(&json!({"bgtBalance": -1})).unwrap_err().has("bgtBalance", Rule::Negative));
        assert!(StatePatch::from_json(&json!({"bgtBalance": "NaN"})).unwrap_err().has("bgtBalance", Rule::NotANumber));
    }

    #[test]
    fn a_patch_serialises_back_to_the_same_json() {
        let text = r#"{"rank":null,"bgtBalance":"500","engagementStage":"engaged","lastActivityAt":"2026-01-19T12:00:00Z"}"#;
        let patch = StatePatch::from_json_str(text).unwrap();
        let again = StatePatch::from_json(&serde_json::to_value(&patch).unwrap()).unwrap();
        assert_eq!(again, patch);
    }
}
