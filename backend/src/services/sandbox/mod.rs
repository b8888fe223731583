//! Sandboxes: who may see and change them, and their lifecycle (create, extend, destroy,
//! members, audit). Every sandbox-scoped call of every door passes through `open`.

mod access;
mod lifecycle;
mod members;
pub mod theme;

pub use access::{forget, open, Need};
pub use lifecycle::{audit, cleanup, create, destroy, extend, get, list, MAX_LIVE_PER_OWNER, MAX_TTL_HOURS};
pub use members::{add_member, remove_member};

use crate::store::sandbox::SandboxRow;
use wire::model::SandboxView;

/// The view of a row, with the seconds left computed now.
pub fn view(row: &SandboxRow) -> SandboxView {
    let left = (row.expires_at - time::OffsetDateTime::now_utc()).whole_seconds().max(0);
    SandboxView {
        id: row.id.to_string(),
        name: row.name.clone(),
        theme_id: row.theme_id.clone(),
        state: row.state,
        owner: row.owner.clone(),
        members: row.members.clone(),
        ttl_hours: row.ttl_hours,
        created_at: row.created_at,
        expires_at: row.expires_at,
        seconds_left: if row.state.is_live() { left } else { 0 },
    }
}
