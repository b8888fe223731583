//! The `crysknife` binary as a terminal or an agent uses it, against a server started on port 0
//! here: the PRD grammar as written, readable and `--json` output, the config file, and the
//! exit codes and messages of every kind of failure.

#[allow(dead_code)]
#[path = "http/helpers.rs"]
mod helpers;

use helpers::{spawn_app, TestApp};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

/// One CLI user: a server, a token, and a config file of their own.
struct Terminal {
    server: String,
    token: String,
    config: PathBuf,
    _dir: TempDir,
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> TempDir {
    let dir = std::env::temp_dir().join(format!("crysknife-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

impl Terminal {
    fn new(app: &TestApp, token: &str) -> Self {
        let dir = temp_dir();
        Self { server: app.base.clone(), token: token.to_owned(), config: dir.0.join("config.toml"), _dir: dir }
    }

    /// Runs `crysknife <args>` with the server and token in the environment.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[("CRYSKNIFE_SERVER", &self.server), ("CRYSKNIFE_TOKEN", &self.token)])
    }

    /// Runs `crysknife <args>` with only `env` naming a server or token.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_crysknife"));
        cmd.args(args)
            .env_remove("CRYSKNIFE_SERVER")
            .env_remove("CRYSKNIFE_TOKEN")
            .env_remove("CRYSKNIFE_SANDBOX")
            .env_remove("DISCORD_BOT_TOKEN")
            .env_remove("DISCORD_APPLICATION_ID")
            .env("CRYSKNIFE_CLI_CONFIG", &self.config)
            .env("CRYSKNIFE_LOG", "warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("the crysknife binary runs")
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "crysknife {args:?} failed: {}", text(&out.stderr));
        text(&out.stdout)
    }

    /// Runs with `--json` and parses stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn failed(out: &Output, code: i32, says: &str) {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains(says), "stderr lacks {says:?}: {}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prd_grammar_works_as_written() {
    let app = spawn_app().await;
    let (_, token) = app.user("qa_tester").await;
    let t = Terminal::new(&app, &token);
    let made = t.ok(&["sandbox", "create", "prd-grammar"]);
    assert!(made.contains("SANDBOX CREATED: prd-grammar"), "{made}");

    let set = t.ok(&["sim", "set", "bgt", "500"]);
    assert!(set.contains("STATE UPDATED") && set.contains("- BGT Balance: 500"), "{set}");
    let tier = t.ok(&["sim", "check", "tier"]);
    assert!(tier.contains("TIER: Sihaya") && tier.contains("BGT >= 420"), "{tier}");
    t.ok(&["sim", "assume", "fedaykin"]);
    let access = t.ok(&["sim", "check", "access", "#war-room"]);
    assert!(access.starts_with("ACCESS GRANTED: #war-room\n"), "{access}");
    assert!(access.contains("Required Tier: Fedaykin"), "{access}");
    let config = t.ok(&["sim", "config", "tier", "usul", "bgt=1000"]);
    assert!(config.contains("usul: BGT >= 1000 (overridden)"), "{config}");
    assert!(t.ok(&["sim", "config", "show"]).contains("usul: BGT >= 1000 (overridden)"));
    assert!(!t.ok(&["sim", "config", "reset"]).contains("(overridden)"));
    t.ok(&["sim", "assume", "role", "hajra"]);
    let denied = t.ok(&["sim", "check", "access", "council-chamber"]);
    assert!(denied.contains("ACCESS DENIED: #council-chamber") && denied.contains("Reach Naib tier (Top 7 rank required)"), "{denied}");
    let who = t.ok(&["sim", "whoami"]);
    assert!(who.contains("WHO AM I: Hajra") && who.contains("Assumed role: Hajra"), "{who}");
    let reset = t.ok(&["sim", "reset"]);
    assert!(reset.contains("Assumed role: none"), "{reset}");

    let state = t.json(&["sim", "get", "state"]);
    assert_eq!(state["bgtBalance"], "500", "{state}");
    let check = t.json(&["sim", "check", "all"]);
    assert_eq!(check["type"], "all");
    for verb in [
        &["sim", "check", "badges"][..],
        &["sim", "check", "feature", "vote"],
        &["sim", "set", "stage", "engaged"],
        &["sim", "reset", "all"],
    ] {
        t.ok(verb);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_verbs_create_list_inspect_extend_and_destroy() {
    let app = spawn_app().await;
    let (_, token) = app.user("qa_tester").await;
    let t = Terminal::new(&app, &token);
    let made = t.json(&["sandbox", "create", "verbs", "--ttl-hours", "2", "--no-use"]);
    let id = made["id"].as_str().unwrap().to_owned();
    assert!(t.ok(&["sandbox", "list"]).contains(&id));
    let status = t.ok(&["sandbox", "status", "verbs"]);
    assert!(status.contains("SANDBOX: verbs") && status.contains("State: running"), "{status}");
    let extended = t.json(&["sandbox", "extend", "--hours", "3", &id]);
    assert_eq!(extended["id"], id.as_str());
    assert!(extended["secondsLeft"].as_i64().unwrap() > 4 * 3600);
    t.ok(&["sandbox", "use", "verbs"]);
    assert!(t.ok(&["sim", "whoami"]).contains("WHO AM I"), "use made it current");
    let destroyed = t.ok(&["sandbox", "destroy"]);
    assert!(destroyed.contains("State: destroyed"), "{destroyed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_saves_the_server_and_token_for_later_commands() {
    let app = spawn_app().await;
    let (username, token) = app.user("qa_tester").await;
    let t = Terminal::new(&app, &token);
    let out = t.run_with(&["login", "--server", &t.server, "--token", &token], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("as {username}")), "{}", text(&out.stdout));
    let saved = std::fs::read_to_string(&t.config).unwrap();
    assert!(saved.contains(&t.server) && saved.contains(&token));
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&t.config).unwrap().permissions()) & 0o777, 0o600);
    let listed = t.run_with(&["sandbox", "list"], &[]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_failure_exits_non_zero_with_a_clear_message() {
    let app = spawn_app().await;
    let (_, token) = app.user("qa_tester").await;
    let (viewer, viewer_token) = app.user("viewer").await;
    let t = Terminal::new(&app, &token);
    let id = t.json(&["sandbox", "create", "failures", "--member", &viewer])["id"].as_str().unwrap().to_owned();

    failed(&t.run_with(&["sandbox", "list"], &[("CRYSKNIFE_SERVER", "http://127.0.0.1:1"), ("CRYSKNIFE_TOKEN", "x")]), 3, "not reachable");
    failed(&t.run_with(&["sandbox", "list"], &[("CRYSKNIFE_SERVER", &t.server), ("CRYSKNIFE_TOKEN", "ck_wrong")]), 4, "not signed in");
    failed(&t.run_with(&["sandbox", "list"], &[("CRYSKNIFE_SERVER", &t.server)]), 4, "no API token");
    failed(&t.run(&["sandbox", "status", "00000000-0000-0000-0000-000000000000"]), 5, "not found: sandbox not found");
    failed(&t.run(&["sim", "set", "rank", "0"]), 2, "(field `rank`)");
    failed(&t.run(&["sim", "check", "access"]), 2, "(field `target`)");
    failed(&t.run(&["sim", "check", "access", "war-rom"]), 2, "did you mean war-room");
    let v = Terminal::new(&app, &viewer_token);
    failed(&v.run(&["sim", "--sandbox", &id, "set", "bgt", "5"]), 4, "not allowed: changing a simulation needs the qa_tester role");
    failed(&v.run(&["sim", "whoami"]), 2, "name a sandbox");
    assert_ne!(t.run(&["sim", "frobnicate"]).status.code(), Some(0), "an unknown verb is a usage error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_go_through_the_server_when_one_is_configured_and_the_database_otherwise() {
    let app = spawn_app().await;
    let (_, token) = app.user("qa_tester").await;
    let t = Terminal::new(&app, &token);
    let made = t.ok(&["token", "create", "--name", "from-cli"]);
    let new = made.trim();
    assert!(new.starts_with("ck_"), "{made}");
    let listed = t.json(&["token", "list"]);
    let entry = listed.as_array().unwrap().iter().find(|tk| tk["name"] == "from-cli").unwrap().clone();
    assert!(t.ok(&["token", "revoke", entry["id"].as_str().unwrap()]).contains("revoked"));
    let refused = t.run_with(&["sandbox", "list"], &[("CRYSKNIFE_SERVER", &t.server), ("CRYSKNIFE_TOKEN", new)]);
    failed(&refused, 4, "not signed in");

    let local = t.run_with(&["token", "create", "--name", "local", "--local"], &[("DATABASE_URL", &app.database_url)]);
    assert!(local.status.success(), "{}", text(&local.stderr));
    let admin_token = text(&local.stdout).trim().to_owned();
    let works = t.run_with(&["sandbox", "list"], &[("CRYSKNIFE_SERVER", &t.server), ("CRYSKNIFE_TOKEN", &admin_token)]);
    assert!(works.status.success(), "a token made in the database signs in: {}", text(&works.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_verbs_print_register_and_manage_guilds_and_links() {
    let app = spawn_app().await;
    let (_, token) = app.user("qa_tester").await;
    let t = Terminal::new(&app, &token);
    let commands: Value = serde_json::from_str(&t.ok(&["discord", "commands"])).unwrap();
    assert_eq!(commands[0]["name"], "simulation");
    failed(&t.run(&["discord", "register"]), 1, "DISCORD_APPLICATION_ID");

    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<(String, String, Value)>();
    let fake = axum::Router::new().route(
        "/applications/{app}/guilds/{guild}/commands",
        axum::routing::put(
            move |axum::extract::Path((app, _guild)): axum::extract::Path<(String, String)>,
                  headers: axum::http::HeaderMap,
                  axum::Json(body): axum::Json<Value>| {
                let seen = seen_tx.clone();
                async move {
                    let auth = headers["authorization"].to_str().unwrap().to_owned();
                    seen.send((app, auth, body.clone())).unwrap();
                    axum::Json(body)
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, fake).await.unwrap() });
    let env = [
        ("CRYSKNIFE_SERVER", t.server.as_str()),
        ("CRYSKNIFE_TOKEN", token.as_str()),
        ("DISCORD_APPLICATION_ID", "42"),
        ("DISCORD_BOT_TOKEN", "bot-secret"),
    ];
    let out = t.run_with(&["discord", "register", "--guild", "7", "--discord-api", &api], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (app_id, auth, body) = seen_rx.recv().await.unwrap();
    assert_eq!((app_id.as_str(), auth.as_str()), ("42", "Bot bot-secret"));
    assert_eq!(body, commands, "the registered JSON is what `discord commands` prints");

    t.ok(&["sandbox", "create", "discord-cli"]);
    assert!(t.ok(&["discord", "guild", "add", "81384788765712384"]).contains("GUILD REGISTERED"));
    assert_eq!(t.json(&["discord", "guild", "list"])[0]["guildId"], "81384788765712384");
    t.ok(&["discord", "guild", "remove", "81384788765712384"]);
    assert!(t.ok(&["discord", "guild", "list"]).contains("none"));
    let code = t.json(&["discord", "link-code"]);
    assert_eq!(code["code"].as_str().unwrap().len(), 10);
    failed(&t.run(&["discord", "link", "123", "--user", "admin"]), 4, "not allowed");
}
