//! The wasm entry point: hydrates the server-rendered app shell and nothing else.

// Release builds keep every view's full type; hydrating the deepest pages needs more than the
// default limit.
#![recursion_limit = "512"]

/// Called by the hydration script that the server puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    _ = console_log::init_with_level(log::Level::Warn);
    console_error_panic_hook::set_once();
    // Lazily loaded routes (their wasm chunks) are fetched before their part of the page is
    // hydrated, so hydration is asynchronous.
    leptos::mount::hydrate_lazy(app::App);
}
