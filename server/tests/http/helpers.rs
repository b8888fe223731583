//! `spawn_app`: a real server on a free port with a fresh database, plus an HTTP client.

use app::settings::{Secret, Settings};
use sqlx::Connection;
use std::time::Duration;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
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
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must point at the test PostgreSQL; run the tests through scripts/test",
    )
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
    let mut settings = Settings {
        database_url: Some(Secret::new(fresh_database().await)),
        log: "warn".into(),
        ..Settings::default()
    };
    tweak(&mut settings);
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
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    TestApp { base, client, shutdown: Some(tx), served: Some(served) }
}
