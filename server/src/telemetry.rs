//! Structured logging through `tracing`, human-readable or JSON.

use app::settings::{LogFormat, Settings};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (in tests) are ignored.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(true);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
