//! Structural validation of a theme: ids unique, every reference resolves, the ladder is
//! unambiguous, settings are usable. A theme that passes can be evaluated for any state.

use std::collections::HashSet;

use super::{Assignment, Restriction, Theme};
use crate::error::{FieldErrors, Rule};
use crate::ladder::{self, Rung};
use crate::lookup::{channel_key, hint};

impl Theme {
    /// Checks the theme; every broken rule is reported with its field path.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        require("id", &self.id, &mut errors);
        require("name", &self.name, &mut errors);
        if self.tiers.is_empty() {
            errors.push("tiers", Rule::Missing, "a theme needs at least one tier");
        }
        self.check_tiers(&mut errors);
        self.check_channels(&mut errors);
        self.check_badges(&mut errors);
        if self.gate.repeat_penalty.divisor == 0 {
            errors.push("gate.repeatPenalty.divisor", Rule::Zero, "the repeat penalty divides points, so its divisor must be 1 or more");
        }
        errors.into_result(())
    }

    fn check_tiers(&self, errors: &mut FieldErrors) {
        let mut seen = HashSet::new();
        for (i, tier) in self.tiers.iter().enumerate() {
            let path = format!("tiers[{i}]");
            require(&format!("{path}.id"), &tier.id, errors);
            require(&format!("{path}.name"), &tier.name, errors);
            if !tier.id.is_empty() && !seen.insert(tier.id.as_str()) {
                errors.push(format!("{path}.id"), Rule::Duplicate, format!("tier id {} is used twice", tier.id));
            }
            if !is_colour(&tier.colour) {
                let message = format!("colour must look like #RRGGBB; got {:?}", tier.colour);
                errors.push(format!("{path}.colour"), Rule::Malformed, message);
            }
            let mut permissions = HashSet::new();
            for (j, permission) in tier.permissions.iter().enumerate() {
                require(&format!("{path}.permissions[{j}]"), permission, errors);
                if !permissions.insert(permission) {
                    let message = format!("{} lists permission {permission} twice", tier.id);
                    errors.push(format!("{path}.permissions[{j}]"), Rule::Duplicate, message);
                }
            }
        }
        let rungs: Vec<Rung<'_>> = self
            .tiers
            .iter()
            .enumerate()
            .map(|(index, tier)| Rung {
                index,
                id: &tier.id,
                rank: match tier.assignment {
                    Assignment::Rank(range) => Some(range),
                    _ => None,
                },
                bgt: match tier.assignment {
                    Assignment::Bgt { threshold } => Some(threshold),
                    _ => None,
                },
            })
            .collect();
        for conflict in ladder::conflicts(&rungs) {
            errors.push(format!("tiers[{}].assignment", conflict.index), conflict.rule, conflict.message);
        }
        let mut features = HashSet::new();
        for (i, feature) in self.features.iter().enumerate() {
            require(&format!("features[{i}]"), feature, errors);
            if !features.insert(feature) {
                errors.push(format!("features[{i}]"), Rule::Duplicate, format!("feature {feature} is declared twice"));
            }
        }
    }

    fn check_channels(&self, errors: &mut FieldErrors) {
        let mut categories = HashSet::new();
        let mut channels = HashSet::new();
        for (i, category) in self.categories.iter().enumerate() {
            let path = format!("categories[{i}]");
            require(&format!("{path}.name"), &category.name, errors);
            if !categories.insert(category.name.to_lowercase()) {
                let message = format!("category {} appears twice", category.name);
                errors.push(format!("{path}.name"), Rule::Duplicate, message);
            }
            self.check_restriction(&format!("{path}.restriction"), &category.restriction, errors);
            for (j, channel) in category.channels.iter().enumerate() {
                let path = format!("{path}.channels[{j}]");
                let key = channel_key(&channel.name);
                if key.is_empty() || key != channel.name.to_lowercase() || key.contains(char::is_whitespace) {
                    let message = format!("channel names are written without '#' and without spaces; got {:?}", channel.name);
                    errors.push(format!("{path}.name"), Rule::Malformed, message);
                } else if !channels.insert(key) {
                    let message = format!("channel {} appears twice (names ignore case)", channel.name);
                    errors.push(format!("{path}.name"), Rule::Duplicate, message);
                }
                if let Some(restriction) = &channel.restriction {
                    self.check_restriction(&format!("{path}.restriction"), restriction, errors);
                }
            }
        }
    }

    fn check_restriction(&self, path: &str, restriction: &Restriction, errors: &mut FieldErrors) {
        if let Some(tier) = &restriction.tier {
            self.check_tier_ref(&format!("{path}.tier"), tier, errors);
        }
        if let Some(badge) = &restriction.badge {
            if self.badge(badge).is_none() {
                let near = hint(badge, self.badges.iter().map(|b| b.id.as_str()));
                let message = format!("unknown badge {badge}{}", near.text);
                errors.push(format!("{path}.badge"), Rule::UnknownBadge, message);
            }
        }
    }

    fn check_tier_ref(&self, path: &str, tier: &str, errors: &mut FieldErrors) {
        if self.tier(tier).is_none() {
            let near = hint(tier, self.tiers.iter().map(|t| t.id.as_str()));
            errors.push(path, Rule::UnknownTier, format!("unknown tier {tier}{}", near.text));
        }
    }

    fn check_badges(&self, errors: &mut FieldErrors) {
        let mut seen = HashSet::new();
        for (i, badge) in self.badges.iter().enumerate() {
            let path = format!("badges[{i}]");
            require(&format!("{path}.id"), &badge.id, errors);
            require(&format!("{path}.name"), &badge.name, errors);
            if !seen.insert(badge.id.as_str()) {
                errors.push(format!("{path}.id"), Rule::Duplicate, format!("badge id {} is used twice", badge.id));
            }
            if let super::BadgeRule::TierReached { tier } = &badge.rule {
                self.check_tier_ref(&format!("{path}.rule.tier"), tier, errors);
            }
        }
    }
}

