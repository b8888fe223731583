//! The hot store: Redis when `REDIS_URL` is set, else process memory. Redis is reached through
//! a connection manager created on first use and reconnecting on its own; every call is
//! bounded by `STORE_TIMEOUT`.

mod redis_store;

pub use redis_store::Redis;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

impl HotStore {
    pub fn memory() -> Self {
        Self::Memory(Arc::new(Memory::default()))
    }

    /// A Redis store; nothing is contacted until first use, so a Redis that is down at
    /// start-up is reported by `/readyz` rather than stopping the server.
    pub fn redis(url: &str) -> Result<Self, redis::RedisError> {
        Ok(Self::Redis(Arc::new(Redis::open(url)?)))
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
            Self::Redis(r) => match r.run::<String>(&redis::cmd("PING")).await {
                Ok(_) => Ok(started.elapsed()),
                Err(HotError(problem)) => Err(problem),
            },
        }
    }
}

/// A hot-store call that failed; the caller answers `STORE_UNAVAILABLE`.
#[derive(Debug, thiserror::Error)]
#[error("hot store {0}")]
pub struct HotError(pub &'static str);

impl From<HotError> for wire::error::ApiError {
    fn from(_: HotError) -> Self {
        wire::error::ApiError::store_unavailable("redis")
    }
}

impl HotStore {
    /// The value under `key`.
    pub async fn get(&self, key: &str) -> Result<Option<String>, HotError> {
        match self {
            Self::Memory(m) => Ok(m.get(key)),
            Self::Redis(r) => r.run(redis::cmd("GET").arg(key)).await,
        }
    }

    /// Stores `value` under `key` until `ttl` has passed.
    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), HotError> {
        let ttl = ttl.max(Duration::from_millis(1));
        match self {
            Self::Memory(m) => {
                m.set(key, value.to_owned(), Some(ttl));
                Ok(())
            }
            Self::Redis(r) => {
                let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
                r.run::<()>(redis::cmd("SET").arg(key).arg(value).arg("PX").arg(ms)).await
            }
        }
    }

    /// Stores a versioned JSON document (with a top-level `version`) unless the stored one is
    /// as new or newer: concurrent writers that commit in one order may finish in another, and
    /// the hot copy must never go back in time. Returns whether it was stored.
    pub async fn set_if_newer(&self, key: &str, json: &str, version: i64, ttl: Duration) -> Result<bool, HotError> {
        let ttl = ttl.max(Duration::from_millis(1));
        match self {
            Self::Memory(m) => {
                let mut entries = m.entries.lock().expect("memory store lock");
                let now = Instant::now();
                let current = entries.get(key).filter(|(_, exp)| exp.is_none_or(|e| e > now)).and_then(|(v, _)| stored_version(v));
                if current.is_some_and(|c| c >= version) {
                    return Ok(false);
                }
                entries.insert(key.to_owned(), (json.to_owned(), Some(now + ttl)));
                Ok(true)
            }
            Self::Redis(r) => {
                let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
                let stored: i64 = r.run_script(&SET_IF_NEWER, key, &[json, &version.to_string(), &ms.to_string()]).await?;
                Ok(stored == 1)
            }
        }
    }

    /// Removes `key`.
    pub async fn del(&self, key: &str) -> Result<(), HotError> {
        match self {
            Self::Memory(m) => {
                m.entries.lock().expect("memory store lock").remove(key);
                Ok(())
            }
            Self::Redis(r) => r.run::<()>(redis::cmd("DEL").arg(key)).await,
        }
    }

    /// Removes every key starting with `prefix` (a sandbox's `sandbox:{id}:`).
    pub async fn del_prefix(&self, prefix: &str) -> Result<usize, HotError> {
        match self {
            Self::Memory(m) => {
                let mut entries = m.entries.lock().expect("memory store lock");
                let before = entries.len();
                entries.retain(|k, _| !k.starts_with(prefix));
                Ok(before - entries.len())
            }
            Self::Redis(r) => {
                let pattern = format!("{}*", redis_glob_escape(prefix));
                let mut cursor: u64 = 0;
                let mut removed = 0;
                loop {
                    let (next, keys): (u64, Vec<String>) =
                        r.run(redis::cmd("SCAN").arg(cursor).arg("MATCH").arg(&pattern).arg("COUNT").arg(500)).await?;
                    if !keys.is_empty() {
                        removed += keys.len();
                        r.run::<()>(redis::cmd("DEL").arg(&keys)).await?;
                    }
                    if next == 0 {
                        return Ok(removed);
                    }
                    cursor = next;
                }
            }
        }
    }

    /// Adds one to the counter under `key`, creating it to expire after `window`; returns the
    /// new count and the time left before it expires.
    pub async fn hit(&self, key: &str, window: Duration) -> Result<(u64, Duration), HotError> {
        match self {
            Self::Memory(m) => Ok(m.hit(key, window)),
            Self::Redis(r) => {
                let ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
                let mut pipe = redis::pipe();
                pipe.atomic().cmd("SET").arg(key).arg(0).arg("NX").arg("PX").arg(ms).ignore().cmd("INCR").arg(key).cmd("PTTL").arg(key);
                let (count, pttl): (u64, i64) = r.run_pipe(&pipe).await?;
                Ok((count, Duration::from_millis(u64::try_from(pttl).unwrap_or(0))))
            }
        }
    }
}

