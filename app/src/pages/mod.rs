//! One module per page.

pub mod api_docs;
pub mod home;
pub mod not_found;
