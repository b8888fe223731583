//! Who may do what: tokens, sessions, roles.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn requests_without_valid_credentials_are_401() {
    let app = spawn_app().await;
    let none = app.client.get(app.url("/sandbox")).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHENTICATED");
    assert_eq!(app.call("ck_not_a_token", "GET", "/sandbox", None).await.status, 401);
    let garbled = app.client.get(app.url("/sandbox")).header("Authorization", "Token abc").send().await.unwrap();
    assert_eq!(garbled.status(), 401);
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let app = spawn_app().await;
    let made = app.server_fn(&app.admin, "token/create", json!({ "name": "ci" })).await;
    let token = made.body["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("ck_"));
    assert_eq!(app.call(&token, "GET", "/sandbox", None).await.status, 200);
    let listed = app.server_fn(&app.admin, "token/list", json!({})).await;
    assert!(listed.body.as_array().unwrap().iter().all(|t| t.get("token").is_none()), "secrets are never listed");
    let id = made.body["id"].as_str().unwrap();
    assert_eq!(app.server_fn(&app.admin, "token/revoke", json!({ "id": id })).await.status, 200);
    assert_eq!(app.call(&token, "GET", "/sandbox", None).await.status, 401);
}

#[tokio::test]
async fn a_password_sign_in_gives_a_session_and_sign_out_ends_it() {
    let app = spawn_app().await;
    app.server_fn(&app.admin, "user/create", json!({ "user": { "username": "quinn", "role": "qa_tester", "password": "long enough" } }))
        .await;
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let wrong = browser
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "credentials": { "username": "quinn", "password": "nope" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let ok = browser
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "credentials": { "username": "QUINN", "password": "long enough" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let me: serde_json::Value = browser.post(app.url("/api/v1/auth/me")).json(&json!({})).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "quinn");
    assert_eq!(me["role"], "qa_tester");
    assert_eq!(browser.get(app.url("/sandbox")).send().await.unwrap().status(), 200, "the session works on REST too");
    browser.post(app.url("/api/v1/auth/logout")).json(&json!({})).send().await.unwrap();
    assert_eq!(browser.post(app.url("/api/v1/auth/me")).json(&json!({})).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_bootstrap_token_signs_in_as_admin_through_the_sign_in_form_too() {
    let app = spawn_app().await;
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let ok = browser.post(app.url("/api/v1/auth/login")).json(&json!({ "credentials": { "token": app.admin } })).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let me: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "qa_admin");
}

#[tokio::test]
async fn viewers_read_but_never_change_state() {
    let app = spawn_app().await;
    let (viewer, viewer_token) = app.user("viewer").await;
    let id = app.sandbox(&app.admin, "watched").await;
    app.call(&app.admin, "POST", &format!("/sandbox/{id}/members"), Some(json!({ "username": viewer }))).await;
    let check = app.call(&viewer_token, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))).await;
    assert_eq!(check.status, 200);
    for (method, rest, body) in [
        ("PATCH", "state", Some(json!({ "rank": 1 }))),
        ("POST", "assume", Some(json!({ "tierId": "naib" }))),
        ("PATCH", "thresholds", Some(json!({ "engagement": { "engagedMin": 75 } }))),
        ("DELETE", "thresholds", None),
    ] {
        let answer = app.call(&viewer_token, method, &format!("/sandbox/{id}/simulation/{rest}"), body).await;
        assert_eq!(answer.status, 403, "{method} {rest}");
        assert_eq!(answer.code(), "FORBIDDEN");
    }
    let create = app.call(&viewer_token, "POST", "/sandbox", Some(json!({ "name": "mine" }))).await;
    assert_eq!(create.status, 403);
    let state = app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulation/state"), None).await;
    assert_eq!(state.body["version"], 1);
}

#[tokio::test]
async fn only_admins_manage_users() {
    let app = spawn_app().await;
    let (_, tester) = app.user("qa_tester").await;
    let refused = app.server_fn(&tester, "user/create", json!({ "user": { "username": "eve", "role": "qa_admin" } })).await;
    assert_eq!(refused.status, 403);
    let taken = app.server_fn(&app.admin, "user/create", json!({ "user": { "username": "Admin", "role": "viewer" } })).await;
    assert_eq!(taken.status, 409);
    let short =
        app.server_fn(&app.admin, "user/create", json!({ "user": { "username": "sam", "role": "viewer", "password": "short" } })).await;
    assert_eq!(short.status, 400);
    assert_eq!(short.body["details"]["field"], "password");
}