/// Compare-and-set by the document's `version`, atomically inside Redis.
static SET_IF_NEWER: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
    redis::Script::new(
        r"local cur = redis.call('GET', KEYS[1])
          if cur then
            local ok, doc = pcall(cjson.decode, cur)
            if ok and type(doc) == 'table' and tonumber(doc['version']) and tonumber(doc['version']) >= tonumber(ARGV[2]) then
              return 0
            end
          end
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
          return 1",
    )
});

fn stored_version(json: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(json).ok()?.get("version")?.as_i64()
}

/// Escapes the glob characters of a Redis MATCH pattern (our keys contain `{` and `}`).
fn redis_glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Memory {
    fn hit(&self, key: &str, window: Duration) -> (u64, Duration) {
        let now = Instant::now();
        let mut entries = self.entries.lock().expect("memory store lock");
        let entry = entries.entry(key.to_owned()).or_insert_with(|| ("0".into(), Some(now + window)));
        if entry.1.is_some_and(|exp| exp <= now) {
            *entry = ("0".into(), Some(now + window));
        }
        let count = entry.0.parse::<u64>().unwrap_or(0) + 1;
        entry.0 = count.to_string();
        (count, entry.1.map(|exp| exp.saturating_duration_since(now)).unwrap_or(window))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_counter_starts_a_new_window_after_the_old_one_expires() {
        let m = Memory::default();
        assert_eq!(m.hit("k", Duration::from_secs(60)).0, 1);
        assert_eq!(m.hit("k", Duration::from_secs(60)).0, 2);
        m.set("k", "7".into(), Some(Duration::from_millis(0)));
        assert_eq!(m.hit("k", Duration::from_secs(60)).0, 1);
    }

    #[tokio::test]
    async fn an_older_version_never_replaces_a_newer_one() {
        let hot = HotStore::memory();
        let ttl = Duration::from_secs(60);
        assert!(hot.set_if_newer("k", r#"{"version":3}"#, 3, ttl).await.unwrap());
        assert!(!hot.set_if_newer("k", r#"{"version":2}"#, 2, ttl).await.unwrap());
        assert!(!hot.set_if_newer("k", r#"{"version":3}"#, 3, ttl).await.unwrap());
        assert!(hot.set_if_newer("k", r#"{"version":4}"#, 4, ttl).await.unwrap());
        assert_eq!(hot.get("k").await.unwrap().as_deref(), Some(r#"{"version":4}"#));
    }

    #[test]
    fn glob_characters_in_a_prefix_are_escaped() {
        assert_eq!(redis_glob_escape("sandbox:{a*b}:"), "sandbox:{a\\*b}:");
    }

    #[test]
    fn memory_values_expire_after_their_ttl() {
        let m = Memory::default();
        m.set("a", "1".into(), Some(Duration::from_millis(0)));
        m.set("b", "2".into(), None);
        assert_eq!(m.get("a"), None);
        assert_eq!(m.get("b").as_deref(), Some("2"));
    }
}
