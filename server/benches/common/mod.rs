//! What the load benchmarks share: a release `crysknife serve` process on a free loopback port,
//! stopped when dropped, and waiting until it is ready.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `$CRYSKNIFE_BIN serve` (default `target/release/crysknife`) with the bootstrap `token`
/// and a rate limit of `rate_per_minute`, with the caller's DATABASE_URL and REDIS_URL.
pub fn start(token: &str, rate_per_minute: u64) -> Server {
    let bin = std::env::var("CRYSKNIFE_BIN").unwrap_or_else(|_| "target/release/crysknife".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&bin)
        .arg("serve")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("CRYSKNIFE_BOOTSTRAP_TOKEN", token)
        .env("CRYSKNIFE_RATE_LIMIT_PER_MINUTE", rate_per_minute.to_string())
        .env("CRYSKNIFE_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {bin}: {e}"));
    Server { child, base: format!("http://127.0.0.1:{port}") }
}

impl Server {
    /// Waits (up to 30 s) until `/readyz` answers 200.
    pub async fn ready(&self, client: &reqwest::Client) {
        for _ in 0..300 {
            if client.get(format!("{}/readyz", self.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} did not become ready", self.base);
    }
}
