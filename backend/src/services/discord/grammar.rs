//! The PRD section 3.1 command grammar (`assume fedaykin`, `set bgt 500`, `check access
//! #war-room`, `config tier usul bgt=1000`), shared by Discord's `/simulation` and the CLI's
//! `crysknife sim`: words in, an `Action` with the JSON body the simulation services take out.

use serde_json::{json, Map, Value};
use wire::error::ApiError;

/// One simulation command, ready for a service call or an HTTP request.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `assume <tier>`: the body of `POST .../simulation/assume`.
    Assume(Value),
    /// `assume reset`.
    AssumeReset,
    /// `set <attribute> <value>`: a state patch.
    Set(Value),
    /// `get state`.
    GetState,
    /// `whoami`.
    Whoami,
    /// `check <type> [target]`: the check body.
    Check(Value),
    /// `config show`.
    ConfigShow,
    /// `config reset`.
    ConfigReset,
    /// `config tier|bgt|stage ...`: a threshold patch.
    ConfigSet(Value),
}

impl Action {
    /// The REST request that performs it: method and the path under `/sandbox/:id/`.
    pub fn request(&self) -> (&'static str, &'static str, Option<&Value>) {
        match self {
            Self::Assume(body) => ("POST", "simulation/assume", Some(body)),
            Self::AssumeReset => ("DELETE", "simulation/assume", None),
            Self::Set(body) => ("PATCH", "simulation/state", Some(body)),
            Self::GetState => ("GET", "simulation/state", None),
            Self::Whoami => ("GET", "simulation/whoami", None),
            Self::Check(body) => ("POST", "simulation/check", Some(body)),
            Self::ConfigShow => ("GET", "simulation/thresholds", None),
            Self::ConfigReset => ("DELETE", "simulation/thresholds", None),
            Self::ConfigSet(body) => ("PATCH", "simulation/thresholds", Some(body)),
        }
    }
}

/// The attributes `set` knows, with the state field each one changes.
pub const ATTRIBUTES: [(&str, &str); 8] = [
    ("bgt", "bgtBalance"),
    ("rank", "rank"),
    ("stage", "engagementStage"),
    ("activity", "activityScore"),
    ("tenure", "tenureDays"),
    ("conviction", "convictionScore"),
    ("points", "engagementPoints"),
    ("verified", "verified"),
];

/// `assume <tier> [rank]` or `assume reset` (a leading `role` is allowed: `assume role naib`).
pub fn assume(words: &[&str], rank: Option<u32>) -> Result<Action, ApiError> {
    let words = match words {
        ["role", rest @ ..] => rest,
        all => all,
    };
    match words {
        ["reset"] => Ok(Action::AssumeReset),
        [tier] => {
            let mut body = json!({ "tierId": tier.trim().to_lowercase() });
            if let Some(rank) = rank {
                body["rank"] = json!(rank);
            }
            Ok(Action::Assume(body))
        }
        _ => Err(ApiError::validation("tier", "name one tier, e.g. `assume fedaykin`, or `assume reset`")),
    }
}

/// `set <attribute> <value>`, or `set state <json>` for several at once.
pub fn set(attribute: &str, value: &str) -> Result<Action, ApiError> {
    let attribute = attribute.trim().to_lowercase();
    let value = value.trim();
    if attribute == "state" {
        let body: Value =
            serde_json::from_str(value).map_err(|e| ApiError::validation("state", format!("`set state` takes a JSON object: {e}")))?;
        return Ok(Action::Set(body));
    }
    let field = ATTRIBUTES.iter().find(|(name, _)| *name == attribute).map(|(_, field)| *field).ok_or_else(|| {
        let names: Vec<&str> = ATTRIBUTES.iter().map(|(name, _)| *name).collect();
        ApiError::validation("attribute", format!("one of {} or state; got `{attribute}`", names.join(", ")))
            .with_details(json!({ "field": "attribute", "rule": "oneOf", "valid": names }))
    })?;
    let mut body = Map::new();
    body.insert(field.to_owned(), scalar(field, value));
    Ok(Action::Set(Value::Object(body)))
}

