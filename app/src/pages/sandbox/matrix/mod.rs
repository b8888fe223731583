//! `/sandboxes/:id/matrix`: tiers x channels and tiers x features for the sandbox's theme and
//! thresholds, the effective tier's row highlighted, each cell's explanation on click; a what-if
//! panel that shows the cells that flip and how a population moves; a CSV download.

mod grid;
mod whatif;

use super::use_sandbox;
use crate::components::feedback::{InlineError, Loading};
use crate::components::icon::{Glyph, Icon};
use crate::model::Workbench;
use domain::{Access, Evaluator, Matrix};
use leptos::prelude::*;
use std::collections::HashMap;

/// Cells a what-if flips: (tier, target) -> the access after the change.
pub type Flips = HashMap<(String, String), Access>;

/// The matrix tab.
#[component]
pub fn MatrixPage() -> impl IntoView {
    let ctx = use_sandbox();
    view! {
        <Transition fallback=|| view! { <Loading what="the matrix"/> }>
            {move || ctx.data.get().and_then(Result::ok).map(|wb| view! { <MatrixView wb=wb/> })}
        </Transition>
    }
}

#[component]
fn MatrixView(wb: Workbench) -> impl IntoView {
    let compiled = Evaluator::new(&wb.theme, &wb.context.threshold_overrides).and_then(|ev| {
        let subject = ev.subject(&wb.context.simulated_state, wb.context.assumed_role.as_ref())?;
        Ok((ev.matrix(), ev.tier(&subject).tier_id))
    });
    let (matrix, effective) = match compiled {
        Ok(pair) => pair,
        Err(e) => return view! { <InlineError message=e.to_string()/> }.into_any(),
    };
    let flips: RwSignal<Flips> = RwSignal::new(HashMap::new());
    let selected: RwSignal<Option<(String, String, String)>> = RwSignal::new(None);
    let csv = csv_href(&matrix);
    view! {
        <div class="grid gap-6 xl:grid-cols-[1fr_22rem]">
            <div class="min-w-0 space-y-6">
                <div class="flex flex-wrap items-center justify-between gap-3">
                    <p class="text-sm text-stone-300">
                        "Rows are tiers, highest first; the effective tier's row is highlighted. "
                        <Icon glyph=Glyph::Check/>" allowed, "<Icon glyph=Glyph::Cross/>" denied, "<Icon glyph=Glyph::Diamond/>" needs a badge. Select a cell for its explanation."
                    </p>
                    <a class="rounded border border-stone-700 px-3 py-1.5 text-sm hover:border-amber-400" href=csv download="matrix.csv">"Download CSV"</a>
                </div>
                <grid::Grid matrix=matrix.clone() effective=effective.clone() kind="channel" flips=flips selected=selected/>
                <grid::Grid matrix=matrix.clone() effective=effective kind="feature" flips=flips selected=selected/>
                <div aria-live="polite" class="min-h-12 rounded border border-stone-800 bg-stone-900 p-3 text-sm" data-testid="cell-explanation">
                    {move || match selected.get() {
                        Some((tier, target, text)) => view! { <p><strong>{format!("{tier} × {target}: ")}</strong>{text}</p> }.into_any(),
                        None => view! { <p class="text-stone-400">"Select a cell to see why."</p> }.into_any(),
                    }}
                </div>
            </div>
            <whatif::WhatIfPanel wb=wb flips=flips/>
        </div>
    }
    .into_any()
}

/// The whole matrix as a CSV file in a data URL, so downloading needs no script.
fn csv_href(m: &Matrix) -> String {
    let mut rows = Vec::new();
    for (row, tier) in m.tiers.iter().enumerate() {
        for (col, channel) in m.channels.iter().enumerate() {
            let cell = &m.channel_cells[row][col];
            rows.push([tier.id.clone(), "channel".into(), channel.name.clone(), format!("{:?}", cell.access), cell.explanation.clone()]);
        }
        for (col, feature) in m.features.iter().enumerate() {
            let cell = &m.feature_cells[row][col];
            rows.push([tier.id.clone(), "feature".into(), feature.clone(), format!("{:?}", cell.access), cell.explanation.clone()]);
        }
    }
    let csv = domain::csv_write::to_csv(&["tier", "kind", "target", "access", "explanation"], rows);
    format!("data:text/csv;charset=utf-8,{}", crate::components::feedback::urlencode(&csv))
}
