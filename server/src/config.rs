//! Loads the two configuration sources once at start-up: `Settings` (an optional
//! `crysknife.toml` plus the environment) and Leptos's runtime options (`Leptos.toml` plus
//! `LEPTOS_*` variables).

use anyhow::Context;
use backend::settings::Settings;
use leptos::prelude::LeptosOptions;
use std::path::Path;

/// The settings file read when `CRYSKNIFE_CONFIG` does not name another.
pub const DEFAULT_SETTINGS_FILE: &str = "crysknife.toml";
/// Leptos's runtime options, read when `CRYSKNIFE_LEPTOS_TOML` does not name another file.
pub const DEFAULT_LEPTOS_FILE: &str = "Leptos.toml";

/// Reads the settings file (if present) and the process environment.
pub fn load_settings() -> anyhow::Result<Settings> {
    let explicit = std::env::var("CRYSKNIFE_CONFIG").ok();
    let path = explicit.clone().unwrap_or_else(|| DEFAULT_SETTINGS_FILE.to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => None,
        Err(e) => return Err(e).with_context(|| format!("reading settings file {path}")),
    };
    Ok(Settings::load(text.as_deref().map(|t| (path.as_str(), t)), |k| std::env::var(k).ok())?)
}

/// Reads Leptos's runtime options: the file when it exists, else the `LEPTOS_*` variables.
pub fn load_leptos_options() -> anyhow::Result<LeptosOptions> {
    let path = std::env::var("CRYSKNIFE_LEPTOS_TOML").unwrap_or_else(|_| DEFAULT_LEPTOS_FILE.into());
    let conf = if Path::new(&path).exists() {
        leptos::prelude::get_configuration(Some(&path)).with_context(|| format!("reading Leptos options from {path}"))?
    } else {
        leptos::prelude::get_configuration(None).context("reading LEPTOS_* variables")?
    };
    Ok(conf.leptos_options)
}

#[cfg(test)]
mod tests {
    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

    fn read(file: &str) -> String {
        std::fs::read_to_string(format!("{ROOT}/{file}")).unwrap()
    }

    /// cargo-leptos builds from Cargo.toml's metadata and the server runs from Leptos.toml:
    /// every key they share must agree, or the server would look for files elsewhere.
    #[test]
    fn leptos_toml_agrees_with_the_build_metadata_in_cargo_toml() {
        let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
        let build = cargo["workspace"]["metadata"]["leptos"].as_array().unwrap()[0].as_table().unwrap().clone();
        let runtime: toml::Table = toml::from_str(&read("Leptos.toml")).unwrap();
        let runtime = runtime["package"]["metadata"]["leptos"].as_table().unwrap();
        assert!(!runtime.is_empty());
        for (key, value) in runtime {
            assert_eq!(build.get(key), Some(value), "Leptos.toml's `{key}` differs from Cargo.toml's");
        }
    }

    #[test]
    fn leptos_toml_loads_as_the_servers_runtime_options() {
        let options = leptos::prelude::get_config_from_str(&read("Leptos.toml")).unwrap();
        assert_eq!(&*options.output_name, "crysknife");
        assert_eq!(&*options.site_pkg_dir, "pkg");
    }
}
