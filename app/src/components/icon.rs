//! Small inline SVG icons. Symbols such as a lock or a check mark are not in every installed
//! font (Debian's Chromium draws an empty box for the lock emoji), so pages draw them as SVG;
//! they inherit the text colour and size, and are hidden from screen readers, which read the
//! label next to them instead.

use leptos::prelude::*;

/// Which icon to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    /// A closed padlock: denied, hidden.
    Lock,
    /// A check mark: allowed, passed.
    Check,
    /// A cross: denied, failed.
    Cross,
    /// A diamond: needs a badge.
    Diamond,
}

impl Glyph {
    /// The SVG path data, drawn on a 16 x 16 grid.
    fn path(self) -> &'static str {
        match self {
            Glyph::Lock => "M4.5 7V5a3.5 3.5 0 0 1 7 0v2M3.5 7h9v7h-9z",
            Glyph::Check => "M3 8.5l3.2 3.2L13 4.8",
            Glyph::Cross => "M4 4l8 8M12 4l-8 8",
            Glyph::Diamond => "M8 2.5l5.5 5.5L8 13.5 2.5 8z",
        }
    }

    /// Whether the shape is filled rather than stroked.
    fn filled(self) -> bool {
        matches!(self, Glyph::Diamond)
    }
}

/// An icon one text line high (`1em`), in the current colour.
#[component]
pub fn Icon(glyph: Glyph, #[prop(optional, into)] class: String) -> impl IntoView {
    let fill = if glyph.filled() { "currentColor" } else { "none" };
    view! {
        <svg class=format!("inline-block h-[1em] w-[1em] shrink-0 align-[-0.125em] {class}") viewBox="0 0 16 16" fill=fill
            stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
            <path d=glyph.path()/>
        </svg>
    }
}
