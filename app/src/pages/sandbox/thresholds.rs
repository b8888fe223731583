//! `/sandboxes/:id/thresholds`: every threshold in force (overridden ones marked), edited with
//! the engine's validation (the same the server applies), saved and reset.

use super::use_sandbox;
use crate::api::simulation::{patch_thresholds, reset_thresholds};
use crate::components::feedback::{InlineError, Loading};
use crate::model::Workbench;
use domain::{Evaluator, ThresholdKey, ThresholdOverrides};
use leptos::prelude::*;

/// One editable threshold.
struct Row {
    label: String,
    /// The value in force, as text.
    current: String,
    key: ThresholdKey,
    /// The text in the field.
    edited: RwSignal<String>,
    overridden: bool,
}

impl Row {
    fn new(label: String, current: String, key: ThresholdKey, overridden: bool) -> Row {
        Row { label, edited: RwSignal::new(current.clone()), current, key, overridden }
    }
}

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
    let mut rows: Vec<Row> = Vec::new();
    for t in &view.tiers {
        let overridden = t.boundary != t.default_boundary;
        match t.by.as_str() {
            "bgt" => {
                let v = t.bgt.map(|b| b.to_string()).unwrap_or_default();
                rows.push(Row::new(format!("{} — BGT ≥", t.tier_name), v, ThresholdKey::Bgt { tier: t.tier_id.clone() }, overridden));
            }
            "rank" => {
                let min = t.min_rank.map(|r| r.to_string()).unwrap_or_default();
                let best = ThresholdKey::Rank { tier: t.tier_id.clone(), worst: false };
                rows.push(Row::new(format!("{} — best rank", t.tier_name), min, best, overridden));
                if let Some(max) = t.max_rank {
                    let worst = ThresholdKey::Rank { tier: t.tier_id.clone(), worst: true };
                    rows.push(Row::new(format!("{} — worst rank", t.tier_name), max.to_string(), worst, overridden));
                }
            }
            _ => {}
        }
    }
    let e = &view.engagement;
    rows.push(Row::new("ENGAGED_MIN (points)".into(), e.engaged_min.value.to_string(), ThresholdKey::EngagedMin, e.engaged_min.overridden));
    rows.push(Row::new("Points per rolling hour".into(), e.rate_limit.value.to_string(), ThresholdKey::RateLimit, e.rate_limit.overridden));
    let edits: Vec<(String, ThresholdKey, RwSignal<String>)> = rows.iter().map(|r| (r.current.clone(), r.key.clone(), r.edited)).collect();
    let save = Action::new(move |patch: &ThresholdOverrides| {
        let (sandbox, simulation) = (ctx.id.get_untracked(), ctx.simulation.get_untracked());
        let body = serde_json::to_value(patch).unwrap_or_default();
        async move { patch_thresholds(sandbox, simulation, body, Some(version)).await.map(|_| ()) }
    });
    // Text the engine refuses is named here, before anything is sent.
    let refused = RwSignal::new(None::<String>);
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
        let texts: Vec<(ThresholdKey, String)> = edits
            .iter()
            .filter_map(|(current, key, edited)| {
                let text = edited.get_untracked();
                (&text != current).then(|| (key.clone(), text))
            })
            .collect();
        match ThresholdOverrides::from_edits(texts.iter().map(|(key, text)| (key, text.as_str()))) {
            Ok(patch) => {
                refused.set(None);
                save.dispatch(patch);
            }
            Err(errors) => refused.set(Some(errors.to_string())),
        }
    };
    view! {
        <form on:submit=submit class="max-w-2xl" aria-label="Thresholds">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">"Thresholds in force"</caption>
                <thead class="text-xs uppercase text-stone-400"><tr><th scope="col" class="py-2">"Threshold"</th><th scope="col">"Value"</th><th scope="col"></th></tr></thead>
                <tbody class="divide-y divide-stone-800">
                    {rows.into_iter().map(|Row { label, edited: value, overridden, .. }| view! {
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
            {move || refused.get().map(|message| view! { <InlineError message=message/> })}
            {move || save.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
            {move || reset.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
            <ul class="mt-6 space-y-1 text-xs text-stone-400">{view.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </form>
    }
    .into_any()
}
