//! Optimistic concurrency: writers naming the same version race and exactly one wins; the
//! events always replay to the final state.

use crate::helpers::spawn_app;
use serde_json::json;
use sqlx::Connection;

#[tokio::test]
async fn fifty_conflicting_writers_on_one_version_have_exactly_one_winner() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "race").await;
    let path = format!("/sandbox/{id}/simulation/state");
    let writers = (1..=50u32).map(|rank| {
        let app = &app;
        let path = path.clone();
        async move {
            app.call_with(&app.admin, "PATCH", &path, Some(json!({ "rank": rank })), &[("If-Match", "\"1\"")]).await
        }
    });
    let answers = futures_util::future::join_all(writers).await;
    let winners: Vec<_> = answers.iter().filter(|a| a.status == 200).collect();
    assert_eq!(winners.len(), 1, "exactly one writer wins version 1");
    assert!(answers.iter().filter(|a| a.status != 200).all(|a| a.status == 409 && a.code() == "VERSION_CONFLICT"));
    let state = app.call(&app.admin, "GET", &path, None).await;
    assert_eq!(state.body["version"], 2);
    assert_eq!(state.body["rank"], winners[0].body["rank"]);
}

#[tokio::test]
async fn unconditional_concurrent_writers_all_apply_and_the_events_match_the_state() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "serial").await;
    let path = format!("/sandbox/{id}/simulation/state");
    let writers = (1..=50u32).map(|days| {
        let (app, path) = (&app, path.clone());
        async move { app.call(&app.admin, "PATCH", &path, Some(json!({ "tenureDays": days }))).await }
    });
    let answers = futures_util::future::join_all(writers).await;
    assert!(answers.iter().all(|a| a.status == 200));
    let state = app.call(&app.admin, "GET", &path, None).await;
    assert_eq!(state.body["version"], 51);

    let mut db = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    let (count, last): (i64, serde_json::Value) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM simulation_event WHERE sandbox_id = $1::uuid),
                (SELECT after FROM simulation_event WHERE sandbox_id = $1::uuid ORDER BY version DESC LIMIT 1)",
    )
    .bind(&id)
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(count, 51, "one event per change, plus the creation");
    assert_eq!(last["version"], 51);
    assert_eq!(last["simulatedState"]["tenureDays"], state.body["tenureDays"]);
}
