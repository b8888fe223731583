//! Validation errors as data: each names the field path, the rule that was broken, and says so
//! in a sentence. Theme files, state patches, threshold overrides and assumptions all use them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Rule {
    /// The text could not be read at all (a TOML, JSON or YAML syntax error).
    Syntax,
    /// A field the format does not have.
    UnknownField,
    /// A value of the wrong JSON type.
    WrongType,
    /// A required value is missing or empty.
    Missing,
    /// A number below zero.
    Negative,
    /// A fraction where a whole number is needed.
    Fractional,
    /// Zero where a positive number is needed.
    Zero,
    /// A number too large to hold.
    TooLarge,
    /// More fractional digits than allowed.
    TooPrecise,
    /// Not a number.
    NotANumber,
    /// A stage that does not exist.
    UnknownStage,
    /// A tier id the theme does not have.
    UnknownTier,
    /// A badge id the theme does not have.
    UnknownBadge,
    /// A badge that is earned by a rule and cannot be granted.
    NotGrantable,
    /// Two values that contradict each other.
    Conflict,
    /// A value that would have no effect in this theme.
    NoEffect,
    /// An id or name used twice.
    Duplicate,
    /// Two rank ranges sharing a rank.
    OverlappingRanks,
    /// A range whose minimum is above its maximum.
    InvertedRange,
    /// Thresholds or ranges that do not follow the tier order.
    OutOfOrder,
    /// A malformed colour, name or setting.
    Malformed,
}

/// One broken rule at one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[error("{path}: {message}")]
pub struct FieldError {
    /// Where, as a path ("tiers[3].assignment.threshold", "bgt.sihaya", "rank").
    pub path: String,
    /// Which rule.
    pub rule: Rule,
    /// A plain sentence saying what is wrong and what is allowed.
    pub message: String,
}

impl FieldError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, rule: Rule, message: impl Into<String>) -> FieldError {
        FieldError { path: path.into(), rule, message: message.into() }
    }
}

/// Every broken rule found in one input, so a user can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records one more error.
    pub fn push(&mut self, path: impl Into<String>, rule: Rule, message: impl Into<String>) {
        self.0.push(FieldError::new(path, rule, message));
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors.
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// Whether some error has this rule at this path.
    pub fn has(&self, path: &str, rule: Rule) -> bool {
        self.0.iter().any(|e| e.path == path && e.rule == rule)
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> FieldErrors {
        FieldErrors(vec![error])
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for error in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{error}")?;
        }
        Ok(())
    }
}
