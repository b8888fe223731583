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
        async move { app.call_with(&app.admin, "PATCH", &path, Some(json!({ "rank": rank })), &[("If-Match", "\"1\"")]).await }
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

/// Found by Schemathesis: an extension (which updates the sandbox row, then writes an audit
/// row naming its owner) and a creation by the same owner under the same live name (which locks
/// the owner, then waits on the name's unique index for the extension) deadlocked, and one of
/// them answered 500. The owner lock must not block rows that merely reference the owner.
#[tokio::test]
async fn an_extension_and_a_creation_under_the_same_name_do_not_deadlock() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "twin").await;

    // The extension's transaction, held open by the test after its update.
    let mut db = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query("UPDATE sandbox SET expires_at = expires_at + interval '1 hour', updated_at = now() WHERE id = $1::uuid")
        .bind(&id)
        .execute(&mut *tx)
        .await
        .unwrap();

    // The creation now holds the owner's lock and waits for that transaction on the name.
    let (client, url, token) = (app.client.clone(), app.url("/sandbox"), app.admin.clone());
    let creation = tokio::spawn(async move {
        let res = client.post(url).bearer_auth(token).json(&json!({ "name": "twin" })).send().await.unwrap();
        (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap())
    });
    let mut watcher = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    let mut waiting = false;
    for _ in 0..100 {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO sandbox (id%'",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        if n == 1 {
            waiting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(waiting, "the creation waits on the name held by the open extension");

    // The extension's audit row names the owner; it must not wait for the creation.
    sqlx::query("SET LOCAL lock_timeout = '3s'").execute(&mut *tx).await.unwrap();
    let audit = sqlx::query(
        "INSERT INTO sandbox_audit (sandbox_id, actor_id, action, detail)
         SELECT id, owner_id, 'sandbox.extended', '{}' FROM sandbox WHERE id = $1::uuid",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await;
    assert!(audit.is_ok(), "the extension's audit write went through: {audit:?}");
    tx.commit().await.unwrap();

    let (status, body) = creation.await.unwrap();
    assert_eq!((status, body["code"].as_str()), (409, Some("SANDBOX_NAME_TAKEN")), "{body}");
}
