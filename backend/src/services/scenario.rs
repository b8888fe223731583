//! Scenario runs through the API: a file is parsed and run by the pure runner against the
//! sandbox's theme, stored with its report (who, when, which file) and announced to open pages;
//! files can be kept in the sandbox by name and run again (Discord's `/simulation scenario`).

use crate::services::auth::Principal;
use crate::services::events::{self, Change};
use crate::services::kruxt;
use crate::services::sandbox::{open, theme, Need};
use crate::state::AppState;
use crate::store::{self, sandbox::SandboxKind, scenario::NewRun};
use domain::scenario::{self, FileReport, FileStatus, RunEnv};
use domain::Theme;
use std::time::Instant;
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};
use wire::model::{RunScenario, SavedScenario, ScenarioRun, ScenarioRunSummary};

fn valid_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.contains('/') {
        return Err(ApiError::validation("name", "1 to 100 characters, no slashes"));
    }
    Ok(name)
}

/// Runs a scenario file in a sandbox and stores the run.
#[tracing::instrument(name = "scenario::run", skip_all, fields(sandbox = %sandbox))]
pub async fn run(state: &AppState, p: &Principal, sandbox: &str, req: RunScenario) -> Result<ScenarioRun, ApiError> {
    let row = open(state, p, sandbox, Need::Use).await?;
    let file_name = req.file_name.clone().unwrap_or_else(|| "scenario.yaml".into());
    if let Some(name) = &req.save_as {
        p.require(wire::model::Role::QaTester, "saving a scenario")?;
        valid_name(name)?;
    }
    let kruxt_file = kruxt::is_kruxt_file(&req.scenario, &file_name);
    let kruxt_sandbox = matches!(row.kind(), SandboxKind::Kruxt { .. });
    if kruxt_sandbox || kruxt_file {
        if req.save_as.is_some() {
            return Err(ApiError::validation("saveAs", "KRUXT scenario files are not kept in the sandbox; run them from their file"));
        }
        if !kruxt_sandbox {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("`{file_name}` is a KRUXT scenario file (theme: kruxt); run it in a KRUXT sandbox"),
            )
            .with_details(serde_json::json!({ "field": "scenario", "rule": "a KRUXT file needs a sandbox with themeId kruxt" })));
        }
        if !kruxt_file {
            return Err(ApiError::validation("scenario", "a KRUXT sandbox runs KRUXT scenario files (theme: kruxt)"));
        }
        return kruxt::run_file(state, p, row, &file_name, &req.scenario).await;
    }
    let sandbox_theme = theme::of(state, &row)?;
    let started = Instant::now();
    let report = run_with(&sandbox_theme, &req.scenario, &file_name, &req.golden);
    let elapsed = started.elapsed();
    if report.status == FileStatus::Invalid {
        let first = report.errors.first().map(|e| e.to_string()).unwrap_or_else(|| "the scenario file is invalid".into());
        return Err(
            ApiError::new(ErrorCode::Validation, first).with_details(serde_json::json!({ "field": "scenario", "errors": report.errors }))
        );
    }
    if let Some(name) = &req.save_as {
        store::scenario::save(&state.stores.pg, row.id, valid_name(name)?, &req.scenario, p.user_id).await?;
    }
    let report = FileReport { duration_ms: Some(elapsed.as_secs_f64() * 1000.0), ..report };
    metrics::counter!("scenario_runs_total", "kind" => "tier", "status" => report.status.as_str()).increment(1);
    let json = serde_json::to_value(&report).map_err(ApiError::internal)?;
    let failures = report.totals.failed;
    let new = NewRun {
        sandbox: row.id,
        actor: p.user_id,
        file_name: &file_name,
        passed: report.status == FileStatus::Passed,
        assertions: report.totals.assertions as i32,
        failures: failures as i32,
        duration_ms: elapsed.as_millis() as i32,
        report: &json,
    };
    let id = store::scenario::insert_run(&state.stores.pg, new).await?;
    let change = Change { sandbox: row.id, kind: "scenario".into(), action: "scenario.run".into(), simulation: None, version: None };
    events::publish(state, change).await;
    Ok(ScenarioRun { run_id: id.to_string(), report })
}

/// The pure run: the file's theme is the sandbox's when it names none or the same id, else a
/// built-in theme; golden files come from the request.
fn run_with(sandbox_theme: &Theme, text: &str, file_name: &str, golden: &std::collections::BTreeMap<String, String>) -> FileReport {
    let themes = |requested: Option<&str>| -> Option<&Theme> {
        match requested {
            None => Some(sandbox_theme),
            Some(id) if id == sandbox_theme.id => Some(sandbox_theme),
            Some(id) => Theme::builtin(id),
        }
    };
    let read_golden = |path: &str| golden.get(path).cloned();
    let env = RunEnv { themes: &themes, golden: &read_golden, ..RunEnv::builtin() };
    scenario::run_text(text, file_name, &env)
}

