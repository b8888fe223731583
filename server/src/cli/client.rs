//! The CLI's HTTP client: where the server is and which token to send (flags, then
//! `CRYSKNIFE_SERVER` / `CRYSKNIFE_TOKEN`, then the config file written by `crysknife login`),
//! one call with the shared error shape turned into a clear message and an exit code, and
//! printing (the shared embed cards as text, or `--json`).

use anyhow::Context;
use backend::services::embed::Card;
use clap::Args;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use wire::error::{ApiError, ErrorCode};

/// The server used when nothing names one.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:3000";

/// Where and as whom; accepted by every client verb, before or after its subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct Conn {
    /// The server's base URL [default: the config file's, else http://127.0.0.1:3000].
    #[arg(long, global = true, env = "CRYSKNIFE_SERVER")]
    pub server: Option<String>,
    /// An API token [default: the config file's].
    #[arg(long, global = true, env = "CRYSKNIFE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Print the server's JSON answer instead of the readable layout.
    #[arg(long, global = true)]
    pub json: bool,
}

/// `~/.config/crysknife/config.toml`: written by `crysknife login` and `crysknife sandbox
/// use`, or by hand.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub server: Option<String>,
    pub token: Option<String>,
    /// The sandbox `sim` commands act on when `--sandbox` is not given.
    pub sandbox: Option<String>,
}

impl Profile {
    /// `CRYSKNIFE_CLI_CONFIG`, else `$XDG_CONFIG_HOME/crysknife/config.toml`, else
    /// `~/.config/crysknife/config.toml`.
    pub fn path() -> PathBuf {
        if let Some(path) = std::env::var_os("CRYSKNIFE_CLI_CONFIG").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".config"));
        base.join("crysknife").join("config.toml")
    }

    /// The saved profile; none when the file does not exist.
    pub fn load() -> anyhow::Result<Self> {
        let path = Self::path();
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).with_context(|| format!("reading {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// Writes the profile, readable by its owner only (it holds a token).
    pub fn save(&self) -> anyhow::Result<PathBuf> {
        let path = Self::path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = toml::to_string(self)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).with_context(|| format!("writing {}", path.display()))?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        Ok(path)
    }
}

/// A failed call, worded for people, with the exit code scripts can test.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("the server at {server} is not reachable ({cause}); is `crysknife serve` running there? Set --server, CRYSKNIFE_SERVER or `crysknife login --server URL`")]
    Unreachable { server: String, cause: String },
    #[error("no API token: pass --token, set CRYSKNIFE_TOKEN, or run `crysknife login --token <token>`")]
    NoToken,
    #[error("{}", describe(.0))]
    Api(ApiError),
}

fn describe(e: &ApiError) -> String {
    let field = e.details["field"].as_str().map(|f| format!(" (field `{f}`)")).unwrap_or_default();
    match e.code {
        ErrorCode::Validation => format!("invalid input: {}{field}", e.message),
        ErrorCode::Unauthenticated => format!("not signed in: {}; pass --token, set CRYSKNIFE_TOKEN, or run `crysknife login`", e.message),
        ErrorCode::Forbidden => format!("not allowed: {}", e.message),
        ErrorCode::NotFound => format!("not found: {}", e.message),
        other => format!("{other}: {}", e.message),
    }
}

impl Failure {
    /// 2 invalid input, 3 server not reachable, 4 not signed in or not allowed, 5 not found,
    /// 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Unreachable { .. } => 3,
            Self::NoToken => 4,
            Self::Api(e) => match e.code {
                ErrorCode::Validation => 2,
                ErrorCode::Unauthenticated | ErrorCode::Forbidden => 4,
                ErrorCode::NotFound => 5,
                _ => 1,
            },
        }
    }
}

/// A connection to one server as one token.
pub struct Client {
    http: reqwest::Client,
    pub base: String,
    token: Option<String>,
    /// Print JSON instead of cards.
    pub json: bool,
    pub profile: Profile,
}

impl Client {
    /// Flags and environment first, then the config file.
    pub fn new(conn: &Conn) -> anyhow::Result<Self> {
        let profile = Profile::load()?;
        let base = conn.server.clone().or_else(|| profile.server.clone()).unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        let token = conn.token.clone().or_else(|| profile.token.clone()).filter(|t| !t.trim().is_empty());
        Ok(Self { http: http()?, base: base.trim_end_matches('/').to_owned(), token, json: conn.json, profile })
    }

    /// Whether a server was named by a flag, the environment or the config file.
    pub fn configured(conn: &Conn) -> anyhow::Result<bool> {
        Ok(conn.server.is_some() || Profile::load()?.server.is_some())
    }

    /// Sends `method path` with an optional JSON body; the answer's JSON (null when empty).
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Failure> {
        let token = self.token.as_deref().ok_or(Failure::NoToken)?;
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let unreachable = |e: reqwest::Error| Failure::Unreachable { server: self.base.clone(), cause: cause(&e) };
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if status.is_success() {
            return Ok(if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) });
        }
        let error = serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
            let code = if status.as_u16() == 404 { ErrorCode::NotFound } else { ErrorCode::Internal };
            ApiError::new(code, format!("the server answered {status} without an error body; is {} a Crysknife server?", self.base))
        });
        Err(Failure::Api(error))
    }

    /// Calls a server function (`/api/v1/<endpoint>`) with its JSON arguments.
    pub async fn server_fn(&self, endpoint: &str, args: Value) -> Result<Value, Failure> {
        self.call("POST", &format!("/api/v1/{endpoint}"), Some(&args)).await
    }

    /// Prints `value` as JSON, or as the card `card` makes of it.
    pub fn print<T: serde::de::DeserializeOwned>(&self, value: &Value, card: impl FnOnce(T) -> Card) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            let typed: T = serde_json::from_value(value.clone()).context("the server's answer has an unexpected shape")?;
            print!("{}", card(typed).to_text());
        }
        Ok(())
    }
}

/// The shared HTTP client: bounded waits; TLS through rustls with ring, for https servers and
/// Discord.
pub fn http() -> anyhow::Result<reqwest::Client> {
    // Installing twice fails harmlessly: the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).timeout(Duration::from_secs(60)).build()?)
}

fn cause(e: &reqwest::Error) -> String {
    if e.is_connect() {
        "could not connect".to_owned()
    } else if e.is_timeout() {
        "no answer in time".to_owned()
    } else {
        e.to_string()
    }
}

/// `crysknife login`: checks the token against the server and saves both in the config file.
#[derive(Args, Debug)]
pub struct LoginArgs {
    #[command(flatten)]
    pub conn: Conn,
}

/// Signs in: the token must be accepted by the server before it is saved.
pub async fn login(args: LoginArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.conn)?;
    let me = client.server_fn("auth/me", serde_json::json!({})).await?;
    let mut profile = client.profile.clone();
    profile.server = Some(client.base.clone());
    profile.token = client.token.clone();
    let path = profile.save()?;
    if client.json {
        println!("{}", serde_json::to_string_pretty(&me)?);
    } else {
        println!(
            "signed in to {} as {} ({}); saved in {}",
            client.base,
            me["username"].as_str().unwrap_or("?"),
            me["role"].as_str().unwrap_or("?"),
            path.display()
        );
    }
    Ok(())
}
