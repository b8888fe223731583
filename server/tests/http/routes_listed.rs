//! The browser test that loads every page (`end2end/tests/routes.spec.ts`) reads its routes
//! from `end2end/routes.json`; this keeps that list equal to the router's, so a new page
//! cannot be left out of it.

use std::collections::BTreeSet;

#[tokio::test]
async fn the_browser_route_list_names_every_route_of_the_router_and_no_other() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/routes.json")).unwrap();
    let listed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let listed: BTreeSet<String> = listed["routes"].as_object().unwrap().keys().cloned().collect();
    let routed: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| if r.path().is_empty() { "/".to_owned() } else { r.path().to_owned() })
        .collect();
    assert_eq!(listed, routed, "end2end/routes.json and the router disagree");
    for (route, states) in serde_json::from_str::<serde_json::Value>(&text).unwrap()["routes"].as_object().unwrap() {
        assert!(!states.as_array().unwrap().is_empty(), "{route} is visited in no state");
    }
}
