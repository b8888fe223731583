//! KRUXT sandboxes over HTTP against the test cluster: each sandbox gets its own database cloned
//! from the template, Crysknife acts as KRUXT users inside it (the database's own policies
//! decide), the staff console flow, the RLS matrix, scenarios, reset and clean-up.

use crate::helpers::{spawn_app, Answer, TestApp};
use serde_json::{json, Value};
use sqlx::Connection;

const BZONE: &str = "10000000-0000-4000-8000-000000000001";
const PAOLO_PENDING: &str = "a0000000-0000-4000-8000-000000000107";

/// Calls as the admin with a generous timeout: the first KRUXT sandbox of a cluster builds the
/// template.
async fn slow(app: &TestApp, method: &str, path: &str, body: Option<Value>) -> Answer {
    app.call_patient(&app.admin, method, path, body).await
}

async fn kruxt_sandbox(app: &TestApp, name: &str) -> String {
    let made = slow(app, "POST", "/sandbox", Some(json!({ "name": name, "themeId": "kruxt" }))).await;
    assert_eq!(made.status, 201, "{made:?}");
    assert_eq!(made.body["themeId"], "kruxt");
    made.body["id"].as_str().unwrap().to_owned()
}

async fn database_exists(app: &TestApp, name: &str) -> bool {
    let mut conn = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
    let found: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)").bind(name).fetch_one(&mut conn).await.unwrap();
    conn.close().await.ok();
    found
}

async fn assume(app: &TestApp, id: &str, actor: &str) -> Answer {
    let answer = slow(app, "POST", &format!("/sandbox/{id}/kruxt/assume"), Some(json!({ "actor": actor }))).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer
}

/// Sends a scenario file to a sandbox's scenario endpoint.
async fn run_file(app: &TestApp, id: &str, file: &str, name: &str) -> Answer {
    slow(app, "POST", &format!("/sandbox/{id}/simulation/scenario"), Some(json!({ "scenario": file, "fileName": name }))).await
}

async fn query(app: &TestApp, id: &str, sql: &str) -> Answer {
    slow(app, "POST", &format!("/sandbox/{id}/kruxt/query"), Some(json!({ "sql": sql }))).await
}

