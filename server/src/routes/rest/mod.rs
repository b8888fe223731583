//! The PRD's REST door (`/sandbox/...`): parse, authenticate, call one service, format.
//! Answers are JSON; errors are the shared `{code, message, details}`.

pub(crate) mod discord;
pub(crate) mod events;
pub(crate) mod extract;
pub(crate) mod kruxt;
pub(crate) mod sandbox;
pub(crate) mod scenario;
pub(crate) mod simulation;

pub use extract::BODY_LIMIT;
