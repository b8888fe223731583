//! The staff console's requests, snapshot and flow results (09 §1.2: `{ok, action, snapshot, error}`).

use serde::{Deserialize, Serialize};

/// Arguments of the staff console's methods (09 §2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsoleRequest {
    pub gym_id: String,
    /// For approve, reject, assignRole, setStatus.
    #[serde(default)]
    pub membership_id: Option<String>,
    /// For assignRole: `leader`, `officer`, `coach` or `member`.
    #[serde(default)]
    pub role: Option<String>,
    /// For setStatus: `pending`, `trial`, `active`, `paused` or `cancelled`.
    #[serde(default)]
    pub status: Option<String>,
}

/// A membership as the staff console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleMembership {
    pub id: String,
    pub gym_id: String,
    pub user_id: String,
    /// The member's username and display name, when their profile is visible to the actor.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: String,
    pub membership_status: String,
    pub membership_plan_id: Option<String>,
    pub started_at: Option<String>,
    pub ends_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub is_pending: bool,
    pub can_approve: bool,
    pub can_reject: bool,
    pub can_assign_role: bool,
}

/// An open privacy request of a gym's member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsolePrivacyRequest {
    pub id: String,
    pub user_id: String,
    #[serde(rename = "type")]
    pub request_type: String,
    pub status: String,
    pub submitted_at: String,
    pub due_at: Option<String>,
    pub sla_breached_at: Option<String>,
    pub is_overdue: bool,
}

/// `admin_get_privacy_ops_metrics(gym, 30)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsolePrivacyMetrics {
    pub gym_id: String,
    pub open_requests: i64,
    pub overdue_requests: i64,
    pub avg_completion_hours: f64,
    pub fulfilled_requests_window: i64,
    pub rejected_requests_window: i64,
    pub measured_window_days: i64,
}

/// A class in the staff console (09 §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleClass {
    pub id: String,
    pub gym_id: String,
    pub title: String,
    pub status: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i32,
}

/// A pending waitlist entry in the staff console (09 §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleWaitlistEntry {
    pub id: String,
    pub class_id: String,
    pub class_title: String,
    pub class_starts_at: String,
    pub user_id: String,
    pub position: i32,
    pub status: String,
    pub created_at: String,
}

/// The staff console's snapshot of one gym (09 §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StaffConsoleSnapshot {
    pub gym_id: String,
    /// Every membership: status order, then role order, then user id.
    pub memberships: Vec<ConsoleMembership>,
    pub pending_memberships: Vec<ConsoleMembership>,
    /// Up to 20 classes starting now or later, earliest first.
    pub upcoming_classes: Vec<ConsoleClass>,
    /// Up to 50 pending waitlist entries of the gym's classes, by position.
    pub pending_waitlist: Vec<ConsoleWaitlistEntry>,
    pub open_privacy_requests: Vec<ConsolePrivacyRequest>,
    pub privacy_metrics: Option<ConsolePrivacyMetrics>,
}

/// A flow's error (09 §1.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowError {
    /// `ADMIN_STAFF_ACCESS_DENIED`, `ADMIN_MEMBERSHIP_NOT_PENDING`, ...
    pub code: String,
    /// `access`, `queue`, `membership_status`, `role_assignment` or `snapshot_refresh`.
    pub step: String,
    pub message: String,
    pub recoverable: bool,
    /// The database's SQLSTATE and message behind it, for QA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlstate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// A flow's result: `{ok: true, snapshot}` for load, `{ok: true, action, updatedMembership,
/// snapshot}` for mutations, `{ok: false, error}` otherwise. Flows never throw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowResult {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_membership: Option<ConsoleMembership>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<StaffConsoleSnapshot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FlowError>,
}
