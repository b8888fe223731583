//! `AppState`: what every request handler and server function can reach.

use crate::settings::Settings;
use crate::store::Stores;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use crate::services::auth::TokenCache;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Settings, stores, caches and Leptos options; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub stores: Stores,
    pub leptos_options: LeptosOptions,
    /// This process's row in `server_instance`.
    pub instance_id: uuid::Uuid,
    /// Owners of recently used API tokens.
    pub tokens: Arc<TokenCache>,
    /// Parsed uploaded themes, by sandbox.
    pub themes: Arc<Mutex<HashMap<Uuid, Arc<domain::Theme>>>>,
    /// Hot keys whose last write failed: read from PostgreSQL until written again.
    pub stale_hot: Arc<Mutex<HashSet<String>>>,
    /// Changes announced to this process's live-update streams.
    pub events: tokio::sync::broadcast::Sender<crate::services::events::Change>,
}

impl AppState {
    /// A state with empty caches.
    pub fn new(settings: Settings, stores: Stores, leptos_options: LeptosOptions) -> Self {
        Self {
            settings: Arc::new(settings),
            stores,
            leptos_options,
            instance_id: Uuid::new_v4(),
            tokens: Arc::default(),
            themes: Arc::default(),
            stale_hot: Arc::default(),
            events: crate::services::events::channel(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
