//! `api_token`: hashed bearer tokens for agents and the CLI.

use crate::error::StoreError;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;
use wire::model::{Role, TokenView};

/// One token row (never the token itself).
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl TokenRow {
    pub fn view(&self) -> TokenView {
        TokenView {
            id: self.id.to_string(),
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            created_at: self.created_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        }
    }
}

/// The owner of a live token.
#[derive(Clone, Debug)]
pub struct TokenOwner {
    pub token_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
}

pub async fn insert(db: impl PgExecutor<'_>, user_id: Uuid, name: &str, hash: &[u8], prefix: &str) -> Result<TokenRow, StoreError> {
    sqlx::query_as!(
        TokenRow,
        "INSERT INTO api_token (id, user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, prefix, created_at, last_used_at, revoked_at",
        Uuid::new_v4(),
        user_id,
        name,
        hash,
        prefix
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// The enabled owner of the unrevoked token with this hash.
pub async fn owner_by_hash(pool: &PgPool, hash: &[u8]) -> Result<Option<TokenOwner>, StoreError> {
    sqlx::query_as!(
        TokenOwner,
        r#"SELECT t.id AS token_id, u.id AS user_id, u.username, u.role AS "role: Role"
           FROM api_token t JOIN app_user u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"#,
        hash
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}

/// Whether a token with this hash exists (revoked or not).
pub async fn exists(pool: &PgPool, hash: &[u8]) -> Result<bool, StoreError> {
    sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM api_token WHERE token_hash = $1) AS "e!""#, hash)
        .fetch_one(pool)
        .await
        .map_err(StoreError::from)
}

/// Records a use, at most once a minute per token.
pub async fn touch(pool: &PgPool, id: Uuid) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE api_token SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A user's tokens, newest first.
pub async fn list_for_user(pool: &PgPool, user_id: Uuid) -> Result<Vec<TokenRow>, StoreError> {
    sqlx::query_as!(
        TokenRow,
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_token
         WHERE user_id = $1 ORDER BY created_at DESC",
        user_id
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

/// Revokes a user's token; the hash of a revoked token is returned so caches can forget it.
pub async fn revoke(pool: &PgPool, id: Uuid, user_id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
    sqlx::query_scalar!(
        "UPDATE api_token SET revoked_at = coalesce(revoked_at, now())
         WHERE id = $1 AND user_id = $2 RETURNING token_hash",
        id,
        user_id
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}
