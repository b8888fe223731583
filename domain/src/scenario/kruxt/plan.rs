//! The KRUXT beta test plan as data: 153 numbered items in groups, each with a short title and
//! the facets it needs (`facets`), and the status of each item from the scenarios that tag it
//! (`testPlanItem`, `facets`) and their last runs: passing when every facet passes, failing,
//! partial, automated but not run, or not automated yet.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::facets::{facet_statuses, read_item, Evidence, FacetState, FacetStatus, NeededFacet};
use super::parse::MAX_ITEM;

/// The plan: every item, ordered by number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestPlan {
    /// The plan's name.
    pub name: String,
    /// Items 1 to 153.
    pub items: Vec<PlanItem>,
}

/// One item of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    /// Its number in the plan.
    pub number: u32,
    /// The plan section it belongs to ("Security and RLS").
    pub group: String,
    /// What it requires, in a line.
    pub title: String,
    /// The facets it needs, each with the spec's reason when the plan gives one.
    pub facets: Vec<NeededFacet>,
}

/// A scenario and the items it tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaggedScenario {
    /// The scenario file's name (`item-001-cross-user-reads.yaml`).
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The items it covers.
    pub items: Vec<u32>,
    /// The facets it shows for them.
    pub facets: Vec<String>,
}

/// The newest recorded run of one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LastRun {
    /// The scenario file's name.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// Whether every assertion held.
    pub passed: bool,
    /// When it ran.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The stored run it belongs to.
    pub run_id: String,
    /// The sandbox it ran in.
    pub sandbox_id: String,
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ItemState {
    /// Every facet it needs passes (each shown by scenarios that passed on their last run).
    Passing,
    /// Some scenario tagging it failed on its last run.
    Failing,
    /// Some facet it needs has no scenario yet; none fails.
    Partial,
    /// Scenarios tag it, but not all of them have run.
    NotRun,
    /// No scenario tags it yet.
    NotAutomated,
}

/// One scenario of an item, with its last run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemScenario {
    /// The scenario file's name.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The facets it shows.
    pub facets: Vec<String>,
    /// Its newest run, if any.
    pub last_run: Option<LastRun>,
}

/// One item with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemStatus {
    /// Its number.
    pub number: u32,
    /// Its group.
    pub group: String,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub status: ItemState,
    /// Each facet it needs, with where it stands.
    pub facets: Vec<FacetStatus>,
    /// The scenarios tagging it.
    pub scenarios: Vec<ItemScenario>,
}

/// Counts of items by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanTotals {
    /// Items in the plan.
    pub items: usize,
    /// Items passing.
    pub passing: usize,
    /// Items failing.
    pub failing: usize,
    /// Items with a facet not shown yet.
    pub partial: usize,
    /// Items automated, not (all) run.
    pub not_run: usize,
    /// Items without a scenario.
    pub not_automated: usize,
}

/// The whole plan's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanStatus {
    /// The plan's name.
    pub name: String,
    /// Every item, by number.
    pub items: Vec<ItemStatus>,
    /// Counts by status.
    pub totals: PlanTotals,
}

/// Why a plan file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("test plan: {0}")]
pub struct PlanError(pub String);

impl TestPlan {
    /// Reads the YAML plan: `name`, then `groups`, each `{group, items: {number: item}}` where an
    /// item is its title, or `{title, facets, why}` (`facets` defaults to positive and negative;
    /// `why` maps a facet to the spec's reason). Every number from 1 to 153 must appear once.
    pub fn parse(text: &str) -> Result<TestPlan, PlanError> {
        let value: Value = serde_norway::from_str(text).map_err(|e| PlanError(e.to_string()))?;
        let name = value.get("name").and_then(Value::as_str).ok_or_else(|| PlanError("name is required".into()))?.to_owned();
        let groups = value.get("groups").and_then(Value::as_array).ok_or_else(|| PlanError("groups must be a list".into()))?;
        let mut items = Vec::new();
        for group in groups {
            let label = group.get("group").and_then(Value::as_str).ok_or_else(|| PlanError("every group needs `group`".into()))?;
            let entries = group
                .get("items")
                .and_then(Value::as_object)
                .ok_or_else(|| PlanError(format!("group {label}: items must be a map of number to title")))?;
            for (number, title) in entries {
                let number: u32 = number.parse().map_err(|_| PlanError(format!("group {label}: {number} is not an item number")))?;
                let (title, facets) = read_item(number, title).map_err(PlanError)?;
                items.push(PlanItem { number, group: label.to_owned(), title, facets });
            }
        }
        items.sort_by_key(|item| item.number);
        let numbers: Vec<u32> = items.iter().map(|item| item.number).collect();
        if numbers != (1..=MAX_ITEM).collect::<Vec<u32>>() {
            let missing: Vec<String> = (1..=MAX_ITEM).filter(|n| !numbers.contains(n)).map(|n| n.to_string()).collect();
            return Err(PlanError(format!(
                "items 1 to {MAX_ITEM} must each appear once (missing: {}; {} listed)",
                missing.join(", "),
                numbers.len()
            )));
        }
        Ok(TestPlan { name, items })
    }

