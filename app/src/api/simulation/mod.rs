//! Server functions of the `simulation` area.
mod activity;
mod assume;
mod check;
mod create;
mod list;
mod patch_state;
mod patch_thresholds;
mod reset_assume;
mod reset_thresholds;
mod state;
mod thresholds;
mod whoami;

pub use activity::*;
pub use assume::*;
pub use check::*;
pub use create::*;
pub use list::*;
pub use patch_state::*;
pub use patch_thresholds::*;
pub use reset_assume::*;
pub use reset_thresholds::*;
pub use state::*;
pub use thresholds::*;
pub use whoami::*;
