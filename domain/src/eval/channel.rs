//! Channel access: finding a channel by name, the requirement in force (the channel's own, else
//! its category's), the tier and badge tests, and the result types of the channel check.

use serde::{Deserialize, Serialize};

use super::{Evaluator, InForce, Subject};
use crate::explain::{Embed, Fix};
use crate::lookup::hint;
use crate::stage::{BlurLevel, Stage};
use crate::theme::{ChannelType, RequirementSource};

use super::check::CheckError;

/// Which rule decided a channel check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum AccessRule {
    /// Nothing restricts the channel.
    Open,
    /// Every requirement is met.
    RequirementsMet,
    /// The tier in force does not meet the required tier.
    TierTooLow,
    /// The required badge is not held.
    BadgeMissing,
    /// Both the tier and the badge requirement fail.
    TierTooLowAndBadgeMissing,
}

/// A channel decision without its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessDecision {
    /// The decision.
    pub allowed: bool,
    /// The deciding rule.
    pub decided_by: AccessRule,
    /// 1.0 when denied, else the stage's blur.
    pub blur_level: BlurLevel,
}

/// The rule that decides, from whether the channel is restricted and which tests pass.
pub(crate) fn access_rule(restricted: bool, tier_ok: bool, badge_ok: bool) -> AccessRule {
    match (restricted, tier_ok, badge_ok) {
        (false, _, _) => AccessRule::Open,
        (true, true, true) => AccessRule::RequirementsMet,
        (true, false, true) => AccessRule::TierTooLow,
        (true, true, false) => AccessRule::BadgeMissing,
        (true, false, false) => AccessRule::TierTooLowAndBadgeMissing,
    }
}

/// The answer to "check access #channel", with the PRD's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelCheck {
    /// The channel's name as the theme spells it.
    pub channel: String,
    /// Its category.
    pub category: String,
    /// Text, voice or announcement.
    pub channel_type: ChannelType,
    /// Read-only channel.
    pub read_only: bool,
    /// The decision.
    pub allowed: bool,
    /// The decision in a sentence.
    pub reason: String,
    /// The deciding rule.
    pub decided_by: AccessRule,
    /// The tier in force.
    pub effective_tier: String,
    /// The tier computed from state.
    pub computed_tier: String,
    /// The assumed tier, if any.
    pub assumed_tier: Option<String>,
    /// Which one is in force.
    pub tier_in_force: InForce,
    /// The lowest tier that may enter, if restricted by tier.
    pub required_tier: Option<String>,
    /// The badge needed, if restricted by badge.
    pub required_badge: Option<String>,
    /// Where the requirement comes from.
    pub requirement_source: RequirementSource,
    /// 1.0 when denied, else the stage's blur.
    pub blur_level: BlurLevel,
    /// The member's stage.
    pub stage: Stage,
    /// Tier decision and access decision, in sentences.
    pub explanation: String,
    /// Alternative fixes when denied, state-only first.
    pub suggestions: Vec<Fix>,
    /// True when denied and no change of state can allow it.
    pub no_state_change_helps: bool,
    /// Why no state change helps, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// PRD 5.2 display block.
    pub embed: Embed,
}

impl Evaluator<'_> {
    /// The index of a channel by name, ignoring case and a leading `#`.
    pub fn channel_index(&self, name: &str) -> Result<usize, CheckError> {
        let trimmed = name.trim();
        let bare = trimmed.strip_prefix('#').unwrap_or(trimmed).trim();
        // Keys are stored lower-cased, so an ASCII name needs no allocation to compare.
        let found = if bare.is_ascii() {
            self.channels.iter().position(|c| c.key.eq_ignore_ascii_case(bare))
        } else {
            let key = bare.to_lowercase();
            self.channels.iter().position(|c| c.key == key)
        };
        found.ok_or_else(|| {
            let key = crate::lookup::channel_key(name);
            let near = hint(&key, self.channels.iter().map(|c| c.key.as_str()));
            let message = format!("theme {} has no channel #{key}{}", self.theme.id, near.text);
            CheckError::UnknownChannel { name: name.to_owned(), near_matches: near.near, message }
        })
    }

    /// Whether the tier and the badge requirement of channel `index` hold.
    pub(crate) fn channel_tests(&self, index: usize, subject: &Subject<'_>) -> (bool, bool) {
        let rule = &self.channels[index];
        let tier_ok = rule.tier.is_none_or(|needed| subject.tier() >= needed);
        let badge_ok = rule.badge.is_none_or(|badge| self.holds(badge, subject.state, subject.assumed_badges(), subject.tier()));
        (tier_ok, badge_ok)
    }

    /// The decision alone, without explanation: what bulk callers and previews need.
    pub fn decide_channel(&self, subject: &Subject<'_>, name: &str) -> Result<AccessDecision, CheckError> {
        let index = self.channel_index(name)?;
        let (tier_ok, badge_ok) = self.channel_tests(index, subject);
        let allowed = tier_ok && badge_ok;
        let rule = &self.channels[index];
        Ok(AccessDecision {
            allowed,
            decided_by: access_rule(rule.tier.is_some() || rule.badge.is_some(), tier_ok, badge_ok),
            blur_level: if allowed { self.stage_blur(subject) } else { BlurLevel::HIDDEN },
        })
    }
}
