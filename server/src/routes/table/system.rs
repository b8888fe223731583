//! Health, readiness, the documents the server publishes, and metrics.

use super::shape;
use crate::openapi::op::Op;
use crate::routes::{health, metrics};
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::get("/healthz", health::healthz)
            .doc("System", "healthz", "The process is alive", "")
            .ok::<serde_json::Value>(200, "OK"),
        Op::get("/readyz", health::readyz)
            .doc("System", "readyz", "Every required store is up", "")
            .ok::<SystemReport>(200, "OK")
            .errors(&[503]),
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
    ]
}
