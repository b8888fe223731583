//! What crosses the network, shared by the server and the browser: the requests and views of
//! every door (`model`), the one error shape with its typed codes (`error`), typed ids (`ids`),
//! and the one JSON parser every door uses (`json`). No IO; nothing here knows a database.

pub mod error;
pub mod ids;
pub mod json;
pub mod model;
pub mod schema;

pub use error::{ApiError, ErrorCode};
pub use ids::{RunId, SandboxId, SimulationRef};
pub use json::parse_json;
