//! `AppState`: what every request handler and server function can reach: settings, stores,
//! bounded caches, the KRUXT gateway's pools, and the live-update fan-out.

use crate::events::{self, Change};
use crate::principal::Principal;
use crate::settings::Settings;
use crate::store::kruxt::Gateways;
use crate::store::Stores;
use axum::extract::FromRef;
use leptos_config::LeptosOptions;
use moka::sync::Cache;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// How long a token's owner is remembered in memory; a revocation made on another server
/// instance takes effect within this time (at once on the instance that revoked it).
const TOKEN_CACHE_TTL: Duration = Duration::from_secs(10);
/// Token owners remembered at most.
const TOKEN_CACHE_SIZE: u64 = 10_000;
/// Parsed uploaded themes remembered at most (one per sandbox; a miss parses the file again).
const THEME_CACHE_SIZE: u64 = 1_000;

/// Settings, stores, caches and Leptos options; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub stores: Stores,
    pub leptos_options: LeptosOptions,
    /// This process's row in `server_instance`.
    pub instance_id: Uuid,
    /// Owners of recently used API tokens (principal and token id), by token hash.
    pub tokens: Cache<[u8; 32], (Principal, Uuid)>,
    /// Parsed uploaded themes, by sandbox.
    pub themes: Cache<Uuid, Arc<domain::Theme>>,
    /// Hot keys whose last write failed: read from PostgreSQL until written again.
    pub stale_hot: Arc<Mutex<HashSet<String>>>,
    /// The KRUXT gateway login and the pools and function catalogs of sandbox databases.
    pub kruxt: Arc<Gateways>,
    /// Changes announced to this process's live-update streams.
    pub events: tokio::sync::broadcast::Sender<Change>,
}

impl AppState {
    /// A state with empty caches.
    pub fn new(settings: Settings, stores: Stores, leptos_options: LeptosOptions) -> Self {
        Self {
            settings: Arc::new(settings),
            stores,
            leptos_options,
            instance_id: Uuid::new_v4(),
            tokens: Cache::builder().max_capacity(TOKEN_CACHE_SIZE).time_to_live(TOKEN_CACHE_TTL).build(),
            themes: Cache::builder().max_capacity(THEME_CACHE_SIZE).build(),
            stale_hot: Arc::default(),
            kruxt: Arc::default(),
            events: events::channel(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
