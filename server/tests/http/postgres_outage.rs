//! Stops the PostgreSQL the server uses and sees the server answer 503 quickly, then recover
//! by itself when the database returns.

use crate::helpers::{spawn_app_with, TestApp};
use backend::settings::Secret;
use server::embedded_pg::EmbeddedPostgres;
use std::time::Duration;

async fn postgres_status(app: &TestApp) -> (u16, serde_json::Value) {
    let res = app.client.get(app.url("/readyz")).send().await.expect("readyz answers while postgres is down");
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.unwrap();
    let pg = body["stores"].as_array().unwrap().iter().find(|s| s["name"] == "postgres").unwrap().clone();
    (status, pg)
}

#[tokio::test]
async fn readyz_reports_a_stopped_postgres_down_and_recovers_when_it_returns() {
    let dir = std::env::temp_dir().join(format!("crysknife-pg-{}", uuid::Uuid::new_v4().simple()));
    let pg = EmbeddedPostgres::start(&dir).await.expect("start a private cluster");
    let url = pg.url();
    let app = spawn_app_with(|s| s.database_url = Some(Secret::new(url))).await;
    assert_eq!(postgres_status(&app).await.0, 200);

    pg.stop().await;
    let (status, store) = postgres_status(&app).await;
    assert_eq!(status, 503);
    assert_eq!(store["up"], false);
    let info = app.client.post(app.url("/api/v1/system/info")).json(&serde_json::json!({})).send().await.unwrap();
    let info: serde_json::Value = info.json().await.unwrap();
    assert_eq!(info["schemaVersion"], serde_json::Value::Null, "nothing is read from a database that is down");

    let pg = EmbeddedPostgres::start(&dir).await.expect("restart the cluster on its old port");
    let mut recovered = false;
    for _ in 0..50 {
        if postgres_status(&app).await.0 == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the pool reconnected by itself");
    drop(app);
    pg.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
