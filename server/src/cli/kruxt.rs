//! `crysknife kruxt test-plan`: the KRUXT beta test plan, every item with its status, from a
//! server (the newest recorded runs), after running every shipped KRUXT scenario (`--run`), or
//! from the binary alone (`--offline`: which items are automated). Exit 1 when an item fails.

use super::client::{Client, Conn};
use anyhow::Context;
use clap::{Args, Subcommand};
use domain::scenario::kruxt::{FacetState, ItemState, PlanStatus};
use serde_json::json;

#[derive(Args, Debug)]
pub struct KruxtArgs {
    #[command(flatten)]
    pub conn: Conn,
    #[command(subcommand)]
    pub command: KruxtCommand,
}

#[derive(Subcommand, Debug)]
pub enum KruxtCommand {
    /// The beta test plan: all 153 items with their status (exit 1 when one fails).
    TestPlan {
        /// Run every shipped KRUXT scenario first: in `--sandbox`, else in a temporary KRUXT
        /// sandbox destroyed afterwards.
        #[arg(long)]
        run: bool,
        /// The KRUXT sandbox to run in (id or name).
        #[arg(long)]
        sandbox: Option<String>,
        /// No server: the shipped plan and which items have scenarios.
        #[arg(long, conflicts_with_all = ["run", "sandbox"])]
        offline: bool,
        /// Only items with this status: passing, failing, not-run, not-automated.
        #[arg(long)]
        status: Option<String>,
    },
}

pub async fn run(args: KruxtArgs) -> anyhow::Result<()> {
    match args.command {
        KruxtCommand::TestPlan { run, sandbox, offline, status } => {
            let filter = status.as_deref().map(parse_status).transpose()?;
            let plan = if offline {
                backend::services::kruxt::offline_plan()
            } else {
                let client = Client::new(&args.conn)?;
                if run {
                    run_scenarios(&client, sandbox.as_deref()).await?;
                }
                let answer = client.call("GET", "/api/kruxt/test-plan", None).await?;
                serde_json::from_value(answer).context("the server's test plan has an unexpected shape")?
            };
            if args.conn.json {
                println!("{}", serde_json::to_string_pretty(&plan)?);
            } else {
                print!("{}", render(&plan, filter));
            }
            if plan.totals.failing > 0 {
                anyhow::bail!("{} test plan item(s) failing", plan.totals.failing);
            }
            Ok(())
        }
    }
}

fn parse_status(text: &str) -> anyhow::Result<ItemState> {
    Ok(match text {
        "passing" => ItemState::Passing,
        "failing" => ItemState::Failing,
        "partial" => ItemState::Partial,
        "not-run" => ItemState::NotRun,
        "not-automated" => ItemState::NotAutomated,
        other => anyhow::bail!("--status: one of passing, failing, partial, not-run, not-automated (got {other})"),
    })
}

/// Runs the shipped scenarios in the named sandbox, or in a temporary one destroyed afterwards.
async fn run_scenarios(client: &Client, sandbox: Option<&str>) -> anyhow::Result<()> {
    let (id, temporary) = match sandbox {
        Some(given) => (super::sandbox::resolve(client, Some(given)).await?, false),
        None => {
            let name = format!("kruxt-test-plan-{}", std::process::id());
            let created = client
                .call("POST", "/sandbox", Some(&json!({ "name": name, "themeId": wire::model::KRUXT_THEME_ID, "ttlHours": 1 })))
                .await?;
            let id = created["id"].as_str().context("the created sandbox has no id")?.to_owned();
            (id, true)
        }
    };
    let ran = client.call("POST", &format!("/sandbox/{id}/kruxt/scenarios/run"), None).await;
    if temporary {
        if let Err(e) = client.call("DELETE", &format!("/sandbox/{id}"), None).await {
            eprintln!("warning: the temporary sandbox {id} was not destroyed: {e}");
        }
    }
    let ran = ran?;
    let totals = &ran["totals"];
    eprintln!(
        "ran {} KRUXT scenario file(s): {} scenarios, {} passed, {} failed; {} assertions",
        ran["runs"].as_array().map_or(0, Vec::len),
        totals["scenarios"],
        totals["passedScenarios"],
        totals["failedScenarios"],
        totals["assertions"]
    );
    Ok(())
}

fn mark(state: ItemState) -> &'static str {
    match state {
        ItemState::Passing => "PASS",
        ItemState::Failing => "FAIL",
        ItemState::Partial => "partial",
        ItemState::NotRun => "not run",
        ItemState::NotAutomated => "-",
    }
}

/// The plan as text: a heading per group, one line per item, then the totals.
pub fn render(plan: &PlanStatus, only: Option<ItemState>) -> String {
    let mut out = format!("{}\n", plan.name);
    let mut group = "";
    for item in plan.items.iter().filter(|i| only.is_none_or(|s| i.status == s)) {
        if item.group != group {
            group = &item.group;
            out.push_str(&format!("\n{group}\n"));
        }
        let missing: Vec<&str> = item.facets.iter().filter(|f| f.status != FacetState::Passing).map(|f| f.facet.as_str()).collect();
        let scenarios = match (item.scenarios.len(), missing.is_empty()) {
            (0, _) => String::new(),
            (n, true) => format!("  ({n} scenario{})", if n == 1 { "" } else { "s" }),
            (n, false) => format!("  ({n} scenario{}; not passing: {})", if n == 1 { "" } else { "s" }, missing.join(", ")),
        };
        out.push_str(&format!("  {:>3}  {:<8} {}{scenarios}\n", item.number, mark(item.status), item.title));
    }
    let t = plan.totals;
    out.push_str(&format!(
        "\n{} items: {} passing, {} failing, {} partial, {} automated but not run, {} not automated\n",
        t.items, t.passing, t.failing, t.partial, t.not_run, t.not_automated
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offline_plan_lists_every_item_under_its_group() {
        let plan = backend::services::kruxt::offline_plan();
        let text = render(&plan, None);
        assert!(text.lines().any(|l| l.trim_start().starts_with("153 ")), "{text}");
        assert!(text.contains("153 items:"));
        let automated = render(&plan, Some(ItemState::NotRun));
        assert!(automated.lines().any(|l| l.trim_start().starts_with("1 ")), "item 1 has scenarios: {automated}");
        assert_eq!(parse_status("partial").unwrap(), ItemState::Partial);
        assert!(parse_status("flaky").is_err());
    }
}
