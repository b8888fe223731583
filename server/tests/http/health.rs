use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_without_touching_a_store() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], backend::VERSION);
}

#[tokio::test]
async fn readyz_reports_every_store_up_with_in_memory_hot_state() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let stores = body["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 2);
    assert_eq!(stores[0]["name"], "postgres");
    assert_eq!(stores[0]["up"], true);
    assert_eq!(stores[1]["name"], "hot");
    assert_eq!(stores[1]["backend"], "memory");
    assert_eq!(stores[1]["up"], true);
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_start_page_is_rendered_on_the_server_with_the_system_state() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Check the stores now"));
    assert!(html.contains("postgres"), "the store table is in the server-rendered HTML");
    assert!(html.contains(backend::VERSION));
}
