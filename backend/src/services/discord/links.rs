//! Who and where Discord commands act: a guild registered on one live sandbox, and a Discord
//! user linked to one Crysknife user (directly by an admin, or by a one-time code the user
//! runs in Discord, which proves they hold that Discord account).

use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::sandbox::{open, Need};
use crate::state::AppState;
use crate::store::{self, audit};
use serde_json::json;
use std::time::Duration;
use wire::error::{ApiError, ErrorCode};
use wire::model::Role;
use wire::model::{DiscordGuild, DiscordLink, LinkCode};

/// How long a link code stays valid.
pub const LINK_CODE_TTL: Duration = Duration::from_secs(600);

/// A Discord snowflake: 1 to 20 digits.
pub fn snowflake(field: &str, id: &str) -> Result<String, ApiError> {
    let id = id.trim();
    if !id.is_empty() && id.len() <= 20 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(id.to_owned())
    } else {
        Err(ApiError::validation(field, "a Discord id: 1 to 20 digits (copy it with Discord's developer mode)"))
    }
}

/// Registers a guild on a live sandbox (its owner or an admin).
#[tracing::instrument(name = "discord::links::register_guild", skip_all, fields(sandbox = %sandbox))]
pub async fn register_guild(state: &AppState, p: &Principal, sandbox: &str, guild: &str) -> Result<DiscordGuild, ApiError> {
    let guild = snowflake("guildId", guild)?;
    let row = open(state, p, sandbox, Need::Manage).await?;
    if !row.state.is_live() {
        return Err(ApiError::new(
            ErrorCode::SandboxState,
            format!("the sandbox is {}; only a live sandbox can serve a guild", row.state.as_str()),
        ));
    }
    let mut tx = state.stores.pg.begin().await.db()?;
    if !store::discord::register_guild(&mut *tx, &guild, row.id, p.user_id).await? {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("guild {guild} already serves another live sandbox; unregister it there first"),
        )
        .with_details(json!({ "field": "guildId", "rule": "one live sandbox per guild" })));
    }
    audit::record(&mut *tx, row.id, Some(p.user_id), "discord.guild_registered", json!({ "guildId": guild })).await?;
    tx.commit().await.db()?;
    let found = store::discord::guilds_of(&state.stores.pg, row.id).await?.into_iter().find(|g| g.guild_id == guild);
    let g = found.ok_or_else(|| ApiError::internal("a registered guild vanished"))?;
    Ok(DiscordGuild {
        guild_id: g.guild_id,
        sandbox_id: row.id.to_string(),
        registered_by: g.registered_by,
        registered_at: g.registered_at,
    })
}

/// Removes a guild from a sandbox (its owner or an admin).
#[tracing::instrument(name = "discord::links::unregister_guild", skip_all, fields(sandbox = %sandbox))]
pub async fn unregister_guild(state: &AppState, p: &Principal, sandbox: &str, guild: &str) -> Result<(), ApiError> {
    let guild = snowflake("guildId", guild)?;
    let row = open(state, p, sandbox, Need::Manage).await?;
    let mut tx = state.stores.pg.begin().await.db()?;
    if !store::discord::unregister_guild(&mut *tx, &guild, row.id).await? {
        return Err(ApiError::not_found(format!("guild {guild} on this sandbox")));
    }
    audit::record(&mut *tx, row.id, Some(p.user_id), "discord.guild_unregistered", json!({ "guildId": guild })).await?;
    tx.commit().await.db()?;
    Ok(())
}

/// The guilds registered on a sandbox.
#[tracing::instrument(name = "discord::links::guilds", skip_all, fields(sandbox = %sandbox))]
pub async fn guilds(state: &AppState, p: &Principal, sandbox: &str) -> Result<Vec<DiscordGuild>, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    Ok(store::discord::guilds_of(&state.stores.pg, row.id)
        .await?
        .into_iter()
        .map(|g| DiscordGuild {
            guild_id: g.guild_id,
            sandbox_id: row.id.to_string(),
            registered_by: g.registered_by,
            registered_at: g.registered_at,
        })
        .collect())
}

