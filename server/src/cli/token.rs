//! `crysknife token create|list|revoke`: API tokens. With a server configured (`--server`,
//! `CRYSKNIFE_SERVER` or `crysknife login`) they go through its API as the signed-in user;
//! otherwise, or with `--local`, straight in the database (for the first admin, scripts and
//! recovery). The secret is printed once and stored only as a hash.

use super::client::{Client, Conn};
use super::with_database;
use anyhow::{bail, Context};
use backend::services::embed::{Card, NEUTRAL};
use backend::settings::Settings;
use backend::store;
use clap::{Args, Subcommand};
use serde_json::json;
use wire::model::{NewToken, TokenView};

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[command(flatten)]
    pub conn: Conn,
    /// Work in the local database even when a server is configured.
    #[arg(long, global = true)]
    pub local: bool,
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print it (the only time it is shown).
    Create {
        /// The user the token signs in as (local: default `admin`; server: only yourself).
        #[arg(long)]
        user: Option<String>,
        /// A name to tell the token apart.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List tokens (never their secrets).
    List {
        /// Whose tokens (local only; default `admin`).
        #[arg(long)]
        user: Option<String>,
    },
    /// Revoke a token by its id.
    Revoke {
        id: String,
        /// Whose token (local only; default `admin`).
        #[arg(long)]
        user: Option<String>,
    },
}

pub async fn run(settings: Settings, args: TokenArgs) -> anyhow::Result<()> {
    if !args.local && Client::configured(&args.conn)? {
        remote(&Client::new(&args.conn)?, args.command).await
    } else {
        local(settings, args.command).await
    }
}

/// Through the server's API, as the token's owner.
async fn remote(client: &Client, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { user, name } => {
            if let Some(user) = user {
                let me = client.server_fn("auth/me", json!({})).await?;
                if !me["username"].as_str().is_some_and(|u| u.eq_ignore_ascii_case(&user)) {
                    bail!("through a server, tokens are created for the signed-in user only; use --local for {user}'s");
                }
            }
            let made = client.server_fn("token/create", json!({ "name": name })).await?;
            if client.json {
                println!("{}", serde_json::to_string_pretty(&made)?);
            } else {
                let made: NewToken = serde_json::from_value(made)?;
                println!("{}", made.token);
                eprintln!("token `{}` ({}): shown once, keep it safe", made.view.name, made.view.id);
            }
            Ok(())
        }
        TokenCommand::List { user } => {
            if user.is_some() {
                bail!("through a server, `token list` shows your own tokens; use --local for another user's");
            }
            let list = client.server_fn("token/list", json!({})).await?;
            client.print(&list, |all: Vec<TokenView>| Card {
                title: format!("TOKENS: {}", all.len()),
                colour: NEUTRAL.to_owned(),
                lines: all.iter().map(line).collect(),
                fields: Vec::new(),
                footer: None,
            })
        }
        TokenCommand::Revoke { id, user } => {
            if user.is_some() {
                bail!("through a server, you revoke your own tokens; use --local for another user's");
            }
            client.server_fn("token/revoke", json!({ "id": id })).await?;
            println!("revoked {id}");
            Ok(())
        }
    }
}

fn line(t: &TokenView) -> String {
    let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
    format!("{}  {:<12} {:<8} {}", t.id, t.prefix, state, t.name)
}

/// Straight in the database (`DATABASE_URL`, or the embedded cluster).
async fn local(settings: Settings, command: TokenCommand) -> anyhow::Result<()> {
    with_database(&settings, |pool| async move {
        match command {
            TokenCommand::Create { user, name } => {
                let user = user.unwrap_or_else(|| "admin".to_owned());
                // On a database nobody has used yet, this creates the first admin, as `serve` would.
                if user == "admin" && store::user::count(&pool).await? == 0 {
                    store::user::insert(&pool, "admin", "Administrator", wire::model::Role::QaAdmin, None).await?;
                }
                let owner = find_user(&pool, &user).await?;
                let (token, hash, prefix) = backend::services::auth::new_token();
                store::token::insert(&pool, owner.id, &name, &hash, &prefix).await?;
                println!("{token}");
                eprintln!("token `{name}` for {}: shown once, keep it safe", owner.username);
            }
            TokenCommand::List { user } => {
                let owner = find_user(&pool, user.as_deref().unwrap_or("admin")).await?;
                for t in store::token::list_for_user(&pool, owner.id).await? {
                    println!("{}", line(&t.view()));
                }
            }
            TokenCommand::Revoke { id, user } => {
                let owner = find_user(&pool, user.as_deref().unwrap_or("admin")).await?;
                let id = uuid::Uuid::parse_str(&id).context("a token id is a UUID (see `crysknife token list`)")?;
                if store::token::revoke(&pool, id, owner.id).await?.is_none() {
                    bail!("{} has no token {id}", owner.username);
                }
                println!("revoked {id}");
            }
        }
        Ok(())
    })
    .await
}

async fn find_user(pool: &sqlx::PgPool, username: &str) -> anyhow::Result<store::user::UserRow> {
    store::user::by_username(pool, username)
        .await?
        .with_context(|| format!("there is no user `{username}` (the first start creates `admin`)"))
}
