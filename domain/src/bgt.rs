//! BGT amounts as exact fixed-point values (wei, 18 decimals): parsing, display, ordering, the
//! arithmetic explanations need ("+80"), and serde as a string that also accepts JSON numbers.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::fixed::{self, DecimalProblem};

/// Fractional digits of a BGT amount.
pub const BGT_DECIMALS: u32 = 18;

/// A non-negative BGT amount, stored exactly in wei (10^-18 BGT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bgt(u128);

/// Why a text or number is not a BGT amount; each message names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BgtError {
    /// Nothing was given.
    #[error("BGT must be a non-negative decimal; got an empty value")]
    Empty,
    /// A minus sign.
    #[error("BGT must not be negative; got {0}")]
    Negative(String),
    /// Text, NaN or infinity.
    #[error("BGT must be a plain decimal number such as 500 or 6.9; got {0:?}")]
    NotANumber(String),
    /// More than 18 fractional digits.
    #[error("BGT has at most 18 fractional digits (wei); {text} has {digits}")]
    TooPrecise {
        /// The refused text.
        text: String,
        /// How many fractional digits it had.
        digits: usize,
    },
    /// Beyond what 128 bits of wei hold.
    #[error("BGT amount {0} is too large")]
    TooLarge(String),
}

impl Bgt {
    /// Zero BGT.
    pub const ZERO: Bgt = Bgt(0);
    /// The smallest step between two amounts: one wei.
    pub const WEI: Bgt = Bgt(1);
    const UNIT: u128 = 1_000_000_000_000_000_000;

    /// An amount from its count of wei.
    pub const fn from_wei(wei: u128) -> Bgt {
        Bgt(wei)
    }

    /// The amount in wei.
    pub const fn wei(self) -> u128 {
        self.0
    }

    /// A whole number of BGT.
    pub const fn whole(bgt: u64) -> Bgt {
        Bgt(bgt as u128 * Self::UNIT)
    }

    /// Parses a decimal text such as "500" or "6.9".
    pub fn parse(text: &str) -> Result<Bgt, BgtError> {
        fixed::parse_scaled(text, BGT_DECIMALS).map(Bgt).map_err(|problem| BgtError::from_problem(problem, text.trim()))
    }

    /// Converts a float from a JSON, TOML or YAML number through its shortest round-trip text,
    /// so 6.9 is exactly 6.9.
    pub fn from_float(value: f64) -> Result<Bgt, BgtError> {
        if value < 0.0 {
            return Err(BgtError::Negative(format!("{value}")));
        }
        let text = fixed::float_text(value).map_err(|problem| BgtError::from_problem(problem, &format!("{value}")))?;
        Bgt::parse(&text)
    }

    /// Adds, or `None` on overflow.
    pub fn checked_add(self, other: Bgt) -> Option<Bgt> {
        self.0.checked_add(other.0).map(Bgt)
    }

    /// Subtracts, or `None` below zero.
    pub fn checked_sub(self, other: Bgt) -> Option<Bgt> {
        self.0.checked_sub(other.0).map(Bgt)
    }

    /// The signed change that takes `self` to `to`.
    pub fn delta_to(self, to: Bgt) -> BgtDelta {
        BgtDelta { negative: to < self, amount: Bgt(self.0.abs_diff(to.0)) }
    }

    /// How many fractional digits the shortest exact text of this amount has (6.9 has 1).
    pub fn scale(self) -> u32 {
        fixed::fractional_digits(self.0, BGT_DECIMALS)
    }

    /// One step at the given scale: 10^-digits BGT.
    pub fn step(digits: u32) -> Bgt {
        Bgt(10u128.pow(BGT_DECIMALS - digits.min(BGT_DECIMALS)))
    }
}

impl BgtError {
    /// The validation rule this error breaks.
    pub fn rule(&self) -> crate::error::Rule {
        use crate::error::Rule;
        match self {
            BgtError::Negative(_) => Rule::Negative,
            BgtError::TooPrecise { .. } => Rule::TooPrecise,
            BgtError::TooLarge(_) => Rule::TooLarge,
            BgtError::Empty | BgtError::NotANumber(_) => Rule::NotANumber,
        }
    }

