//! The explained channel check: the decision with its reason, the tier decision, blur (1.0 when
//! denied, else the stage's), the smallest fixes and the PRD 5.2 embed lines.

use super::channel::{access_rule, ChannelCheck};
use super::check::CheckError;
use super::{Evaluator, Facts, Subject};
use crate::explain::{combine, push_int, Embed, Remedy, Solver};
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
        let explanation = self.explanation(subject, &reason);
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
        let rule = &self.channels[index];
        let mut reason = String::with_capacity(112);
        if let Some(required) = rule.tier.map(|t| &self.theme.tiers[t]) {
            reason.push_str(&effective.name);
            reason.push_str(if tier_ok { " meets" } else { " does not meet" });
            reason.push_str(" the required tier ");
            reason.push_str(&required.name);
        }
        if let Some(badge) = rule.badge.map(|b| &self.theme.badges[b]) {
            if !reason.is_empty() {
                reason.push_str(" and ");
            }
            reason.push_str(if badge_ok { "the member holds the " } else { "the member does not hold the " });
            reason.push_str(&badge.name);
            reason.push_str(" badge");
        }
        if reason.is_empty() {
            let channel = &self.theme.categories[rule.category].channels[rule.channel];
            reason.push('#');
            reason.push_str(&channel.name);
            reason.push_str(" has no tier or badge restriction");
        } else if rule.source == RequirementSource::Category {
            reason.push_str(&rule.display.source);
        }
        reason
    }

    fn channel_remedy(&self, subject: &Subject<'_>, index: usize, tier_ok: bool, badge_ok: bool) -> Remedy {
        let rule = &self.channels[index];
        let solver = Solver { ev: self };
        let tier_plans = rule.tier.filter(|_| !tier_ok).map(|needed| solver.tier_plans(subject, &self.ladder.at_least[needed]));
        let badge_plans = rule.badge.filter(|_| !badge_ok).map(|badge| solver.badge_plans(subject, badge));
        let plans = match (tier_plans, badge_plans) {
            (Some(tier), Some(badge)) => combine(tier, badge),
            (Some(plans), None) | (None, Some(plans)) => plans,
            (None, None) => Vec::new(),
        };
        let allowed = |facts: &Facts<'_>| {
            let tier = self.facts_tier(facts);
            rule.tier.is_none_or(|needed| tier >= needed) && rule.badge.is_none_or(|badge| self.holds_facts(badge, facts, tier))
        };
        let name = &self.theme.categories[rule.category].channels[rule.channel].name;
        solver.remedy(subject, plans, allowed, || format!("no state and no tier can enter #{name}"))
    }

    fn channel_lines(
        &self,
        subject: &Subject<'_>,
        index: usize,
        (tier_ok, badge_ok): (bool, bool),
        blur: BlurLevel,
        remedy: &Remedy,
    ) -> Vec<String> {
        let rule = &self.channels[index];
        let mut lines = Vec::with_capacity(16);
        lines.push(self.effective_label("Effective Tier: ", subject));
        lines.push(rule.display.required_line.clone());
        lines.extend(rule.display.badge_line.iter().cloned());
        let mut blur_line = String::with_capacity(16);
        blur_line.push_str("Blur Level: ");
        push_int(&mut blur_line, blur.percent().into());
        blur_line.push('%');
        lines.push(blur_line);
        lines.push(String::new());
        self.push_state_lines(subject, &mut lines);
        if tier_ok && badge_ok {
            return lines;
        }
        lines.push(String::new());
        lines.push("To access this channel:".to_owned());
        if let Some(needed) = rule.tier.filter(|_| !tier_ok) {
            self.push_reach_lines(subject, needed, &mut lines);
        }
        if let Some(badge) = rule.badge.filter(|_| !badge_ok) {
            lines.push(self.hold_badge_line(badge));
        }
        lines.extend(remedy.fixes.iter().map(|fix| {
            let mut line = String::with_capacity(20 + fix.sentence.len());
            line.push_str("- Smallest change: ");
            line.push_str(&fix.sentence);
            line
        }));
        lines.extend(remedy.note.iter().map(|note| {
            let mut line = String::with_capacity(2 + note.len());
            line.push_str("- ");
            line.push_str(note);
            line
        }));
        lines
    }
}
