//! `/kruxt/sandboxes/:id/console`: the staff console (09 §2, items 71-74) as the acting user:
//! pick a gym; the pending queue and the member list with roles; approve, reject and assign a
//! role, each answered with a fresh snapshot. A non-staff actor gets `ADMIN_STAFF_ACCESS_DENIED`
//! on load and every action, and the controls are disabled.

use super::use_kruxt;
use crate::api::kruxt::kruxt_console;
use crate::components::feedback::{ErrorNotice, Loading};
use crate::error::ApiError;
use crate::model::{ConsoleMembership, ConsoleRequest, FlowError, FlowResult, StaffConsoleSnapshot};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

type Call = (String, ConsoleRequest);

/// The staff console tab. The gym comes from `?gym=<id>` (the first gym when absent), so the
/// page renders the same on the server and in the browser, and works without JavaScript.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let ctx = use_kruxt();
    let query = use_query_map();
    let chosen = Memo::new(move |_| query.read().get("gym").filter(|g| !g.is_empty()));
    let mutate = Action::new(move |(method, req): &Call| {
        let (sandbox, method, req) = (ctx.id.get_untracked(), method.clone(), req.clone());
        async move { kruxt_console(sandbox, None, method, req).await }
    });
    // The snapshot loaded for the gym and actor (`None` when the database has no gym).
    let loaded = Resource::new(
        move || (ctx.id.get(), chosen.get(), ctx.refresh.get()),
        move |(id, chosen, _)| async move {
            let gym = match chosen {
                Some(gym) => gym,
                None => match ctx.status.await?.gyms.first() {
                    Some(first) => first.id.clone(),
                    None => return Ok(None),
                },
            };
            let load = ConsoleRequest { gym_id: gym.clone(), ..ConsoleRequest::default() };
            kruxt_console(id, None, "load".into(), load).await.map(|flow| Some((gym, flow)))
        },
    );
    // An action's answer replaces the loaded snapshot until the next load.
    let answered: RwSignal<Option<Result<FlowResult, ApiError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        loaded.track();
        answered.set(None);
    });
    Effect::new(move |_| {
        if let Some(r) = mutate.value().get() {
            answered.set(Some(r));
        }
    });
    let navigate = use_navigate();
    let pick = move |ev: leptos::ev::Event| {
        let gym = event_target_value(&ev);
        navigate(&format!("/kruxt/sandboxes/{}/console?gym={gym}", ctx.id.get_untracked()), Default::default());
    };
    view! {
        <div class="space-y-4">
            <Transition fallback=|| view! { <Loading what="the staff console"/> }>
                {move || loaded.get().map(|r| match r {
                    Ok(None) => view! { <p class="text-sm text-stone-400">"This database has no gym yet."</p> }.into_any(),
                    Ok(Some((gym, flow))) => {
                        let gyms = ctx.status.get().and_then(|r| r.ok()).map(|s| s.gyms).unwrap_or_default();
                        let shown = answered.get().unwrap_or(Ok(flow));
                        view! {
                            <form method="get" class="flex items-center gap-2 text-sm">
                                <label>"Gym "
                                    <select name="gym" aria-label="Gym" class="ml-1 rounded border border-stone-700 bg-stone-950 px-2 py-1" on:change=pick.clone()>
                                        {gyms.into_iter().map(|g| {
                                            let selected = g.id == gym;
                                            view! { <option value=g.id.clone() selected=selected>{g.name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="rounded border border-stone-700 px-2 py-1">"Show"</button>
                            </form>
                            {match shown {
                                Ok(flow) => view! { <FlowView flow=flow gym=gym mutate=mutate/> }.into_any(),
                                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
fn FlowView(flow: FlowResult, gym: String, mutate: Action<Call, Result<FlowResult, ApiError>>) -> impl IntoView {
    let error = flow.error.clone();
    let locked = error.as_ref().is_some_and(|e| !e.recoverable);
    let action = flow.action.clone();
    view! {
        {error.map(|e| view! { <FlowErrorView error=e/> })}
        {action.map(|a| view! { <p class="text-sm text-emerald-300" role="status" data-testid="console-action">{format!("Done: {a}. The lists below are fresh.")}</p> })}
        {flow.snapshot.map(|s| view! { <SnapshotView snapshot=s gym=gym mutate=mutate locked=locked/> })}
    }
}

#[component]
fn FlowErrorView(error: FlowError) -> impl IntoView {
    let retry = if error.recoverable { "You can refresh and try again." } else { "Actions are disabled for this user." };
    view! {
        <div class="rounded-lg border border-red-800 bg-red-950/70 p-4" role="alert" data-testid="console-error">
            <p class="font-semibold text-red-200">{error.code.clone()}</p>
            <p class="mt-1 text-sm text-red-100">{error.message.clone()}</p>
            <p class="mt-1 text-xs text-red-200">{format!("step {} · {retry}", error.step)}</p>
            {error.cause.map(|c| view! { <p class="mt-1 font-mono text-xs text-red-300">{format!("database: {} {c}", error.sqlstate.unwrap_or_default())}</p> })}
        </div>
    }
}

#[component]
fn SnapshotView(
    snapshot: StaffConsoleSnapshot,
    gym: String,
    mutate: Action<Call, Result<FlowResult, ApiError>>,
    locked: bool,
) -> impl IntoView {
    let pending = snapshot.pending_memberships.clone();
    let members = snapshot.memberships.clone();
    let gym_for_members = gym.clone();
    view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">{format!("Pending memberships ({})", pending.len())}</h2>
            {if pending.is_empty() { view! { <p class="mt-2 text-sm text-stone-400">"Nobody is waiting."</p> }.into_any() } else { view! {
                <ul class="mt-2 space-y-1 text-sm" aria-label="Pending memberships">
                    {pending.into_iter().map(|m| view! { <PendingRow membership=m gym=gym.clone() mutate=mutate locked=locked/> }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">{format!("Members ({})", members.len())}</h2>
            <table class="mt-2 w-full text-left text-sm">
                <thead class="text-xs uppercase text-stone-400"><tr><th scope="col">"Member"</th><th scope="col">"Status"</th><th scope="col">"Role"</th><th scope="col">"Since"</th></tr></thead>
                <tbody class="divide-y divide-stone-800">
                    {members.into_iter().map(|m| view! { <MemberRow membership=m gym=gym_for_members.clone() mutate=mutate locked=locked/> }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="classes-heading">
            <h2 id="classes-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">{format!("Upcoming classes ({})", snapshot.upcoming_classes.len())}</h2>
            <ul class="mt-2 space-y-1 text-sm" aria-label="Upcoming classes">
                {snapshot.upcoming_classes.into_iter().map(|c| view! {
                    <li data-class=c.id.clone()>{c.title.clone()}<span class="ml-2 text-xs text-stone-400">{format!("{} · {} places · {}", c.starts_at, c.capacity, c.status)}</span></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="waitlist-heading">
            <h2 id="waitlist-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">{format!("Waitlist ({})", snapshot.pending_waitlist.len())}</h2>
            <ul class="mt-2 space-y-1 text-xs" aria-label="Waitlist">
                {snapshot.pending_waitlist.into_iter().map(|w| view! {
                    <li class="font-mono">{format!("#{} {} · {} · {}", w.position, w.class_title, w.class_starts_at, w.user_id)}</li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="privacy-heading">
            <h2 id="privacy-heading" class="text-sm font-semibold uppercase tracking-wide text-stone-400">{format!("Open privacy requests ({})", snapshot.open_privacy_requests.len())}</h2>
            <ul class="mt-2 space-y-1 text-xs">
                {snapshot.open_privacy_requests.into_iter().map(|r| view! {
                    <li class="font-mono">{format!("{} {} · {} · due {}{}", r.request_type, r.status, r.user_id, r.due_at.unwrap_or_default(), if r.is_overdue { " · overdue" } else { "" })}</li>
                }).collect_view()}
            </ul>
            {snapshot.privacy_metrics.map(|m| view! { <p class="mt-1 text-xs text-stone-400">{format!("{} open, {} overdue, {} fulfilled and {} rejected in {} days", m.open_requests, m.overdue_requests, m.fulfilled_requests_window, m.rejected_requests_window, m.measured_window_days)}</p> })}
        </section>
    }
}

fn who(m: &ConsoleMembership) -> String {
    m.display_name.clone().or(m.username.clone()).unwrap_or(m.user_id.clone())
}

#[component]
fn PendingRow(
    membership: ConsoleMembership,
    gym: String,
    mutate: Action<Call, Result<FlowResult, ApiError>>,
    locked: bool,
) -> impl IntoView {
    let name = who(&membership);
    let request = ConsoleRequest { gym_id: gym, membership_id: Some(membership.id.clone()), ..ConsoleRequest::default() };
    let (approve, reject) = (request.clone(), request);
    view! {
        <li class="flex items-center justify-between gap-2 rounded border border-stone-800 bg-stone-900 px-2 py-1" data-membership=membership.id.clone()>
            <span>{name.clone()} <span class="text-xs text-stone-400">{format!(" {}", membership.role)}</span></span>
            <span class="flex gap-1">
                <button type="button" class="rounded bg-emerald-600 px-2 py-0.5 text-xs" disabled=move || locked || mutate.pending().get() aria-label=format!("Approve {name}")
                    on:click=move |_| { mutate.dispatch(("approve".into(), approve.clone())); }>"Approve"</button>
                <button type="button" class="rounded border border-red-800 px-2 py-0.5 text-xs" disabled=move || locked || mutate.pending().get() aria-label=format!("Reject {}", who(&membership))
                    on:click=move |_| { mutate.dispatch(("reject".into(), reject.clone())); }>"Reject"</button>
            </span>
        </li>
    }
}

#[component]
fn MemberRow(
    membership: ConsoleMembership,
    gym: String,
    mutate: Action<Call, Result<FlowResult, ApiError>>,
    locked: bool,
) -> impl IntoView {
    let name = who(&membership);
    let id = membership.id.clone();
    let can_assign = membership.can_assign_role && !locked;
    let current = membership.role.clone();
    let since = membership.started_at.clone().unwrap_or_default();
    view! {
        <tr data-membership=membership.id.clone()>
            <td class="py-1">{name.clone()}</td>
            <td>{membership.membership_status.clone()}</td>
            <td>
                <select class="rounded border border-stone-700 bg-stone-950 px-1 text-xs" aria-label=format!("Role of {name}") disabled=move || !can_assign || mutate.pending().get()
                    on:change=move |ev| {
                        let role = event_target_value(&ev);
                        mutate.dispatch(("assignRole".into(), ConsoleRequest { gym_id: gym.clone(), membership_id: Some(id.clone()), role: Some(role), status: None }));
                    }>
                    {["leader", "officer", "coach", "member"].into_iter().map(|r| view! { <option value=r selected=r == current>{r}</option> }).collect_view()}
                </select>
            </td>
            <td class="text-xs text-stone-400">{since}</td>
        </tr>
    }
}
