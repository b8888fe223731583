//! Stops the Redis the server uses and sees `/readyz` report it down, then recover.

use crate::helpers::spawn_app_with;
use backend::settings::Secret;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct PrivateRedis {
    port: u16,
    child: Option<Child>,
    dir: std::path::PathBuf,
}

impl PrivateRedis {
    fn start_on(port: u16, dir: std::path::PathBuf) -> Self {
        let bin = std::env::var("CRYSKNIFE_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(bin)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("start redis-server (installed by scripts/setup --test)");
        Self { port, child: Some(child), dir }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn hot_store(app: &crate::helpers::TestApp) -> (u16, serde_json::Value) {
    let res = app.client.get(app.url("/readyz")).send().await.expect("readyz answers");
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.unwrap();
    let hot = body["stores"].as_array().unwrap().iter().find(|s| s["name"] == "hot").unwrap().clone();
    (status, hot)
}

async fn wait_until_ready(app: &crate::helpers::TestApp, want: u16) -> serde_json::Value {
    for _ in 0..100 {
        let (status, hot) = hot_store(app).await;
        if status == want {
            return hot;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("readyz never answered {want}");
}

#[tokio::test]
async fn readyz_reports_a_stopped_redis_down_and_recovers_when_it_returns() {
    let dir = std::env::temp_dir().join(format!("crysknife-redis-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let mut redis = PrivateRedis::start_on(port, dir.clone());
    let url = redis.url();
    let app = spawn_app_with(|s| s.redis_url = Some(Secret::new(url))).await;

    let hot = wait_until_ready(&app, 200).await;
    assert_eq!(hot["backend"], "redis");
    assert_eq!(hot["up"], true);

    redis.stop();
    let (status, hot) = hot_store(&app).await;
    assert_eq!(status, 503, "a required store is down");
    assert_eq!(hot["up"], false);
    assert!(hot["problem"].is_string());

    let _restarted = PrivateRedis::start_on(port, dir.clone());
    let hot = wait_until_ready(&app, 200).await;
    assert_eq!(hot["up"], true, "the server reconnected by itself");
}
