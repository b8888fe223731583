//! `/sandboxes/:id/blur`: the blur preview for theme developers: a Discord-like channel list
//! and message pane rendered at the blur the gate gives, with a points slider and an ENGAGED_MIN
//! override, showing where the stage changes. Denied channels render fully hidden.

use super::use_sandbox;
use crate::components::feedback::{InlineError, Loading};
use crate::components::icon::{Glyph, Icon};
use crate::model::Workbench;
use domain::{EngagementOverride, Evaluator, SimState, ThresholdOverrides};
use leptos::prelude::*;

const SAMPLE: &[(&str, &str)] = &[
    ("Stilgar", "The water of the tribe is counted at dawn."),
    ("Chani", "Leaderboard moved again: three new fedaykin this week."),
    ("Jamis", "Council meets in the chamber after the storm passes."),
    ("Harah", "Welcome, newcomers. Read #desert-laws first."),
];

/// A channel as the preview shows it: its name and, per tier, (tier, visible, blur level).
type ChannelRow = (String, Vec<(String, bool, u8)>);

/// What the page shows for one setting of the controls.
#[derive(Clone, PartialEq)]
struct Frame {
    stage: String,
    stage_blur: u8,
    engaged_min: u32,
    channels: Vec<ChannelRow>,
}

fn frame(wb: &Workbench, points: u32, engaged_min: u32, verified: bool) -> Result<Frame, String> {
    let patch = ThresholdOverrides {
        engagement: EngagementOverride { engaged_min: Some(engaged_min), ..EngagementOverride::default() },
        ..ThresholdOverrides::default()
    };
    let overrides = wb.context.threshold_overrides.merged(&patch);
    let ev = Evaluator::new(&wb.theme, &overrides).map_err(|e| e.to_string())?;
    let state = SimState { engagement_points: points, verified, ..wb.context.simulated_state.clone() };
    let subject = ev.subject(&state, wb.context.assumed_role.as_ref()).map_err(|e| e.to_string())?;
    let gate = ev.gate(&subject);
    let channels = wb
        .theme
        .categories
        .iter()
        .map(|c| {
            let list = c
                .channels
                .iter()
                .map(|h| match ev.decide_channel(&subject, &h.name) {
                    Ok(d) => (h.name.clone(), d.allowed, d.blur_level.percent()),
                    Err(_) => (h.name.clone(), false, 100),
                })
                .collect();
            (c.name.clone(), list)
        })
        .collect();
    Ok(Frame { stage: gate.stage.to_string(), stage_blur: gate.blur_level.percent(), engaged_min, channels })
}

/// The blur tab.
#[component]
pub fn BlurPage() -> impl IntoView {
    let ctx = use_sandbox();
    view! {
        <Transition fallback=|| view! { <Loading what="the preview"/> }>
            {move || ctx.data.get().and_then(Result::ok).map(|wb| view! { <BlurPreview wb=wb/> })}
        </Transition>
    }
}

