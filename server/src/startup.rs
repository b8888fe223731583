//! Start-up: stores, migrations, instance registration, the router, and the listener.
//! Tests build an `Application` on port 0 exactly as `crysknife serve` does.

use crate::embedded_pg::EmbeddedPostgres;
use crate::routes;
use anyhow::Context;
use axum::http::HeaderName;
use axum::Router;
use backend::settings::Settings;
use backend::state::AppState;
use backend::store::session::HotSessionStore;
use backend::store::{self, HotStore, Stores};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// How long start-up waits for PostgreSQL to accept the migrations.
const MIGRATE_PATIENCE: Duration = Duration::from_secs(15);
/// How often this instance refreshes its heartbeat.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(30);

/// A built server, bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    embedded: Option<EmbeddedPostgres>,
}

impl Application {
    /// Connects the stores (starting the embedded PostgreSQL if no URL is set), runs the
    /// migrations, registers this instance, and binds `leptos.site_addr`.
    pub async fn build(settings: Settings, mut leptos: LeptosOptions) -> anyhow::Result<Self> {
        let (pg_url, embedded) = match &settings.database_url {
            Some(url) => (url.expose().to_owned(), None),
            None => {
                let pg = EmbeddedPostgres::start(&settings.data_dir).await?;
                (pg.url(), Some(pg))
            }
        };
        let pool = store::pg::pool(&pg_url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
        migrate_patiently(&pool).await?;
        let hot = match &settings.redis_url {
            Some(url) => HotStore::redis(url.expose()).context("REDIS_URL is not a valid Redis URL")?,
            None => HotStore::memory(),
        };

        let listener = TcpListener::bind(leptos.site_addr).await.with_context(|| format!("binding {}", leptos.site_addr))?;
        leptos.site_addr = listener.local_addr()?;

        let stores = Stores { pg: pool, pg_embedded: embedded.is_some(), hot };
        let state = AppState::new(settings, stores, leptos);
        store::instance::register(&state.stores.pg, state.instance_id, backend::VERSION).await?;
        if let Some(token) = backend::services::auth::bootstrap(&state).await.map_err(|e| anyhow::anyhow!("bootstrap: {e}"))? {
            // Printed once, on the console only (never to the log), as notebook servers do.
            println!("\n  First start: sign in as `admin` with this API token (shown once):\n\n    {token}\n");
        }
        let router = router(state.clone());
        Ok(Self { listener, router, state, embedded })
    }

    /// The bound port (useful when asked for port 0).
    pub fn port(&self) -> u16 {
        self.state.leptos_options.site_addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then drains requests, deregisters this instance and
    /// stops the embedded PostgreSQL if it was started here.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let Self { listener, router, state, embedded } = self;
        tracing::info!(addr = %state.leptos_options.site_addr, "listening on http://{}", state.leptos_options.site_addr);
        let heartbeat = tokio::spawn(heartbeat(state.clone()));
        let every = Duration::from_secs(u64::from(state.settings.sweep_interval_seconds));
        let sweeper = tokio::spawn(backend::services::sweeper::run(state.clone(), every));
        let relay = tokio::spawn(backend::services::events::relay(state.clone()));
        let served = axum::serve(listener, router).with_graceful_shutdown(shutdown).await;
        heartbeat.abort();
        sweeper.abort();
        relay.abort();
        if let Err(e) = store::instance::deregister(&state.stores.pg, state.instance_id).await {
            tracing::warn!(error = %e, "could not deregister this instance");
        }
        state.stores.pg.close().await;
        if let Some(pg) = embedded {
            pg.stop().await;
        }
        served.context("serving HTTP")
    }
}

/// Every route: health, the REST door, Leptos pages and server functions, static files.
pub fn router(state: AppState) -> Router {
    // Installed before anything counts, so no early count is lost.
    routes::metrics::handle();
    let routes = generate_route_list(app::App);
    let leptos = state.leptos_options.clone();
    let sessions = SessionManagerLayer::new(HotSessionStore(state.stores.hot.clone()))
        .with_name("crysknife_session")
        .with_secure(state.settings.cookies_secure())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)));
    let request_id = HeaderName::from_static("x-request-id");
    let (rest, described) = routes::table::router(routes::table::operations());
    let document = crate::openapi::document(described);
    // The first build in a process sets it; later ones (tests) generate the same document.
    let _ = app::api::OPENAPI.set(crate::openapi::served(&document));
    Router::new()
        .merge(rest)
        .leptos_routes_with_context(&state, routes, || (), move || app::shell(leptos.clone()))
        .route_layer(axum::middleware::from_fn(routes::metrics::tag_route))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::map_response(routes::server_fn_status::map_status))
        // Inside the limit layer, which bounds the body it reads.
        .layer(axum::middleware::from_fn(routes::text_guard::refuse_nul))
        .layer(RequestBodyLimitLayer::new(routes::rest::BODY_LIMIT))
        // Outside the limit layer, so its plain-text 413 gets the JSON error shape.
        .layer(axum::middleware::map_response(routes::server_fn_status::json_payload_too_large))
        .layer(sessions)
        .layer(axum::middleware::from_fn(routes::metrics::record))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        // Every log line of a request carries its id (the client's `x-request-id`, or a new uuid).
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<axum::body::Body>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            tracing::info_span!("request", id = %id, method = %req.method(), uri = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

async fn migrate_patiently(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + MIGRATE_PATIENCE;
    loop {
        match store::pg::migrate(pool).await {
            Ok(()) => return Ok(()),
            Err(sqlx::migrate::MigrateError::Execute(e)) if tokio::time::Instant::now() < deadline && is_connection_error(&e) => {
                tracing::warn!("PostgreSQL is not reachable yet; retrying the migrations");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => return Err(e).context("running the control-plane migrations"),
        }
    }
}

fn is_connection_error(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed)
}

async fn heartbeat(state: AppState) {
    let mut tick = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = store::instance::heartbeat(&state.stores.pg, state.instance_id).await {
            tracing::warn!(error = %e, "heartbeat failed");
        }
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
