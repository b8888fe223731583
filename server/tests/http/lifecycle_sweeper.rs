//! The sweeper marks sandboxes past their expiry as expired and cleans them up, by itself.

use crate::helpers::{redis_keys, spawn_app_with, test_redis_url};
use backend::settings::Secret;
use serde_json::json;
use sqlx::Connection;
use std::time::Duration;

#[tokio::test]
async fn an_expired_sandbox_is_swept_and_its_redis_keys_removed() {
    let url = test_redis_url(4);
    let app = spawn_app_with(|s| {
        s.redis_url = Some(Secret::new(url.clone()));
        s.sweep_interval_seconds = 1;
    })
    .await;
    let id = app.sandbox(&app.admin, "short-lived").await;
    let keep = app.sandbox(&app.admin, "long-lived").await;
    app.call(&app.admin, "PATCH", &format!("/sandbox/{id}/simulation/state"), Some(json!({ "rank": 3 }))).await;
    assert!(!redis_keys(&url, &id).await.is_empty());

    let mut db = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE sandbox SET expires_at = now() - interval '1 second' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&mut db)
        .await
        .unwrap();

    let mut state = String::new();
    for _ in 0..50 {
        let got = app.call(&app.admin, "GET", &format!("/sandbox/{id}"), None).await;
        state = got.body["state"].as_str().unwrap().to_owned();
        if state == "destroyed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(state, "destroyed");
    assert!(redis_keys(&url, &id).await.is_empty(), "the sweeper removed the sandbox's keys");
    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?kind=lifecycle&limit=4"), None).await;
    let actions: Vec<&str> = audit.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["sandbox.cleaned", "sandbox.destroyed", "sandbox.destroying", "sandbox.expired"]);
    assert!(audit.body.as_array().unwrap().iter().all(|e| e["actor"].is_null()), "the system acted");

    let other = app.call(&app.admin, "GET", &format!("/sandbox/{keep}"), None).await;
    assert_eq!(other.body["state"], "running", "a sandbox not yet due is left alone");
}

#[tokio::test]
async fn a_sandbox_past_its_expiry_refuses_use_even_before_the_sweeper_runs() {
    let app = spawn_app_with(|s| s.sweep_interval_seconds = 3600).await;
    let id = app.sandbox(&app.admin, "late").await;
    let mut db = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE sandbox SET expires_at = now() - interval '1 second' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&mut db)
        .await
        .unwrap();
    // The cached row expires within 30 s at most; ask PostgreSQL's truth by waiting it out is
    // too slow, so drop the cache the way any change does: through a membership change.
    app.call(&app.admin, "POST", &format!("/sandbox/{id}/members"), Some(json!({ "username": "admin" }))).await;
    let check = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))).await;
    assert_eq!(check.status, 409);
    assert_eq!(check.body["details"]["state"], "expired");
}