#[component]
fn BlurPreview(wb: Workbench) -> impl IntoView {
    let current_min = Evaluator::new(&wb.theme, &wb.context.threshold_overrides)
        .map(|ev| ev.thresholds().view(&wb.theme).engagement.engaged_min.value)
        .unwrap_or(wb.theme.gate.engaged_min);
    let points = RwSignal::new(wb.context.simulated_state.engagement_points);
    let engaged_min = RwSignal::new(current_min);
    let verified = RwSignal::new(wb.context.simulated_state.verified);
    let selected = RwSignal::new(String::new());
    let blur = wb.theme.gate.blur;
    let shown = Memo::new(move |_| frame(&wb, points.get(), engaged_min.get(), verified.get()));
    view! {
        <div class="grid gap-6 lg:grid-cols-[20rem_1fr]">
            <section aria-labelledby="blur-controls" class="space-y-4 rounded-lg border border-stone-800 bg-stone-900 p-4">
                <h2 id="blur-controls" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Gate"</h2>
                <label class="block text-sm">
                    <span class="flex justify-between">"Engagement points"<span class="tabular-nums">{move || points.get()}</span></span>
                    <input type="range" min="0" max="150" class="mt-1 w-full accent-amber-400" aria-label="Engagement points"
                        prop:value=move || points.get().to_string() on:input=move |ev| points.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
                <div class="relative h-2 rounded bg-stone-800" aria-hidden="true">
                    <div class="absolute top-0 h-2 rounded bg-amber-500" style=move || format!("width: {}%", (points.get().min(150) * 100 / 150))></div>
                    <div class="absolute -top-1 h-4 w-0.5 bg-emerald-300" style=move || format!("left: {}%", engaged_min.get().min(150) * 100 / 150)></div>
                </div>
                <p class="text-xs text-stone-400">{move || format!("The stage changes from free to engaged at {} points (the green mark).", engaged_min.get())}</p>
                <label class="block text-sm">"ENGAGED_MIN override"
                    <input type="number" min="0" class="mt-1 w-full rounded border border-stone-700 bg-stone-950 px-2 py-1"
                        prop:value=move || engaged_min.get().to_string() on:input=move |ev| engaged_min.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" prop:checked=verified on:change=move |ev| verified.set(event_target_checked(&ev))/>"Wallet verified"
                </label>
                <p class="rounded bg-stone-950 p-2 text-sm" role="status" aria-live="polite" data-testid="blur-stage">
                    {move || match shown.get() {
                        Ok(f) => format!("Stage {} · blur {}%", f.stage, f.stage_blur),
                        Err(e) => e,
                    }}
                </p>
                <p class="text-xs text-stone-400">{format!("Stage blur: free {}%, engaged {}%, verified {}%; a denied channel is fully hidden.", blur.free.percent(), blur.engaged.percent(), blur.verified.percent())}</p>
            </section>
            {move || match shown.get() {
                Err(e) => view! { <InlineError message=e/> }.into_any(),
                Ok(f) => view! { <DiscordPane frame=f selected=selected/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn DiscordPane(frame: Frame, selected: RwSignal<String>) -> impl IntoView {
    let all: Vec<(String, bool, u8)> = frame.channels.iter().flat_map(|(_, l)| l.clone()).collect();
    let current = move || {
        let name = selected.get();
        all.iter().find(|c| c.0 == name).or(all.first()).cloned()
    };
    view! {
        <div class="flex min-h-96 overflow-hidden rounded-lg bg-[#313338] text-sm">
            <nav aria-label="Channels" class="w-56 shrink-0 overflow-y-auto bg-[#2b2d31] p-2">
                {frame.channels.into_iter().map(|(category, list)| view! {
                    <p class="mt-3 px-1 text-[11px] font-semibold uppercase tracking-wide text-stone-400">{category}</p>
                    {list.into_iter().map(|(name, allowed, level)| {
                        let pick = name.clone();
                        view! {
                            <button type="button" class="flex w-full items-center gap-1 rounded px-2 py-1 text-left text-stone-300 hover:bg-[#35373c]"
                                aria-label=format!("#{name}: {}", if allowed { format!("blur {level}%") } else { "hidden".to_owned() })
                                on:click=move |_| selected.set(pick.clone())>
                                {if allowed { view! { <span aria-hidden="true">"#"</span> }.into_any() } else { view! { <Icon glyph=Glyph::Lock class="text-stone-400"/> }.into_any() }}{name.clone()}
                            </button>
                        }
                    }).collect_view()}
                }).collect_view()}
            </nav>
            <section class="flex-1 p-4" aria-label="Messages">
                {move || current().map(|(name, allowed, level)| view! {
                    <h3 class="border-b border-stone-700 pb-2 font-semibold text-stone-100">{format!("#{name}")}</h3>
                    <p class="mt-2 text-xs text-stone-400" data-testid="pane-blur">{if allowed { format!("Rendered at blur {level}%") } else { "Denied: fully hidden (blur 100%)".to_owned() }}</p>
                    <div class="mt-3 space-y-3" style=format!("filter: blur({:.1}px)", f32::from(level) / 100.0 * 8.0) aria-hidden={if level >= 50 { "true" } else { "false" }}>
                        {SAMPLE.iter().map(|(who, text)| view! { <p><span class="font-semibold text-amber-200">{*who}</span>" "<span class="text-stone-200">{*text}</span></p> }).collect_view()}
                    </div>
                })}
            </section>
        </div>
    }
}
