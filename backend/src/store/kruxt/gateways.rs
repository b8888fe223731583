//! The KRUXT gateway's process resources, held in `AppState`: the gateway login of each control
//! plane, and for each sandbox database its connection pool and a cache of its function
//! signatures. Forgetting a database drops both, so a reset or a destroyed sandbox leaves
//! nothing behind.

use super::functions::Signature;
use crate::settings::Secret;
use moka::sync::Cache;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Function names whose signatures are remembered per database.
const FUNCTIONS_PER_DATABASE: u64 = 2_000;

/// The gateway login: a role name and its password.
#[derive(Clone, Debug)]
pub struct Login {
    pub role: String,
    pub password: Secret,
}

/// One sandbox database as the gateway knows it.
#[derive(Clone)]
pub struct Database {
    pub pool: PgPool,
    /// The overloads of `public.<name>`, by name (an empty list is remembered too).
    pub functions: Cache<String, Arc<Vec<Signature>>>,
}

/// Logins by control plane and databases by `host:port/database`.
#[derive(Default)]
pub struct Gateways {
    logins: Mutex<HashMap<String, Login>>,
    databases: Mutex<HashMap<String, Database>>,
}

impl Gateways {
    /// The login of a control plane, once known.
    pub fn login(&self, control_plane: &str) -> Option<Login> {
        self.logins.lock().expect("gateway lock").get(control_plane).cloned()
    }

    pub fn remember_login(&self, control_plane: String, login: Login) {
        self.logins.lock().expect("gateway lock").insert(control_plane, login);
    }

    /// The database's entry, made with `pool` when it has none (a racing caller's pool wins).
    pub fn database(&self, key: &str, pool: impl FnOnce() -> PgPool) -> Database {
        let mut databases = self.databases.lock().expect("gateway lock");
        if let Some(found) = databases.get(key) {
            return found.clone();
        }
        let entry = Database { pool: pool(), functions: Cache::builder().max_capacity(FUNCTIONS_PER_DATABASE).build() };
        databases.insert(key.to_owned(), entry.clone());
        entry
    }

    /// The database's entry, if it has one.
    pub fn known(&self, key: &str) -> Option<Database> {
        self.databases.lock().expect("gateway lock").get(key).cloned()
    }

    /// Drops the database's entry; returns its pool for the caller to close.
    pub fn forget(&self, key: &str) -> Option<PgPool> {
        self.databases.lock().expect("gateway lock").remove(key).map(|d| d.pool)
    }
}
