//! KRUXT actors: the users of a sandbox's database (seeded or added) with their gym memberships,
//! plus the service role and anonymous. Lookups run as the service role inside the caller's
//! transaction, just before it switches to the actor.

use super::errors::db_error;
use super::session::Actor;
use serde_json::Value;
use sqlx::{PgConnection, Row};
use uuid::Uuid;
use wire::error::ApiError;
use wire::model::{ActorKind, ActorMembership, KruxtActor, NewKruxtActor};

/// Names that mean the service role.
const SERVICE: [&str; 3] = ["service", "service_role", "service-role"];
/// Names that mean no user.
const ANONYMOUS: [&str; 3] = ["anon", "anonymous", ""];

pub(crate) async fn as_service(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('role', 'service_role', true), set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true)")
        .execute(tx)
        .await
        .map(|_| ())
}

/// The actor `name` means: `service`, `anon`, or a user by username, id or email.
pub(crate) async fn resolve(tx: &mut PgConnection, name: &str) -> Result<Actor, ApiError> {
    let name = name.trim();
    if SERVICE.contains(&name.to_ascii_lowercase().as_str()) {
        return Ok(Actor::Service);
    }
    if ANONYMOUS.contains(&name.to_ascii_lowercase().as_str()) {
        return Ok(Actor::Anon);
    }
    as_service(tx).await.map_err(db_error)?;
    let id = Uuid::parse_str(name).ok();
    let row = sqlx::query(
        "SELECT u.id, p.username, u.email, p.locale FROM auth.users u LEFT JOIN public.profiles p ON p.id = u.id
         WHERE p.username = $1 OR u.id = $2 OR lower(u.email) = lower($1) LIMIT 1",
    )
    .bind(name)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    let Some(row) = row else {
        let known: Vec<String> = sqlx::query_scalar("SELECT username FROM public.profiles WHERE username IS NOT NULL ORDER BY username")
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let hint = domain::lookup::hint(name, known.iter().map(String::as_str).chain(["service", "anon"]));
        return Err(ApiError::not_found(format!("KRUXT actor `{name}` (a username, user id or email, `service` or `anon`){}", hint.text))
            .with_details(serde_json::json!({ "field": "actor", "actor": name, "nearMatches": hint.near })));
    };
    Ok(Actor::User { id: row.get("id"), username: row.get("username"), email: row.get("email"), locale: row.get("locale") })
}

/// Every actor: the service role, anonymous, then users by username.
pub(crate) async fn list(tx: &mut PgConnection) -> Result<Vec<KruxtActor>, ApiError> {
    as_service(tx).await.map_err(db_error)?;
    let rows = sqlx::query(
        "SELECT u.id, p.username, p.display_name, u.email, p.locale,
                coalesce((SELECT jsonb_agg(jsonb_build_object('gymId', m.gym_id, 'gymName', g.name, 'role', m.role, 'status', m.membership_status)
                                           ORDER BY g.name, m.gym_id)
                          FROM public.gym_memberships m JOIN public.gyms g ON g.id = m.gym_id WHERE m.user_id = u.id), '[]') AS memberships
         FROM auth.users u LEFT JOIN public.profiles p ON p.id = u.id
         ORDER BY p.username NULLS LAST, u.id",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    let mut actors = vec![special(ActorKind::Service), special(ActorKind::Anonymous)];
    for row in rows {
        let id: Uuid = row.get("id");
        let username: Option<String> = row.get("username");
        let memberships: Value = row.get("memberships");
        actors.push(KruxtActor {
            key: username.clone().unwrap_or_else(|| id.to_string()),
            kind: ActorKind::User,
            user_id: Some(id.to_string()),
            username,
            display_name: row.get("display_name"),
            email: row.get("email"),
            locale: row.get("locale"),
            memberships: serde_json::from_value::<Vec<ActorMembership>>(memberships).map_err(ApiError::internal)?,
        });
    }
    Ok(actors)
}

/// The listing of the service role or anonymous.
pub(crate) fn special(kind: ActorKind) -> KruxtActor {
    let (key, name) = match kind {
        ActorKind::Service => ("service", "Service role"),
        _ => ("anon", "Anonymous"),
    };
    KruxtActor {
        key: key.into(),
        kind,
        user_id: None,
        username: None,
        display_name: Some(name.into()),
        email: None,
        locale: None,
        memberships: Vec::new(),
    }
}

/// The listing of one actor.
pub(crate) async fn describe(tx: &mut PgConnection, actor: &Actor) -> Result<KruxtActor, ApiError> {
    match actor {
        Actor::Service => Ok(special(ActorKind::Service)),
        Actor::Anon => Ok(special(ActorKind::Anonymous)),
        Actor::User { id, .. } => {
            let all = list(tx).await?;
            let id = id.to_string();
            all.into_iter().find(|a| a.user_id.as_deref() == Some(id.as_str())).ok_or_else(|| ApiError::not_found("KRUXT actor"))
        }
    }
}

fn title_case(username: &str) -> String {
    username
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds a user (auth user, profile, memberships) as the service role; returns its id.
pub(crate) async fn add(tx: &mut PgConnection, new: &NewKruxtActor) -> Result<Uuid, ApiError> {
    let username = new.username.trim();
    let valid = (3..=24).contains(&username.len()) && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid || SERVICE.contains(&username) || ANONYMOUS.contains(&username) {
        return Err(ApiError::validation("username", "3 to 24 lower-case letters, digits or _, and not service or anon"));
    }
    as_service(tx).await.map_err(db_error)?;
    let id = Uuid::new_v4();
    let email = new.email.clone().unwrap_or_else(|| format!("{username}@sandbox.kruxt.app"));
    let display = new.display_name.clone().unwrap_or_else(|| title_case(username));
    sqlx::query("INSERT INTO auth.users (id, email) VALUES ($1, $2)").bind(id).bind(&email).execute(&mut *tx).await.map_err(db_error)?;
    sqlx::query("INSERT INTO public.profiles (id, username, display_name, locale) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(username)
        .bind(&display)
        .bind(&new.locale)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    for m in &new.memberships {
        let gym = Uuid::parse_str(m.gym_id.trim()).map_err(|_| ApiError::validation("memberships.gymId", "a gym id (uuid)"))?;
        sqlx::query(
            "INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
             VALUES ($1, $2, $3::text::public.gym_role, $4::text::public.membership_status)",
        )
        .bind(gym)
        .bind(id)
        .bind(m.role.as_deref().unwrap_or("member"))
        .bind(m.status.as_deref().unwrap_or("active"))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_usernames_title_cased() {
        assert_eq!(title_case("sara_conti"), "Sara Conti");
        assert_eq!(title_case("leo"), "Leo");
    }

    #[test]
    fn claims_carry_the_user_and_the_request_role() {
        let id = Uuid::nil();
        let user = Actor::User { id, username: Some("sara_conti".into()), email: Some("s@x".into()), locale: Some("it-IT".into()) };
        let claims: Value = serde_json::from_str(&user.claims()).unwrap();
        assert_eq!(claims["sub"], id.to_string());
        assert_eq!(claims["role"], "authenticated");
        assert_eq!(claims["locale"], "it-IT");
        assert_eq!(user.role(), "authenticated");
        assert_eq!(Actor::Service.role(), "service_role");
        assert_eq!(Actor::Anon.claims(), r#"{"role":"anon"}"#);
    }
}