/// A `set` value as JSON: BGT stays text (exact decimals), `none` clears the rank, numbers
/// and booleans are themselves, anything else is a string the engine judges.
fn scalar(field: &str, value: &str) -> Value {
    if field == "bgtBalance" || field == "engagementStage" {
        return Value::String(value.to_lowercase());
    }
    if field == "rank" && matches!(value.to_lowercase().as_str(), "none" | "null" | "-") {
        return Value::Null;
    }
    if let Ok(n) = value.parse::<i64>() {
        return json!(n);
    }
    match value.to_lowercase().as_str() {
        "true" | "yes" => Value::Bool(true),
        "false" | "no" => Value::Bool(false),
        _ => Value::String(value.to_owned()),
    }
}

/// `check <access|channel|feature|tier|badges|all> [target]`.
pub fn check(kind: &str, target: Option<&str>) -> Result<Action, ApiError> {
    let target = target.map(str::trim).filter(|t| !t.is_empty());
    let body = match (kind.trim().to_lowercase().as_str(), target) {
        ("access" | "channel", Some(t)) => json!({ "type": "channel", "target": t }),
        ("feature", Some(t)) => json!({ "type": "feature", "target": t }),
        ("access" | "channel" | "feature", None) => {
            return Err(ApiError::validation("target", format!("`check {kind}` needs a target, e.g. `check access #war-room`")))
        }
        (simple @ ("tier" | "badges" | "all"), _) => json!({ "type": simple }),
        (other, _) => {
            return Err(ApiError::validation("type", format!("one of access, feature, tier, badges, all; got `{other}`"))
                .with_details(json!({ "field": "type", "rule": "oneOf", "valid": ["access", "feature", "tier", "badges", "all"] })))
        }
    };
    Ok(Action::Check(body))
}

/// `config show`, `config reset`, or a change: `config tier <id> minRank=<n> maxRank=<n>
/// bgt=<amount>`, `config bgt <tier>=<amount> ...`, `config stage engaged minPoints=<n>`,
/// `config rate <n>`, or a JSON threshold patch. A leading `set` is allowed.
pub fn config(words: &[&str]) -> Result<Action, ApiError> {
    let words = match words {
        ["set", rest @ ..] => rest,
        all => all,
    };
    let usage = "use `config show`, `config reset`, `config tier <id> minRank=<n>`, `config bgt <tier>=<amount>` or `config stage engaged minPoints=<n>`";
    let patch = match words {
        [] => return Err(ApiError::validation("action", usage)),
        ["show"] => return Ok(Action::ConfigShow),
        ["reset"] => return Ok(Action::ConfigReset),
        [json, ..] if json.trim_start().starts_with('{') => {
            serde_json::from_str(&words.join(" ")).map_err(|e| ApiError::validation("thresholds", format!("not valid JSON: {e}")))?
        }
        ["tier", tier, pairs @ ..] if !pairs.is_empty() => tier_patch(tier, pairs)?,
        ["bgt", pairs @ ..] if !pairs.is_empty() => {
            let mut bgt = Map::new();
            for (tier, amount) in pairs.iter().map(|p| split_pair(p)).collect::<Result<Vec<_>, _>>()? {
                bgt.insert(tier.to_lowercase(), Value::String(amount.to_owned()));
            }
            json!({ "bgt": bgt })
        }
        ["stage", stage, pairs @ ..] if !pairs.is_empty() => stage_patch(stage, pairs)?,
        ["rate" | "ratelimit", n] => json!({ "engagement": { "rateLimit": scalar("rateLimit", n) } }),
        _ => return Err(ApiError::validation("action", usage)),
    };
    Ok(Action::ConfigSet(patch))
}

