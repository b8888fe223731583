//! `/sandbox/:id/simulation/...`: the PRD's acceptance scenarios (section 9.1), state,
//! thresholds, simulations, and bad input that changes nothing.

use crate::helpers::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn sim(app: &TestApp, id: &str, method: &str, rest: &str, body: Option<Value>) -> crate::helpers::Answer {
    app.call(&app.admin, method, &format!("/sandbox/{id}/simulation/{rest}"), body).await
}

#[tokio::test]
async fn prd_acceptance_qa_assumes_fedaykin_and_checks_war_room() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "test-sandbox").await;
    let who = sim(&app, &id, "POST", "assume", Some(json!({ "tierId": "fedaykin" }))).await;
    assert_eq!(who.status, 200);
    assert_eq!(who.body["tier"]["tierId"], "fedaykin");
    assert_eq!(who.body["assumedRole"]["permissions"], json!(["view_all", "vote", "elite_access", "water_share"]));
    let check = sim(&app, &id, "POST", "check", Some(json!({ "type": "channel", "target": "war-room" }))).await;
    assert_eq!(check.status, 200);
    assert_eq!(check.body["allowed"], true);
    assert_eq!(check.body["effectiveTier"], "fedaykin");
    assert_eq!(check.body["requiredTier"], "fedaykin");
    assert!(check.body["embed"]["title"].as_str().unwrap().starts_with("ACCESS GRANTED"));
}

#[tokio::test]
async fn prd_acceptance_bgt_500_computes_sihaya_with_threshold_420() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "bgt").await;
    assert_eq!(sim(&app, &id, "PATCH", "state", Some(json!({ "bgtBalance": 500 }))).await.status, 200);
    let tier = sim(&app, &id, "POST", "check", Some(json!({ "type": "tier" }))).await;
    assert_eq!(tier.body["computed"]["tierId"], "sihaya");
    assert_eq!(tier.body["computed"]["boundary"], "BGT >= 420");
}

#[tokio::test]
async fn prd_acceptance_rank_5_computes_naib_with_boundary_1_to_7() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "rank").await;
    sim(&app, &id, "PATCH", "state", Some(json!({ "rank": 5 }))).await;
    let tier = sim(&app, &id, "POST", "check", Some(json!({ "type": "tier" }))).await;
    assert_eq!(tier.body["computed"]["tierId"], "naib");
    assert_eq!(tier.body["computed"]["boundary"], "rank 1-7");
}

#[tokio::test]
async fn prd_acceptance_hajra_is_denied_council_chamber_with_the_top_7_hint() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "denied").await;
    sim(&app, &id, "POST", "assume", Some(json!({ "tierId": "hajra" }))).await;
    let check = sim(&app, &id, "POST", "check", Some(json!({ "type": "channel", "target": "#Council-Chamber" }))).await;
    assert_eq!(check.body["allowed"], false);
    assert_eq!(check.body["requiredTier"], "naib");
    assert_eq!(check.body["blurLevel"], 1.0);
    let text = check.body.to_string();
    assert!(text.contains("Top 7"), "{text}");
}

#[tokio::test]
async fn state_changes_are_versioned_and_reset_assume_returns_to_the_computed_tier() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "versions").await;
    let first = sim(&app, &id, "GET", "state", None).await;
    assert_eq!(first.body["version"], 1);
    assert_eq!(first.headers["etag"], "\"1\"");
    assert_eq!(first.body["engagementStage"], "free");
    let staged = sim(&app, &id, "PATCH", "state", Some(json!({ "engagementStage": "engaged", "tenureDays": 200 }))).await;
    assert_eq!(staged.body["version"], 2);
    assert_eq!(staged.body["engagementStage"], "engaged");
    assert!(staged.body["engagementPoints"].as_u64().unwrap() >= 50);
    sim(&app, &id, "POST", "assume", Some(json!({ "tierId": "naib" }))).await;
    let reset = sim(&app, &id, "DELETE", "assume", None).await;
    assert_eq!(reset.body["assumedRole"], Value::Null);
    assert_eq!(reset.body["tier"]["tierId"], "hajra");
    assert_eq!(reset.body["version"], 4);
    let badges = sim(&app, &id, "POST", "check", Some(json!({ "type": "badges" }))).await;
    assert!(badges.body.to_string().contains("\"og\""), "tenure 200 earns og: {}", badges.body);
}

