//! One matrix table: tiers down, channels or features across.

use super::Flips;
use crate::components::icon::{Glyph, Icon};
use domain::{Access, Cell, Matrix};
use leptos::prelude::*;

/// The icon drawn in a cell.
pub fn symbol(access: Access) -> Glyph {
    match access {
        Access::Allowed => Glyph::Check,
        Access::Denied => Glyph::Cross,
        Access::NeedsBadge => Glyph::Diamond,
    }
}

fn word(access: Access) -> &'static str {
    match access {
        Access::Allowed => "allowed",
        Access::Denied => "denied",
        Access::NeedsBadge => "needs a badge",
    }
}

/// The table of `kind` ("channel" or "feature").
#[component]
pub fn Grid(
    matrix: Matrix,
    effective: String,
    kind: &'static str,
    flips: RwSignal<Flips>,
    selected: RwSignal<Option<(String, String, String)>>,
) -> impl IntoView {
    let (targets, cells): (Vec<String>, &Vec<Vec<Cell>>) = if kind == "channel" {
        (matrix.channels.iter().map(|c| format!("#{}", c.name)).collect(), &matrix.channel_cells)
    } else {
        (matrix.features.clone(), &matrix.feature_cells)
    };
    let keys: Vec<String> =
        if kind == "channel" { matrix.channels.iter().map(|c| c.name.clone()).collect() } else { matrix.features.clone() };
    let rows: Vec<_> = matrix.tiers.iter().zip(cells.iter()).rev().map(|(t, row)| (t.clone(), row.clone())).collect();
    let caption = if kind == "channel" { "Channels by tier" } else { "Features by tier" };
    view! {
        <div class="overflow-x-auto">
            <table class="border-collapse text-xs">
                <caption class="mb-2 text-left text-sm font-semibold">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="sticky left-0 bg-stone-950 p-1 text-left">"Tier"</th>
                        {targets.iter().map(|t| view! { <th scope="col" class="h-32 whitespace-nowrap p-1 align-bottom font-mono font-normal [writing-mode:vertical-rl]">{t.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(tier, row)| {
                        let is_effective = tier.id == effective;
                        let tier_id = tier.id.clone();
                        view! {
                            <tr class=if is_effective { "bg-amber-900/40" } else { "" } aria-current=if is_effective { "true" } else { "false" }>
                                <th scope="row" class="sticky left-0 whitespace-nowrap bg-stone-950 p-1 text-left">
                                    <span class="mr-1 inline-block h-2 w-2 rounded-full" style=format!("background-color: {}", tier.colour) aria-hidden="true"></span>
                                    {tier.name.clone()}
                                    {is_effective.then(|| view! { <span class="ml-1 text-amber-300">"(you)"</span> })}
                                </th>
                                {row.into_iter().zip(keys.iter().cloned()).map(|(cell, key)| {
                                    let (tier_for_flip, key_for_flip) = (tier_id.clone(), key.clone());
                                    let flipped = Memo::new(move |_| flips.with(|f| f.get(&(tier_for_flip.clone(), key_for_flip.clone())).copied()));
                                    let label = format!("{} × {}: {}", tier.name, key, word(cell.access));
                                    let (tier_name, explanation) = (tier.name.clone(), cell.explanation.clone());
                                    let shown = key.clone();
                                    view! {
                                        <td class="p-0.5 text-center">
                                            <button type="button" aria-label=label
                                                class="h-7 w-7 rounded font-bold hover:ring-1 hover:ring-amber-300"
                                                class=(["bg-emerald-900/60", "text-emerald-200"], cell.access == Access::Allowed)
                                                class=(["bg-red-950/60", "text-red-300"], cell.access == Access::Denied)
                                                class=(["bg-violet-950/60", "text-violet-200"], cell.access == Access::NeedsBadge)
                                                class=(["ring-2", "ring-amber-400"], move || flipped.get().is_some())
                                                data-flip=move || flipped.get().map(word).unwrap_or("")
                                                on:click=move |_| selected.set(Some((tier_name.clone(), shown.clone(), explanation.clone())))>
                                                <Icon glyph=symbol(cell.access)/>
                                                {move || flipped.get().map(|after| view! { <span class="sr-only">{format!(" flips to {}", word(after))}</span><span aria-hidden="true" class="text-[9px] align-super">{if after == Access::Allowed { "↑" } else { "↓" }}</span> })}
                                            </button>
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
