//! The KRUXT database as built into the binary: `migrations/kruxt/NNNN_*.sql` in order, then
//! `migrations/kruxt/seed/NNNN_*.sql`, seeded at the pinned anchor. The template database is
//! named after a hash of all of it, so a changed file means a new template. The build script
//! finds the files in the checkout being built.

use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::OffsetDateTime;

/// The seed anchor `T` (99 §1) every template is seeded at; a sandbox's clock starts there.
pub const ANCHOR: OffsetDateTime = datetime!(2026-03-09 09:00:00 +01:00);
/// `ANCHOR` as the seed files receive it in `kruxt.now`.
pub const ANCHOR_TEXT: &str = "2026-03-09T09:00:00+01:00";

/// Changes whenever the way a template is built changes (not only its files).
const BUILD_FORMAT: &str = "crysknife-kruxt-template-2";

include!(concat!(env!("OUT_DIR"), "/kruxt_migrations.rs"));
include!(concat!(env!("OUT_DIR"), "/kruxt_seeds.rs"));

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

    #[test]
    fn the_built_in_files_are_the_numbered_files_in_order() {
        assert!(MIGRATIONS.len() >= 8 && !SEEDS.is_empty());
        assert_eq!(MIGRATIONS[0].0, "0001_roles_and_auth.sql");
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(SEEDS[0].0, "0001_demo_core.sql");
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