/// Runs a file saved in the sandbox under `name`.
#[tracing::instrument(name = "scenario::run_saved", skip_all, fields(sandbox = %sandbox))]
pub async fn run_saved(state: &AppState, p: &Principal, sandbox: &str, name: &str) -> Result<ScenarioRun, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    let source = store::scenario::saved_source(&state.stores.pg, row.id, name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("saved scenario `{name}`")))?;
    let req = RunScenario { scenario: source, file_name: Some(format!("{name}.yaml")), ..RunScenario::default() };
    run(state, p, sandbox, req).await
}

/// Keeps a scenario file in the sandbox under `name`, after checking that it parses.
#[tracing::instrument(name = "scenario::save", skip_all, fields(sandbox = %sandbox))]
pub async fn save(state: &AppState, p: &Principal, sandbox: &str, name: &str, source: &str) -> Result<SavedScenario, ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    let name = valid_name(name)?;
    check_parses(&*theme::of(state, &row)?, source, name)?;
    store::scenario::save(&state.stores.pg, row.id, name, source, p.user_id).await?;
    Ok(SavedScenario { name: name.to_owned(), updated_at: time::OffsetDateTime::now_utc() })
}

/// Refuses a file that does not parse, with every error.
fn check_parses(sandbox_theme: &Theme, source: &str, name: &str) -> Result<(), ApiError> {
    let themes = |requested: Option<&str>| -> Option<&Theme> {
        match requested {
            Some(id) if id != sandbox_theme.id => Theme::builtin(id),
            _ => Some(sandbox_theme),
        }
    };
    let env = RunEnv { themes: &themes, ..RunEnv::builtin() };
    scenario::parse(source, &format!("{name}.yaml"), &env).map(|_| ()).map_err(|errors| {
        let first = errors.iter().next().map(|e| e.to_string()).unwrap_or_default();
        ApiError::new(ErrorCode::Validation, first).with_details(serde_json::json!({ "field": "scenario", "errors": errors.0 }))
    })
}

/// The sandbox's saved files.
#[tracing::instrument(name = "scenario::saved", skip_all, fields(sandbox = %sandbox))]
pub async fn saved(state: &AppState, p: &Principal, sandbox: &str) -> Result<Vec<SavedScenario>, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    Ok(store::scenario::saved_names(&state.stores.pg, row.id)
        .await?
        .into_iter()
        .map(|(name, updated_at)| SavedScenario { name, updated_at })
        .collect())
}

/// Forgets a saved file.
#[tracing::instrument(name = "scenario::delete_saved", skip_all, fields(sandbox = %sandbox))]
pub async fn delete_saved(state: &AppState, p: &Principal, sandbox: &str, name: &str) -> Result<(), ApiError> {
    let row = open(state, p, sandbox, Need::Change).await?;
    if !store::scenario::delete_saved(&state.stores.pg, row.id, name).await? {
        return Err(ApiError::not_found(format!("saved scenario `{name}`")));
    }
    Ok(())
}

/// The sandbox's runs, newest first.
#[tracing::instrument(name = "scenario::runs", skip_all, fields(sandbox = %sandbox))]
pub async fn runs(state: &AppState, p: &Principal, sandbox: &str) -> Result<Vec<ScenarioRunSummary>, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    Ok(store::scenario::list_runs(&state.stores.pg, row.id, 100)
        .await?
        .into_iter()
        .map(|r| ScenarioRunSummary {
            id: r.id.to_string(),
            at: r.at,
            actor: r.actor,
            file_name: r.file_name,
            passed: r.passed,
            assertions: r.assertions,
            failures: r.failures,
            duration_ms: r.duration_ms,
        })
        .collect())
}

/// One stored run's report.
#[tracing::instrument(name = "scenario::report", skip_all, fields(sandbox = %sandbox))]
pub async fn report(state: &AppState, p: &Principal, sandbox: &str, run: &str) -> Result<FileReport, ApiError> {
    let row = open(state, p, sandbox, Need::Read).await?;
    let id = Uuid::parse_str(run).map_err(|_| ApiError::not_found("scenario run"))?;
    let json = store::scenario::report(&state.stores.pg, row.id, id).await?.ok_or_else(|| ApiError::not_found("scenario run"))?;
    serde_json::from_value(json).map_err(ApiError::internal)
}

/// One stored run as JUnit XML, for CI systems.
#[tracing::instrument(name = "scenario::junit", skip_all, fields(sandbox = %sandbox))]
pub async fn junit(state: &AppState, p: &Principal, sandbox: &str, run: &str) -> Result<String, ApiError> {
    let file = report(state, p, sandbox, run).await?;
    Ok(scenario::render_junit(&domain::scenario::Report::new(vec![file])))
}
