//! Discord's `/simulation` command over HTTP interactions. A verified interaction (see
//! `signature`) is answered here: PING with PONG, autocomplete with choices, a command with an
//! ephemeral embed built by the shared embed builder. The guild names the sandbox, the linked
//! Crysknife user's role decides what may change, each Discord user has a cooldown, and the
//! sandbox's rate limit applies through the simulation services.

pub mod autocomplete;
pub mod commands;
pub mod grammar;
pub mod links;
pub mod options;
pub mod reply;
pub mod run;
pub mod signature;

use crate::services::embed::{self, Card};
use crate::state::AppState;
use crate::store;
use options::Invocation;
use std::time::Duration;
use twilight_model::application::interaction::{Interaction, InteractionData, InteractionType};
use twilight_model::http::interaction::InteractionResponse;
use wire::error::{ApiError, ErrorCode};

/// Answers one interaction whose signature has been verified. Problems a Discord user can act
/// on come back as ephemeral error embeds; only a body that is not an interaction is an error.
#[tracing::instrument(name = "discord::interact", skip_all)]
pub async fn interact(state: &AppState, body: &[u8]) -> Result<InteractionResponse, ApiError> {
    let interaction: Interaction =
        serde_json::from_slice(body).map_err(|e| ApiError::validation("body", format!("not a Discord interaction: {e}")))?;
    let command = match &interaction.data {
        Some(InteractionData::ApplicationCommand(data)) if data.name == commands::NAME => Invocation::of(data),
        _ => Err(ApiError::validation("command", format!("this application only answers /{}", commands::NAME))),
    };
    Ok(match interaction.kind {
        InteractionType::Ping => reply::pong(),
        InteractionType::ApplicationCommandAutocomplete => {
            let choices = match (command, guild_sandbox(state, &interaction).await) {
                (Ok(inv), Ok(sandbox)) => autocomplete::choices(state, sandbox, &inv).await.unwrap_or_default(),
                _ => Vec::new(),
            };
            reply::choices(choices)
        }
        InteractionType::ApplicationCommand => {
            let card = match command {
                Ok(inv) => execute(state, &interaction, &inv).await.unwrap_or_else(|e| explain(&e)),
                Err(e) => embed::error(&e),
            };
            reply::ephemeral(&card)
        }
        _ => reply::ephemeral(&embed::error(&ApiError::validation("type", "only slash commands are supported"))),
    })
}

/// The live sandbox the interaction's guild is registered on.
async fn guild_sandbox(state: &AppState, interaction: &Interaction) -> Result<uuid::Uuid, ApiError> {
    let guild =
        interaction.guild_id.ok_or_else(|| ApiError::validation("guild", "use /simulation in a server (guild), not in direct messages"))?;
    store::discord::sandbox_of_guild(&state.stores.pg, &guild.to_string()).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "a live Crysknife sandbox for this server. A sandbox owner can register it with \
             `crysknife discord guild add {guild}` (or POST /sandbox/<id>/discord/guilds with {{\"guildId\": \"{guild}\"}})"
        ))
        .with_details(serde_json::json!({ "field": "guild", "guildId": guild.to_string() }))
    })
}

/// A command: link, or act on the guild's sandbox as the linked user after the cooldown.
async fn execute(state: &AppState, interaction: &Interaction, inv: &Invocation) -> Result<Card, ApiError> {
    let author = interaction.author_id().ok_or_else(|| ApiError::validation("user", "the interaction names no user"))?.to_string();
    if inv.sub == "link" {
        let link = links::redeem(state, &author, &inv.text("code").unwrap_or_default()).await?;
        return Ok(Card {
            title: "LINKED".to_owned(),
            colour: embed::NEUTRAL.to_owned(),
            lines: vec![format!("Your Discord account now acts as the Crysknife user {}.", link.username)],
            fields: Vec::new(),
            footer: None,
        });
    }
    let sandbox = guild_sandbox(state, interaction).await?;
    let principal = links::principal(state, &author).await?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unauthenticated,
            "your Discord account is not linked to a Crysknife user: run `crysknife discord link-code` (or use the web console), \
             then `/simulation link code:<code>` here",
        )
    })?;
    cooldown(state, &author).await?;
    if inv.sub == "scenario" {
        let name = inv.text("name").unwrap_or_default();
        let run = crate::services::scenario::run_saved(state, &principal, &sandbox.to_string(), &name).await?;
        return Ok(embed::scenario(&run.report, &run.run_id));
    }
    let action = inv.action()?;
    run::run(state, &principal, &sandbox.to_string(), action).await
}

/// One command per Discord user per cooldown window (`discord_cooldown_seconds`; 0 turns it off).
async fn cooldown(state: &AppState, discord_user: &str) -> Result<(), ApiError> {
    let seconds = state.settings.discord_cooldown_seconds;
    if seconds == 0 {
        return Ok(());
    }
    let (count, left) = state.stores.hot.hit(&format!("discord:cooldown:{discord_user}"), Duration::from_secs(u64::from(seconds))).await?;
    if count > 1 {
        let wait = left.as_secs().max(1);
        return Err(ApiError::new(ErrorCode::RateLimited, format!("one command every {seconds} s, please; try again in {wait} s"))
            .with_details(serde_json::json!({ "retryAfterSeconds": wait, "cooldownSeconds": seconds })));
    }
    Ok(())
}

/// The error card, with a hint where the service's message speaks to API callers.
fn explain(e: &ApiError) -> Card {
    let mut card = embed::error(e);
    if e.missing.as_deref() == Some("sandbox") {
        card.lines.push("Your linked Crysknife user cannot see this server's sandbox: ask its owner to add you as a member.".to_owned());
    }
    card
}
