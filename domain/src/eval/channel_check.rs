//! The explained channel check: the decision with its reason, the tier decision, blur (1.0 when
//! denied, else the stage's), the smallest fixes and the PRD 5.2 embed lines.

use super::channel::{access_rule, ChannelCheck};
use super::check::CheckError;
use super::{Evaluator, Subject};
use crate::explain::{combine, push_capitalised, Embed, Remedy, Solver};
use crate::stage::BlurLevel;
use crate::theme::RequirementSource;

impl Evaluator<'_> {
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
        let reason = self.channel_reason(index, effective, (tier_ok, badge_ok));
        let remedy = if allowed { Remedy::default() } else { self.channel_remedy(subject, index, tier_ok, badge_ok) };
        let blur_level = if allowed { self.stage_blur(subject) } else { BlurLevel::HIDDEN };
        let explanation = sentences(&self.tier_sentence(subject), &reason);
        let lines = self.channel_lines(subject, index, (tier_ok, badge_ok), blur_level, &remedy);
        ChannelCheck {
            channel: channel.name.clone(),
            category: category.name.clone(),
            channel_type: channel.kind,
            read_only: channel.read_only,
            allowed,
            reason,
            decided_by: access_rule(rule.tier.is_some() || rule.badge.is_some(), tier_ok, badge_ok),
            effective_tier: effective.id.clone(),
            computed_tier: self.theme.tiers[subject.computed.tier].id.clone(),
            assumed_tier: subject.assumption.filter(|_| subject.assumed_tier.is_some()).map(|a| a.tier_id.clone()),
            tier_in_force: subject.in_force(),
            required_tier: required_tier.map(|t| t.id.clone()),
            required_badge: required_badge.map(|b| b.id.clone()),
            requirement_source: rule.source,
            blur_level,
            stage: self.stage_of(subject.state),
            explanation,
            suggestions: remedy.fixes,
            no_state_change_helps: !allowed && remedy.no_state_change_helps,
            note: remedy.note,
            embed: Embed {
                title: if allowed { rule.display.granted_title.clone() } else { rule.display.denied_title.clone() },
                colour: effective.colour.clone(),
                lines,
            },
        }
    }

    /// "Fedaykin meets the required tier Fedaykin (from category FEDAYKIN QUARTERS)".
    fn channel_reason(&self, index: usize, effective: &crate::theme::Tier, (tier_ok, badge_ok): (bool, bool)) -> String {
        use std::fmt::Write;
        let rule = &self.channels[index];
        let mut reason = String::with_capacity(96);
        // Writing into a String cannot fail.
        if let Some(required) = rule.tier.map(|t| &self.theme.tiers[t]) {
            let verb = if tier_ok { "meets" } else { "does not meet" };
            let _ = write!(reason, "{} {verb} the required tier {}", effective.name, required.name);
        }
        if let Some(badge) = rule.badge.map(|b| &self.theme.badges[b]) {
            let verb = if badge_ok { "holds" } else { "does not hold" };
            let joint = if reason.is_empty() { "" } else { " and " };
            let _ = write!(reason, "{joint}the member {verb} the {} badge", badge.name);
        }
        if reason.is_empty() {
            let channel = &self.theme.categories[rule.category].channels[rule.channel];
            let _ = write!(reason, "#{} has no tier or badge restriction", channel.name);
        } else if rule.source == RequirementSource::Category {
            reason.push_str(&rule.display.source);
        }
        reason
    }

    fn channel_remedy(&self, subject: &Subject<'_>, index: usize, tier_ok: bool, badge_ok: bool) -> Remedy {
        let rule = &self.channels[index];
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
        let name = &self.theme.categories[rule.category].channels[rule.channel].name;
        solver.remedy(subject, combine(tier_plans, badge_plans), check, || format!("no state and no tier can enter #{name}"))
    }

    fn channel_lines(&self, subject: &Subject<'_>, index: usize, (tier_ok, badge_ok): (bool, bool), blur: BlurLevel, remedy: &Remedy) -> Vec<String> {
        let rule = &self.channels[index];
        let mut lines = Vec::with_capacity(16);
        lines.push(self.effective_label("Effective Tier: ", subject));
        lines.push(rule.display.required_line.clone());
        lines.extend(rule.display.badge_line.iter().cloned());
        lines.push(format!("Blur Level: {}%", blur.percent()));
        lines.push(String::new());
        self.push_state_lines(subject, &mut lines);
        if tier_ok && badge_ok {
            return lines;
        }
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
        lines
    }
}

/// "First. Second." with each sentence capitalised.
pub(crate) fn sentences(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + second.len() + 4);
    push_capitalised(&mut out, first);
    out.push_str(". ");
    push_capitalised(&mut out, second);
    out.push('.');
    out
}
