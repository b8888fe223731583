//! Every REST route in one table: each entry is the axum route that serves an operation and
//! the operation's OpenAPI description, so the router and the document come from the same
//! place (`crate::openapi` adds the server functions). The PRD's routes live under `/sandbox`
//! and answer unknown paths and methods there with the JSON error shape.

use super::discord as discord_door;
use super::{health, metrics};
use super::rest::{discord, events, kruxt, sandbox, scenario, simulation};
use crate::openapi::op::{param, Described, Op};
use axum::routing::MethodRouter;
use axum::Router;
use backend::state::AppState;
use std::collections::BTreeMap;
use wire::error::{ApiError, ErrorCode};
use domain::scenario::kruxt::PlanStatus;
use wire::model::*;

/// Schemas of bodies that are not one of our types.
mod shape {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::RefOr;

    fn typed(t: Type) -> ObjectBuilder {
        ObjectBuilder::new().schema_type(SchemaType::Type(t))
    }

    /// Text (XML, CSV, the Prometheus format).
    pub fn text() -> RefOr<Schema> {
        typed(Type::String).into()
    }

    /// A JSON object, described.
    pub fn object(description: &str) -> RefOr<Schema> {
        typed(Type::Object).description(Some(description)).into()
    }

    /// A JSON object of any keys (a function's arguments by name).
    pub fn free_object(description: &str) -> RefOr<Schema> {
        typed(Type::Object)
            .description(Some(description))
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .into()
    }

    /// One server-sent event of the sandbox's stream.
    pub fn change_event() -> RefOr<Schema> {
        typed(Type::Object)
            .description(Some("One server-sent event: `event: change` with a JSON `data` line describing what changed."))
            .property("event", typed(Type::String).enum_values(Some(["change"])))
            .property("data", typed(Type::String).description(Some("JSON")))
            .property("id", typed(Type::String))
            .property("retry", typed(Type::Integer))
            .required("data")
            .into()
    }
}

/// The router of every operation: `/sandbox/...` and `/discord/...` each with their JSON
/// fallbacks, the rest at the top; and the operations' descriptions for the document.
pub fn router(ops: Vec<Op>) -> (Router<AppState>, Vec<Described>) {
    let mut routes: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    let mut described = Vec::with_capacity(ops.len());
    for op in ops {
        let (method, path, operation, schemas, route) = op.finish();
        let merged = match routes.remove(path) {
            Some(existing) => existing.merge(route),
            None => route,
        };
        routes.insert(path, merged);
        described.push(Described { method, path, operation, schemas });
    }
    let mut top = Router::new();
    let mut sandbox = Router::new();
    let mut discord = Router::new();
    for (path, route) in routes {
        if let Some(rest) = path.strip_prefix("/sandbox") {
            sandbox = sandbox.route(if rest.is_empty() { "/" } else { rest }, route);
        } else if let Some(rest) = path.strip_prefix("/discord") {
            discord = discord.route(rest, route);
        } else {
            top = top.route(path, route);
        }
    }
    let sandbox = sandbox
        .fallback(|| async { ApiError::not_found("route") })
        .method_not_allowed_fallback(|| async { ApiError::new(ErrorCode::NotFound, "this route does not take that method") });
    let discord = discord.fallback(|| async { ApiError::not_found("route") });
    (top.nest("/sandbox", sandbox).nest("/discord", discord), described)
}

