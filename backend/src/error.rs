//! Store failures on their way to the one error shape (`wire::ApiError`, which knows no
//! database): an unreachable store is `STORE_UNAVAILABLE`, a transaction rolled back by a
//! concurrent one (deadlock, serialization failure) is a retryable `CONFLICT`; anything else is an internal error
//! whose cause is logged here and never sent.

use wire::ApiError;

/// A failed control-plane store call. Stores return it; `?` in a service turns it into an
/// `ApiError`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct StoreError(#[from] pub sqlx::Error);

impl StoreError {
    /// The name of the constraint the statement broke, if it broke one.
    pub fn constraint(&self) -> Option<&str> {
        violated_constraint(&self.0)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        store_error(e.0)
    }
}

/// A database failure as the caller sees it.
pub fn store_error(e: sqlx::Error) -> ApiError {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            tracing::warn!(error = %e, "postgres unavailable");
            ApiError::store_unavailable("postgres")
        }
        // A deadlock or serialization failure rolled the whole transaction back: nothing
        // changed, and the same request can simply be sent again.
        sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("40P01" | "40001")) => {
            tracing::warn!(error = %d, "transaction rolled back by a concurrent one");
            ApiError::new(
                wire::error::ErrorCode::Conflict,
                "a concurrent change collided with this one and it was rolled back; send it again",
            )
            .with_details(serde_json::json!({ "retryable": true }))
        }
        other => ApiError::internal(other),
    }
}

/// The name of the constraint a database error broke, if it broke one.
pub fn violated_constraint(e: &sqlx::Error) -> Option<&str> {
    e.as_database_error().and_then(|d| d.constraint())
}

/// `?` for a direct `sqlx` call in a service: `.await.db()?`.
pub trait Db<T> {
    /// The result with a database failure turned into the `ApiError` the caller sees.
    fn db(self) -> Result<T, ApiError>;
}

impl<T> Db<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, ApiError> {
        self.map_err(store_error)
    }
}

impl<T> Db<T> for Result<T, StoreError> {
    fn db(self) -> Result<T, ApiError> {
        self.map_err(ApiError::from)
    }
}
