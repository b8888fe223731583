//! The per-sandbox rate limit: 100 requests a minute by default, shared by every server
//! instance through Redis, answered with 429 and `Retry-After`.

use crate::helpers::{spawn_app_with, test_redis_url};
use backend::settings::Secret;
use serde_json::json;

#[tokio::test]
async fn the_101st_request_in_a_minute_gets_429_with_retry_after() {
    let url = test_redis_url(3);
    let one = spawn_app_with(|s| s.redis_url = Some(Secret::new(url.clone()))).await;
    let id = one.sandbox(&one.admin, "busy").await;
    let other = one.sandbox(&one.admin, "quiet").await;
    let path = format!("/sandbox/{id}/simulation/check");
    // A second instance on the same database and Redis shares the counter.
    let database = one.database_url.clone();
    let admin = one.admin.clone();
    let two = spawn_app_with(|s| {
        s.redis_url = Some(Secret::new(url.clone()));
        s.database_url = Some(Secret::new(database));
        s.bootstrap_token = Some(Secret::new(admin));
    })
    .await;

    let mut answered = 0;
    let mut limited = None;
    for i in 0..101 {
        let app = if i % 2 == 0 { &one } else { &two };
        let answer = app.call(&app.admin, "POST", &path, Some(json!({ "type": "tier" }))).await;
        if answer.status == 429 {
            limited = Some((i, answer));
            break;
        }
        assert_eq!(answer.status, 200, "{answer:?}");
        answered += 1;
    }
    // A minute boundary during the loop restarts the count; then the limit is not reached here.
    if let Some((i, answer)) = limited {
        assert_eq!(i, 100, "the 101st request is the first refused");
        assert_eq!(answer.code(), "RATE_LIMITED");
        let retry: u64 = answer.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
        let quiet = one.call(&one.admin, "GET", &format!("/sandbox/{other}/simulation/state"), None).await;
        assert_eq!(quiet.status, 200, "other sandboxes have their own budget");
        let via_fn = one.server_fn(&one.admin, "simulation/state", json!({ "sandbox": id })).await;
        assert_eq!(via_fn.status, 429, "the server-function door counts against the same budget");
        assert!(via_fn.headers.contains_key("retry-after"));
    } else {
        assert_eq!(answered, 101);
        let at_minute_edge = time::OffsetDateTime::now_utc().second() < 10;
        assert!(at_minute_edge, "101 requests passed without crossing a minute boundary");
    }
}
