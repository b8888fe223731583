//! Every REST route in one table: each entry is the axum route that serves an operation and
//! the operation's OpenAPI description, so the router and the document come from the same
//! place (the `openapi` module adds the server functions). The PRD's routes live under `/sandbox`
//! and answer unknown paths and methods there with the JSON error shape.
//!
//! One module per area; `operations()` lists them in the document's order.

mod discord;
mod kruxt;
mod sandbox;
mod scenario;
mod shape;
mod simulation;
mod system;

use crate::openapi::op::{Described, Op};
use axum::routing::MethodRouter;
use axum::Router;
use backend::state::AppState;
use std::collections::BTreeMap;
use wire::error::{ApiError, ErrorCode};

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
    [
        sandbox::operations(),
        simulation::operations(),
        scenario::operations(),
        kruxt::operations(),
        discord::operations(),
        system::operations(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
