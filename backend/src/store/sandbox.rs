//! `sandbox`, `sandbox_member` and `sandbox_audit`: the lifecycle's durable truth.

use crate::error::StoreError;
use sqlx::{PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;
use wire::model::SandboxState;

/// One sandbox with its owner's and members' names (also cached in the hot store).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SandboxRow {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Uuid,
    pub owner: String,
    pub theme_id: String,
    pub theme_doc: Option<serde_json::Value>,
    pub state: SandboxState,
    pub ttl_hours: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub member_ids: Vec<Uuid>,
    pub members: Vec<String>,
    /// The default simulation (created with the sandbox; never changes).
    #[serde(default)]
    pub default_simulation: Option<Uuid>,
    /// The database a KRUXT sandbox owns (recorded when it is cloned).
    #[serde(default)]
    pub database_name: Option<String>,
}

/// What a sandbox tests, decided from its row in one place: a tier theme (built in, or the
/// uploaded document), or a KRUXT database of its own.
#[derive(Clone, Debug, PartialEq)]
pub enum SandboxKind<'r> {
    /// A tier theme: `sietch`, `basic`, or an uploaded file's theme (`upload` holds it).
    Tier { theme_id: &'r str, upload: Option<&'r serde_json::Value> },
    /// A KRUXT sandbox and the database it owns.
    Kruxt { database: std::borrow::Cow<'r, str> },
}

impl SandboxRow {
    /// The kind of sandbox this row is.
    pub fn kind(&self) -> SandboxKind<'_> {
        match wire::model::ThemeKind::of(&self.theme_id) {
            wire::model::ThemeKind::Kruxt => SandboxKind::Kruxt {
                database: match &self.database_name {
                    Some(name) => std::borrow::Cow::Borrowed(name.as_str()),
                    None => std::borrow::Cow::Owned(database_name(self.id)),
                },
            },
            wire::model::ThemeKind::Tier => SandboxKind::Tier { theme_id: &self.theme_id, upload: self.theme_doc.as_ref() },
        }
    }
}

/// The database a KRUXT sandbox owns: `sandbox_<id without dashes>`.
pub fn database_name(sandbox: Uuid) -> String {
    format!("sandbox_{}", sandbox.simple())
}

/// What a new sandbox row holds.
pub struct NewSandbox<'a> {
    pub name: &'a str,
    pub owner_id: Uuid,
    pub theme_id: &'a str,
    pub theme_doc: Option<&'a serde_json::Value>,
    pub ttl_hours: i32,
    pub expires_at: OffsetDateTime,
}

