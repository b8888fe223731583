//! `/sandboxes/:id`: the console of one sandbox: who am I (assumed and computed tier), assume a
//! tier or reset, the state editor with instant previews, and quick checks with Discord-style
//! embeds.

mod checks;
mod editor;
mod whoami;

use super::use_sandbox;
use crate::components::feedback::Loading;
use leptos::prelude::*;

/// The console tab.
#[component]
pub fn Console() -> impl IntoView {
    let ctx = use_sandbox();
    view! {
        <Transition fallback=|| view! { <Loading what="the console"/> }>
            {move || ctx.data.get().and_then(Result::ok).map(|wb| view! {
                <div class="grid gap-6 lg:grid-cols-2">
                    <div class="space-y-6">
                        <whoami::WhoAmICard wb=wb.clone()/>
                        <whoami::AssumeControl wb=wb.clone()/>
                        <editor::StateEditor wb=wb.clone()/>
                    </div>
                    <checks::QuickChecks wb=wb/>
                </div>
            })}
        </Transition>
    }
}
