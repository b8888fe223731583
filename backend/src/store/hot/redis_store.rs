//! The Redis side of the hot store: a connection manager made on first use (so a Redis that is
//! down at start-up is reported by `/readyz`, not fatal), commands, scripts and pipelines bounded
//! by `STORE_TIMEOUT`, and pub/sub for the event relay.

use super::HotError;
use crate::store::STORE_TIMEOUT;
use std::time::Duration;
use tokio::sync::Mutex as AsyncMutex;

/// A lazily connected Redis.
pub struct Redis {
    client: redis::Client,
    manager: AsyncMutex<Option<redis::aio::ConnectionManager>>,
}

impl Redis {
    /// Nothing is contacted until first use.
    pub(super) fn open(url: &str) -> Result<Redis, redis::RedisError> {
        Ok(Redis { client: redis::Client::open(url)?, manager: AsyncMutex::new(None) })
    }
}

impl Redis {
    /// Publishes `payload` on a pub/sub channel.
    pub async fn publish(&self, channel: &str, payload: &str) -> Result<(), HotError> {
        self.run::<i64>(redis::cmd("PUBLISH").arg(channel).arg(payload)).await.map(|_| ())
    }

    /// A dedicated pub/sub connection subscribed to `pattern`, as a stream of messages.
    pub async fn psubscribe(&self, pattern: &str) -> Result<impl futures_util::Stream<Item = redis::Msg>, redis::RedisError> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.psubscribe(pattern).await?;
        Ok(pubsub.into_on_message())
    }

    /// Runs one command within the store timeout.
    pub(super) async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, HotError> {
        metrics::counter!("store_round_trips_total", "store" => "redis").increment(1);
        let mut conn = self.connection().await.map_err(HotError)?;
        match tokio::time::timeout(STORE_TIMEOUT, cmd.query_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis command failed");
                Err(HotError("unreachable"))
            }
            Err(_) => Err(HotError("timed out")),
        }
    }

    /// Runs a Lua script within the store timeout.
    pub(super) async fn run_script<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        key: &str,
        args: &[&str],
    ) -> Result<T, HotError> {
        metrics::counter!("store_round_trips_total", "store" => "redis").increment(1);
        let mut conn = self.connection().await.map_err(HotError)?;
        let mut invocation = script.key(key);
        for a in args {
            invocation.arg(*a);
        }
        match tokio::time::timeout(STORE_TIMEOUT, invocation.invoke_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis script failed");
                Err(HotError("unreachable"))
            }
            Err(_) => Err(HotError("timed out")),
        }
    }

    /// Runs a pipeline within the store timeout.
    pub(super) async fn run_pipe<T: redis::FromRedisValue>(&self, pipe: &redis::Pipeline) -> Result<T, HotError> {
        metrics::counter!("store_round_trips_total", "store" => "redis").increment(1);
        let mut conn = self.connection().await.map_err(HotError)?;
        match tokio::time::timeout(STORE_TIMEOUT, pipe.query_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis pipeline failed");
                Err(HotError("unreachable"))
            }
            Err(_) => Err(HotError("timed out")),
        }
    }

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
