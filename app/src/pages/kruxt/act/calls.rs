//! The act tab's two calls into the database as the chosen actor: a read-only query and a
//! function call, each with its result.

use super::{BUTTON, FIELD};
use crate::api::kruxt::{kruxt_query, kruxt_rpc};
use crate::components::feedback::{ErrorNotice, InlineError};
use crate::model::{QueryResult, RpcResult, RpcReturns};
use crate::pages::kruxt::{cell_text, use_kruxt};
use leptos::prelude::*;

#[component]
pub(super) fn QueryForm() -> impl IntoView {
    let ctx = use_kruxt();
    let sql = RwSignal::new("select id, user_id, provider, status from device_connections".to_owned());
    let run = Action::new(move |sql: &String| {
        let (sandbox, sql) = (ctx.id.get_untracked(), sql.clone());
        async move { kruxt_query(sandbox, None, sql, None).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run.dispatch(sql.get_untracked());
    };
    view! {
        <section aria-labelledby="query-heading">
            <h2 id="query-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Read-only query"</h2>
            <form class="mt-2 space-y-2" on:submit=submit aria-label="Run a query">
                <label class="block text-sm">"SQL (one SELECT, run read-only as the acting user)"
                    <textarea class=format!("{FIELD} h-24 font-mono") spellcheck="false" prop:value=move || sql.get() on:input=move |ev| sql.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class=BUTTON disabled=move || run.pending().get()>"Run query"</button>
            </form>
            <div aria-live="polite" data-testid="query-result">
                {move || run.value().get().map(|r| match r {
                    Ok(result) => view! { <QueryTable result=result/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn QueryTable(result: QueryResult) -> impl IntoView {
    let summary = format!(
        "{} row{} as {}{} · {:.1} ms",
        result.row_count,
        if result.row_count == 1 { "" } else { "s" },
        result.actor,
        if result.truncated { format!(" (first {} shown)", result.limit) } else { String::new() },
        result.duration_ms
    );
    view! {
        <p class="mt-2 text-sm" role="status">{summary}</p>
        <div class="mt-1 overflow-x-auto">
            <table class="text-left font-mono text-xs">
                <thead class="text-stone-400"><tr>{result.columns.iter().map(|c| view! { <th scope="col" class="px-2 py-1">{c.clone()}</th> }).collect_view()}</tr></thead>
                <tbody class="divide-y divide-stone-800">
                    {result.rows.iter().map(|row| view! { <tr>{row.iter().map(|v| view! { <td class="px-2 py-1">{cell_text(v)}</td> }).collect_view()}</tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub(super) fn RpcForm() -> impl IntoView {
    let ctx = use_kruxt();
    let function = RwSignal::new("user_has_gym_permission".to_owned());
    let args =
        RwSignal::new("{\"_gym_id\": \"10000000-0000-4000-8000-000000000001\", \"_permission_key\": \"staff.shifts.manage\"}".to_owned());
    let local_error = RwSignal::new(None::<String>);
    let call = Action::new(move |(function, args): &(String, serde_json::Map<String, serde_json::Value>)| {
        let (sandbox, function, args) = (ctx.id.get_untracked(), function.clone(), args.clone());
        async move { kruxt_rpc(sandbox, None, function, Some(args)).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&args.get_untracked()) {
            Ok(parsed) => {
                local_error.set(None);
                call.dispatch((function.get_untracked(), parsed));
            }
            Err(e) => local_error.set(Some(format!("args: not a JSON object ({e})"))),
        }
    };
    view! {
        <section aria-labelledby="rpc-heading">
            <h2 id="rpc-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Call a function"</h2>
            <form class="mt-2 space-y-2" on:submit=submit aria-label="Call a function">
                <label class="block text-sm">"Function (public schema)" <input class=format!("{FIELD} font-mono") prop:value=move || function.get() on:input=move |ev| function.set(event_target_value(&ev))/></label>
                <label class="block text-sm">"Arguments (JSON object, by name)"
                    <textarea class=format!("{FIELD} h-16 font-mono") spellcheck="false" prop:value=move || args.get() on:input=move |ev| args.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class=BUTTON disabled=move || call.pending().get()>"Call"</button>
            </form>
            {move || local_error.get().map(|m| view! { <InlineError message=m/> })}
            <div aria-live="polite" data-testid="rpc-result">
                {move || call.value().get().map(|r| match r {
                    Ok(result) => view! { <RpcView result=result/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn RpcView(result: RpcResult) -> impl IntoView {
    let body = match result.returns {
        RpcReturns::Rows => serde_json::to_string_pretty(&result.rows).unwrap_or_default(),
        RpcReturns::Value => serde_json::to_string_pretty(&result.value).unwrap_or_default(),
        RpcReturns::Void => "(no value)".to_owned(),
    };
    view! {
        <p class="mt-2 text-sm" role="status">{format!("{} as {} · {:.1} ms", result.function, result.actor, result.duration_ms)}</p>
        <pre class="mt-1 max-h-64 overflow-auto rounded bg-stone-950 p-2 font-mono text-xs">{body}</pre>
    }
}
