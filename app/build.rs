//! Builds the list of KRUXT scenario files shipped in the binary: every `scenarios/kruxt/*.yaml`
//! (and `.yml`, `.json`) except the test plan itself, by name, in name order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // At run time, not `env!`: a build script binary may be reused for another checkout.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("../scenarios/kruxt");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")) && n != "test-plan.yaml")
        .collect();
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