#[tokio::test]
async fn a_kruxt_sandbox_owns_a_database_and_acts_as_its_users() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "gym").await;
    let database = format!("sandbox_{}", id.replace('-', ""));
    assert!(database_exists(&app, &database).await, "the sandbox's own database exists");

    // Anonymous at the seed anchor until someone is assumed.
    let status = slow(&app, "GET", &format!("/sandbox/{id}/kruxt"), None).await;
    assert_eq!(status.status, 200, "{status:?}");
    assert_eq!(status.body["actor"]["key"], "anon");
    assert_eq!(status.body["database"], database);
    assert!(status.body["gyms"].as_array().unwrap().iter().any(|g| g["id"] == BZONE));

    let actors = slow(&app, "GET", &format!("/sandbox/{id}/kruxt/actors"), None).await;
    let keys: Vec<&str> = actors.body.as_array().unwrap().iter().map(|a| a["key"].as_str().unwrap()).collect();
    assert!(keys.starts_with(&["service", "anon"]), "{keys:?}");
    assert!(keys.contains(&"sara_conti") && keys.contains(&"marco_bianchi"));

    // Item 1: each user sees only their own device connections.
    assume(&app, &id, "sara_conti").await;
    let own = query(&app, &id, "select user_id from device_connections").await;
    assert_eq!(own.status, 200, "{own:?}");
    assert_eq!(own.body["rowCount"], 2);
    assert!(own.body["rows"].as_array().unwrap().iter().all(|r| r[0] == "20000000-0000-4000-8000-000000000004"));
    assume(&app, &id, "davide_romano").await;
    let other = query(&app, &id, "select * from device_connections where user_id = '20000000-0000-4000-8000-000000000004'").await;
    assert_eq!(other.body["rowCount"], 0, "another user's rows are invisible: {other:?}");

    // The exploration query is read-only and reports errors with their SQLSTATE.
    let write = query(&app, &id, "delete from device_connections").await;
    assert_eq!(write.status, 400, "{write:?}");
    assert_eq!(write.body["details"]["sqlstate"], "42601");
    assert_eq!(write.body["sqlstate"], "42601", "KRUXT errors read {{code, message, sqlstate}}");
    let unknown = query(&app, &id, "select nope from device_connections").await;
    assert_eq!(unknown.body["details"]["sqlstate"], "42703", "{unknown:?}");

    // RPCs with named arguments; the function decides as the actor.
    assume(&app, &id, "luca_ferrari").await;
    let allowed = slow(
        &app,
        "POST",
        &format!("/sandbox/{id}/kruxt/rpc/user_has_gym_permission"),
        Some(json!({ "_gym_id": BZONE, "_permission_key": "crm.leads.manage" })),
    )
    .await;
    assert_eq!(allowed.status, 200, "{allowed:?}");
    assert_eq!(allowed.body["returns"], "value");
    assert_eq!(allowed.body["value"], true, "luca's override grants crm.leads.manage");
    let bad_arg = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/rpc/user_has_gym_permission"), Some(json!({ "_gym": BZONE }))).await;
    assert_eq!(bad_arg.status, 400, "{bad_arg:?}");
    assert_eq!(bad_arg.body["details"]["field"], "args._gym");
    let missing = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/rpc/no_such_function"), Some(json!({}))).await;
    assert_eq!(missing.status, 404, "{missing:?}");

    // A refused write comes back as the database said it, and changes nothing.
    assume(&app, &id, "sara_conti").await;
    let refused =
        slow(&app, "POST", &format!("/sandbox/{id}/kruxt/rpc/seed_default_gym_permissions"), Some(json!({ "_gym_id": BZONE }))).await;
    assert!(refused.status == 403 || refused.status == 400, "{refused:?}");
    assert!(refused.body["details"]["sqlstate"].is_string(), "{refused:?}");

    // Tier-theme features do not apply to a KRUXT sandbox.
    let tier = slow(&app, "POST", &format!("/sandbox/{id}/simulation/check"), Some(json!({ "type": "tier" }))).await;
    assert_eq!(tier.status, 409, "{tier:?}");
}

#[tokio::test]
async fn the_staff_console_lets_staff_approve_and_refuses_members() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "console").await;
    let load = json!({ "gymId": BZONE });

    assume(&app, &id, "sara_conti").await;
    let denied = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/console/load"), Some(load.clone())).await;
    assert_eq!(denied.status, 200, "flows never throw: {denied:?}");
    assert_eq!(denied.body["ok"], false);
    assert_eq!(denied.body["error"]["code"], "ADMIN_STAFF_ACCESS_DENIED");
    assert_eq!(denied.body["error"]["step"], "access");
    assert_eq!(denied.body["error"]["recoverable"], false);
    let approve = json!({ "gymId": BZONE, "membershipId": PAOLO_PENDING });
    let refused = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/console/approve"), Some(approve.clone())).await;
    assert_eq!(refused.body["error"]["code"], "ADMIN_STAFF_ACCESS_DENIED");

    assume(&app, &id, "marco_bianchi").await;
    let snapshot = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/console/load"), Some(load.clone())).await;
    assert_eq!(snapshot.body["ok"], true, "{snapshot:?}");
    let pending = snapshot.body["snapshot"]["pendingMemberships"].as_array().unwrap();
    assert!(pending.iter().any(|m| m["id"] == PAOLO_PENDING), "{pending:?}");
    let approved = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/console/approve"), Some(approve.clone())).await;
    assert_eq!(approved.body["ok"], true, "{approved:?}");
    assert_eq!(approved.body["action"], "approve");
    assert_eq!(approved.body["updatedMembership"]["membershipStatus"], "active");
    assert!(approved.body["updatedMembership"]["startedAt"].is_string(), "approval stamps started_at");
    let after = approved.body["snapshot"]["pendingMemberships"].as_array().unwrap();
    assert!(!after.iter().any(|m| m["id"] == PAOLO_PENDING));
    // Approving again: not pending any more.
    let again = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/console/approve"), Some(approve)).await;
    assert_eq!(again.body["error"]["code"], "ADMIN_MEMBERSHIP_NOT_PENDING");

    // A bad field is the caller's mistake: 400 naming it.
    let bad = slow(
        &app,
        "POST",
        &format!("/sandbox/{id}/kruxt/console/assignRole"),
        Some(json!({ "gymId": BZONE, "membershipId": PAOLO_PENDING, "role": "king" })),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["details"]["field"], "role");

    // The change was committed in the sandbox's database; reset clones it again.
    let seen = query(&app, &id, &format!("select membership_status from gym_memberships where id = '{PAOLO_PENDING}'")).await;
    assert_eq!(seen.body["rows"][0][0], "active", "{seen:?}");
    let reset = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/reset"), None).await;
    assert_eq!(reset.status, 200, "{reset:?}");
    assert_eq!(reset.body["actor"]["key"], "marco_bianchi", "the actor stays");
    let fresh = query(&app, &id, &format!("select membership_status from gym_memberships where id = '{PAOLO_PENDING}'")).await;
    assert_eq!(fresh.body["rows"][0][0], "pending", "{fresh:?}");
}

