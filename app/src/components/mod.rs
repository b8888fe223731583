//! Reusable view pieces.

pub mod layout;
pub mod store_table;
