//! Server functions of the `token` area.
mod create;
mod list;
mod revoke;

pub use create::*;
pub use list::*;
pub use revoke::*;
