//! The hot store: Redis when `REDIS_URL` is set, else process memory. Redis is reached through
//! a connection manager created on first use and reconnecting on its own; every call is
//! bounded by `STORE_TIMEOUT`.

use super::STORE_TIMEOUT;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Mutex as AsyncMutex;

/// Where hot state lives.
#[derive(Clone)]
pub enum HotStore {
    Memory(Arc<Memory>),
    Redis(Arc<Redis>),
}

/// Process-memory hot state: values with an optional expiry.
#[derive(Default)]
pub struct Memory {
    entries: Mutex<HashMap<String, (String, Option<Instant>)>>,
}

/// A lazily connected Redis.
pub struct Redis {
    client: redis::Client,
    manager: AsyncMutex<Option<redis::aio::ConnectionManager>>,
}

impl HotStore {
    pub fn memory() -> Self {
        Self::Memory(Arc::new(Memory::default()))
    }

    /// A Redis store; nothing is contacted until first use, so a Redis that is down at
    /// start-up is reported by `/readyz` rather than stopping the server.
    pub fn redis(url: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        Ok(Self::Redis(Arc::new(Redis { client, manager: AsyncMutex::new(None) })))
    }

    /// `redis` or `memory`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Memory(_) => "memory",
            Self::Redis(_) => "redis",
        }
    }

    /// One round-trip, within the store timeout; returns the latency.
    pub async fn ping(&self) -> Result<Duration, &'static str> {
        let started = Instant::now();
        match self {
            Self::Memory(_) => Ok(started.elapsed()),
            Self::Redis(r) => {
                let mut conn = r.connection().await?;
                let cmd = redis::cmd("PING");
                match tokio::time::timeout(STORE_TIMEOUT, cmd.query_async::<String>(&mut conn)).await {
                    Ok(Ok(_)) => Ok(started.elapsed()),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "redis ping failed");
                        Err("unreachable")
                    }
                    Err(_) => Err("timed out"),
                }
            }
        }
    }
}

impl Memory {
    /// The value under `key`, unless it has expired.
    pub fn get(&self, key: &str) -> Option<String> {
        let mut entries = self.entries.lock().expect("memory store lock");
        match entries.get(key) {
            Some((_, Some(exp))) if *exp <= Instant::now() => {
                entries.remove(key);
                None
            }
            Some((v, _)) => Some(v.clone()),
            None => None,
        }
    }

    /// Stores `value` under `key`, expiring after `ttl` when given.
    pub fn set(&self, key: &str, value: String, ttl: Option<Duration>) {
        let exp = ttl.map(|t| Instant::now() + t);
        self.entries.lock().expect("memory store lock").insert(key.to_owned(), (value, exp));
    }
}

impl Redis {
    /// The shared connection manager, connecting (once, within the timeout) when there is none.
    pub async fn connection(&self) -> Result<redis::aio::ConnectionManager, &'static str> {
        let mut slot = self.manager.lock().await;
        if let Some(conn) = slot.as_ref() {
            return Ok(conn.clone());
        }
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(STORE_TIMEOUT))
            .set_response_timeout(Some(STORE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let connect = redis::aio::ConnectionManager::new_with_config(self.client.clone(), config);
        match tokio::time::timeout(STORE_TIMEOUT, connect).await {
            Ok(Ok(conn)) => {
                *slot = Some(conn.clone());
                Ok(conn)
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis connect failed");
                Err("unreachable")
            }
            Err(_) => Err("timed out"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_values_expire_after_their_ttl() {
        let m = Memory::default();
        m.set("a", "1".into(), Some(Duration::from_millis(0)));
        m.set("b", "2".into(), None);
        assert_eq!(m.get("a"), None);
        assert_eq!(m.get("b").as_deref(), Some("2"));
    }
}
