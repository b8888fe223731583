//! The "who am I" card and the assume / reset control.

use crate::api::simulation::{assume, reset_assume};
use crate::api::to_body;
use crate::components::feedback::InlineError;
use crate::model::Workbench;
use crate::pages::sandbox::use_sandbox;
use domain::Assumption;
use domain::{Evaluator, InForce};
use leptos::prelude::*;

/// Assumed vs computed tier, its colour, and the state in force, computed with the engine.
#[component]
pub fn WhoAmICard(wb: Workbench) -> impl IntoView {
    let ctx = &wb.context;
    let body = match Evaluator::new(&wb.theme, &ctx.threshold_overrides)
        .and_then(|ev| ev.subject(&ctx.simulated_state, ctx.assumed_role.as_ref()).map(|s| (ev.tier(&s), ev.gate(&s))))
    {
        Err(e) => view! { <InlineError message=e.to_string()/> }.into_any(),
        Ok((tier, gate)) => {
            let source = match tier.in_force {
                InForce::Assumed => "assumed",
                InForce::Computed => "computed",
            };
            let state = &ctx.simulated_state;
            view! {
                <div class="flex items-center gap-3">
                    <span class="inline-block h-4 w-4 rounded-full" style=format!("background-color: {}", tier.colour) aria-hidden="true"></span>
                    <p class="text-xl font-semibold" data-testid="tier-in-force">{tier.tier_name.clone()}</p>
                    <span class="rounded bg-stone-800 px-2 py-0.5 text-xs" data-testid="tier-source">{source}</span>
                </div>
                <dl class="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
                    <dt class="text-stone-400">"Computed tier"</dt>
                    <dd data-testid="computed-tier">{format!("{} ({})", tier.computed.tier_name, tier.computed.boundary)}</dd>
                    <dt class="text-stone-400">"Assumed tier"</dt>
                    <dd>{tier.assumed.as_ref().map(|a| a.tier_name.clone()).unwrap_or_else(|| "none".into())}</dd>
                    <dt class="text-stone-400">"Stage"</dt>
                    <dd>{format!("{} ({} pts, blur {}%)", gate.stage, gate.engagement_points, gate.blur_level.percent())}</dd>
                    <dt class="text-stone-400">"BGT / rank"</dt>
                    <dd>{format!("{} / {}", state.bgt_balance, state.rank.map(|r| r.get().to_string()).unwrap_or_else(|| "none".into()))}</dd>
                    <dt class="text-stone-400">"Permissions"</dt>
                    <dd class="text-xs">{tier.permissions.join(", ")}</dd>
                </dl>
                <p class="mt-2 text-xs text-stone-400">{tier.computed.reason.clone()}</p>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="whoami-heading" class="rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h2 id="whoami-heading" class="mb-3 text-sm font-semibold uppercase tracking-wide text-stone-400">"Who am I"</h2>
            {body}
        </section>
    }
}

/// Choose a tier to assume, or return to the computed one.
#[component]
pub fn AssumeControl(wb: Workbench) -> impl IntoView {
    let ctx = use_sandbox();
    let version = wb.context.version;
    let chosen = RwSignal::new(
        wb.context
            .assumed_role
            .as_ref()
            .map(|a| a.tier_id.clone())
            .unwrap_or_else(|| wb.theme.tiers.last().map(|t| t.id.clone()).unwrap_or_default()),
    );
    let act = Action::new(move |reset: &bool| {
        let (sandbox, simulation, reset, tier) = (ctx.id.get_untracked(), ctx.simulation.get_untracked(), *reset, chosen.get_untracked());
        async move {
            if reset {
                reset_assume(sandbox, simulation, Some(version)).await.map(|_| ())
            } else {
                assume(sandbox, simulation, to_body(&Assumption::tier(tier)), Some(version)).await.map(|_| ())
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            ctx.reload();
        }
    });
    let tiers: Vec<(String, String)> = wb.theme.tiers.iter().rev().map(|t| (t.id.clone(), t.name.clone())).collect();
    view! {
        <section aria-labelledby="assume-heading" class="rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h2 id="assume-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Assume a role"</h2>
            <div class="mt-3 flex flex-wrap items-end gap-3">
                <label class="text-sm">"Tier"
                    <select class="mt-1 block rounded border border-stone-700 bg-stone-950 px-3 py-2" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {tiers.into_iter().map(|(id, name)| {
                            let selected = id == chosen.get_untracked();
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950" on:click=move |_| { act.dispatch(false); }>"Assume"</button>
                <button type="button" class="rounded border border-stone-700 px-4 py-2 text-sm" on:click=move |_| { act.dispatch(true); }>"Reset to computed"</button>
            </div>
            {move || act.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
        </section>
    }
}
