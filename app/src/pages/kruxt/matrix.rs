//! `/kruxt/sandboxes/:id/matrix`: the RLS matrix (actors x tables x select, insert, update,
//! delete, measured by attempts that are rolled back), CSV download, and two actors compared.

use super::use_kruxt;
use crate::api::kruxt::{kruxt_compare, kruxt_matrix};
use crate::components::feedback::{ErrorNotice, Loading};
use crate::model::{CellOutcome, MatrixCell, MatrixComparison, RlsMatrix};
use leptos::prelude::*;

const FIELD: &str = "mt-1 block rounded border border-stone-700 bg-stone-950 px-2 py-1 text-sm";

/// The default selection: a member, a coach, a leader, the service role and anonymous.
const DEFAULT_ACTORS: &str = "sara_conti,luca_ferrari,marco_bianchi,service,anon";

fn tone(cell: &MatrixCell) -> &'static str {
    match cell.outcome {
        CellOutcome::Allowed => "text-emerald-300",
        CellOutcome::NoRows => "text-stone-400",
        CellOutcome::Refused => "text-red-300",
        CellOutcome::Constraint => "text-amber-300",
        CellOutcome::Error => "text-fuchsia-300",
    }
}

#[component]
fn Cell(cell: MatrixCell) -> impl IntoView {
    let title = cell.message.clone().unwrap_or_default();
    view! { <td class=format!("px-1 py-0.5 {}", tone(&cell)) title=title>{cell.label.clone()}</td> }
}

/// The matrix tab.
#[component]
pub fn MatrixPage() -> impl IntoView {
    let ctx = use_kruxt();
    let actors = RwSignal::new(DEFAULT_ACTORS.to_owned());
    let tables = RwSignal::new(String::new());
    let measure = Action::new(move |(actors, tables): &(String, String)| {
        let (sandbox, actors, tables) = (ctx.id.get_untracked(), actors.clone(), tables.clone());
        async move {
            kruxt_matrix(sandbox, None, Some(actors).filter(|a| !a.trim().is_empty()), Some(tables).filter(|t| !t.trim().is_empty())).await
        }
    });
    let left = RwSignal::new("sara_conti".to_owned());
    let right = RwSignal::new("marco_bianchi".to_owned());
    let compare = Action::new(move |(l, r): &(String, String)| {
        let (sandbox, l, r) = (ctx.id.get_untracked(), l.clone(), r.clone());
        async move { kruxt_compare(sandbox, None, l, r, None).await }
    });
    let csv = move || {
        let mut href = format!("/sandbox/{}/kruxt/matrix?format=csv", ctx.id.get());
        if !actors.get().trim().is_empty() {
            href.push_str(&format!("&actors={}", crate::components::feedback::urlencode(actors.get().trim())));
        }
        if !tables.get().trim().is_empty() {
            href.push_str(&format!("&tables={}", crate::components::feedback::urlencode(tables.get().trim())));
        }
        href
    };
    view! {
        <form class="flex flex-wrap items-end gap-3" aria-label="Measure the RLS matrix"
            on:submit=move |ev| { ev.prevent_default(); measure.dispatch((actors.get_untracked(), tables.get_untracked())); }>
            <label class="text-sm">"Actors (comma-separated; empty: all)" <input class=format!("{FIELD} w-96") prop:value=move || actors.get() on:input=move |ev| actors.set(event_target_value(&ev))/></label>
            <label class="text-sm">"Tables (empty: all)" <input class=format!("{FIELD} w-72") prop:value=move || tables.get() on:input=move |ev| tables.set(event_target_value(&ev)) placeholder="waivers,device_connections"/></label>
            <button type="submit" class="rounded bg-amber-500 px-3 py-1.5 text-sm font-semibold text-stone-950" disabled=move || measure.pending().get()>"Measure"</button>
            <a class="text-sm text-amber-300 underline" href=csv download>"CSV"</a>
        </form>
        <p class="mt-2 text-xs text-stone-400">"Each cell is a real attempt as that actor, rolled back: rows visible or changed, or what refused it (hover for the database's message)."</p>
        <div aria-live="polite" data-testid="matrix-result" class="mt-4">
            <Show when=move || measure.pending().get()><Loading what="the matrix"/></Show>
            {move || measure.value().get().map(|r| match r {
                Ok(m) => view! { <MatrixTable matrix=m/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </div>
        <form class="mt-8 flex flex-wrap items-end gap-3" aria-label="Compare two actors"
            on:submit=move |ev| { ev.prevent_default(); compare.dispatch((left.get_untracked(), right.get_untracked())); }>
            <label class="text-sm">"Compare" <input class=FIELD prop:value=move || left.get() on:input=move |ev| left.set(event_target_value(&ev))/></label>
            <label class="text-sm">"with" <input class=FIELD prop:value=move || right.get() on:input=move |ev| right.set(event_target_value(&ev))/></label>
            <button type="submit" class="rounded border border-stone-700 px-3 py-1.5 text-sm" disabled=move || compare.pending().get()>"Compare"</button>
        </form>
        <div aria-live="polite" data-testid="compare-result" class="mt-2">
            {move || compare.value().get().map(|r| match r {
                Ok(c) => view! { <ComparisonView comparison=c/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn MatrixTable(matrix: RlsMatrix) -> impl IntoView {
    let summary = format!("{} actors x {} tables, measured in {:.0} ms", matrix.actors.len(), matrix.tables.len(), matrix.duration_ms);
    view! {
        <p class="text-sm" role="status">{summary}</p>
        <div class="mt-2 overflow-x-auto">
            <table class="text-left font-mono text-xs">
                <thead class="text-stone-400">
                    <tr><th scope="col" class="px-1">"actor"</th><th scope="col" class="px-1">"table"</th><th scope="col" class="px-1">"select"</th><th scope="col" class="px-1">"insert"</th><th scope="col" class="px-1">"update"</th><th scope="col" class="px-1">"delete"</th></tr>
                </thead>
                <tbody class="divide-y divide-stone-800">
                    {matrix.entries.into_iter().map(|e| view! {
                        <tr data-actor=e.actor.clone() data-table=e.table.clone()>
                            <td class="px-1 py-0.5">{e.actor.clone()}</td><td class="px-1">{e.table.clone()}</td>
                            <Cell cell=e.select/><Cell cell=e.insert/><Cell cell=e.update/><Cell cell=e.delete/>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ComparisonView(comparison: MatrixComparison) -> impl IntoView {
    let summary = format!(
        "{} and {}: {} cells differ, {} are the same",
        comparison.left,
        comparison.right,
        comparison.differences.len(),
        comparison.same
    );
    view! {
        <p class="text-sm" role="status">{summary}</p>
        <table class="mt-1 text-left font-mono text-xs">
            <thead class="text-stone-400"><tr><th scope="col" class="px-1">"table"</th><th scope="col" class="px-1">"operation"</th><th scope="col" class="px-1">{comparison.left.clone()}</th><th scope="col" class="px-1">{comparison.right.clone()}</th></tr></thead>
            <tbody>
                {comparison.differences.into_iter().map(|d| view! {
                    <tr><td class="px-1">{d.table}</td><td class="px-1">{d.operation}</td><Cell cell=d.left/><Cell cell=d.right/></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
