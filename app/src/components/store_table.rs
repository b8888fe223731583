//! A table of store health, as `system/info` and `/readyz` report it.

use crate::model::StoreStatus;
use leptos::prelude::*;

/// One row per store: name, backend, up or down, latency.
#[component]
pub fn StoreTable(stores: Vec<StoreStatus>) -> impl IntoView {
    view! {
        <table class="w-full text-left text-sm">
            <caption class="sr-only">"Stores"</caption>
            <thead class="text-xs uppercase tracking-wide text-stone-400">
                <tr>
                    <th scope="col" class="py-2 pr-4">"Store"</th>
                    <th scope="col" class="py-2 pr-4">"Backend"</th>
                    <th scope="col" class="py-2 pr-4">"Status"</th>
                    <th scope="col" class="py-2">"Latency"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-stone-800">
                {stores
                    .into_iter()
                    .map(|s| {
                        let (badge, label) = if s.up {
                            ("bg-emerald-900/60 text-emerald-300", "up".to_owned())
                        } else {
                            ("bg-red-900/60 text-red-200", format!("down ({})", s.problem.unwrap_or_default()))
                        };
                        let latency = s.latency_ms.map(|ms| format!("{ms:.2} ms")).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <th scope="row" class="py-2 pr-4 font-medium">{s.name}</th>
                                <td class="py-2 pr-4 text-stone-300">{s.backend}</td>
                                <td class="py-2 pr-4">
                                    <span class=format!("rounded px-2 py-0.5 text-xs font-semibold {badge}")>{label}</span>
                                </td>
                                <td class="py-2 tabular-nums text-stone-300">{latency}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
