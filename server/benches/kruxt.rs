//! KRUXT figures on loopback against a real `crysknife serve` process: creating a KRUXT sandbox
//! (the template already built; the first build is reported on its own) and computing the full
//! RLS matrix (every actor x every table x four operations), and one function call as an assumed
//! actor from 1 and 16 clients. Bounded: KRUXT_RUNS of each (default 10), KRUXT_RPC_CALLS calls
//! (default 400). Run with `scripts/bench-kruxt`, which provides DATABASE_URL (a superuser on a
//! private cluster) and the release binary; prints a Markdown table.

use std::time::{Duration, Instant};

mod common;

fn row(name: &str, mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |p: f64| ms(times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1]);
    format!("| {name} | {} | {:.1} | {:.1} | {:.1} |", times.len(), pick(0.5), pick(0.95), ms(*times.last().unwrap()))
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
            let res = client
                .post(format!("{base}/sandbox"))
                .bearer_auth(token)
                .json(&serde_json::json!({ "name": format!("kruxt-{n}"), "themeId": "kruxt" }))
                .send()
                .await
                .unwrap();
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

    // One KRUXT function call as an assumed actor: one client in sequence, then 16 at once.
    let calls: usize = std::env::var("KRUXT_RPC_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let (_, id) = create(runs + 2).await;
    let assumed = client
        .post(format!("{base}/sandbox/{id}/kruxt/assume"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "actor": "sara_conti" }))
        .send()
        .await
        .unwrap();
    assert!(assumed.status().is_success(), "{}", assumed.text().await.unwrap());
    let rpc_url = format!("{base}/sandbox/{id}/kruxt/rpc/user_has_gym_permission");
    let rpc_body = serde_json::json!({ "_gym_id": "10000000-0000-4000-8000-000000000001", "_permission_key": "staff.shifts.manage" });
    let call = move |client: reqwest::Client, url: String, body: serde_json::Value| async move {
        let t = Instant::now();
        let res = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        res.bytes().await.unwrap();
        t.elapsed()
    };
    for _ in 0..20 {
        call(client.clone(), rpc_url.clone(), rpc_body.clone()).await;
    }
    let mut single = Vec::with_capacity(calls);
    for _ in 0..calls {
        single.push(call(client.clone(), rpc_url.clone(), rpc_body.clone()).await);
    }
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (client, url, body) = (client.clone(), rpc_url.clone(), rpc_body.clone());
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..calls / 16 {
                times.push(call(client.clone(), url.clone(), body.clone()).await);
            }
            times
        }));
    }
    let mut parallel = Vec::with_capacity(calls);
    for worker in workers {
        parallel.extend(worker.await.unwrap());
    }
    destroy(id).await;

    println!("| measurement | runs | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!("| first KRUXT sandbox (template build included when missing) | 1 | {:.0} | - | - |", first.as_secs_f64() * 1000.0);
    println!("{}", row("POST /sandbox with themeId kruxt (template exists)", creations));
    println!("{}", row(&format!("GET /sandbox/:id/kruxt/matrix, every actor and table ({cells} cells)"), matrices));
    println!("{}", row("POST /sandbox/:id/kruxt/rpc/user_has_gym_permission as sara_conti, 1 client", single));
    println!("{}", row("the same call, 16 clients at once", parallel));
}
