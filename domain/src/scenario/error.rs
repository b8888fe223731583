//! Why a scenario file was refused, as data: the path to the field ("scenarios[2].then[0].access.channel"),
//! the line and column of syntax errors, the example row an error came from, the kind of problem,
//! a sentence, and near matches for unknown names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// At most this many errors are kept for one file; a file with more is hopeless to read anyway.
pub(crate) const MAX_ERRORS: usize = 200;

/// What kind of problem an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The text is not valid YAML or JSON.
    Syntax,
    /// A key the format does not have (or a step or assertion kind it does not know).
    UnknownKey,
    /// A value of the wrong type (a list where a map is needed, text where a number is).
    WrongType,
    /// A required key or value is missing.
    Missing,
    /// A tier id the theme does not have.
    UnknownTier,
    /// A channel the theme does not have.
    UnknownChannel,
    /// A feature the theme does not have.
    UnknownFeature,
    /// A badge the theme does not have.
    UnknownBadge,
    /// A word outside its list (a stage, an activity, a rule name).
    UnknownValue,
    /// A value that breaks one of the engine's rules (a negative BGT, rank 0, an override with no effect).
    InvalidValue,
    /// An example placeholder that names no column, or a malformed examples table.
    Placeholder,
    /// Keys that cannot go together.
    Conflict,
    /// A limit (file size, scenarios, steps, assertions, example rows) was passed.
    Limit,
    /// The theme the file names is not available.
    Theme,
}

/// One problem at one place of a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioError {
    /// Where: a path such as `scenarios[2].then[0].access.channel`; empty for the whole file.
    pub path: String,
    /// The 1-based line of a syntax error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The 1-based column of a syntax error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The 1-based example row the error appeared in, for table-driven scenarios.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<usize>,
    /// What kind of problem.
    pub kind: ErrorKind,
    /// A sentence saying what is wrong and what is allowed.
    pub message: String,
    /// Known names close to an unknown one, closest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near_matches: Vec<String>,
}

impl ScenarioError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            path: path.into(),
            line: None,
            column: None,
            example: None,
            kind,
            message: message.into(),
            near_matches: Vec::new(),
        }
    }

    /// The same error with near matches.
    pub fn with_near(mut self, near: Vec<String>) -> ScenarioError {
        self.near_matches = near;
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        if let Some(row) = self.example {
            write!(f, "(example row {row}) ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one file: a file with any runs nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    /// Whether some error has this kind at this path.
    pub fn has(&self, path: &str, kind: ErrorKind) -> bool {
        self.0.iter().any(|e| e.path == path && e.kind == kind)
    }

    /// The errors.
    pub fn iter(&self) -> impl Iterator<Item = &ScenarioError> {
        self.0.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<ScenarioError> for ScenarioErrors {
    fn from(error: ScenarioError) -> ScenarioErrors {
        ScenarioErrors(vec![error])
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_reads_with_its_line_and_column() {
        let mut error = ScenarioError::new("", ErrorKind::Syntax, "did not find expected key");
        error.line = Some(4);
        error.column = Some(7);
        assert_eq!(error.to_string(), "line 4, column 7: did not find expected key");
    }

    #[test]
    fn an_error_serialises_in_camel_case_without_empty_parts() {
        let error = ScenarioError::new("scenarios[0].then[0].access.channel", ErrorKind::UnknownChannel, "no channel warroom")
            .with_near(vec!["war-room".to_owned()]);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["kind"], "unknownChannel");
        assert_eq!(json["nearMatches"][0], "war-room");
        assert!(json.get("line").is_none());
    }
}