fn tier_patch(tier: &str, pairs: &[&str]) -> Result<Value, ApiError> {
    let tier = tier.to_lowercase();
    let (mut ranks, mut bgt) = (Map::new(), Map::new());
    for (key, value) in pairs.iter().map(|p| split_pair(p)).collect::<Result<Vec<_>, _>>()? {
        match normalise(key).as_str() {
            "minrank" => drop(ranks.insert("minRank".into(), scalar("minRank", value))),
            "maxrank" => drop(ranks.insert("maxRank".into(), scalar("maxRank", value))),
            "bgt" => drop(bgt.insert(tier.clone(), Value::String(value.to_owned()))),
            _ => return Err(ApiError::validation(key, format!("`config tier` takes minRank=, maxRank= or bgt=; got `{key}`"))),
        }
    }
    let mut patch = Map::new();
    if !ranks.is_empty() {
        patch.insert("tiers".into(), json!({ tier: ranks }));
    }
    if !bgt.is_empty() {
        patch.insert("bgt".into(), Value::Object(bgt));
    }
    Ok(Value::Object(patch))
}

fn stage_patch(stage: &str, pairs: &[&str]) -> Result<Value, ApiError> {
    let mut engagement = Map::new();
    for (key, value) in pairs.iter().map(|p| split_pair(p)).collect::<Result<Vec<_>, _>>()? {
        match (stage.to_lowercase().as_str(), normalise(key).as_str()) {
            ("engaged", "minpoints" | "engagedmin") => drop(engagement.insert("engagedMin".into(), scalar("engagedMin", value))),
            (_, "ratelimit") => drop(engagement.insert("rateLimit".into(), scalar("rateLimit", value))),
            ("engaged", _) => {
                return Err(ApiError::validation(key, format!("`config stage engaged` takes minPoints= or rateLimit=; got `{key}`")))
            }
            (other, _) => {
                return Err(ApiError::validation("stage", format!("only the engaged stage has a points threshold; got `{other}`")))
            }
        }
    }
    Ok(json!({ "engagement": engagement }))
}

fn split_pair(pair: &str) -> Result<(&str, &str), ApiError> {
    pair.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| ApiError::validation("args", format!("expected key=value; got `{pair}`")))
}

fn normalise(key: &str) -> String {
    key.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prd_grammar_reads_as_written() {
        assert_eq!(set("bgt", "500").unwrap(), Action::Set(json!({ "bgtBalance": "500" })));
        assert_eq!(set("rank", "none").unwrap(), Action::Set(json!({ "rank": null })));
        assert_eq!(set("stage", "Engaged").unwrap(), Action::Set(json!({ "engagementStage": "engaged" })));
        assert_eq!(check("access", Some("#war-room")).unwrap(), Action::Check(json!({ "type": "channel", "target": "#war-room" })));
        assert_eq!(config(&["tier", "usul", "bgt=1000"]).unwrap(), Action::ConfigSet(json!({ "bgt": { "usul": "1000" } })));
        assert_eq!(
            config(&["tier", "naib", "minRank=1", "maxRank=10"]).unwrap(),
            Action::ConfigSet(json!({ "tiers": { "naib": { "minRank": 1, "maxRank": 10 } } }))
        );
        assert_eq!(config(&["bgt", "sihaya=400"]).unwrap(), Action::ConfigSet(json!({ "bgt": { "sihaya": "400" } })));
        assert_eq!(
            config(&["set", "stage", "engaged", "minPoints=75"]).unwrap(),
            Action::ConfigSet(json!({ "engagement": { "engagedMin": 75 } }))
        );
        assert_eq!(assume(&["role", "reset"], None).unwrap(), Action::AssumeReset);
        assert_eq!(assume(&["Fedaykin"], Some(42)).unwrap(), Action::Assume(json!({ "tierId": "fedaykin", "rank": 42 })));
    }

    #[test]
    fn mistakes_name_the_field_and_the_valid_words() {
        let err = set("bgtt", "5").unwrap_err();
        assert_eq!(err.details["field"], "attribute");
        assert!(err.message.contains("bgt, rank, stage"), "{}", err.message);
        assert_eq!(check("access", None).unwrap_err().details["field"], "target");
        assert_eq!(check("perms", None).unwrap_err().details["field"], "type");
        assert_eq!(config(&["tier", "naib", "min=3"]).unwrap_err().details["field"], "min");
        assert_eq!(config(&["bgt", "sihaya"]).unwrap_err().details["field"], "args");
    }
}
