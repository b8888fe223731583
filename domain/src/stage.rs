//! Engagement stages of the progressive gate (`free < engaged < verified`) and blur levels,
//! kept as whole hundredths so no comparison touches floating point.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::fixed;

/// A stage of the progressive gate, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// Not verified and below ENGAGED_MIN points.
    Free,
    /// Not verified, at or above ENGAGED_MIN points.
    Engaged,
    /// Wallet verified.
    Verified,
}

impl Stage {
    /// Every stage, lowest first.
    pub const ALL: [Stage; 3] = [Stage::Free, Stage::Engaged, Stage::Verified];

    /// The stage's id ("free").
    pub fn id(self) -> &'static str {
        match self {
            Stage::Free => "free",
            Stage::Engaged => "engaged",
            Stage::Verified => "verified",
        }
    }

    /// Parses a stage id, ignoring case.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.id().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How much of a channel is blurred, from 0.0 (clear) to 1.0 (hidden), in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct BlurLevel(u8);

impl BlurLevel {
    /// Nothing blurred.
    pub const CLEAR: BlurLevel = BlurLevel(0);
    /// Fully hidden: the level of every denied channel.
    pub const HIDDEN: BlurLevel = BlurLevel(100);

    /// A level from whole percent, or `None` above 100.
    pub const fn from_percent(percent: u8) -> Option<BlurLevel> {
        if percent <= 100 {
            Some(BlurLevel(percent))
        } else {
            None
        }
    }

    /// The level in whole percent (0.3 is 30).
    pub const fn percent(self) -> u8 {
        self.0
    }

    /// Parses "0.3" (a fraction of 1 with at most two decimals).
    pub fn parse(text: &str) -> Result<BlurLevel, String> {
        let rule = "a blur level is a decimal from 0 to 1 with at most two decimals";
        match fixed::parse_scaled(text, 2) {
            Ok(hundredths) if hundredths <= 100 => Ok(BlurLevel(hundredths as u8)),
            _ => Err(format!("{rule}; got {text}")),
        }
    }
}

impl fmt::Display for BlurLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fixed::format_scaled(u128::from(self.0), 2))
    }
}

impl Serialize for BlurLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The PRD's clients read blurLevel as a JSON number; the integer is only divided for output.
        serializer.serialize_f64(f64::from(self.0) / 100.0)
    }
}

impl<'de> Deserialize<'de> for BlurLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<BlurLevel, D::Error> {
        deserializer.deserialize_any(BlurVisitor)
    }
}

struct BlurVisitor;

impl Visitor<'_> for BlurVisitor {
    type Value = BlurLevel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a blur level from 0 to 1")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<BlurLevel, E> {
        BlurLevel::parse(text).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<BlurLevel, E> {
        BlurLevel::parse(&value.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<BlurLevel, E> {
        BlurLevel::parse(&value.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<BlurLevel, E> {
        let text = fixed::float_text(value).unwrap_or_else(|_| format!("{value}"));
        BlurLevel::parse(&text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_free_engaged_verified() {
        assert!(Stage::Free < Stage::Engaged && Stage::Engaged < Stage::Verified);
        assert_eq!(Stage::parse("ENGAGED"), Some(Stage::Engaged));
        assert_eq!(Stage::parse("gold"), None);
    }

    #[test]
    fn blur_round_trips_as_a_json_number() {
        let blur: BlurLevel = serde_json::from_str("0.3").unwrap();
        assert_eq!(blur.percent(), 30);
        assert_eq!(serde_json::to_string(&blur).unwrap(), "0.3");
        assert_eq!(serde_json::to_string(&BlurLevel::HIDDEN).unwrap(), "1.0");
    }

    #[test]
    fn blur_above_one_is_refused() {
        assert!(serde_json::from_str::<BlurLevel>("1.5").is_err());
        assert!(serde_json::from_str::<BlurLevel>("0.333").is_err());
    }
}
