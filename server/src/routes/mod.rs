//! HTTP routes outside Leptos's own: the route table (every REST operation with its OpenAPI
//! description), health, the REST door, the status mapping of
//! server-function errors, and the guard that refuses NUL characters at every door.

pub mod discord;
pub mod health;
pub mod metrics;
pub mod rest;
pub mod server_fn_status;
pub mod table;
pub mod text_guard;
