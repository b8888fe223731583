//! `crysknife scenario` as CI runs it: the built binary, offline, on files in a temporary
//! folder. Exit codes 0 (passed), 1 (failed) and 2 (invalid input), the JUnit and JSON reports,
//! golden files written by `--update-golden`, and the generated boundary suite.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use domain::scenario::Report;

const PASSING: &str = "name: passing\ntheme: sietch\nscenarios:\n  - name: QA sets rank for tier computation\n    when: [set: {rank: 5}]\n    then: [tier: {computed: naib, range: 1-7}]\n";
const FAILING: &str = "name: failing\nscenarios:\n  - name: rank 42 enters the council\n    given: {state: {rank: 42}}\n    then: [access: {channel: council-chamber, allowed: true}]\n";
const INVALID: &str = "name: invalid\nscenarios:\n  - name: typo\n    then: [access: {channel: warroom, allowed: true}]\n";

/// A fresh folder for one test.
fn folder() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("crysknife-cli-scenario-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn crysknife(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crysknife"))
        .args(args)
        .current_dir(dir)
        .env_remove("CRYSKNIFE_SERVER")
        .env_remove("CRYSKNIFE_TOKEN")
        .env("CRYSKNIFE_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn passing_files_exit_zero_with_a_summary() {
    let dir = folder();
    write(&dir, "a.yaml", PASSING);
    let output = crysknife(&dir, &["scenario", "run", "--offline", "a.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout(&output).contains("1 file, 1 scenario, 1 assertion: 1 passed, 0 failed"), "{}", stdout(&output));
}

#[test]
fn a_failing_assertion_exits_one_and_shows_expected_actual_and_why() {
    let dir = folder();
    write(&dir, "f.yaml", FAILING);
    let output = crysknife(&dir, &["scenario", "run", "--offline", "f.yaml"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("expected: {\"allowed\":true}"), "{text}");
    assert!(text.contains("actual:   {\"allowed\":false}"), "{text}");
    assert!(text.contains("rank 42 -> at most 7"), "{text}");
}

#[test]
fn invalid_input_exits_two() {
    let dir = folder();
    write(&dir, "a.yaml", PASSING);
    write(&dir, "bad.yaml", INVALID);
    let invalid = crysknife(&dir, &["scenario", "run", "--offline", "a.yaml", "bad.yaml"]);
    assert_eq!(invalid.status.code(), Some(2), "{invalid:?}");
    let text = stdout(&invalid);
    assert!(text.contains("scenarios[0].then[0].access.channel") && text.contains("did you mean war-room"), "{text}");
    assert!(text.contains("PASS    a.yaml"), "the valid file still runs: {text}");
    for args in [
        vec!["scenario", "run", "--offline", "missing.yaml"],
        vec!["scenario", "run", "--offline", "nothing-*.yaml"],
        vec!["scenario", "run", "--offline", "--format", "xml", "a.yaml"],
        vec!["scenario", "run", "--sandbox", "x", "a.yaml"],
        vec!["scenario", "run", "--server", "http://127.0.0.1:9", "a.yaml"],
    ] {
        let output = crysknife(&dir, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}

#[test]
fn junit_goes_to_the_out_file_and_the_summary_to_the_terminal() {
    let dir = folder();
    write(&dir, "a.yaml", PASSING);
    write(&dir, "f.yaml", FAILING);
    let output = crysknife(&dir, &["scenario", "run", "--offline", "--format", "junit", "--out", "reports/scenarios.xml", "*.yaml"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let xml = std::fs::read_to_string(dir.join("reports/scenarios.xml")).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{xml}");
    assert!(xml.contains("<testsuites name=\"crysknife scenarios\" tests=\"2\" failures=\"1\" errors=\"0\""), "{xml}");
    assert!(xml.contains("<testcase name=\"rank 42 enters the council\" classname=\"f.yaml\" assertions=\"1\">"), "{xml}");
    assert!(xml.contains("expected: {&quot;allowed&quot;:true}"), "{xml}");
    assert!(stdout(&output).contains("2 files, 2 scenarios"), "{}", stdout(&output));
}

#[test]
fn json_output_reads_back_as_a_report() {
    let dir = folder();
    write(&dir, "a.yaml", PASSING);
    let output = crysknife(&dir, &["scenario", "run", "--offline", "--format", "json", &dir.display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((report.totals.files, report.totals.passed), (1, 1));
    assert!(report.duration_ms.is_some());
}

#[test]
fn update_golden_writes_the_matrix_and_the_next_run_passes() {
    let dir = folder();
    write(
        &dir,
        "m.yaml",
        "name: m\ntheme: basic\nscenarios:\n  - name: basic channels\n    then: [matrix: {golden: golden/basic.json, part: channels}]\n",
    );
    let missing = crysknife(&dir, &["scenario", "run", "--offline", "m.yaml"]);
    assert_eq!(missing.status.code(), Some(1), "{missing:?}");
    let update = crysknife(&dir, &["scenario", "run", "--offline", "--update-golden", "m.yaml"]);
    assert_eq!(update.status.code(), Some(0), "{update:?}");
    let golden = std::fs::read_to_string(dir.join("golden/basic.json")).unwrap();
    assert!(golden.contains("\"gold-lounge\""), "{golden}");
    let again = crysknife(&dir, &["scenario", "run", "--offline", "m.yaml"]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    std::fs::write(dir.join("golden/basic.json"), golden.replacen("\"denied\"", "\"allowed\"", 1)).unwrap();
    let changed = crysknife(&dir, &["scenario", "run", "--offline", "m.yaml"]);
    assert_eq!(changed.status.code(), Some(1), "{changed:?}");
    assert!(stdout(&changed).contains("/channelCells/"), "{}", stdout(&changed));
}

#[test]
fn the_generated_boundary_suite_is_the_checked_in_one_and_passes() {
    let dir = folder();
    let output = crysknife(&dir, &["scenario", "generate", "boundaries", "--theme", "sietch", "--out", "b.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let generated = std::fs::read_to_string(dir.join("b.yaml")).unwrap();
    let checked_in = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/boundaries-sietch.yaml")).unwrap();
    assert!(generated == checked_in, "scenarios/boundaries-sietch.yaml is stale: run scripts/regen-scenarios");
    assert_eq!(crysknife(&dir, &["scenario", "run", "--offline", "b.yaml"]).status.code(), Some(0));
}

#[test]
fn the_project_suites_pass_through_the_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = crysknife(&root, &["scenario", "run", "--offline", "scenarios/*.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn the_schema_command_prints_the_json_schema() {
    let output = crysknife(&folder(), &["scenario", "schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
}
