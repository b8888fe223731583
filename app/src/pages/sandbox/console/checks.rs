//! Quick checks: a channel, a feature, the tier, the badges, or everything, answered by the
//! server (the same door agents use) and shown as Discord-style embeds.

use crate::api::simulation::check;
use crate::api::to_body;
use crate::components::embed::EmbedCard;
use crate::components::feedback::InlineError;
use crate::error::ApiError;
use crate::model::Workbench;
use crate::pages::sandbox::use_sandbox;
use domain::{AllResult, BadgesResult, CheckRequest, CheckResult, TierResult};
use leptos::prelude::*;

/// The quick-check card and its results.
#[component]
pub fn QuickChecks(wb: Workbench) -> impl IntoView {
    let ctx = use_sandbox();
    let channels: Vec<String> = wb.theme.categories.iter().flat_map(|c| c.channels.iter().map(|h| h.name.clone())).collect();
    let features: Vec<String> = wb.theme.feature_ids().into_iter().map(str::to_owned).collect();
    let channel = RwSignal::new(channels.first().cloned().unwrap_or_default());
    let feature = RwSignal::new(features.first().cloned().unwrap_or_default());
    let ask = Action::new(move |request: &CheckRequest| {
        let (sandbox, simulation, request) = (ctx.id.get_untracked(), ctx.simulation.get_untracked(), to_body(request));
        async move { check(sandbox, simulation, request).await }
    });
    let select = "mt-1 block w-full rounded border border-stone-700 bg-stone-950 px-3 py-2";
    let button = "rounded bg-stone-700 px-3 py-2 text-sm font-semibold hover:bg-stone-600";
    view! {
        <section aria-labelledby="checks-heading" class="rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h2 id="checks-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Quick checks"</h2>
            <div class="mt-3 grid grid-cols-[1fr_auto] items-end gap-3">
                <label class="text-sm">"Channel"
                    <select class=select on:change=move |ev| channel.set(event_target_value(&ev))>
                        {channels.into_iter().map(|c| view! { <option value=c.clone()>{format!("#{c}")}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class=button on:click=move |_| { ask.dispatch(CheckRequest::Channel { target: channel.get_untracked() }); }>"Check access"</button>
                <label class="text-sm">"Feature"
                    <select class=select on:change=move |ev| feature.set(event_target_value(&ev))>
                        {features.into_iter().map(|f| view! { <option value=f.clone()>{f.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class=button on:click=move |_| { ask.dispatch(CheckRequest::Feature { target: feature.get_untracked() }); }>"Check feature"</button>
            </div>
            <div class="mt-3 flex flex-wrap gap-2">
                <button type="button" class=button on:click=move |_| { ask.dispatch(CheckRequest::Tier); }>"Check tier"</button>
                <button type="button" class=button on:click=move |_| { ask.dispatch(CheckRequest::Badges); }>"Check badges"</button>
                <button type="button" class=button on:click=move |_| { ask.dispatch(CheckRequest::All); }>"Check all"</button>
            </div>
            <div class="mt-4 space-y-3" aria-live="polite" data-testid="check-result">
                {move || ask.value().get().map(render)}
            </div>
        </section>
    }
}

fn render(result: Result<CheckResult, ApiError>) -> AnyView {
    match result {
        Err(e) => view! { <InlineError message=e.message/> }.into_any(),
        Ok(CheckResult::Channel(c)) => view! { <EmbedCard embed=c.embed allowed=c.allowed/> }.into_any(),
        Ok(CheckResult::Feature(f)) => view! { <EmbedCard embed=f.embed allowed=f.allowed/> }.into_any(),
        Ok(CheckResult::Tier(t)) => tier_view(*t),
        Ok(CheckResult::Badges(b)) => badges_view(b),
        Ok(CheckResult::All(all)) => all_view(*all),
    }
}

fn tier_view(t: TierResult) -> AnyView {
    view! {
        <article class="rounded-md bg-[#2b2d31] p-3 text-sm" aria-label="Tier check">
            <h3 class="font-semibold">{format!("TIER: {}", t.tier_name)}</h3>
            <div class="mt-2 space-y-0.5 font-mono text-[13px]">{t.lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}</div>
        </article>
    }
    .into_any()
}

fn badges_view(b: BadgesResult) -> AnyView {
    view! {
        <table class="w-full text-left text-sm" aria-label="Badge check">
            <thead class="text-xs uppercase text-stone-400"><tr><th scope="col">"Badge"</th><th scope="col">"Earned"</th><th scope="col">"Why / distance"</th></tr></thead>
            <tbody class="divide-y divide-stone-800">
                {b.badges.into_iter().map(|s| view! {
                    <tr>
                        <th scope="row" class="py-1 font-medium">{s.name}</th>
                        <td>{if s.earned { "yes" } else { "no" }}</td>
                        <td class="text-xs text-stone-300">{s.distance.unwrap_or(s.reason)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn all_view(all: AllResult) -> AnyView {
    view! {
        <div class="space-y-3" aria-label="Every check">
            {tier_view(all.tier)}
            <table class="w-full text-left text-sm">
                <caption class="text-left text-xs uppercase text-stone-400">"Channels"</caption>
                <tbody class="divide-y divide-stone-800">
                    {all.channels.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row" class="py-1 font-mono text-xs">{format!("#{}", c.channel)}</th>
                            <td class=if c.allowed { "text-emerald-300" } else { "text-red-300" }>{if c.allowed { "granted" } else { "denied" }}</td>
                            <td class="text-xs text-stone-400">{format!("blur {}%", c.blur_level.percent())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <table class="w-full text-left text-sm">
                <caption class="text-left text-xs uppercase text-stone-400">"Features"</caption>
                <tbody class="divide-y divide-stone-800">
                    {all.features.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row" class="py-1 font-mono text-xs">{f.feature}</th>
                            <td class=if f.allowed { "text-emerald-300" } else { "text-red-300" }>{if f.allowed { "allowed" } else { "denied" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
