//! Small text writers for explanations: whole numbers without the formatting machinery,
//! signed differences ("+80"), bounds ("at most 7", "between 8 and 69") and their targets.

use super::span::Span;
use super::{FactValue, Target};

/// Appends a whole number without going through the formatting machinery.
pub(crate) fn push_int(out: &mut String, value: u128) {
    out.push_str(itoa::Buffer::new().format(value));
}

pub(crate) fn signed(from: u128, to: u128) -> String {
    let mut out = String::with_capacity(8);
    if to >= from {
        out.push('+');
        push_int(&mut out, to - from);
    } else {
        out.push('-');
        push_int(&mut out, from - to);
    }
    out
}

pub(crate) fn push_bound(out: &mut String, span: Span, min: u128, max: u128, show: &dyn Fn(&mut String, u128)) {
    match (span.lo <= min, span.hi >= max) {
        (true, true) => out.push_str("any value"),
        (true, false) => {
            out.push_str("at most ");
            show(out, span.hi);
        }
        (false, true) => {
            out.push_str("at least ");
            show(out, span.lo);
        }
        (false, false) => {
            out.push_str("between ");
            show(out, span.lo);
            out.push_str(" and ");
            show(out, span.hi);
        }
    }
}

pub(crate) fn numeric_target(span: Span, min: u128, max: u128, value: impl Fn(u128) -> FactValue) -> Target {
    match (span.lo <= min, span.hi >= max) {
        (true, false) => Target::AtMost { value: value(span.hi) },
        (false, true) | (true, true) => Target::AtLeast { value: value(span.lo) },
        (false, false) => Target::Between { min: value(span.lo), max: value(span.hi) },
    }
}
