//! `spawn_app`: a real server on a free port with a fresh database, plus HTTP helpers that
//! act as its admin and as users of each role.

use backend::settings::{Secret, Settings};
use serde_json::{json, Value};
use sqlx::Connection;
use std::time::Duration;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    /// The bootstrap admin's API token.
    pub admin: String,
    /// The app's own database, for checks that look behind the API.
    pub database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A parsed answer: status, `Retry-After`/`ETag` headers, JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `method path` with `token` and an optional JSON body.
    pub async fn call(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.call_with(token, method, path, body, &[]).await
    }

    /// Like `call`, with extra headers.
    pub async fn call_with(&self, token: &str, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Answer {
        self.send(&self.client, token, method, path, body, headers).await
    }

    /// Like `call`, waiting up to two minutes (work that may build a KRUXT template first).
    #[allow(dead_code)]
    pub async fn call_patient(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
        let patient = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
        self.send(&patient, token, method, path, body, &[]).await
    }

    async fn send(
        &self,
        client: &reqwest::Client,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = client.request(method, self.url(path)).bearer_auth(token);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, headers, body }
    }

    /// Calls a server function (`/api/v1/...`) with `token`.
    pub async fn server_fn(&self, token: &str, endpoint: &str, args: Value) -> Answer {
        self.call(token, "POST", &format!("/api/v1/{endpoint}"), Some(args)).await
    }

    /// Creates a user with `role` and returns their username and a fresh API token.
    pub async fn user(&self, role: &str) -> (String, String) {
        let username = format!("{role}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let password = "correct horse battery";
        let made = self
            .server_fn(&self.admin, "user/create", json!({ "user": { "username": username, "role": role, "password": password } }))
            .await;
        assert_eq!(made.status, 200, "{made:?}");
        let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let login = browser
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "credentials": { "username": username, "password": password } }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let token: Value =
            browser.post(self.url("/api/v1/token/create")).json(&json!({ "name": "tests" })).send().await.unwrap().json().await.unwrap();
        (username, token["token"].as_str().expect("a new token").to_owned())
    }

    /// Creates a sandbox as `token` and returns its id.
    pub async fn sandbox(&self, token: &str, name: &str) -> String {
        let made = self.call(token, "POST", "/sandbox", Some(json!({ "name": name }))).await;
        assert_eq!(made.status, 201, "{made:?}");
        made.body["id"].as_str().unwrap().to_owned()
    }

    /// Stops the server gracefully and waits for it to finish.
    #[allow(dead_code)]
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(served) = self.served.take() {
            served.await.expect("server task").expect("server stopped cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The test cluster's URL; the test command always provides one.
pub fn test_database_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL must point at the test PostgreSQL; run the tests through scripts/test")
}

/// Creates an empty database named after a fresh uuid and returns its URL.
pub async fn fresh_database() -> String {
    let admin = test_database_url();
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create database");
    conn.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("DATABASE_URL ends in a database name");
    format!("{base}/{name}")
}

/// Starts the server with in-memory hot state.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the server after `tweak` has adjusted its settings.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let admin = format!("ck_admin_{}", uuid::Uuid::new_v4().simple());
    let mut settings = Settings {
        database_url: Some(Secret::new(fresh_database().await)),
        bootstrap_token: Some(Secret::new(admin.clone())),
        log: "warn".into(),
        ..Settings::default()
    };
    tweak(&mut settings);
    let database_url = settings.database_url.as_ref().unwrap().expose().to_owned();
    let admin = settings.bootstrap_token.as_ref().map(|t| t.expose().to_owned()).unwrap_or(admin);
    server::telemetry::init(&settings);
    let mut leptos = leptos::prelude::LeptosOptions::builder().output_name("crysknife").build();
    leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    let application = server::startup::Application::build(settings, leptos).await.expect("build the server");
    let base = format!("http://127.0.0.1:{}", application.port());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(application.run_until(async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        // A store outage must be answered quickly; a hanging request fails the test.
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    TestApp { base, client, admin, database_url, shutdown: Some(tx), served: Some(served) }
}

/// The test Redis (`REDIS_URL`) with logical database `db`, so tests that flush or count keys
/// do not disturb each other.
pub fn test_redis_url(db: u8) -> String {
    let url = std::env::var("REDIS_URL").expect("REDIS_URL must point at the test Redis; run the tests through scripts/test");
    let url = url.trim_end_matches('/');
    let host_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match url[host_start..].find('/') {
        Some(i) => &url[..host_start + i],
        None => url,
    };
    format!("{server}/{db}")
}

/// The keys a sandbox owns in that Redis database.
pub async fn redis_keys(url: &str, sandbox: &str) -> Vec<String> {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("KEYS").arg(format!("sandbox:{{{sandbox}}}:*")).query_async(&mut conn).await.unwrap()
}
