//! Discord guild registrations and user links on the wire.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A guild whose `/simulation` commands act on a sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscordGuild {
    /// The guild's id (a Discord snowflake).
    pub guild_id: String,
    pub sandbox_id: String,
    /// Who registered it.
    pub registered_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
}

/// `POST /sandbox/:id/discord/guilds`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterGuild {
    pub guild_id: String,
}

/// A Discord user and the Crysknife user they act as.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscordLink {
    pub discord_user_id: String,
    pub username: String,
}

/// `POST /discord/links` (admins): link a Discord user to a Crysknife user directly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkUser {
    pub discord_user_id: String,
    pub username: String,
}

/// A one-time code that links the Discord account which runs `/simulation link <code>` to the
/// Crysknife user who asked for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkCode {
    pub code: String,
    pub expires_in_seconds: u64,
    /// What to do with it, in a sentence.
    pub instructions: String,
}
