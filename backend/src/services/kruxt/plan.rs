//! The beta test plan's status: every item with the scenarios that tag it and their newest
//! recorded runs (any KRUXT sandbox of this control plane), and running every shipped KRUXT
//! scenario in one sandbox.

use super::catalog;
use super::open;
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::state::AppState;
use crate::store;
use domain::scenario::kruxt::{LastRun, PlanStatus};
use domain::scenario::Totals;
use wire::error::ApiError;
use wire::model::{KruxtSuiteRun, Role};

/// `GET /api/kruxt/test-plan`: all 153 items with their status.
#[tracing::instrument(name = "kruxt::plan::test_plan", skip_all)]
pub async fn test_plan(state: &AppState, p: &Principal) -> Result<PlanStatus, ApiError> {
    p.require(Role::Viewer, "reading the test plan")?;
    let runs: Vec<LastRun> = store::kruxt::latest_results(&state.stores.pg)
        .await?
        .into_iter()
        .map(|r| LastRun {
            file: r.file_name,
            scenario: r.scenario,
            passed: r.passed,
            at: r.at,
            run_id: r.run_id.to_string(),
            sandbox_id: r.sandbox_id.to_string(),
        })
        .collect();
    Ok(catalog::test_plan().status(catalog::tagged(), &runs))
}

/// The plan with no runs: which items are automated, for the command line without a server.
pub fn offline_plan() -> PlanStatus {
    catalog::test_plan().status(catalog::tagged(), &[])
}

/// `POST /sandbox/:id/kruxt/scenarios/run`: every shipped KRUXT scenario file, in the sandbox.
#[tracing::instrument(name = "kruxt::plan::run_suite", skip_all, fields(sandbox = %id))]
pub async fn run_suite(state: &AppState, p: &Principal, id: &str) -> Result<KruxtSuiteRun, ApiError> {
    let kruxt = open(state, p, id, Need::Use).await?;
    let mut runs = Vec::new();
    let mut totals = Totals::default();
    for (name, text) in catalog::scenario_files() {
        let run = super::scenario::run_and_store(state, p, &kruxt, name, text).await?;
        totals.add(&run.report.totals);
        runs.push(run);
    }
    Ok(KruxtSuiteRun { runs, totals })
}