#[tokio::test]
async fn the_rls_matrix_measures_each_operation_and_compares_actors() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "matrix").await;
    let path = format!("/sandbox/{id}/kruxt/matrix?actors=sara_conti,marco_bianchi,anon&tables=device_connections,waivers,event_outbox");
    let m = slow(&app, "GET", &path, None).await;
    assert_eq!(m.status, 200, "{m:?}");
    let cell = |actor: &str, table: &str, op: &str| {
        m.body["entries"].as_array().unwrap().iter().find(|e| e["actor"] == actor && e["table"] == table).unwrap()[op].clone()
    };
    assert_eq!(cell("sara_conti", "device_connections", "select")["rows"], 2);
    assert_eq!(cell("sara_conti", "waivers", "insert")["outcome"], "refused", "members cannot write waivers");
    assert_eq!(cell("sara_conti", "event_outbox", "insert")["outcome"], "refused", "service-only table");
    assert_eq!(cell("marco_bianchi", "waivers", "insert")["outcome"], "allowed", "staff can");
    assert_eq!(cell("anon", "device_connections", "select")["outcome"], "refused");

    let csv = reqwest::Client::new().get(app.url(&format!("{path}&format=csv"))).bearer_auth(&app.admin).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 1 + 3 * 3, "{text}");

    let compared =
        slow(&app, "GET", &format!("/sandbox/{id}/kruxt/matrix/compare?left=sara_conti&right=marco_bianchi&tables=waivers"), None).await;
    assert_eq!(compared.status, 200, "{compared:?}");
    assert!(compared.body["differences"].as_array().unwrap().iter().any(|d| d["operation"] == "insert"));

    // Nothing the probes tried stayed.
    assume(&app, &id, "service").await;
    let waivers = query(&app, &id, "select count(*) as n from waivers").await;
    let before = waivers.body["rows"][0][0].clone();
    slow(&app, "GET", &path, None).await;
    let again = query(&app, &id, "select count(*) as n from waivers").await;
    assert_eq!(again.body["rows"][0][0], before);
}

#[tokio::test]
async fn kruxt_scenarios_run_in_the_sandbox_and_feed_the_test_plan() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "scenarios").await;
    let file = r#"
name: members and waivers
theme: kruxt
testPlanItem: 2
defaults: {actor: sara_conti}
scenarios:
  - name: a member inserting a waiver is refused
    steps:
      - insert: {table: waivers, values: {gym_id: 10000000-0000-4000-8000-000000000001, title: Mine, policy_version: x, document_url: "https://x"}}
      - error: {sqlstate: "42501"}
      - unchanged: {table: waivers}
  - name: a member sees their own device connections only
    steps:
      - select: device_connections
      - rows: 3
