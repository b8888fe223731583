//! Time left before a sandbox expires, ticking in the browser.

use leptos::prelude::*;

/// "23 h 59 min left", updated every second once hydrated.
#[component]
pub fn Countdown(seconds_left: i64) -> impl IntoView {
    let left = RwSignal::new(seconds_left);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(move || left.update(|s| *s = (*s - 1).max(0)), std::time::Duration::from_secs(1));
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    view! { <span class="tabular-nums">{move || describe(left.get())}</span> }
}

/// A remaining duration in words.
pub fn describe(seconds: i64) -> String {
    if seconds <= 0 {
        return "expired".into();
    }
    let (d, h, m, s) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s left"),
        (0, 0, _) => format!("{m} min {s:02} s left"),
        (0, _, _) => format!("{h} h {m:02} min left"),
        _ => format!("{d} d {h} h left"),
    }
}
