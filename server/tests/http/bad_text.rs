//! Text PostgreSQL cannot store and names nobody can guess: a NUL character anywhere is refused
//! at the edge with `400 VALIDATION` naming the field, before anything changes; an unknown tier,
//! badge, channel or KRUXT actor is answered with what is allowed.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_nul_character_is_refused_at_every_door_naming_the_field_and_changing_nothing() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "nul").await;

    let member = app.call(&app.admin, "POST", &format!("/sandbox/{id}/members"), Some(json!({ "username": "\u{0}\u{d0}" }))).await;
    assert_eq!(member.status, 400, "{member:?}");
    assert_eq!(member.code(), "VALIDATION");
    assert_eq!(member.body["details"]["field"], "username");

    let named = app.call(&app.admin, "POST", "/sandbox", Some(json!({ "name": "bad\u{0}name" }))).await;
    assert_eq!((named.status, named.body["details"]["field"].as_str()), (400, Some("name")), "{named:?}");

    let scenario = app
        .call(
            &app.admin,
            "POST",
            &format!("/sandbox/{id}/simulation/scenario"),
            Some(json!({ "scenario": "name: x\u{0}", "fileName": "x.yaml" })),
        )
        .await;
    assert_eq!((scenario.status, scenario.body["details"]["field"].as_str()), (400, Some("scenario")), "{scenario:?}");

    let via_fn = app.server_fn(&app.admin, "sandbox/add_member", json!({ "id": id, "username": "a\u{0}" })).await;
    assert_eq!(via_fn.status, 400, "{via_fn:?}");
    assert_eq!(via_fn.body["details"]["field"], "username", "{via_fn:?}");

    let saved = app.call(&app.admin, "PUT", &format!("/sandbox/{id}/scenarios/a%00b"), Some(json!({ "scenario": "name: x" }))).await;
    assert_eq!((saved.status, saved.body["details"]["field"].as_str()), (400, Some("path")), "{saved:?}");

    let query = app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulation/state?simulation=a%00"), None).await;
    assert_eq!((query.status, query.body["details"]["field"].as_str()), (400, Some("simulation")), "{query:?}");

    // Nothing was written: the sandbox has no members and only its default simulation's events.
    let sandbox = app.call(&app.admin, "GET", &format!("/sandbox/{id}"), None).await;
    assert_eq!(sandbox.body["members"], json!([]), "{sandbox:?}");
    let list = app.call(&app.admin, "GET", "/sandbox", None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "no sandbox named with a NUL was created");
}

#[tokio::test]
async fn a_nul_escaped_inside_a_scenario_file_is_refused_with_its_path() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "nul-file").await;
    let file = "name: escaped\nscenarios:\n  - name: \"a\\0b\"\n    given: { tier: naib }\n    then: [{ tier: naib }]\n";
    let run = app
        .call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/scenario"), Some(json!({ "scenario": file, "fileName": "x.yaml" })))
        .await;
    assert_eq!(run.status, 400, "{run:?}");
    let errors = run.body["details"]["errors"].as_array().expect("the parser's errors");
    assert!(errors.iter().any(|e| e["path"] == "scenarios[0].name"), "{run:?}");
}

#[tokio::test]
async fn unknown_names_come_back_with_what_is_allowed() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "enums").await;
    let tier = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/assume"), Some(json!({ "tierId": "emperor" }))).await;
    assert_eq!(tier.status, 400, "{tier:?}");
    let message = tier.body["message"].as_str().unwrap();
    for known in ["naib", "fedaykin", "usul", "hajra"] {
        assert!(message.contains(known), "{message} lists {known}");
    }
    let near = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/assume"), Some(json!({ "tierId": "fedaykn" }))).await;
    assert!(near.body["message"].as_str().unwrap().contains("did you mean fedaykin"), "{near:?}");

    let badge = app
        .call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/assume"), Some(json!({ "tierId": "naib", "badges": ["zzzzzzzz"] })))
        .await;
    assert!(badge.body["message"].as_str().unwrap().contains("allowed: "), "{badge:?}");

    let check = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "colour" }))).await;
    assert_eq!(check.status, 400);
    assert!(check.body["message"].as_str().unwrap().contains("channel"), "{check:?}");
}
