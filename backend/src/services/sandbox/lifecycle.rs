//! The lifecycle of a sandbox: pending -> creating -> running -> (expired ->) destroying ->
//! destroyed, every change written to the audit trail.

use super::access::{forget, load};
use super::{open, theme, view, Need};
use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::{keys, kruxt, simulation};
use crate::state::AppState;
use crate::store::{self, audit, sandbox::NewSandbox};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};
use wire::model::{
    AuditEntry, AuditQuery, CreateSandbox, ExtendSandbox, Role, SandboxChange, SandboxState, SandboxView, ThemeKind, KRUXT_THEME_ID,
};

pub const DEFAULT_TTL_HOURS: u32 = 24;
pub const MAX_TTL_HOURS: u32 = 168;
pub const MAX_LIVE_PER_OWNER: i64 = 5;

fn validate_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    let ok = !name.is_empty() && name.chars().count() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || " ._-".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(ApiError::validation("name", "1 to 64 letters, digits, spaces, dots, dashes or underscores"))
    }
}

/// Creates a running sandbox with its default simulation.
#[tracing::instrument(name = "sandbox::lifecycle::create", skip_all)]
pub async fn create(state: &AppState, principal: &Principal, req: CreateSandbox) -> Result<SandboxChange, ApiError> {
    principal.require(Role::QaTester, "creating a sandbox")?;
    let name = validate_name(&req.name)?;
    let requested = req.ttl_hours.unwrap_or(DEFAULT_TTL_HOURS);
    if requested == 0 {
        return Err(ApiError::validation("ttlHours", "at least 1 hour"));
    }
    let ttl = requested.min(MAX_TTL_HOURS);
    let (theme_id, theme_doc) = match (&req.theme_file, req.theme_id.as_deref()) {
        (Some(upload), _) => {
            let parsed = theme::parse_upload(upload)?;
            (parsed.id.clone(), Some(serde_json::to_value(upload).map_err(ApiError::internal)?))
        }
        (None, None) => ("sietch".to_owned(), None),
        (None, Some(id)) if theme::BUILTIN_IDS.contains(&id) || id == KRUXT_THEME_ID => (id.to_owned(), None),
        (None, Some(id)) => {
            return Err(ApiError::validation("themeId", format!("unknown theme `{id}`; use sietch, basic, kruxt, or upload a theme file"))
                .with_details(json!({ "field": "themeId", "rule": "oneOf", "valid": ["sietch", "basic", KRUXT_THEME_ID] })))
        }
    };
    let mut member_ids = Vec::new();
    for username in &req.members {
        let user = store::user::by_username(&state.stores.pg, username)
            .await?
            .ok_or_else(|| ApiError::validation("members", format!("there is no user `{username}`")))?;
        if user.id != principal.user_id {
            member_ids.push(user.id);
        }
    }

    // A KRUXT sandbox gets its own database: the template is built first (outside the
    // transaction; once per set of KRUXT files), the clone happens inside it.
    let kruxt_template = match ThemeKind::of(&theme_id) {
        ThemeKind::Kruxt => Some(kruxt::prepare(state).await?),
        ThemeKind::Tier => None,
    };

    let mut tx = state.stores.pg.begin().await.db()?;
    store::sandbox::lock_owner(&mut tx, principal.user_id).await?;
    if store::sandbox::count_live(&mut tx, principal.user_id).await? >= MAX_LIVE_PER_OWNER {
        return Err(ApiError::new(
            ErrorCode::SandboxLimit,
            format!("you already have {MAX_LIVE_PER_OWNER} live sandboxes; destroy one first"),
        )
        .with_details(json!({ "limit": MAX_LIVE_PER_OWNER })));
    }
    let expires_at = OffsetDateTime::now_utc() + Duration::hours(i64::from(ttl));
    let new = NewSandbox {
        name,
        owner_id: principal.user_id,
        theme_id: &theme_id,
        theme_doc: theme_doc.as_ref(),
        ttl_hours: ttl as i32,
        expires_at,
    };
    let id = match store::sandbox::insert(&mut tx, new).await {
        Ok(id) => id,
        Err(e) if e.constraint() == Some("sandbox_live_name_key") => {
            return Err(ApiError::new(ErrorCode::SandboxNameTaken, format!("a live sandbox is already named `{name}`"))
                .with_details(json!({ "field": "name", "rule": "unique among live sandboxes" })))
        }
        Err(e) => return Err(e.into()),
    };
    let actor = Some(principal.user_id);
    audit::record(
        &mut *tx,
        id,
        actor,
        "sandbox.created",
        json!({ "name": name, "themeId": theme_id, "ttlHours": ttl, "requestedTtlHours": requested }),
    )
    .await?;
    for member in &member_ids {
        store::sandbox::add_member(&mut *tx, id, *member).await?;
        audit::record(&mut *tx, id, actor, "member.added", json!({ "userId": member })).await?;
    }
    let finished = async {
        step(&mut tx, id, actor, SandboxState::Pending, SandboxState::Creating).await?;
        if let Some(template) = &kruxt_template {
            kruxt::provision(state, &mut tx, id, template).await?;
            audit::record(
                &mut *tx,
                id,
                actor,
                "kruxt.database.created",
                json!({ "database": store::sandbox::database_name(id), "template": template }),
            )
            .await?;
        }
        simulation::create_default(&mut tx, id, &theme_id, actor).await?;
        step(&mut tx, id, actor, SandboxState::Creating, SandboxState::Running).await?;
        tx.commit().await.db()?;
        Ok::<(), ApiError>(())
    }
    .await;
    if let Err(e) = finished {
        // Nothing of the sandbox was kept: its database (if cloned) goes too.
        if kruxt_template.is_some() {
            let _ = kruxt::drop_database(state, id).await;
        }
        return Err(e);
    }

    let row = store::sandbox::get(&state.stores.pg, id).await?.ok_or_else(|| ApiError::internal("a created sandbox vanished"))?;
    let capped = requested > MAX_TTL_HOURS;
    let notice = capped.then(|| format!("TTL capped at {MAX_TTL_HOURS} hours (asked for {requested})"));
    Ok(SandboxChange { sandbox: view(&row), ttl_capped: capped, notice })
}

