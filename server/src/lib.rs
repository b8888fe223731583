//! The `crysknife` binary's library half: configuration, start-up, the HTTP router, the
//! embedded PostgreSQL manager and the command line. `main.rs` only calls `cli::main`.

// The router's type nests every Leptos page's view; deep pages exceed the default limit.
#![recursion_limit = "512"]

pub mod cli;
pub mod config;
pub mod embedded_pg;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod telemetry;