/// Links a Discord user to a Crysknife user (admins only), replacing any earlier link.
#[tracing::instrument(name = "discord::links::link_user", skip_all)]
pub async fn link_user(state: &AppState, p: &Principal, discord_user: &str, username: &str) -> Result<DiscordLink, ApiError> {
    p.require(Role::QaAdmin, "linking a Discord account to a user")?;
    let discord_user = snowflake("discordUserId", discord_user)?;
    let user = store::user::by_username(&state.stores.pg, username.trim())
        .await?
        .ok_or_else(|| ApiError::validation("username", format!("there is no user `{}`", username.trim())))?;
    store::discord::link_user(&state.stores.pg, &discord_user, user.id, p.user_id).await?;
    Ok(DiscordLink { discord_user_id: discord_user, username: user.username })
}

fn link_key(code: &str) -> String {
    format!("discord:link:{code}")
}

/// A one-time code (10 minutes) that links the Discord account running `/simulation link` to
/// the caller.
#[tracing::instrument(name = "discord::links::link_code", skip_all)]
pub async fn link_code(state: &AppState, p: &Principal) -> Result<LinkCode, ApiError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    let code: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    state.stores.hot.set(&link_key(&code), &p.user_id.to_string(), LINK_CODE_TTL).await?;
    Ok(LinkCode {
        instructions: format!("In a Discord server that uses Crysknife, run `/simulation link code:{code}` within 10 minutes"),
        code,
        expires_in_seconds: LINK_CODE_TTL.as_secs(),
    })
}

/// Uses a link code for the Discord user who ran `/simulation link`; a code works once.
#[tracing::instrument(name = "discord::links::redeem", skip_all)]
pub async fn redeem(state: &AppState, discord_user: &str, code: &str) -> Result<DiscordLink, ApiError> {
    let discord_user = snowflake("discordUserId", discord_user)?;
    let key = link_key(&code.trim().to_uppercase());
    let user = state.stores.hot.get(&key).await?.and_then(|id| uuid::Uuid::parse_str(&id).ok());
    let user =
        user.ok_or_else(|| ApiError::validation("code", "unknown or expired; ask for a new one with `crysknife discord link-code`"))?;
    state.stores.hot.del(&key).await?;
    let row = store::user::by_id(&state.stores.pg, user).await?.ok_or_else(|| ApiError::not_found("user"))?;
    store::discord::link_user(&state.stores.pg, &discord_user, row.id, row.id).await?;
    Ok(DiscordLink { discord_user_id: discord_user, username: row.username })
}

/// Removes a link: one's own, or anyone's for admins (others' links do not exist for others).
#[tracing::instrument(name = "discord::links::unlink_user", skip_all)]
pub async fn unlink_user(state: &AppState, p: &Principal, discord_user: &str) -> Result<(), ApiError> {
    let discord_user = snowflake("discordUserId", discord_user)?;
    let linked = store::discord::linked_user(&state.stores.pg, &discord_user).await?;
    match linked {
        Some(l) if l.user_id == p.user_id || p.is_admin() => {
            store::discord::unlink_user(&state.stores.pg, &discord_user).await?;
            Ok(())
        }
        _ => Err(ApiError::not_found(format!("a link for Discord user {discord_user}"))),
    }
}

/// The Crysknife user a Discord user acts as, if linked.
#[tracing::instrument(name = "discord::links::principal", skip_all)]
pub async fn principal(state: &AppState, discord_user: &str) -> Result<Option<Principal>, ApiError> {
    Ok(store::discord::linked_user(&state.stores.pg, discord_user).await?.map(|l| Principal {
        user_id: l.user_id,
        username: l.username,
        role: l.role,
    }))
}
