//! The OpenAPI document describes every route and server function, and nothing else.

use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn every_documented_rest_route_exists_and_every_server_function_is_documented() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let id = app.sandbox(&app.admin, "documented").await;

    for (path, item) in paths.iter().filter(|(p, _)| p.starts_with("/sandbox")) {
        for method in ["get", "post", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let concrete = path.replace("{id}", &id).replace("{username}", "nobody");
            let streams = item[method]["responses"]["200"]["content"].get("text/event-stream").is_some();
            if streams {
                // An event stream never ends: its status and type are enough.
                let res = app.client.get(app.url(&concrete)).bearer_auth(&app.admin).send().await.unwrap();
                assert_eq!(res.status(), 200, "{method} {path}");
                assert_eq!(res.headers()["content-type"], "text/event-stream");
                continue;
            }
            let answer = app.call(&app.admin, &method.to_uppercase(), &concrete, None).await;
            assert_ne!(answer.body["message"], "route not found", "{method} {path} is documented but not routed");
            assert_ne!(answer.body["message"], "this route does not take that method", "{method} {path}");
        }
    }

    let registered: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    for path in &registered {
        assert!(paths.contains_key(path.as_str()), "server function {path} is not documented");
    }
    for path in paths.keys().filter(|p| p.starts_with("/api/v1/")) {
        assert!(registered.contains(path), "{path} is documented but no server function answers it");
    }
}

#[tokio::test]
async fn the_docs_page_renders_every_operation() {
    let app = spawn_app().await;
    let html = app.client.get(app.url("/api/docs")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("API reference"));
    assert!(html.contains("/sandbox/{id}/simulation/check"));
    assert!(html.contains("/api/v1/simulation/patch_state"));
}
