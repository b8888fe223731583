//! The reader behind the parser: walks a JSON value (YAML is read into the same shape), keeps
//! the path to every field, collects every problem instead of stopping at the first, and looks
//! names up in the theme so unknown tiers, channels, features and badges come with near matches.

use serde_json::{Map, Value};

use super::error::{ErrorKind, ScenarioError, MAX_ERRORS};
use crate::bgt::Bgt;
use crate::error::{FieldErrors, Rule};
use crate::eval::Evaluator;
use crate::lookup::hint;
use crate::stage::BlurLevel;
use crate::state::{json_type, number_text};

/// Collects errors while reading; knows the theme when it could be resolved.
pub(crate) struct Reader<'e> {
    pub errors: Vec<ScenarioError>,
    /// The example row being read, for table-driven scenarios.
    pub example: Option<usize>,
    /// The theme's evaluator with default thresholds; without it ids are not checked.
    pub ev: Option<&'e Evaluator<'e>>,
}

/// `parent.key`, or `key` at the top.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        let mut path = String::with_capacity(parent.len() + key.len() + 1);
        path.push_str(parent);
        path.push('.');
        path.push_str(key);
        path
    }
}

/// `parent[index]`.
pub(crate) fn at(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

impl<'e> Reader<'e> {
    pub(crate) fn new(ev: Option<&'e Evaluator<'e>>) -> Reader<'e> {
        Reader { errors: Vec::new(), example: None, ev }
    }

    /// Records a problem.
    pub(crate) fn error(&mut self, path: &str, kind: ErrorKind, message: impl Into<String>) {
        self.push(ScenarioError::new(path, kind, message));
    }

    pub(crate) fn push(&mut self, mut error: ScenarioError) {
        // A mistake in a table's template is made again by every row; one report of it is enough.
        let repeated = || self.errors.iter().any(|e| e.path == error.path && e.kind == error.kind && e.message == error.message);
        if self.example.is_some() && repeated() {
            return;
        }
        if self.errors.len() < MAX_ERRORS {
            error.example = error.example.or(self.example);
            self.errors.push(error);
        }
    }

    /// Records an unknown name with its near matches among `known`.
    pub(crate) fn unknown<'k>(&mut self, path: &str, kind: ErrorKind, what: &str, name: &str, known: impl IntoIterator<Item = &'k str>) {
        let near = hint(name, known);
        let message = format!("unknown {what} {name}{}", near.text);
        self.push(ScenarioError::new(path, kind, message).with_near(near.near));
    }

    /// The value as a map, or a type error.
    pub(crate) fn map<'v>(&mut self, path: &str, value: &'v Value, what: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.error(path, ErrorKind::WrongType, format!("{what} must be a map; got {}", json_type(other)));
                None
            }
        }
    }

    /// Reports every key of `map` that is not in `known`.
    pub(crate) fn known_keys(&mut self, path: &str, map: &Map<String, Value>, known: &[&str]) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                self.unknown(&join(path, key), ErrorKind::UnknownKey, "key", key, known.iter().copied());
            }
        }
    }

    /// A non-empty text.
    pub(crate) fn text(&mut self, path: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
            Value::String(_) => {
                self.error(path, ErrorKind::Missing, "must not be empty");
                None
            }
            Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
            other => {
                self.error(path, ErrorKind::WrongType, format!("must be text; got {}", json_type(other)));
                None
            }
        }
    }

    /// One text or a list of texts.
    pub(crate) fn texts(&mut self, path: &str, value: &Value) -> Option<Vec<String>> {
        match value {
            Value::Array(items) => {
                let mut texts = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.text(&at(path, i), item) {
                        Some(text) => texts.push(text),
                        None => ok = false,
                    }
                }
                ok.then_some(texts)
            }
            single => self.text(path, single).map(|text| vec![text]),
        }
    }

    /// True or false.
    pub(crate) fn boolean(&mut self, path: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.error(path, ErrorKind::WrongType, format!("must be true or false; got {}", json_type(other)));
                None
            }
        }
    }

    /// A whole, non-negative number.
    pub(crate) fn count(&mut self, path: &str, value: &Value) -> Option<u64> {
        match crate::state::whole_from_json::<u64>(path, value) {
            Ok(count) => Some(count),
            Err(error) => {
                self.error(path, kind_of(error.rule), error.message);
                None
            }
        }
    }

    /// An exact BGT amount, as text or a number.
    pub(crate) fn bgt(&mut self, path: &str, value: &Value) -> Option<Bgt> {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(_) => number_text(value).unwrap_or_default(),
            other => {
                self.error(path, ErrorKind::WrongType, format!("must be a BGT amount such as \"6.9\"; got {}", json_type(other)));
                return None;
            }
        };
        Bgt::parse(&text).map_err(|error| self.error(path, ErrorKind::InvalidValue, error.to_string())).ok()
    }

    /// A blur level from 0 to 1.
    pub(crate) fn blur(&mut self, path: &str, value: &Value) -> Option<BlurLevel> {
        serde_json::from_value::<BlurLevel>(value.clone())
            .map_err(|error| self.error(path, ErrorKind::InvalidValue, error.to_string()))
            .ok()
    }

    /// One word of a fixed list.
    pub(crate) fn choice(&mut self, path: &str, value: &Value, choices: &[&'static str]) -> Option<&'static str> {
        let text = self.text(path, value)?;
        let found = choices.iter().find(|choice| choice.eq_ignore_ascii_case(&text)).copied();
        if found.is_none() {
            let near = hint(&text, choices.iter().copied());
            let message = format!("{text} is not one of {}{}", choices.join(", "), crate::lookup::did_you_mean(&near.near));
            self.push(ScenarioError::new(path, ErrorKind::UnknownValue, message).with_near(near.near));
        }
        found
    }

    /// A tier id of the theme.
    pub(crate) fn tier(&mut self, path: &str, value: &Value) -> Option<String> {
        let id = self.text(path, value)?;
        if let Some(ev) = self.ev {
            if ev.theme().tier(&id).is_none() {
                let theme = ev.theme();
                self.unknown(
                    path,
                    ErrorKind::UnknownTier,
                    &format!("tier of theme {}:", theme.id),
                    &id,
                    theme.tiers.iter().map(|t| t.id.as_str()),
                );
                return None;
            }
        }
        Some(id)
    }

    /// A channel name of the theme, with or without `#`.
    pub(crate) fn channel(&mut self, path: &str, value: &Value) -> Option<String> {
        let name = self.text(path, value)?;
        if let Some(Err(crate::eval::CheckError::UnknownChannel { near_matches, message, .. })) = self.ev.map(|ev| ev.channel_index(&name))
        {
            self.push(ScenarioError::new(path, ErrorKind::UnknownChannel, message).with_near(near_matches));
            return None;
        }
        Some(name)
    }

    /// A feature id of the theme.
    pub(crate) fn feature(&mut self, path: &str, value: &Value) -> Option<String> {
        let id = self.text(path, value)?;
        if let Some(Err(crate::eval::CheckError::UnknownFeature { near_matches, message, .. })) = self.ev.map(|ev| ev.feature_index(&id)) {
            self.push(ScenarioError::new(path, ErrorKind::UnknownFeature, message).with_near(near_matches));
            return None;
        }
        Some(id)
    }

    /// A badge id of the theme.
    pub(crate) fn badge(&mut self, path: &str, value: &Value) -> Option<String> {
        let id = self.text(path, value)?;
        if let Some(ev) = self.ev {
            let theme = ev.theme();
            if theme.badge(&id).is_none() {
                self.unknown(
                    path,
                    ErrorKind::UnknownBadge,
                    &format!("badge of theme {}:", theme.id),
                    &id,
                    theme.badges.iter().map(|b| b.id.as_str()),
                );
                return None;
            }
        }
        Some(id)
    }

    /// A list of ids read one by one with `read` (one id alone is a list of one).
    pub(crate) fn ids(
        &mut self,
        path: &str,
        value: &Value,
        read: fn(&mut Reader<'e>, &str, &Value) -> Option<String>,
    ) -> Option<Vec<String>> {
        let items: Vec<(String, &Value)> = match value {
            Value::Array(items) => items.iter().enumerate().map(|(i, item)| (at(path, i), item)).collect(),
            single => vec![(path.to_owned(), single)],
        };
        let mut ids = Vec::with_capacity(items.len());
        let mut ok = true;
        for (item_path, item) in items {
            match read(self, &item_path, item) {
                Some(id) => ids.push(id),
                None => ok = false,
            }
        }
        ok.then_some(ids)
    }

    /// Engine validation errors, each under `prefix` with its field path renamed by `rename`.
    pub(crate) fn field_errors(&mut self, prefix: &str, errors: FieldErrors, rename: impl Fn(&str) -> String) {
        for error in errors.0 {
            let path = if error.path.is_empty() { prefix.to_owned() } else { join(prefix, &rename(&error.path)) };
            self.error(&path, kind_of(error.rule), error.message);
        }
    }
}

/// The scenario error kind of an engine rule.
pub(crate) fn kind_of(rule: Rule) -> ErrorKind {
    match rule {
        Rule::Syntax => ErrorKind::Syntax,
        Rule::UnknownField => ErrorKind::UnknownKey,
        Rule::WrongType => ErrorKind::WrongType,
        Rule::Missing => ErrorKind::Missing,
        Rule::UnknownTier => ErrorKind::UnknownTier,
        Rule::UnknownBadge => ErrorKind::UnknownBadge,
        Rule::UnknownStage => ErrorKind::UnknownValue,
        Rule::Conflict => ErrorKind::Conflict,
        _ => ErrorKind::InvalidValue,
    }
}
