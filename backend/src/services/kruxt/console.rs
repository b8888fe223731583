//! The staff console flow (`createPhase2StaffConsoleUiFlow`, 09 §2, items 71-74): the gym's
//! membership queue and list, approve, reject, set status and assign role, each followed by a
//! fresh snapshot. It runs as the acting KRUXT user in one transaction, so the database's own
//! policies and guards decide; the flow adds the staff gate (09 §1.4), the pending check, and
//! turns every failure into `{ok: false, error: {code, step, message, recoverable}}`.

use super::errors::db_error;
use super::session::{self, Acting, Actor, Limit};
use super::{open, Kruxt};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use domain::scenario::kruxt::CONSOLE_METHODS;
use serde_json::Value;
use sqlx::{PgConnection, Row};
use uuid::Uuid;
use wire::error::ApiError;
use wire::model::{
    ConsoleClass, ConsoleMembership, ConsolePrivacyMetrics, ConsolePrivacyRequest, ConsoleRequest, ConsoleWaitlistEntry, FlowError,
    FlowResult, StaffConsoleSnapshot,
};

const ROLES: [&str; 4] = ["leader", "officer", "coach", "member"];
const STATUSES: [&str; 5] = ["pending", "trial", "active", "paused", "cancelled"];
/// What the role change records as its reason (`admin_assign_membership_role` needs one).
const ROLE_NOTE: &str = "Role assigned in the staff console";

fn step_of(code: &str) -> &'static str {
    match code {
        "ADMIN_AUTH_REQUIRED" | "ADMIN_STAFF_ACCESS_DENIED" | "ADMIN_STAFF_ACCESS_CHECK_FAILED" => "access",
        "ADMIN_PENDING_MEMBERSHIPS_FAILED" => "queue",
        "ADMIN_MEMBERSHIP_UPDATE_FAILED" | "ADMIN_MEMBERSHIP_NOT_PENDING" => "membership_status",
        "ADMIN_ROLE_ASSIGN_FAILED" => "role_assignment",
        _ => "snapshot_refresh",
    }
}

fn friendly(code: &str) -> Option<&'static str> {
    match code {
        "ADMIN_STAFF_ACCESS_DENIED" => Some("Gym staff access is required."),
        "ADMIN_AUTH_REQUIRED" => Some("Sign in to use the staff console."),
        "ADMIN_MEMBERSHIP_UPDATE_FAILED" => Some("The membership could not be updated. Refresh and try again."),
        "ADMIN_ROLE_ASSIGN_FAILED" => Some("The role could not be assigned. Refresh and try again."),
        _ => None,
    }
}

/// A flow error with its step, message and recoverability; `cause` is the database's answer.
fn flow_error(code: &str, message: &str, cause: Option<&sqlx::Error>) -> FlowError {
    let database = cause.and_then(|e| e.as_database_error());
    FlowError {
        code: code.to_owned(),
        step: step_of(code).to_owned(),
        message: friendly(code).map(str::to_owned).unwrap_or_else(|| message.to_owned()),
        recoverable: !matches!(code, "ADMIN_STAFF_ACCESS_DENIED" | "ADMIN_AUTH_REQUIRED"),
        sqlstate: database.and_then(|d| d.code()).map(|c| c.into_owned()),
        cause: database.map(|d| d.message().to_owned()),
    }
}

fn failed(error: FlowError) -> FlowResult {
    FlowResult { ok: false, action: None, updated_membership: None, snapshot: None, error: Some(error) }
}

/// 09 §1.4: a signed-in user holding a trial or active leader, officer or coach membership.
async fn require_staff(tx: &mut PgConnection, acting: &Acting, gym: Uuid) -> Result<(), FlowError> {
    let Actor::User { id, .. } = &acting.actor else {
        return Err(flow_error("ADMIN_AUTH_REQUIRED", "Authentication required.", None));
    };
    let staff = sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM public.gym_memberships WHERE gym_id = $1 AND user_id = $2
                        AND membership_status IN ('trial', 'active') AND role IN ('leader', 'officer', 'coach'))",
    )
    .bind(gym)
    .bind(id)
    .fetch_one(&mut *tx)
    .await;
    match staff {
        Ok(true) => Ok(()),
        Ok(false) => Err(flow_error("ADMIN_STAFF_ACCESS_DENIED", "Gym staff access is required.", None)),
        Err(e) => Err(flow_error("ADMIN_STAFF_ACCESS_CHECK_FAILED", &e.to_string(), Some(&e))),
    }
}

