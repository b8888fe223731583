//! `/login`: sign in with a username and password, or with an API token (the first admin's
//! bootstrap token works here). The form posts without JavaScript too.

use crate::api::auth::LoginForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    let next = move || query.read().get("next").unwrap_or_else(|| "/sandboxes".into());
    let action = ServerAction::<LoginForm>::new();
    let input =
        "mt-1 w-full rounded border border-stone-700 bg-stone-950 px-3 py-2 text-stone-100 focus:border-amber-400 focus:outline-none";
    view! {
        <Title text="Sign in"/>
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-bold text-amber-200">"Sign in"</h1>
            <p class="mt-2 text-sm text-stone-300">
                "Use your username and password, or paste an API token (the first admin's token is printed when the server first starts)."
            </p>
            {move || error().map(|e| view! { <p class="mt-4 rounded border border-red-800 bg-red-950 p-3 text-sm text-red-100" role="alert">{e}</p> })}
            <ActionForm action=action>
                <input type="hidden" name="next" value=next prop:value=next/>
                <div class="mt-6 space-y-4 rounded-lg border border-stone-800 bg-stone-900 p-5">
                    <label class="block text-sm">
                        "Username"
                        <input class=input name="username" autocomplete="username"/>
                    </label>
                    <label class="block text-sm">
                        "Password"
                        <input class=input type="password" name="password" autocomplete="current-password"/>
                    </label>
                    <p class="text-center text-xs uppercase tracking-wide text-stone-500">"or"</p>
                    <label class="block text-sm">
                        "API token"
                        <input class=input type="password" name="token" autocomplete="off" placeholder="ck_…"/>
                    </label>
                    <button type="submit" class="w-full rounded bg-amber-500 py-2 font-semibold text-stone-950 hover:bg-amber-400">
                        "Sign in"
                    </button>
                </div>
            </ActionForm>
        </div>
    }
}
