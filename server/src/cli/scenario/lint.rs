//! `crysknife scenario lint`: reads scenario files without running them and reports what is
//! wrong (as `run` would: exit 2) and expectations that cannot fail (exit 1); 0 when clean.

use domain::scenario::kruxt::{self, lint};
use domain::scenario::{self, Limits, RunEnv, ScenarioError};
use std::path::PathBuf;

/// Lints every file; the exit code of the worst finding.
pub(super) fn lint_files(files: &[PathBuf]) -> anyhow::Result<i32> {
    let mut code = 0;
    let (mut warned, mut invalid) = (0, 0);
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let errors: Vec<ScenarioError> = if kruxt::is_kruxt(&text, &name) {
            match kruxt::parse(&text, &name, &Limits::default()) {
                Ok(file) => {
                    for w in lint(&file) {
                        println!("{}: {}: warning: {}", path.display(), w.path, w.message);
                        warned += 1;
                    }
                    Vec::new()
                }
                Err(errors) => errors.0,
            }
        } else {
            scenario::parse(&text, &name, &RunEnv::builtin()).err().map(|e| e.0).unwrap_or_default()
        };
        for e in &errors {
            println!("{}: error: {e}", path.display());
        }
        if !errors.is_empty() {
            invalid += 1;
        }
    }
    if invalid > 0 {
        code = 2;
    } else if warned > 0 {
        code = 1;
    }
    eprintln!("{} file(s): {invalid} invalid, {warned} warning(s)", files.len());
    Ok(code)
}
