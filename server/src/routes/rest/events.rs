//! `GET /sandbox/:id/events`: server-sent events announcing every change to a sandbox, so open
//! pages update within a second.

use super::extract::Caller;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use backend::services::sandbox::{open, Need};
use backend::state::AppState;
use futures_util::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use wire::error::ApiError;

pub async fn stream(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let row = open(&s, &p, &id, Need::Read).await?;
    let sandbox = row.id;
    let events = futures_util::stream::unfold(s.events.subscribe(), |mut rx| async move {
        match rx.recv().await {
            Err(RecvError::Closed) => None,
            other => Some((other, rx)),
        }
    });
    let filtered = futures_util::StreamExt::filter_map(events, move |change| async move {
        match change {
            Ok(c) if c.sandbox == sandbox => Some(Ok(Event::default().event("change").json_data(&c).unwrap_or_default())),
            // A slow reader skipped some changes: tell the page to refresh anyway.
            Err(RecvError::Lagged(_)) => Some(Ok(Event::default().event("change").data("{}"))),
            _ => None,
        }
    });
    Ok(Sse::new(filtered).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
