//! `/sandboxes/:id/audit`: the sandbox's lifecycle entries and simulation events, newest
//! first, filterable by kind, actor and action.

use super::use_sandbox;
use crate::api::sandbox::sandbox_audit;
use crate::components::feedback::{ErrorNotice, Loading};
use crate::model::AuditQuery;
use leptos::prelude::*;

/// The audit tab.
#[component]
pub fn AuditPage() -> impl IntoView {
    let ctx = use_sandbox();
    let kind = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let entries = Resource::new(
        move || (ctx.id.get(), ctx.refresh.get(), kind.get(), actor.get(), action.get()),
        |(id, _, kind, actor, action)| {
            let nonempty = |s: String| (!s.trim().is_empty()).then_some(s);
            sandbox_audit(id, Some(AuditQuery { kind: nonempty(kind), actor: nonempty(actor), action: nonempty(action), limit: Some(200) }))
        },
    );
    let field = "mt-1 block rounded border border-stone-700 bg-stone-950 px-2 py-1 text-sm";
    view! {
        <form class="flex flex-wrap items-end gap-3" aria-label="Filter the audit trail" on:submit=|ev| ev.prevent_default()>
            <label class="text-sm">"Kind"
                <select class=field on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">"all"</option><option value="lifecycle">"lifecycle"</option><option value="simulation">"simulation"</option>
                </select>
            </label>
            <label class="text-sm">"Actor" <input class=field prop:value=move || actor.get() on:input=move |ev| actor.set(event_target_value(&ev)) placeholder="username"/></label>
            <label class="text-sm">"Action contains" <input class=field prop:value=move || action.get() on:input=move |ev| action.set(event_target_value(&ev)) placeholder="state"/></label>
        </form>
        <Transition fallback=|| view! { <Loading what="the audit trail"/> }>
            {move || entries.get().map(|r| match r {
                Err(e) => view! { <div class="mt-4"><ErrorNotice error=e/></div> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="mt-4 text-sm text-stone-400">"No entries match."</p> }.into_any(),
                Ok(list) => view! {
                    <ol class="mt-4 space-y-2" aria-label="Audit entries, newest first">
                        {list.into_iter().map(|e| view! {
                            <li class="rounded border border-stone-800 bg-stone-900 p-3 text-sm">
                                <div class="flex flex-wrap gap-x-3 text-xs text-stone-400">
                                    <time>{crate::pages::format_time(&e.at)}</time>
                                    <span>{e.kind.clone()}</span>
                                    <span>{e.actor.clone().unwrap_or_else(|| "system".into())}</span>
                                    {e.simulation.clone().map(|s| view! { <span>{format!("simulation {s}")}</span> })}
                                    {e.version.map(|v| view! { <span>{format!("version {v}")}</span> })}
                                </div>
                                <p class="mt-1 font-mono">{e.action.clone()}</p>
                                <details class="mt-1 text-xs"><summary class="cursor-pointer text-stone-400">"Details"</summary>
                                    <pre class="mt-1 max-h-64 overflow-auto rounded bg-stone-950 p-2">{serde_json::to_string_pretty(&e.detail).unwrap_or_default()}</pre>
                                </details>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </Transition>
    }
}
