//! The published JSON Schema agrees with the parsers: it is draft 2020-12, names exactly the keys
//! the tier and KRUXT parsers accept at every level, accepts every suite in `scenarios/` and
//! `scenarios/kruxt/`, and refuses the same structural mistakes the parsers refuse.

use std::collections::BTreeSet;
use std::path::Path;

use domain::scenario::kruxt;
use domain::scenario::Limits;
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
    assert_eq!(schema["then"]["$ref"], "#/$defs/kruxtFile", "a file with theme: kruxt is a KRUXT file");
    assert_eq!(schema["else"]["$ref"], "#/$defs/tierFile");
    assert_eq!(keys(&defs["tierFile"]), set(&FILE_KEYS));
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
fn the_kruxt_part_names_exactly_the_kruxt_parsers_keys() {
    let schema = schema();
    let defs = &schema["$defs"];
    assert_eq!(keys(&defs["kruxtFile"]), set(&kruxt::FILE_KEYS));
    assert_eq!(keys(&defs["kruxtDefaults"]), set(&kruxt::DEFAULTS_KEYS));
    assert_eq!(keys(&defs["kruxtScenario"]), set(&kruxt::SCENARIO_KEYS));
    assert_eq!(keys(&defs["kruxtStep"]), set(&kruxt::STEP_KINDS));
    assert_eq!(keys(&defs["kruxtAssertion"]), set(&kruxt::EXPECTATION_KINDS));
    assert_eq!(keys(&defs["kruxtItem"]), set(&kruxt::STEP_KINDS).union(&set(&kruxt::EXPECTATION_KINDS)).cloned().collect());
    let methods: BTreeSet<String> = defs["kruxtStep"]["properties"]["console"]["properties"]["method"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(methods, set(&kruxt::CONSOLE_METHODS));
    for def in ["kruxtFile", "kruxtDefaults", "kruxtScenario", "kruxtStep", "kruxtAssertion", "kruxtItem"] {
        assert_eq!(defs[def]["additionalProperties"], false, "{def} must refuse unknown keys as the parser does");
    }
}

#[test]
fn every_kruxt_suite_validates_and_parses() {
    let validator = Validator::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/kruxt");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|ext| ext == "yaml") && name != "test-plan.yaml" {
            let text = std::fs::read_to_string(&path).unwrap();
            validator.accepts(&yaml(&text)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let file = kruxt::parse(&text, &name, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {:?}", e.0));
            let warnings = kruxt::lint(&file);
            assert!(warnings.is_empty(), "{name} holds expectations that cannot fail: {warnings:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} KRUXT files");
}

#[test]
fn the_schema_and_the_kruxt_parser_refuse_the_same_structural_mistakes() {
    let validator = Validator::new();
    let head = "name: t\ntheme: kruxt\nscenarios:\n  - name: s\n    steps:\n";
    let good = format!(
        "{head}      - rpc: {{function: log_workout_atomic, args: {{p_title: Legs}}, commit: true}}\n      - capture: {{workout: id}}\n      - select: {{table: workouts, where: {{id: \"${{workout}}\"}}}}\n      - rows: 1\n      - contains: {{path: \"[0]\", value: {{title: Legs}}}}\n      - absent: {{path: \"[0]\", text: secret}}\n      - matches: {{path: \"[0].title\", pattern: \"^L\"}}\n      - sameAs: {{path: \"[0].id\", value: \"${{workout}}\"}}\n"
    );
    validator.accepts(&yaml(&good)).unwrap();
    kruxt::parse(&good, "t.yaml", &Limits::default()).unwrap();
    let mistakes = [
        ("an unknown step", format!("{head}      - jump: 3\n      - ok: true\n")),
        ("an unknown key in an action", format!("{head}      - rpc: {{function: f, argz: {{}}}}\n      - ok: true\n")),
        ("two keys in one step", format!("{head}      - {{rpc: f, ok: true}}\n")),
        ("a console method that does not exist", format!("{head}      - console: {{method: promote}}\n      - ok: true\n")),
        ("a table name in capitals", format!("{head}      - select: Workouts\n      - ok: true\n")),
        ("matches without a pattern", format!("{head}      - rpc: f\n      - matches: {{path: a}}\n")),
        ("absent with text and row", format!("{head}      - rpc: f\n      - absent: {{text: a, row: {{}}}}\n")),
        (
            "an unknown constraints mode",
            "name: t\ntheme: kruxt\nscenarios:\n  - {name: s, constraints: later, steps: [rpc: f, ok: true]}\n".to_owned(),
        ),
        (
            "an item outside the plan",
            "name: t\ntheme: kruxt\ntestPlanItem: 154\nscenarios:\n  - {name: s, steps: [rpc: f, ok: true]}\n".to_owned(),
        ),
        ("steps beside then", "name: t\ntheme: kruxt\nscenarios:\n  - {name: s, steps: [rpc: f], then: [ok: true]}\n".to_owned()),
    ];
    for (what, text) in mistakes {
        assert!(validator.accepts(&yaml(&text)).is_err(), "the schema accepts {what}");
        assert!(kruxt::parse(&text, "t.yaml", &Limits::default()).is_err(), "the parser accepts {what}");
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
