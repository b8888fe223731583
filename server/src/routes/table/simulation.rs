//! The simulation of a tier sandbox: its simulations, role, state, checks, thresholds and activity.

use crate::openapi::op::{param, Op};
use crate::routes::rest::simulation;
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::get("/sandbox/{id}/simulations", simulation::list)
            .doc("Simulations", "listSimulations", "List the simulations", "")
            .params([param::id()])
            .ok::<Vec<SimulationView>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/simulations", simulation::create)
            .doc("Simulations", "createSimulation", "Create a simulation", "At least 1,000 may be live in one sandbox.")
            .params([param::id()])
            .body::<CreateSimulation>()
            .ok::<SimulationView>(201, "Created")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/simulation/assume", simulation::assume)
            .doc("Simulation", "assume", "Assume a tier", "The assumed tier overrides the computed tier for every check until reset.")
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<domain::Assumption>()
            .ok::<WhoAmI>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/simulation/assume", simulation::reset_assume)
            .doc("Simulation", "resetAssume", "Reset to the computed tier", "")
            .params([param::id(), param::simulation(), param::if_match()])
            .ok::<WhoAmI>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/simulation/state", simulation::state)
            .doc("Simulation", "getState", "Get the simulated state", "The `ETag` header carries the version.")
            .params([param::id(), param::simulation()])
            .ok::<StateView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::patch("/sandbox/{id}/simulation/state", simulation::patch_state)
            .doc(
                "Simulation",
                "patchState",
                "Change state fields",
                "All or nothing. Setting `engagementStage` adjusts the facts it derives from.",
            )
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<domain::StatePatch>()
            .ok::<StateView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/simulation/check", simulation::check)
            .doc(
                "Simulation",
                "check",
                "Check access",
                "Types: channel (alias access), feature, tier, badges, all. Channel names are case-insensitive, with or without `#`.",
            )
            .params([param::id(), param::simulation()])
            .body::<domain::CheckRequest>()
            .ok::<domain::CheckResult>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/simulation/whoami", simulation::whoami)
            .doc("Simulation", "whoami", "Who am I", "")
            .params([param::id(), param::simulation()])
            .ok::<WhoAmI>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/simulation/thresholds", simulation::thresholds)
            .doc("Simulation", "getThresholds", "Show thresholds", "")
            .params([param::id(), param::simulation()])
            .ok::<domain::ThresholdsView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::patch("/sandbox/{id}/simulation/thresholds", simulation::patch_thresholds)
            .doc(
                "Simulation",
                "patchThresholds",
                "Override thresholds",
                "Merged into those in force; an ambiguous ladder or an override with no effect is refused. Needs qa_tester or above.",
            )
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<domain::ThresholdOverrides>()
            .ok::<domain::ThresholdsView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/simulation/thresholds", simulation::reset_thresholds)
            .doc("Simulation", "resetThresholds", "Reset thresholds", "")
            .params([param::id(), param::simulation(), param::if_match()])
            .ok::<domain::ThresholdsView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/simulation/activity", simulation::activity)
            .doc(
                "Simulation",
                "recordActivity",
                "Record a simulated activity",
                "Points follow the gate's rules: hourly cap, repeat penalty, return-visit gap.",
            )
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<ActivityRequest>()
            .ok::<domain::ActivityOutcome>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
    ]
}
