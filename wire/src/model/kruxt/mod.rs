//! KRUXT sandboxes on the wire: actors, the acting user and clock, RPC calls, read queries, the
//! staff console's flow results (09 §1.2: `{ok, action, snapshot, error}`), and the RLS matrix.
//! The beta test plan's status is `domain::scenario::kruxt::PlanStatus`.
//! This module: the acting user, actors, the sandbox's status, assuming and the clock.

mod calls;
mod console;
mod matrix;

pub use calls::*;
pub use console::*;
pub use matrix::*;

use serde::{Deserialize, Serialize};
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
