//! Server functions of the `simulation` area.
mod assume;
mod reset_assume;
mod state;
mod patch_state;
mod check;
mod whoami;
mod thresholds;
mod patch_thresholds;
mod reset_thresholds;
mod activity;
mod create;
mod list;

pub use assume::*;
pub use reset_assume::*;
pub use state::*;
pub use patch_state::*;
pub use check::*;
pub use whoami::*;
pub use thresholds::*;
pub use patch_thresholds::*;
pub use reset_thresholds::*;
pub use activity::*;
pub use create::*;
pub use list::*;
