//! `/sandboxes/:id/thresholds`: every threshold in force (overridden ones marked), edited with
//! the server's validation, and reset.

use super::use_sandbox;
use crate::api::simulation::{patch_thresholds, reset_thresholds};
use crate::components::feedback::{InlineError, Loading};
use crate::model::Workbench;
use domain::Evaluator;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

/// The thresholds tab.
#[component]
pub fn ThresholdsPage() -> impl IntoView {
    let ctx = use_sandbox();
    view! {
        <Transition fallback=|| view! { <Loading what="thresholds"/> }>
            {move || ctx.data.get().and_then(Result::ok).map(|wb| view! { <Editor wb=wb/> })}
        </Transition>
    }
}

#[component]
fn Editor(wb: Workbench) -> impl IntoView {
    let ctx = use_sandbox();
    let view = match Evaluator::new(&wb.theme, &wb.context.threshold_overrides) {
        Ok(ev) => ev.thresholds().view(&wb.theme),
        Err(e) => return view! { <InlineError message=e.to_string()/> }.into_any(),
    };
    let version = wb.context.version;
    // (key path, current text, edited text)
    let mut rows: Vec<(String, String, (String, String, Option<String>), RwSignal<String>, bool)> = Vec::new();
    for t in &view.tiers {
        let overridden = t.boundary != t.default_boundary;
        match t.by.as_str() {
            "bgt" => {
                let v = t.bgt.map(|b| b.to_string()).unwrap_or_default();
                rows.push((format!("{} — BGT ≥", t.tier_name), v.clone(), ("bgt".into(), t.tier_id.clone(), None), RwSignal::new(v), overridden));
            }
            "rank" => {
                let min = t.min_rank.map(|r| r.to_string()).unwrap_or_default();
                rows.push((format!("{} — best rank", t.tier_name), min.clone(), ("tiers".into(), t.tier_id.clone(), Some("minRank".into())), RwSignal::new(min), overridden));
                if let Some(max) = t.max_rank {
                    rows.push((format!("{} — worst rank", t.tier_name), max.to_string(), ("tiers".into(), t.tier_id.clone(), Some("maxRank".into())), RwSignal::new(max.to_string()), overridden));
                }
            }
            _ => {}
        }
    }
    let e = &view.engagement;
    rows.push(("ENGAGED_MIN (points)".into(), e.engaged_min.value.to_string(), ("engagement".into(), "engagedMin".into(), None), RwSignal::new(e.engaged_min.value.to_string()), e.engaged_min.overridden));
    rows.push(("Points per rolling hour".into(), e.rate_limit.value.to_string(), ("engagement".into(), "rateLimit".into(), None), RwSignal::new(e.rate_limit.value.to_string()), e.rate_limit.overridden));
    let edits: Vec<_> = rows.iter().map(|(_, original, path, value, _)| (original.clone(), path.clone(), *value)).collect();
    let save = Action::new(move |body: &Value| {
        let (sandbox, simulation, body) = (ctx.id.get_untracked(), ctx.simulation.get_untracked(), body.clone());
        async move { patch_thresholds(sandbox, simulation, body, Some(version)).await.map(|_| ()) }
    });
    let reset = Action::new(move |_: &()| {
        let (sandbox, simulation) = (ctx.id.get_untracked(), ctx.simulation.get_untracked());
        async move { reset_thresholds(sandbox, simulation, Some(version)).await.map(|_| ()) }
    });
    // Read both results every run, so the effect tracks both actions.
    Effect::new(move |_| {
        let (saved, reset) = (save.value().get(), reset.value().get());
        if matches!(saved, Some(Ok(()))) || matches!(reset, Some(Ok(()))) {
            ctx.reload();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut body = Map::new();
        for (original, (group, key, field), value) in &edits {
            let text = value.get_untracked();
            if &text == original {
                continue;
            }
            let v = match text.trim().parse::<u64>() {
                Ok(n) if group != "bgt" => json!(n),
                _ => json!(text.trim()),
            };
            let g = body.entry(group.clone()).or_insert_with(|| json!({}));
            if let Some(g) = g.as_object_mut() {
                match field {
                    Some(f) => {
                        if let Some(t) = g.entry(key.clone()).or_insert_with(|| json!({})).as_object_mut() {
                            t.insert(f.clone(), v);
                        }
                    }
                    None => {
                        g.insert(key.clone(), v);
                    }
                }
            }
        }
        save.dispatch(Value::Object(body));
    };
    view! {
        <form on:submit=submit class="max-w-2xl" aria-label="Thresholds">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">"Thresholds in force"</caption>
                <thead class="text-xs uppercase text-stone-400"><tr><th scope="col" class="py-2">"Threshold"</th><th scope="col">"Value"</th><th scope="col"></th></tr></thead>
                <tbody class="divide-y divide-stone-800">
                    {rows.into_iter().map(|(label, _, _, value, overridden)| view! {
                        <tr>
                            <th scope="row" class="py-2 font-normal">{label.clone()}</th>
                            <td><input class="w-32 rounded border border-stone-700 bg-stone-950 px-2 py-1" aria-label=label value=value.get_untracked() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/></td>
                            <td class="text-xs text-amber-300">{overridden.then_some("(overridden)")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="mt-4 flex gap-3">
                <button type="submit" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950">"Save overrides"</button>
                <button type="button" class="rounded border border-stone-700 px-4 py-2 text-sm" on:click=move |_| { reset.dispatch(()); }>"Reset to defaults"</button>
            </div>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
            {move || reset.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
            <ul class="mt-6 space-y-1 text-xs text-stone-400">{view.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </form>
    }
    .into_any()
}
