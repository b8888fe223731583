//! What the staff console shows after every method: the gym's memberships (the pending queue
//! and the list), open privacy requests and their metrics, upcoming classes and the waitlist, all
//! read as the acting user in the flow's transaction.

use super::flow_error;
use sqlx::{PgConnection, Row};
use uuid::Uuid;
use wire::model::{
    ConsoleClass, ConsoleMembership, ConsolePrivacyMetrics, ConsolePrivacyRequest, ConsoleWaitlistEntry, FlowError, StaffConsoleSnapshot,
};

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

pub(super) async fn read_membership(tx: &mut PgConnection, gym: Uuid, id: Uuid) -> Result<Option<ConsoleMembership>, sqlx::Error> {
    let sql = format!("{MEMBERSHIP_SQL} WHERE m.id = $1 AND m.gym_id = $2");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(gym).fetch_optional(tx).await?.as_ref().map(membership))
}

/// The snapshot of 09 §2, every list totally ordered.
pub(super) async fn snapshot(tx: &mut PgConnection, gym: Uuid) -> Result<StaffConsoleSnapshot, FlowError> {
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
