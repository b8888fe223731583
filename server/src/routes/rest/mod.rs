//! The PRD's REST door (`/sandbox/...`): parse, authenticate, call one service, format.
//! Answers are JSON; errors are the shared `{code, message, details}`.

mod events;
mod discord;
pub(crate) mod kruxt;
pub(crate) mod extract;
mod sandbox;
mod scenario;
mod simulation;

use wire::error::ApiError;
use backend::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub use extract::BODY_LIMIT;

/// Every REST route, mounted at `/sandbox`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", post(sandbox::create).get(sandbox::list))
        .route("/{id}", get(sandbox::get).delete(sandbox::destroy))
        .route("/{id}/extend", post(sandbox::extend))
        .route("/{id}/audit", get(sandbox::audit))
        .route("/{id}/events", get(events::stream))
        .route("/{id}/members", post(sandbox::add_member))
        .route("/{id}/members/{username}", delete(sandbox::remove_member))
        .route("/{id}/discord/guilds", post(discord::register).get(discord::list))
        .route("/{id}/discord/guilds/{guild}", delete(discord::unregister))
        .route("/{id}/simulations", get(simulation::list).post(simulation::create))
        .route("/{id}/simulation/assume", post(simulation::assume).delete(simulation::reset_assume))
        .route("/{id}/simulation/state", get(simulation::state).patch(simulation::patch_state))
        .route("/{id}/simulation/check", post(simulation::check))
        .route("/{id}/simulation/whoami", get(simulation::whoami))
        .route(
            "/{id}/simulation/thresholds",
            get(simulation::thresholds).patch(simulation::patch_thresholds).delete(simulation::reset_thresholds),
        )
        .route("/{id}/simulation/activity", post(simulation::activity))
        .route("/{id}/simulation/scenario", post(scenario::run))
        .route("/{id}/scenario-runs", get(scenario::runs))
        .route("/{id}/scenario-runs/{run}", get(scenario::report))
        .route("/{id}/scenario-runs/{run}/junit", get(scenario::junit))
        .route("/{id}/scenarios", get(scenario::saved))
        .route("/{id}/scenarios/{name}", axum::routing::put(scenario::save).delete(scenario::delete_saved))
        .route("/{id}/scenarios/{name}/run", post(scenario::run_saved))
        .route("/{id}/kruxt", get(kruxt::status))
        .route("/{id}/kruxt/actors", get(kruxt::actors).post(kruxt::add_actor))
        .route("/{id}/kruxt/assume", post(kruxt::assume).delete(kruxt::reset_actor))
        .route("/{id}/kruxt/clock", post(kruxt::clock))
        .route("/{id}/kruxt/reset", post(kruxt::reset))
        .route("/{id}/kruxt/rpc/{function}", post(kruxt::rpc))
        .route("/{id}/kruxt/query", post(kruxt::query))
        .route("/{id}/kruxt/console/{method}", post(kruxt::console))
        .route("/{id}/kruxt/matrix", get(kruxt::matrix))
        .route("/{id}/kruxt/matrix/compare", get(kruxt::compare))
        .route("/{id}/kruxt/scenarios/run", post(kruxt::run_suite))
        .fallback(|| async { ApiError::not_found("route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(wire::error::ErrorCode::NotFound, "this route does not take that method")
        })
}
