//! The page for any address that is not a route.

use leptos::prelude::*;
use leptos_meta::Title;

/// Says the page does not exist and links home; the response status is 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <h1 class="text-2xl font-semibold">"Page not found"</h1>
        <p class="mt-2 text-stone-300">
            "There is nothing at this address. " <a class="text-amber-300 underline" href="/">"Go to the start page"</a> "."
        </p>
    }
}
