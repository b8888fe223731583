//! Server functions: one per file, each with an explicit `/api/v1/<area>/<verb>` endpoint,
//! JSON in and out, calling one service function.

pub mod system;
