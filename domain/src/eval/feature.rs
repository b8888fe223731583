//! The feature check: a feature is allowed when the tier in force lists it (nothing is
//! inherited); the answer names the tiers that grant it and the changes that would reach one.

use serde::{Deserialize, Serialize};

use super::{Evaluator, InForce, Subject};
use crate::explain::{Embed, Fix, Solver};
use crate::lookup::hint;

use super::check::CheckError;

/// The answer to "check feature <id>".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeatureCheck {
    /// The feature id.
    pub feature: String,
    /// The decision.
    pub allowed: bool,
    /// The decision in a sentence.
    pub reason: String,
    /// The tier in force.
    pub effective_tier: String,
    /// The tier computed from state.
    pub computed_tier: String,
    /// The assumed tier, if any.
    pub assumed_tier: Option<String>,
    /// Which one is in force.
    pub tier_in_force: InForce,
    /// Every tier whose permissions list the feature, highest first.
    pub granted_by: Vec<String>,
    /// Tier decision and feature decision, in sentences.
    pub explanation: String,
    /// Alternative fixes when denied, state-only first.
    pub suggestions: Vec<Fix>,
    /// True when denied and no change of state can allow it.
    pub no_state_change_helps: bool,
    /// Why no state change helps, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Display block.
    pub embed: Embed,
}

impl Evaluator<'_> {
    /// The index of a feature by id (case ignored).
    pub fn feature_index(&self, id: &str) -> Result<usize, CheckError> {
        let wanted = id.trim().to_lowercase();
        self.features.iter().position(|f| f.id.to_lowercase() == wanted).ok_or_else(|| {
            let near = hint(&wanted, self.features.iter().map(|f| f.id.as_str()));
            let message = format!("theme {} has no feature {wanted}{}", self.theme.id, near.text);
            CheckError::UnknownFeature { name: id.to_owned(), near_matches: near.near, message }
        })
    }

    /// Whether the tier in force grants feature `index`.
    pub(crate) fn feature_allowed(&self, index: usize, tier: usize) -> bool {
        self.features[index].granted_by[tier]
    }

    /// The feature check.
    pub fn check_feature(&self, subject: &Subject<'_>, id: &str) -> Result<FeatureCheck, CheckError> {
        Ok(self.check_feature_at(subject, self.feature_index(id)?))
    }

    pub(crate) fn check_feature_at(&self, subject: &Subject<'_>, index: usize) -> FeatureCheck {
        let feature = &self.features[index];
        let effective = &self.theme.tiers[subject.tier()];
        let allowed = self.feature_allowed(index, subject.tier());
        let granting: Vec<usize> = (0..self.theme.tiers.len()).rev().filter(|t| feature.granted_by[*t]).collect();
        let granted_by: Vec<String> = granting.iter().map(|t| self.theme.tiers[*t].id.clone()).collect();
        let reason = if allowed {
            format!("{}'s permissions include {}", effective.name, feature.id)
        } else if granted_by.is_empty() {
            format!("no tier of theme {} grants {}", self.theme.id, feature.id)
        } else {
            format!(
                "{}'s permissions do not include {} (permissions are not inherited); it is granted by {}",
                effective.name,
                feature.id,
                granted_by.join(", ")
            )
        };
        let remedy = if allowed {
            Default::default()
        } else {
            let solver = Solver { ev: self };
            let plans = solver.tier_plans(subject, &self.ladder.features[index]);
            let check = |facts: &super::Facts<'_>| self.feature_allowed(index, self.facts_tier(facts));
            solver.remedy(subject, plans, check, || {
                format!("no tier of theme {} grants {}, so no state change can allow it", self.theme.id, feature.id)
            })
        };
        let verdict = if allowed { "FEATURE GRANTED" } else { "FEATURE DENIED" };
        let mut lines = vec![self.effective_label("Effective Tier: ", subject)];
        let names: Vec<&str> = granting.iter().map(|t| self.theme.tiers[*t].name.as_str()).collect();
        lines.push(format!("Granted By: {}", if names.is_empty() { "no tier".to_owned() } else { names.join(", ") }));
        if !allowed {
            lines.push(String::new());
            lines.push("To use this feature:".to_owned());
            if let Some(nearest) = granting.iter().copied().min_by_key(|t| (t.abs_diff(subject.tier()), usize::MAX - t)) {
                self.push_reach_lines(subject, nearest, &mut lines);
            }
            lines.extend(remedy.fixes.iter().map(|fix| format!("- Smallest change: {}", fix.sentence)));
            lines.extend(remedy.note.iter().map(|note| format!("- {note}")));
        }
        FeatureCheck {
            feature: feature.id.clone(),
            allowed,
            reason: reason.clone(),
            effective_tier: effective.id.clone(),
            computed_tier: self.theme.tiers[subject.computed.tier].id.clone(),
            assumed_tier: subject.assumption.filter(|_| subject.assumed_tier.is_some()).map(|a| a.tier_id.clone()),
            tier_in_force: subject.in_force(),
            granted_by,
            explanation: self.explanation(subject, &reason),
            suggestions: remedy.fixes,
            no_state_change_helps: !allowed && remedy.no_state_change_helps,
            note: remedy.note,
            embed: Embed { title: format!("{verdict}: {}", feature.id), colour: effective.colour.clone(), lines },
        }
    }
}
