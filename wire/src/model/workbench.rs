//! Everything a sandbox page needs in one answer, so the browser can compute previews,
//! matrices and what-ifs with the engine itself.

use super::{SandboxView, SimulationContext, SimulationView};
use serde::{Deserialize, Serialize};

/// A sandbox, its theme, one simulation's context and the list of its simulations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Workbench {
    pub sandbox: SandboxView,
    pub theme: domain::Theme,
    pub context: SimulationContext,
    pub simulations: Vec<SimulationView>,
}
