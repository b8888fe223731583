//! `app_user`: people and agents who use Crysknife.

use crate::error::StoreError;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;
use wire::model::Role;

/// One user row.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub created_at: OffsetDateTime,
}

impl UserRow {
    pub fn view(&self) -> wire::model::UserView {
        wire::model::UserView {
            id: self.id.to_string(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            has_password: self.password_hash.is_some(),
            created_at: self.created_at,
        }
    }
}

/// Inserts a user; a taken username fails with the `app_user_username_key` constraint.
pub async fn insert(
    db: impl PgExecutor<'_>,
    username: &str,
    display_name: &str,
    role: Role,
    password_hash: Option<&str>,
) -> Result<UserRow, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"INSERT INTO app_user (id, username, display_name, role, password_hash)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id, username, display_name, role AS "role: Role", password_hash, created_at"#,
        Uuid::new_v4(),
        username,
        display_name,
        role as Role,
        password_hash
    )
    .fetch_one(db)
    .await
    .map_err(StoreError::from)
}

/// The enabled user with this username (any case).
pub async fn by_username(pool: &PgPool, username: &str) -> Result<Option<UserRow>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, username, display_name, role AS "role: Role", password_hash, created_at
           FROM app_user WHERE lower(username) = lower($1) AND disabled_at IS NULL"#,
        username
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}

/// The enabled user with this id.
pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<UserRow>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, username, display_name, role AS "role: Role", password_hash, created_at
           FROM app_user WHERE id = $1 AND disabled_at IS NULL"#,
        id
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}

/// Every enabled user, by username.
pub async fn list(pool: &PgPool) -> Result<Vec<UserRow>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, username, display_name, role AS "role: Role", password_hash, created_at
           FROM app_user WHERE disabled_at IS NULL ORDER BY lower(username)"#
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::from)
}

/// The oldest admin, who receives the bootstrap token.
pub async fn first_admin(pool: &PgPool) -> Result<Option<UserRow>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, username, display_name, role AS "role: Role", password_hash, created_at
           FROM app_user WHERE role = 'qa_admin' AND disabled_at IS NULL ORDER BY created_at LIMIT 1"#
    )
    .fetch_optional(pool)
    .await
    .map_err(StoreError::from)
}

/// How many users exist, enabled or not.
pub async fn count(pool: &PgPool) -> Result<i64, StoreError> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM app_user"#).fetch_one(pool).await.map_err(StoreError::from)
}
