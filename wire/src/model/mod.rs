//! The shapes that cross the wire: requests and views shared by the server functions, the
//! REST handlers, the pages and the CLI. No behaviour beyond validation of their own fields.

pub mod auth;
pub mod discord;
pub mod kruxt;
pub mod sandbox;
pub mod scenario;
pub mod simulation;
pub mod system;
pub mod workbench;

pub use auth::*;
pub use discord::*;
pub use kruxt::*;
pub use sandbox::*;
pub use scenario::*;
pub use simulation::*;
pub use system::*;
pub use workbench::*;