const MEMBERSHIP_SQL: &str =
    "SELECT m.id::text, m.gym_id::text, m.user_id::text, p.username, p.display_name, m.role::text, m.membership_status::text AS status,
        m.membership_plan_id::text AS plan, to_jsonb(m.started_at) #>> '{}' AS started_at, to_jsonb(m.ends_at) #>> '{}' AS ends_at,
        to_jsonb(m.created_at) #>> '{}' AS created_at, to_jsonb(m.updated_at) #>> '{}' AS updated_at,
        public.can_assign_membership_role(m.id) AS can_assign
 FROM public.gym_memberships m LEFT JOIN public.profiles p ON p.id = m.user_id";

fn membership(r: &sqlx::postgres::PgRow) -> ConsoleMembership {
    let status: String = r.get("status");
    let pending = status == "pending";
    ConsoleMembership {
        id: r.get(0),
        gym_id: r.get(1),
        user_id: r.get(2),
        username: r.get("username"),
        display_name: r.get("display_name"),
        role: r.get("role"),
        // 09 §2 (trial or active) and whether the acting user could really assign it (01 §4.2):
        // a coach without admin.roles.manage, or anyone but the owner on the owner's row, cannot.
        can_assign_role: (status == "trial" || status == "active") && r.get::<bool, _>("can_assign"),
        membership_status: status,
        membership_plan_id: r.get("plan"),
        started_at: r.get("started_at"),
        ends_at: r.get("ends_at"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        is_pending: pending,
        can_approve: pending,
        can_reject: pending,
    }
}

async fn read_membership(tx: &mut PgConnection, gym: Uuid, id: Uuid) -> Result<Option<ConsoleMembership>, sqlx::Error> {
    let sql = format!("{MEMBERSHIP_SQL} WHERE m.id = $1 AND m.gym_id = $2");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(gym).fetch_optional(tx).await?.as_ref().map(membership))
}

/// The snapshot of 09 §2, every list totally ordered.
async fn snapshot(tx: &mut PgConnection, gym: Uuid) -> Result<StaffConsoleSnapshot, FlowError> {
    let sql = format!(
        "{MEMBERSHIP_SQL} WHERE m.gym_id = $1
         ORDER BY array_position(ARRAY['pending','trial','active','paused','cancelled'], m.membership_status::text),
                  array_position(ARRAY['leader','officer','coach','member'], m.role::text), m.user_id"
    );
    let memberships: Vec<ConsoleMembership> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(gym)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| flow_error("ADMIN_MEMBERSHIP_LIST_FAILED", &e.to_string(), Some(&e)))?
        .iter()
        .map(membership)
        .collect();
    let pending_memberships = memberships.iter().filter(|m| m.is_pending).cloned().collect();
    let requests = sqlx::query(
        "SELECT id::text, user_id::text, request_type::text, status::text, to_jsonb(submitted_at) #>> '{}', to_jsonb(due_at) #>> '{}',
                to_jsonb(sla_breached_at) #>> '{}', is_overdue
         FROM public.admin_list_open_privacy_requests($1) ORDER BY submitted_at, id",
    )
    .bind(gym)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| flow_error("ADMIN_PRIVACY_REQUESTS_FAILED", &e.to_string(), Some(&e)))?;
    let open_privacy_requests = requests
        .iter()
        .map(|r| ConsolePrivacyRequest {
            id: r.get(0),
            user_id: r.get(1),
            request_type: r.get(2),
            status: r.get(3),
            submitted_at: r.get(4),
            due_at: r.get(5),
            sla_breached_at: r.get(6),
            is_overdue: r.get(7),
        })
        .collect();
    let metrics = sqlx::query(
        "SELECT gym_id::text, open_requests::int8, overdue_requests::int8, avg_completion_hours::float8, fulfilled_requests_window::int8,
                rejected_requests_window::int8, measured_window_days::int8
         FROM public.admin_get_privacy_ops_metrics($1, 30)",
    )
    .bind(gym)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| flow_error("ADMIN_PRIVACY_OPS_METRICS_FAILED", &e.to_string(), Some(&e)))?;
    let privacy_metrics = metrics.map(|r| ConsolePrivacyMetrics {
        gym_id: r.get(0),
        open_requests: r.get(1),
        overdue_requests: r.get(2),
        avg_completion_hours: r.get(3),
        fulfilled_requests_window: r.get(4),
        rejected_requests_window: r.get(5),
        measured_window_days: r.get(6),
    });
    Ok(StaffConsoleSnapshot {
        gym_id: gym.to_string(),
        memberships,
        pending_memberships,
        upcoming_classes: classes(tx, gym).await?,
        pending_waitlist: waitlist(tx, gym).await?,
        open_privacy_requests,
        privacy_metrics,
    })
}

