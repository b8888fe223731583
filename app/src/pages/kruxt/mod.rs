//! The pages of a KRUXT sandbox under `/kruxt/sandboxes/:id` (a shell with the sandbox's
//! database, the acting user and the clock, and tabs: act, staff console, RLS matrix,
//! scenarios), and the beta test plan at `/kruxt/test-plan`.

pub mod act;
pub mod console;
pub mod matrix;
pub mod scenarios;
pub mod test_plan;

use crate::api::kruxt::kruxt_status;
use crate::components::feedback::{ErrorNotice, Loading};
use crate::error::ApiError;
use crate::model::KruxtStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// What every tab of a KRUXT sandbox shares.
#[derive(Clone, Copy)]
pub struct KruxtCtx {
    pub id: Memo<String>,
    /// Bumped after a change (assume, clock, reset) to reload the status.
    pub refresh: RwSignal<u32>,
    pub status: Resource<Result<KruxtStatus, ApiError>>,
}

impl KruxtCtx {
    pub fn reload(&self) {
        self.refresh.update(|n| *n += 1);
    }
}

pub fn use_kruxt() -> KruxtCtx {
    expect_context::<KruxtCtx>()
}

const TABS: &[(&str, &str)] = &[("Act", ""), ("Staff console", "/console"), ("RLS matrix", "/matrix"), ("Scenarios", "/scenarios")];

/// The frame of a KRUXT sandbox's pages.
#[component]
pub fn KruxtShell() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let status = Resource::new(move || (id.get(), refresh.get()), |(id, _)| kruxt_status(id, None));
    provide_context(KruxtCtx { id, refresh, status });
    let location = use_location();
    view! {
        <Transition fallback=|| view! { <Loading what="the KRUXT sandbox"/> }>
            {move || status.get().map(|r| match r {
                Ok(s) => view! { <Heading status=s/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Transition>
        <nav aria-label="KRUXT sandbox pages" class="mt-4 flex flex-wrap gap-1 border-b border-stone-800 text-sm">
            {TABS.iter().map(|(label, suffix)| {
                let href = format!("/kruxt/sandboxes/{}{suffix}", id.get_untracked());
                let target = href.clone();
                let current = Memo::new(move |_| location.pathname.get() == target);
                view! {
                    <a href=href class="rounded-t px-3 py-2 hover:bg-stone-800" class:bg-stone-800=current class:text-amber-300=current
                        aria-current=move || if current.get() { "page" } else { "false" }>{*label}</a>
                }
            }).collect_view()}
            <a href="/kruxt/test-plan" class="ml-auto rounded-t px-3 py-2 text-stone-400 hover:bg-stone-800">"Beta test plan"</a>
        </nav>
        <div class="mt-6"><Outlet/></div>
    }
}

#[component]
fn Heading(status: KruxtStatus) -> impl IntoView {
    let actor = status.actor.display_name.clone().map(|n| format!("{n} ({})", status.actor.key)).unwrap_or(status.actor.key.clone());
    view! {
        <Title text=format!("KRUXT sandbox {}", status.database)/>
        <div class="flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <h1 class="text-2xl font-bold text-amber-200">"KRUXT sandbox"</h1>
            <span class="font-mono text-sm text-stone-400">{status.database.clone()}</span>
            <span class="text-sm" data-testid="kruxt-actor">{format!("acting as {actor}")}</span>
            <span class="text-sm text-stone-400" data-testid="kruxt-clock">{format!("clock {}", crate::pages::format_time(&status.clock))}</span>
        </div>
    }
}

/// A JSON value as one line for a table cell.
pub fn cell_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