/// One lifecycle step inside a transaction, audited.
async fn step(tx: &mut sqlx::PgConnection, id: Uuid, actor: Option<Uuid>, from: SandboxState, to: SandboxState) -> Result<bool, ApiError> {
    let moved = store::sandbox::transition(&mut *tx, id, from, to).await?;
    if moved {
        audit::record(&mut *tx, id, actor, &format!("sandbox.{}", to.as_str()), json!({ "from": from, "to": to })).await?;
    }
    Ok(moved)
}

/// The sandboxes the caller can see (every one for admins), newest first.
#[tracing::instrument(name = "sandbox::lifecycle::list", skip_all)]
pub async fn list(state: &AppState, principal: &Principal) -> Result<Vec<SandboxView>, ApiError> {
    Ok(store::sandbox::list_visible(&state.stores.pg, principal.user_id, principal.is_admin()).await?.iter().map(view).collect())
}

/// One sandbox.
#[tracing::instrument(name = "sandbox::lifecycle::get", skip_all, fields(sandbox = %id))]
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<SandboxView, ApiError> {
    Ok(view(&open(state, principal, id, Need::Read).await?))
}

/// Moves the expiry later; the total is capped at `MAX_TTL_HOURS` from now.
#[tracing::instrument(name = "sandbox::lifecycle::extend", skip_all, fields(sandbox = %id))]
pub async fn extend(state: &AppState, principal: &Principal, id: &str, req: ExtendSandbox) -> Result<SandboxChange, ApiError> {
    if req.hours == 0 || req.hours > MAX_TTL_HOURS {
        return Err(ApiError::validation("hours", format!("between 1 and {MAX_TTL_HOURS}")));
    }
    let row = open(state, principal, id, Need::Manage).await?;
    let now = OffsetDateTime::now_utc();
    if row.state != SandboxState::Running || row.expires_at <= now {
        return Err(ApiError::new(ErrorCode::SandboxState, "only a running sandbox can be extended"));
    }
    let wanted = row.expires_at + Duration::hours(i64::from(req.hours));
    let ceiling = now + Duration::hours(i64::from(MAX_TTL_HOURS));
    let capped = wanted > ceiling;
    let expires_at = wanted.min(ceiling);
    let mut tx = state.stores.pg.begin().await.db()?;
    if !store::sandbox::set_expiry(&mut *tx, row.id, expires_at).await? {
        return Err(ApiError::new(ErrorCode::SandboxState, "only a running sandbox can be extended"));
    }
    let detail = json!({ "hours": req.hours, "expiresAt": expires_at.unix_timestamp(), "capped": capped });
    audit::record(&mut *tx, row.id, Some(principal.user_id), "sandbox.extended", detail).await?;
    tx.commit().await.db()?;
    forget(state, row.id, "sandbox.extended").await;
    let row = load(state, row.id).await?.ok_or_else(|| ApiError::not_found("sandbox"))?;
    let notice = capped.then(|| format!("expiry capped at {MAX_TTL_HOURS} hours from now"));
    Ok(SandboxChange { sandbox: view(&row), ttl_capped: capped, notice })
}

