//! `/kruxt/sandboxes/:id`: choose who acts (seeded users with their gym roles, the service role,
//! anonymous), move the simulated clock, call a function and run a read-only query as them, and
//! reset the database.

mod calls;

use super::use_kruxt;
use crate::api::kruxt::{kruxt_actors, kruxt_add_actor, kruxt_assume, kruxt_reset, kruxt_set_clock};
use crate::components::feedback::{ErrorNotice, InlineError, Loading};
use crate::error::ApiError;
use crate::model::{KruxtActor, NewActorMembership, NewKruxtActor, SetClock};
use calls::{QueryForm, RpcForm};
use leptos::prelude::*;

const FIELD: &str = "mt-1 block w-full rounded border border-stone-700 bg-stone-950 px-2 py-1 text-sm";
const BUTTON: &str = "rounded bg-amber-500 px-3 py-1.5 text-sm font-semibold text-stone-950 disabled:opacity-60";

/// The act tab.
#[component]
pub fn ActPage() -> impl IntoView {
    let ctx = use_kruxt();
    let actors = Resource::new(move || (ctx.id.get(), ctx.refresh.get()), |(id, _)| kruxt_actors(id));
    let assume = Action::new(move |actor: &String| {
        let (sandbox, actor) = (ctx.id.get_untracked(), actor.clone());
        async move { kruxt_assume(sandbox, None, actor, None).await }
    });
    Effect::new(move |_| {
        if assume.value().get().is_some_and(|r| r.is_ok()) {
            ctx.reload();
        }
    });
    let current = move || ctx.status.get().and_then(|r| r.ok()).map(|s| s.actor.key);
    view! {
        <div class="grid gap-6 xl:grid-cols-[22rem_1fr]">
            <section aria-labelledby="actors-heading">
                <h2 id="actors-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Act as"</h2>
                {move || assume.value().get().and_then(|r| r.err()).map(|e| view! { <InlineError message=e.message/> })}
                <Transition fallback=|| view! { <Loading what="actors"/> }>
                    {move || actors.get().map(|r| match r {
                        Ok(list) => view! {
                            <ul class="mt-2 space-y-1 text-sm" aria-label="Actors">
                                {list.into_iter().map(|a| view! { <ActorRow actor=a assume=assume current=Signal::derive(current)/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    })}
                </Transition>
                <AddActorForm/>
            </section>
            <div class="min-w-0 space-y-8">
                <ClockForm/>
                <QueryForm/>
                <RpcForm/>
                <ResetForm/>
            </div>
        </div>
    }
}

#[component]
fn ActorRow(
    actor: KruxtActor,
    assume: Action<String, Result<crate::model::KruxtStatus, ApiError>>,
    current: Signal<Option<String>>,
) -> impl IntoView {
    let key = actor.key.clone();
    let active = {
        let key = key.clone();
        move || current.get().as_deref() == Some(key.as_str())
    };
    let roles = actor.memberships.iter().map(|m| format!("{} {}/{}", m.gym_name, m.role, m.status)).collect::<Vec<_>>().join(", ");
    let label = actor.display_name.clone().unwrap_or(key.clone());
    let aria = format!("Act as {key}");
    let data_actor = key.clone();
    let shown_key = key.clone();
    view! {
        <li class="flex items-center justify-between gap-2 rounded border border-stone-800 bg-stone-900 px-2 py-1" data-actor=data_actor>
            <span class="min-w-0">
                <span class="font-medium">{label}</span>
                <span class="ml-1 font-mono text-xs text-stone-400">{shown_key}</span>
                <span class="block truncate text-xs text-stone-400">{roles}</span>
            </span>
            {move || if active() {
                view! { <span class="text-xs text-emerald-300">"acting"</span> }.into_any()
            } else {
                let key = key.clone();
                view! { <button type="button" class="rounded border border-stone-700 px-2 py-0.5 text-xs" aria-label=aria.clone()
                    on:click=move |_| { assume.dispatch(key.clone()); }>"Act"</button> }.into_any()
            }}
        </li>
    }
}

#[component]
fn ClockForm() -> impl IntoView {
    let ctx = use_kruxt();
    let advance = RwSignal::new("1d".to_owned());
    let set = Action::new(move |clock: &SetClock| {
        let (sandbox, clock) = (ctx.id.get_untracked(), clock.clone());
        async move { kruxt_set_clock(sandbox, None, clock, None).await }
    });
    Effect::new(move |_| {
        if set.value().get().is_some_and(|r| r.is_ok()) {
            ctx.reload();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set.dispatch(SetClock { at: None, advance: Some(advance.get_untracked()) });
    };
    view! {
        <section aria-labelledby="clock-heading">
            <h2 id="clock-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Clock"</h2>
            <p class="mt-1 text-xs text-stone-400">"What app_now() returns in the database; it starts at the seed's anchor."</p>
            <form class="mt-2 flex flex-wrap items-end gap-2" on:submit=submit aria-label="Move the clock">
                <label class="text-sm">"Advance by" <input class=FIELD prop:value=move || advance.get() on:input=move |ev| advance.set(event_target_value(&ev)) placeholder="1d12h"/></label>
                <button type="submit" class=BUTTON disabled=move || set.pending().get()>"Advance"</button>
                <button type="button" class="rounded border border-stone-700 px-3 py-1.5 text-sm" on:click=move |_| { set.dispatch(SetClock::default()); }>"Back to the anchor"</button>
            </form>
            {move || set.value().get().and_then(|r| r.err()).map(|e| view! { <InlineError message=e.message/> })}
        </section>
    }
}

#[component]
fn ResetForm() -> impl IntoView {
    let ctx = use_kruxt();
    let reset = Action::new(move |_: &()| {
        let sandbox = ctx.id.get_untracked();
        async move { kruxt_reset(sandbox, None).await }
    });
    Effect::new(move |_| {
        if reset.value().get().is_some_and(|r| r.is_ok()) {
            ctx.reload();
        }
    });
    view! {
        <section aria-labelledby="reset-heading">
            <h2 id="reset-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">"Reset"</h2>
            <p class="mt-1 text-xs text-stone-400">"Clones the database again from the template: every change made in it is gone."</p>
            <button type="button" class="mt-2 rounded border border-red-800 px-3 py-1.5 text-sm text-red-200" disabled=move || reset.pending().get()
                on:click=move |_| { reset.dispatch(()); }>"Reset the database"</button>
            {move || reset.value().get().map(|r| match r {
                Ok(_) => view! { <p class="mt-1 text-sm text-emerald-300" role="status">"The database is fresh from the template."</p> }.into_any(),
                Err(e) => view! { <InlineError message=e.message/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn AddActorForm() -> impl IntoView {
    let ctx = use_kruxt();
    let username = RwSignal::new(String::new());
    let gym = RwSignal::new(String::new());
    let role = RwSignal::new("member".to_owned());
    let status = RwSignal::new("active".to_owned());
    let add = Action::new(move |new: &NewKruxtActor| {
        let (sandbox, new) = (ctx.id.get_untracked(), new.clone());
        async move { kruxt_add_actor(sandbox, new).await }
    });
    Effect::new(move |_| {
        if add.value().get().is_some_and(|r| r.is_ok()) {
            ctx.reload();
        }
    });
    let gyms = move || ctx.status.get().and_then(|r| r.ok()).map(|s| s.gyms).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let gym_id = gym.get_untracked();
        let memberships = if gym_id.is_empty() {
            Vec::new()
        } else {
            vec![NewActorMembership { gym_id, role: Some(role.get_untracked()), status: Some(status.get_untracked()) }]
        };
        add.dispatch(NewKruxtActor { username: username.get_untracked(), memberships, ..NewKruxtActor::default() });
    };
    view! {
        <form class="mt-4 space-y-2 rounded border border-stone-800 p-2" on:submit=submit aria-label="Add a user">
            <h3 class="text-xs font-semibold uppercase tracking-wide text-stone-400">"Add a user"</h3>
            <label class="block text-sm">"Username" <input class=FIELD required prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) placeholder="new_member"/></label>
            <label class="block text-sm">"Gym"
                <select class=FIELD on:change=move |ev| gym.set(event_target_value(&ev))>
                    <option value="">"no membership"</option>
                    // Inside a transition: the status is a resource, and a resource read outside one
                    // renders differently on the server (not loaded yet) and in the browser (loaded).
                    <Transition fallback=|| ()>
                        {move || gyms().into_iter().map(|g| view! { <option value=g.id.clone()>{g.name.clone()}</option> }).collect_view()}
                    </Transition>
                </select>
            </label>
            <div class="flex gap-2">
                <label class="block text-sm">"Role"
                    <select class=FIELD on:change=move |ev| role.set(event_target_value(&ev))>
                        {["member", "coach", "officer", "leader"].into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                    </select>
                </label>
                <label class="block text-sm">"Status"
                    <select class=FIELD on:change=move |ev| status.set(event_target_value(&ev))>
                        {["active", "trial", "pending", "paused", "cancelled"].into_iter().map(|s| view! { <option value=s>{s}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <button type="submit" class=BUTTON disabled=move || add.pending().get()>"Add"</button>
            {move || add.value().get().map(|r| match r {
                Ok(a) => view! { <p class="text-sm text-emerald-300" role="status">{format!("Added {}.", a.key)}</p> }.into_any(),
                Err(e) => view! { <InlineError message=e.message/> }.into_any(),
            })}
        </form>
    }
}
