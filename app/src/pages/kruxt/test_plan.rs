//! `/kruxt/test-plan`: the KRUXT beta test plan, all 153 items by group with their status
//! (passing, failing, partial, automated but not run, not automated), the facets each needs
//! with theirs, each item linked to its scenarios and their newest runs. `?status=failing` (and
//! the other states) narrows the list.

use crate::api::kruxt::kruxt_test_plan;
use crate::components::feedback::{ErrorNotice, Loading};
use domain::scenario::kruxt::{FacetState, FacetStatus, ItemState, ItemStatus, PlanStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FILTERS: &[(&str, &str)] = &[
    ("all", "All"),
    ("passing", "Passing"),
    ("failing", "Failing"),
    ("partial", "Partial"),
    ("not-run", "Not run"),
    ("not-automated", "Not automated"),
];

fn state_key(state: ItemState) -> &'static str {
    match state {
        ItemState::Passing => "passing",
        ItemState::Failing => "failing",
        ItemState::Partial => "partial",
        ItemState::NotRun => "not-run",
        ItemState::NotAutomated => "not-automated",
    }
}

fn badge(state: ItemState) -> (&'static str, &'static str) {
    match state {
        ItemState::Passing => ("passing", "bg-emerald-900 text-emerald-200"),
        ItemState::Failing => ("failing", "bg-red-900 text-red-200"),
        ItemState::Partial => ("partial", "bg-sky-900 text-sky-200"),
        ItemState::NotRun => ("not run", "bg-amber-900 text-amber-200"),
        ItemState::NotAutomated => ("not automated", "bg-stone-800 text-stone-400"),
    }
}

/// The test plan page.
#[component]
pub fn TestPlanPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.read().get("status").unwrap_or_else(|| "all".into()));
    let plan = Resource::new(|| (), |_| kruxt_test_plan());
    view! {
        <Title text="KRUXT beta test plan"/>
        <h1 class="text-2xl font-bold text-amber-200">"KRUXT beta test plan"</h1>
        <p class="mt-1 text-sm text-stone-400">"An item passes when every facet it needs (its positive and negative case, and where they apply a known defect of the reference shown fixed, concurrency and speed) is shown by KRUXT scenarios that passed on their newest run (run them from a KRUXT sandbox's Scenarios tab, or " <code>"crysknife kruxt test-plan --run"</code> ")."</p>
        <nav aria-label="Filter by status" class="mt-4 flex flex-wrap gap-2 text-sm">
            {FILTERS.iter().map(|(key, label)| {
                let href = if *key == "all" { "/kruxt/test-plan".to_owned() } else { format!("/kruxt/test-plan?status={key}") };
                let current = Memo::new(move |_| filter.get() == *key);
                view! { <a href=href class="rounded border border-stone-700 px-2 py-0.5" class:bg-stone-800=current aria-current=move || if current.get() { "page" } else { "false" }>{*label}</a> }
            }).collect_view()}
        </nav>
        <Transition fallback=|| view! { <Loading what="the test plan"/> }>
            {move || plan.get().map(|r| match r {
                Ok(plan) => view! { <PlanView plan=plan filter=filter.get()/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn PlanView(plan: PlanStatus, filter: String) -> impl IntoView {
    let t = plan.totals;
    let summary = format!(
        "{} items: {} passing, {} failing, {} partial, {} automated but not run, {} not automated",
        t.items, t.passing, t.failing, t.partial, t.not_run, t.not_automated
    );
    let mut groups: Vec<(String, Vec<ItemStatus>)> = Vec::new();
    for item in plan.items.into_iter().filter(|i| filter == "all" || state_key(i.status) == filter) {
        match groups.last_mut() {
            Some((group, items)) if *group == item.group => items.push(item),
            _ => groups.push((item.group.clone(), vec![item])),
        }
    }
    view! {
        <p class="mt-4 text-sm font-semibold" role="status" data-testid="plan-totals">{summary}</p>
        {groups.into_iter().map(|(group, items)| view! {
            <section class="mt-6" aria-label=group.clone()>
                <h2 class="text-sm font-semibold uppercase tracking-wide text-stone-400">{group.clone()}</h2>
                <table class="mt-2 w-full text-left text-sm">
                    <tbody class="divide-y divide-stone-800">
                        {items.into_iter().map(|item| view! { <ItemRow item=item/> }).collect_view()}
                    </tbody>
                </table>
            </section>
        }).collect_view()}
    }
}

#[component]
fn ItemRow(item: ItemStatus) -> impl IntoView {
    let (label, class) = badge(item.status);
    view! {
        <tr data-item=item.number data-status=state_key(item.status)>
            <td class="w-12 py-1 align-top font-mono text-stone-400">{item.number}</td>
            <td class="py-1 align-top">
                {item.title.clone()}
                <ul class="mt-0.5 flex flex-wrap gap-1 text-xs" aria-label="Facets">
                    {item.facets.into_iter().map(|f| view! { <FacetChip facet=f/> }).collect_view()}
                </ul>
                <ul class="text-xs text-stone-400">
                    {item.scenarios.into_iter().map(|s| {
                        let run = s.last_run.map(|r| view! {
                            " · " <a class="underline" href=format!("/sandbox/{}/scenario-runs/{}", r.sandbox_id, r.run_id)>{format!("{} {}", if r.passed { "passed" } else { "failed" }, crate::pages::format_time(&r.at))}</a>
                        });
                        view! { <li><span class="font-mono">{s.file}</span>{format!(": {}", s.scenario)}{run}</li> }
                    }).collect_view()}
                </ul>
            </td>
            <td class="w-32 py-1 text-right align-top"><span class=format!("rounded px-2 py-0.5 text-xs {class}")>{label}</span></td>
        </tr>
    }
}

fn facet_look(state: FacetState) -> (&'static str, &'static str) {
    match state {
        FacetState::Passing => ("passing", "border-emerald-800 text-emerald-300"),
        FacetState::Failing => ("failing", "border-red-800 text-red-300"),
        FacetState::NotRun => ("not run", "border-amber-800 text-amber-300"),
        FacetState::Missing => ("no scenario yet", "border-stone-700 text-stone-500"),
    }
}

#[component]
fn FacetChip(facet: FacetStatus) -> impl IntoView {
    let (state, class) = facet_look(facet.status);
    let title = match &facet.why {
        Some(why) => format!("{}: {state}. {why}", facet.facet),
        None => format!("{}: {state}", facet.facet),
    };
    view! {
        <li class=format!("rounded border px-1.5 font-mono {class}") title=title data-facet=facet.facet.clone() data-facet-status=state>
            {facet.facet.clone()}
        </li>
    }
}
