//! A subject: the state being evaluated, its assumption if any, and the computed tier, resolved
//! once so that many checks of one member cost one tier evaluation.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Computed, Evaluator};
use crate::assume::Assumption;
use crate::error::FieldErrors;
use crate::state::SimState;

/// Whose tier is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum InForce {
    /// The tier computed from state.
    Computed,
    /// The assumed tier.
    Assumed,
}

/// A member to evaluate: state, optional assumption and the computed tier.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'s> {
    pub(crate) state: &'s SimState,
    pub(crate) assumption: Option<&'s Assumption>,
    pub(crate) assumed_tier: Option<usize>,
    pub(crate) computed: Computed,
}

impl Evaluator<'_> {
    /// Resolves a subject; an assumption naming an unknown tier or badge is refused. Ids in the
    /// state that this theme lacks (after a theme switch) simply have no effect.
    pub fn subject<'s>(&self, state: &'s SimState, assumption: Option<&'s Assumption>) -> Result<Subject<'s>, FieldErrors> {
        if let Some(assumption) = assumption {
            assumption.validate(self.theme)?;
        }
        Ok(self.subject_unchecked(state, assumption))
    }

    /// Resolves a subject whose assumption is known to fit the theme; an unknown assumed tier
    /// is ignored.
    pub(crate) fn subject_unchecked<'s>(&self, state: &'s SimState, assumption: Option<&'s Assumption>) -> Subject<'s> {
        let assumed_tier = assumption.and_then(|a| self.theme.tier_index(&a.tier_id));
        Subject { state, assumption, assumed_tier, computed: self.compute(state) }
    }
}

impl Subject<'_> {
    /// The state evaluated.
    pub fn state(&self) -> &SimState {
        self.state
    }

    /// The assumption, if any.
    pub fn assumption(&self) -> Option<&Assumption> {
        self.assumption
    }

    /// Which tier is in force.
    pub fn in_force(&self) -> InForce {
        if self.assumed_tier.is_some() {
            InForce::Assumed
        } else {
            InForce::Computed
        }
    }

    /// The index of the tier in force.
    pub(crate) fn tier(&self) -> usize {
        self.assumed_tier.unwrap_or(self.computed.tier)
    }

    /// Badges held through the assumption.
    pub(crate) fn assumed_badges(&self) -> Option<&BTreeSet<String>> {
        self.assumption.map(|a| &a.badges)
    }
}
