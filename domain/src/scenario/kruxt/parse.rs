//! Reading a KRUXT scenario file: the same structure as a tier file (name, defaults, scenarios
//! with given/when/then or one steps list), every problem collected with its path, and the
//! steps and expectations of `model`. Table and column names are checked by the runner against
//! the sandbox's catalog; here only their shape is.

use serde_json::Value;

use super::facets::{check_facet, DEFAULT_SCENARIO_FACET};
use super::model::{
    ErrorExpectation, KruxtAction, KruxtDefaults, KruxtExpectation, KruxtFile, KruxtItem, KruxtScenario, DEFAULTS_KEYS, EXPECTATION_KINDS,
    FILE_KEYS, SCENARIO_KEYS, STEP_KINDS, THEME,
};
use super::read::required;
use crate::lookup::{did_you_mean, near_matches};
use crate::scenario::error::{ErrorKind, ScenarioError, ScenarioErrors};
use crate::scenario::read::{at, join, Reader};
use crate::scenario::step::read_clock;
use crate::scenario::{Format, Limits};

/// The highest item number of the beta test plan.
pub const MAX_ITEM: u32 = 153;

/// Whether the text is a KRUXT scenario file (`theme: kruxt`); unreadable text is not.
pub fn is_kruxt(text: &str, file_name: &str) -> bool {
    read_text(text, file_name, &Limits::default())
        .ok()
        .and_then(|v| v.get("theme").and_then(Value::as_str).map(|t| t.trim().eq_ignore_ascii_case(THEME)))
        .unwrap_or(false)
}

/// Reads a KRUXT file; every problem is reported, and a file with any runs nothing.
pub fn parse(text: &str, file_name: &str, limits: &Limits) -> Result<KruxtFile, ScenarioErrors> {
    let value = read_text(text, file_name, limits)?;
    let mut r = Reader::new(None);
    let file = read_file(&mut r, &value, limits);
    match file {
        Some(file) if r.errors.is_empty() => Ok(file),
        _ => Err(ScenarioErrors(r.errors)),
    }
}

/// YAML or JSON by the file name, the size limit first (the tier format's reader).
fn read_text(text: &str, file_name: &str, limits: &Limits) -> Result<Value, ScenarioErrors> {
    crate::scenario::syntax::read_value(text, Format::detect(file_name, text), limits)
}

fn read_file(r: &mut Reader<'_>, value: &Value, limits: &Limits) -> Option<KruxtFile> {
    let Value::Object(map) = value else {
        r.error("", ErrorKind::WrongType, "a scenario file is a map with a name and a list of scenarios");
        return None;
    };
    r.known_keys("", map, &FILE_KEYS);
    let name = required(r, "", map, "name").and_then(|v| r.text("name", v));
    let description = map.get("description").and_then(|v| r.text("description", v));
    match map.get("theme").and_then(|v| r.text("theme", v)) {
        Some(theme) if theme.eq_ignore_ascii_case(THEME) => {}
        _ => r.error("theme", ErrorKind::Theme, "a KRUXT scenario file says `theme: kruxt`"),
    }
    let file_items = map.get("testPlanItem").map(|v| items(r, "testPlanItem", v)).unwrap_or_default();
    let defaults = map.get("defaults").map(|v| read_defaults(r, v)).unwrap_or_default();
    let scenarios = match required(r, "", map, "scenarios") {
        Some(Value::Array(list)) if !list.is_empty() => {
            if list.len() > limits.max_scenarios {
                r.error("scenarios", ErrorKind::Limit, format!("a file may hold at most {} scenarios", limits.max_scenarios));
            }
            list.iter().enumerate().filter_map(|(i, v)| read_scenario(r, &at("scenarios", i), v, &file_items, limits)).collect()
        }
        Some(_) => {
            r.error("scenarios", ErrorKind::WrongType, "scenarios must be a list of at least one scenario");
            Vec::new()
        }
        None => Vec::new(),
    };
    Some(KruxtFile { name: name?, description, defaults, scenarios })
}

