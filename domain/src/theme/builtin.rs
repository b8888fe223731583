//! The built-in themes `sietch` and `basic`, kept as TOML data beside the crate and parsed once.

use std::sync::OnceLock;

use super::Theme;

const SIETCH: &str = include_str!("../../themes/sietch.toml");
const BASIC: &str = include_str!("../../themes/basic.toml");

impl Theme {
    /// Ids of the built-in themes.
    pub const BUILTIN_IDS: [&'static str; 2] = ["sietch", "basic"];

    /// A built-in theme by id.
    pub fn builtin(id: &str) -> Option<&'static Theme> {
        static SIETCH_THEME: OnceLock<Theme> = OnceLock::new();
        static BASIC_THEME: OnceLock<Theme> = OnceLock::new();
        let (cell, text) = match id {
            "sietch" => (&SIETCH_THEME, SIETCH),
            "basic" => (&BASIC_THEME, BASIC),
            _ => return None,
        };
        // The built-in files are part of the crate; a test proves they load and validate.
        Some(cell.get_or_init(|| Theme::from_toml_str(text).expect("built-in theme is valid")))
    }

    /// The TOML text of a built-in theme, a template for theme developers.
    pub fn builtin_source(id: &str) -> Option<&'static str> {
        match id {
            "sietch" => Some(SIETCH),
            "basic" => Some(BASIC),
            _ => None,
        }
    }
}
