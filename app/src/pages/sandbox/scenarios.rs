//! `/sandboxes/:id/scenarios`: paste or upload a scenario file and run it (results per
//! assertion: pass or fail, expected vs actual, why), keep files by name, see the history of runs
//! and download each as JUnit XML.

use super::use_sandbox;
use crate::api::scenario::{run_saved_scenario, run_scenario, saved_scenarios, scenario_report, scenario_runs};
use crate::components::feedback::{ErrorNotice, InlineError, Loading};
use crate::components::icon::{Glyph, Icon};
use crate::error::ApiError;
use crate::model::RunScenario;
use domain::scenario::{FileReport, ScenarioStatus};
use leptos::prelude::*;

const EXAMPLE: &str = "name: Smoke\ntheme: sietch\nscenarios:\n  - name: BGT 500 is sihaya\n    when:\n      - set: {bgt: 500}\n    then:\n      - tier: {computed: sihaya, rule: bgt, threshold: 420}\n      - access: {channel: council-chamber, allowed: false, requiredTier: naib}\n";

/// The scenarios tab.
#[component]
pub fn ScenariosPage() -> impl IntoView {
    let ctx = use_sandbox();
    let text = RwSignal::new(EXAMPLE.to_owned());
    let file_name = RwSignal::new("scenario.yaml".to_owned());
    let save_as = RwSignal::new(String::new());
    let shown: RwSignal<Option<Result<FileReport, ApiError>>> = RwSignal::new(None);
    let run = Action::new(move |req: &RunScenario| {
        let (sandbox, req) = (ctx.id.get_untracked(), req.clone());
        async move { run_scenario(sandbox, req).await.map(|r| r.report) }
    });
    let run_named = Action::new(move |name: &String| {
        let (sandbox, name) = (ctx.id.get_untracked(), name.clone());
        async move { run_saved_scenario(sandbox, name).await.map(|r| r.report) }
    });
    let open_run = Action::new(move |id: &String| {
        let (sandbox, id) = (ctx.id.get_untracked(), id.clone());
        async move { scenario_report(sandbox, id).await }
    });
    Effect::new(move |_| {
        let latest = [run.value().get(), run_named.value().get(), open_run.value().get()];
        if let Some(r) = latest.into_iter().flatten().last() {
            shown.set(Some(r));
        }
    });
    let history = Resource::new(
        move || (ctx.id.get(), ctx.refresh.get(), run.version().get(), run_named.version().get()),
        |(id, ..)| scenario_runs(id),
    );
    let saved = Resource::new(move || (ctx.id.get(), run.version().get()), |(id, _)| saved_scenarios(id));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = save_as.get_untracked();
        run.dispatch(RunScenario {
            scenario: text.get_untracked(),
            file_name: Some(file_name.get_untracked()),
            save_as: (!name.trim().is_empty()).then_some(name),
            ..RunScenario::default()
        });
    };
    let field = "mt-1 block w-full rounded border border-stone-700 bg-stone-950 px-2 py-1 text-sm";
    view! {
        <div class="grid gap-6 xl:grid-cols-[1fr_24rem]">
            <div class="min-w-0 space-y-4">
                <form on:submit=submit class="space-y-3" aria-label="Run a scenario">
                    <label class="block text-sm">"Scenario file (YAML or JSON)"
                        <textarea class=format!("{field} h-64 font-mono") spellcheck="false" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))>{EXAMPLE}</textarea>
                    </label>
                    <div class="flex flex-wrap items-end gap-3">
                        <label class="text-sm">"Or upload a file"
                            <input class=field type="file" accept=".yaml,.yml,.json" on:change=move |ev| read_file(ev, text, file_name)/>
                        </label>
                        <label class="text-sm">"File name" <input class=field value="scenario.yaml" prop:value=move || file_name.get() on:input=move |ev| file_name.set(event_target_value(&ev))/></label>
                        <label class="text-sm">"Save as (optional)" <input class=field prop:value=move || save_as.get() on:input=move |ev| save_as.set(event_target_value(&ev)) placeholder="smoke"/></label>
                        <button type="submit" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950" disabled=move || run.pending().get()>"Run scenario"</button>
                    </div>
                    <p class="text-xs text-stone-400">"The format is described at " <a class="underline" href="/api/scenario.schema.json">"/api/scenario.schema.json"</a> "."</p>
                </form>
                <div aria-live="polite" data-testid="scenario-result">
                    {move || shown.get().map(|r| match r {
                        Ok(report) => view! { <ReportView report=report/> }.into_any(),
                        Err(e) => view! { <ScenarioErrors error=e/> }.into_any(),
                    })}
                </div>
            </div>
            <aside class="space-y-6">
                <section aria-labelledby="saved-heading">
                    <h2 id="saved-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Saved scenarios"</h2>
                    <Transition fallback=|| view! { <Loading what="saved scenarios"/> }>
                        {move || saved.get().map(|r| match r {
                            Ok(list) if list.is_empty() => view! { <p class="mt-2 text-sm text-stone-400">"None yet: give a name under “Save as” when you run one."</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="mt-2 space-y-1 text-sm">{list.into_iter().map(|s| {
                                    let name = s.name.clone();
                                    view! { <li class="flex items-center justify-between gap-2"><span class="font-mono">{s.name.clone()}</span>
                                        <button type="button" class="rounded border border-stone-700 px-2 py-0.5 text-xs" aria-label=format!("Run saved scenario {}", s.name)
                                            on:click=move |_| { run_named.dispatch(name.clone()); }>"Run"</button></li> }
                                }).collect_view()}</ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        })}
                    </Transition>
                </section>
                <section aria-labelledby="history-heading">
                    <h2 id="history-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Runs"</h2>
                    <Transition fallback=|| view! { <Loading what="runs"/> }>
                        {move || history.get().map(|r| match r {
                            Ok(list) if list.is_empty() => view! { <p class="mt-2 text-sm text-stone-400">"No runs yet."</p> }.into_any(),
                            Ok(list) => view! {
                                <ol class="mt-2 space-y-2 text-sm" aria-label="Scenario runs, newest first">{list.into_iter().map(|r| {
                                    let id = r.id.clone();
                                    let junit = format!("/sandbox/{}/scenario-runs/{}/junit", ctx.id.get_untracked(), r.id);
                                    view! {
                                        <li class="rounded border border-stone-800 bg-stone-900 p-2">
                                            <div class="flex justify-between gap-2">
                                                <button type="button" class="text-left font-mono text-xs underline" on:click=move |_| { open_run.dispatch(id.clone()); }>{r.file_name.clone()}</button>
                                                <span class=if r.passed { "text-emerald-300" } else { "text-red-300" }>{if r.passed { "passed" } else { "failed" }}</span>
                                            </div>
                                            <p class="mt-1 text-xs text-stone-400">{format!("{} · {} assertions, {} failing · {} ms · {}", crate::pages::format_time(&r.at), r.assertions, r.failures, r.duration_ms, r.actor.unwrap_or_default())}</p>
                                            <a class="text-xs text-amber-300 underline" href=junit download>"JUnit XML"</a>
                                        </li>
                                    }
                                }).collect_view()}</ol>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        })}
                    </Transition>
                </section>
            </aside>
        </div>
    }
}

