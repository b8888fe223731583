//! Inclusive spans of a numeric field (ranks, wei, counts): what the ladder precomputes and the
//! solver combines into plans.

/// An inclusive span of a numeric field (ranks, wei, counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub lo: u128,
    pub hi: u128,
}

impl Span {
    pub(crate) const RANKS: Span = Span { lo: 1, hi: u32::MAX as u128 };

    pub(crate) fn at_least(lo: u128, hi: u128) -> Span {
        Span { lo, hi }
    }

    pub(crate) fn intersect(self, other: Span) -> Option<Span> {
        let span = Span { lo: self.lo.max(other.lo), hi: self.hi.min(other.hi) };
        (span.lo <= span.hi).then_some(span)
    }

    pub(crate) fn distance(self, value: u128) -> u128 {
        if value < self.lo {
            self.lo - value
        } else {
            value.saturating_sub(self.hi)
        }
    }

    /// The value of the span nearest to `value`.
    pub(crate) fn nearest(self, value: u128) -> u128 {
        value.clamp(self.lo, self.hi)
    }
}

pub(crate) fn span_of(range: &crate::rank::RankRange) -> Span {
    Span { lo: range.min_rank.into(), hi: range.last().into() }
}

/// Sorted, touching spans joined.
pub(crate) fn merge(spans: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut spans: Vec<Span> = spans.collect();
    spans.sort_by_key(|span| span.lo);
    let mut merged: Vec<Span> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.lo <= last.hi.saturating_add(1) => last.hi = last.hi.max(span.hi),
            _ => merged.push(span),
        }
    }
    merged
}

/// The span nearest to `value`; with no value (no rank), the one easiest to reach (largest).
pub(crate) fn nearest_span(spans: &[Span], value: Option<u128>) -> Option<Span> {
    match value {
        Some(value) => spans.iter().copied().min_by_key(|span| span.distance(value)),
        None => spans.iter().copied().max_by_key(|span| span.hi),
    }
}
