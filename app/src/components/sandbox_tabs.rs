//! The tabs of one sandbox's pages.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

const TABS: &[(&str, &str)] = &[
    ("Console", ""),
    ("Matrix", "/matrix"),
    ("Blur", "/blur"),
    ("Thresholds", "/thresholds"),
    ("Scenarios", "/scenarios"),
    ("Audit", "/audit"),
    ("Lint", "/lint"),
];

/// Links to each page of the sandbox, the current one marked.
#[component]
pub fn SandboxTabs(id: String) -> impl IntoView {
    let location = use_location();
    view! {
        <nav aria-label="Sandbox pages" class="mt-4 flex flex-wrap gap-1 border-b border-stone-800 text-sm">
            {TABS
                .iter()
                .map(|(label, suffix)| {
                    let href = format!("/sandboxes/{id}{suffix}");
                    let target = href.clone();
                    let current = Memo::new(move |_| location.pathname.get() == target);
                    view! {
                        <a
                            href=href
                            class="rounded-t px-3 py-2 hover:bg-stone-800"
                            class:bg-stone-800=current
                            class:text-amber-300=current
                            aria-current=move || if current.get() { "page" } else { "false" }
                        >
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
