//! `GET /healthz` (the process answers), `GET /readyz` (every required store answers) and
//! `GET /api/openapi.json` (the API's description) and `GET /api/scenario.schema.json`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use backend::state::AppState;
use wire::model::SystemReport;

/// The process is alive; touches no store.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "version": backend::VERSION }))
}

/// Each store up or down; 503 when a required one is down.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<SystemReport>) {
    let report = backend::services::system::info(&state).await;
    let status = if report.ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(report))
}

/// The OpenAPI 3.1 document generated at start-up.
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], app::api::OPENAPI.get().map(String::as_str).unwrap_or("{}"))
}

/// The JSON Schema of scenario files, so editors validate them.
pub async fn scenario_schema() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/schema+json")], domain::scenario::JSON_SCHEMA)
}
