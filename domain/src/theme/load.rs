//! Reading a theme from TOML, JSON or YAML text. A file that cannot be read gets an error with
//! the field path; one that reads but breaks a rule gets every validation error.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Theme;
use crate::error::{FieldError, FieldErrors, Rule};

/// The text formats a theme file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ThemeFormat {
    /// `.toml`
    Toml,
    /// `.json`
    Json,
    /// `.yaml` or `.yml`
    Yaml,
}

impl ThemeFormat {
    /// The format a file name's extension implies.
    pub fn from_file_name(name: &str) -> Option<ThemeFormat> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(ThemeFormat::Toml),
            "json" => Some(ThemeFormat::Json),
            "yaml" | "yml" => Some(ThemeFormat::Yaml),
            _ => None,
        }
    }
}

impl Theme {
    /// Reads and validates a theme.
    pub fn load(text: &str, format: ThemeFormat) -> Result<Theme, FieldErrors> {
        let theme: Theme = match format {
            ThemeFormat::Toml => from_toml(text),
            ThemeFormat::Json => from_json(text),
            ThemeFormat::Yaml => from_yaml(text),
        }?;
        theme.validate()?;
        Ok(theme)
    }

    /// Reads and validates a TOML theme.
    pub fn from_toml_str(text: &str) -> Result<Theme, FieldErrors> {
        Theme::load(text, ThemeFormat::Toml)
    }

    /// Reads and validates a JSON theme.
    pub fn from_json_str(text: &str) -> Result<Theme, FieldErrors> {
        Theme::load(text, ThemeFormat::Json)
    }

    /// Reads and validates a YAML theme.
    pub fn from_yaml_str(text: &str) -> Result<Theme, FieldErrors> {
        Theme::load(text, ThemeFormat::Yaml)
    }
}

fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let deserializer = toml::Deserializer::parse(text).map_err(|e| syntax("", &e))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| syntax(&e.path().to_string(), e.inner()))
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| syntax(&e.path().to_string(), e.inner()))
}

fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| syntax(&e.path().to_string(), e.inner()))
}

fn syntax(path: &str, error: &dyn std::fmt::Display) -> FieldError {
    let path = if path == "." { "" } else { path };
    let message = error.to_string();
    let rule = if message.contains("unknown field") {
        Rule::UnknownField
    } else if message.contains("missing field") {
        Rule::Missing
    } else if message.contains("invalid type") {
        Rule::WrongType
    } else {
        Rule::Syntax
    };
    FieldError::new(path, rule, message.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r##"
id = "tiny"
name = "Tiny"
tierStrategy = "rankOnly"
categories = []
[[tiers]]
id = "member"
name = "Member"
colour = "#123456"
permissions = ["read"]
assignment = { by = "rank", minRank = 1 }
"##;

    #[test]
    fn a_minimal_toml_theme_loads_with_gate_defaults() {
        let theme = Theme::from_toml_str(MINIMAL).unwrap();
        assert_eq!(theme.gate.engaged_min, 50);
        assert_eq!(theme.tiers[0].id, "member");
    }

    #[test]
    fn the_same_theme_reads_from_json_and_yaml() {
        let theme = Theme::from_toml_str(MINIMAL).unwrap();
        let json = serde_json::to_string(&theme).unwrap();
        assert_eq!(Theme::from_json_str(&json).unwrap(), theme);
        let yaml = serde_norway::to_string(&theme).unwrap();
        assert_eq!(Theme::from_yaml_str(&yaml).unwrap(), theme);
    }

    #[test]
    fn an_unknown_field_names_its_path() {
        let text = MINIMAL.replace("colour = ", "color = \"#000000\"\ncolour = ");
        let errors = Theme::from_toml_str(&text).unwrap_err();
        let error = &errors.0[0];
        assert_eq!(error.rule, Rule::UnknownField);
        assert_eq!(error.path, "tiers[0].color");
    }

    #[test]
    fn a_bad_threshold_names_the_field_and_the_rule() {
        let json = r##"{"id":"t","name":"T","tierStrategy":"rankThenBgt","categories":[],
            "tiers":[{"id":"a","name":"A","colour":"#000000","permissions":[],
            "assignment":{"by":"bgt","threshold":"-4"}}]}"##;
        let errors = Theme::from_json_str(json).unwrap_err();
        assert!(errors.0[0].path.starts_with("tiers[0].assignment"), "{errors}");
        assert!(errors.to_string().contains("must not be negative"), "{errors}");
    }

    #[test]
    fn formats_follow_the_file_extension() {
        assert_eq!(ThemeFormat::from_file_name("my.theme.YML"), Some(ThemeFormat::Yaml));
        assert_eq!(ThemeFormat::from_file_name("theme"), None);
    }
}
