//! Server functions of the `scenario` area.
mod run;
mod run_saved;
mod save;
mod saved;
mod delete_saved;
mod runs;
mod report;

pub use run::*;
pub use run_saved::*;
pub use save::*;
pub use saved::*;
pub use delete_saved::*;
pub use runs::*;
pub use report::*;
