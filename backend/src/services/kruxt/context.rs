//! Who acts in a KRUXT sandbox and what time it is there: both live in the simulation's context
//! (event-sourced like every simulation change, so `?simulation=` gives each simulation its own
//! actor and clock), and every KRUXT operation reads them to act.

use super::actors as people;
use super::errors::db_error;
use super::files::{template_name, ANCHOR};
use super::session::{Acting, Actor};
use super::{cluster, gateway, open, Kruxt};
use crate::error::Db;
use crate::services::auth::Principal;
use crate::services::sandbox::{self, Need};
use crate::services::simulation::{self, Target};
use crate::state::AppState;
use crate::store;
use sqlx::{Connection, Row};
use time::OffsetDateTime;
use wire::error::ApiError;
use wire::model::{ActorClaims, AssumeActor, KruxtActor, KruxtContext, KruxtGym, KruxtStatus, NewKruxtActor, SetClock};

/// The simulation's KRUXT context (anonymous at the anchor when nothing was set).
async fn context(state: &AppState, kruxt: &Kruxt, target: &Target) -> Result<(uuid::Uuid, wire::model::SimulationContext), ApiError> {
    let sim = simulation::resolve(state, &kruxt.row, target).await?;
    let ctx = simulation::load(state, &kruxt.row, sim).await?;
    Ok((sim, ctx))
}

/// The actor and clock a request acts with.
pub(crate) async fn acting(state: &AppState, kruxt: &Kruxt, target: &Target) -> Result<Acting, ApiError> {
    let (_, ctx) = context(state, kruxt, target).await?;
    let kx = ctx.kruxt.unwrap_or_default();
    let actor = match (kx.actor.as_deref(), kx.claims) {
        (None, _) => Actor::Anon,
        // Kept when the actor was assumed: no lookup (and no connection) needed to act.
        (Some(name), Some(claims)) => match uuid::Uuid::parse_str(&claims.user_id) {
            Ok(id) => Actor::User { id, username: Some(name.to_owned()), email: claims.email, locale: claims.locale },
            Err(_) => return Err(ApiError::internal(format!("a stored KRUXT actor has the user id {}", claims.user_id))),
        },
        (Some(name), None) => {
            let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
            let mut tx = conn.begin().await.map_err(db_error)?;
            let actor = people::resolve(&mut tx, name).await?;
            tx.rollback().await.map_err(db_error)?;
            actor
        }
    };
    Ok(Acting { actor, clock: kx.clock.unwrap_or(ANCHOR) })
}

/// `GET /sandbox/:id/kruxt`: the database, the actor, the clock and the gyms.
#[tracing::instrument(name = "kruxt::context::status", skip_all, fields(sandbox = %id))]
pub async fn status(state: &AppState, p: &Principal, id: &str, target: &Target) -> Result<KruxtStatus, ApiError> {
    let kruxt = open(state, p, id, Need::Read).await?;
    status_of(state, &kruxt, target).await
}

async fn status_of(state: &AppState, kruxt: &Kruxt, target: &Target) -> Result<KruxtStatus, ApiError> {
    let (_, ctx) = context(state, kruxt, target).await?;
    let acting = acting(state, kruxt, target).await?;
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = conn.begin().await.map_err(db_error)?;
    let actor = people::describe(&mut tx, &acting.actor).await?;
    people::as_service(&mut tx).await.map_err(db_error)?;
    let gyms = sqlx::query("SELECT id::text, name, slug FROM public.gyms ORDER BY name, id")
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|r| KruxtGym { id: r.get(0), name: r.get(1), slug: r.get(2) })
        .collect();
    tx.rollback().await.map_err(db_error)?;
    Ok(KruxtStatus {
        sandbox_id: kruxt.row.id.to_string(),
        database: kruxt.database.clone(),
        template: template_name(),
        simulation: ctx.name.clone(),
        version: ctx.version,
        actor,
        clock: acting.clock,
        anchor: ANCHOR,
        gyms,
    })
}

/// `GET /sandbox/:id/kruxt/actors`: the service role, anonymous and every user with memberships.
#[tracing::instrument(name = "kruxt::context::actors", skip_all, fields(sandbox = %id))]
pub async fn actors(state: &AppState, p: &Principal, id: &str) -> Result<Vec<KruxtActor>, ApiError> {
    let kruxt = open(state, p, id, Need::Read).await?;
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = conn.begin().await.map_err(db_error)?;
    let all = people::list(&mut tx).await?;
    tx.rollback().await.map_err(db_error)?;
    Ok(all)
}

/// `POST /sandbox/:id/kruxt/actors`: adds a user (auth user, profile, memberships).
#[tracing::instrument(name = "kruxt::context::add_actor", skip_all, fields(sandbox = %id))]
pub async fn add_actor(state: &AppState, p: &Principal, id: &str, new: NewKruxtActor) -> Result<KruxtActor, ApiError> {
    let kruxt = open(state, p, id, Need::Change).await?;
    let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
    let mut tx = conn.begin().await.map_err(db_error)?;
    let user = people::add(&mut tx, &new).await?;
    let actor = Actor::User { id: user, username: Some(new.username.trim().to_owned()), email: None, locale: None };
    let listed = people::describe(&mut tx, &actor).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(listed)
}

