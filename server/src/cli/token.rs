//! `crysknife token create|list|revoke`: API tokens managed straight in the database, for the
//! first admin, scripts and recovery. The secret is printed once and stored only as a hash.

use super::with_database;
use anyhow::{bail, Context};
use app::settings::Settings;
use app::store;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token for a user and print it (the only time it is shown).
    Create {
        /// The user the token signs in as.
        #[arg(long, default_value = "admin")]
        user: String,
        /// A name to tell the token apart.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List a user's tokens (never their secrets).
    List {
        #[arg(long, default_value = "admin")]
        user: String,
    },
    /// Revoke a token by its id.
    Revoke {
        id: String,
        #[arg(long, default_value = "admin")]
        user: String,
    },
}

pub async fn run(settings: Settings, cmd: TokenCommand) -> anyhow::Result<()> {
    with_database(&settings, |pool| async move {
        match cmd {
            TokenCommand::Create { user, name } => {
                // On a database nobody has used yet, this creates the first admin, as `serve` would.
                if user == "admin" && store::user::count(&pool).await? == 0 {
                    store::user::insert(&pool, "admin", "Administrator", app::model::Role::QaAdmin, None).await?;
                }
                let owner = find_user(&pool, &user).await?;
                let (token, hash, prefix) = app::services::auth::new_token();
                store::token::insert(&pool, owner.id, &name, &hash, &prefix).await?;
                println!("{token}");
                eprintln!("token `{name}` for {}: shown once, keep it safe", owner.username);
            }
            TokenCommand::List { user } => {
                let owner = find_user(&pool, &user).await?;
                for t in store::token::list_for_user(&pool, owner.id).await? {
                    let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                    println!("{}  {:<12} {:<8} {}", t.id, t.prefix, state, t.name);
                }
            }
            TokenCommand::Revoke { id, user } => {
                let owner = find_user(&pool, &user).await?;
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
    store::user::by_username(pool, username).await?.with_context(|| {
        format!("there is no user `{username}` (the first start creates `admin`)")
    })
}
