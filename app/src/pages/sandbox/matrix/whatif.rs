//! The what-if panel: edit thresholds on the side and see which matrix cells flip (both
//! directions) and how many members of a population change tier or stage. The population is
//! generated (size, seed) or uploaded as CSV; everything is computed by the engine in the page.

use super::Flips;
use crate::components::feedback::InlineError;
use crate::model::Workbench;
use domain::{parse_members_csv, what_if, Evaluator, PopulationSpec, SimState, ThresholdKey, ThresholdOverrides, WhatIf};
use leptos::prelude::*;

/// One editable threshold: which one, and its current text.
#[derive(Clone)]
struct Knob {
    label: String,
    key: ThresholdKey,
    value: RwSignal<String>,
    original: String,
}

fn knobs(wb: &Workbench) -> Vec<Knob> {
    let Ok(ev) = Evaluator::new(&wb.theme, &wb.context.threshold_overrides) else { return Vec::new() };
    let view = ev.thresholds().view(&wb.theme);
    let mut out = Vec::new();
    let mut knob = |label: String, key: ThresholdKey, value: String| {
        out.push(Knob { label, key, value: RwSignal::new(value.clone()), original: value });
    };
    for tier in &view.tiers {
        match tier.by.as_str() {
            "bgt" => knob(
                format!("{} BGT ≥", tier.tier_name),
                ThresholdKey::Bgt { tier: tier.tier_id.clone() },
                tier.bgt.map(|b| b.to_string()).unwrap_or_default(),
            ),
            "rank" => {
                knob(
                    format!("{} best rank", tier.tier_name),
                    ThresholdKey::Rank { tier: tier.tier_id.clone(), worst: false },
                    tier.min_rank.map(|r| r.to_string()).unwrap_or_default(),
                );
                if let Some(max) = tier.max_rank {
                    knob(
                        format!("{} worst rank", tier.tier_name),
                        ThresholdKey::Rank { tier: tier.tier_id.clone(), worst: true },
                        max.to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    knob("ENGAGED_MIN (points)".into(), ThresholdKey::EngagedMin, view.engagement.engaged_min.value.to_string());
    out
}

/// The overrides the knobs describe, on top of those in force.
fn proposed(wb: &Workbench, knobs: &[Knob]) -> Result<ThresholdOverrides, String> {
    let texts: Vec<(ThresholdKey, String)> =
        knobs.iter().filter(|k| k.value.get() != k.original).map(|k| (k.key.clone(), k.value.get())).collect();
    let patch = ThresholdOverrides::from_edits(texts.iter().map(|(key, text)| (key, text.as_str()))).map_err(|e| e.to_string())?;
    Ok(wb.context.threshold_overrides.merged(&patch))
}

fn compare(wb: &Workbench, after: &ThresholdOverrides, members: &[SimState]) -> Result<WhatIf, String> {
    let before = Evaluator::new(&wb.theme, &wb.context.threshold_overrides).map_err(|e| e.to_string())?;
    let after = Evaluator::new(&wb.theme, after).map_err(|e| e.to_string())?;
    Ok(what_if(&before, &after, members))
}

/// The panel beside the matrix.
#[component]
pub fn WhatIfPanel(wb: Workbench, flips: RwSignal<Flips>) -> impl IntoView {
    let knobs = knobs(&wb);
    let size = RwSignal::new("10000".to_owned());
    let seed = RwSignal::new("42".to_owned());
    let csv: RwSignal<Option<String>> = RwSignal::new(None);
    let result: RwSignal<Option<Result<WhatIf, String>>> = RwSignal::new(None);
    let (wb_run, knobs_run) = (wb.clone(), knobs.clone());
    let run = move |_| {
        let members = match csv.get_untracked() {
            Some(text) => parse_members_csv(&text, &wb_run.theme, 100_000).map_err(|e| e.to_string()),
            None => {
                let spec = PopulationSpec {
                    size: size.get_untracked().trim().parse().unwrap_or(10_000).min(100_000),
                    seed: seed.get_untracked().trim().parse().unwrap_or(42),
                    ..PopulationSpec::default()
                };
                Ok(spec.generate(&wb_run.theme))
            }
        };
        let outcome = members.and_then(|m| proposed(&wb_run, &knobs_run).and_then(|after| compare(&wb_run, &after, &m)));
        flips.set(match &outcome {
            Ok(w) => w.cell_flips.iter().map(|f| ((f.tier.clone(), f.target.clone()), f.after)).collect(),
            Err(_) => Default::default(),
        });
        result.set(Some(outcome));
    };
    let field = "mt-1 w-full rounded border border-stone-700 bg-stone-950 px-2 py-1 text-sm";
    view! {
        <aside aria-labelledby="whatif-heading" class="h-fit rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h2 id="whatif-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"What if"</h2>
            <p class="mt-1 text-xs text-stone-400">"Change thresholds, then compare. Nothing is saved."</p>
            <div class="mt-3 grid grid-cols-2 gap-2">
                {knobs.into_iter().map(|k| view! {
                    <label class="text-xs">{k.label.clone()}
                        <input class=field value=k.value.get_untracked() prop:value=move || k.value.get() on:input=move |ev| k.value.set(event_target_value(&ev))/>
                    </label>
                }).collect_view()}
            </div>
            <fieldset class="mt-4 text-xs">
                <legend class="font-semibold text-stone-300">"Population"</legend>
                <div class="mt-1 grid grid-cols-2 gap-2">
                    <label>"Members" <input class=field type="number" min="1" max="100000" value=size.get_untracked() prop:value=move || size.get() on:input=move |ev| size.set(event_target_value(&ev))/></label>
                    <label>"Seed" <input class=field type="number" value=seed.get_untracked() prop:value=move || seed.get() on:input=move |ev| seed.set(event_target_value(&ev))/></label>
                </div>
                <label class="mt-2 block">"Or upload member states (CSV)"
                    <input class=field type="file" accept=".csv,text/csv" on:change=move |ev| read_csv(ev, csv)/>
                </label>
                {move || csv.get().map(|_| view! {
                    <p class="mt-1">"Using the uploaded CSV. "
                        <button type="button" class="underline" on:click=move |_| csv.set(None)>"Use a generated population instead"</button></p>
                })}
            </fieldset>
            <button type="button" class="mt-4 w-full rounded bg-amber-500 py-2 text-sm font-semibold text-stone-950" on:click=run>"Compare"</button>
            <div class="mt-4 space-y-2 text-sm" aria-live="polite" data-testid="whatif-result">
                {move || result.get().map(|r| match r {
                    Err(message) => view! { <InlineError message=message/> }.into_any(),
                    Ok(w) => view! {
                        <p>{format!("{} cells flip; {} of {} members change tier, {} change stage.",
                            w.cell_flips.len(), w.population.tier_changed, w.population.members, w.population.stage_changed)}</p>
                        <ul class="list-disc space-y-1 pl-5 text-xs text-stone-300">{w.summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    }.into_any(),
                })}
            </div>
        </aside>
    }
}

fn read_csv(ev: leptos::ev::Event, csv: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                csv.set(text.as_string());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, csv);
}
