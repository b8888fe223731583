//! A sandbox's theme: a built-in one, or an uploaded file parsed once and kept in memory.

use crate::state::AppState;
use crate::store::sandbox::{SandboxKind, SandboxRow};
use domain::theme::ThemeFormat;
use domain::{Evaluator, Theme, ThresholdOverrides};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use wire::error::ApiError;
use wire::model::ThemeUpload;

/// The built-in themes behind `Arc`s, made once.
fn builtins() -> &'static HashMap<&'static str, Arc<Theme>> {
    static BUILTINS: OnceLock<HashMap<&'static str, Arc<Theme>>> = OnceLock::new();
    BUILTINS.get_or_init(|| BUILTIN_IDS.into_iter().filter_map(|id| Theme::builtin(id).map(|t| (id, Arc::new(t.clone())))).collect())
}

/// The ids of the built-in themes.
pub const BUILTIN_IDS: [&str; 2] = ["sietch", "basic"];

/// Parses an uploaded theme file; errors name the field and the rule.
pub fn parse_upload(upload: &ThemeUpload) -> Result<Theme, ApiError> {
    let format = ThemeFormat::from_file_name(&format!("theme.{}", upload.format.trim().to_ascii_lowercase()))
        .ok_or_else(|| ApiError::validation("themeFile.format", "must be toml, json or yaml"))?;
    if upload.content.len() > 256 * 1024 {
        return Err(ApiError::validation("themeFile.content", "a theme file may be at most 256 KiB"));
    }
    Theme::load(&upload.content, format).map_err(|e| ApiError::fields(&e))
}

/// The theme of a sandbox.
pub fn of(state: &AppState, row: &SandboxRow) -> Result<Arc<Theme>, ApiError> {
    let (theme_id, upload) = match row.kind() {
        SandboxKind::Kruxt { .. } => return Err(crate::services::kruxt::not_tier_theme(row)),
        SandboxKind::Tier { theme_id, upload } => (theme_id, upload),
    };
    if let Some(doc) = upload {
        if let Some(theme) = state.themes.get(&row.id) {
            return Ok(theme.clone());
        }
        let upload: ThemeUpload = serde_json::from_value(doc.clone()).map_err(ApiError::internal)?;
        let theme = Arc::new(parse_upload(&upload)?);
        state.themes.insert(row.id, theme.clone());
        return Ok(theme);
    }
    builtins()
        .get(theme_id)
        .cloned()
        .ok_or_else(|| ApiError::internal(format!("sandbox {} names unknown built-in theme {theme_id}", row.id)))
}

/// An evaluator: the compiled one of a built-in theme without overrides (made once, shared by
/// every request), or one compiled for this request.
pub enum Engine<'t> {
    Shared(&'static Evaluator<'static>),
    Compiled(Box<Evaluator<'t>>),
}

impl<'t> std::ops::Deref for Engine<'t> {
    type Target = Evaluator<'t>;

    fn deref(&self) -> &Evaluator<'t> {
        match self {
            Engine::Shared(ev) => ev,
            Engine::Compiled(ev) => ev,
        }
    }
}

/// The evaluator of `theme` under `overrides`; invalid overrides name the field and rule.
pub fn engine<'t>(theme: &'t Arc<Theme>, overrides: &ThresholdOverrides) -> Result<Engine<'t>, ApiError> {
    static SHARED: OnceLock<HashMap<&'static str, Evaluator<'static>>> = OnceLock::new();
    let builtin = builtins().get(theme.id.as_str()).is_some_and(|b| Arc::ptr_eq(b, theme));
    if builtin && overrides.is_empty() {
        let shared = SHARED.get_or_init(|| BUILTIN_IDS.into_iter().filter_map(|id| Evaluator::builtin(id).map(|ev| (id, ev))).collect());
        if let Some(ev) = shared.get(theme.id.as_str()) {
            return Ok(Engine::Shared(ev));
        }
    }
    Evaluator::new(theme, overrides).map(|ev| Engine::Compiled(Box::new(ev))).map_err(|e| ApiError::fields(&e))
}
