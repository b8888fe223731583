//! Crysknife's server side below the doors: settings loaded once, the application state,
//! the stores (PostgreSQL, the hot store, sessions, KRUXT's control-plane rows), the services
//! every door calls, and the KRUXT gateway. It depends on `domain` and `wire`, never on the
//! pages or the doors.

pub mod error;
pub mod events;
pub mod principal;
pub mod services;
pub mod settings;
pub mod state;
pub mod store;

/// The version shown in the footer and reported by `system/info`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
