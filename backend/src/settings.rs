//! `Settings`: every option of the server, loaded once from an optional TOML file and the
//! environment (the environment wins), then passed down in state. Nothing else reads `env`.
//! The listening address and site paths are Leptos's runtime options (`Leptos.toml`, overridden
//! by `LEPTOS_*` variables), loaded beside these by the binary.

use serde::Deserialize;
use std::fmt;
use std::path::PathBuf;

/// A value that must never reach a log or a response: `Debug` prints `***`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The secret itself, for the one place that needs it (a connect call, a comparison).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// Every option of the server. See the README's configuration table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct Settings {
    /// PostgreSQL; without it the server runs a private cluster under `data_dir`.
    pub database_url: Option<Secret>,
    /// Redis; without it the hot state lives in process memory.
    pub redis_url: Option<Secret>,
    /// A token that signs in the first admin.
    pub bootstrap_token: Option<Secret>,
    /// A tracing filter such as `info` or `crysknife=debug,sqlx=warn`.
    pub log: String,
    pub log_format: LogFormat,
    /// Home of the embedded PostgreSQL cluster and other local state.
    pub data_dir: PathBuf,
    /// Requests a minute allowed per sandbox.
    pub rate_limit_per_minute: u32,
    /// Seconds between sweeps for expired sandboxes.
    pub sweep_interval_seconds: u32,
    /// The Discord application's Ed25519 public key, 64 hex digits; without it the
    /// interactions endpoint answers 404.
    pub discord_public_key: Option<String>,
    /// The Discord application id (a snowflake), for `crysknife discord register`.
    pub discord_application_id: Option<String>,
    /// The bot token `crysknife discord register` uses; never logged.
    pub discord_bot_token: Option<Secret>,
    /// Seconds a Discord user waits between two commands (0: no cooldown).
    pub discord_cooldown_seconds: u32,
    /// Where people reach this server (`https://qa.example.com`), when it is behind a proxy.
    pub public_url: Option<String>,
    /// Whether session cookies carry `Secure`; by default they do when `public_url` is https.
    pub secure_cookies: Option<bool>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            redis_url: None,
            bootstrap_token: None,
            log: "info".into(),
            log_format: LogFormat::Pretty,
            data_dir: PathBuf::from(".crysknife"),
            rate_limit_per_minute: 100,
            sweep_interval_seconds: 30,
            discord_public_key: None,
            discord_application_id: None,
            discord_bot_token: None,
            discord_cooldown_seconds: 2,
            public_url: None,
            secure_cookies: None,
        }
    }
}

/// A settings file or variable that could not be used; names the source and the rule.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("settings file {path}: {message}")]
    File { path: String, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}