/// `testPlanItem: 7` or `[120, 127]`: item numbers of the beta test plan.
fn items(r: &mut Reader<'_>, path: &str, value: &Value) -> Vec<u32> {
    let list: Vec<(String, &Value)> = match value {
        Value::Array(list) => list.iter().enumerate().map(|(i, v)| (at(path, i), v)).collect(),
        single => vec![(path.to_owned(), single)],
    };
    let mut found = Vec::new();
    for (item_path, item) in list {
        match r.count(&item_path, item).and_then(|n| u32::try_from(n).ok()) {
            Some(n) if (1..=MAX_ITEM).contains(&n) => found.push(n),
            Some(n) => r.error(&item_path, ErrorKind::InvalidValue, format!("the beta test plan has items 1 to {MAX_ITEM}; got {n}")),
            None => {}
        }
    }
    found
}

fn read_defaults(r: &mut Reader<'_>, value: &Value) -> KruxtDefaults {
    let Some(map) = r.map("defaults", value, "defaults") else { return KruxtDefaults::default() };
    r.known_keys("defaults", map, &DEFAULTS_KEYS);
    KruxtDefaults {
        actor: map.get("actor").and_then(|v| r.text("defaults.actor", v)),
        clock: map.get("clock").and_then(|v| read_clock(r, "defaults.clock", v)),
    }
}

fn read_scenario(r: &mut Reader<'_>, path: &str, value: &Value, file_items: &[u32], limits: &Limits) -> Option<KruxtScenario> {
    let map = r.map(path, value, "a scenario")?;
    let first_error = r.errors.len();
    r.known_keys(path, map, &SCENARIO_KEYS);
    let name = required(r, path, map, "name").and_then(|v| r.text(&join(path, "name"), v));
    let description = map.get("description").and_then(|v| r.text(&join(path, "description"), v));
    let mut tags = map.get("tags").and_then(|v| r.texts(&join(path, "tags"), v)).unwrap_or_default();
    let mut test_plan_items = file_items.to_vec();
    if let Some(v) = map.get("testPlanItem") {
        test_plan_items.extend(items(r, &join(path, "testPlanItem"), v));
    }
    test_plan_items.sort_unstable();
    test_plan_items.dedup();
    tags.extend(test_plan_items.iter().map(|n| format!("item:{n}")));
    let facets = match map.get("facets") {
        None => vec![DEFAULT_SCENARIO_FACET.to_owned()],
        Some(v) => {
            let facets_path = join(path, "facets");
            let names = r.texts(&facets_path, v).unwrap_or_default();
            for (i, name) in names.iter().enumerate() {
                if let Err(message) = check_facet(name) {
                    r.error(&at(&facets_path, i), ErrorKind::InvalidValue, message);
                }
            }
            if names.is_empty() {
                r.error(&facets_path, ErrorKind::Missing, "facets names at least one facet");
            }
            if test_plan_items.is_empty() {
                r.error(&facets_path, ErrorKind::Missing, "facets are facets of test plan items: say testPlanItem too");
            }
            names
        }
    };
    let immediate = match map.get("constraints") {
        None => false,
        Some(v) => r.choice(&join(path, "constraints"), v, &["deferred", "immediate"]) == Some("immediate"),
    };
    if map.contains_key("steps") && (map.contains_key("when") || map.contains_key("then")) {
        r.error(
            &join(path, "steps"),
            ErrorKind::Conflict,
            "write a scenario either with given/when/then or with given and one steps list, not both",
        );
    }
    let mut list = Vec::new();
    for (key, steps, expectations) in [("given", true, false), ("when", true, false), ("then", false, true), ("steps", true, true)] {
        if let Some(v) = map.get(key) {
            read_list(r, &join(path, key), v, steps, expectations, &mut list);
        }
    }
    if list.len() > limits.max_steps {
        r.error(path, ErrorKind::Limit, format!("a scenario may have at most {} steps and assertions", limits.max_steps));
    }
    if !list.iter().any(|item| matches!(item.action, KruxtAction::Expect(_))) && r.errors.len() == first_error {
        r.error(path, ErrorKind::Missing, "a scenario needs at least one expectation (under then, or in steps)");
    }
    Some(KruxtScenario { name: name?, path: path.to_owned(), description, tags, test_plan_items, facets, immediate, items: list })
}