/// Inserts a pending sandbox. A live name already taken fails on `sandbox_live_name_key`.
pub async fn insert(db: &mut PgConnection, new: NewSandbox<'_>) -> Result<Uuid, StoreError> {
    sqlx::query_scalar!(
        "INSERT INTO sandbox (id, name, owner_id, theme_id, theme_doc, ttl_hours, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        Uuid::new_v4(),
        new.name,
        new.owner_id,
        new.theme_id,
        new.theme_doc,
        new.ttl_hours,
        new.expires_at
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// One sandbox, whatever its state.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<SandboxRow>, StoreError> {
    sqlx::query_as!(
        SandboxRow,
        r#"SELECT s.id, s.name, s.owner_id, o.username AS owner, s.theme_id, s.theme_doc,
                  s.state AS "state: SandboxState", s.ttl_hours, s.created_at, s.expires_at,
                  coalesce(array_agg(u.id ORDER BY u.username) FILTER (WHERE u.id IS NOT NULL), '{}') AS "member_ids!",
                  coalesce(array_agg(u.username ORDER BY u.username) FILTER (WHERE u.id IS NOT NULL), '{}') AS "members!",
                  (SELECT d.id FROM simulation d WHERE d.sandbox_id = s.id AND d.is_default) AS default_simulation,
                  s.database_name
           FROM sandbox s
           JOIN app_user o ON o.id = s.owner_id
           LEFT JOIN sandbox_member m ON m.sandbox_id = s.id
           LEFT JOIN app_user u ON u.id = m.user_id
           WHERE s.id = $1
           GROUP BY s.id, o.username"#,
        id
    )
    .fetch_optional(db)
    .await
    .map_err(StoreError::from)
}

/// Sandboxes not yet destroyed that `user` owns or is a member of (every one for admins).
pub async fn list_visible(pool: &PgPool, user: Uuid, all: bool) -> Result<Vec<SandboxRow>, StoreError> {
    sqlx::query_as!(
        SandboxRow,
        r#"SELECT s.id, s.name, s.owner_id, o.username AS owner, s.theme_id, s.theme_doc,
                  s.state AS "state: SandboxState", s.ttl_hours, s.created_at, s.expires_at,
                  coalesce(array_agg(u.id ORDER BY u.username) FILTER (WHERE u.id IS NOT NULL), '{}') AS "member_ids!",
                  coalesce(array_agg(u.username ORDER BY u.username) FILTER (WHERE u.id IS NOT NULL), '{}') AS "members!",
                  (SELECT d.id FROM simulation d WHERE d.sandbox_id = s.id AND d.is_default) AS default_simulation,
                  s.database_name
           FROM sandbox s
           JOIN app_user o ON o.id = s.owner_id
           LEFT JOIN sandbox_member m ON m.sandbox_id = s.id
           LEFT JOIN app_user u ON u.id = m.user_id
           WHERE s.state <> 'destroyed'
             AND ($2 OR s.owner_id = $1 OR EXISTS (
                   SELECT 1 FROM sandbox_member mm WHERE mm.sandbox_id = s.id AND mm.user_id = $1))
           GROUP BY s.id, o.username
           ORDER BY s.created_at DESC"#,
        user,
        all
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

/// Locks the owner's user row so two creations by one owner cannot both pass the limit.
pub async fn lock_owner(db: &mut PgConnection, owner: Uuid) -> Result<(), StoreError> {
    sqlx::query!("SELECT id FROM app_user WHERE id = $1 FOR NO KEY UPDATE", owner).fetch_one(db).await?;
    Ok(())
}

/// Live sandboxes the owner has.
pub async fn count_live(db: &mut PgConnection, owner: Uuid) -> Result<i64, StoreError> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM sandbox
           WHERE owner_id = $1 AND state IN ('pending', 'creating', 'running')"#,
        owner
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// Moves a sandbox from one state to the next; false when it was not in `from` (another
/// instance got there first), which makes every step safe to retry.
pub async fn transition(db: impl PgExecutor<'_>, id: Uuid, from: SandboxState, to: SandboxState) -> Result<bool, StoreError> {
    debug_assert!(from.can_become(to), "{from:?} -> {to:?} is not a lifecycle transition");
    let done = sqlx::query!(
        "UPDATE sandbox SET state = $3, updated_at = now() WHERE id = $1 AND state = $2",
        id,
        from as SandboxState,
        to as SandboxState
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a running sandbox's expiry.
pub async fn set_expiry(db: impl PgExecutor<'_>, id: Uuid, expires_at: OffsetDateTime) -> Result<bool, StoreError> {
    let done = sqlx::query!("UPDATE sandbox SET expires_at = $2, updated_at = now() WHERE id = $1 AND state = 'running'", id, expires_at)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_member(db: impl PgExecutor<'_>, id: Uuid, user: Uuid) -> Result<bool, StoreError> {
    let done = sqlx::query!("INSERT INTO sandbox_member (sandbox_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", id, user)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_member(db: impl PgExecutor<'_>, id: Uuid, user: Uuid) -> Result<bool, StoreError> {
    let done = sqlx::query!("DELETE FROM sandbox_member WHERE sandbox_id = $1 AND user_id = $2", id, user).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Running sandboxes past their expiry become expired; returns their ids.
pub async fn expire_due(pool: &PgPool) -> Result<Vec<Uuid>, StoreError> {
    sqlx::query_scalar!(
        "UPDATE sandbox SET state = 'expired', updated_at = now()
         WHERE state = 'running' AND expires_at <= now() RETURNING id"
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

/// Claims up to `limit` sandboxes awaiting clean-up (expired, or destroying after an
/// interrupted clean-up) without waiting for rows another instance holds.
pub async fn claim_for_cleanup(db: &mut PgConnection, limit: i64) -> Result<Vec<(Uuid, SandboxState)>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT id, state AS "state: SandboxState" FROM sandbox
           WHERE state = 'expired' OR (state = 'destroying' AND updated_at < now() - interval '1 minute')
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.state)).collect())
}