impl Settings {
    /// Loads the file (if given and present), then applies the environment through `env`,
    /// which the binary passes as `std::env::var` and tests pass as a map.
    pub fn load(file: Option<(&str, &str)>, env: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut settings = match file {
            Some((path, text)) => toml::from_str::<Settings>(text)
                .map_err(|e| SettingsError::File { path: path.to_owned(), message: e.message().to_owned() })?,
            None => Settings::default(),
        };
        let non_empty = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = non_empty("DATABASE_URL") {
            settings.database_url = Some(Secret::new(v));
        }
        if let Some(v) = non_empty("REDIS_URL") {
            settings.redis_url = Some(Secret::new(v));
        }
        if let Some(v) = non_empty("CRYSKNIFE_BOOTSTRAP_TOKEN") {
            settings.bootstrap_token = Some(Secret::new(v));
        }
        if let Some(v) = non_empty("CRYSKNIFE_LOG").or_else(|| non_empty("RUST_LOG")) {
            settings.log = v;
        }
        if let Some(v) = non_empty("CRYSKNIFE_LOG_FORMAT") {
            settings.log_format = match v.as_str() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => return Err(SettingsError::Env { name: "CRYSKNIFE_LOG_FORMAT", message: format!("`{v}` must be `pretty` or `json`") }),
            };
        }
        if let Some(v) = non_empty("CRYSKNIFE_DATA_DIR") {
            settings.data_dir = PathBuf::from(v);
        }
        if let Some(v) = non_empty("CRYSKNIFE_RATE_LIMIT_PER_MINUTE") {
            settings.rate_limit_per_minute = v.parse().ok().filter(|n| *n > 0).ok_or(SettingsError::Env {
                name: "CRYSKNIFE_RATE_LIMIT_PER_MINUTE",
                message: format!("`{v}` must be a positive whole number"),
            })?;
        }
        if let Some(v) = non_empty("CRYSKNIFE_SWEEP_INTERVAL_SECONDS") {
            settings.sweep_interval_seconds = v.parse().ok().filter(|n| *n > 0).ok_or(SettingsError::Env {
                name: "CRYSKNIFE_SWEEP_INTERVAL_SECONDS",
                message: format!("`{v}` must be a positive whole number"),
            })?;
        }
        if let Some(v) = non_empty("CRYSKNIFE_PUBLIC_URL") {
            if !(v.starts_with("http://") || v.starts_with("https://")) {
                return Err(SettingsError::Env {
                    name: "CRYSKNIFE_PUBLIC_URL",
                    message: format!("`{v}` must start with http:// or https://"),
                });
            }
            settings.public_url = Some(v.trim_end_matches('/').to_owned());
        }
        if let Some(v) = non_empty("CRYSKNIFE_SECURE_COOKIES") {
            settings.secure_cookies = Some(match v.as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(SettingsError::Env { name: "CRYSKNIFE_SECURE_COOKIES", message: format!("`{v}` must be true or false") }),
            });
        }
        settings.load_discord(&non_empty)?;
        Ok(settings)
    }

    /// Whether session cookies are `Secure`: as set, else when the public address is https.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| self.public_url.as_deref().is_some_and(|u| u.starts_with("https://")))
    }

    /// The Discord variables; the public key and application id are checked here so a typo
    /// stops the start rather than failing every interaction.
    fn load_discord(&mut self, non_empty: &impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(v) = non_empty("DISCORD_PUBLIC_KEY") {
            self.discord_public_key = Some(v.trim().to_owned());
        }
        if let Some(v) = non_empty("DISCORD_APPLICATION_ID") {
            self.discord_application_id = Some(v.trim().to_owned());
        }
        if let Some(v) = non_empty("DISCORD_BOT_TOKEN") {
            self.discord_bot_token = Some(Secret::new(v.trim()));
        }
        if let Some(v) = non_empty("CRYSKNIFE_DISCORD_COOLDOWN_SECONDS") {
            self.discord_cooldown_seconds = v.parse().map_err(|_| SettingsError::Env {
                name: "CRYSKNIFE_DISCORD_COOLDOWN_SECONDS",
                message: format!("`{v}` must be a whole number of seconds"),
            })?;
        }
        if let Some(key) = &self.discord_public_key {
            if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(SettingsError::Env {
                    name: "DISCORD_PUBLIC_KEY",
                    message: "must be the application's public key: 64 hex digits".to_owned(),
                });
            }
        }
        if let Some(id) = &self.discord_application_id {
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
                return Err(SettingsError::Env {
                    name: "DISCORD_APPLICATION_ID",
                    message: format!("`{id}` must be the application's numeric id"),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn cookies_are_secure_behind_an_https_address_unless_told_otherwise() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        assert!(!Settings::load(None, env(&[])).unwrap().cookies_secure());
        assert!(Settings::load(None, env(&[("CRYSKNIFE_PUBLIC_URL", "https://qa.example.com/")])).unwrap().cookies_secure());
        let off = Settings::load(None, env(&[("CRYSKNIFE_PUBLIC_URL", "https://qa.example.com"), ("CRYSKNIFE_SECURE_COOKIES", "false")]))
            .unwrap();
        assert!(!off.cookies_secure());
        assert!(Settings::load(None, env(&[("CRYSKNIFE_SECURE_COOKIES", "maybe")])).is_err());
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let file = "rate_limit_per_minute = 7\nlog = \"debug\"\n";
        let s = Settings::load(Some(("crysknife.toml", file)), env(&[("CRYSKNIFE_LOG", "warn"), ("REDIS_URL", "redis://127.0.0.1:1/")]))
            .unwrap();
        assert_eq!(s.log, "warn");
        assert_eq!(s.rate_limit_per_minute, 7);
        assert_eq!(s.redis_url.unwrap().expose(), "redis://127.0.0.1:1/");
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = Settings::load(None, env(&[("DATABASE_URL", "postgres://u:hunter2@h/db")])).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn an_unknown_key_in_the_file_is_named() {
        let err = Settings::load(Some(("c.toml", "databse_url = \"x\"")), env(&[])).unwrap_err();
        assert!(err.to_string().contains("databse_url"), "{err}");
    }

    #[test]
    fn discord_settings_come_from_the_environment_and_the_token_stays_secret() {
        let key = "ab".repeat(32);
        let s = Settings::load(
            None,
            env(&[("DISCORD_PUBLIC_KEY", &key), ("DISCORD_APPLICATION_ID", "1234"), ("DISCORD_BOT_TOKEN", "bot-hunter2")]),
        )
        .unwrap();
        assert_eq!(s.discord_public_key.as_deref(), Some(key.as_str()));
        assert_eq!(s.discord_application_id.as_deref(), Some("1234"));
        assert_eq!(s.discord_bot_token.as_ref().unwrap().expose(), "bot-hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.discord_cooldown_seconds, 2);
    }

    #[test]
    fn a_discord_public_key_that_is_not_hex_names_the_variable() {
        let err = Settings::load(None, env(&[("DISCORD_PUBLIC_KEY", "not-a-key")])).unwrap_err();
        assert!(err.to_string().contains("DISCORD_PUBLIC_KEY"), "{err}");
        assert!(err.to_string().contains("64 hex digits"), "{err}");
        let err = Settings::load(Some(("c.toml", "discord_application_id = \"abc\"")), env(&[])).unwrap_err();
        assert!(err.to_string().contains("DISCORD_APPLICATION_ID"), "{err}");
    }

    #[test]
    fn a_bad_rate_limit_names_the_variable_and_rule() {
        let err = Settings::load(None, env(&[("CRYSKNIFE_RATE_LIMIT_PER_MINUTE", "0")])).unwrap_err();
        assert!(err.to_string().contains("CRYSKNIFE_RATE_LIMIT_PER_MINUTE"));
        assert!(err.to_string().contains("positive"));
    }
}
