//! The start page: what Crysknife is, and the live state of the system.

use crate::api::system::system_info;
use crate::components::store_table::StoreTable;
use crate::error::ApiError;
use crate::model::SystemReport;
use leptos::prelude::*;
use leptos_meta::Title;

/// The start page. The system card is rendered on the server (readable without JavaScript);
/// once hydrated, "Check the stores now" asks the server again.
#[component]
pub fn HomePage() -> impl IntoView {
    let initial = Resource::new(|| (), |_| system_info());
    let check = Action::new(|_: &()| system_info());
    let checks = check.version();
    let report = move || check.value().get().or_else(|| initial.get());

    view! {
        <Title text="Home"/>
        <section class="max-w-3xl">
            <h1 class="text-3xl font-bold tracking-tight text-amber-200">"Crysknife"</h1>
            <p class="mt-3 text-lg text-stone-300">
                "A QA sandbox for permission systems. Create an isolated sandbox, assume a role, set a "
                "hypothetical user state, override thresholds, and ask: may this user see this channel, "
                "use this feature, read this row? Every answer comes with its reason and the smallest "
                "change that would flip it."
            </p>
        </section>
        <section aria-labelledby="system-heading" class="mt-10 max-w-3xl rounded-lg border border-stone-800 bg-stone-900 p-6">
            <div class="flex flex-wrap items-center justify-between gap-4">
                <h2 id="system-heading" class="text-xl font-semibold">"System"</h2>
                <button
                    type="button"
                    class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950 hover:bg-amber-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-200 disabled:opacity-60"
                    disabled=move || check.pending().get()
                    on:click=move |_| {
                        check.dispatch(());
                    }
                >
                    "Check the stores now"
                </button>
            </div>
            <Suspense fallback=|| view! { <p class="mt-4 text-stone-400">"Checking the stores…"</p> }>
                {move || report().map(|r| view! { <SystemCard report=r/> })}
            </Suspense>
            <p class="mt-4 text-xs text-stone-400" role="status">
                {move || match checks.get() {
                    0 => String::new(),
                    1 => "Checked again 1 time on this visit.".to_owned(),
                    n => format!("Checked again {n} times on this visit."),
                }}
            </p>
        </section>
    }
}

/// The version, schema, instances and stores of one report, or the error that replaced it.
#[component]
fn SystemCard(report: Result<SystemReport, ApiError>) -> impl IntoView {
    match report {
        Err(e) => view! {
            <p class="mt-4 rounded border border-red-800 bg-red-950 p-3 text-red-200" role="alert">
                {e.message}
            </p>
        }
        .into_any(),
        Ok(r) => {
            let ready = r.ready();
            view! {
                <dl class="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
                    <div>
                        <dt class="text-stone-400">"Version"</dt>
                        <dd class="font-medium" data-testid="system-version">{r.version}</dd>
                    </div>
                    <div>
                        <dt class="text-stone-400">"Ready"</dt>
                        <dd class="font-medium">{if ready { "yes" } else { "no: a required store is down" }}</dd>
                    </div>
                    <div>
                        <dt class="text-stone-400">"Schema version"</dt>
                        <dd class="font-medium">{r.schema_version.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into())}</dd>
                    </div>
                    <div>
                        <dt class="text-stone-400">"Live instances"</dt>
                        <dd class="font-medium">{r.live_instances.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into())}</dd>
                    </div>
                </dl>
                <div class="mt-4">
                    <StoreTable stores=r.stores/>
                </div>
                <p class="mt-3 text-xs text-stone-400">
                    "Checked at " <time data-testid="checked-at" datetime=r.checked_at.clone()>{r.checked_at.clone()}</time>
                </p>
            }
            .into_any()
        }
    }
}
