//! HTTP routes outside Leptos's own: health, and the status mapping of server-function errors.

pub mod health;
pub mod server_fn_status;
