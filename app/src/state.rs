//! `AppState`: what every request handler and server function can reach.

use crate::settings::Settings;
use crate::store::Stores;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Settings, stores and Leptos options; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub stores: Stores,
    pub leptos_options: LeptosOptions,
    /// This process's row in `server_instance`.
    pub instance_id: uuid::Uuid,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
