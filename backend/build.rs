//! Lists the files built into the binary, found in the checkout at build time so a new file is
//! never forgotten: the KRUXT scenario files of `scenarios/kruxt/` (except the test plan
//! itself), and the KRUXT migrations and seed files of `migrations/kruxt/` and its `seed/`
//! (`NNNN_*.sql`), each list in name order.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // At run time, not `env!`: a build script binary may be reused for another checkout.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("..");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));

    let scenarios = root.join("scenarios/kruxt");
    let files = listed(&scenarios, |n| (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")) && n != "test-plan.yaml");
    write(
        &out.join("kruxt_scenarios.rs"),
        "The KRUXT scenario files of `scenarios/kruxt/`, by name.",
        "SCENARIO_FILES",
        &scenarios,
        &files,
    );

    let is_build_file = |n: &str| n.ends_with(".sql") && n.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let migrations = root.join("migrations/kruxt");
    let seeds = migrations.join("seed");
    write(
        &out.join("kruxt_migrations.rs"),
        "The KRUXT migrations, in the order they run.",
        "MIGRATIONS",
        &migrations,
        &listed(&migrations, is_build_file),
    );
    write(&out.join("kruxt_seeds.rs"), "The KRUXT seed files, run after every migration.", "SEEDS", &seeds, &listed(&seeds, is_build_file));
}

/// The names of the files in `dir` that `keep` accepts, sorted.
fn listed(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().filter(|e| e.path().is_file()).map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| keep(n))
        .collect();
    names.sort();
    names
}

/// Writes `pub const NAME: &[(&str, &str)]` of (file name, contents) pairs.
fn write(target: &Path, doc: &str, name: &str, dir: &Path, files: &[String]) {
    let mut out = format!("/// {doc}\npub const {name}: &[(&str, &str)] = &[\n");
    for file in files {
        let path = dir.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({file:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    std::fs::write(target, out).unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}
