//! Every suite in `scenarios/` (not `scenarios/kruxt/`, which needs a database) passes through
//! the pure runner, with golden files read beside it, and the checked-in boundary suites are
//! exactly what the generator writes today.

use std::path::{Path, PathBuf};

use domain::scenario::{boundary_suite, run_text, FileStatus, RunEnv, ScenarioStatus};
use domain::Evaluator;

fn suites() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_suite_in_the_scenarios_folder_passes() {
    let files = suites();
    assert!(files.len() >= 6, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap().to_owned();
        let golden = move |relative: &str| std::fs::read_to_string(dir.join(relative)).ok();
        let env = RunEnv { golden: &golden, ..RunEnv::builtin() };
        let report = run_text(&text, &path.display().to_string(), &env);
        let failures: Vec<String> = report
            .scenarios
            .iter()
            .filter(|s| s.status != ScenarioStatus::Passed)
            .map(|s| format!("{}: {:?} {:#?}", s.name, s.error, s.assertions.iter().filter(|a| !a.passed).collect::<Vec<_>>()))
            .collect();
        assert_eq!(report.status, FileStatus::Passed, "{}: {:#?} {failures:#?}", path.display(), report.errors);
    }
}

#[test]
fn the_checked_in_boundary_suites_are_what_the_generator_writes() {
    for theme in ["sietch", "basic"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../scenarios/boundaries-{theme}.yaml"));
        let checked_in = std::fs::read_to_string(&path).unwrap();
        let generated = boundary_suite(&Evaluator::builtin(theme).unwrap());
        assert!(checked_in == generated, "{} is stale: run scripts/regen-scenarios", path.display());
    }
}

#[test]
fn the_readme_example_passes() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/README.md")).unwrap();
    let example = readme.split("```yaml\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a yaml example");
    let report = run_text(example, "README.md", &RunEnv::builtin());
    assert_eq!(report.status, FileStatus::Passed, "{:#?}", report);
    assert!(report.totals.scenarios >= 3);
}
