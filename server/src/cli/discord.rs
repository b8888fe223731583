//! `crysknife discord ...`: the `/simulation` registration JSON (`commands`), registering it
//! with Discord (`register`, with `DISCORD_APPLICATION_ID` and `DISCORD_BOT_TOKEN`), and, through
//! the server, guilds on sandboxes and links between Discord and Crysknife users.

use super::client::{http, Client, Conn};
use super::sandbox::resolve;
use anyhow::{bail, Context};
use backend::services::discord::commands;
use backend::services::embed::{Card, NEUTRAL};
use backend::settings::Settings;
use clap::{Args, Subcommand};
use serde_json::json;
use wire::model::{DiscordGuild, DiscordLink, LinkCode};

/// Discord's API, unless `--discord-api` names a stand-in.
const DISCORD_API: &str = "https://discord.com/api/v10";

#[derive(Args, Debug)]
pub struct DiscordArgs {
    #[command(flatten)]
    pub conn: Conn,
    #[command(subcommand)]
    pub command: DiscordCommand,
}

#[derive(Subcommand, Debug)]
pub enum DiscordCommand {
    /// Print the `/simulation` command registration JSON.
    Commands,
    /// Register `/simulation` with Discord: globally, or in one guild (instant, for testing).
    Register {
        /// Register in this guild only.
        #[arg(long)]
        guild: Option<String>,
        /// Discord's API base URL.
        #[arg(long, default_value = DISCORD_API, hide = true)]
        discord_api: String,
    },
    #[command(flatten)]
    Server(ServerCommand),
}

/// The verbs that go through the server.
#[derive(Subcommand, Debug)]
pub enum ServerCommand {
    /// Guilds whose `/simulation` acts on a sandbox: `guild add|remove|list`.
    #[command(subcommand)]
    Guild(GuildCommand),
    /// Link a Discord user to a Crysknife user (admins).
    Link {
        discord_user_id: String,
        #[arg(long)]
        user: String,
    },
    /// A one-time code: `/simulation link code:<code>` in Discord links that account to you.
    LinkCode,
    /// Remove a Discord user's link (yours, or anyone's for admins).
    Unlink { discord_user_id: String },
}

#[derive(Subcommand, Debug)]
pub enum GuildCommand {
    /// Make a guild's commands act on a sandbox (default: the current one).
    Add {
        guild_id: String,
        #[arg(long, short)]
        sandbox: Option<String>,
    },
    /// Stop a guild acting on a sandbox.
    Remove {
        guild_id: String,
        #[arg(long, short)]
        sandbox: Option<String>,
    },
    /// The guilds registered on a sandbox.
    List {
        #[arg(long, short)]
        sandbox: Option<String>,
    },
}

pub async fn run(settings: Settings, args: DiscordArgs) -> anyhow::Result<()> {
    match args.command {
        DiscordCommand::Commands => {
            println!("{}", serde_json::to_string_pretty(&commands::definitions())?);
            Ok(())
        }
        DiscordCommand::Register { guild, discord_api } => register(&settings, guild.as_deref(), &discord_api).await,
        DiscordCommand::Server(command) => remote(args.conn, command).await,
    }
}

/// Replaces the application's commands (global or guild) with `/simulation`.
async fn register(settings: &Settings, guild: Option<&str>, api: &str) -> anyhow::Result<()> {
    let app_id =
        settings.discord_application_id.as_deref().context("set DISCORD_APPLICATION_ID (or discord_application_id in crysknife.toml)")?;
    let token = settings.discord_bot_token.as_ref().context("set DISCORD_BOT_TOKEN (or discord_bot_token in crysknife.toml)")?;
    let url = match guild {
        Some(g) => format!("{api}/applications/{app_id}/guilds/{}/commands", backend::services::discord::links::snowflake("guild", g)?),
        None => format!("{api}/applications/{app_id}/commands"),
    };
    let response = http()?
        .put(&url)
        .header("Authorization", format!("Bot {}", token.expose()))
        .json(&commands::definitions())
        .send()
        .await
        .with_context(|| format!("reaching Discord at {api}"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("Discord refused the registration ({status}): {text}");
    }
    let scope =
        guild.map(|g| format!("guild {g}")).unwrap_or_else(|| "every guild (global commands can take an hour to appear)".to_owned());
    println!("registered /{} for {scope}", commands::NAME);
    Ok(())
}

async fn remote(conn: Conn, command: ServerCommand) -> anyhow::Result<()> {
    let client = Client::new(&conn)?;
    match command {
        ServerCommand::Guild(GuildCommand::Add { guild_id, sandbox }) => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            let made = client.call("POST", &format!("/sandbox/{id}/discord/guilds"), Some(&json!({ "guildId": guild_id }))).await?;
            client.print(&made, |g: DiscordGuild| card("GUILD REGISTERED", vec![guild_line(&g)]))
        }
        ServerCommand::Guild(GuildCommand::Remove { guild_id, sandbox }) => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            client.call("DELETE", &format!("/sandbox/{id}/discord/guilds/{guild_id}"), None).await?;
            client.print(&json!({ "guildId": guild_id, "removed": true }), |_: serde_json::Value| {
                card("GUILD REMOVED", vec![format!("Guild {guild_id} no longer acts on sandbox {id}")])
            })
        }
        ServerCommand::Guild(GuildCommand::List { sandbox }) => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            let list = client.call("GET", &format!("/sandbox/{id}/discord/guilds"), None).await?;
            client.print(&list, |all: Vec<DiscordGuild>| card("GUILDS", all.iter().map(guild_line).collect()))
        }
        ServerCommand::Link { discord_user_id, user } => {
            let link = client.call("POST", "/discord/links", Some(&json!({ "discordUserId": discord_user_id, "username": user }))).await?;
            client.print(&link, |l: DiscordLink| card("LINKED", vec![format!("Discord user {} acts as {}", l.discord_user_id, l.username)]))
        }
        ServerCommand::LinkCode => {
            let code = client.call("POST", "/discord/link-code", None).await?;
            client.print(&code, |c: LinkCode| card(&format!("LINK CODE: {}", c.code), vec![c.instructions]))
        }
        ServerCommand::Unlink { discord_user_id } => {
            client.call("DELETE", &format!("/discord/links/{discord_user_id}"), None).await?;
            client.print(&json!({ "discordUserId": discord_user_id, "unlinked": true }), |_: serde_json::Value| {
                card("UNLINKED", vec![format!("Discord user {discord_user_id} is no longer linked")])
            })
        }
    }
}

fn guild_line(g: &DiscordGuild) -> String {
    format!("{} -> sandbox {} (by {})", g.guild_id, g.sandbox_id, g.registered_by.as_deref().unwrap_or("a removed user"))
}

fn card(title: &str, lines: Vec<String>) -> Card {
    let lines = if lines.is_empty() { vec!["none".to_owned()] } else { lines };
    Card { title: title.to_owned(), colour: NEUTRAL.to_owned(), lines, fields: Vec::new(), footer: None }
}
