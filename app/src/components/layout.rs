//! The frame of every page: header with navigation and the user menu, and footer with the
//! version.

use crate::api::auth::{me, LogoutForm};
use leptos::prelude::*;

/// The top bar: product name, main navigation, and who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="border-b border-stone-800 bg-stone-900/80">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-6 px-4 py-3 sm:px-6">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight text-amber-300">
                    <span aria-hidden="true" class="inline-block h-3 w-3 rotate-45 bg-amber-400"></span>
                    "Crysknife"
                </a>
                <nav aria-label="Main" class="flex flex-1 flex-wrap gap-1 text-sm">
                    <a class="rounded px-3 py-1.5 hover:bg-stone-800" href="/sandboxes">"Sandboxes"</a>
                    <a class="rounded px-3 py-1.5 hover:bg-stone-800" href="/kruxt/test-plan">"KRUXT test plan"</a>
                    <a class="rounded px-3 py-1.5 hover:bg-stone-800" href="/api/docs">"API"</a>
                </nav>
                <UserMenu/>
            </div>
        </header>
    }
}

/// "Sign in", or the user's name and role with links to their tokens and a sign-out button.
#[component]
fn UserMenu() -> impl IntoView {
    // Asked again on every navigation, so signing in or out shows at once.
    let location = leptos_router::hooks::use_location();
    let user = Resource::new(move || location.pathname.get(), |_| me());
    let logout = ServerAction::<LogoutForm>::new();
    view! {
        <Transition fallback=|| ()>
            {move || {
                user.get()
                    .map(|answer| match answer {
                        Ok(u) => view! {
                            <div class="flex items-center gap-3 text-sm">
                                <span>
                                    <span class="font-medium" data-testid="signed-in-user">{u.username.clone()}</span>
                                    <span class="ml-1 rounded bg-stone-800 px-1.5 py-0.5 text-xs text-stone-300">{u.role.as_str()}</span>
                                </span>
                                <a class="text-amber-300 hover:underline" href="/account">"API tokens"</a>
                                <ActionForm action=logout>
                                    <button type="submit" class="rounded border border-stone-700 px-2 py-1 hover:border-amber-400">"Sign out"</button>
                                </ActionForm>
                            </div>
                        }
                        .into_any(),
                        Err(_) => view! { <a class="text-sm text-amber-300 hover:underline" href="/login">"Sign in"</a> }.into_any(),
                    })
            }}
        </Transition>
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
