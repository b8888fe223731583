//! One module per page.

pub mod account;
pub mod api_docs;
pub mod home;
pub mod kruxt;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod sandbox;
pub mod sandboxes;

/// A timestamp as pages show it: `2026-11-23 20:31 UTC`.
pub fn format_time(at: &time::OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute())
}
