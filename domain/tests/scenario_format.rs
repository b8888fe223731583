//! The scenario format through the public API: both styles read the same, tables expand, bad
//! input is refused with paths, near matches and line numbers, limits are enforced, an invalid
//! file runs nothing, failures carry expected, actual and why, and golden files update.

use domain::scenario::{
    parse, render_junit, render_pretty, run_text, ErrorKind, FileStatus, Limits, Report, RunEnv, ScenarioErrors, ScenarioStatus,
};

fn errors(text: &str) -> ScenarioErrors {
    parse(text, "t.yaml", &RunEnv::builtin()).expect_err("the file should be refused")
}

#[test]
fn given_when_then_and_a_plain_list_run_the_same_scenario() {
    let gherkin =
        "name: g\nscenarios:\n  - name: s\n    given: {state: {rank: 42}}\n    when: [set: {bgt: 500}]\n    then: [tier: fedaykin]\n";
    let plain = "name: p\nscenarios:\n  - name: s\n    steps:\n      - set: {rank: 42, bgt: 500}\n      - tier: fedaykin\n";
    for text in [gherkin, plain] {
        let report = run_text(text, "t.yaml", &RunEnv::builtin());
        assert_eq!((report.status, report.totals.assertions), (FileStatus::Passed, 1), "{text}: {:?}", report.errors);
    }
}

#[test]
fn json_files_use_the_same_structure() {
    let text =
        r#"{"name": "j", "theme": "basic", "scenarios": [{"name": "s", "given": {"state": {"rank": 3}}, "then": [{"tier": "gold"}]}]}"#;
    let report = run_text(text, "t.json", &RunEnv::builtin());
    assert_eq!(report.status, FileStatus::Passed, "{:?}", report.errors);
    assert_eq!(report.theme.as_deref(), Some("basic"));
}

#[test]
fn an_examples_table_makes_one_scenario_per_row_with_its_values() {
    let text = "name: t\nscenarios:\n  - name: BGT <bgt> gives <tier>\n    when: [set: {bgt: <bgt>}]\n    then: [tier: <tier>]\n    examples:\n      - {bgt: 500, tier: sihaya}\n      - {bgt: \"6.9\", tier: hajra}\n";
    let report = run_text(text, "t.yaml", &RunEnv::builtin());
    let names: Vec<&str> = report.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["BGT 500 gives sihaya", "BGT 6.9 gives hajra"]);
    assert_eq!(report.scenarios[1].example.as_ref().map(|e| e.row), Some(2));
    assert_eq!(report.status, FileStatus::Passed);
}

#[test]
fn an_unknown_channel_is_named_with_its_path_and_near_matches() {
    let errors = errors("name: t\nscenarios:\n  - name: a\n    then: [tier: hajra]\n  - name: b\n    then:\n      - access: {channel: warroom, allowed: true}\n");
    let error = errors.iter().find(|e| e.kind == ErrorKind::UnknownChannel).unwrap();
    assert_eq!(error.path, "scenarios[1].then[0].access.channel");
    assert_eq!(error.near_matches, ["war-room"]);
}

#[test]
fn unknown_keys_tiers_features_and_badges_are_all_reported_at_once() {
    let text = "name: t\nscenarios:\n  - name: a\n    given: {state: {bgtt: 5}}\n    then:\n      - tier: fedaykn\n      - feature: {id: vot, allowed: true}\n      - badges: {earned: [waterr_sharer]}\n      - acess: {channel: war-room, allowed: true}\n";
    let errors = errors(text);
    assert!(errors.has("scenarios[0].given.state.bgtt", ErrorKind::UnknownKey), "{errors}");
    assert!(errors.has("scenarios[0].then[0].tier", ErrorKind::UnknownTier), "{errors}");
    assert!(errors.has("scenarios[0].then[1].feature.id", ErrorKind::UnknownFeature), "{errors}");
    assert!(errors.has("scenarios[0].then[2].badges.earned[0]", ErrorKind::UnknownBadge), "{errors}");
    let unknown = errors.iter().find(|e| e.path == "scenarios[0].then[3].acess").unwrap();
    assert_eq!(unknown.near_matches, ["access"]);
    assert!(errors.to_string().contains("did you mean fedaykin"), "{errors}");
}

#[test]
fn a_step_under_then_and_an_assertion_under_when_are_refused() {
    let errors = errors("name: t\nscenarios:\n  - name: a\n    when: [tier: naib]\n    then: [set: {rank: 1}]\n");
    assert!(errors.has("scenarios[0].when[0].tier", ErrorKind::UnknownKey), "{errors}");
    assert!(errors.has("scenarios[0].then[0].set", ErrorKind::UnknownKey), "{errors}");
}

#[test]
fn engine_rules_are_checked_when_the_file_is_read() {
    let text = "name: t\nscenarios:\n  - name: a\n    given: {state: {rank: 0, bgt: \"-4\"}, overrides: {bgt: {naib: 100}}}\n    then: [tier: naib]\n";
    let errors = errors(text);
    assert!(errors.has("scenarios[0].given.state.rank", ErrorKind::InvalidValue), "{errors}");
    assert!(errors.has("scenarios[0].given.state.bgt", ErrorKind::InvalidValue), "{errors}");
    assert!(errors.has("scenarios[0].given.overrides.bgt.naib", ErrorKind::InvalidValue), "{errors}");
}

