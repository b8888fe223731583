//! The PRD's check request (`{type, target}`) and its answers, including `all`: every channel
//! and feature for the current state, with the tier, gate and badges.

use serde::{Deserialize, Serialize};

use super::{BadgesResult, ChannelCheck, Evaluator, FeatureCheck, GateResult, Subject, TierResult};

/// A check, as `POST /sandbox/:id/simulation/check` receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CheckRequest {
    /// "check access #channel".
    #[serde(alias = "access")]
    Channel {
        /// Channel name, with or without `#`, any case.
        target: String,
    },
    /// "check feature <id>".
    Feature {
        /// Feature id.
        target: String,
    },
    /// "check tier".
    Tier,
    /// "check badges".
    Badges,
    /// "check all".
    All,
}

/// The answer to any check, tagged with its `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CheckResult {
    /// A channel check.
    Channel(Box<ChannelCheck>),
    /// A feature check.
    Feature(Box<FeatureCheck>),
    /// A tier check.
    Tier(Box<TierResult>),
    /// A badge check.
    Badges(BadgesResult),
    /// Everything at once.
    All(Box<AllResult>),
}

/// Every answer for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllResult {
    /// The tier check.
    pub tier: TierResult,
    /// The gate.
    pub gate: GateResult,
    /// Every channel, in display order.
    pub channels: Vec<ChannelCheck>,
    /// Every feature.
    pub features: Vec<FeatureCheck>,
    /// Every badge.
    pub badges: BadgesResult,
}

/// A check that names something the theme does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum CheckError {
    /// No such channel; never "allowed".
    #[error("{message}")]
    UnknownChannel {
        /// The name asked for.
        name: String,
        /// Names close to it.
        near_matches: Vec<String>,
        /// The sentence.
        message: String,
    },
    /// No such feature.
    #[error("{message}")]
    UnknownFeature {
        /// The id asked for.
        name: String,
        /// Ids close to it.
        near_matches: Vec<String>,
        /// The sentence.
        message: String,
    },
}

impl Evaluator<'_> {
    /// Answers a check request.
    pub fn check(&self, subject: &Subject<'_>, request: &CheckRequest) -> Result<CheckResult, CheckError> {
        Ok(match request {
            CheckRequest::Channel { target } => CheckResult::Channel(Box::new(self.check_channel(subject, target)?)),
            CheckRequest::Feature { target } => CheckResult::Feature(Box::new(self.check_feature(subject, target)?)),
            CheckRequest::Tier => CheckResult::Tier(Box::new(self.tier(subject))),
            CheckRequest::Badges => CheckResult::Badges(self.badges(subject)),
            CheckRequest::All => CheckResult::All(Box::new(self.check_all(subject))),
        })
    }

    /// Every channel and feature for the subject, with tier, gate and badges.
    pub fn check_all(&self, subject: &Subject<'_>) -> AllResult {
        AllResult {
            tier: self.tier(subject),
            gate: self.gate(subject),
            channels: (0..self.channels.len()).map(|i| self.check_channel_at(subject, i)).collect(),
            features: (0..self.features.len()).map(|i| self.check_feature_at(subject, i)).collect(),
            badges: self.badges(subject),
        }
    }
}
