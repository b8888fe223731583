//! The KRUXT database as built into the binary: `migrations/kruxt/NNNN_*.sql` in order, then
//! `migrations/kruxt/seed/NNNN_*.sql`, seeded at the pinned anchor. The template database is
//! named after a hash of all of it, so a changed file means a new template. A test keeps these
//! lists equal to the folders.

use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::OffsetDateTime;

/// The seed anchor `T` (99 §1) every template is seeded at; a sandbox's clock starts there.
pub const ANCHOR: OffsetDateTime = datetime!(2026-03-09 09:00:00 +01:00);
/// `ANCHOR` as the seed files receive it in `kruxt.now`.
pub const ANCHOR_TEXT: &str = "2026-03-09T09:00:00+01:00";

/// Changes whenever the way a template is built changes (not only its files).
const BUILD_FORMAT: &str = "crysknife-kruxt-template-2";

macro_rules! kruxt_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../migrations/kruxt/", $dir, $name)))),*]
    };
}

/// The migrations, in the order they run.
pub const MIGRATIONS: &[(&str, &str)] = kruxt_files!("": 
    "0001_roles_and_auth.sql",
    "0002_conventions.sql",
    "0003_identity_gyms.sql",
    "0004_gym_rbac.sql",
    "0005_workforce.sql",
    "0006_kpi_crm.sql",
    "0007_security_baseline.sql",
    "0008_staff_console.sql",
    "0010_workouts_social_tables.sql",
    "0011_workouts_logic.sql",
    "0012_home_feed_candidates.sql",
    "0020_classes_waitlist.sql",
    "0021_checkins_access_logs.sql",
    "0022_acceptance_evidence.sql",
    "0023_member_billing.sql",
    "0024_ops_summary.sql",
    "0030_escalation_guards.sql",
);

/// The seed files, run after every migration.
pub const SEEDS: &[(&str, &str)] = kruxt_files!("seed/": "0001_demo_core.sql", "0010_workouts_social.sql", "0020_b2b_ops.sql");

/// `kruxt_tpl_<16 hex digits>`: the template database for exactly these files and anchor.
pub fn template_name() -> String {
    let mut hash = Sha256::new();
    hash.update(BUILD_FORMAT);
    hash.update(ANCHOR_TEXT);
    for (name, text) in MIGRATIONS.iter().chain(SEEDS) {
        hash.update((name.len() as u64).to_be_bytes());
        hash.update(name);
        hash.update((text.len() as u64).to_be_bytes());
        hash.update(text);
    }
    let digest = hash.finalize();
    format!("kruxt_tpl_{}", hex::encode(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(dir: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/kruxt").join(dir);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".sql") && n.as_bytes().first().is_some_and(u8::is_ascii_digit))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_kruxt_migration_and_seed_file_is_built_in_in_order() {
        let built_in = |files: &[(&str, &str)]| files.iter().map(|(n, _)| (*n).to_owned()).collect::<Vec<_>>();
        assert_eq!(built_in(MIGRATIONS), listed(""), "add the new file to MIGRATIONS in files.rs");
        assert_eq!(built_in(SEEDS), listed("seed"), "add the new file to SEEDS in files.rs");
    }

    #[test]
    fn the_template_name_is_a_stable_postgres_identifier() {
        let name = template_name();
        assert_eq!(name, template_name());
        assert_eq!(name.len(), "kruxt_tpl_".len() + 16);
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
    }

    #[test]
    fn no_build_file_holds_a_psql_meta_command() {
        for (name, text) in MIGRATIONS.iter().chain(SEEDS) {
            assert!(!text.lines().any(|l| l.trim_start().starts_with('\\')), "{name} holds a psql meta-command");
        }
    }
}
