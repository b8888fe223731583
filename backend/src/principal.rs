//! The authenticated caller of a request and what their role allows.

use uuid::Uuid;
use wire::error::ApiError;
use wire::model::Role;

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
}

impl Principal {
    /// Fails with `FORBIDDEN` unless the caller has at least `role`.
    pub fn require(&self, role: Role, doing: &str) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("{doing} needs the {} role; you are {}", role.as_str(), self.role.as_str()))
                .with_details(serde_json::json!({ "required": role, "role": self.role })))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::QaAdmin
    }
}
