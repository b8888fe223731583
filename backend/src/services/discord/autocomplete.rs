//! Autocomplete for `/simulation`: tiers, channels and features from the theme of the guild's
//! sandbox, the names of its saved scenarios, stages and booleans for `set value`. No simulation
//! is read and no rate limit is spent on keystrokes.

use super::options::Invocation;
use super::reply::CHOICES_MAX;
use crate::services::sandbox::theme;
use crate::state::AppState;
use crate::store;
use domain::{Stage, Theme};
use uuid::Uuid;
use wire::error::ApiError;

/// The choices for the focused option, best first: names that start with what was typed,
/// then names that contain it.
#[tracing::instrument(name = "discord::autocomplete::choices", skip_all)]
pub async fn choices(state: &AppState, sandbox: Uuid, inv: &Invocation) -> Result<Vec<(String, String)>, ApiError> {
    let Some((option, typed)) = inv.focused() else {
        return Ok(Vec::new());
    };
    let Some(row) = store::sandbox::get(&state.stores.pg, sandbox).await? else {
        return Ok(Vec::new());
    };
    let all = if (inv.sub.as_str(), option.as_str()) == ("scenario", "name") {
        store::scenario::saved_names(&state.stores.pg, row.id).await?.into_iter().map(|(name, _)| (name.clone(), name)).collect()
    } else {
        candidates(&*theme::of(state, &row)?, inv, &option)
    };
    Ok(rank(all, &typed))
}

/// Every candidate `(shown name, value)` for an option.
fn candidates(theme: &Theme, inv: &Invocation, option: &str) -> Vec<(String, String)> {
    match (inv.sub.as_str(), option) {
        ("assume", "tier") => {
            let mut tiers: Vec<(String, String)> =
                theme.tiers.iter().rev().map(|t| (format!("{} ({})", t.name, t.id), t.id.clone())).collect();
            tiers.push(("reset (back to the computed tier)".to_owned(), "reset".to_owned()));
            tiers
        }
        ("check", "target") => {
            let kind = inv.text("type").unwrap_or_default();
            let channels = theme.channels().map(|(category, c)| (format!("#{} ({})", c.name, category.name), c.name.clone()));
            let features = theme.feature_ids().into_iter().map(|f| (format!("feature {f}"), f.to_owned()));
            match kind.as_str() {
                "access" => channels.collect(),
                "feature" => features.collect(),
                _ => channels.chain(features).collect(),
            }
        }
        ("set", "value") => match inv.text("attribute").as_deref() {
            Some("stage") => Stage::ALL.iter().map(|s| (s.id().to_owned(), s.id().to_owned())).collect(),
            Some("verified") => ["true", "false"].iter().map(|b| (b.to_string(), b.to_string())).collect(),
            Some("rank") => vec![("none (clear the rank)".to_owned(), "none".to_owned())],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn rank(all: Vec<(String, String)>, typed: &str) -> Vec<(String, String)> {
    let typed = typed.trim().trim_start_matches('#').to_lowercase();
    let (mut first, mut then) = (Vec::new(), Vec::new());
    for (name, value) in all {
        let (n, v) = (name.to_lowercase(), value.to_lowercase());
        if v.starts_with(&typed) || n.starts_with(&typed) {
            first.push((name, value));
        } else if n.contains(&typed) {
            then.push((name, value));
        }
    }
    first.extend(then);
    first.truncate(CHOICES_MAX);
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use twilight_model::application::interaction::application_command::CommandData;

    fn focused(sub: &str, options: serde_json::Value) -> Invocation {
        let data: CommandData = serde_json::from_value(json!({
            "id": "1", "name": "simulation", "type": 1,
            "options": [{ "name": sub, "type": 1, "options": options }]
        }))
        .unwrap();
        Invocation::of(&data).unwrap()
    }

    #[test]
    fn channels_matching_what_was_typed_come_first() {
        let theme = Theme::builtin("sietch").unwrap();
        let inv = focused(
            "check",
            json!([{ "name": "type", "type": 3, "value": "access" }, { "name": "target", "type": 3, "value": "#war", "focused": true }]),
        );
        let got = rank(candidates(theme, &inv, "target"), "#war");
        assert_eq!(got[0].1, "war-room");
    }

    #[test]
    fn tiers_are_offered_highest_first_with_reset_last() {
        let theme = Theme::builtin("sietch").unwrap();
        let inv = focused("assume", json!([{ "name": "tier", "type": 3, "value": "", "focused": true }]));
        let got = rank(candidates(theme, &inv, "tier"), "");
        assert_eq!(got.first().unwrap().1, "naib");
        assert_eq!(got.last().unwrap().1, "reset");
        assert_eq!(got.len(), 10);
    }
}
