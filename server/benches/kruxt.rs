//! KRUXT figures on loopback against a real `crysknife serve` process: creating a KRUXT sandbox
//! (the template already built; the first build is reported on its own) and computing the full
//! RLS matrix (every actor x every table x four operations). Bounded: KRUXT_RUNS of each
//! (default 10). Run with `scripts/bench-kruxt`, which provides DATABASE_URL (a superuser on a
//! private cluster) and the release binary; prints a Markdown table.

use std::time::{Duration, Instant};

mod common;

fn row(name: &str, mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |p: f64| ms(times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1]);
    format!("| {name} | {} | {:.0} | {:.0} | {:.0} |", times.len(), pick(0.5), pick(0.95), ms(*times.last().unwrap()))
}

#[tokio::main]
async fn main() {
    std::env::var("DATABASE_URL").expect("DATABASE_URL is required; run scripts/bench-kruxt");
    let runs: usize = std::env::var("KRUXT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let token = "ck_kruxt_bench_token_0123456789abcdef";
    let server = common::start(token, 100_000);
    let base = server.base.clone();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(300)).build().unwrap();
    server.ready(&client).await;
    let create = |n: usize| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let t = Instant::now();
            let res = client.post(format!("{base}/sandbox")).bearer_auth(token).json(&serde_json::json!({ "name": format!("kruxt-{n}"), "themeId": "kruxt" })).send().await.unwrap();
            assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
            let id = res.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
            (t.elapsed(), id)
        }
    };
    let destroy = |id: String| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            client.delete(format!("{base}/sandbox/{id}")).bearer_auth(token).send().await.unwrap();
        }
    };
    // The first creation may build the template (once per set of KRUXT files per cluster).
    let (first, id) = create(0).await;
    destroy(id).await;
    let mut creations = Vec::with_capacity(runs);
    for n in 1..=runs {
        let (took, id) = create(n).await;
        creations.push(took);
        destroy(id).await;
    }
    let (_, id) = create(runs + 1).await;
    let mut matrices = Vec::with_capacity(runs);
    let mut cells = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let res = client.get(format!("{base}/sandbox/{id}/kruxt/matrix")).bearer_auth(token).send().await.unwrap();
        assert!(res.status().is_success());
        let m: serde_json::Value = res.json().await.unwrap();
        matrices.push(t.elapsed());
        cells = m["entries"].as_array().unwrap().len() * 4;
    }
    destroy(id).await;
    println!("| measurement | runs | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!("| first KRUXT sandbox (template build included when missing) | 1 | {:.0} | - | - |", first.as_secs_f64() * 1000.0);
    println!("{}", row("POST /sandbox with themeId kruxt (template exists)", creations));
    println!("{}", row(&format!("GET /sandbox/:id/kruxt/matrix, every actor and table ({cells} cells)"), matrices));
}