/// Every REST operation, in the document's order.
pub fn operations() -> Vec<Op> {
    vec![
        Op::post("/sandbox", sandbox::create)
            .doc("Sandboxes", "createSandbox", "Create a sandbox", "Default TTL 24 h, at most 168 h (a longer request is capped and `ttlCapped` says so). At most 5 live sandboxes per owner; names unique among live sandboxes. Needs qa_tester or above.")
            .body::<CreateSandbox>()
            .ok::<SandboxChange>(201, "Created")
            .errors(&[400, 401, 403, 404, 409, 413, 422, 429, 503]),
        Op::get("/sandbox", sandbox::list)
            .doc("Sandboxes", "listSandboxes", "List the sandboxes you can see", "")
            .ok::<Vec<SandboxView>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}", sandbox::get)
            .doc("Sandboxes", "getSandbox", "Get a sandbox", "")
            .params([param::id()])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}", sandbox::destroy)
            .doc("Sandboxes", "destroySandbox", "Destroy a sandbox now", "Owner or admin. Removes its hot keys; the audit trail stays.")
            .params([param::id()])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/extend", sandbox::extend)
            .doc("Sandboxes", "extendSandbox", "Extend a sandbox's expiry", "The expiry is capped at 168 hours from now.")
            .params([param::id()])
            .body::<ExtendSandbox>()
            .ok::<SandboxChange>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/audit", sandbox::audit)
            .doc("Sandboxes", "sandboxAudit", "The audit trail, newest first", "")
            .params([param::id(), param::query_text("kind", ""), param::query_text("actor", "Username"), param::query_text("action", "Text the action or operation contains"), param::query_text("limit", "")])
            .ok::<Vec<AuditEntry>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/members", sandbox::add_member)
            .doc("Sandboxes", "addMember", "Invite a user", "")
            .params([param::id()])
            .body::<sandbox::Member>()
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/members/{username}", sandbox::remove_member)
            .doc("Sandboxes", "removeMember", "Remove a member", "")
            .params([param::id(), param::path_text("username", "")])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/discord/guilds", discord::register)
            .doc("Discord", "registerGuild", "Register a Discord guild on the sandbox", "The guild's `/simulation` commands act on this sandbox. A guild serves one live sandbox: registering it while another live sandbox has it is `409 CONFLICT`. Owner or admin.")
            .params([param::id()])
            .body::<RegisterGuild>()
            .ok::<DiscordGuild>(201, "Created")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/discord/guilds", discord::list)
            .doc("Discord", "listGuilds", "Guilds registered on the sandbox", "")
            .params([param::id()])
            .ok::<Vec<DiscordGuild>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/discord/guilds/{guild}", discord::unregister)
            .doc("Discord", "unregisterGuild", "Unregister a Discord guild", "")
            .params([param::id(), param::path_text("guild", "Guild id (a Discord snowflake)")])
            .ok_empty(204, "No content")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
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
            .doc("Simulation", "patchState", "Change state fields", "All or nothing. Setting `engagementStage` adjusts the facts it derives from.")
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<domain::StatePatch>()
            .ok::<StateView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/simulation/check", simulation::check)
            .doc("Simulation", "check", "Check access", "Types: channel (alias access), feature, tier, badges, all. Channel names are case-insensitive, with or without `#`.")
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
            .doc("Simulation", "patchThresholds", "Override thresholds", "Merged into those in force; an ambiguous ladder or an override with no effect is refused. Needs qa_tester or above.")
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
            .doc("Simulation", "recordActivity", "Record a simulated activity", "Points follow the gate's rules: hourly cap, repeat penalty, return-visit gap.")
            .params([param::id(), param::simulation(), param::if_match()])
            .body::<ActivityRequest>()
            .ok::<domain::ActivityOutcome>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/healthz", health::healthz)
            .doc("System", "healthz", "The process is alive", "")
            .ok::<serde_json::Value>(200, "OK"),
        Op::get("/readyz", health::readyz)
            .doc("System", "readyz", "Every required store is up", "")
            .ok::<SystemReport>(200, "OK")
            .errors(&[503]),
        Op::get("/sandbox/{id}/events", events::stream)
            .doc("Sandboxes", "sandboxEvents", "Live updates (server-sent events)", "A `text/event-stream` of `change` events, one per change to the sandbox (simulation events, lifecycle changes). Pages listen here to update within a second.")
            .params([param::id()])
            .ok_as(200, "An event stream", "text/event-stream", shape::change_event())
            .errors(&[401, 404]),
        Op::post("/discord/interactions", discord_door::interactions)
            .doc("Discord", "discordInteractions", "Discord's HTTP interactions endpoint", "Called by Discord. The Ed25519 signature (`X-Signature-Ed25519`) over `X-Signature-Timestamp` + body, with the application's public key (`DISCORD_PUBLIC_KEY`), is checked first; a bad or missing signature, a timestamp more than 5 minutes off, or a replayed request gets 401. PING gets PONG; `/simulation` commands get ephemeral embeds; autocomplete gets choices. 404 when Discord is not configured.")
            .params([param::header_text("X-Signature-Ed25519", ""), param::header_text("X-Signature-Timestamp", "")])
            .body::<serde_json::Value>()
            .ok_as(200, "OK", "application/json", shape::object("Discord's interaction response: `{type, data}`"))
            .errors(&[400, 401, 404, 413, 503])
            .public(),
        Op::post("/discord/links", discord_door::links::link)
            .doc("Discord", "linkDiscordUser", "Link a Discord user to a Crysknife user (admins)", "The Discord user then acts as that user: their role decides what they may change.")
            .body::<LinkUser>()
            .ok::<DiscordLink>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/discord/links/{discord_user}", discord_door::links::unlink)
            .doc("Discord", "unlinkDiscordUser", "Unlink a Discord user (yours, or anyone's for admins)", "")
            .params([param::path_text("discord_user", "Discord user id")])
            .ok_empty(204, "No content")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/discord/link-code", discord_door::links::link_code)
            .doc("Discord", "discordLinkCode", "A one-time code for `/simulation link`", "Running `/simulation link code:<code>` in Discord within 10 minutes links that Discord account to the caller.")
            .ok::<LinkCode>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
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
        Op::get("/api/openapi.json", health::openapi)
            .doc("System", "openapi", "This document", "Generated at start-up from the route table and the types themselves.")
            .ok_as(200, "OK", "application/json", shape::object("A JSON document"))
            .public(),
        Op::get("/metrics", metrics::render)
            .doc("System", "metrics", "Prometheus metrics", "Request counts and latencies by route and status, store round trips, KRUXT calls and scenario runs, in the Prometheus text format.")
            .ok_as(200, "OK", "text/plain", shape::text())
            .public(),
        Op::get("/api/scenario.schema.json", health::scenario_schema)
            .doc("Scenarios", "scenarioSchema", "The JSON Schema of scenario files", "")
            .ok_as(200, "OK", "application/schema+json", shape::object("A JSON document"))
            .errors(&[409]),
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
