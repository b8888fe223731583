use crate::helpers::spawn_app;

#[tokio::test]
async fn system_info_takes_and_returns_json() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/api/v1/system/info")).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let info: wire::model::SystemReport = res.json().await.unwrap();
    assert_eq!(info.name, "crysknife");
    assert_eq!(info.version, backend::VERSION);
    assert!(info.ready());
    let newest = backend::store::pg::MIGRATOR.iter().map(|m| m.version).max();
    assert_eq!(info.schema_version, newest, "every control-plane migration is applied");
    assert!(info.live_instances.unwrap() >= 1, "this server registered itself");
}

#[tokio::test]
async fn a_malformed_server_function_body_is_a_400_with_a_json_error() {
    let app = spawn_app().await;
    let res =
        app.client.post(app.url("/api/v1/system/info")).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let err: wire::error::ApiError = res.json().await.unwrap();
    assert_eq!(err.code, wire::error::ErrorCode::Validation);
    assert_eq!(err.details["field"], "body");
}
