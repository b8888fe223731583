//! The state editor: every fact of the simulated member, with sliders that preview the tier,
//! stage and blur instantly in the browser (the engine runs as wasm) and save to the server,
//! showing validation errors next to their fields.

use crate::api::simulation::patch_state;
use crate::components::feedback::InlineError;
use crate::model::Workbench;
use crate::pages::sandbox::use_sandbox;
use domain::theme::BadgeRule;
use domain::{Evaluator, FieldErrors, SimState, StatePatch};
use leptos::prelude::*;
use serde_json::{json, Map, Value};

/// The editable facts, as text the inputs hold.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    bgt: String,
    rank: String,
    points: String,
    verified: bool,
    activity: String,
    tenure: String,
    conviction: String,
    badges: Vec<String>,
}

impl Draft {
    fn of(state: &SimState) -> Draft {
        Draft {
            bgt: state.bgt_balance.to_string(),
            rank: state.rank.map(|r| r.get().to_string()).unwrap_or_default(),
            points: state.engagement_points.to_string(),
            verified: state.verified,
            activity: state.activity_score.to_string(),
            tenure: state.tenure_days.to_string(),
            conviction: state.conviction_score.to_string(),
            badges: state.granted_badges.iter().cloned().collect(),
        }
    }

    /// The JSON patch of the fields that differ from `base`; numbers stay text so the
    /// engine's own parser names what is wrong with them.
    fn patch(&self, base: &Draft) -> Value {
        let mut m = Map::new();
        let number = |t: &str| t.trim().parse::<f64>().map(Value::from).unwrap_or_else(|_| Value::String(t.trim().to_owned()));
        if self.bgt != base.bgt {
            m.insert("bgtBalance".into(), Value::String(self.bgt.trim().to_owned()));
        }
        if self.rank != base.rank {
            m.insert("rank".into(), if self.rank.trim().is_empty() { Value::Null } else { number(&self.rank) });
        }
        for (key, now, was) in [
            ("engagementPoints", &self.points, &base.points),
            ("activityScore", &self.activity, &base.activity),
            ("tenureDays", &self.tenure, &base.tenure),
            ("convictionScore", &self.conviction, &base.conviction),
        ] {
            if now != was {
                m.insert(key.into(), number(now));
            }
        }
        if self.verified != base.verified {
            m.insert("verified".into(), json!(self.verified));
        }
        if self.badges != base.badges {
            m.insert("grantedBadges".into(), json!(self.badges));
        }
        Value::Object(m)
    }
}

/// What the draft would give, or the errors by field.
fn preview(wb: &Workbench, patch: &Value) -> Result<String, FieldErrors> {
    let ev = Evaluator::new(&wb.theme, &wb.context.threshold_overrides)?;
    let state = ev.apply_patch(&wb.context.simulated_state, &StatePatch::from_json(patch)?)?;
    let subject = ev.subject(&state, wb.context.assumed_role.as_ref())?;
    let (tier, gate) = (ev.tier(&subject), ev.gate(&subject));
    Ok(format!("{} ({}) · stage {} · blur {}%", tier.computed.tier_name, tier.computed.boundary, gate.stage, gate.blur_level.percent()))
}

fn error_for(errors: &Option<FieldErrors>, field: &str) -> Option<String> {
    errors.as_ref()?.iter().find(|e| e.path == field || e.path.starts_with(&format!("{field}["))).map(|e| e.message.clone())
}

