//! Scenario files through the API: runs are stored and listed, failures carry expected,
//! actual and why, invalid files run nothing, saved files run by name, and the CLI's server
//! mode gets the same report as its offline mode.

use crate::helpers::spawn_app;
use serde_json::{json, Value};

const FAILING: &str = "name: One failure\ntheme: sietch\nscenarios:\n  - name: BGT 500 is not naib\n    when:\n      - set: {bgt: 500}\n    then:\n      - tier: {computed: naib}\n      - tier: {computed: sihaya, rule: bgt, threshold: 420}\n";

#[tokio::test]
async fn the_prd_acceptance_file_passes_through_the_api_and_the_run_is_stored() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "scenarios").await;
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/prd-acceptance.yaml")).unwrap();
    let run = app
        .call(
            &app.admin,
            "POST",
            &format!("/sandbox/{id}/simulation/scenario"),
            Some(json!({ "scenario": text, "fileName": "prd-acceptance.yaml" })),
        )
        .await;
    assert_eq!(run.status, 200, "{run:?}");
    assert_eq!(run.body["status"], "passed");
    assert!(run.body["totals"]["assertions"].as_u64().unwrap() >= 6);
    let run_id = run.body["runId"].as_str().unwrap();

    let runs = app.call(&app.admin, "GET", &format!("/sandbox/{id}/scenario-runs"), None).await;
    assert_eq!(runs.body[0]["id"], run_id);
    assert_eq!(runs.body[0]["fileName"], "prd-acceptance.yaml");
    assert_eq!(runs.body[0]["actor"], "admin");
    assert_eq!(runs.body[0]["passed"], true);
    let stored = app.call(&app.admin, "GET", &format!("/sandbox/{id}/scenario-runs/{run_id}"), None).await;
    assert_eq!(stored.body["status"], "passed");
    let junit =
        app.client.get(app.url(&format!("/sandbox/{id}/scenario-runs/{run_id}/junit"))).bearer_auth(&app.admin).send().await.unwrap();
    assert_eq!(junit.headers()["content-type"], "application/xml");
    assert!(junit.text().await.unwrap().contains("<testsuite"));
}

#[tokio::test]
async fn a_failing_assertion_reports_expected_actual_and_why() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "failing").await;
    let run = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/scenario"), Some(json!({ "scenario": FAILING }))).await;
    assert_eq!(run.status, 200);
    assert_eq!(run.body["status"], "failed");
    assert_eq!(run.body["totals"]["failed"], 1);
    let text = run.body.to_string();
    assert!(text.contains("naib") && text.contains("sihaya"), "expected and actual are reported: {text}");
    let runs = app.call(&app.admin, "GET", &format!("/sandbox/{id}/scenario-runs"), None).await;
    assert_eq!(runs.body[0]["passed"], false);
    assert_eq!(runs.body[0]["failures"], 1);
}

#[tokio::test]
async fn an_invalid_file_runs_nothing_and_names_the_path() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "invalid").await;
    let bad = "name: Bad\nscenarios:\n  - name: typo\n    then:\n      - access: {channel: war-rom, allowed: true}\n";
    let answer = app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/scenario"), Some(json!({ "scenario": bad }))).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.code(), "VALIDATION");
    let errors = answer.body["details"]["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["path"].as_str().unwrap().contains("scenarios[0].then[0]")), "{errors:?}");
    assert!(answer.body.to_string().contains("war-room"), "near matches are offered");
    let syntax =
        app.call(&app.admin, "POST", &format!("/sandbox/{id}/simulation/scenario"), Some(json!({ "scenario": "name: [unclosed" }))).await;
    assert_eq!(syntax.status, 400);
    assert!(syntax.body["details"]["errors"][0]["line"].is_number(), "{:?}", syntax.body);
    let runs = app.call(&app.admin, "GET", &format!("/sandbox/{id}/scenario-runs"), None).await;
    assert_eq!(runs.body, json!([]), "nothing ran, nothing was stored");
}

#[tokio::test]
async fn a_saved_scenario_runs_by_name_and_both_doors_agree() {
    let app = spawn_app().await;
    let id = app.sandbox(&app.admin, "saved").await;
    let saved = app.call(&app.admin, "PUT", &format!("/sandbox/{id}/scenarios/smoke"), Some(json!({ "scenario": FAILING }))).await;
    assert_eq!(saved.status, 200, "{saved:?}");
    let listed = app.call(&app.admin, "GET", &format!("/sandbox/{id}/scenarios"), None).await;
    assert_eq!(listed.body[0]["name"], "smoke");
    let by_rest = app.call(&app.admin, "POST", &format!("/sandbox/{id}/scenarios/smoke/run"), None).await;
    let by_fn = app.server_fn(&app.admin, "scenario/run_saved", json!({ "sandbox": id, "name": "smoke" })).await;
    let strip = |mut v: Value| {
        let o = v.as_object_mut().unwrap();
        o.remove("runId");
        o.remove("durationMs");
        v
    };
    assert_eq!(strip(by_rest.body), strip(by_fn.body));
    let broken = app.call(&app.admin, "PUT", &format!("/sandbox/{id}/scenarios/broken"), Some(json!({ "scenario": "scenarios: 3" }))).await;
    assert_eq!(broken.status, 400, "a file that does not parse is not saved");
    assert_eq!(app.call(&app.admin, "DELETE", &format!("/sandbox/{id}/scenarios/smoke"), None).await.status, 204);
    assert_eq!(app.call(&app.admin, "POST", &format!("/sandbox/{id}/scenarios/smoke/run"), None).await.status, 404);
}

#[tokio::test]
async fn the_cli_in_server_mode_reports_what_it_reports_offline() {
    let app = spawn_app().await;
    let dir = std::env::temp_dir().join(format!("ck-scenario-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("one-failure.yaml");
    std::fs::write(&file, FAILING).unwrap();
    let bin = env!("CARGO_BIN_EXE_crysknife");
    // The CLI runs as its own process; waiting for it off the runtime keeps the in-process
    // server answering.
    let run = |args: Vec<String>| {
        let file = file.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(bin).args(["scenario", "run"]).args(args).arg(&file).args(["--format", "json"]).output().unwrap()
        })
    };
    let offline = run(vec!["--offline".into()]).await.unwrap();
    let online = run(vec!["--server".into(), app.base.clone(), "--token".into(), app.admin.clone()]).await.unwrap();
    assert_eq!(offline.status.code(), Some(1), "{}", String::from_utf8_lossy(&offline.stderr));
    assert_eq!(online.status.code(), Some(1), "{}", String::from_utf8_lossy(&online.stderr));
    let totals = |out: &std::process::Output| serde_json::from_slice::<Value>(&out.stdout).unwrap()["totals"].clone();
    assert_eq!(totals(&offline), totals(&online));
    assert!(app.call(&app.admin, "GET", "/sandbox", None).await.body.as_array().unwrap().is_empty(), "the temporary sandbox was destroyed");
    let _ = std::fs::remove_dir_all(&dir);
}
