//! `crysknife sandbox create|list|status|extend|destroy|use`: sandboxes through the REST door.
//! A sandbox is named by id or by name; `create` and `use` make it the one `sim` acts on.

use super::client::{Client, Conn, Failure};
use anyhow::bail;
use backend::services::embed::{Card, NEUTRAL};
use clap::{Args, Subcommand};
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use wire::error::ApiError;
use wire::model::{SandboxChange, SandboxView};

#[derive(Args, Debug)]
pub struct SandboxArgs {
    #[command(flatten)]
    pub conn: Conn,
    #[command(subcommand)]
    pub command: SandboxCommand,
}

#[derive(Subcommand, Debug)]
pub enum SandboxCommand {
    /// Create a running sandbox and make it the current one.
    Create {
        name: String,
        /// Hours to live (default 24, at most 168).
        #[arg(long)]
        ttl_hours: Option<u32>,
        /// `sietch` (default) or `basic`.
        #[arg(long)]
        theme: Option<String>,
        /// Usernames to invite (repeatable).
        #[arg(long = "member")]
        members: Vec<String>,
        /// Do not make it the current sandbox.
        #[arg(long)]
        no_use: bool,
    },
    /// The sandboxes you can see.
    List,
    /// One sandbox (default: the current one).
    Status { sandbox: Option<String> },
    /// Move a sandbox's expiry later.
    Extend {
        /// Hours to add.
        #[arg(long)]
        hours: u32,
        sandbox: Option<String>,
    },
    /// Destroy a sandbox now.
    Destroy { sandbox: Option<String> },
    /// Make a sandbox the current one (saved in the config file).
    Use { sandbox: String },
}

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.conn)?;
    match args.command {
        SandboxCommand::Create { name, ttl_hours, theme, members, no_use } => {
            let body = json!({ "name": name, "ttlHours": ttl_hours, "themeId": theme, "members": members });
            let made = client.call("POST", "/sandbox", Some(&body)).await?;
            if !no_use {
                remember(&client, made["id"].as_str().unwrap_or_default())?;
            }
            client.print(&made, |c: SandboxChange| card("SANDBOX CREATED", &c.sandbox, c.notice))
        }
        SandboxCommand::List => {
            let list = client.call("GET", "/sandbox", None).await?;
            client.print(&list, |all: Vec<SandboxView>| table(&all, client.profile.sandbox.as_deref()))
        }
        SandboxCommand::Status { sandbox } => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            client.print(&client.call("GET", &format!("/sandbox/{id}"), None).await?, |v: SandboxView| card("SANDBOX", &v, None))
        }
        SandboxCommand::Extend { hours, sandbox } => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            let changed = client.call("POST", &format!("/sandbox/{id}/extend"), Some(&json!({ "hours": hours }))).await?;
            client.print(&changed, |c: SandboxChange| card("SANDBOX EXTENDED", &c.sandbox, c.notice))
        }
        SandboxCommand::Destroy { sandbox } => {
            let id = resolve(&client, sandbox.as_deref()).await?;
            client
                .print(&client.call("DELETE", &format!("/sandbox/{id}"), None).await?, |v: SandboxView| card("SANDBOX DESTROYED", &v, None))
        }
        SandboxCommand::Use { sandbox } => {
            let id = resolve(&client, Some(&sandbox)).await?;
            let path = remember(&client, &id)?;
            println!("sandbox {id} is now the current one (saved in {})", path.display());
            Ok(())
        }
    }
}

/// The id of the sandbox named by `given` (an id, or a name among live sandboxes), else the
/// current one.
pub async fn resolve(client: &Client, given: Option<&str>) -> anyhow::Result<String> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()).or(client.profile.sandbox.as_deref()) else {
        bail!(Failure::Api(ApiError::validation(
            "sandbox",
            "name a sandbox with --sandbox ID|NAME or CRYSKNIFE_SANDBOX, or make one current with `crysknife sandbox create` or `crysknife sandbox use`"
        )));
    };
    if uuid::Uuid::parse_str(given).is_ok() {
        return Ok(given.to_owned());
    }
    let all: Vec<SandboxView> = serde_json::from_value(client.call("GET", "/sandbox", None).await?)?;
    let found = all.iter().find(|s| s.state.is_live() && s.name.eq_ignore_ascii_case(given));
    match found {
        Some(s) => Ok(s.id.clone()),
        None => bail!(Failure::Api(ApiError::not_found(format!("a live sandbox named `{given}` that you can see")))),
    }
}

fn remember(client: &Client, id: &str) -> anyhow::Result<std::path::PathBuf> {
    let mut profile = client.profile.clone();
    profile.sandbox = Some(id.to_owned());
    profile.save()
}

fn card(title: &str, s: &SandboxView, notice: Option<String>) -> Card {
    let left = s.seconds_left;
    let mut lines = vec![
        format!("Id: {}", s.id),
        format!("State: {}", s.state.as_str()),
        format!("Theme: {}", s.theme_id),
        format!("Owner: {}", s.owner),
        format!("Members: {}", if s.members.is_empty() { "none".to_owned() } else { s.members.join(", ") }),
        format!("Expires: {} (in {} h {} min)", s.expires_at.format(&Rfc3339).unwrap_or_default(), left / 3600, (left % 3600) / 60),
    ];
    lines.extend(notice);
    Card { title: format!("{title}: {}", s.name), colour: NEUTRAL.to_owned(), lines, fields: Vec::new(), footer: None }
}

fn table(all: &[SandboxView], current: Option<&str>) -> Card {
    let mut lines: Vec<String> = all
        .iter()
        .map(|s| {
            let mark = if current == Some(s.id.as_str()) { "*" } else { " " };
            format!("{mark} {}  {:<10} {:<8} {:>4} h left  {}", s.id, s.state.as_str(), s.theme_id, s.seconds_left / 3600, s.name)
        })
        .collect();
    if lines.is_empty() {
        lines.push("no sandboxes yet: `crysknife sandbox create <name>`".to_owned());
    }
    Card { title: format!("SANDBOXES: {}", all.len()), colour: NEUTRAL.to_owned(), lines, fields: Vec::new(), footer: None }
}
