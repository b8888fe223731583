//! `discord_guild` and `discord_user`: which sandbox a guild acts on and which Crysknife user a
//! Discord user acts as.

use crate::error::StoreError;
use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use wire::model::Role;

/// A guild registered on a sandbox.
#[derive(Clone, Debug)]
pub struct GuildRow {
    pub guild_id: String,
    /// Who registered it, if that user still exists.
    pub registered_by: Option<String>,
    pub registered_at: OffsetDateTime,
}

/// The Crysknife user a Discord user is linked to.
#[derive(Clone, Debug)]
pub struct LinkedUser {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
}

/// Registers `guild` on `sandbox`. Returns false, changing nothing, when the guild already
/// serves another sandbox that is still live; a row left by an expired or destroyed sandbox
/// is taken over. One statement, so two concurrent registrations cannot both win.
pub async fn register_guild(db: impl PgExecutor<'_>, guild: &str, sandbox: Uuid, by: Uuid) -> Result<bool, StoreError> {
    let row = sqlx::query_scalar!(
        r#"INSERT INTO discord_guild (guild_id, sandbox_id, registered_by) VALUES ($1, $2, $3)
           ON CONFLICT (guild_id) DO UPDATE
             SET sandbox_id = excluded.sandbox_id, registered_by = excluded.registered_by, registered_at = now()
             WHERE discord_guild.sandbox_id = excluded.sandbox_id
                OR NOT EXISTS (SELECT 1 FROM sandbox s WHERE s.id = discord_guild.sandbox_id
                                 AND s.state IN ('pending', 'creating', 'running'))
           RETURNING guild_id"#,
        guild,
        sandbox,
        by
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Removes a guild from a sandbox; false when it was not registered there.
pub async fn unregister_guild(db: impl PgExecutor<'_>, guild: &str, sandbox: Uuid) -> Result<bool, StoreError> {
    let done = sqlx::query!("DELETE FROM discord_guild WHERE guild_id = $1 AND sandbox_id = $2", guild, sandbox).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The guilds registered on a sandbox, oldest first.
pub async fn guilds_of(db: impl PgExecutor<'_>, sandbox: Uuid) -> Result<Vec<GuildRow>, StoreError> {
    sqlx::query_as!(
        GuildRow,
        r#"SELECT g.guild_id, u.username AS "registered_by?", g.registered_at
           FROM discord_guild g LEFT JOIN app_user u ON u.id = g.registered_by
           WHERE g.sandbox_id = $1 ORDER BY g.registered_at, g.guild_id"#,
        sandbox
    )
    .fetch_all(db)
    .await
    .map_err(StoreError::from)
}

/// The live sandbox a guild serves, if any.
pub async fn sandbox_of_guild(db: impl PgExecutor<'_>, guild: &str) -> Result<Option<Uuid>, StoreError> {
    sqlx::query_scalar!(
        r#"SELECT g.sandbox_id FROM discord_guild g JOIN sandbox s ON s.id = g.sandbox_id
           WHERE g.guild_id = $1 AND s.state IN ('pending', 'creating', 'running')"#,
        guild
    )
    .fetch_optional(db)
    .await
    .map_err(StoreError::from)
}

/// Links a Discord user to a Crysknife user, replacing any earlier link.
pub async fn link_user(db: impl PgExecutor<'_>, discord_user: &str, user: Uuid, by: Uuid) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO discord_user (discord_user_id, user_id, linked_by) VALUES ($1, $2, $3)
         ON CONFLICT (discord_user_id) DO UPDATE
           SET user_id = excluded.user_id, linked_by = excluded.linked_by, linked_at = now()",
        discord_user,
        user,
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Removes a Discord user's link; returns the Crysknife user it pointed at.
pub async fn unlink_user(db: impl PgExecutor<'_>, discord_user: &str) -> Result<Option<Uuid>, StoreError> {
    sqlx::query_scalar!("DELETE FROM discord_user WHERE discord_user_id = $1 RETURNING user_id", discord_user)
        .fetch_optional(db)
        .await
        .map_err(StoreError::from)
}

/// The enabled Crysknife user a Discord user acts as.
pub async fn linked_user(db: impl PgExecutor<'_>, discord_user: &str) -> Result<Option<LinkedUser>, StoreError> {
    sqlx::query_as!(
        LinkedUser,
        r#"SELECT u.id AS user_id, u.username, u.role AS "role: Role"
           FROM discord_user d JOIN app_user u ON u.id = d.user_id
           WHERE d.discord_user_id = $1 AND u.disabled_at IS NULL"#,
        discord_user
    )
    .fetch_optional(db)
    .await
    .map_err(StoreError::from)
}
