//! The `crysknife` binary's library half: configuration, start-up, the HTTP router, the
//! embedded PostgreSQL manager and the command line. `main.rs` only calls `cli::main`.

pub mod cli;
pub mod config;
pub mod embedded_pg;
pub mod routes;
pub mod startup;
pub mod telemetry;
