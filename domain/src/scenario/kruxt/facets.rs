//! Facets of a test plan item: what it takes for the item to count as passing. Every item needs
//! its `positive` and `negative` case; some also a known failure of the reference implementation
//! shown fixed (`defect:<name>`), behaviour under `concurrency`, or a speed target
//! (`perf:<target>`). A scenario says which facets it shows (`facets:`; `positive` when it says
//! nothing), and a facet stands where the scenarios showing it stand.

use serde::{Deserialize, Serialize};

use serde_json::Value;

/// The facets an item needs when the plan names none.
pub const DEFAULT_FACETS: [&str; 2] = ["positive", "negative"];
/// The facet a scenario shows when it names none.
pub const DEFAULT_SCENARIO_FACET: &str = "positive";

/// Whether `name` is a facet: `positive`, `negative`, `concurrency`, `defect:<kebab-name>` or
/// `perf:<kebab-name>`; the error says what is allowed.
pub fn check_facet(name: &str) -> Result<(), String> {
    let kebab = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let ok = match name.split_once(':') {
        None => matches!(name, "positive" | "negative" | "concurrency"),
        Some(("defect" | "perf", rest)) => kebab(rest),
        Some(_) => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name} is not a facet: positive, negative, concurrency, defect:<name> or perf:<name> (lower-case letters, digits and -)"
        ))
    }
}

/// A facet an item needs, with the spec's reason when the plan gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NeededFacet {
    /// `positive`, `negative`, `defect:<name>`, `concurrency`, `perf:<target>`.
    pub facet: String,
    /// Why the item needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl NeededFacet {
    /// A facet without a stated reason.
    pub fn plain(facet: &str) -> NeededFacet {
        NeededFacet { facet: facet.to_owned(), why: None }
    }
}

/// Where one facet of an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum FacetState {
    /// Every scenario showing it passed on its newest run.
    Passing,
    /// A scenario showing it failed on its newest run.
    Failing,
    /// Scenarios show it, but not all of them have run.
    NotRun,
    /// No scenario shows it yet.
    Missing,
}

/// One facet of an item with its status and the scenarios that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FacetStatus {
    /// `positive`, `negative`, `defect:<name>`, `concurrency`, `perf:<target>`.
    pub facet: String,
    /// Why the item needs it (the spec's reason), when the plan says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Where it stands.
    pub status: FacetState,
    /// The scenarios showing it (`file: scenario`).
    pub scenarios: Vec<String>,
}

/// What a scenario shows for an item: its facets, a label (`file: scenario`) and whether its
/// newest run passed (`None`: not run).
pub(crate) struct Evidence<'s> {
    pub facets: &'s [String],
    pub label: String,
    pub passed: Option<bool>,
}

/// The status of each facet an item needs, from the scenarios tagging the item.
pub(crate) fn facet_statuses(needed: &[NeededFacet], evidence: &[Evidence<'_>]) -> Vec<FacetStatus> {
    needed
        .iter()
        .map(|NeededFacet { facet, why }| {
            let showing: Vec<&Evidence<'_>> = evidence.iter().filter(|e| e.facets.iter().any(|f| f == facet)).collect();
            let status = if showing.is_empty() {
                FacetState::Missing
            } else if showing.iter().any(|e| e.passed == Some(false)) {
                FacetState::Failing
            } else if showing.iter().all(|e| e.passed.is_some()) {
                FacetState::Passing
            } else {
                FacetState::NotRun
            };
            FacetStatus { facet: facet.clone(), why: why.clone(), status, scenarios: showing.iter().map(|e| e.label.clone()).collect() }
        })
        .collect()
}

/// One item of the plan file: its title and the facets it needs.
pub(crate) fn read_item(number: u32, value: &Value) -> Result<(String, Vec<NeededFacet>), String> {
    let defaults = || -> Vec<NeededFacet> { DEFAULT_FACETS.iter().map(|f| NeededFacet::plain(f)).collect() };
    if let Some(title) = value.as_str() {
        return Ok((title.to_owned(), defaults()));
    }
    let map = value.as_object().ok_or_else(|| format!("item {number}: a title, or a map of title, facets and why"))?;
    if let Some(key) = map.keys().find(|k| !["title", "facets", "why"].contains(&k.as_str())) {
        return Err(format!("item {number}: unknown key {key} (title, facets, why)"));
    }
    let title = map.get("title").and_then(Value::as_str).ok_or_else(|| format!("item {number}: the title must be text"))?;
    let why = match map.get("why") {
        None => serde_json::Map::new(),
        Some(Value::Object(why)) => why.clone(),
        Some(_) => return Err(format!("item {number}: why maps a facet to its reason")),
    };
    let facets: Vec<NeededFacet> = match map.get("facets") {
        None => defaults(),
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .map(|f| {
                let name = f.as_str().ok_or_else(|| format!("item {number}: a facet is a text"))?;
                check_facet(name).map_err(|e| format!("item {number}: {e}"))?;
                Ok(NeededFacet { facet: name.to_owned(), why: why.get(name).and_then(Value::as_str).map(str::to_owned) })
            })
            .collect::<Result<_, String>>()?,
        Some(_) => return Err(format!("item {number}: facets is a non-empty list")),
    };
    if let Some(stray) = why.keys().find(|k| !facets.iter().any(|f| &f.facet == *k)) {
        return Err(format!("item {number}: why names {stray}, which is not one of its facets"));
    }
    Ok((title.to_owned(), facets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_names_are_the_five_kinds() {
        for good in ["positive", "negative", "concurrency", "defect:promotion-double-books", "perf:feed"] {
            assert_eq!(check_facet(good), Ok(()), "{good}");
        }
        for bad in ["Positive", "defect:", "defect:Double", "perf:-x", "speed:feed", "negative:x", ""] {
            assert!(check_facet(bad).is_err(), "{bad}");
        }
    }
}
