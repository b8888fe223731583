//! Server functions of the `sandbox` area.
mod add_member;
mod audit;
mod create;
mod destroy;
mod extend;
mod get;
mod list;
mod remove_member;
mod workbench;

pub use add_member::*;
pub use audit::*;
pub use create::*;
pub use destroy::*;
pub use extend::*;
pub use get::*;
pub use list::*;
pub use remove_member::*;
pub use workbench::*;
