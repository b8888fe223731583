//! Sandboxes and their audit trail on the wire.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The lifecycle: pending -> creating -> running -> (expired ->) destroying -> destroyed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "sandbox_state", rename_all = "snake_case"))]
pub enum SandboxState {
    Pending,
    Creating,
    Running,
    Expired,
    Destroying,
    Destroyed,
}

impl SandboxState {
    /// The only transitions the lifecycle allows.
    pub fn can_become(self, next: SandboxState) -> bool {
        use SandboxState::*;
        matches!(
            (self, next),
            (Pending, Creating)
                | (Creating, Running)
                | (Running, Expired)
                | (Running, Destroying)
                | (Expired, Destroying)
                | (Destroying, Destroyed)
        )
    }

    /// Pending, creating or running: it counts towards the owner's limit and holds its name.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Pending | Self::Creating | Self::Running)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Creating => "creating",
            Self::Running => "running",
            Self::Expired => "expired",
            Self::Destroying => "destroying",
            Self::Destroyed => "destroyed",
        }
    }
}

/// An uploaded theme file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ThemeUpload {
    /// `toml`, `json` or `yaml`.
    pub format: String,
    pub content: String,
}

/// The theme id that makes a sandbox a KRUXT sandbox (`themeId: "kruxt"`): its own database
/// instead of a tier theme.
pub const KRUXT_THEME_ID: &str = "kruxt";

/// What a sandbox tests, decided from its theme id: a tier theme (built-in or uploaded), or a
/// KRUXT database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeKind {
    Tier,
    Kruxt,
}

impl ThemeKind {
    /// The kind a theme id stands for.
    pub fn of(theme_id: &str) -> ThemeKind {
        if theme_id == KRUXT_THEME_ID {
            ThemeKind::Kruxt
        } else {
            ThemeKind::Tier
        }
    }
}

/// `POST /sandbox`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSandbox {
    pub name: String,
    /// Hours to live; default 24, at most 168 (a longer request is capped).
    #[serde(default)]
    pub ttl_hours: Option<u32>,
    /// `sietch` (default), `basic`, or `custom` with `themeFile`.
    #[serde(default)]
    pub theme_id: Option<String>,
    #[serde(default)]
    pub theme_file: Option<ThemeUpload>,
    /// Usernames to invite.
    #[serde(default)]
    pub members: Vec<String>,
}

/// `POST /sandbox/:id/extend`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtendSandbox {
    /// Hours to add to the expiry.
    pub hours: u32,
}

/// A sandbox as its owner, members and admins see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxView {
    pub id: String,
    pub name: String,
    pub theme_id: String,
    pub state: SandboxState,
    pub owner: String,
    pub members: Vec<String>,
    pub ttl_hours: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Seconds until expiry when the view was made (0 once expired).
    pub seconds_left: i64,
}

impl SandboxView {
    /// A tier-theme or a KRUXT sandbox.
    pub fn kind(&self) -> ThemeKind {
        ThemeKind::of(&self.theme_id)
    }
}

/// The answer to a create or extend: the sandbox, and whether the TTL asked for was capped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxChange {
    #[serde(flatten)]
    pub sandbox: SandboxView,
    pub ttl_capped: bool,
    /// A sentence when something was adjusted ("TTL capped at 168 hours").
    pub notice: Option<String>,
}

/// Filters of the audit trail.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    /// `lifecycle` or `simulation`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Only entries by this username.
    #[serde(default)]
    pub actor: Option<String>,
    /// Only entries whose action or operation contains this text.
    #[serde(default)]
    pub action: Option<String>,
    /// At most this many (default 100, at most 500).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One entry of a sandbox's audit trail, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `lifecycle` or `simulation`.
    pub kind: String,
    /// The username, or absent when the system acted.
    pub actor: Option<String>,
    pub action: String,
    /// The simulation's name, for simulation events.
    pub simulation: Option<String>,
    /// The simulation's version after the event.
    pub version: Option<i64>,
    pub detail: serde_json::Value,
}
