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

    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
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

fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_resolves_and_the_error_shape_is_the_types_own() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut found = Vec::new();
    references(&doc, &mut found);
    assert!(found.len() > 100, "operations refer to shared schemas");
    let mut unresolved: Vec<&str> = found
        .iter()
        .map(|target| target.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{target} points outside the schemas")))
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    unresolved.sort_unstable();
    unresolved.dedup();
    assert!(unresolved.is_empty(), "references that do not resolve: {unresolved:?}");
    // Generated from `wire::error::ErrorCode`: every code the server can send is listed.
    let codes: Vec<&str> = schemas["ErrorCode"]["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for code in ["VALIDATION", "UNSUPPORTED_MEDIA_TYPE", "VERSION_CONFLICT", "STORE_UNAVAILABLE", "INTERNAL"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // Every operation with a JSON body says a body of another type gets 415, and every
    // operation has an id and a tag the document lists.
    let tags: Vec<&str> = doc["tags"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
            let tag = op["tags"][0].as_str().unwrap_or_default();
            assert!(tags.contains(&tag), "{method} {path} has tag `{tag}`, not one of {tags:?}");
            if op["requestBody"]["content"].get("application/json").is_some() && path != "/discord/interactions" {
                assert!(op["responses"].get("415").is_some(), "{method} {path} does not list 415");
            }
        }
    }
    // A body's schema honours serde: camelCase names and unknown fields refused.
    let create = &schemas["CreateSandbox"];
    assert!(create["properties"].get("ttlHours").is_some(), "{create}");
    assert_eq!(create["additionalProperties"], false, "{create}");
}
