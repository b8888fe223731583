//! KRUXT sandboxes on the wire: actors, the acting user and clock, RPC calls, read queries, the
//! staff console's flow results (09 §1.2: `{ok, action, snapshot, error}`), and the RLS matrix.
//! The beta test plan's status is `domain::scenario::kruxt::PlanStatus`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// The KRUXT part of a simulation's context: who acts and what time it is in the database.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtContext {
    /// The assumed actor (a username, `service` or `anon`); anonymous when absent.
    #[serde(default)]
    pub actor: Option<String>,
    /// The simulated clock (`kruxt.now`); the seed anchor when absent.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub clock: Option<OffsetDateTime>,
    /// The assumed user's id and claims, kept when the actor is assumed so that acting needs no
    /// lookup; absent for the service role, anonymous, and contexts written before they were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<ActorClaims>,
}

/// What a KRUXT user acts with: the `sub`, `email` and `locale` claims.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActorClaims {
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// What kind of KRUXT actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ActorKind {
    /// A user in `auth.users`, acting as `authenticated`.
    User,
    /// The service role (bypasses row-level security).
    Service,
    /// No user (`anon`).
    Anonymous,
}

/// A gym membership of an actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActorMembership {
    pub gym_id: String,
    pub gym_name: String,
    /// `leader`, `officer`, `coach` or `member`.
    pub role: String,
    /// `pending`, `trial`, `active`, `paused` or `cancelled`.
    pub status: String,
}

/// Someone the sandbox can act as.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtActor {
    /// How requests name it: the username, `service` or `anon`.
    pub key: String,
    pub kind: ActorKind,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub locale: Option<String>,
    /// Gym memberships, by gym name.
    pub memberships: Vec<ActorMembership>,
}

/// A membership for a new user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewActorMembership {
    pub gym_id: String,
    /// Default `member`.
    #[serde(default)]
    pub role: Option<String>,
    /// Default `active`.
    #[serde(default)]
    pub status: Option<String>,
}

/// `POST /sandbox/:id/kruxt/actors`: a user added to the sandbox's database (as the service role).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewKruxtActor {
    /// 3 to 24 lower-case letters, digits or `_`.
    pub username: String,
    /// Default: the username title-cased.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Default: `<username>@sandbox.kruxt.app`.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub memberships: Vec<NewActorMembership>,
}

/// A gym of the sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtGym {
    pub id: String,
    pub name: String,
    pub slug: String,
}

/// `GET /sandbox/:id/kruxt`: the sandbox's database, who acts, the clock, the gyms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtStatus {
    pub sandbox_id: String,
    /// The sandbox's own database.
    pub database: String,
    /// The template it was cloned from.
    pub template: String,
    /// The simulation holding the actor and clock.
    pub simulation: String,
    pub version: i64,
    /// The assumed actor.
    pub actor: KruxtActor,
    /// The simulated clock in force.
    #[serde(with = "time::serde::rfc3339")]
    pub clock: OffsetDateTime,
    /// The seed's anchor `T` (99 §1), where the clock starts.
    #[serde(with = "time::serde::rfc3339")]
    pub anchor: OffsetDateTime,
    pub gyms: Vec<KruxtGym>,
}

/// `POST /sandbox/:id/kruxt/assume`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssumeActor {
    /// A username, user id or email, `service`, or `anon`.
    pub actor: String,
}

/// `POST /sandbox/:id/kruxt/clock`: set it (`at`), move it (`advance`: `90m`, `1d12h`), or
/// back to the anchor (neither).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetClock {
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
    #[serde(default)]
    pub advance: Option<String>,
}

/// What a function returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum RpcReturns {
    /// Rows (a set, a composite or a table): `rows`.
    Rows,
    /// One value: `value`.
    Value,
    /// Nothing.
    Void,
}

/// `POST /sandbox/:id/kruxt/rpc/:function`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RpcResult {
    pub function: String,
    /// Who called it.
    pub actor: String,
    pub returns: RpcReturns,
    /// Row objects (for `rows`).
    pub rows: Vec<Value>,
    /// The value (for `value`).
    pub value: Value,
    pub duration_ms: f64,
}

/// `POST /sandbox/:id/kruxt/query`: one read-only query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueryRequest {
    /// One SELECT, VALUES, TABLE or WITH query.
    pub sql: String,
    /// At most this many rows (default 200, at most 5000).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The rows of a read-only query, columns in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryResult {
    pub actor: String,
    pub columns: Vec<String>,
    /// One list of values per row, in column order.
    pub rows: Vec<Vec<Value>>,
    pub row_count: usize,
    /// More rows exist than the limit let through.
    pub truncated: bool,
    pub limit: u32,
    pub duration_ms: f64,
}

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

/// What one attempt in the RLS matrix did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CellOutcome {
    /// It succeeded on at least one row.
    Allowed,
    /// It succeeded on no row: nothing visible, or nothing the actor may change.
    NoRows,
    /// A privilege, a policy or a guard refused it (42501, KX4xx).
    Refused,
    /// The policies let it through; a data constraint stopped it (23xxx).
    Constraint,
    /// Anything else.
    Error,
}

/// One cell: an operation on a table as an actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixCell {
    pub outcome: CellOutcome,
    /// Rows visible (select) or affected (insert, update, delete).
    pub rows: Option<i64>,
    pub sqlstate: Option<String>,
    pub message: Option<String>,
    /// A short text for the cell: `12 rows`, `42501 RLS`, `KX423`.
    pub label: String,
}

/// One actor and one table, four cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixEntry {
    pub actor: String,
    pub table: String,
    pub select: MatrixCell,
    pub insert: MatrixCell,
    pub update: MatrixCell,
    pub delete: MatrixCell,
}

/// The RLS matrix: actors x tables x {select, insert, update, delete}, measured by attempts
/// rolled back afterwards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RlsMatrix {
    pub actors: Vec<String>,
    pub tables: Vec<String>,
    /// Actor-major: every table of the first actor, then the next actor's.
    pub entries: Vec<MatrixEntry>,
    #[serde(with = "time::serde::rfc3339")]
    pub clock: OffsetDateTime,
    pub duration_ms: f64,
}

/// One cell that differs between two actors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CellDifference {
    pub table: String,
    /// `select`, `insert`, `update` or `delete`.
    pub operation: String,
    pub left: MatrixCell,
    pub right: MatrixCell,
}

/// Two actors' matrices side by side: the cells that differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatrixComparison {
    pub left: String,
    pub right: String,
    pub tables: Vec<String>,
    pub differences: Vec<CellDifference>,
    /// Cells that are the same.
    pub same: usize,
}

/// Every KRUXT scenario the server knows, run in one sandbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KruxtSuiteRun {
    pub runs: Vec<crate::model::ScenarioRun>,
    pub totals: domain::scenario::Totals,
}
