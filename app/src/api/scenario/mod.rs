//! Server functions of the `scenario` area.
mod delete_saved;
mod report;
mod run;
mod run_saved;
mod runs;
mod save;
mod saved;

pub use delete_saved::*;
pub use report::*;
pub use run::*;
pub use run_saved::*;
pub use runs::*;
pub use save::*;
pub use saved::*;
