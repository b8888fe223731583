//! The hot copy is a cache: flushing Redis mid-run loses nothing, because every acknowledged
//! change is in `simulation_event` first.

use crate::helpers::spawn_app_with;
use backend::settings::Secret;
use serde_json::json;

use crate::helpers::{redis_keys, test_redis_url};

#[tokio::test]
async fn flushing_redis_mid_run_loses_no_acknowledged_change() {
    let url = test_redis_url(1);
    let app = spawn_app_with(|s| s.redis_url = Some(Secret::new(url.clone()))).await;
    let id = app.sandbox(&app.admin, "flush").await;
    let base = format!("/sandbox/{id}/simulation");
    app.call(&app.admin, "PATCH", &format!("{base}/state"), Some(json!({ "bgtBalance": "690.5", "tenureDays": 91 }))).await;
    app.call(&app.admin, "POST", &format!("{base}/assume"), Some(json!({ "tierId": "usul" }))).await;
    app.call(&app.admin, "PATCH", &format!("{base}/thresholds"), Some(json!({ "engagement": { "engagedMin": 20 } }))).await;
    let before = app.call(&app.admin, "GET", &format!("{base}/whoami"), None).await;
    assert!(!redis_keys(&url, &id).await.is_empty(), "the context is cached in Redis");

    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("FLUSHDB").query_async(&mut conn).await.unwrap();
    assert!(redis_keys(&url, &id).await.is_empty());

    let after = app.call(&app.admin, "GET", &format!("{base}/whoami"), None).await;
    assert_eq!(after.status, 200);
    assert_eq!(after.body, before.body, "the context was rebuilt from the events");
    let next = app.call(&app.admin, "PATCH", &format!("{base}/state"), Some(json!({ "rank": 9 }))).await;
    assert_eq!(next.body["version"], before.body["version"].as_i64().unwrap() + 1);
    assert_eq!(next.body["bgtBalance"], "690.5");
}

#[tokio::test]
async fn destroying_a_sandbox_removes_its_redis_keys() {
    let url = test_redis_url(2);
    let app = spawn_app_with(|s| s.redis_url = Some(Secret::new(url.clone()))).await;
    let id = app.sandbox(&app.admin, "tidy").await;
    app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulation/state"), None).await;
    assert!(!redis_keys(&url, &id).await.is_empty());
    app.call(&app.admin, "DELETE", &format!("/sandbox/{id}"), None).await;
    assert!(redis_keys(&url, &id).await.is_empty());
}