#[tokio::test]
async fn thresholds_are_overridden_shown_and_reset() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "thresholds").await;
    sim(&app, &id, "PATCH", "state", Some(json!({ "engagementPoints": 60 }))).await;
    assert_eq!(sim(&app, &id, "GET", "state", None).await.body["engagementStage"], "engaged");
    let changed =
        sim(&app, &id, "PATCH", "thresholds", Some(json!({ "engagement": { "engagedMin": 75 }, "bgt": { "sihaya": 400 } }))).await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let lines = changed.body["lines"].as_array().unwrap();
    assert_eq!(lines.iter().filter(|l| l.as_str().unwrap().contains("(overridden)")).count(), 2, "{lines:?}");
    assert_eq!(sim(&app, &id, "GET", "state", None).await.body["engagementStage"], "free", "ENGAGED_MIN 75 moves 60 points back to free");
    let who = sim(&app, &id, "GET", "whoami", None).await;
    assert_eq!(who.body["thresholdsOverridden"], true);
    let reset = sim(&app, &id, "DELETE", "thresholds", None).await;
    assert!(!reset.body.to_string().contains("(overridden)"));
    assert_eq!(sim(&app, &id, "GET", "state", None).await.body["engagementStage"], "engaged");
}

#[tokio::test]
async fn an_ambiguous_or_meaningless_override_is_refused_with_the_conflict_named() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "bad-thresholds").await;
    for body in [
        json!({ "bgt": { "sihaya": 10 } }),
        json!({ "tiers": { "usul": { "minRank": 3 } } }),
        json!({ "bgt": { "naib": 5 } }),
        json!({ "engagement": { "engagedMin": -1 } }),
        json!({ "tiers": { "naib": { "minRank": 1, "maxRank": 10 } } }),
    ] {
        let answer = sim(&app, &id, "PATCH", "thresholds", Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{body}: {answer:?}");
        assert!(!answer.body["details"]["field"].as_str().unwrap().is_empty(), "{answer:?}");
    }
    assert_eq!(sim(&app, &id, "GET", "state", None).await.body["version"], 1, "nothing was written");
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field_and_writes_no_event() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "bad-input").await;
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        ("PATCH", "state", json!({ "bgtBalance": -5 }), "bgtBalance"),
        ("PATCH", "state", json!({ "bgtBalance": "NaN" }), "bgtBalance"),
        ("PATCH", "state", json!({ "bgtBalance": "0.0000000000000000001" }), "bgtBalance"),
        ("PATCH", "state", json!({ "rank": 0 }), "rank"),
        ("PATCH", "state", json!({ "rank": 2.5 }), "rank"),
        ("PATCH", "state", json!({ "engagementStage": "elite" }), "engagementStage"),
        ("PATCH", "state", json!({ "tenureDays": "long" }), "tenureDays"),
        ("PATCH", "state", json!({ "favouriteColour": "blue" }), "favouriteColour"),
        ("PATCH", "state", json!({}), "body"),
        ("POST", "assume", json!({ "tierId": "sultan" }), "tierId"),
        ("POST", "assume", json!({ "tier": "naib" }), "tier"),
        ("POST", "check", json!({ "type": "channel", "target": "war-rooom" }), "target"),
        ("POST", "check", json!({ "type": "feature", "target": "fly" }), "target"),
        ("POST", "check", json!({ "type": "vibes" }), "type"),
        ("POST", "activity", json!({ "kind": "dancing" }), "kind"),
    ];
    for (method, rest, body, field) in cases {
        let answer = sim(&app, &id, method, rest, Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{method} {rest} {body}: {answer:?}");
        assert_eq!(answer.code(), "VALIDATION");
        let text = answer.body.to_string();
        assert!(text.contains(field), "{body} should name {field}: {text}");
    }
    let unknown = sim(&app, &id, "POST", "check", Some(json!({ "type": "channel", "target": "war-rooom" }))).await;
    assert_eq!(unknown.body["details"]["nearMatches"], json!(["war-room"]));
    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?kind=simulation"), None).await;
    assert_eq!(audit.body.as_array().unwrap().len(), 1, "only the creation event exists");
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_413() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "big").await;
    let padding = "x".repeat(70 * 1024);
    let answer = sim(&app, &id, "PATCH", "state", Some(json!({ "note": padding }))).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), "PAYLOAD_TOO_LARGE");
    let via_fn = app.server_fn(&app.admin, "simulation/patch_state", json!({ "sandbox": id, "patch": { "note": padding } })).await;
    assert_eq!(via_fn.status, 413);
}

