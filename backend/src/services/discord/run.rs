//! Carrying out an `Action` for a Discord user: one simulation service call on the guild's
//! sandbox (default simulation), its answer turned into a card by the shared embed builder.

use super::grammar::Action;
use crate::services::auth::Principal;
use crate::services::embed::{self, Card};
use crate::services::simulation::{self as sim, Target};
use crate::state::AppState;
use wire::error::ApiError;
use wire::json::{parse_json, parse_state_patch, parse_threshold_overrides};

/// Runs `action` as `p` on `sandbox` and returns the card to show.
#[tracing::instrument(name = "discord::run::run", skip_all, fields(sandbox = %sandbox))]
pub async fn run(state: &AppState, p: &Principal, sandbox: &str, action: Action) -> Result<Card, ApiError> {
    let t = Target::default();
    Ok(match action {
        Action::Assume(body) => embed::whoami(&sim::assume(state, p, sandbox, &t, parse_json(body)?, None).await?),
        Action::AssumeReset => embed::whoami(&sim::reset_assume(state, p, sandbox, &t, None).await?),
        Action::Set(body) => {
            embed::state("STATE UPDATED", &sim::patch_state(state, p, sandbox, &t, parse_state_patch(&body)?, None).await?)
        }
        Action::GetState => embed::state("STATE", &sim::state(state, p, sandbox, &t).await?),
        Action::Whoami => embed::whoami(&sim::whoami(state, p, sandbox, &t).await?),
        Action::Check(body) => embed::check(&sim::check(state, p, sandbox, &t, parse_json(body)?).await?),
        Action::ConfigShow => embed::thresholds("THRESHOLDS", &sim::thresholds(state, p, sandbox, &t).await?),
        Action::ConfigReset => embed::thresholds("THRESHOLDS RESET", &sim::reset_thresholds(state, p, sandbox, &t, None).await?),
        Action::ConfigSet(body) => embed::thresholds(
            "THRESHOLDS UPDATED",
            &sim::patch_thresholds(state, p, sandbox, &t, parse_threshold_overrides(&body)?, None).await?,
        ),
    })
}
