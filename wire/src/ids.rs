//! Typed ids, so a sandbox id cannot be passed where a simulation is meant. On the wire each is
//! the plain string it always was (`#[serde(transparent)]`): an id is kept as the caller wrote
//! it, and one that names nothing is answered `404` by the service, not refused by the parser.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }
    };
}

text_id!(
    /// A sandbox, by its id (a uuid).
    SandboxId
);
text_id!(
    /// A stored scenario run, by its id (a uuid).
    RunId
);

/// Which simulation of a sandbox a request means: its id or name, or (absent or blank) the
/// sandbox's default simulation. `?simulation=` and the `simulation` argument of server
/// functions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct SimulationRef(pub Option<String>);

impl SimulationRef {
    /// The default simulation.
    pub fn default_simulation() -> Self {
        Self(None)
    }

    /// The id or name asked for, trimmed; `None` for the default simulation.
    pub fn named(&self) -> Option<&str> {
        self.0.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

impl From<Option<String>> for SimulationRef {
    fn from(value: Option<String>) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire() {
        let id = SandboxId::from("5d1c");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"5d1c\"");
        assert_eq!(serde_json::from_str::<SandboxId>("\"5d1c\"").unwrap(), id);
        assert_eq!(serde_json::from_str::<SimulationRef>("null").unwrap(), SimulationRef::default_simulation());
        assert_eq!(SimulationRef(Some("  ".into())).named(), None);
        assert_eq!(SimulationRef(Some(" qa ".into())).named(), Some("qa"));
    }
}
