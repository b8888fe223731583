//! Simulations: each sandbox's simulated member contexts. Reads come from the hot store
//! (rebuilt from `simulation_event` when missing); every change is appended to PostgreSQL first,
//! under the simulation's row lock and optional `If-Match` version, then applied to the hot copy.

mod context;
mod ops;
mod reads;

pub use context::{create_default, Target};
pub(crate) use context::{load, mutate, resolve};
pub use ops::{assume, create, list, patch_state, patch_thresholds, record_activity, reset_assume, reset_thresholds};
pub use reads::{check, state, thresholds, whoami, workbench};
