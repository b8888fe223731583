//! A Discord-style embed (PRD section 5.2): title, colour bar, lines. The engine writes the
//! embed; Discord and this page render the same data.

use leptos::prelude::*;

/// One embed card. `allowed` picks the title colour when the embed answers an access check.
#[component]
pub fn EmbedCard(embed: domain::Embed, #[prop(optional)] allowed: Option<bool>) -> impl IntoView {
    let title_colour = match allowed {
        Some(true) => "text-emerald-300",
        Some(false) => "text-red-300",
        None => "text-stone-100",
    };
    let colour = if embed.colour.starts_with('#') { embed.colour.clone() } else { "#78716c".into() };
    view! {
        <article
            class="flex overflow-hidden rounded-md bg-[#2b2d31] text-sm shadow"
            aria-label=embed.title.clone()
        >
            <div class="w-1 shrink-0" style=format!("background-color: {colour}") aria-hidden="true"></div>
            <div class="min-w-0 flex-1 p-3">
                <h3 class=format!("font-semibold tracking-wide {title_colour}")>{embed.title.clone()}</h3>
                <div class="mt-2 space-y-0.5 font-mono text-[13px] text-stone-200">
                    {embed
                        .lines
                        .into_iter()
                        .map(|line| {
                            if line.is_empty() {
                                view! { <div class="h-2" aria-hidden="true"></div> }.into_any()
                            } else {
                                view! { <p class="whitespace-pre-wrap break-words">{line}</p> }.into_any()
                            }
                        })
                        .collect_view()}
                </div>
            </div>
        </article>
    }
}