/// Up to 20 classes of the gym starting now (the simulated clock) or later.
async fn classes(tx: &mut PgConnection, gym: Uuid) -> Result<Vec<ConsoleClass>, FlowError> {
    let rows = sqlx::query(
        "SELECT id::text, gym_id::text, title, status::text, to_jsonb(starts_at) #>> '{}', to_jsonb(ends_at) #>> '{}', capacity
         FROM public.gym_classes WHERE gym_id = $1 AND starts_at >= public.app_now() ORDER BY starts_at, id LIMIT 20",
    )
    .bind(gym)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| flow_error("ADMIN_CLASSES_LIST_FAILED", &e.to_string(), Some(&e)))?;
    Ok(rows
        .iter()
        .map(|r| ConsoleClass {
            id: r.get(0),
            gym_id: r.get(1),
            title: r.get(2),
            status: r.get(3),
            starts_at: r.get(4),
            ends_at: r.get(5),
            capacity: r.get(6),
        })
        .collect())
}

/// Up to 50 pending waitlist entries of the gym's classes, by position.
async fn waitlist(tx: &mut PgConnection, gym: Uuid) -> Result<Vec<ConsoleWaitlistEntry>, FlowError> {
    let rows = sqlx::query(
        "SELECT w.id::text, w.class_id::text, c.title, to_jsonb(c.starts_at) #>> '{}', w.user_id::text, w.position, w.status::text,
                to_jsonb(w.created_at) #>> '{}'
         FROM public.class_waitlist w JOIN public.gym_classes c ON c.id = w.class_id
         WHERE c.gym_id = $1 AND w.status = 'pending' ORDER BY w.position, c.starts_at, w.id LIMIT 50",
    )
    .bind(gym)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| flow_error("ADMIN_WAITLIST_LIST_FAILED", &e.to_string(), Some(&e)))?;
    Ok(rows
        .iter()
        .map(|r| ConsoleWaitlistEntry {
            id: r.get(0),
            class_id: r.get(1),
            class_title: r.get(2),
            class_starts_at: r.get(3),
            user_id: r.get(4),
            position: r.get(5),
            status: r.get(6),
            created_at: r.get(7),
        })
        .collect())
}

/// Checks the request's fields for `method`; a bad field is the caller's mistake (400), not a
/// flow result.
pub(crate) fn check(method: &str, req: &ConsoleRequest) -> Result<(Uuid, Option<Uuid>), ApiError> {
    if !CONSOLE_METHODS.contains(&method) {
        return Err(ApiError::validation("method", format!("one of {}", CONSOLE_METHODS.join(", "))));
    }
    let gym = Uuid::parse_str(req.gym_id.trim()).map_err(|_| ApiError::validation("gymId", "a gym id (uuid)"))?;
    if method == "load" {
        return Ok((gym, None));
    }
    let membership = req
        .membership_id
        .as_deref()
        .map(|m| Uuid::parse_str(m.trim()))
        .ok_or_else(|| ApiError::validation("membershipId", format!("required for {method}")))?
        .map_err(|_| ApiError::validation("membershipId", "a membership id (uuid)"))?;
    match method {
        "assignRole" if !req.role.as_deref().is_some_and(|r| ROLES.contains(&r)) => {
            Err(ApiError::validation("role", format!("one of {}", ROLES.join(", "))))
        }
        "setStatus" if !req.status.as_deref().is_some_and(|s| STATUSES.contains(&s)) => {
            Err(ApiError::validation("status", format!("one of {}", STATUSES.join(", "))))
        }
        _ => Ok((gym, Some(membership))),
    }
}

