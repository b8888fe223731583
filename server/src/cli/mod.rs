//! The command line: `crysknife serve`, `migrate`, `token`, and the client verbs. Each verb
//! lives in its own module; this one parses and dispatches.

mod scenario;
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
    /// Manage API tokens directly in the database (for the first admin, scripts and recovery).
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Run scenario files offline or through a server, and generate suites (exit 0 passed, 1 failed, 2 invalid).
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
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
            ExitCode::FAILURE
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
        Command::Token(cmd) => token::run(settings, cmd).await,
        Command::Scenario(cmd) => scenario::run(cmd).await,
    }
}

async fn migrate(settings: app::settings::Settings) -> anyhow::Result<()> {
    with_database(&settings, |pool| async move {
        app::store::pg::migrate(&pool).await?;
        println!("migrations applied");
        Ok(())
    })
    .await
}

/// Runs `work` against the configured database, or the embedded one (started for the
/// duration and stopped after), with the migrations applied.
pub(crate) async fn with_database<F, Fut>(settings: &app::settings::Settings, work: F) -> anyhow::Result<()>
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
    let pool = app::store::pg::pool(&url)?;
    let result = match app::store::pg::migrate(&pool).await {
        Ok(()) => work(pool.clone()).await,
        Err(e) => Err(e.into()),
    };
    pool.close().await;
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    result
}
