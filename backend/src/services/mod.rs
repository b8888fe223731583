//! The service layer: every door (server functions, REST, Discord, CLI) calls these.

pub mod auth;
pub mod discord;
pub mod embed;
pub mod events;
pub mod keys;
pub mod kruxt;
pub mod ratelimit;
pub mod sandbox;
pub mod scenario;
pub mod simulation;
pub mod sweeper;
pub mod system;
