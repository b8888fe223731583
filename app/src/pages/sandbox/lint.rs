//! `/sandboxes/:id/lint`: what the theme lint finds in the sandbox's theme, each with its
//! severity and a plain sentence.

use super::use_sandbox;
use crate::components::feedback::Loading;
use domain::theme::Severity;
use leptos::prelude::*;

/// The lint tab.
#[component]
pub fn LintPage() -> impl IntoView {
    let ctx = use_sandbox();
    view! {
        <Transition fallback=|| view! { <Loading what="the lint"/> }>
            {move || ctx.data.get().and_then(Result::ok).map(|wb| {
                let findings = wb.theme.lint();
                if findings.is_empty() {
                    return view! { <p class="text-stone-300">"The theme lint finds nothing to report."</p> }.into_any();
                }
                view! {
                    <p class="text-sm text-stone-300">{format!("{} findings for theme {}.", findings.len(), wb.theme.id)}</p>
                    <ul class="mt-4 space-y-2">
                        {findings.into_iter().map(|f| {
                            let (label, class) = match f.severity {
                                Severity::Error => ("error", "bg-red-900 text-red-100"),
                                Severity::Warning => ("warning", "bg-amber-900 text-amber-100"),
                                Severity::Info => ("info", "bg-sky-900 text-sky-100"),
                            };
                            view! {
                                <li class="flex gap-3 rounded border border-stone-800 bg-stone-900 p-3 text-sm">
                                    <span class=format!("h-fit rounded px-2 py-0.5 text-xs font-semibold uppercase {class}")>{label}</span>
                                    <div><p>{f.message}</p><p class="mt-1 font-mono text-xs text-stone-500">{format!("{} · {}", f.code, f.subject)}</p></div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}
