//! What the binary ships for KRUXT: the beta test plan (`scenarios/kruxt/test-plan.yaml`: 153
//! items in groups with our short titles) and the scenario files of `scenarios/kruxt/`, with the
//! items each scenario tags.

use domain::scenario::kruxt::{TaggedScenario, TestPlan};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/kruxt_scenarios.rs"));

/// The plan's text.
const TEST_PLAN_YAML: &str = include_str!("../../../../scenarios/kruxt/test-plan.yaml");

/// The beta test plan.
pub fn test_plan() -> &'static TestPlan {
    static PLAN: OnceLock<TestPlan> = OnceLock::new();
    PLAN.get_or_init(|| TestPlan::parse(TEST_PLAN_YAML).expect("scenarios/kruxt/test-plan.yaml is checked by a test"))
}

/// The shipped scenario files: name and text.
pub fn scenario_files() -> &'static [(&'static str, &'static str)] {
    SCENARIO_FILES
}

/// Every scenario of the shipped files with the items it tags (files that do not parse tag
/// nothing; a test keeps them parsing).
pub fn tagged() -> &'static [TaggedScenario] {
    static TAGGED: OnceLock<Vec<TaggedScenario>> = OnceLock::new();
    TAGGED.get_or_init(|| {
        let mut all = Vec::new();
        for (name, text) in SCENARIO_FILES {
            if let Ok(file) = super::scenario::parse(text, name) {
                for s in file.scenarios {
                    all.push(TaggedScenario { file: (*name).to_owned(), scenario: s.name, items: s.test_plan_items, facets: s.facets });
                }
            }
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_has_every_item_once() {
        assert_eq!(test_plan().items.len(), 153);
        assert!(test_plan().items.iter().all(|i| !i.title.trim().is_empty() && !i.group.trim().is_empty()));
    }

    #[test]
    fn every_shipped_scenario_file_parses_and_tags_plan_items() {
        assert!(!SCENARIO_FILES.is_empty(), "scenarios/kruxt/ holds the KRUXT scenarios");
        for (name, text) in SCENARIO_FILES {
            let file = super::super::scenario::parse(text, name).unwrap_or_else(|report| panic!("{name}: {:?}", report.errors));
            for s in &file.scenarios {
                assert!(!s.test_plan_items.is_empty(), "{name}: `{}` tags no test plan item", s.name);
            }
        }
    }

    #[test]
    fn the_foundation_items_are_all_automated() {
        let tagged = tagged();
        for item in [1, 2, 3, 10, 71, 72, 73, 74, 119, 120, 121, 122, 123, 124, 125, 126, 127] {
            assert!(tagged.iter().any(|s| s.items.contains(&item)), "no scenario tags item {item}");
        }
    }
}
