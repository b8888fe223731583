//! System information and readiness: what `/readyz` and `system/info` report.

use crate::state::AppState;
use crate::store;
use wire::model::SystemReport;

/// The version, every store's status, and what PostgreSQL knows when it is up.
#[tracing::instrument(name = "system::info", skip_all)]
pub async fn info(state: &AppState) -> SystemReport {
    let stores = state.stores.status().await;
    let pg_up = stores.iter().any(|s| s.name == "postgres" && s.up);
    let (schema_version, live_instances) = if pg_up {
        let pool = &state.stores.pg;
        let (schema, live) = tokio::join!(store::pg::schema_version(pool), store::instance::live_count(pool));
        (schema.ok().flatten(), live.ok())
    } else {
        (None, None)
    };
    SystemReport {
        name: "crysknife".into(),
        version: crate::VERSION.into(),
        stores,
        schema_version,
        live_instances,
        checked_at: now_rfc3339(),
    }
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
