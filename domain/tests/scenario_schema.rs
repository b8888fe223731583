//! The published JSON Schema agrees with the parser: it is draft 2020-12, names exactly the keys
//! the parser accepts at every level, accepts every suite in `scenarios/`, and refuses the same
//! structural mistakes the parser refuses.

use std::collections::BTreeSet;
use std::path::Path;

use domain::scenario::{
    parse, RunEnv, DEFAULTS_KEYS, EXPECTATION_KINDS, FILE_KEYS, GIVEN_KEYS, JSON_SCHEMA, SCENARIO_KEYS, STATE_KEYS, STEP_KINDS,
};
use serde_json::Value;

const LOCATION: &str = "http://crysknife.invalid/scenario.schema.json";

fn schema() -> Value {
    serde_json::from_str(JSON_SCHEMA).expect("the schema is JSON")
}

fn keys(value: &Value) -> BTreeSet<String> {
    value["properties"].as_object().expect("an object schema with properties").keys().cloned().collect()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new() -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource(LOCATION, schema()).unwrap();
        let index = compiler.compile(LOCATION, &mut schemas).expect("the schema compiles as draft 2020-12");
        Validator { schemas, index }
    }

    fn accepts(&self, instance: &Value) -> Result<(), String> {
        self.schemas.validate(instance, self.index).map_err(|e| format!("{e:#}"))
    }
}

fn yaml(text: &str) -> Value {
    serde_norway::from_str(text).unwrap()
}

#[test]
fn the_schema_is_draft_2020_12_and_names_exactly_the_parsers_keys() {
    let schema = schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let defs = &schema["$defs"];
    assert_eq!(keys(&schema), set(&FILE_KEYS));
    assert_eq!(keys(&defs["defaults"]), set(&DEFAULTS_KEYS));
    assert_eq!(keys(&defs["scenario"]), set(&SCENARIO_KEYS));
    assert_eq!(keys(&defs["givenMap"]), set(&GIVEN_KEYS));
    assert_eq!(keys(&defs["step"]), set(&STEP_KINDS));
    assert_eq!(keys(&defs["assertion"]), set(&EXPECTATION_KINDS));
    assert_eq!(keys(&defs["item"]), set(&STEP_KINDS).union(&set(&EXPECTATION_KINDS)).cloned().collect());
    assert_eq!(keys(&defs["statePatch"]), set(&STATE_KEYS));
    for def in ["step", "assertion", "item", "scenario", "defaults", "givenMap", "statePatch"] {
        assert_eq!(defs[def]["additionalProperties"], false, "{def} must refuse unknown keys as the parser does");
    }
}

#[test]
fn every_suite_in_the_scenarios_folder_validates_against_the_schema() {
    let validator = Validator::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            validator.accepts(&yaml(&text)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn the_schema_and_the_parser_refuse_the_same_structural_mistakes() {
    let validator = Validator::new();
    let good =
        "name: t\nscenarios:\n  - name: s\n    given: {state: {rank: 42}}\n    when: [set: {bgt: 500}]\n    then: [tier: fedaykin]\n";
    validator.accepts(&yaml(good)).unwrap();
    assert!(parse(good, "t.yaml", &RunEnv::builtin()).is_ok());
    let mistakes = [
        ("an unknown top-level key", "name: t\nscenaros: []\nscenarios:\n  - {name: s, then: [tier: hajra]}\n"),
        ("no name", "scenarios:\n  - {name: s, then: [tier: hajra]}\n"),
        ("an unknown scenario key", "name: t\nscenarios:\n  - {name: s, thne: [tier: hajra], then: [tier: hajra]}\n"),
        ("an unknown step", "name: t\nscenarios:\n  - {name: s, when: [jump: 3], then: [tier: hajra]}\n"),
        ("an unknown assertion", "name: t\nscenarios:\n  - {name: s, then: [tears: hajra]}\n"),
        ("two keys in one step", "name: t\nscenarios:\n  - {name: s, when: [{set: {rank: 1}, assume: naib}], then: [tier: naib]}\n"),
        ("an unknown state field", "name: t\nscenarios:\n  - {name: s, given: {state: {bgtt: 5}}, then: [tier: hajra]}\n"),
        ("access without a channel", "name: t\nscenarios:\n  - {name: s, then: [access: {allowed: true}]}\n"),
        ("an unknown access field", "name: t\nscenarios:\n  - {name: s, then: [access: {channel: war-room, alowed: true}]}\n"),
        ("no scenarios", "name: t\nscenarios: []\n"),
    ];
    for (what, text) in mistakes {
        assert!(validator.accepts(&yaml(text)).is_err(), "the schema accepts {what}");
        assert!(parse(text, "t.yaml", &RunEnv::builtin()).is_err(), "the parser accepts {what}");
    }
}