#[tokio::test]
async fn malformed_json_reports_line_and_column() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "syntax").await;
    let res = app
        .client
        .patch(app.url(&format!("/sandbox/{id}/simulation/state")))
        .bearer_auth(&app.admin)
        .body("{\n  \"rank\": ,\n}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["details"]["line"], 2);
}

#[tokio::test]
async fn simulations_are_selected_with_the_simulation_parameter() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "many").await;
    let made = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulations"), Some(json!({ "name": "whale" }))).await;
    assert_eq!(made.status, 201);
    let dup = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulations"), Some(json!({ "name": "whale" }))).await;
    assert_eq!(dup.status, 409);
    sim(&app, &id, "PATCH", "state?simulation=whale", Some(json!({ "bgtBalance": 5000 }))).await;
    let whale = sim(&app, &id, "GET", "whoami?simulation=whale", None).await;
    assert_eq!(whale.body["tier"]["tierId"], "usul");
    let default = sim(&app, &id, "GET", "whoami", None).await;
    assert_eq!(default.body["tier"]["tierId"], "hajra");
    let by_id = sim(&app, &id, "GET", &format!("state?simulation={}", made.body["id"].as_str().unwrap()), None).await;
    assert_eq!(by_id.body["bgtBalance"], "5000");
    let missing = sim(&app, &id, "GET", "state?simulation=ghost", None).await;
    assert_eq!(missing.status, 404);
    let listed = app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulations"), None).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_sandbox_holds_a_thousand_live_simulations() {
    let app = crate::helpers::spawn_app_with(|s| s.rate_limit_per_minute = 5_000).await;
    let id = app.sandbox(&app.admin, "crowd").await;
    let mut created = 0;
    for chunk in (0..1000).collect::<Vec<_>>().chunks(50) {
        let path = format!("/sandbox/{id}/simulations");
        let calls = chunk.iter().map(|i| app.call(&app.admin, "POST", &path, Some(json!({ "name": format!("member-{i}") }))));
        for answer in futures_util::future::join_all(calls).await {
            assert_eq!(answer.status, 201, "{answer:?}");
            created += 1;
        }
    }
    assert_eq!(created, 1000);
    sim(&app, &id, "PATCH", "state?simulation=member-999", Some(json!({ "rank": 3 }))).await;
    let tier = sim(&app, &id, "POST", "check?simulation=member-999", Some(json!({ "type": "tier" }))).await;
    assert_eq!(tier.body["tierId"], "naib");
    let listed = app.call(&app.admin, "GET", &format!("/sandbox/{id}/simulations"), None).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1001);
}

#[tokio::test]
async fn simulated_activity_earns_points_under_the_hourly_cap() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "activity").await;
    let at = "2026-11-23T10:00:00Z";
    let first = sim(&app, &id, "POST", "activity", Some(json!({ "kind": "cta_click", "at": at }))).await;
    assert_eq!(first.status, 200, "{first:?}");
    let second = sim(&app, &id, "POST", "activity", Some(json!({ "kind": "cta_click", "at": "2026-11-23T10:05:00Z" }))).await;
    assert_eq!(second.status, 200);
    let state = sim(&app, &id, "GET", "state", None).await;
    assert_eq!(state.body["engagementPoints"], 10, "the hourly cap of 10 holds");
}

#[tokio::test]
async fn a_body_declared_as_another_type_is_refused_with_415_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "media").await;
    let extend = app.url(&format!("/sandbox/{id}/extend"));
    let res = app
        .client
        .post(&extend)
        .bearer_auth(&app.admin)
        .header("content-type", "text/plain")
        .body(r#"{"hours": 24}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "UNSUPPORTED_MEDIA_TYPE");
    assert_eq!(body["details"]["field"], "Content-Type");
    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?kind=lifecycle"), None).await;
    let extended = |a: &Value| a.as_array().unwrap().iter().filter(|e| e["action"] == "sandbox.extended").count();
    assert_eq!(extended(&audit.body), 0, "nothing was extended");

    // The same body declared as JSON (parameters and `+json` types included) is read.
    for declared in ["application/json; charset=utf-8", "application/merge-patch+json"] {
        let res =
            app.client.post(&extend).bearer_auth(&app.admin).header("content-type", declared).body(r#"{"hours": 1}"#).send().await.unwrap();
        assert_eq!(res.status(), 200, "{declared}");
    }
    let audit = app.call(&app.admin, "GET", &format!("/sandbox/{id}/audit?kind=lifecycle"), None).await;
    assert_eq!(extended(&audit.body), 2);
}