/// `POST /sandbox/:id/kruxt/assume`: acts as a user, the service role or anonymous from now on.
#[tracing::instrument(name = "kruxt::context::assume", skip_all, fields(sandbox = %id))]
pub async fn assume(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    req: AssumeActor,
    if_match: Option<i64>,
) -> Result<KruxtStatus, ApiError> {
    let kruxt = open(state, p, id, Need::Change).await?;
    let name = req.actor.trim();
    if name.is_empty() {
        return Err(ApiError::validation("actor", "a username, user id or email, `service` or `anon`"));
    }
    let actor = {
        let mut conn = kruxt.pool.acquire().await.map_err(db_error)?;
        let mut tx = conn.begin().await.map_err(db_error)?;
        let actor = people::resolve(&mut tx, name).await?;
        tx.rollback().await.map_err(db_error)?;
        actor
    };
    let key = actor.key();
    let sim = simulation::resolve(state, &kruxt.row, target).await?;
    simulation::mutate(state, p, &kruxt.row, sim, if_match, "kruxt.assume", |ctx| {
        let kx = ctx.kruxt.get_or_insert_with(KruxtContext::default);
        kx.actor = if matches!(actor, Actor::Anon) { None } else { Some(key) };
        kx.claims = match &actor {
            Actor::User { id, email, locale, .. } => {
                Some(ActorClaims { user_id: id.to_string(), email: email.clone(), locale: locale.clone() })
            }
            Actor::Service | Actor::Anon => None,
        };
        Ok(())
    })
    .await?;
    status_of(state, &kruxt, target).await
}

/// `DELETE /sandbox/:id/kruxt/assume`: back to anonymous.
#[tracing::instrument(name = "kruxt::context::reset_actor", skip_all, fields(sandbox = %id))]
pub async fn reset_actor(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    if_match: Option<i64>,
) -> Result<KruxtStatus, ApiError> {
    let kruxt = open(state, p, id, Need::Change).await?;
    let sim = simulation::resolve(state, &kruxt.row, target).await?;
    simulation::mutate(state, p, &kruxt.row, sim, if_match, "kruxt.assume.reset", |ctx| {
        let kx = ctx.kruxt.get_or_insert_with(KruxtContext::default);
        kx.actor = None;
        kx.claims = None;
        Ok(())
    })
    .await?;
    status_of(state, &kruxt, target).await
}

/// The clock a `SetClock` asks for, from the current one.
pub(crate) fn next_clock(current: OffsetDateTime, req: &SetClock) -> Result<Option<OffsetDateTime>, ApiError> {
    match (req.at, req.advance.as_deref()) {
        (Some(_), Some(_)) => Err(ApiError::validation("advance", "give either at or advance, not both")),
        (Some(at), None) => Ok(Some(at)),
        (None, Some(text)) => {
            let step = domain::scenario::parse_duration(text.trim())
                .ok_or_else(|| ApiError::validation("advance", "a duration such as 90m, 25h, 1d12h or 30s"))?;
            Ok(Some(current + step))
        }
        (None, None) => Ok(None),
    }
}

/// `POST /sandbox/:id/kruxt/clock`: sets or moves the simulated clock (`app_now()` in the
/// database), or puts it back at the anchor.
#[tracing::instrument(name = "kruxt::context::set_clock", skip_all, fields(sandbox = %id))]
pub async fn set_clock(
    state: &AppState,
    p: &Principal,
    id: &str,
    target: &Target,
    req: SetClock,
    if_match: Option<i64>,
) -> Result<KruxtStatus, ApiError> {
    let kruxt = open(state, p, id, Need::Change).await?;
    let sim = simulation::resolve(state, &kruxt.row, target).await?;
    let current = simulation::load(state, &kruxt.row, sim).await?.kruxt.and_then(|k| k.clock).unwrap_or(ANCHOR);
    let clock = next_clock(current, &req)?;
    simulation::mutate(state, p, &kruxt.row, sim, if_match, "kruxt.clock", |ctx| {
        ctx.kruxt.get_or_insert_with(KruxtContext::default).clock = clock;
        Ok(())
    })
    .await?;
    status_of(state, &kruxt, target).await
}

/// `POST /sandbox/:id/kruxt/reset`: the database is cloned again from the template, so every
/// change made in it is gone (the actor and clock stay).
#[tracing::instrument(name = "kruxt::context::reset", skip_all, fields(sandbox = %id))]
pub async fn reset(state: &AppState, p: &Principal, id: &str, target: &Target) -> Result<KruxtStatus, ApiError> {
    let kruxt = open(state, p, id, Need::Manage).await?;
    let template = super::prepare(state).await?;
    let mut tx = state.stores.pg.begin().await.db()?;
    store::kruxt::lock_sandbox(&mut tx, kruxt.row.id).await?;
    gateway::forget(state, &kruxt.database);
    cluster::clone_database(state, &template, &kruxt.database).await?;
    crate::store::audit::record(&mut *tx, kruxt.row.id, Some(p.user_id), "kruxt.reset", serde_json::json!({ "template": template }))
        .await?;
    tx.commit().await.db()?;
    sandbox::forget(state, kruxt.row.id, "kruxt.reset").await;
    let kruxt = open(state, p, id, Need::Read).await?;
    status_of(state, &kruxt, target).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_clock_is_set_moved_or_put_back() {
        let now = datetime!(2026-03-09 09:00 +01:00);
        let at = SetClock { at: Some(datetime!(2026-04-01 00:00 UTC)), advance: None };
        assert_eq!(next_clock(now, &at).unwrap(), Some(datetime!(2026-04-01 00:00 UTC)));
        let advance = SetClock { at: None, advance: Some("1d12h".into()) };
        assert_eq!(next_clock(now, &advance).unwrap(), Some(datetime!(2026-03-10 21:00 +01:00)));
        assert_eq!(next_clock(now, &SetClock::default()).unwrap(), None);
        let bad = SetClock { at: None, advance: Some("soon".into()) };
        assert_eq!(next_clock(now, &bad).unwrap_err().status(), 400);
        let both = SetClock { at: Some(now), advance: Some("1h".into()) };
        assert_eq!(next_clock(now, &both).unwrap_err().status(), 400);
    }
}
