//! `crysknife scenario run|lint|generate|schema`: runs scenario files offline with the pure engine or
//! through a server's `POST /sandbox/:id/simulation/scenario`, writes pretty text, JSON or JUnit
//! XML, and exits 0 (all passed), 1 (something failed) or 2 (invalid input, or the run could not
//! happen). Server mode lives in `scenario/remote.rs`, linting in `scenario/lint.rs`.

mod lint;
mod remote;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use domain::scenario::{self, ErrorKind, FileReport, Report, RunEnv, ScenarioError};
use domain::Theme;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A single file with at least this many scenarios gets a progress bar of its own.
const MANY_SCENARIOS: usize = 100;

#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// Run scenario files (paths, folders or glob patterns) and report every assertion.
    Run(RunArgs),
    /// Read scenario files without running them: errors exit 2, expectations that cannot fail exit 1.
    Lint {
        /// Scenario files, folders or glob patterns.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Write a generated suite.
    #[command(subcommand)]
    Generate(GenerateCommand),
    /// Print the JSON Schema (draft 2020-12) of the scenario format.
    Schema,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario files (.yaml, .yml, .json), folders (their files, not subfolders) or glob patterns.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Run through this server instead of offline.
    #[arg(long, env = "CRYSKNIFE_SERVER")]
    pub server: Option<String>,
    /// API token for the server.
    #[arg(long, env = "CRYSKNIFE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The sandbox to run in; without it a temporary sandbox is created and destroyed.
    #[arg(long)]
    pub sandbox: Option<String>,
    /// Run with the built-in engine even when a server is configured.
    #[arg(long)]
    pub offline: bool,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = OutputFormat::Pretty)]
    pub format: OutputFormat,
    /// Write the report to this file (and print the pretty report too).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write golden files from the engine's answers instead of failing on a difference (offline).
    #[arg(long)]
    pub update_golden: bool,
    /// A theme file (TOML, JSON or YAML) for scenario files that name it or name no theme (offline).
    #[arg(long)]
    pub theme_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum GenerateCommand {
    /// The tier boundary suite from the engine's boundary personas.
    Boundaries {
        #[arg(long, value_enum)]
        theme: BuiltinTheme,
        /// Where to write it; standard output without it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Pretty,
    Json,
    Junit,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum BuiltinTheme {
    Sietch,
    Basic,
}

/// Runs the command and exits with its code: 0 passed, 1 failed, 2 invalid input.
pub async fn run(command: ScenarioCommand) -> anyhow::Result<()> {
    let code = match command {
        ScenarioCommand::Run(args) => match run_files(args).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                2
            }
        },
        ScenarioCommand::Lint { files } => match expand(&files).and_then(|files| lint::lint_files(&files)) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                2
            }
        },
        ScenarioCommand::Generate(GenerateCommand::Boundaries { theme, out }) => {
            let id = match theme {
                BuiltinTheme::Sietch => "sietch",
                BuiltinTheme::Basic => "basic",
            };
            let evaluator = domain::Evaluator::builtin(id).context("built-in theme")?;
            emit(out.as_deref(), &scenario::boundary_suite(&evaluator))?;
            0
        }
        ScenarioCommand::Schema => {
            emit(None, scenario::JSON_SCHEMA)?;
            0
        }
    };
    if code != 0 {
        let _ = std::io::stdout().flush();
        std::process::exit(code);
    }
    Ok(())
}

async fn run_files(args: RunArgs) -> anyhow::Result<i32> {
    let files = expand(&args.files)?;
    let started = Instant::now();
    let server = args.server.as_deref().filter(|_| !args.offline);
    let mut report = match server {
        Some(server) => {
            anyhow::ensure!(!args.update_golden, "--update-golden works offline only: golden files live beside the scenario files");
            anyhow::ensure!(args.theme_file.is_none(), "--theme-file works offline only; a server runs with the sandbox's theme");
            let token = args.token.as_deref().context("--token (or CRYSKNIFE_TOKEN) is required with --server")?;
            remote::run(server, token, args.sandbox.as_deref(), &files).await?
        }
        None => {
            anyhow::ensure!(args.sandbox.is_none(), "--sandbox needs --server (or CRYSKNIFE_SERVER)");
            let custom = args.theme_file.as_deref().map(load_theme).transpose()?;
            run_offline(&files, custom.as_ref(), args.update_golden)
        }
    };
    report.duration_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
    let rendered = match args.format {
        OutputFormat::Pretty => scenario::render_pretty(&report),
        OutputFormat::Json => scenario::render_json(&report),
        OutputFormat::Junit => scenario::render_junit(&report),
    };
    match &args.out {
        Some(out) => {
            write_file(out, &rendered)?;
            print!("{}", scenario::render_pretty(&report));
            eprintln!("report written to {}", out.display());
        }
        None => print!("{rendered}"),
    }
    Ok(i32::from(report.exit_code()))
}