/// The editor card.
#[component]
pub fn StateEditor(wb: Workbench) -> impl IntoView {
    let ctx = use_sandbox();
    let base = Draft::of(&wb.context.simulated_state);
    let draft = RwSignal::new(base.clone());
    let version = wb.context.version;
    let grantable: Vec<(String, String)> =
        wb.theme.badges.iter().filter(|b| matches!(b.rule, BadgeRule::Granted)).map(|b| (b.id.clone(), b.name.clone())).collect();
    let (wb_preview, base_preview) = (wb.clone(), base.clone());
    let computed = Memo::new(move |_| preview(&wb_preview, &draft.get().patch(&base_preview)));
    let field_errors = Memo::new(move |_| computed.get().err());
    let base_save = base.clone();
    let save = Action::new(move |patch: &Value| {
        let (sandbox, simulation, patch) = (ctx.id.get_untracked(), ctx.simulation.get_untracked(), patch.clone());
        async move { patch_state(sandbox, simulation, patch, Some(version)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            ctx.reload();
        }
    });
    let base_dirty = base.clone();
    let dirty = move || draft.with(|d| d != &base_dirty);
    let text_field = move |label: &'static str, key: &'static str, get: fn(&Draft) -> String, set: fn(&mut Draft, String)| {
        view! {
            <label class="block text-sm">{label}
                <input class="mt-1 w-full rounded border border-stone-700 bg-stone-950 px-3 py-1.5" inputmode="decimal"
                    value=draft.with_untracked(get) prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                {move || error_for(&field_errors.get(), key).map(|m| view! { <InlineError message=m/> })}
            </label>
        }
    };
    let slider = move |label: &'static str, key: &'static str, max: u32, get: fn(&Draft) -> String, set: fn(&mut Draft, String)| {
        view! {
            <label class="block text-sm">
                <span class="flex justify-between">{label}<span class="tabular-nums text-stone-300">{move || draft.with(get)}</span></span>
                <input type="range" min="0" max=max.to_string() class="mt-1 w-full accent-amber-400" aria-label=label
                    value=draft.with_untracked(get) prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                {move || error_for(&field_errors.get(), key).map(|m| view! { <InlineError message=m/> })}
            </label>
        }
    };
    view! {
        <section aria-labelledby="editor-heading" class="rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h2 id="editor-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Simulated state"</h2>
            <form class="mt-3 space-y-3" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(draft.get_untracked().patch(&base_save));
            }>
                <div class="grid grid-cols-2 gap-3">
                    {text_field("BGT balance", "bgtBalance", |d| d.bgt.clone(), |d, v| d.bgt = v)}
                    {text_field("Rank (empty for none)", "rank", |d| d.rank.clone(), |d, v| d.rank = v)}
                </div>
                {slider("Engagement points", "engagementPoints", 200, |d| d.points.clone(), |d, v| d.points = v)}
                {slider("Activity score", "activityScore", 300, |d| d.activity.clone(), |d, v| d.activity = v)}
                {slider("Tenure (days)", "tenureDays", 400, |d| d.tenure.clone(), |d, v| d.tenure = v)}
                {text_field("Conviction score", "convictionScore", |d| d.conviction.clone(), |d, v| d.conviction = v)}
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" prop:checked=move || draft.with(|d| d.verified) on:change=move |ev| draft.update(|d| d.verified = event_target_checked(&ev))/>
                    "Wallet verified"
                </label>
                <fieldset class="text-sm">
                    <legend class="text-stone-400">"Granted badges"</legend>
                    <div class="mt-1 flex flex-wrap gap-3">
                        {grantable.into_iter().map(|(id, name)| {
                            let (check_id, toggle_id) = (id.clone(), id.clone());
                            view! {
                                <label class="flex items-center gap-1">
                                    <input type="checkbox" prop:checked=move || draft.with(|d| d.badges.contains(&check_id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            draft.update(|d| {
                                                d.badges.retain(|b| b != &toggle_id);
                                                if on { d.badges.push(toggle_id.clone()); d.badges.sort(); }
                                            });
                                        }/>
                                    {name}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <p class="rounded bg-stone-950 px-3 py-2 text-sm" role="status" aria-live="polite">
                    <span class="text-stone-400">"Preview: "</span>
                    <span data-testid="state-preview">{move || match computed.get() {
                        Ok(text) => text,
                        Err(_) => "fix the fields marked below".to_owned(),
                    }}</span>
                </p>
                <div class="flex gap-3">
                    <button type="submit" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950 disabled:opacity-50"
                        disabled=move || !dirty() || computed.get().is_err() || save.pending().get()>"Save state"</button>
                    <button type="button" class="rounded border border-stone-700 px-4 py-2 text-sm" on:click={
                        let base = base.clone();
                        move |_| draft.set(base.clone())
                    }>"Undo changes"</button>
                </div>
                {move || save.value().get().and_then(Result::err).map(|e| view! { <InlineError message=e.message/> })}
            </form>
        </section>
    }
}
