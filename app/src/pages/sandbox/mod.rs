//! The pages of one sandbox under `/sandboxes/:id`: a shell that loads the sandbox's workbench
//! (sandbox, theme, simulation context), listens for live changes, and shows the tabs; and one
//! module per tab.

pub mod audit;
pub mod blur;
pub mod console;
pub mod lint;
pub mod matrix;
pub mod scenarios;
pub mod thresholds;

use crate::api::sandbox::workbench;
use crate::components::countdown::Countdown;
use crate::components::feedback::{ErrorNotice, Loading};
use crate::components::sandbox_tabs::SandboxTabs;
use crate::error::ApiError;
use crate::model::Workbench;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What every tab of a sandbox shares.
#[derive(Clone, Copy)]
pub struct SandboxCtx {
    pub id: Memo<String>,
    pub simulation: Memo<Option<String>>,
    /// Bumped to reload the workbench (after a change here or a live update).
    pub refresh: RwSignal<u32>,
    pub data: Resource<Result<Workbench, ApiError>>,
    /// True while the live-update stream is connected.
    pub live: RwSignal<bool>,
}

impl SandboxCtx {
    /// Reloads the workbench.
    pub fn reload(&self) {
        self.refresh.update(|n| *n += 1);
    }
}

/// The context provided by `SandboxShell`.
pub fn use_sandbox() -> SandboxCtx {
    expect_context::<SandboxCtx>()
}

/// The frame of a sandbox's pages.
#[component]
pub fn SandboxShell() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let simulation = Memo::new(move |_| query.read().get("simulation"));
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || (id.get(), simulation.get(), refresh.get()), |(id, sim, _)| workbench(id, sim));
    let live = RwSignal::new(false);
    let ctx = SandboxCtx { id, simulation, refresh, data, live };
    provide_context(ctx);
    live_updates(ctx);
    view! {
        <Transition fallback=|| view! { <Loading what="the sandbox"/> }>
            {move || data.get().map(|r| match r {
                Ok(wb) => view! { <Heading wb=wb/> }.into_any(),
                Err(e) if e.theme_id() == Some(crate::model::KRUXT_THEME_ID) => view! {
                    <p class="rounded-lg border border-amber-700 bg-amber-950/60 p-4 text-sm" role="alert">
                        "This is a KRUXT sandbox; its pages are " <a class="underline" href=format!("/kruxt/sandboxes/{}", id.get_untracked())>"here"</a> "."
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Transition>
        <p class="mt-1 text-xs" data-testid="live" data-live=move || if live.get() { "connected" } else { "offline" }>
            {move || if live.get() { "● live: changes made elsewhere appear here" } else { "○ not receiving live updates" }}
        </p>
        <SandboxTabs id=id.get_untracked()/>
        <div class="mt-6"><Outlet/></div>
    }
}

#[component]
fn Heading(wb: Workbench) -> impl IntoView {
    let s = wb.sandbox;
    view! {
        <Title text=s.name.clone()/>
        <div class="flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <h1 class="text-2xl font-bold text-amber-200">{s.name.clone()}</h1>
            <span class="text-sm text-stone-400">{format!("theme {}", s.theme_id)}</span>
            <span class="rounded bg-stone-800 px-2 py-0.5 text-xs">{s.state.as_str()}</span>
            <span class="text-sm text-stone-400"><Countdown seconds_left=s.seconds_left/></span>
            <span class="text-sm text-stone-400">{format!("simulation {} · version {}", wb.context.name, wb.context.version)}</span>
        </div>
    }
}

/// Listens on `/sandbox/:id/events` and reloads the workbench when anything changes.
fn live_updates(ctx: SandboxCtx) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        Effect::new(move |previous: Option<Option<web_sys::EventSource>>| {
            if let Some(Some(old)) = previous {
                old.close();
            }
            let url = format!("/sandbox/{}/events", ctx.id.get());
            let source = web_sys::EventSource::new(&url).ok()?;
            let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| ctx.reload());
            let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
            // After a reconnection, changes made while disconnected would be missed: reload.
            let opened_before = std::cell::Cell::new(false);
            let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                if opened_before.replace(true) {
                    ctx.reload();
                }
                ctx.live.set(true);
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            on_open.forget();
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| ctx.live.set(false));
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            let closing = send_wrapper::SendWrapper::new(source.clone());
            on_cleanup(move || closing.close());
            Some(source)
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
}
