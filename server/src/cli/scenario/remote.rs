//! Server mode of `crysknife scenario run`: each file is posted to
//! `POST {server}/sandbox/{id}/simulation/scenario` with the bearer token (and the golden files it
//! names, read beside it), and the answer is the same report the offline run makes. Without `--sandbox` a temporary sandbox is created first
//! and destroyed afterwards, whatever happened.

use anyhow::Context;
use domain::scenario::{ErrorKind, FileReport, Report, ScenarioError};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the server answers for one file: a report of one file, or the file's report alone.
#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Report(Report),
    File(FileReport),
}

/// The API's error body.
#[derive(Deserialize, Default)]
struct ApiError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: Value,
}

/// Runs every file through the server.
pub async fn run(server: &str, token: &str, sandbox: Option<&str>, files: &[PathBuf]) -> anyhow::Result<Report> {
    // rustls is built without a default crypto provider; ring is the one linked in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().context("cannot build the HTTP client")?;
    let base = server.trim_end_matches('/');
    let remote = Remote { client, base, token };
    let (sandbox, temporary) = match sandbox {
        Some(id) => (id.to_owned(), false),
        None => (remote.create_sandbox().await?, true),
    };
    let result = remote.run_all(&sandbox, files).await;
    if temporary {
        if let Err(e) = remote.delete_sandbox(&sandbox).await {
            eprintln!("warning: the temporary sandbox {sandbox} was not destroyed: {e:#}");
        }
    }
    result
}

struct Remote<'a> {
    client: reqwest::Client,
    base: &'a str,
    token: &'a str,
}

impl Remote<'_> {
    async fn create_sandbox(&self) -> anyhow::Result<String> {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let body = json!({ "name": format!("scenario-{}", &suffix[..12]), "ttlHours": 1 });
        let response = self
            .client
            .post(format!("{}/sandbox", self.base))
            .bearer_auth(self.token)
            .json(&body)
            .send()
            .await
            .context("cannot reach the server")?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or_default();
        anyhow::ensure!(status.is_success(), "creating a temporary sandbox failed: {}", describe(status, &error_of(&answer)));
        answer.get("id").and_then(Value::as_str).map(str::to_owned).context("the server's sandbox answer has no id")
    }

    async fn delete_sandbox(&self, id: &str) -> anyhow::Result<()> {
        let response = self.client.delete(format!("{}/sandbox/{id}", self.base)).bearer_auth(self.token).send().await?;
        let status = response.status();
        anyhow::ensure!(status.is_success(), "{}", describe(status, &error_of(&response.json().await.unwrap_or_default())));
        Ok(())
    }

    async fn run_all(&self, sandbox: &str, files: &[PathBuf]) -> anyhow::Result<Report> {
        let bar = super::progress(files.len());
        let mut reports = Vec::with_capacity(files.len());
        for path in files {
            let name = path.display().to_string();
            let started = Instant::now();
            let mut report = match std::fs::read_to_string(path) {
                Ok(text) => {
                    // Golden files live beside the scenario file; the server has no access to them.
                    let dir = path.parent().map(std::path::Path::to_owned).unwrap_or_default();
                    let golden: serde_json::Map<String, Value> = domain::scenario::golden_files(&text, &name)
                        .into_iter()
                        .filter_map(|relative| {
                            std::fs::read_to_string(dir.join(&relative)).ok().map(|contents| (relative, Value::from(contents)))
                        })
                        .collect();
                    self.run_one(sandbox, &name, &text, golden).await?
                }
                Err(e) => {
                    FileReport::invalid(&name, None, vec![ScenarioError::new("", ErrorKind::Missing, format!("cannot read {name}: {e}"))])
                }
            };
            report.file = name;
            report.duration_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
            reports.push(report);
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(Report::new(reports))
    }

    /// One file's report; input the server refuses becomes an invalid file, anything else stops the run.
    async fn run_one(&self, sandbox: &str, name: &str, text: &str, golden: serde_json::Map<String, Value>) -> anyhow::Result<FileReport> {
        let url = format!("{}/sandbox/{sandbox}/simulation/scenario", self.base);
        let mut body = json!({ "scenario": text, "fileName": name });
        if !golden.is_empty() {
            body["golden"] = Value::Object(golden);
        }
        let response =
            self.client.post(&url).bearer_auth(self.token).json(&body).send().await.with_context(|| format!("cannot reach {url}"))?;
        let status = response.status();
        let answer: Value = response.json().await.with_context(|| format!("the server's answer for {name} is not JSON ({status})"))?;
        if status.is_success() {
            let answer: Answer =
                serde_json::from_value(answer).with_context(|| format!("the server's answer for {name} is not a scenario report"))?;
            return Ok(match answer {
                Answer::Report(report) => report.files.into_iter().next().context("the server's report holds no file")?,
                Answer::File(file) => file,
            });
        }
        let error = error_of(&answer);
        if matches!(status.as_u16(), 400 | 413 | 422) {
            let errors = error
                .details
                .get("errors")
                .cloned()
                .and_then(|errors| serde_json::from_value::<Vec<ScenarioError>>(errors).ok())
                .filter(|errors| !errors.is_empty())
                .unwrap_or_else(|| vec![ScenarioError::new("", ErrorKind::InvalidValue, describe(status, &error))]);
            return Ok(FileReport::invalid(name, None, errors));
        }
        anyhow::bail!("{name}: {}", describe(status, &error))
    }
}

fn error_of(answer: &Value) -> ApiError {
    serde_json::from_value(answer.clone()).unwrap_or_default()
}

fn describe(status: reqwest::StatusCode, error: &ApiError) -> String {
    match error.code.is_empty() {
        true => format!("the server answered {status}"),
        false => format!("the server answered {status} {}: {}", error.code, error.message),
    }
}
