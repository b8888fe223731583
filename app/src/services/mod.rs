//! The service layer: every door (server functions, REST, Discord, CLI) calls these.

pub mod system;