fn read_list(r: &mut Reader<'_>, path: &str, value: &Value, steps: bool, expectations: bool, out: &mut Vec<KruxtItem>) {
    let entries: Vec<(String, &Value)> = match value {
        Value::Array(list) => list.iter().enumerate().map(|(i, v)| (at(path, i), v)).collect(),
        Value::Object(_) => vec![(path.to_owned(), value)],
        _ => {
            r.error(
                path,
                ErrorKind::WrongType,
                "must be a list of steps or assertions, each a map with one key such as `as: sara_conti` or `rows: 2`",
            );
            return;
        }
    };
    for (item_path, item) in entries {
        let Value::Object(map) = item else {
            r.error(&item_path, ErrorKind::WrongType, "a step or assertion is a map with one key naming its kind");
            continue;
        };
        let (Some((kind, value)), 1) = (map.iter().next(), map.len()) else {
            let found: Vec<&str> = map.keys().map(String::as_str).collect();
            r.error(
                &item_path,
                ErrorKind::WrongType,
                format!("a step or assertion has exactly one key naming its kind; got {}", found.join(", ")),
            );
            continue;
        };
        let kind_path = join(&item_path, kind);
        let action = if steps && STEP_KINDS.contains(&kind.as_str()) {
            super::steps::read_step(r, &kind_path, kind, value).map(KruxtAction::Step)
        } else if expectations && EXPECTATION_KINDS.contains(&kind.as_str()) {
            read_expectation(r, &kind_path, kind, value).map(KruxtAction::Expect)
        } else {
            let known: Vec<&str> = match (steps, expectations) {
                (true, false) => STEP_KINDS.to_vec(),
                (false, _) => EXPECTATION_KINDS.to_vec(),
                (true, true) => STEP_KINDS.iter().chain(EXPECTATION_KINDS.iter()).copied().collect(),
            };
            let near = near_matches(kind, known.iter().copied());
            let message = format!("unknown step or assertion {kind}{} here; known: {}", did_you_mean(&near), known.join(", "));
            r.push(ScenarioError::new(kind_path, ErrorKind::UnknownKey, message).with_near(near));
            None
        };
        if let Some(action) = action {
            out.push(KruxtItem { path: item_path, action });
        }
    }
}

fn read_expectation(r: &mut Reader<'_>, path: &str, kind: &str, value: &Value) -> Option<KruxtExpectation> {
    match kind {
        "ok" => r.boolean(path, value).map(KruxtExpectation::Ok),
        "rows" => r.count(path, value).map(KruxtExpectation::Rows),
        "affected" => r.count(path, value).map(KruxtExpectation::Affected),
        "error" => read_error(r, path, value).map(KruxtExpectation::Error),
        "result" => Some(KruxtExpectation::Result(value.clone())),
        "equals" => Some(KruxtExpectation::Equals(value.clone())),
        "unchanged" => {
            let (table, filter) = super::steps::read_target(r, path, value)?;
            Some(KruxtExpectation::Unchanged { table, filter })
        }
        _ => super::expect::read(r, path, kind, value),
    }
}

/// `error: KX403` (a SQLSTATE or a flow code), or `{sqlstate, code, message, step, recoverable}`.
fn read_error(r: &mut Reader<'_>, path: &str, value: &Value) -> Option<ErrorExpectation> {
    let Value::Object(map) = value else {
        let text = r.text(path, value)?;
        let is_sqlstate = text.len() == 5 && text.chars().all(|c| c.is_ascii_alphanumeric());
        return Some(if is_sqlstate {
            ErrorExpectation { sqlstate: Some(text.to_ascii_uppercase()), ..ErrorExpectation::default() }
        } else {
            ErrorExpectation { code: Some(text), ..ErrorExpectation::default() }
        });
    };
    r.known_keys(path, map, &["sqlstate", "code", "message", "step", "recoverable"]);
    let expectation = ErrorExpectation {
        sqlstate: map.get("sqlstate").and_then(|v| r.text(&join(path, "sqlstate"), v)).map(|s| s.to_ascii_uppercase()),
        code: map.get("code").and_then(|v| r.text(&join(path, "code"), v)),
        message: map.get("message").and_then(|v| r.text(&join(path, "message"), v)),
        step: map.get("step").and_then(|v| r.text(&join(path, "step"), v)),
        recoverable: map.get("recoverable").and_then(|v| r.boolean(&join(path, "recoverable"), v)),
    };
    if expectation == ErrorExpectation::default() {
        r.error(path, ErrorKind::Missing, "name at least one of sqlstate, code, message, step, recoverable");
    }
    Some(expectation)
}