#[test]
fn a_syntax_error_has_a_line_and_column_and_nothing_runs() {
    let report = run_text("name: t\nscenarios:\n  - name: a\n    then: [tier: naib\n", "t.yaml", &RunEnv::builtin());
    assert_eq!(report.status, FileStatus::Invalid);
    assert!(report.scenarios.is_empty());
    assert_eq!(report.errors[0].kind, ErrorKind::Syntax);
    assert!(report.errors[0].line.is_some(), "{:?}", report.errors);
}

#[test]
fn one_bad_scenario_keeps_the_whole_file_from_running() {
    let report = run_text(
        "name: t\nscenarios:\n  - name: good\n    then: [tier: hajra]\n  - name: bad\n    then: [tier: nope]\n",
        "t.yaml",
        &RunEnv::builtin(),
    );
    assert_eq!((report.status, report.scenarios.len(), report.totals.invalid_files), (FileStatus::Invalid, 0, 1));
}

#[test]
fn limits_are_enforced_with_clear_messages() {
    let limits = Limits { max_scenarios: 2, max_rows: 3, ..Limits::default() };
    let env = RunEnv { limits, ..RunEnv::builtin() };
    let many =
        "name: t\nscenarios:\n  - {name: a, then: [tier: hajra]}\n  - {name: b, then: [tier: hajra]}\n  - {name: c, then: [tier: hajra]}\n";
    let errors = parse(many, "t.yaml", &env).unwrap_err();
    assert!(errors.iter().any(|e| e.kind == ErrorKind::Limit && e.message.contains("at most 2 scenarios")), "{errors}");
    let rows = "name: t\nscenarios:\n  - name: r\n    then: [tier: <t>]\n    examples: [{t: hajra}, {t: hajra}, {t: hajra}, {t: hajra}]\n";
    let errors = parse(rows, "t.yaml", &env).unwrap_err();
    assert!(errors.has("scenarios[0].examples", ErrorKind::Limit), "{errors}");
}

#[test]
fn an_unknown_theme_is_refused() {
    let errors = errors("name: t\ntheme: kruxt\nscenarios:\n  - {name: a, then: [tier: hajra]}\n");
    assert!(errors.has("theme", ErrorKind::Theme), "{errors}");
}

#[test]
fn a_failing_assertion_reports_expected_actual_and_why_in_every_rendering() {
    let text = "name: t\nscenarios:\n  - name: denied\n    given: {state: {rank: 42}}\n    then: [access: {channel: council-chamber, allowed: true}]\n";
    let file = run_text(text, "t.yaml", &RunEnv::builtin());
    let assertion = &file.scenarios[0].assertions[0];
    assert!(!assertion.passed);
    assert_eq!(assertion.expected["allowed"], true);
    assert_eq!(assertion.actual["allowed"], false);
    assert!(assertion.explanation.contains("rank 42 -> at most 7"), "{}", assertion.explanation);
    let report = Report::new(vec![file]);
    assert_eq!(report.exit_code(), 1);
    let pretty = render_pretty(&report);
    assert!(pretty.contains("expected: {\"allowed\":true}") && pretty.contains("actual:   {\"allowed\":false}"), "{pretty}");
    let junit = render_junit(&report);
    assert!(junit.contains("<failure message=\"1 of 1 assertions failed\""), "{junit}");
}

#[test]
fn a_refused_step_stops_its_scenario_with_the_reason() {
    let text = "name: t\nscenarios:\n  - name: ladder\n    when: [config: {bgt: {sihaya: 100}}]\n    then: [tier: hajra]\n";
    let report = run_text(text, "t.yaml", &RunEnv::builtin());
    let scenario = &report.scenarios[0];
    assert_eq!(scenario.status, ScenarioStatus::Error);
    let error = scenario.error.as_ref().unwrap();
    assert_eq!(error.path, "scenarios[0].when[0]");
    assert!(error.message.contains("sihaya"), "{}", error.message);
}

#[test]
fn update_mode_returns_new_golden_contents_instead_of_failing() {
    let text = "name: t\ntheme: basic\nscenarios:\n  - {name: m, then: [matrix: {golden: golden/m.json, part: features}]}\n";
    let missing = run_text(text, "t.yaml", &RunEnv::builtin());
    assert_eq!(missing.status, FileStatus::Failed);
    let update = RunEnv { update_golden: true, ..RunEnv::builtin() };
    let written = run_text(text, "t.yaml", &update);
    assert_eq!(written.status, FileStatus::Passed);
    let contents = written.golden_updates[0].contents.clone();
    assert!(contents.contains("\"featureCells\""));
    let golden = move |path: &str| (path == "golden/m.json").then(|| contents.clone());
    let env = RunEnv { golden: &golden, ..RunEnv::builtin() };
    assert_eq!(run_text(text, "t.yaml", &env).status, FileStatus::Passed);
}

#[test]
fn the_simulated_clock_starts_at_the_documented_instant_and_never_runs_back() {
    let at = |clock: &str| {
        format!("name: t\nscenarios:\n  - name: c\n    steps:\n      - activity: cta_click\n      - clock: {clock}\n      - activity: profile_view\n      - stage: {{points: 10}}\n")
    };
    let same = run_text(&at("2026-01-19T12:00:00Z"), "t.yaml", &RunEnv::builtin());
    assert_eq!(same.scenarios[0].status, ScenarioStatus::Passed, "{:?}", same.scenarios[0]);
    let earlier = run_text(&at("2026-01-19T11:59:59Z"), "t.yaml", &RunEnv::builtin());
    let error = earlier.scenarios[0].error.as_ref().unwrap();
    assert!(error.message.contains("time cannot run backwards"), "{}", error.message);
}
