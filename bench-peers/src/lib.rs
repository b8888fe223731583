//! The peer comparison: the Sietch tier and channel rules written as Cedar policies and as Rego,
//! answering the same requests as the domain engine. Benchmarks compare their speed; a test
//! proves they give the engine's answers on the sample.

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use domain::{Evaluator, PopulationSpec, SimState, Theme};
use serde_json::{json, Value};

/// The Cedar policy text.
pub const CEDAR_POLICIES: &str = include_str!("../policies/sietch.cedar");
/// The Rego policy text.
pub const REGO_POLICY: &str = include_str!("../policies/sietch.rego");

/// One question: may this member enter this channel?
#[derive(Debug, Clone)]
pub struct Sample {
    /// The members asked about.
    pub members: Vec<SimState>,
    /// Channel names of the theme.
    pub channels: Vec<String>,
}

impl Sample {
    /// The engine's boundary personas, a seeded population and a few badge holders, against every
    /// Sietch channel.
    pub fn sietch(population: usize) -> Sample {
        let evaluator = Evaluator::builtin("sietch").unwrap_or_else(|| unreachable!("sietch is built in"));
        let theme = evaluator.theme();
        let mut members: Vec<SimState> = evaluator.boundary_personas(domain::BoundaryStep::Wei).into_iter().map(|p| p.state).collect();
        let spec = PopulationSpec { size: population, seed: 3, granted_badge_per_mille: 300, ..PopulationSpec::default() };
        members.extend(spec.generate(theme));
        let channels = evaluator.matrix().channels.into_iter().map(|c| c.name).collect();
        Sample { members, channels }
    }

    /// Every (member, channel) pair, by index.
    pub fn requests(&self) -> Vec<(usize, usize)> {
        (0..self.members.len()).flat_map(|m| (0..self.channels.len()).map(move |c| (m, c))).collect()
    }
}

/// The engine's answer.
pub fn engine_allows(evaluator: &Evaluator<'_>, member: &SimState, channel: &str) -> bool {
    let subject = evaluator.subject(member, None).unwrap_or_else(|_| unreachable!("no assumption"));
    evaluator.decide_channel(&subject, channel).map(|d| d.allowed).unwrap_or(false)
}

/// A member's attributes as both peers read them: exact integers only.
pub fn member_json(member: &SimState) -> Value {
    let wei = member.bgt_balance.wei();
    let unit = 1_000_000_000_000_000_000u128;
    let mut attrs = json!({
        "bgt_whole": (wei / unit) as i64,
        "bgt_wei": (wei % unit) as i64,
        "badges": member.granted_badges.iter().collect::<Vec<_>>(),
    });
    if let Some(rank) = member.rank {
        attrs["rank"] = json!(rank.get());
    }
    attrs
}

/// A channel's requirement as both peers read it: the level of its tier and its badge.
pub fn channel_json(theme: &Theme, channel: &str) -> Value {
    let (category, found) = theme.channels().find(|(_, c)| c.name == channel).unwrap_or_else(|| unreachable!("channel of the theme"));
    let (restriction, _) = found.requirement(category);
    let level = restriction.tier.as_deref().and_then(|t| theme.tier_index(t)).unwrap_or(0);
    let mut attrs = json!({ "level": level });
    if let Some(badge) = &restriction.badge {
        attrs["badge"] = json!(badge);
    }
    attrs
}

/// The Cedar side: policies, all entities of the sample, and prebuilt requests.
pub struct CedarPeer {
    policies: PolicySet,
    entities: Entities,
    authorizer: Authorizer,
    requests: Vec<Request>,
}

impl CedarPeer {
    /// Builds entities and one request per (member, channel) pair of the sample.
    pub fn new(sample: &Sample, theme: &Theme) -> Result<CedarPeer, String> {
        let policies: PolicySet = CEDAR_POLICIES.parse().map_err(|e| format!("{e}"))?;
        let mut entities = Vec::new();
        for (index, member) in sample.members.iter().enumerate() {
            entities.push(json!({"uid": {"type": "Member", "id": index.to_string()}, "attrs": member_json(member), "parents": []}));
        }
        for channel in &sample.channels {
            entities.push(json!({"uid": {"type": "Channel", "id": channel}, "attrs": channel_json(theme, channel), "parents": []}));
        }
        let entities = Entities::from_json_value(Value::Array(entities), None).map_err(|e| format!("{e}"))?;
        let action: EntityUid = r#"Action::"enter""#.parse().map_err(|e| format!("{e}"))?;
        let mut requests = Vec::new();
        for (member, channel) in sample.requests() {
            let principal: EntityUid = format!(r#"Member::"{member}""#).parse().map_err(|e| format!("{e}"))?;
            let resource: EntityUid = format!(r#"Channel::"{}""#, sample.channels[channel]).parse().map_err(|e| format!("{e}"))?;
            requests.push(Request::new(principal, action.clone(), resource, Context::empty(), None).map_err(|e| format!("{e}"))?);
        }
        Ok(CedarPeer { policies, entities, authorizer: Authorizer::new(), requests })
    }

    /// Cedar's answer to request `index` of the sample.
    pub fn allows(&self, index: usize) -> bool {
        self.authorizer.is_authorized(&self.requests[index], &self.policies, &self.entities).decision() == Decision::Allow
    }
}

/// The Rego side: a compiled engine and one prebuilt input per request.
pub struct RegoPeer {
    engine: regorus::Engine,
    inputs: Vec<regorus::Value>,
}

impl RegoPeer {
    /// Loads the policy and builds one input per (member, channel) pair of the sample.
    pub fn new(sample: &Sample, theme: &Theme) -> Result<RegoPeer, String> {
        let mut engine = regorus::Engine::new();
        engine.add_policy("sietch.rego".to_owned(), REGO_POLICY.to_owned()).map_err(|e| format!("{e}"))?;
        let channels: Vec<Value> = sample.channels.iter().map(|c| channel_json(theme, c)).collect();
        let members: Vec<Value> = sample.members.iter().map(member_json).collect();
        let mut inputs = Vec::new();
        for (member, channel) in sample.requests() {
            let input = json!({"member": members[member], "channel": channels[channel]});
            inputs.push(regorus::Value::from_json_str(&input.to_string()).map_err(|e| format!("{e}"))?);
        }
        Ok(RegoPeer { engine, inputs })
    }

    /// Rego's answer to request `index` of the sample.
    pub fn allows(&mut self, index: usize) -> bool {
        self.engine.set_input(self.inputs[index].clone());
        matches!(self.engine.eval_rule("data.sietch.allow".to_owned()), Ok(regorus::Value::Bool(true)))
    }
}
