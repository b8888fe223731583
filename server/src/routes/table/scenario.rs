//! Scenario runs, their history and saved scenario files.

use super::shape;
use crate::openapi::op::{param, Op};
use crate::routes::rest::scenario;
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::post("/sandbox/{id}/simulation/scenario", scenario::run)
            .doc("Scenarios", "runScenario", "Run a scenario file", "Runs the file against the sandbox's theme and stores the run. An invalid file runs nothing: 400 with `details.errors`, each with its path, line and column.")
            .params([param::id()])
            .body::<RunScenario>()
            .ok::<ScenarioRun>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/scenario-runs", scenario::runs)
            .doc("Scenarios", "listScenarioRuns", "List scenario runs, newest first", "")
            .params([param::id()])
            .ok::<Vec<ScenarioRunSummary>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
        Op::get("/sandbox/{id}/scenario-runs/{run}", scenario::report)
            .doc("Scenarios", "scenarioRunReport", "A stored run's report", "")
            .params([param::id(), param::path_text("run", "")])
            .ok::<domain::scenario::FileReport>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
        Op::get("/sandbox/{id}/scenario-runs/{run}/junit", scenario::junit)
            .doc("Scenarios", "scenarioRunJunit", "A stored run as JUnit XML", "")
            .params([param::id(), param::path_text("run", "")])
            .ok_as(200, "OK", "application/xml", shape::text())
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
        Op::get("/sandbox/{id}/scenarios", scenario::saved)
            .doc("Scenarios", "listSavedScenarios", "List saved scenario files", "")
            .params([param::id()])
            .ok::<Vec<SavedScenario>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
        Op::put("/sandbox/{id}/scenarios/{name}", scenario::save)
            .doc("Scenarios", "saveScenario", "Save a scenario file under a name", "")
            .params([param::id(), param::path_text("name", "")])
            .body::<scenario::Source>()
            .ok::<SavedScenario>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/scenarios/{name}", scenario::delete_saved)
            .doc("Scenarios", "deleteSavedScenario", "Forget a saved scenario file", "")
            .params([param::id(), param::path_text("name", "")])
            .ok_empty(204, "Deleted")
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
        Op::post("/sandbox/{id}/scenarios/{name}/run", scenario::run_saved)
            .doc("Scenarios", "runSavedScenario", "Run a saved scenario file", "")
            .params([param::id(), param::path_text("name", "")])
            .ok::<ScenarioRun>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 429, 503]),
    ]
}
