//! Reading a `/simulation` invocation: the subcommand, its options (typed or, while
//! autocompleting, the focused partial text), and the `Action` they spell in the PRD grammar.

use super::grammar::{self, Action};
use twilight_model::application::interaction::application_command::{CommandData, CommandDataOption, CommandOptionValue};
use wire::error::ApiError;

/// A subcommand with its options.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    pub sub: String,
    pub options: Vec<CommandDataOption>,
}

impl Invocation {
    /// The subcommand of a `/simulation` command.
    pub fn of(data: &CommandData) -> Result<Self, ApiError> {
        let first = data.options.first().ok_or_else(|| ApiError::validation("subcommand", "choose a subcommand"))?;
        match &first.value {
            CommandOptionValue::SubCommand(options) => Ok(Self { sub: first.name.clone(), options: options.clone() }),
            _ => Err(ApiError::validation("subcommand", "choose a subcommand")),
        }
    }

    /// An option as text (strings, numbers, and the focused partial value all read as text).
    pub fn text(&self, name: &str) -> Option<String> {
        self.options.iter().find(|o| o.name == name).and_then(|o| match &o.value {
            CommandOptionValue::String(s) | CommandOptionValue::Focused(s, _) => Some(s.clone()),
            CommandOptionValue::Integer(n) => Some(n.to_string()),
            CommandOptionValue::Number(n) => Some(n.to_string()),
            CommandOptionValue::Boolean(b) => Some(b.to_string()),
            _ => None,
        })
    }

    /// The option being autocompleted and what has been typed so far.
    pub fn focused(&self) -> Option<(String, String)> {
        self.options.iter().find_map(|o| match &o.value {
            CommandOptionValue::Focused(typed, _) => Some((o.name.clone(), typed.clone())),
            _ => None,
        })
    }

    fn required(&self, name: &str) -> Result<String, ApiError> {
        self.text(name).ok_or_else(|| ApiError::validation(name, "is required"))
    }

    /// The action a state or check subcommand spells.
    pub fn action(&self) -> Result<Action, ApiError> {
        match self.sub.as_str() {
            "assume" => {
                let rank = self
                    .text("rank")
                    .map(|r| r.parse::<u32>().map_err(|_| ApiError::validation("rank", "a positive whole number")))
                    .transpose()?;
                grammar::assume(&[self.required("tier")?.as_str()], rank)
            }
            "set" => grammar::set(&self.required("attribute")?, &self.required("value")?),
            "check" => grammar::check(&self.required("type")?, self.text("target").as_deref()),
            "config" => {
                let action = self.required("action")?;
                let args = self.text("args").unwrap_or_default();
                let words: Vec<&str> = std::iter::once(action.as_str()).chain(args.split_whitespace()).collect();
                grammar::config(&words)
            }
            "whoami" => Ok(Action::Whoami),
            other => Err(ApiError::validation(
                "subcommand",
                format!("`{other}` is not a /simulation subcommand (allowed: assume, set, check, config, whoami)"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn invocation(data: serde_json::Value) -> Invocation {
        let data: CommandData = serde_json::from_value(data).unwrap();
        Invocation::of(&data).unwrap()
    }

    #[test]
    fn a_config_set_invocation_reads_as_the_prd_grammar() {
        let inv = invocation(json!({
            "id": "1", "name": "simulation", "type": 1,
            "options": [{ "name": "config", "type": 1, "options": [
                { "name": "action", "type": 3, "value": "set" },
                { "name": "args", "type": 3, "value": "tier usul bgt=1000" }
            ]}]
        }));
        assert_eq!(inv.sub, "config");
        assert_eq!(inv.action().unwrap(), Action::ConfigSet(json!({ "bgt": { "usul": "1000" } })));
    }

    #[test]
    fn the_focused_option_and_its_partial_text_are_found() {
        let inv = invocation(json!({
            "id": "1", "name": "simulation", "type": 1,
            "options": [{ "name": "check", "type": 1, "options": [
                { "name": "type", "type": 3, "value": "access" },
                { "name": "target", "type": 3, "value": "war", "focused": true }
            ]}]
        }));
        assert_eq!(inv.focused(), Some(("target".to_owned(), "war".to_owned())));
        assert_eq!(inv.text("type").as_deref(), Some("access"));
    }
}
