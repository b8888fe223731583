//! KRUXT sandboxes: actors, functions, queries, the console, the RLS matrix, suites and the test plan.

use super::shape;
use crate::openapi::op::{param, Op};
use crate::routes::rest::kruxt;
use domain::scenario::kruxt::PlanStatus;
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::get("/sandbox/{id}/kruxt", kruxt::status)
            .doc("KRUXT", "kruxtStatus", "KRUXT sandbox status", "")
            .params([param::id(), param::simulation()])
            .ok::<KruxtStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/kruxt/actors", kruxt::actors)
            .doc("KRUXT", "kruxtActors", "List actors", "")
            .params([param::id()])
            .ok::<Vec<KruxtActor>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/actors", kruxt::add_actor)
            .doc("KRUXT", "kruxtAddActor", "Add a user", "")
            .params([param::id()])
            .body::<NewKruxtActor>()
            .ok::<KruxtActor>(201, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/assume", kruxt::assume)
            .doc("KRUXT", "kruxtAssume", "Act as a user", "")
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<AssumeActor>()
            .ok::<KruxtStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/kruxt/assume", kruxt::reset_actor)
            .doc("KRUXT", "kruxtResetActor", "Act as anonymous again", "")
            .params([param::id(), param::simulation(), param::if_match()])
            .ok::<KruxtStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/clock", kruxt::clock)
            .doc("KRUXT", "kruxtClock", "Set the simulated clock", "")
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<SetClock>()
            .ok::<KruxtStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/reset", kruxt::reset)
            .doc("KRUXT", "kruxtReset", "Reset the database", "Clones the database again from the template; every change made in it is gone.")
            .params([param::id(), param::simulation()])
            .ok::<KruxtStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/rpc/{function}", kruxt::rpc)
            .doc("KRUXT", "kruxtRpc", "Call a function", "One transaction as the acting user, committed when it succeeds. Database errors come back as {code, message, details: {sqlstate, ...}}.")
            .params([param::id(), param::path_text("function", ""), param::simulation()])
            .body_schema(shape::free_object("The function's arguments by name"))
            .ok::<RpcResult>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/query", kruxt::query)
            .doc("KRUXT", "kruxtQuery", "Run a read-only query", "A READ ONLY transaction with a 5 s statement timeout as the acting user.")
            .params([param::id(), param::simulation()])
            .body::<QueryRequest>()
            .ok::<QueryResult>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/console/{method}", kruxt::console)
            .doc("KRUXT", "kruxtConsole", "Staff console flow", "")
            .params([param::id(), param::path_text("method", ""), param::simulation()])
            .body::<ConsoleRequest>()
            .ok::<FlowResult>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/kruxt/matrix", kruxt::matrix)
            .doc("KRUXT", "kruxtMatrix", "RLS matrix", "")
            .params([param::id(), param::simulation(), param::query_text("actors", "Comma-separated actors (all when absent)"), param::query_text("tables", "Comma-separated tables (all when absent)"), param::query_text("format", "")])
            .ok::<RlsMatrix>(200, "OK; with `format=csv`, the same as CSV")
            .also_as(200, "text/csv", shape::text())
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/kruxt/matrix/compare", kruxt::compare)
            .doc("KRUXT", "kruxtCompare", "Compare two actors", "")
            .params([param::id(), param::simulation(), param::query_text("left", ""), param::query_text("right", ""), param::query_text("tables", "")])
            .ok::<MatrixComparison>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/kruxt/scenarios/run", kruxt::run_suite)
            .doc("KRUXT", "kruxtRunSuite", "Run every KRUXT scenario", "")
            .params([param::id()])
            .ok::<KruxtSuiteRun>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/api/kruxt/test-plan", kruxt::test_plan)
            .doc("KRUXT", "kruxtTestPlan", "Beta test plan status", "")
            .ok::<PlanStatus>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),

    ]
}