    fn from_problem(problem: DecimalProblem, text: &str) -> BgtError {
        match problem {
            DecimalProblem::Empty => BgtError::Empty,
            DecimalProblem::Negative => BgtError::Negative(text.to_owned()),
            DecimalProblem::NotANumber => BgtError::NotANumber(text.to_owned()),
            DecimalProblem::TooPrecise { digits } => BgtError::TooPrecise { text: text.to_owned(), digits },
            DecimalProblem::TooLarge => BgtError::TooLarge(text.to_owned()),
        }
    }
}

impl fmt::Display for Bgt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / Bgt::UNIT;
        // Whole amounts are the common case; they need no fractional formatting, and 128-bit
        // division is slow enough to do once.
        if self.0 == whole * Bgt::UNIT {
            return f.write_str(itoa::Buffer::new().format(whole));
        }
        f.write_str(&fixed::format_scaled(self.0, BGT_DECIMALS))
    }
}

impl FromStr for Bgt {
    type Err = BgtError;

    fn from_str(text: &str) -> Result<Bgt, BgtError> {
        Bgt::parse(text)
    }
}

/// A signed difference between two amounts, shown as "+80" or "-0.5".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BgtDelta {
    /// Whether the change lowers the balance.
    pub negative: bool,
    /// The size of the change.
    pub amount: Bgt,
}

impl fmt::Display for BgtDelta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.negative { '-' } else { '+' };
        write!(f, "{sign}{}", self.amount)
    }
}

impl Serialize for BgtDelta {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Bgt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Bgt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bgt, D::Error> {
        deserializer.deserialize_any(BgtVisitor)
    }
}

struct BgtVisitor;

impl Visitor<'_> for BgtVisitor {
    type Value = Bgt;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative BGT amount as a string (\"6.9\") or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Bgt, E> {
        Bgt::parse(text).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Bgt, E> {
        Ok(Bgt::whole(value))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Bgt, E> {
        Bgt::parse(&value.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Bgt, E> {
        Bgt::parse(&value.to_string()).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Bgt, E> {
        Bgt::parse(&value.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Bgt, E> {
        Bgt::from_float(value).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_number_six_point_nine_stays_exact() {
        let bgt: Bgt = serde_json::from_str("6.9").unwrap();
        assert_eq!(bgt, Bgt::parse("6.9").unwrap());
        assert_eq!(serde_json::to_string(&bgt).unwrap(), "\"6.9\"");
    }

    #[test]
    fn a_json_string_is_read_exactly() {
        let bgt: Bgt = serde_json::from_str("\"68.999999999999999999\"").unwrap();
        assert_eq!(bgt.wei(), 68_999_999_999_999_999_999);
    }

    #[test]
    fn negative_numbers_and_strings_are_rejected() {
        let err = serde_json::from_str::<Bgt>("-1").unwrap_err().to_string();
        assert!(err.contains("must not be negative"), "{err}");
        let err = serde_json::from_str::<Bgt>("\"-0.1\"").unwrap_err().to_string();
        assert!(err.contains("must not be negative"), "{err}");
    }

    #[test]
    fn text_is_not_a_number() {
        let err = serde_json::from_str::<Bgt>("\"lots\"").unwrap_err().to_string();
        assert!(err.contains("plain decimal"), "{err}");
    }

    #[test]
    fn nineteen_digits_break_the_wei_rule() {
        let err = Bgt::parse("1.0000000000000000001").unwrap_err();
        assert!(err.to_string().contains("at most 18 fractional digits"));
    }

    #[test]
    fn deltas_carry_a_sign() {
        let from = Bgt::whole(340);
        let to = Bgt::whole(420);
        assert_eq!(from.delta_to(to).to_string(), "+80");
        assert_eq!(to.delta_to(from).to_string(), "-80");
    }

    #[test]
    fn steps_follow_the_scale() {
        assert_eq!(Bgt::step(1).to_string(), "0.1");
        assert_eq!(Bgt::step(18), Bgt::WEI);
        assert_eq!(Bgt::parse("6.9").unwrap().scale(), 1);
    }
}
