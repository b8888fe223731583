//! Builds the list of KRUXT scenario files shipped in the binary: every `scenarios/kruxt/*.yaml`
//! (and `.yml`, `.json`) except the test plan itself, by name, in name order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/kruxt");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .filter(|n| (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")) && n != "test-plan.yaml")
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// The KRUXT scenario files of `scenarios/kruxt/`, by name.\npub const SCENARIO_FILES: &[(&str, &str)] = &[\n");
    for name in &files {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("kruxt_scenarios.rs");
    std::fs::write(target, out).expect("writing the KRUXT scenario list");
}
