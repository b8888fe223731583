//! `/sandboxes`: the sandboxes you can see, with theme, state, time left and members; create
//! one (name, TTL, built-in theme or an uploaded theme file), extend it, destroy it.

use crate::api::sandbox::{create_sandbox, destroy_sandbox, extend_sandbox, list_sandboxes};
use crate::components::countdown::Countdown;
use crate::components::feedback::{ErrorNotice, InlineError, Loading};
use crate::error::ApiError;
use crate::model::{CreateSandbox, SandboxChange, SandboxView, ThemeUpload};
use leptos::prelude::*;
use leptos_meta::Title;

/// The sandboxes page.
#[component]
pub fn Sandboxes() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let list = Resource::new(move || refresh.get(), |_| list_sandboxes());
    let created = Action::new(|req: &CreateSandbox| {
        let req = req.clone();
        async move { create_sandbox(req).await }
    });
    Effect::new(move |_| {
        if created.version().get() > 0 {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Sandboxes"/>
        <div class="flex flex-wrap items-baseline justify-between gap-4">
            <h1 class="text-2xl font-bold text-amber-200">"Sandboxes"</h1>
        </div>
        <CreateForm action=created/>
        <Transition fallback=|| view! { <Loading what="sandboxes"/> }>
            {move || list.get().map(|r| match r {
                Ok(rows) if rows.is_empty() => view! {
                    <p class="mt-6 rounded border border-dashed border-stone-700 p-6 text-stone-300">
                        "No sandboxes yet. Create one above: give it a name, keep the Sietch theme, and press Create."
                    </p>
                }.into_any(),
                Ok(rows) => view! { <SandboxTable rows=rows refresh=refresh/> }.into_any(),
                Err(e) => view! { <div class="mt-6"><ErrorNotice error=e/></div> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CreateForm(action: Action<CreateSandbox, Result<SandboxChange, ApiError>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let ttl = RwSignal::new("24".to_owned());
    let theme = RwSignal::new("sietch".to_owned());
    let upload: RwSignal<Option<ThemeUpload>> = RwSignal::new(None);
    let field = "mt-1 block rounded border border-stone-700 bg-stone-950 px-3 py-2";
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ttl_hours = ttl.get_untracked().trim().parse().ok();
        let custom = theme.get_untracked() == "file";
        action.dispatch(CreateSandbox {
            name: name.get_untracked(),
            ttl_hours,
            theme_id: (!custom).then(|| theme.get_untracked()),
            theme_file: if custom { upload.get_untracked() } else { None },
            members: Vec::new(),
        });
    };
    view! {
        <form class="mt-6 flex flex-wrap items-end gap-4 rounded-lg border border-stone-800 bg-stone-900 p-4" on:submit=submit aria-label="Create a sandbox">
            <label class="text-sm">"Name"
                <input class=field required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) placeholder="test-sandbox"/>
            </label>
            <label class="text-sm">"TTL (hours)"
                <input class=format!("{field} w-24") type="number" min="1" max="168" value="24" prop:value=move || ttl.get() on:input=move |ev| ttl.set(event_target_value(&ev))/>
            </label>
            <label class="text-sm">"Theme"
                <select class=field on:change=move |ev| theme.set(event_target_value(&ev))>
                    <option value="sietch" selected=true>"Sietch"</option>
                    <option value="basic">"Basic"</option>
                    <option value=crate::model::KRUXT_THEME_ID>"KRUXT (gym platform database)"</option>
                    <option value="file">"Upload a theme file…"</option>
                </select>
            </label>
            <Show when=move || theme.get() == "file">
                <label class="text-sm">"Theme file (TOML, JSON or YAML)"
                    <input class=field type="file" accept=".toml,.json,.yaml,.yml" on:change=move |ev| read_theme_file(ev, upload)/>
                </label>
            </Show>
            <button type="submit" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950 hover:bg-amber-400 disabled:opacity-60"
                disabled=move || action.pending().get()>"Create"</button>
        </form>
        {move || action.value().get().map(|r| match r {
            Ok(change) => view! {
                <p class="mt-2 text-sm text-emerald-300" role="status">
                    {format!("Created {}.", change.sandbox.name)} {change.notice.map(|n| format!(" {n}."))}
                    " " <a class="underline" href=console_href(&change.sandbox)>"Open its console"</a>
                </p>
            }.into_any(),
            Err(e) => view! { <InlineError message=e.message/> }.into_any(),
        })}
    }
}

/// Reads the chosen file's text in the browser.
fn read_theme_file(ev: leptos::ev::Event, upload: RwSignal<Option<ThemeUpload>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        let name = file.name();
        let format =
            name.rsplit('.').next().map(|e| if e == "yml" { "yaml".to_owned() } else { e.to_ascii_lowercase() }).unwrap_or_default();
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                upload.set(text.as_string().map(|content| ThemeUpload { format, content }));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, upload);
}

#[component]
fn SandboxTable(rows: Vec<SandboxView>, refresh: RwSignal<u32>) -> impl IntoView {
    view! {
        <table class="mt-6 w-full text-left text-sm">
            <caption class="sr-only">"Your sandboxes"</caption>
            <thead class="text-xs uppercase text-stone-400">
                <tr>
                    <th scope="col" class="py-2">"Name"</th><th scope="col">"Theme"</th><th scope="col">"State"</th>
                    <th scope="col">"Time left"</th><th scope="col">"Owner and members"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody class="divide-y divide-stone-800">
                {rows.into_iter().map(|s| view! { <SandboxRow sandbox=s refresh=refresh/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SandboxRow(sandbox: SandboxView, refresh: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = sandbox.id.clone();
    let extend = Action::new(move |id: &String| {
        let id = id.clone();
        async move { extend_sandbox(id, 24).await.map(|_| ()) }
    });
    let destroy = Action::new(move |id: &String| {
        let id = id.clone();
        async move { destroy_sandbox(id).await.map(|_| ()) }
    });
    // Read both versions every run, so the effect tracks both actions.
    Effect::new(move |_| {
        let done = extend.version().get() + destroy.version().get();
        if done > 0 {
            refresh.update(|n| *n += 1);
        }
    });
    let running = sandbox.state == crate::model::SandboxState::Running;
    let people =
        std::iter::once(format!("{} (owner)", sandbox.owner)).chain(sandbox.members.iter().cloned()).collect::<Vec<_>>().join(", ");
    let (extend_id, destroy_id) = (id.clone(), id.clone());
    let name = sandbox.name.clone();
    view! {
        <tr>
            <th scope="row" class="py-3 font-medium"><a class="text-amber-300 hover:underline" href=console_href(&sandbox)>{sandbox.name.clone()}</a></th>
            <td>{sandbox.theme_id.clone()}</td>
            <td><span class="rounded bg-stone-800 px-2 py-0.5 text-xs">{sandbox.state.as_str()}</span></td>
            <td>{if running { view! { <Countdown seconds_left=sandbox.seconds_left/> }.into_any() } else { "—".into_any() }}</td>
            <td class="text-xs text-stone-300">{people}</td>
            <td class="space-x-2 whitespace-nowrap text-right">
                {running.then(|| view! {
                    <button type="button" class="rounded border border-stone-700 px-2 py-1 text-xs hover:border-amber-400"
                        aria-label=format!("Extend {name} by 24 hours") on:click=move |_| { extend.dispatch(extend_id.clone()); }>"+24 h"</button>
                })}
                <Show when=move || !confirming.get() fallback=move || {
                    let destroy_id = destroy_id.clone();
                    view! {
                        <span class="text-xs" role="group" aria-label="Confirm destroy">
                            "Destroy for good? "
                            <button type="button" class="rounded bg-red-700 px-2 py-1 text-xs text-white" on:click=move |_| { destroy.dispatch(destroy_id.clone()); confirming.set(false); }>"Destroy"</button>
                            " "
                            <button type="button" class="rounded border border-stone-700 px-2 py-1 text-xs" on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </span>
                    }
                }>
                    <button type="button" class="rounded border border-red-800 px-2 py-1 text-xs text-red-200 hover:bg-red-950"
                        aria-label=format!("Destroy {}", sandbox.name) on:click=move |_| confirming.set(true)>"Destroy…"</button>
                </Show>
            </td>
        </tr>
    }
}

/// Where a sandbox's console lives: KRUXT sandboxes have their own pages.
pub fn console_href(sandbox: &SandboxView) -> String {
    if sandbox.kind() == crate::model::ThemeKind::Kruxt {
        format!("/kruxt/sandboxes/{}", sandbox.id)
    } else {
        format!("/sandboxes/{}", sandbox.id)
    }
}