/// Destroys a running or expired sandbox now: its hot keys are removed and it is marked
/// destroyed. The durable audit trail stays.
#[tracing::instrument(name = "sandbox::lifecycle::destroy", skip_all, fields(sandbox = %id))]
pub async fn destroy(state: &AppState, principal: &Principal, id: &str) -> Result<SandboxView, ApiError> {
    let row = open(state, principal, id, Need::Manage).await?;
    let actor = Some(principal.user_id);
    let mut tx = state.stores.pg.begin().await.db()?;
    let started = match row.state {
        SandboxState::Running => step(&mut tx, row.id, actor, SandboxState::Running, SandboxState::Destroying).await?,
        SandboxState::Expired => step(&mut tx, row.id, actor, SandboxState::Expired, SandboxState::Destroying).await?,
        SandboxState::Destroying => true,
        other => return Err(ApiError::new(ErrorCode::SandboxState, format!("a {} sandbox cannot be destroyed", other.as_str()))),
    };
    if !started {
        return Err(ApiError::new(ErrorCode::SandboxState, "the sandbox changed state meanwhile; try again"));
    }
    tx.commit().await.db()?;
    cleanup(state, row.id, actor).await?;
    let row = store::sandbox::get(&state.stores.pg, row.id).await?.ok_or_else(|| ApiError::not_found("sandbox"))?;
    Ok(view(&row))
}

/// Removes a destroying sandbox's hot keys and marks it destroyed. Idempotent: safe to run
/// again after a failure, and from any instance.
#[tracing::instrument(name = "sandbox::lifecycle::cleanup", skip_all)]
pub async fn cleanup(state: &AppState, id: Uuid, actor: Option<Uuid>) -> Result<(), ApiError> {
    let removed = state.stores.hot.del_prefix(&keys::sandbox_prefix(id)).await?;
    kruxt::release(state, id).await?;
    state.themes.invalidate(&id);
    let mut tx = state.stores.pg.begin().await.db()?;
    if step(&mut tx, id, actor, SandboxState::Destroying, SandboxState::Destroyed).await? {
        audit::record(&mut *tx, id, actor, "sandbox.cleaned", json!({ "hotKeysRemoved": removed })).await?;
    }
    tx.commit().await.db()?;
    forget(state, id, "sandbox.destroyed").await;
    Ok(())
}

/// The audit trail, newest first.
#[tracing::instrument(name = "sandbox::lifecycle::audit", skip_all, fields(sandbox = %id))]
pub async fn audit(state: &AppState, principal: &Principal, id: &str, query: AuditQuery) -> Result<Vec<AuditEntry>, ApiError> {
    if let Some(kind) = query.kind.as_deref() {
        if kind != "lifecycle" && kind != "simulation" {
            return Err(ApiError::validation("kind", "lifecycle or simulation"));
        }
    }
    let limit = i64::from(query.limit.unwrap_or(100));
    if !(1..=500).contains(&limit) {
        return Err(ApiError::validation("limit", "between 1 and 500"));
    }
    let row = open(state, principal, id, Need::Read).await?;
    Ok(audit::list(&state.stores.pg, row.id, &query, limit).await?)
}
