//! Reusable view pieces.

pub mod countdown;
pub mod embed;
pub mod feedback;
pub mod icon;
pub mod layout;
pub mod sandbox_tabs;
pub mod store_table;
