//! `server_instance`: every running server registers itself and sends a heartbeat, so any
//! instance can tell how many are live (the sweeper and job claimers coordinate across them).

use crate::error::StoreError;
use sqlx::PgPool;
use uuid::Uuid;

/// Seconds after the last heartbeat that an instance still counts as live.
pub const LIVE_WITHIN_SECONDS: f64 = 90.0;

/// Records this process as running.
pub async fn register(pool: &PgPool, id: Uuid, version: &str) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO server_instance (id, version) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()",
        id,
        version
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Refreshes this instance's heartbeat.
pub async fn heartbeat(pool: &PgPool, id: Uuid) -> Result<(), StoreError> {
    sqlx::query!("UPDATE server_instance SET heartbeat_at = now() WHERE id = $1", id).execute(pool).await?;
    Ok(())
}

/// Removes this instance at shutdown, and forgets instances silent for a day.
pub async fn deregister(pool: &PgPool, id: Uuid) -> Result<(), StoreError> {
    sqlx::query!("DELETE FROM server_instance WHERE id = $1 OR heartbeat_at < now() - interval '1 day'", id).execute(pool).await?;
    Ok(())
}

/// How many instances sent a heartbeat recently.
pub async fn live_count(pool: &PgPool) -> Result<i64, StoreError> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM server_instance
           WHERE heartbeat_at > now() - make_interval(secs => $1)"#,
        LIVE_WITHIN_SECONDS
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrator = "crate::store::pg::MIGRATOR")]
    async fn a_registered_instance_is_live_until_it_deregisters(pool: PgPool) {
        let id = Uuid::new_v4();
        assert_eq!(live_count(&pool).await.unwrap(), 0);
        register(&pool, id, "9.9.9").await.unwrap();
        heartbeat(&pool, id).await.unwrap();
        assert_eq!(live_count(&pool).await.unwrap(), 1);
        deregister(&pool, id).await.unwrap();
        assert_eq!(live_count(&pool).await.unwrap(), 0);
    }

    #[sqlx::test(migrator = "crate::store::pg::MIGRATOR")]
    async fn an_instance_silent_for_too_long_is_not_live(pool: PgPool) {
        let id = Uuid::new_v4();
        register(&pool, id, "9.9.9").await.unwrap();
        sqlx::query("UPDATE server_instance SET heartbeat_at = now() - interval '2 minutes'").execute(&pool).await.unwrap();
        assert_eq!(live_count(&pool).await.unwrap(), 0);
    }

    #[sqlx::test(migrator = "crate::store::pg::MIGRATOR")]
    async fn the_schema_version_is_the_newest_migration(pool: PgPool) {
        let newest = crate::store::pg::MIGRATOR.iter().map(|m| m.version).max();
        assert_eq!(crate::store::pg::schema_version(&pool).await.unwrap(), newest);
    }
}