"#;
    let run = run_file(&app, &id, file, "waivers.yaml").await;
    assert_eq!(run.status, 200, "{run:?}");
    assert_eq!(run.body["theme"], "kruxt");
    assert_eq!(run.body["scenarios"][0]["status"], "passed", "{run:?}");
    assert_eq!(run.body["scenarios"][1]["status"], "failed", "sara has 2 connections, not 3");
    assert_eq!(run.body["scenarios"][1]["assertions"][0]["actual"], 2);

    let plan = slow(&app, "GET", "/api/kruxt/test-plan", None).await;
    assert_eq!(plan.status, 200, "{plan:?}");
    assert_eq!(plan.body["items"].as_array().unwrap().len(), 153);
    assert_eq!(plan.body["totals"]["items"], 153);

    // Every shipped scenario passes against the seeded database.
    let suite = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/scenarios/run"), None).await;
    assert_eq!(suite.status, 200, "{suite:?}");
    let failed: Vec<String> = suite.body["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["status"] != "passed")
                .map(move |s| format!("{}: {} {}", r["file"], s["name"], s))
        })
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let plan = slow(&app, "GET", "/api/kruxt/test-plan", None).await;
    for item in [1, 2, 3, 10, 71, 72, 73, 74, 119, 120, 121, 122, 123, 124, 125, 126, 127] {
        assert_eq!(plan.body["items"][item - 1]["status"], "passing", "item {item}: {}", plan.body["items"][item - 1]);
    }

    // A KRUXT file in a tier sandbox is refused plainly.
    let tier = app.sandbox(&app.admin, "tier").await;
    let wrong = run_file(&app, &tier, file, "w.yaml").await;
    assert_eq!(wrong.status, 409, "{wrong:?}");
}

#[tokio::test]
async fn destroying_a_kruxt_sandbox_drops_its_database_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "short-lived").await;
    let database = format!("sandbox_{}", id.replace('-', ""));
    let unknown = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/assume"), Some(json!({ "actor": "nobody_here" }))).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    let clock = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/clock"), Some(json!({ "advance": "soon" }))).await;
    assert_eq!(clock.status, 400);
    assert_eq!(clock.body["details"]["field"], "advance");
    let moved = slow(&app, "POST", &format!("/sandbox/{id}/kruxt/clock"), Some(json!({ "advance": "1d" }))).await;
    assert_eq!(moved.body["clock"], "2026-03-10T09:00:00+01:00", "{moved:?}");
    let status = slow(&app, "GET", &format!("/sandbox/{id}/kruxt"), None).await;
    assert_eq!(status.body["actor"]["key"], "anon", "a refused assume changed nothing");

    let gone = slow(&app, "DELETE", &format!("/sandbox/{id}"), None).await;
    assert_eq!(gone.status, 200, "{gone:?}");
    assert!(!database_exists(&app, &database).await, "the database is dropped with the sandbox");
}

/// The KRUXT example of `scenarios/README.md`.
fn readme_kruxt_example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/README.md")).unwrap();
    let block = readme
        .split("```yaml\n")
        .find(|b| b.split("```").next().is_some_and(|code| code.contains("\ntheme: kruxt\n")))
        .expect("a KRUXT example in scenarios/README.md");
    block.split("```").next().unwrap().to_owned()
}

