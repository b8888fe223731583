//! `/sandbox`: create, list, get, extend, destroy, members, audit, limits.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_new_sandbox_runs_sietch_for_24_hours_by_default() {
    let app = spawn_app().await;
    let made = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "qa-one" }))).await;
    assert_eq!(made.status, 201);
    assert_eq!(made.body["state"], "running");
    assert_eq!(made.body["themeId"], "sietch");
    assert_eq!(made.body["ttlHours"], 24);
    assert_eq!(made.body["ttlCapped"], false);
    let left = made.body["secondsLeft"].as_i64().unwrap();
    assert!((24 * 3600 - 60..=24 * 3600).contains(&left), "{left}");

    let id = made.body["id"].as_str().unwrap();
    let got = app.call(&app.admin, "GET", &format!("/sandbox/{id}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["name"], "qa-one");
    let listed = app.call(&app.admin, "GET", "/sandbox", None).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_ttl_over_a_week_is_capped_and_the_answer_says_so() {
    let app = spawn_app().await;
    let made = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "long", "ttlHours": 500 }))).await;
    assert_eq!(made.status, 201);
    assert_eq!(made.body["ttlHours"], 168);
    assert_eq!(made.body["ttlCapped"], true);
    assert!(made.body["notice"].as_str().unwrap().contains("168"));
}

#[tokio::test]
async fn bad_sandbox_requests_name_the_field_and_create_nothing() {
    let app = spawn_app().await;
    let cases = [
        (json!({ "name": "x", "ttlHours": 0 }), "ttlHours"),
        (json!({ "name": "" }), "name"),
        (json!({ "name": "bad/name" }), "name"),
        (json!({ "name": "x", "themeId": "dune" }), "themeId"),
        (json!({ "name": "x", "colour": "red" }), "colour"),
        (json!({ "name": "x", "ttlHours": "soon" }), "ttlHours"),
        (json!({ "name": "x", "members": ["nobody-here"] }), "members"),
    ];
    for (body, field) in cases {
        let answer = app.call(&app.admin, "POST", "/sandbox", Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{body}: {answer:?}");
        assert_eq!(answer.code(), "VALIDATION");
        let named = answer.body["details"]["field"].as_str().unwrap_or_default().to_owned() + answer.body["message"].as_str().unwrap();
        assert!(named.contains(field), "{body} should name {field}: {answer:?}");
    }
    let listed = app.call(&app.admin, "GET", "/sandbox", None).await;
    assert_eq!(listed.body, json!([]));
    let unknown = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "x", "themeId": "dune" }))).await;
    assert_eq!(unknown.body["details"]["valid"], json!(["sietch", "basic", "kruxt"]));
}

#[tokio::test]
async fn names_are_unique_among_live_sandboxes_only() {
    let app = spawn_app().await;
    let first = app.sandbox(&app.admin, "shared-name").await;
    let again = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "Shared-Name" }))).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "SANDBOX_NAME_TAKEN");
    assert_eq!(app.call(&app.admin, "DELETE", &format!("/sandbox/{first}"), None).await.status, 200);
    assert_eq!(app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "shared-name" }))).await.status, 201);
}

#[tokio::test]
async fn an_owner_has_at_most_five_live_sandboxes() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(app.sandbox(&app.admin, &format!("sb-{i}")).await);
    }
    let sixth = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "sb-6" }))).await;
    assert_eq!(sixth.status, 422);
    assert_eq!(sixth.code(), "SANDBOX_LIMIT");
    app.call(&app.admin, "DELETE", &format!("/sandbox/{}", ids[0]), None).await;
    assert_eq!(app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "sb-6" }))).await.status, 201);
}

#[tokio::test]
async fn extending_moves_the_expiry_and_caps_it_at_a_week_from_now() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "ext").await;
    let once = app.call(&app.admin, "POST", &format!("/sandbox/{id}/extend"), Some(json!({ "hours": 24 }))).await;
    assert_eq!(once.status, 200);
    let left = once.body["secondsLeft"].as_i64().unwrap();
    assert!(left > 47 * 3600, "{left}");
    assert_eq!(once.body["ttlCapped"], false);
    let capped = app.call(&app.admin, "POST", &format!("/sandbox/{id}/extend"), Some(json!({ "hours": 168 }))).await;
    assert_eq!(capped.body["ttlCapped"], true);
    assert!(capped.body["secondsLeft"].as_i64().unwrap() <= 168 * 3600);
    let zero = app.call(&app.admin, "POST", &format!("/sandbox/{id}/extend"), Some(json!({ "hours": 0 }))).await;
    assert_eq!(zero.status, 400);
}

#[tokio::test]
async fn a_destroyed_sandbox_cannot_be_used_and_its_audit_trail_remains() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "doomed").await;
    let gone = app.call(&app.admin, "DELETE", &format!("/sandbox/{id}"), None).await;
    assert_eq!(gone.status, 200);
    assert_eq!(gone.body["state"], "destroyed");
    let check = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))).await;
    assert_eq!(check.status, 409);
    assert_eq!(check.code(), "SANDBOX_STATE");
    let again = app.call(&app.admin, "DELETE", &format!("/sandbox/{id}"), None).await;
    assert_eq!(again.status, 409);

    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?kind=lifecycle"), None).await;
    let actions: Vec<&str> = audit.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["sandbox.cleaned", "sandbox.destroyed", "sandbox.destroying", "sandbox.running", "sandbox.creating", "sandbox.created"]
    );
    assert!(app.call(&app.admin, "GET", "/sandbox", None).await.body.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_theme_file_can_be_uploaded_and_a_broken_one_is_refused_by_field() {
    let app = spawn_app().await;
    let basic = domain::Theme::builtin_source("basic").unwrap();
    let made = app
        .call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "custom", "themeFile": { "format": "toml", "content": basic } })))
        .await;
    assert_eq!(made.status, 201, "{made:?}");
    let id = made.body["id"].as_str().unwrap();
    app.call(&app.admin, "PATCH", &format!("/sandbox/{id}/simulation/state"), Some(json!({ "rank": 3 }))).await;
    let tier = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))).await;
    assert_eq!(tier.body["tierId"], "gold");

    let broken = basic.replacen("gold", "platinum", 1);
    let refused = app
        .call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "broken", "themeFile": { "format": "toml", "content": broken } })))
        .await;
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(!refused.body["details"]["errors"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn members_see_the_sandbox_and_the_audit_records_who_joined() {
    let app = spawn_app().await;
    let (tester, tester_token) = app.user("qa_tester").await;
    let id = app.sandbox(&app.admin, "team").await;
    assert_eq!(app.call(&tester_token, "GET", &format!("/sandbox/{id}"), None).await.status, 404);
    let added = app.call(&app.admin, "POST", &format!("/sandbox/{id}/members"), Some(json!({ "username": tester }))).await;
    assert_eq!(added.body["members"], json!([tester]));
    assert_eq!(app.call(&tester_token, "GET", &format!("/sandbox/{id}"), None).await.status, 200);
    let forbidden = app.call(&tester_token, "DELETE", &format!("/sandbox/{id}"), None).await;
    assert_eq!(forbidden.status, 403, "members may use but not destroy");
    let removed = app.call(&app.admin, "DELETE", &format!("/sandbox/{id}/members/{tester}"), None).await;
    assert_eq!(removed.body["members"], json!([]));
    assert_eq!(app.call(&tester_token, "GET", &format!("/sandbox/{id}"), None).await.status, 404);
    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?action=member"), None).await;
    assert_eq!(audit.body.as_array().unwrap().len(), 2);
}
