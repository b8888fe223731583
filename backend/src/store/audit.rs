//! The audit trail of a sandbox: lifecycle entries (`sandbox_audit`) and simulation events
//! (`simulation_event`), read together newest first.

use crate::error::StoreError;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;
use wire::model::{AuditEntry, AuditQuery};

/// Writes one lifecycle entry; `actor` is absent when the system acted.
pub async fn record(
    db: impl PgExecutor<'_>,
    sandbox: Uuid,
    actor: Option<Uuid>,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO sandbox_audit (sandbox_id, actor_id, action, detail) VALUES ($1, $2, $3, $4)",
        sandbox,
        actor,
        action,
        detail
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Both trails merged, newest first, filtered as asked.
pub async fn list(pool: &PgPool, sandbox: Uuid, query: &AuditQuery, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT at AS "at!", kind AS "kind!", actor, action AS "action!", simulation, version, detail AS "detail!"
           FROM (
             SELECT a.at, 'lifecycle' AS kind, u.username AS actor, a.action, NULL::text AS simulation,
                    NULL::bigint AS version, a.detail, a.id AS seq
             FROM sandbox_audit a LEFT JOIN app_user u ON u.id = a.actor_id
             WHERE a.sandbox_id = $1
             UNION ALL
             SELECT e.at, 'simulation', u.username, e.operation, s.name, e.version,
                    jsonb_build_object('before', e.before, 'after', e.after), e.id
             FROM simulation_event e JOIN simulation s ON s.id = e.simulation_id
             LEFT JOIN app_user u ON u.id = e.actor_id
             WHERE e.sandbox_id = $1
           ) t
           WHERE ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR lower(actor) = lower($3))
             AND ($4::text IS NULL OR action ILIKE '%' || $4 || '%')
           ORDER BY at DESC, seq DESC
           LIMIT $5"#,
        sandbox,
        query.kind,
        query.actor,
        query.action,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            at: r.at,
            kind: r.kind,
            actor: r.actor,
            action: r.action,
            simulation: r.simulation,
            version: r.version,
            detail: r.detail,
        })
        .collect())
}