#[component]
fn ScenarioErrors(error: ApiError) -> impl IntoView {
    let errors: Vec<String> = error
        .listed_errors()
        .into_iter()
        .map(|e| {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                _ => String::new(),
            };
            format!("{}{at}: {}", e.path, e.message)
        })
        .collect();
    if errors.is_empty() {
        return view! { <InlineError message=error.message/> }.into_any();
    }
    view! {
        <div class="rounded border border-red-800 bg-red-950/60 p-3 text-sm" role="alert">
            <p class="font-semibold">"The file is invalid; nothing ran."</p>
            <ul class="mt-2 list-disc pl-5 font-mono text-xs">{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
        </div>
    }
    .into_any()
}

#[component]
pub(crate) fn ReportView(report: FileReport) -> impl IntoView {
    let t = report.totals;
    view! {
        <p class="text-sm font-semibold" role="status">{format!("{}: {} of {} assertions passed, {} failed", report.name.clone().unwrap_or(report.file.clone()), t.passed, t.assertions, t.failed)}</p>
        <div class="mt-3 space-y-3">
            {report.scenarios.into_iter().map(|s| {
                let ok = s.status == ScenarioStatus::Passed;
                view! {
                    <section class="rounded border border-stone-800 bg-stone-900 p-3" aria-label=format!("Scenario {}", s.name)>
                        <h3 class=if ok { "font-semibold text-emerald-300" } else { "font-semibold text-red-300" }><Icon glyph=if ok { Glyph::Check } else { Glyph::Cross }/>" "{s.name.clone()}</h3>
                        {s.error.map(|e| view! { <p class="mt-1 text-xs text-red-300">{format!("{}: {}", e.path, e.message)}</p> })}
                        <table class="mt-2 w-full text-left text-xs">
                            <thead class="text-stone-400"><tr><th scope="col">"Assertion"</th><th scope="col">"Result"</th><th scope="col">"Expected"</th><th scope="col">"Actual"</th><th scope="col">"Why"</th></tr></thead>
                            <tbody class="divide-y divide-stone-800">
                                {s.assertions.into_iter().map(|a| view! {
                                    <tr>
                                        <td class="py-1 pr-2">{a.description}</td>
                                        <td class=if a.passed { "text-emerald-300" } else { "text-red-300" }>{if a.passed { "pass" } else { "fail" }}</td>
                                        <td class="pr-2 font-mono">{compact(&a.expected)}</td>
                                        <td class="pr-2 font-mono">{compact(&a.actual)}</td>
                                        <td class="text-stone-300">{a.explanation}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ActionTimes actions=s.actions/>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// A KRUXT scenario's database actions with their durations (nothing for tier scenarios).
#[component]
fn ActionTimes(actions: Vec<domain::scenario::kruxt::ActionTiming>) -> impl IntoView {
    (!actions.is_empty()).then(|| {
        let total: f64 = actions.iter().map(|a| a.duration_ms).sum();
        let slowest = actions.iter().map(|a| a.duration_ms).fold(0.0, f64::max);
        view! {
            <details class="mt-2 text-xs text-stone-400" data-testid="action-times">
                <summary>{format!("{} database action{}, {total:.1} ms in all, slowest {slowest:.1} ms", actions.len(), if actions.len() == 1 { "" } else { "s" })}</summary>
                <ol class="mt-1 space-y-0.5 font-mono">
                    {actions.into_iter().map(|a| view! {
                        <li>{format!("{:>8.1} ms  {} as {}{}  ({})", a.duration_ms, a.action, a.actor, if a.ok { "" } else { ", failed" }, a.path)}</li>
                    }).collect_view()}
                </ol>
            </details>
        }
    })
}

fn compact(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn read_file(ev: leptos::ev::Event, text: RwSignal<String>, name: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        name.set(file.name());
        leptos::task::spawn_local(async move {
            if let Ok(content) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                if let Some(content) = content.as_string() {
                    text.set(content);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, text, name);
}