/// Files named, folders listed (scenario files only, sorted) and patterns expanded, each once.
fn expand(patterns: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for pattern in patterns {
        let path = Path::new(pattern);
        let found: Vec<PathBuf> = if path.is_dir() {
            let mut listed: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {pattern}"))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|ext| ["yaml", "yml", "json"].iter().any(|known| ext.eq_ignore_ascii_case(known)))
                })
                .collect();
            listed.sort();
            listed
        } else if pattern.contains(['*', '?', '[']) {
            let mut matched: Vec<PathBuf> = glob::glob(pattern)
                .with_context(|| format!("bad pattern {pattern}"))?
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            matched.sort();
            matched
        } else {
            vec![path.to_owned()]
        };
        anyhow::ensure!(!found.is_empty(), "{pattern} matches no scenario file");
        for file in found {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

fn load_theme(path: &Path) -> anyhow::Result<Theme> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read theme file {}", path.display()))?;
    let format =
        domain::theme::ThemeFormat::from_file_name(&path.to_string_lossy()).context("a theme file ends in .toml, .json, .yaml or .yml")?;
    Theme::load(&text, format).map_err(|e| anyhow::anyhow!("theme file {}: {e}", path.display()))
}

fn run_offline(files: &[PathBuf], custom: Option<&Theme>, update_golden: bool) -> Report {
    let themes = |requested: Option<&str>| match (requested, custom) {
        (Some(id), Some(theme)) if id == theme.id || id == "custom" => Some(theme),
        (None, Some(theme)) => Some(theme),
        (requested, _) => scenario::builtin_theme(requested),
    };
    let bar = progress(files.len());
    // One long file gets a bar over its scenarios instead.
    let scenario_bar = match files.len() == 1 && std::io::stderr().is_terminal() {
        true => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        false => ProgressBar::hidden(),
    };
    let advance = |done: usize, total: usize| {
        if total >= MANY_SCENARIOS {
            scenario_bar.set_length(total as u64);
            scenario_bar.set_position(done as u64);
        }
    };
    let mut reports = Vec::with_capacity(files.len());
    for path in files {
        let name = path.display().to_string();
        let started = Instant::now();
        let mut report = match std::fs::read_to_string(path) {
            Ok(text) => {
                let dir = path.parent().map(Path::to_owned).unwrap_or_default();
                let golden = |relative: &str| std::fs::read_to_string(dir.join(relative)).ok();
                let env = RunEnv { themes: &themes, golden: &golden, update_golden, progress: Some(&advance), ..RunEnv::builtin() };
                let report = scenario::run_text(&text, &name, &env);
                write_golden(&dir, &report);
                report
            }
            Err(e) => {
                FileReport::invalid(&name, None, vec![ScenarioError::new("", ErrorKind::Missing, format!("cannot read {name}: {e}"))])
            }
        };
        report.duration_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        reports.push(report);
        bar.inc(1);
    }
    bar.finish_and_clear();
    scenario_bar.finish_and_clear();
    Report::new(reports)
}

fn write_golden(dir: &Path, report: &FileReport) {
    for update in &report.golden_updates {
        let path = dir.join(&update.path);
        match write_file(&path, &update.contents) {
            Ok(()) => eprintln!("updated golden file {}", path.display()),
            Err(e) => eprintln!("error: {e:#}"),
        }
    }
}

/// A bar on standard error for runs of several files, only when it is a terminal.
pub(crate) fn progress(files: usize) -> ProgressBar {
    if files < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}") {
        bar.set_style(style);
    }
    bar
}

fn write_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

fn emit(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => write_file(path, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
