//! `/account`: who you are, and your API tokens: create (the secret is shown once), list,
//! revoke.

use crate::api::auth::me;
use crate::api::token::{create_token, list_tokens, revoke_token};
use crate::components::feedback::{ErrorNotice, InlineError, Loading};
use crate::model::TokenView;
use leptos::prelude::*;
use leptos_meta::Title;

/// The account page.
#[component]
pub fn Account() -> impl IntoView {
    let user = Resource::new(|| (), |_| me());
    let refresh = RwSignal::new(0u32);
    let tokens = Resource::new(move || refresh.get(), |_| list_tokens());
    let name = RwSignal::new(String::new());
    let create = Action::new(move |name: &String| {
        let name = name.clone();
        async move { create_token(name).await }
    });
    let revoke = Action::new(move |id: &String| {
        let id = id.clone();
        async move { revoke_token(id).await }
    });
    // Read both versions every run, so the effect tracks both actions.
    Effect::new(move |_| {
        let done = create.version().get() + revoke.version().get();
        if done > 0 {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Account"/>
        <h1 class="text-2xl font-bold text-amber-200">"Account"</h1>
        <Suspense fallback=|| view! { <Loading what="your account"/> }>
            {move || user.get().map(|u| match u {
                Ok(u) => view! {
                    <p class="mt-2 text-stone-300">
                        "Signed in as " <strong>{u.display_name.clone()}</strong> " (" {u.username.clone()} "), role "
                        <span class="rounded bg-stone-800 px-1.5 py-0.5 text-xs">{u.role.as_str()}</span> "."
                    </p>
                }.into_any(),
                Err(e) => view! { <div class="mt-4"><ErrorNotice error=e/></div> }.into_any(),
            })}
        </Suspense>
        <section aria-labelledby="tokens-heading" class="mt-8 max-w-3xl">
            <h2 id="tokens-heading" class="text-xl font-semibold">"API tokens"</h2>
            <p class="mt-1 text-sm text-stone-400">"Agents and the CLI send a token as " <code>"Authorization: Bearer <token>"</code> "."</p>
            <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(name.get_untracked());
            }>
                <label class="text-sm">
                    "Token name"
                    <input class="mt-1 block rounded border border-stone-700 bg-stone-950 px-3 py-2" prop:value=name
                        on:input=move |ev| name.set(event_target_value(&ev)) placeholder="ci"/>
                </label>
                <button type="submit" class="rounded bg-amber-500 px-4 py-2 text-sm font-semibold text-stone-950">"Create token"</button>
            </form>
            {move || create.value().get().map(|r| match r {
                Ok(t) => view! {
                    <div class="mt-3 rounded border border-emerald-700 bg-emerald-950/60 p-3 text-sm" role="status">
                        <p>"Copy this token now; it will not be shown again:"</p>
                        <code class="mt-1 block break-all font-mono text-emerald-200" data-testid="new-token">{t.token}</code>
                    </div>
                }.into_any(),
                Err(e) => view! { <InlineError message=e.message/> }.into_any(),
            })}
            <Transition fallback=|| view! { <Loading what="tokens"/> }>
                {move || tokens.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="mt-4 text-sm text-stone-400">"No tokens yet. Create one above."</p> }.into_any(),
                    Ok(list) => view! { <TokenTable tokens=list revoke=revoke/> }.into_any(),
                    Err(e) => view! { <div class="mt-4"><ErrorNotice error=e/></div> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenView>, revoke: Action<String, Result<(), crate::error::ApiError>>) -> impl IntoView {
    view! {
        <table class="mt-4 w-full text-left text-sm">
            <caption class="sr-only">"Your API tokens"</caption>
            <thead class="text-xs uppercase text-stone-400">
                <tr><th scope="col" class="py-2">"Name"</th><th scope="col">"Starts with"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr>
            </thead>
            <tbody class="divide-y divide-stone-800">
                {tokens.into_iter().map(|t| {
                    let id = t.id.clone();
                    let active = t.revoked_at.is_none();
                    let label = format!("Revoke token {}", t.name);
                    view! {
                        <tr>
                            <th scope="row" class="py-2 font-medium">{t.name.clone()}</th>
                            <td class="font-mono text-xs">{t.prefix.clone()}"…"</td>
                            <td class="text-xs">{crate::pages::format_time(&t.created_at)}</td>
                            <td class="text-xs">{t.last_used_at.as_ref().map(crate::pages::format_time).unwrap_or_else(|| "never".into())}</td>
                            <td>{if active { "active" } else { "revoked" }}</td>
                            <td class="text-right">
                                {active.then(|| view! {
                                    <button type="button" aria-label=label.clone() class="rounded border border-red-800 px-2 py-1 text-xs text-red-200 hover:bg-red-950"
                                        on:click=move |_| { revoke.dispatch(id.clone()); }>"Revoke"</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
