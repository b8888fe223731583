//! Server functions of the `user` area.
mod create;
mod list;

pub use create::*;
pub use list::*;