/// Runs `method` on `conn`, which is in a transaction (or savepoint) acting as `acting`. The flow
/// never throws: database failures become flow errors. Only a result with `ok` should be kept.
pub(crate) async fn run_method(
    conn: &mut PgConnection,
    acting: &Acting,
    method: &str,
    req: &ConsoleRequest,
) -> Result<FlowResult, ApiError> {
    let (gym, membership) = check(method, req)?;
    if let Err(error) = require_staff(conn, acting, gym).await {
        return Ok(failed(error));
    }
    let Some(id) = membership else {
        return Ok(match snapshot(conn, gym).await {
            Ok(snapshot) => FlowResult { ok: true, action: None, updated_membership: None, snapshot: Some(snapshot), error: None },
            Err(error) => failed(error),
        });
    };
    let (action, fail_code) = match method {
        "approve" => ("approve", "ADMIN_MEMBERSHIP_UPDATE_FAILED"),
        "reject" => ("reject", "ADMIN_MEMBERSHIP_UPDATE_FAILED"),
        "setStatus" => ("set_status", "ADMIN_MEMBERSHIP_UPDATE_FAILED"),
        _ => ("assign_role", "ADMIN_ROLE_ASSIGN_FAILED"),
    };
    let current = match read_membership(conn, gym, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(failed(flow_error(fail_code, "The membership does not exist in this gym.", None))),
        Err(e) => return Ok(failed(flow_error(fail_code, &e.to_string(), Some(&e)))),
    };
    if matches!(method, "approve" | "reject") && !current.is_pending {
        let message = format!("The membership is {}, not pending.", current.membership_status);
        return Ok(failed(flow_error("ADMIN_MEMBERSHIP_NOT_PENDING", &message, None)));
    }
    let changed: Result<u64, sqlx::Error> = match method {
        "assignRole" => sqlx::query(
            "SELECT public.admin_assign_membership_role(p_membership_id => $1, p_role => $2::text::public.gym_role, p_audit_note => $3)",
        )
        .bind(id)
        .bind(req.role.as_deref())
        .bind(ROLE_NOTE)
        .execute(&mut *conn)
        .await
        .map(|_| 1),
        _ => {
            let status = match method {
                "approve" => "active",
                "reject" => "cancelled",
                _ => req.status.as_deref().unwrap_or_default(),
            };
            sqlx::query(
                "UPDATE public.gym_memberships SET membership_status = $3::text::public.membership_status WHERE id = $1 AND gym_id = $2",
            )
            .bind(id)
            .bind(gym)
            .bind(status)
            .execute(&mut *conn)
            .await
            .map(|r| r.rows_affected())
        }
    };
    match changed {
        Ok(0) => return Ok(failed(flow_error(fail_code, "No membership was updated.", None))),
        Ok(_) => {}
        Err(e) => {
            return Ok(failed(flow_error(
                fail_code,
                &e.as_database_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string()),
                Some(&e),
            )))
        }
    }
    let updated = read_membership(conn, gym, id).await.ok().flatten();
    Ok(match snapshot(conn, gym).await {
        Ok(snapshot) => {
            FlowResult { ok: true, action: Some(action.to_owned()), updated_membership: updated, snapshot: Some(snapshot), error: None }
        }
        Err(error) => failed(error),
    })
}

/// The flow's result as JSON, for scenario steps.
pub(crate) fn to_value(result: &FlowResult) -> Value {
    serde_json::to_value(result).unwrap_or(Value::Null)
}

/// `POST /sandbox/:id/kruxt/console/:method`: one flow method in one transaction as the acting
/// user, committed when it succeeded.
#[tracing::instrument(name = "kruxt::console::console", skip_all, fields(sandbox = %id))]
pub async fn console(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    method: &str,
    req: ConsoleRequest,
) -> Result<FlowResult, ApiError> {
    check(method, &req)?;
    let need = if method == "load" { Need::Use } else { Need::Change };
    let kruxt = open(state, p, id, need).await?;
    let acting = super::context::acting(state, &kruxt, target).await?;
    run(&kruxt, &acting, method, &req).await
}

pub(crate) async fn run(kruxt: &Kruxt, acting: &Acting, method: &str, req: &ConsoleRequest) -> Result<FlowResult, ApiError> {
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = session::begin(&mut conn, Limit::Work).await.map_err(db_error)?;
    session::apply(&mut tx, acting, Limit::Work).await.map_err(db_error)?;
    let result = run_method(&mut tx, acting, method, req).await;
    let keep = matches!(&result, Ok(r) if r.ok && method != "load");
    session::finish(tx, keep).await.map_err(db_error)?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_errors_are_not_recoverable_and_name_their_step() {
        let denied = flow_error("ADMIN_STAFF_ACCESS_DENIED", "x", None);
        assert_eq!(denied.step, "access");
        assert!(!denied.recoverable);
        assert_eq!(denied.message, "Gym staff access is required.");
        let pending = flow_error("ADMIN_MEMBERSHIP_NOT_PENDING", "The membership is active, not pending.", None);
        assert_eq!(pending.step, "membership_status");
        assert!(pending.recoverable);
        assert_eq!(pending.message, "The membership is active, not pending.");
        assert_eq!(flow_error("ADMIN_ROLE_ASSIGN_FAILED", "", None).step, "role_assignment");
    }

    #[test]
    fn requests_are_checked_field_by_field() {
        let gym = "10000000-0000-4000-8000-000000000001".to_owned();
        let load = ConsoleRequest { gym_id: gym.clone(), ..ConsoleRequest::default() };
        assert!(check("load", &load).is_ok());
        assert_eq!(check("approve", &load).unwrap_err().details["field"], "membershipId");
        let bad_role = ConsoleRequest { membership_id: Some(gym.clone()), role: Some("king".into()), ..load.clone() };
        assert_eq!(check("assignRole", &bad_role).unwrap_err().details["field"], "role");
        let bad_gym = ConsoleRequest { gym_id: "BZone".into(), ..ConsoleRequest::default() };
        assert_eq!(check("load", &bad_gym).unwrap_err().details["field"], "gymId");
        assert_eq!(check("destroy", &load).unwrap_err().details["field"], "method");
    }
}