#[tokio::test]
async fn captures_commit_and_path_expectations_work_as_the_scenario_readme_says() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "captures").await;
    let run_readme = |file: String| {
        let app = &app;
        let id = id.clone();
        async move {
            let run = run_file(app, &id, &file, "readme.yaml").await;
            assert_eq!(run.status, 200, "{run:?}");
            run
        }
    };

    // The README's example passes as written, every expectation of both scenarios judged.
    let example = readme_kruxt_example();
    let run = run_readme(example.clone()).await;
    assert_eq!(run.body["status"], "passed", "{:#}", run.body);
    assert_eq!(run.body["totals"]["assertions"], 7, "{:#}", run.body);
    // Each database action is timed in the report; timings never fail a scenario.
    let actions = run.body["scenarios"][1]["actions"].as_array().expect("the actions of a KRUXT scenario").clone();
    let described: Vec<&str> = actions.iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(described.len(), 3, "{actions:#?}");
    assert_eq!(described[..2], ["insert workouts", "select workouts"]);
    assert!(described[2].starts_with("sql select event_type, payload from event_outbox"), "{actions:#?}");
    assert!(actions.iter().all(|a| a["durationMs"].as_f64().is_some_and(|ms| ms >= 0.0) && a["ok"] == true), "{actions:#?}");
    assert_eq!(actions[0]["path"], "scenarios[1].steps[0]");

    // Without commit the deferred trigger has not fired when the select runs: XP is still null.
    let uncommitted = example.replace(", commit: true}", "}");
    let run = run_readme(uncommitted).await;
    let second = &run.body["scenarios"][1];
    assert_eq!(second["status"], "failed", "{second:#}");
    let same_as = second["assertions"].as_array().unwrap().iter().find(|a| a["kind"] == "sameAs").unwrap();
    assert_eq!(same_as["passed"], false);
    assert_eq!(same_as["actual"], Value::Null, "{same_as:#}");

    // A reference to a name never captured stops the scenario there, naming it.
    let unknown = example.replace("aggregate_id = '${workout}'", "aggregate_id = '${wrkout}'");
    let run = run_readme(unknown).await;
    let error = &run.body["scenarios"][1]["error"];
    assert!(error["message"].as_str().unwrap().contains("${wrkout}"), "{error:#}");
    assert!(error["message"].as_str().unwrap().contains("workout"), "the names captured so far are listed: {error:#}");

    // A capture whose path has nothing stops it too, and the scenario is rolled back either way:
    // no workout of the example is left in the sandbox.
    let missing = example.replace("capture: {workout: \"[0].id\"}", "capture: {workout: \"[3].id\"}");
    let run = run_readme(missing).await;
    let error = &run.body["scenarios"][1]["error"];
    assert!(error["message"].as_str().unwrap().contains("[3].id"), "{error:#}");
    assume(&app, &id, "service").await;
    let left = query(&app, &id, "select count(*) as n from workouts where title = 'Readme squats'").await;
    assert_eq!(left.status, 200, "{left:?}");
    assert_eq!(left.body["rows"][0][0], 0, "{left:?}");
}

#[tokio::test]
async fn a_step_runs_under_its_own_statement_timeout() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "timeouts").await;
    let file = r#"
name: timeouts
theme: kruxt
defaults: {actor: service}
scenarios:
  - name: a step stops at its own timeout, and a longer one lets a slow statement finish
    steps:
      - sql: {query: "select 1 as one from pg_sleep(1.5)", timeout: 1s}
      - error: {sqlstate: "57014"}
      - sql: {query: "select 1 as one from pg_sleep(0.2)", timeout: 5s}
      - equals: [{one: 1}]
"#;
    let run = run_file(&app, &id, file, "timeouts.yaml").await;
    assert_eq!(run.status, 200, "{run:?}");
    assert_eq!(run.body["status"], "passed", "{:#}", run.body);
    let refused = run_file(&app, &id, &file.replace("timeout: 5s", "timeout: 3m"), "timeouts.yaml").await;
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(refused.body["message"].as_str().unwrap().contains("timeout"), "{refused:?}");
}

#[tokio::test]
async fn a_user_created_mid_scenario_acts_at_once_and_is_gone_afterwards() {
    let app = spawn_app().await;
    let id = kruxt_sandbox(&app, "signup").await;
    let file = r#"
name: signup
theme: kruxt
scenarios:
  - name: a new member signs up, joins BZone and reads her own rows
    steps:
      - user: {create: {username: nina_new, memberships: [{gymId: 10000000-0000-4000-8000-000000000001}]}}
      - ok: true
      - capture: {nina: id}
      - select: {table: gym_memberships, where: {user_id: "${nina}"}, columns: [role, membership_status], as: nina_new}
      - equals: [{role: member, membership_status: active}]
      - select: {table: device_connections, as: nina_new}
      - rows: 0
      - user: {create: {username: Bad Name}}
      - error: {code: VALIDATION, message: username}
"#;
    let run = run_file(&app, &id, file, "signup.yaml").await;
    assert_eq!(run.status, 200, "{run:?}");
    assert_eq!(run.body["status"], "passed", "{:#}", run.body);
    assume(&app, &id, "service").await;
    let left = query(&app, &id, "select count(*) as n from profiles where username = 'nina_new'").await;
    assert_eq!(left.body["rows"][0][0], 0, "the scenario is rolled back: {left:?}");
    let bad = file.replace("username: nina_new, memberships", "usernme: nina_new, memberships");
    let refused = run_file(&app, &id, &bad, "signup.yaml").await;
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(refused.body["message"].as_str().unwrap().contains("usernme"), "{refused:?}");
}
