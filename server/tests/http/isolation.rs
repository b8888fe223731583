//! A sandbox exists only for its owner, its members and admins: anyone else gets 404, on
//! every route, and learns nothing.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn another_user_probing_a_sandbox_gets_404_everywhere() {
    let app = spawn_app().await;
    let (_, alice) = app.user("qa_tester").await;
    let (_, bob) = app.user("qa_tester").await;
    let id = app.sandbox(&alice, "alices").await;
    let routes = [
        ("GET", format!("/sandbox/{id}"), None),
        ("DELETE", format!("/sandbox/{id}"), None),
        ("POST", format!("/sandbox/{id}/extend"), Some(json!({ "hours": 1 }))),
        ("GET", format!("/sandbox/{id}/audit"), None),
        ("POST", format!("/sandbox/{id}/members"), Some(json!({ "username": "admin" }))),
        ("GET", format!("/sandbox/{id}/simulations"), None),
        ("POST", format!("/sandbox/{id}/simulations"), Some(json!({ "name": "b" }))),
        ("POST", format!("/sandbox/{id}/simulation/assume"), Some(json!({ "tierId": "naib" }))),
        ("DELETE", format!("/sandbox/{id}/simulation/assume"), None),
        ("GET", format!("/sandbox/{id}/simulation/state"), None),
        ("PATCH", format!("/sandbox/{id}/simulation/state"), Some(json!({ "rank": 1 }))),
        ("POST", format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))),
        ("GET", format!("/sandbox/{id}/simulation/whoami"), None),
        ("GET", format!("/sandbox/{id}/simulation/thresholds"), None),
        ("PATCH", format!("/sandbox/{id}/simulation/thresholds"), Some(json!({ "engagement": { "engagedMin": 75 } }))),
        ("DELETE", format!("/sandbox/{id}/simulation/thresholds"), None),
        ("POST", format!("/sandbox/{id}/simulation/activity"), Some(json!({ "kind": "cta_click" }))),
    ];
    for (method, path, body) in routes {
        let answer = app.call(&bob, method, &path, body).await;
        assert_eq!(answer.status, 404, "{method} {path}: {answer:?}");
        assert_eq!(answer.code(), "NOT_FOUND");
        assert_eq!(answer.body["message"], "sandbox not found");
    }
    let never = app.call(&bob, "GET", "/sandbox/00000000-0000-0000-0000-000000000000", None).await;
    assert_eq!(never.body["message"], "sandbox not found", "a real and an invented id look the same");
    assert!(app.call(&bob, "GET", "/sandbox", None).await.body.as_array().unwrap().is_empty());
    let state = app.call(&alice, "GET", &format!("/sandbox/{id}/simulation/state"), None).await;
    assert_eq!(state.body["version"], 1, "nothing bob sent changed alice's simulation");
    let seen_by_admin = app.call(&app.admin, "GET", &format!("/sandbox/{id}"), None).await;
    assert_eq!(seen_by_admin.status, 200, "admins see every sandbox");
}
