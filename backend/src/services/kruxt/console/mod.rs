//! The staff console flow (`createPhase2StaffConsoleUiFlow`, 09 §2, items 71-74): the gym's
//! membership queue and list, approve, reject, set status and assign role, each followed by a
//! fresh snapshot. It runs as the acting KRUXT user in one transaction, so the database's own
//! policies and guards decide; the flow adds the staff gate (09 §1.4), the pending check, and
//! turns every failure into `{ok: false, error: {code, step, message, recoverable}}`.

mod snapshot;

use super::errors::db_error;
use super::session::{self, Acting, Actor, Limit};
use super::{open, Kruxt};
use crate::services::auth::Principal;
use crate::services::sandbox::Need;
use crate::services::simulation::Target;
use crate::state::AppState;
use domain::scenario::kruxt::CONSOLE_METHODS;
use serde_json::Value;
use snapshot::{read_membership, snapshot};
use sqlx::PgConnection;
use uuid::Uuid;
use wire::error::ApiError;
use wire::model::{ConsoleRequest, FlowError, FlowResult};

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
