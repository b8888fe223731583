//! Reading a file's structure: the top-level keys, `defaults`, every scenario with its `given`,
//! `when` and `then` (or one plain `steps` list), and the limits. Steps and expectations are
//! read by their own modules; table-driven scenarios are expanded by `examples`.

use serde_json::{Map, Value};

use super::error::ErrorKind;
use super::examples;
use super::model::{
    Action, Defaults, Item, Scenario, ScenarioFile, DEFAULTS_KEYS, EXPECTATION_KINDS, FILE_KEYS, GIVEN_KEYS, SCENARIO_KEYS, STEP_KINDS,
};
use super::read::{at, join, Reader};
use super::{expect, step, Limits};
use crate::lookup::near_matches;

/// Which items a list may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// `given` and `when`: steps only.
    Steps,
    /// `then`: expectations only.
    Expectations,
    /// `steps`: both, in one list.
    Both,
}

/// Reads a whole file; every problem is recorded in the reader.
pub(crate) fn read_file(r: &mut Reader<'_>, value: &Value, limits: &Limits) -> Option<ScenarioFile> {
    let Value::Object(map) = value else {
        r.error("", ErrorKind::WrongType, "a scenario file is a map with a name and a list of scenarios");
        return None;
    };
    r.known_keys("", map, &FILE_KEYS);
    let name = required(r, "", map, "name", "the file's name").and_then(|v| r.text("name", v));
    let description = map.get("description").and_then(|v| r.text("description", v));
    let theme = map.get("theme").and_then(|v| r.text("theme", v));
    let defaults = map.get("defaults").map(|v| read_defaults(r, v)).unwrap_or_default();
    let scenarios = required(r, "", map, "scenarios", "a list of scenarios").map(|v| read_scenarios(r, v, limits)).unwrap_or_default();
    let assertions: usize = scenarios.iter().map(Scenario::assertion_count).sum();
    if assertions > limits.max_assertions {
        let message = format!(
            "the file has {assertions} assertions; a file may have at most {} (split it into several files)",
            limits.max_assertions
        );
        r.error("scenarios", ErrorKind::Limit, message);
    }
    Some(ScenarioFile { name: name?, description, theme, defaults, scenarios })
}

fn required<'v>(r: &mut Reader<'_>, path: &str, map: &'v Map<String, Value>, key: &str, what: &str) -> Option<&'v Value> {
    let value = map.get(key);
    if value.is_none() {
        r.error(&join(path, key), ErrorKind::Missing, format!("{key} is required: {what}"));
    }
    value
}

fn read_defaults(r: &mut Reader<'_>, value: &Value) -> Defaults {
    let mut defaults = Defaults::default();
    let Some(map) = r.map("defaults", value, "defaults") else { return defaults };
    r.known_keys("defaults", map, &DEFAULTS_KEYS);
    if let Some(v) = map.get("state") {
        defaults.state = step::read_patch(r, "defaults.state", v).unwrap_or_default();
    }
    if let Some(v) = map.get("overrides") {
        defaults.overrides = step::read_overrides(r, "defaults.overrides", v, true).unwrap_or_default();
    }
    if let Some(v) = map.get("assume") {
        defaults.assume = step::read_assumption(r, "defaults.assume", v);
    }
    if let Some(v) = map.get("clock") {
        defaults.clock = step::read_clock(r, "defaults.clock", v);
    }
    defaults
}

fn read_scenarios(r: &mut Reader<'_>, value: &Value, limits: &Limits) -> Vec<Scenario> {
    let Value::Array(list) = value else {
        r.error("scenarios", ErrorKind::WrongType, "scenarios must be a list");
        return Vec::new();
    };
    if list.is_empty() {
        r.error("scenarios", ErrorKind::Missing, "scenarios must hold at least one scenario");
    }
    let mut scenarios: Vec<Scenario> = Vec::with_capacity(list.len());
    let mut over = false;
    'entries: for (i, item) in list.iter().enumerate() {
        let path = at("scenarios", i);
        let Some(map) = r.map(&path, item, "a scenario") else { continue };
        let Some(table) = map.get("examples") else {
            if scenarios.len() >= limits.max_scenarios {
                over = true;
                break;
            }
            scenarios.extend(read_scenario(r, &path, map, None, limits));
            continue;
        };
        let template = map.get("name").and_then(Value::as_str);
        for (row, values) in examples::rows(r, &join(&path, "examples"), table, limits).into_iter().enumerate() {
            if scenarios.len() >= limits.max_scenarios {
                over = true;
                break 'entries;
            }
            r.example = Some(row + 1);
            let filled = examples::fill(r, &path, map, &values);
            let example = super::model::Example { row: row + 1, values };
            if let Some(mut scenario) = read_scenario(r, &path, &filled, Some(example), limits) {
                // A name without placeholders would repeat for every row; the row number tells them apart.
                if template == Some(scenario.name.as_str()) {
                    scenario.name = format!("{} (example {})", scenario.name, row + 1);
                }
                scenarios.push(scenario);
            }
            r.example = None;
        }
    }
    r.example = None;
    if over {
        let message =
            format!("a file may hold at most {} scenarios, example rows included (split it into several files)", limits.max_scenarios);
        r.error("scenarios", ErrorKind::Limit, message);
    }
    scenarios
}

