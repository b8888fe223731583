//! `/kruxt/sandboxes/:id/scenarios`: run every shipped KRUXT scenario in this sandbox, or a
//! pasted KRUXT file; each report shows every expectation with expected, actual and why.

use super::use_kruxt;
use crate::api::kruxt::kruxt_run_suite;
use crate::api::scenario::run_scenario;
use crate::components::feedback::ErrorNotice;
use crate::model::RunScenario;
use crate::pages::sandbox::scenarios::ReportView;
use leptos::prelude::*;

const EXAMPLE: &str = "name: Members and waivers\ntheme: kruxt\ntestPlanItem: 2\ndefaults: {actor: sara_conti}\nscenarios:\n  - name: A member inserting a waiver is refused\n    steps:\n      - insert: {table: waivers, values: {gym_id: 10000000-0000-4000-8000-000000000001, title: Mine, policy_version: x, document_url: \"https://example.org/w\"}}\n      - error: {sqlstate: \"42501\", message: row-level security}\n  - name: Staff see the gym's waivers\n    steps:\n      - select: {table: waivers, where: {gym_id: 10000000-0000-4000-8000-000000000001}, as: giulia_rossi}\n      - ok: true\n";

/// The scenarios tab.
#[component]
pub fn ScenariosPage() -> impl IntoView {
    let ctx = use_kruxt();
    let text = RwSignal::new(EXAMPLE.to_owned());
    let suite = Action::new(move |_: &()| {
        let sandbox = ctx.id.get_untracked();
        async move { kruxt_run_suite(sandbox).await }
    });
    let one = Action::new(move |text: &String| {
        let (sandbox, text) = (ctx.id.get_untracked(), text.clone());
        async move {
            run_scenario(sandbox, RunScenario { scenario: text, file_name: Some("kruxt.yaml".into()), ..RunScenario::default() }).await
        }
    });
    view! {
        <div class="space-y-8">
            <section aria-labelledby="suite-heading">
                <h2 id="suite-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Shipped KRUXT scenarios"</h2>
                <p class="mt-1 text-xs text-stone-400">"Every file of scenarios/kruxt/, each scenario in a transaction rolled back afterwards; results feed the " <a class="underline" href="/kruxt/test-plan">"beta test plan"</a> "."</p>
                <button type="button" class="mt-2 rounded bg-amber-500 px-3 py-1.5 text-sm font-semibold text-stone-950" disabled=move || suite.pending().get()
                    on:click=move |_| { suite.dispatch(()); }>{move || if suite.pending().get() { "Running…" } else { "Run all" }}</button>
                <div aria-live="polite" data-testid="suite-result" class="mt-3 space-y-6">
                    {move || suite.value().get().map(|r| match r {
                        Ok(run) => {
                            let t = run.totals;
                            view! {
                                <p class="text-sm font-semibold" role="status">{format!("{} files: {} of {} scenarios passed, {} of {} assertions", run.runs.len(), t.passed_scenarios, t.scenarios, t.passed, t.assertions)}</p>
                                {run.runs.into_iter().map(|r| view! { <ReportView report=r.report/> }).collect_view()}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    })}
                </div>
            </section>
            <section aria-labelledby="file-heading">
                <h2 id="file-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Run a KRUXT file"</h2>
                <form class="mt-2 space-y-2" aria-label="Run a KRUXT scenario" on:submit=move |ev| { ev.prevent_default(); one.dispatch(text.get_untracked()); }>
                    <textarea class="block h-56 w-full rounded border border-stone-700 bg-stone-950 px-2 py-1 font-mono text-sm" spellcheck="false"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))>{EXAMPLE}</textarea>
                    <button type="submit" class="rounded bg-amber-500 px-3 py-1.5 text-sm font-semibold text-stone-950" disabled=move || one.pending().get()>"Run"</button>
                </form>
                <div aria-live="polite" data-testid="kruxt-scenario-result" class="mt-3">
                    {move || one.value().get().map(|r| match r {
                        Ok(run) => view! { <ReportView report=run.report/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    })}
                </div>
            </section>
        </div>
    }
}
