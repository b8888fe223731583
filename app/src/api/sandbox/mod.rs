//! Server functions of the `sandbox` area.
mod create;
mod list;
mod get;
mod extend;
mod destroy;
mod audit;
mod add_member;
mod remove_member;
mod workbench;

pub use create::*;
pub use list::*;
pub use get::*;
pub use extend::*;
pub use destroy::*;
pub use audit::*;
pub use add_member::*;
pub use remove_member::*;
pub use workbench::*;