fn read_scenario(
    r: &mut Reader<'_>,
    path: &str,
    map: &Map<String, Value>,
    example: Option<super::model::Example>,
    limits: &Limits,
) -> Option<Scenario> {
    let first_error = r.errors.len();
    r.known_keys(path, map, &SCENARIO_KEYS);
    let name = required(r, path, map, "name", "a sentence saying what the scenario shows").and_then(|v| r.text(&join(path, "name"), v));
    let description = map.get("description").and_then(|v| r.text(&join(path, "description"), v));
    let tags = map.get("tags").and_then(|v| r.texts(&join(path, "tags"), v)).unwrap_or_default();
    if map.contains_key("steps") && (map.contains_key("when") || map.contains_key("then")) {
        r.error(
            &join(path, "steps"),
            ErrorKind::Conflict,
            "write a scenario either with given/when/then or with given and one steps list, not both",
        );
    }
    let mut items = Vec::new();
    if let Some(given) = map.get("given") {
        let given_path = join(path, "given");
        match given {
            Value::Object(given_map) if !is_single_item(given_map) => read_given_map(r, &given_path, given_map, &mut items),
            _ => read_list(r, &given_path, given, Section::Steps, &mut items),
        }
    }
    for (key, section) in [("when", Section::Steps), ("then", Section::Expectations), ("steps", Section::Both)] {
        if let Some(list) = map.get(key) {
            read_list(r, &join(path, key), list, section, &mut items);
        }
    }
    if items.len() > limits.max_steps {
        let message =
            format!("the scenario has {} steps and assertions; a scenario may have at most {} (split it)", items.len(), limits.max_steps);
        r.error(path, ErrorKind::Limit, message);
    }
    if !items.iter().any(|item| matches!(item.action, Action::Expect(_))) && r.errors.len() == first_error {
        r.error(path, ErrorKind::Missing, "a scenario needs at least one expectation (under then, or in steps)");
    }
    let name = name?;
    Some(Scenario { name, path: path.to_owned(), description, tags, example, items })
}

/// Whether a map is one step written alone (`given: {assume: fedaykin}` reads the same either way).
fn is_single_item(map: &Map<String, Value>) -> bool {
    map.len() == 1 && map.keys().all(|key| STEP_KINDS.contains(&key.as_str()) && !GIVEN_KEYS.contains(&key.as_str()))
}

/// `given` as a map: state, facts, overrides and role, applied in a fixed order.
fn read_given_map(r: &mut Reader<'_>, path: &str, map: &Map<String, Value>, items: &mut Vec<Item>) {
    r.known_keys(path, map, &GIVEN_KEYS);
    for key in GIVEN_KEYS {
        let Some(value) = map.get(key) else { continue };
        let item_path = join(path, key);
        let kind = if key == "overrides" { "config" } else { key };
        if let Some(step) = step::read_step(r, &item_path, kind, value) {
            items.push(Item { path: item_path, action: Action::Step(step) });
        }
    }
}

/// A list of items, or one item written alone.
fn read_list(r: &mut Reader<'_>, path: &str, value: &Value, section: Section, items: &mut Vec<Item>) {
    match value {
        Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                items.extend(read_item(r, &at(path, i), item, section));
            }
        }
        Value::Object(_) => items.extend(read_item(r, path, value, section)),
        _ => r.error(
            path,
            ErrorKind::WrongType,
            "must be a list of steps or assertions, each a map with one key such as `set: {bgt: 500}` or `tier: sihaya`",
        ),
    }
}

fn read_item(r: &mut Reader<'_>, path: &str, value: &Value, section: Section) -> Option<Item> {
    let Value::Object(map) = value else {
        r.error(
            path,
            ErrorKind::WrongType,
            "a step or assertion is a map with one key naming its kind, such as `set: {bgt: 500}` or `tier: sihaya`",
        );
        return None;
    };
    let mut keys = map.keys();
    let (Some(kind), None) = (keys.next(), keys.next()) else {
        let found: Vec<&str> = map.keys().map(String::as_str).collect();
        let message = format!(
            "a step or assertion has exactly one key naming its kind; got {}",
            if found.is_empty() { "none".to_owned() } else { found.join(", ") }
        );
        r.error(path, ErrorKind::WrongType, message);
        return None;
    };
    let value = &map[kind];
    let kind_path = join(path, kind);
    let is_step = STEP_KINDS.contains(&kind.as_str());
    let is_expectation = EXPECTATION_KINDS.contains(&kind.as_str());
    let action = match (is_step, is_expectation, section) {
        (true, _, Section::Steps | Section::Both) => Action::Step(step::read_step(r, &kind_path, kind, value)?),
        (_, true, Section::Expectations | Section::Both) => Action::Expect(expect::read_expectation(r, &kind_path, kind, value)?),
        (true, _, Section::Expectations) => {
            r.error(
                &kind_path,
                ErrorKind::UnknownKey,
                format!("{kind} is a step; steps go under given or when (or steps), assertions under then"),
            );
            return None;
        }
        (_, true, Section::Steps) => {
            r.error(
                &kind_path,
                ErrorKind::UnknownKey,
                format!("{kind} is an assertion; assertions go under then (or steps), steps under given or when"),
            );
            return None;
        }
        _ => {
            let known: Vec<&str> = match section {
                Section::Steps => STEP_KINDS.to_vec(),
                Section::Expectations => EXPECTATION_KINDS.to_vec(),
                Section::Both => STEP_KINDS.iter().chain(EXPECTATION_KINDS.iter()).copied().collect(),
            };
            let what = match section {
                Section::Steps => "step",
                Section::Expectations => "assertion",
                Section::Both => "step or assertion",
            };
            let near = near_matches(kind, known.iter().copied());
            let message = format!("unknown {what} {kind}{}; known: {}", crate::lookup::did_you_mean(&near), known.join(", "));
            r.push(super::error::ScenarioError::new(kind_path, ErrorKind::UnknownKey, message).with_near(near));
            return None;
        }
    };
    Some(Item { path: path.to_owned(), action })
}
