//! The frame of every page: header with navigation, and footer with the version.

use leptos::prelude::*;

/// Areas of the product; those not built yet are shown, marked, and not linked.
const AREAS: &[&str] = &["Sandboxes", "Matrix", "Scenarios", "KRUXT"];

/// The top bar: product name and the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="border-b border-stone-800 bg-stone-900/80">
            <div class="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 sm:px-6">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight text-amber-300">
                    <span aria-hidden="true" class="inline-block h-3 w-3 rotate-45 bg-amber-400"></span>
                    "Crysknife"
                </a>
                <nav aria-label="Main" class="flex flex-wrap gap-1 text-sm">
                    {AREAS
                        .iter()
                        .map(|label| {
                            view! {
                                <span
                                    class="cursor-not-allowed rounded px-3 py-1.5 text-stone-500"
                                    aria-disabled="true"
                                    title="Not available yet"
                                >
                                    {*label}
                                </span>
                            }
                        })
                        .collect_view()}
                </nav>
            </div>
        </header>
    }
}

/// The bottom bar: what this is and which version runs.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="border-t border-stone-800 text-xs text-stone-400">
            <div class="mx-auto flex max-w-6xl justify-between px-4 py-4 sm:px-6">
                <span>"Crysknife — a QA sandbox for permission systems"</span>
                <span>"version " <span data-testid="version">{crate::VERSION}</span></span>
            </div>
        </footer>
    }
}
