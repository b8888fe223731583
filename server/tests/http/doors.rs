//! The REST door and the server-function door call the same services: the same question gets
//! the same answer, errors included.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn rest_and_server_functions_give_identical_answers() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "doors").await;
    app.call(&app.admin, "PATCH", &format!("/sandbox/{id}/simulation/state"), Some(json!({ "rank": 42, "bgtBalance": "340" }))).await;

    let pairs = [
        (
            ("POST", "check", Some(json!({ "type": "channel", "target": "council-chamber" }))),
            ("simulation/check", json!({ "sandbox": id, "check": { "type": "channel", "target": "council-chamber" } })),
        ),
        (("POST", "check", Some(json!({ "type": "all" }))), ("simulation/check", json!({ "sandbox": id, "check": { "type": "all" } }))),
        (
            ("POST", "check", Some(json!({ "type": "feature", "target": "elite_access" }))),
            ("simulation/check", json!({ "sandbox": id, "check": { "type": "feature", "target": "elite_access" } })),
        ),
        (("GET", "state", None), ("simulation/state", json!({ "sandbox": id }))),
        (("GET", "whoami", None), ("simulation/whoami", json!({ "sandbox": id }))),
        (("GET", "thresholds", None), ("simulation/thresholds", json!({ "sandbox": id }))),
        (
            ("POST", "check", Some(json!({ "type": "channel", "target": "nowhere" }))),
            ("simulation/check", json!({ "sandbox": id, "check": { "type": "channel", "target": "nowhere" } })),
        ),
    ];
    for ((method, rest, body), (endpoint, args)) in pairs {
        let via_rest = app.call(&app.admin, method, &format!("/sandbox/{id}/simulation/{rest}"), body).await;
        let via_fn = app.server_fn(&app.admin, endpoint, args).await;
        assert_eq!(via_rest.status, via_fn.status, "{rest}");
        assert_eq!(via_rest.body, via_fn.body, "{rest}: the two doors differ");
    }

    let rest_sandbox = app.call(&app.admin, "GET", &format!("/sandbox/{id}"), None).await;
    let fn_sandbox = app.server_fn(&app.admin, "sandbox/get", json!({ "id": id })).await;
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("secondsLeft");
        v
    };
    assert_eq!(strip(rest_sandbox.body), strip(fn_sandbox.body));

    let missing_rest = app.call(&app.admin, "GET", "/sandbox/not-a-sandbox", None).await;
    let missing_fn = app.server_fn(&app.admin, "sandbox/get", json!({ "id": "not-a-sandbox" })).await;
    assert_eq!((missing_rest.status, &missing_rest.body), (missing_fn.status, &missing_fn.body));
}

#[tokio::test]
async fn a_change_through_one_door_is_seen_through_the_other() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "cross").await;
    let changed = app
        .server_fn(&app.admin, "simulation/patch_state", json!({ "sandbox": id, "patch": { "bgtBalance": "1111" }, "version": 1 }))
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let seen = app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulation/whoami"), None).await;
    assert_eq!(seen.body["tier"]["tierId"], "usul");
    let stale = app.server_fn(&app.admin, "simulation/patch_state", json!({ "sandbox": id, "patch": { "rank": 1 }, "version": 1 })).await;
    assert_eq!(stale.status, 409);
    assert_eq!(stale.code(), "VERSION_CONFLICT");
}
