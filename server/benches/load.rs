//! Load on loopback: the check and state-update endpoints, a server-rendered page and a
//! 100-assertion scenario run of a real `crysknife serve` process, at 64 concurrent connections with a bounded number of requests,
//! beside a baseline endpoint that only reads the simulation's Redis key. Run with `scripts/bench-load`, which provides
//! DATABASE_URL and REDIS_URL and the release binary; prints a Markdown table.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

const CONCURRENCY: usize = 64;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is required; run scripts/bench-load"))
}

/// Latencies of one run, and its wall time.
struct Run {
    name: &'static str,
    latencies: Vec<Duration>,
    wall: Duration,
    errors: usize,
}

impl Run {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[idx].as_secs_f64() * 1000.0
    }

    fn row(&self) -> String {
        format!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.0} | {} |",
            self.name,
            self.latencies.len(),
            self.percentile(0.50),
            self.percentile(0.95),
            self.percentile(0.99),
            self.latencies.len() as f64 / self.wall.as_secs_f64(),
            self.errors
        )
    }
}

/// Builds request number `i` of a run.
type MakeRequest = Arc<dyn Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync>;

/// Sends `total` requests from 64 workers; `make` builds request number `i`.
async fn run(name: &'static str, total: usize, client: &reqwest::Client, make: MakeRequest) -> Run {
    run_n(name, total, CONCURRENCY, client, make).await
}

/// Sends `total` requests from `concurrency` workers.
async fn run_n(name: &'static str, total: usize, concurrency: usize, client: &reqwest::Client, make: MakeRequest) -> Run {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, make, next) = (client.clone(), make.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let t = Instant::now();
                match make(&client, i).send().await {
                    Ok(res) if res.status().is_success() => {
                        let _ = res.bytes().await;
                        latencies.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    Run { name, latencies, wall: started.elapsed(), errors }
}

/// The baseline: an HTTP endpoint that only reads one Redis key.
async fn baseline(redis_url: String, key: String) -> u16 {
    use axum::routing::get;
    let client = redis::Client::open(redis_url).unwrap();
    let conn = redis::aio::ConnectionManager::new(client).await.unwrap();
    let app = axum::Router::new().route(
        "/baseline",
        get(move || {
            let (mut conn, key) = (conn.clone(), key.clone());
            async move {
                let value: Option<String> = redis::cmd("GET").arg(&key).query_async(&mut conn).await.unwrap();
                value.unwrap_or_default()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::var("LOAD_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let redis_url = env("REDIS_URL");
    let token = "ck_load_bench_token_0123456789abcdef";
    let server = common::start(token, 100_000_000);
    let base = server.base.clone();
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();
    server.ready(&client).await;
    let made: serde_json::Value = client
        .post(format!("{base}/sandbox"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "name": format!("load-{}", std::process::id()) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = made["id"].as_str().expect("a sandbox").to_owned();
    let sim: serde_json::Value =
        client.get(format!("{base}/sandbox/{id}/simulations")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let sim_id = sim[0]["id"].as_str().unwrap().to_owned();
    // Warm the hot copy, then measure.
    client.get(format!("{base}/sandbox/{id}/simulation/state")).bearer_auth(token).send().await.unwrap();
    let baseline_port = baseline(redis_url, format!("sandbox:{{{id}}}:sim:{sim_id}")).await;

    let check_url = format!("{base}/sandbox/{id}/simulation/check");
    let state_url = format!("{base}/sandbox/{id}/simulation/state");
    let baseline_url = format!("http://127.0.0.1:{baseline_port}/baseline");
    let warm = |url: String| -> MakeRequest { Arc::new(move |c: &reqwest::Client, _| c.get(url.clone())) };
    run("warm-up", 2_000, &client, warm(baseline_url.clone())).await;

    let mut rows = Vec::new();
    rows.push(run("baseline: GET the Redis key", total, &client, warm(baseline_url)).await);
    let t = token.to_owned();
    rows.push(
        run(
            "POST .../simulation/check (channel, denied)",
            total,
            &client,
            Arc::new(move |c, _| {
                c.post(check_url.clone()).bearer_auth(&t).json(&serde_json::json!({ "type": "channel", "target": "council-chamber" }))
            }),
        )
        .await,
    );
    let t = token.to_owned();
    let page_url = format!("{base}/sandboxes/{id}");
    rows.push(
        run(
            "GET /sandboxes/:id (server-rendered console page)",
            total / 10,
            &client,
            Arc::new(move |c, _| c.get(page_url.clone()).bearer_auth(&t)),
        )
        .await,
    );
    let t = token.to_owned();
    let updates = total / 4;
    rows.push(
        run(
            "PATCH .../simulation/state",
            updates,
            &client,
            Arc::new(move |c, i| c.patch(state_url.clone()).bearer_auth(&t).json(&serde_json::json!({ "tenureDays": i % 1000 }))),
        )
        .await,
    );
    // The same endpoints one request at a time: the latency of a request on an idle server
    // (at 64 connections the figures above are mostly queueing on 2 cores).
    let (t, url) = (token.to_owned(), format!("{base}/sandbox/{id}/simulation/check"));
    rows.push(
        run_n(
            "POST .../simulation/check (channel, denied), one client",
            2000,
            1,
            &client,
            Arc::new(move |c, _| {
                c.post(url.clone()).bearer_auth(&t).json(&serde_json::json!({ "type": "channel", "target": "council-chamber" }))
            }),
        )
        .await,
    );
    let (t, url) = (token.to_owned(), format!("{base}/sandboxes/{id}"));
    rows.push(
        run_n(
            "GET /sandboxes/:id (server-rendered console page), one client",
            500,
            1,
            &client,
            Arc::new(move |c, _| c.get(url.clone()).bearer_auth(&t)),
        )
        .await,
    );
    let (t, url) = (token.to_owned(), format!("{base}/sandbox/{id}/simulation/state"));
    rows.push(
        run_n(
            "PATCH .../simulation/state, one client",
            1000,
            1,
            &client,
            Arc::new(move |c, i| c.patch(url.clone()).bearer_auth(&t).json(&serde_json::json!({ "tenureDays": i % 1000 }))),
        )
        .await,
    );
    // A scenario file of 100 assertions through the API (issue 5's goal: under 20 ms end to end).
    let mut file = String::from("name: bench\nscenarios:\n  - name: a hundred assertions\n    when:\n      - set: {bgt: 500}\n    then:\n");
    for i in 0..100 {
        file.push_str(if i % 2 == 0 {
            "      - tier: {computed: sihaya}\n"
        } else {
            "      - access: {channel: council-chamber, allowed: false}\n"
        });
    }
    let scenario_url = format!("{base}/sandbox/{id}/simulation/scenario");
    let body = serde_json::json!({ "scenario": file, "fileName": "bench.yaml" });
    let (t, url, b) = (token.to_owned(), scenario_url.clone(), body.clone());
    rows.push(
        run_n(
            "POST .../simulation/scenario (100 assertions, stored), one client",
            200,
            1,
            &client,
            Arc::new(move |c, _| c.post(url.clone()).bearer_auth(&t).json(&b)),
        )
        .await,
    );
    let t = token.to_owned();
    rows.push(
        run(
            "POST .../simulation/scenario (100 assertions, stored)",
            total / 20,
            &client,
            Arc::new(move |c, _| c.post(scenario_url.clone()).bearer_auth(&t).json(&body)),
        )
        .await,
    );
    println!("| endpoint | requests | p50 ms | p95 ms | p99 ms | requests/s | errors |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{}", r.row());
    }
}
