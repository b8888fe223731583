//! The channel check: the requirement in force (the channel's own, else its category's), tier
//! and badge tests, blur (1.0 when denied, else the stage's), the explanation and the fixes.

use serde::Serialize;

use super::{Evaluator, InForce, Subject};
use crate::explain::{capitalised, combine, Embed, Fix, Solver};
use crate::lookup::{did_you_mean, near_matches};
use crate::stage::{BlurLevel, Stage};
use crate::theme::{ChannelType, RequirementSource};

use super::check::CheckError;

/// Which rule decided a channel check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// The answer to "check access #channel", with the PRD's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        let key = crate::lookup::channel_key(name);
        self.channels.iter().position(|c| c.key == key).ok_or_else(|| {
            let near = near_matches(&key, self.channels.iter().map(|c| c.key.as_str()));
            let message = format!("theme {} has no channel #{key}{}", self.theme.id, did_you_mean(&near));
            CheckError::UnknownChannel { name: name.to_owned(), near_matches: near, message }
        })
    }

    /// Whether the tier and the badge requirement of channel `index` hold.
    pub(crate) fn channel_tests(&self, index: usize, subject: &Subject<'_>) -> (bool, bool) {
        let rule = &self.channels[index];
        let tier_ok = rule.tier.is_none_or(|needed| subject.tier() >= needed);
        let badge_ok = rule.badge.is_none_or(|badge| self.holds(badge, subject.state, subject.assumed_badges(), subject.tier()));
        (tier_ok, badge_ok)
    }

    /// The channel check.
    pub fn check_channel(&self, subject: &Subject<'_>, name: &str) -> Result<ChannelCheck, CheckError> {
        Ok(self.check_channel_at(subject, self.channel_index(name)?))
    }

    pub(crate) fn check_channel_at(&self, subject: &Subject<'_>, index: usize) -> ChannelCheck {
        let rule = &self.channels[index];
        let category = &self.theme.categories[rule.category];
        let channel = &category.channels[rule.channel];
        let (tier_ok, badge_ok) = self.channel_tests(index, subject);
        let allowed = tier_ok && badge_ok;
        let effective = &self.theme.tiers[subject.tier()];
        let required_tier = rule.tier.map(|t| &self.theme.tiers[t]);
        let required_badge = rule.badge.map(|b| &self.theme.badges[b]);
        let source = match rule.source {
            RequirementSource::Category => format!(" (from category {})", category.name),
            _ => String::new(),
        };
        let decided_by = match (rule.tier.is_some() || rule.badge.is_some(), tier_ok, badge_ok) {
            (false, _, _) => AccessRule::Open,
            (true, true, true) => AccessRule::RequirementsMet,
            (true, false, true) => AccessRule::TierTooLow,
            (true, true, false) => AccessRule::BadgeMissing,
            (true, false, false) => AccessRule::TierTooLowAndBadgeMissing,
        };
        let mut parts = Vec::new();
        if let Some(required) = required_tier {
            let verb = if tier_ok { "meets" } else { "does not meet" };
            parts.push(format!("{} {verb} the required tier {}", effective.name, required.name));
        }
        if let Some(badge) = required_badge {
            let verb = if badge_ok { "holds" } else { "does not hold" };
            parts.push(format!("the member {verb} the {} badge", badge.name));
        }
        let reason = if parts.is_empty() {
            format!("#{} has no tier or badge restriction", channel.name)
        } else {
            format!("{}{source}", parts.join(" and "))
        };
        let remedy = (!allowed).then(|| {
            let solver = Solver { ev: self };
            let tier_plans = match rule.tier.filter(|_| !tier_ok) {
                Some(needed) => solver.tier_plans(subject, &(0..self.theme.tiers.len()).map(|t| t >= needed).collect::<Vec<_>>()),
                None => vec![Vec::new()],
            };
            let badge_plans = match rule.badge.filter(|_| !badge_ok) {
                Some(badge) => solver.badge_plans(subject, badge),
                None => vec![Vec::new()],
            };
            let check = |ev: &Evaluator<'_>, state: &_, assumption: Option<&_>| {
                let subject = ev.subject_unchecked(state, assumption);
                let (tier_ok, badge_ok) = ev.channel_tests(index, &subject);
                tier_ok && badge_ok
            };
            solver.remedy(subject, combine(tier_plans, badge_plans), check, || format!("no state and no tier can enter #{}", channel.name))
        });
        let remedy = remedy.unwrap_or_default();
        let blur_level = if allowed { self.stage_blur(subject) } else { BlurLevel::HIDDEN };
        let tier_sentence = self.tier_sentence(subject);
        let verdict = if allowed { "ACCESS GRANTED" } else { "ACCESS DENIED" };
        let mut lines = vec![format!("Effective Tier: {}", self.effective_label(subject))];
        lines.push(format!("Required Tier: {}", rule.tier.map_or_else(|| "none".to_owned(), |t| self.required_label(t))));
        if let Some(badge) = required_badge {
            lines.push(format!("Required Badge: {}", badge.name));
        }
        lines.push(format!("Blur Level: {}%", blur_level.percent()));
        lines.push(String::new());
        lines.extend(self.state_lines(subject));
        if !allowed {
            lines.push(String::new());
            lines.push("To access this channel:".to_owned());
            if let Some(needed) = rule.tier.filter(|_| !tier_ok) {
                lines.extend(self.reach_tier_lines(subject, needed));
            }
            if let Some(badge) = rule.badge.filter(|_| !badge_ok) {
                lines.push(self.hold_badge_line(badge));
            }
            lines.extend(remedy.fixes.iter().map(|fix| format!("- Smallest change: {}", fix.sentence)));
            lines.extend(remedy.note.iter().map(|note| format!("- {note}")));
        }
        ChannelCheck {
            channel: channel.name.clone(),
            category: category.name.clone(),
            channel_type: channel.kind,
            read_only: channel.read_only,
            allowed,
            reason: reason.clone(),
            decided_by,
            effective_tier: effective.id.clone(),
            computed_tier: self.theme.tiers[subject.computed.tier].id.clone(),
            assumed_tier: subject.assumption.filter(|_| subject.assumed_tier.is_some()).map(|a| a.tier_id.clone()),
            tier_in_force: subject.in_force(),
            required_tier: required_tier.map(|t| t.id.clone()),
            required_badge: required_badge.map(|b| b.id.clone()),
            requirement_source: rule.source,
            blur_level,
            stage: self.stage_of(subject.state),
            explanation: format!("{}. {}.", capitalised(&tier_sentence), capitalised(&reason)),
            suggestions: remedy.fixes,
            no_state_change_helps: !allowed && remedy.no_state_change_helps,
            note: remedy.note,
            embed: Embed { title: format!("{verdict}: #{}", channel.name), colour: effective.colour.clone(), lines },
        }
    }
}
