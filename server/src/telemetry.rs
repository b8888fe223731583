//! Structured logging through `tracing`, human-readable or JSON, and one counter fed from it:
//! every PostgreSQL statement (sqlx reports each at `sqlx::query`) is a store round trip.

use backend::settings::{LogFormat, Settings};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Counts sqlx's statement events as PostgreSQL round trips.
struct PgRoundTrips;

impl<S: Subscriber> Layer<S> for PgRoundTrips {
    fn on_event(&self, _event: &Event<'_>, _ctx: Context<'_, S>) {
        metrics::counter!("store_round_trips_total", "store" => "postgres").increment(1);
    }
}

/// Installs the global subscriber once; later calls (in tests) are ignored.
pub fn init(settings: &Settings) {
    let filter = || EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let statements = || Targets::new().with_target("sqlx::query", tracing::Level::DEBUG);
    let _ = match settings.log_format {
        LogFormat::Json => tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().json().flatten_event(true).with_target(true).with_filter(filter()))
            .with(PgRoundTrips.with_filter(statements()))
            .try_init(),
        LogFormat::Pretty => tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().with_target(true).with_filter(filter()))
            .with(PgRoundTrips.with_filter(statements()))
            .try_init(),
    };
}