    /// The status of every item from the tagging scenarios and their last runs.
    pub fn status(&self, scenarios: &[TaggedScenario], runs: &[LastRun]) -> PlanStatus {
        let mut totals = PlanTotals { items: self.items.len(), ..PlanTotals::default() };
        let items = self
            .items
            .iter()
            .map(|item| {
                let tagged: Vec<ItemScenario> = scenarios
                    .iter()
                    .filter(|s| s.items.contains(&item.number))
                    .map(|s| ItemScenario {
                        file: s.file.clone(),
                        scenario: s.scenario.clone(),
                        facets: s.facets.clone(),
                        last_run: runs.iter().filter(|r| r.file == s.file && r.scenario == s.scenario).max_by_key(|r| r.at).cloned(),
                    })
                    .collect();
                let evidence: Vec<Evidence<'_>> = tagged
                    .iter()
                    .map(|s| Evidence {
                        facets: &s.facets,
                        label: format!("{}: {}", s.file, s.scenario),
                        passed: s.last_run.as_ref().map(|r| r.passed),
                    })
                    .collect();
                let facets = facet_statuses(&item.facets, &evidence);
                let status = if tagged.is_empty() {
                    ItemState::NotAutomated
                } else if tagged.iter().any(|s| s.last_run.as_ref().is_some_and(|r| !r.passed)) {
                    ItemState::Failing
                } else if facets.iter().all(|f| f.status == FacetState::Passing) {
                    ItemState::Passing
                } else if facets.iter().any(|f| f.status == FacetState::Missing) {
                    ItemState::Partial
                } else {
                    ItemState::NotRun
                };
                match status {
                    ItemState::Passing => totals.passing += 1,
                    ItemState::Failing => totals.failing += 1,
                    ItemState::Partial => totals.partial += 1,
                    ItemState::NotRun => totals.not_run += 1,
                    ItemState::NotAutomated => totals.not_automated += 1,
                }
                ItemStatus { number: item.number, group: item.group.clone(), title: item.title.clone(), status, facets, scenarios: tagged }
            })
            .collect();
        PlanStatus { name: self.name.clone(), items, totals }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> TestPlan {
        let items: Vec<PlanItem> =
            (1..=MAX_ITEM).map(|number| PlanItem { number, group: "G".into(), title: format!("item {number}"), facets: two() }).collect();
        TestPlan { name: "plan".into(), items }
    }

    fn two() -> Vec<NeededFacet> {
        vec![NeededFacet::plain("positive"), NeededFacet::plain("negative")]
    }

    fn tag(scenario: &str, items: Vec<u32>, facets: &[&str]) -> TaggedScenario {
        TaggedScenario { file: "a.yaml".into(), scenario: scenario.into(), items, facets: facets.iter().map(|f| (*f).to_owned()).collect() }
    }

    fn run(file: &str, scenario: &str, passed: bool, minute: i64) -> LastRun {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute);
        LastRun { file: file.into(), scenario: scenario.into(), passed, at, run_id: "r".into(), sandbox_id: "s".into() }
    }

    #[test]
    fn an_item_passes_when_every_facet_passed_on_the_newest_runs() {
        let tagged = vec![
            tag("one", vec![1, 2], &["positive", "negative"]),
            tag("two", vec![2], &["negative"]),
            tag("three", vec![4], &["positive"]),
        ];
        let runs = vec![
            run("a.yaml", "one", false, 1),
            run("a.yaml", "one", true, 2),
            run("a.yaml", "two", false, 3),
            run("a.yaml", "three", true, 4),
        ];
        let status = plan().status(&tagged, &runs);
        assert_eq!(status.items[0].status, ItemState::Passing, "the newer passing run of `one` wins");
        assert_eq!(status.items[1].status, ItemState::Failing);
        assert_eq!(status.items[1].facets[1].status, FacetState::Failing);
        assert_eq!(status.items[2].status, ItemState::NotAutomated);
        assert_eq!(status.items[3].status, ItemState::Partial, "a passing positive case alone is not enough");
        assert_eq!(status.items[3].facets[1].status, FacetState::Missing);
        assert_eq!(status.totals, PlanTotals { items: 153, passing: 1, failing: 1, partial: 1, not_run: 0, not_automated: 150 });
    }

    #[test]
    fn a_tagged_item_without_runs_is_automated_but_not_run() {
        let tagged = vec![tag("one", vec![3], &["positive", "negative"])];
        assert_eq!(plan().status(&tagged, &[]).items[2].status, ItemState::NotRun);
    }

    #[test]
    fn an_item_may_name_its_facets_and_why() {
        let mut text = String::from("name: p\ngroups:\n  - group: G\n    items:\n");
        for n in 1..=MAX_ITEM {
            text.push_str(&format!("      {n}: item {n}\n"));
        }
        let text = text.replace(
            "      14: item 14\n",
            "      14: {title: promotion, facets: [positive, negative, concurrency], why: {concurrency: two promoters at once}}\n",
        );
        let plan = TestPlan::parse(&text).unwrap();
        assert_eq!(plan.items[0].facets, two());
        assert_eq!(plan.items[13].facets[2], NeededFacet { facet: "concurrency".into(), why: Some("two promoters at once".into()) });
        let bad = text.replace("concurrency], why", "speed], why");
        assert!(TestPlan::parse(&bad).unwrap_err().0.contains("item 14: speed is not a facet"));
        let stray = text.replace("why: {concurrency:", "why: {perf:feed:");
        assert!(TestPlan::parse(&stray).is_err());
    }

    #[test]
    fn a_plan_missing_an_item_is_refused_naming_it() {
        let text = "name: p\ngroups:\n  - group: G\n    items:\n      1: one\n";
        let error = TestPlan::parse(text).unwrap_err();
        assert!(error.0.contains("missing: 2, 3"), "{error}");
    }
}
