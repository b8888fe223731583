//! The rules for single state fields, shared by JSON patches and CSV uploads so both refuse the
//! same values with the same sentences: ranks are positive whole numbers, counters are
//! non-negative whole numbers, flags are true or false.

use serde_json::Value;

use crate::error::{FieldError, Rule};
use crate::fixed::{self, DecimalProblem};
use crate::rank::Rank;

/// Why one field's value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldProblem {
    Negative,
    Fractional,
    Zero,
    TooLarge,
    NotANumber,
}

impl FieldProblem {
    /// The error for `field` holding `got`.
    pub(crate) fn error(self, field: &str, got: &str) -> FieldError {
        let (rule, message) = match self {
            FieldProblem::Negative => (Rule::Negative, format!("{field} must not be negative; got {got}")),
            FieldProblem::Fractional => (Rule::Fractional, format!("{field} must be a whole number; got {got}")),
            FieldProblem::Zero if field == "rank" => {
                (Rule::Zero, format!("rank must be a positive whole number (1 is the top of the leaderboard); got {got}"))
            }
            FieldProblem::Zero => (Rule::Zero, format!("{field} must be 1 or more; got {got}")),
            FieldProblem::TooLarge => (Rule::TooLarge, format!("{field} is too large; got {got}")),
            FieldProblem::NotANumber => (Rule::NotANumber, format!("{field} must be a number; got {got:?}")),
        };
        FieldError::new(field, rule, message)
    }
}

/// Reads a whole, non-negative number; "7.0" is whole, "7.5" is not.
fn parse_whole(text: &str) -> Result<u128, FieldProblem> {
    const UNIT: u128 = 1_000_000_000_000_000_000;
    match fixed::parse_scaled(text, 18) {
        Ok(scaled) if scaled % UNIT != 0 => Err(FieldProblem::Fractional),
        Ok(scaled) => Ok(scaled / UNIT),
        Err(DecimalProblem::Negative) => Err(FieldProblem::Negative),
        Err(DecimalProblem::TooPrecise { .. }) => Err(FieldProblem::Fractional),
        Err(DecimalProblem::TooLarge) => Err(FieldProblem::TooLarge),
        Err(DecimalProblem::Empty | DecimalProblem::NotANumber) => Err(FieldProblem::NotANumber),
    }
}

/// A rank from text: a positive whole number.
pub(crate) fn parse_rank_text(text: &str) -> Result<Rank, FieldProblem> {
    let whole = parse_whole(text)?;
    let whole = u32::try_from(whole).map_err(|_| FieldProblem::TooLarge)?;
    Rank::new(whole).ok_or(FieldProblem::Zero)
}

/// A counter from text: a non-negative whole number that fits `T`.
pub(crate) fn parse_count_text<T: TryFrom<u128>>(text: &str) -> Result<T, FieldProblem> {
    T::try_from(parse_whole(text)?).map_err(|_| FieldProblem::TooLarge)
}

/// A flag from text: true/false, yes/no or 1/0.
pub(crate) fn parse_bool_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The exact text of a JSON number, never with an exponent (so 6.9 reads as "6.9").
pub(crate) fn number_text(value: &Value) -> Option<String> {
    let number = value.as_number()?;
    if let Some(unsigned) = number.as_u64() {
        return Some(unsigned.to_string());
    }
    if let Some(signed) = number.as_i64() {
        return Some(signed.to_string());
    }
    number.as_f64().and_then(|float| fixed::float_text(float).ok())
}

/// The JSON type of a value, for "got a string" sentences.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A whole number from a JSON value: numbers only, with the rule sentences of `field`.
pub(crate) fn whole_from_json<T: TryFrom<u128>>(field: &str, value: &Value) -> Result<T, FieldError> {
    match number_text(value) {
        Some(text) => parse_count_text(&text).map_err(|problem| problem.error(field, &text)),
        None => Err(FieldError::new(field, Rule::WrongType, format!("{field} must be a whole number; got {}", json_type(value)))),
    }
}

/// A rank from a JSON value.
pub(crate) fn rank_from_json(value: &Value) -> Result<Rank, FieldError> {
    match number_text(value) {
        Some(text) => parse_rank_text(&text).map_err(|problem| problem.error("rank", &text)),
        None => {
            Err(FieldError::new("rank", Rule::WrongType, format!("rank must be a positive whole number or null; got {}", json_type(value))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranks_must_be_positive_whole_numbers() {
        assert_eq!(rank_from_json(&json!(42)).unwrap().get(), 42);
        assert_eq!(rank_from_json(&json!(7.0)).unwrap().get(), 7);
        assert_eq!(rank_from_json(&json!(0)).unwrap_err().rule, Rule::Zero);
        assert_eq!(rank_from_json(&json!(-3)).unwrap_err().rule, Rule::Negative);
        assert_eq!(rank_from_json(&json!(7.5)).unwrap_err().rule, Rule::Fractional);
        assert_eq!(rank_from_json(&json!("7")).unwrap_err().rule, Rule::WrongType);
        assert_eq!(rank_from_json(&json!(5_000_000_000u64)).unwrap_err().rule, Rule::TooLarge);
    }

    #[test]
    fn counters_refuse_negatives_and_fractions() {
        assert_eq!(whole_from_json::<u32>("tenureDays", &json!(45)), Ok(45));
        let error = whole_from_json::<u32>("tenureDays", &json!(-1)).unwrap_err();
        assert_eq!(error.message, "tenureDays must not be negative; got -1");
        assert_eq!(parse_count_text::<u32>("2.5"), Err(FieldProblem::Fractional));
    }

    #[test]
    fn flags_read_common_spellings() {
        assert_eq!(parse_bool_text("Yes"), Some(true));
        assert_eq!(parse_bool_text("0"), Some(false));
        assert_eq!(parse_bool_text("maybe"), None);
    }
}
