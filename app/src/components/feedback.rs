//! How pages show trouble: errors as messages (never a blank page), and a sign-in prompt when
//! the visitor is not signed in.

use crate::error::{ApiError, ErrorCode};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// An error from a server function, shown as a message; a missing sign-in becomes a link to
/// the sign-in page that returns here afterwards.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let location = use_location();
    if error.code == ErrorCode::Unauthenticated {
        let here = location.pathname.get_untracked();
        let href = format!("/login?next={}", urlencode(&here));
        return view! {
            <div class="rounded-lg border border-amber-700 bg-amber-950/60 p-4" role="alert">
                <p class="font-semibold text-amber-200">"Sign in to continue"</p>
                <p class="mt-1 text-sm text-amber-100">"This page shows sandboxes, which belong to signed-in users."</p>
                <a class="mt-3 inline-block rounded bg-amber-500 px-3 py-1.5 text-sm font-semibold text-stone-950" href=href>"Sign in"</a>
            </div>
        }
        .into_any();
    }
    let detail = error.field().map(|f| format!("Field: {f}"));
    view! {
        <div class="rounded-lg border border-red-800 bg-red-950/70 p-4" role="alert">
            <p class="font-semibold text-red-200">{error.code.as_str()}</p>
            <p class="mt-1 text-sm text-red-100">{error.message}</p>
            {detail.map(|d| view! { <p class="mt-1 text-xs text-red-200">{d}</p> })}
        </div>
    }
    .into_any()
}

/// A short inline message for form results.
#[component]
pub fn InlineError(message: String) -> impl IntoView {
    view! { <p class="mt-1 text-sm text-red-300" role="alert">{message}</p> }
}

/// A placeholder line while data loads.
#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="text-sm text-stone-400" aria-live="polite">{format!("Loading {what}…")}</p> }
}

/// Everything but the unreserved characters of RFC 3986 and `/` is encoded.
const PATH_TEXT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// Percent-encodes a path for use in a query string.
pub fn urlencode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, PATH_TEXT).to_string()
}
