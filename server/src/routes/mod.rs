//! HTTP routes outside Leptos's own: health, the REST door, and the status mapping of
//! server-function errors.

pub mod discord;
pub mod health;
pub mod rest;
pub mod server_fn_status;
