//! The command line: `crysknife serve`, `migrate`, `token`, and the client verbs. Each verb
//! lives in its own module; this one parses and dispatches.

pub mod client;
mod discord;
mod kruxt;
mod sandbox;
mod scenario;
mod sim;
mod token;

use crate::{config, startup, telemetry};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Crysknife: a QA sandbox for permission systems.
#[derive(Parser, Debug)]
#[command(name = "crysknife", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web console and the APIs (migrations run first).
    Serve,
    /// Apply the control-plane migrations and exit.
    Migrate,
    /// Manage API tokens: through the configured server, or directly in the database (`--local`).
    Token(token::TokenArgs),
    /// Check a token against a server and save both in the CLI's config file.
    Login(client::LoginArgs),
    /// Create, list, inspect, extend and destroy sandboxes (through a server).
    Sandbox(sandbox::SandboxArgs),
    /// Simulate a member: `sim set bgt 500`, `sim check access '#war-room'`, `sim config tier usul bgt=1000`.
    Sim(sim::SimArgs),
    /// Discord: print or register the `/simulation` command, register guilds, link users.
    Discord(discord::DiscordArgs),
    /// Run scenario files offline or through a server, and generate suites (exit 0 passed, 1 failed, 2 invalid).
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
    /// KRUXT: the beta test plan's status (`kruxt test-plan [--run] [--offline]`).
    Kruxt(kruxt::KruxtArgs),
}

/// Parses the arguments, runs the command, and turns any error into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Client failures carry their own code (2 invalid, 3 unreachable, 4 refused, 5 not found).
            e.downcast_ref::<client::Failure>().map_or(ExitCode::FAILURE, |f| ExitCode::from(f.exit_code()))
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = config::load_settings()?;
    telemetry::init(&settings);
    match cli.command {
        Command::Serve => {
            let leptos = config::load_leptos_options()?;
            startup::Application::build(settings, leptos).await?.run_until(startup::shutdown_signal()).await
        }
        Command::Migrate => migrate(settings).await,
        Command::Token(args) => token::run(settings, args).await,
        Command::Login(args) => client::login(args).await,
        Command::Sandbox(args) => sandbox::run(args).await,
        Command::Sim(args) => sim::run(args).await,
        Command::Discord(args) => discord::run(settings, args).await,
        Command::Scenario(cmd) => scenario::run(cmd).await,
        Command::Kruxt(args) => kruxt::run(args).await,
    }
}

async fn migrate(settings: backend::settings::Settings) -> anyhow::Result<()> {
    with_database(&settings, |pool| async move {
        backend::store::pg::migrate(&pool).await?;
        println!("migrations applied");
        Ok(())
    })
    .await
}

/// Runs `work` against the configured database, or the embedded one (started for the
/// duration and stopped after), with the migrations applied.
pub(crate) async fn with_database<F, Fut>(settings: &backend::settings::Settings, work: F) -> anyhow::Result<()>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let embedded = match &settings.database_url {
        Some(_) => None,
        None => Some(crate::embedded_pg::EmbeddedPostgres::start(&settings.data_dir).await?),
    };
    let url = match (&settings.database_url, &embedded) {
        (Some(url), _) => url.expose().to_owned(),
        (None, pg) => pg.as_ref().map(|pg| pg.url()).unwrap_or_default(),
    };
    let pool = backend::store::pg::pool(&url)?;
    let result = match backend::store::pg::migrate(&pool).await {
        Ok(()) => work(pool.clone()).await,
        Err(e) => Err(e.into()),
    };
    pool.close().await;
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    result
}