fn require(path: &str, value: &str, errors: &mut FieldErrors) {
    if value.trim().is_empty() {
        errors.push(path, Rule::Missing, "must not be empty");
    }
}

fn is_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use crate::error::Rule;
    use crate::theme::{Assignment, Restriction, Theme};
    use crate::RankRange;

    fn sietch() -> Theme {
        Theme::builtin("sietch").unwrap().clone()
    }

    #[test]
    fn both_builtins_are_valid() {
        for id in Theme::BUILTIN_IDS {
            assert_eq!(Theme::builtin(id).unwrap().validate(), Ok(()), "{id}");
        }
    }

    #[test]
    fn an_unknown_tier_in_a_restriction_names_the_path_and_near_matches() {
        let mut theme = sietch();
        theme.categories[1].restriction = Restriction { tier: Some("niab".into()), badge: None };
        let errors = theme.validate().unwrap_err();
        assert!(errors.has("categories[1].restriction.tier", Rule::UnknownTier));
        assert!(errors.to_string().contains("did you mean naib"));
    }

    #[test]
    fn duplicate_tier_ids_and_channel_names_are_refused() {
        let mut theme = sietch();
        theme.tiers[1].id = "hajra".into();
        theme.categories[4].channels[0].name = "War-Room".into();
        let errors = theme.validate().unwrap_err();
        assert!(errors.has("tiers[1].id", Rule::Duplicate));
        assert!(errors.has("categories[4].channels[0].name", Rule::Duplicate));
    }

    #[test]
    fn overlapping_rank_ranges_are_refused() {
        let mut theme = sietch();
        theme.tiers[8].assignment = Assignment::Rank(RankRange::new(1, 10));
        assert!(theme.validate().unwrap_err().has("tiers[8].assignment", Rule::OverlappingRanks));
    }

    #[test]
    fn thresholds_out_of_order_are_refused() {
        let mut theme = sietch();
        theme.tiers[3].assignment = Assignment::Bgt { threshold: crate::Bgt::whole(100) };
        assert!(theme.validate().unwrap_err().has("tiers[3].assignment", Rule::OutOfOrder));
    }
}
