//! Hot-store key names. Every key of a sandbox starts with `sandbox:{<id>}:` (the braces are a
//! Redis Cluster hash tag, so one sandbox lives on one slot) and is removed with it.

use uuid::Uuid;

/// The prefix of every key a sandbox owns.
pub fn sandbox_prefix(sandbox: Uuid) -> String {
    format!("sandbox:{{{sandbox}}}:")
}

/// The cached sandbox row.
pub fn sandbox_meta(sandbox: Uuid) -> String {
    format!("sandbox:{{{sandbox}}}:meta")
}

/// A simulation's context.
pub fn simulation(sandbox: Uuid, simulation: Uuid) -> String {
    format!("sandbox:{{{sandbox}}}:sim:{simulation}")
}

/// The rate-limit counter of one minute.
pub fn rate_window(sandbox: Uuid, minute: i64) -> String {
    format!("sandbox:{{{sandbox}}}:rl:{minute}")
}

/// A browser session.
pub fn session(id: &str) -> String {
    format!("session:{id}")
}
