//! Browser sessions kept in the hot store (Redis, or memory), so every server instance
//! shares them and they expire on their own.

use crate::services::keys;
use crate::store::HotStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

/// A `tower-sessions` store over the hot store.
#[derive(Clone)]
pub struct HotSessionStore(pub HotStore);

impl std::fmt::Debug for HotSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HotSessionStore({})", self.0.backend())
    }
}

#[async_trait::async_trait]
impl SessionStore for HotSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A random 128-bit id colliding is practically impossible; still, never overwrite.
        while self.0.get(&keys::session(&record.id.to_string())).await.map_err(backend)?.is_some() {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let json = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
        let left = (record.expiry_date - time::OffsetDateTime::now_utc()).whole_milliseconds();
        let ttl = std::time::Duration::from_millis(u64::try_from(left).unwrap_or(0).max(1));
        self.0.set(&keys::session(&record.id.to_string()), &json, ttl).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self.0.get(&keys::session(&id.to_string())).await.map_err(backend)? {
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.0.del(&keys::session(&id.to_string())).await.map_err(backend)
    }
}

fn backend(e: crate::store::hot::HotError) -> Error {
    Error::Backend(e.to_string())
}
