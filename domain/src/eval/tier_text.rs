//! The tier decision in words: the reason sentence of the computed tier, the "Effective Tier:
//! Fedaykin (rank 42)" label, and the two-sentence explanation every check starts with,
//! written straight into one buffer.

use super::{Decider, Evaluator, Floor, Subject};
use crate::rank::Rank;
use crate::theme::TierStrategy;

impl Evaluator<'_> {
    /// A check's explanation: the tier decision, then `reason`, each a capitalised sentence.
    pub(crate) fn explanation(&self, subject: &Subject<'_>, reason: &str) -> String {
        let mut out = String::with_capacity(192 + reason.len());
        if let Some(index) = subject.assumed_tier {
            out.push_str(&self.theme.tiers[index].name);
            out.push_str(" is assumed and in force; the computed tier is ");
            out.push_str(&self.theme.tiers[subject.computed.tier].name);
            out.push_str(": ");
        }
        self.push_decision_reason(subject, &mut out);
        capitalise_at(&mut out, 0);
        out.push_str(". ");
        let second = out.len();
        out.push_str(reason);
        capitalise_at(&mut out, second);
        out.push('.');
        out
    }

    /// Why the computed tier is what it is, in a sentence.
    pub(super) fn decision_reason(&self, subject: &Subject<'_>) -> String {
        let mut out = String::with_capacity(128);
        self.push_decision_reason(subject, &mut out);
        out
    }

    fn push_decision_reason(&self, subject: &Subject<'_>, out: &mut String) {
        use std::fmt::Write;
        let state = subject.state;
        let tier = &self.theme.tiers[subject.computed.tier].id;
        // Writing into a String cannot fail.
        let _ = match subject.computed.decider {
            Decider::Rank(range) => {
                let wins = if self.theme.tier_strategy == TierStrategy::RankThenBgt { "; rank wins whatever the balance" } else { "" };
                out.push_str("rank ");
                push_rank(out, state.rank);
                out.push_str(" is in ");
                out.push_str(tier);
                out.push_str("'s range ");
                push_range(out, range);
                out.push_str(wins);
                Ok(())
            }
            Decider::Bgt(threshold) => match state.rank {
                Some(rank) => write!(
                    out,
                    "rank {rank} is in no rank-assigned tier's range, so BGT decides: BGT {} meets {tier}'s threshold {threshold}, the highest threshold met",
                    state.bgt_balance
                ),
                None => write!(out, "BGT {} meets {tier}'s threshold {threshold}, the highest threshold met", state.bgt_balance),
            },
            Decider::Floor(Floor::BelowMinimum(minimum)) => write!(
                out,
                "BGT {} is below the lowest threshold {minimum}; {tier} is still given, but the {tier} minimum is not met",
                state.bgt_balance
            ),
            Decider::Floor(Floor::NoRank) => write!(out, "no rank is set; {tier}, the lowest tier, is given by default"),
            Decider::Floor(Floor::RankOutsideRanges) => {
                write!(out, "rank {} is in no tier's range; {tier}, the lowest tier, is given by default", show_rank(state.rank))
            }
        };
    }

    /// `prefix` then "Fedaykin (rank 42)", "Sihaya (BGT 500)" or "Fedaykin (assumed)".
    pub(crate) fn effective_label(&self, prefix: &str, subject: &Subject<'_>) -> String {
        use std::fmt::Write;
        let name = &self.theme.tiers[subject.tier()].name;
        let state = subject.state;
        let mut out = String::with_capacity(prefix.len() + 48);
        out.push_str(prefix);
        out.push_str(name);
        // Writing into a String cannot fail.
        let _ = match (subject.assumption.filter(|_| subject.assumed_tier.is_some()), subject.computed.decider) {
            (Some(assumption), _) => {
                match assumption.rank {
                    Some(rank) => {
                        out.push_str(" (rank ");
                        crate::explain::push_int(&mut out, rank.get().into());
                        out.push_str(", assumed)");
                    }
                    None => out.push_str(" (assumed)"),
                }
                Ok(())
            }
            (None, Decider::Rank(_) | Decider::Floor(Floor::RankOutsideRanges)) => {
                out.push_str(" (rank ");
                push_rank(&mut out, state.rank);
                out.push(')');
                Ok(())
            }
            (None, Decider::Bgt(_)) => write!(out, " (BGT {})", state.bgt_balance),
            (None, Decider::Floor(Floor::BelowMinimum(minimum))) => {
                write!(out, " (BGT {}, below the {minimum} minimum)", state.bgt_balance)
            }
            (None, Decider::Floor(Floor::NoRank)) => write!(out, " (no rank)"),
        };
        out
    }
}

/// Appends a rank, or "(none)".
fn push_rank(out: &mut String, rank: Option<Rank>) {
    match rank {
        Some(rank) => crate::explain::push_int(out, rank.get().into()),
        None => out.push_str("(none)"),
    }
}

/// Appends a range as `RankRange` displays it: "1-7", "7", "1001+".
fn push_range(out: &mut String, range: crate::rank::RankRange) {
    use crate::explain::push_int;
    push_int(out, range.min_rank.into());
    match range.max_rank {
        Some(max) if max == range.min_rank => {}
        Some(max) => {
            out.push('-');
            push_int(out, max.into());
        }
        None => out.push('+'),
    }
}

/// Makes the character at byte `at` upper case, as a sentence starts.
pub(crate) fn capitalise_at(out: &mut String, at: usize) {
    match out.as_bytes().get(at) {
        Some(byte) if byte.is_ascii() => {
            if let Some(first) = out.get_mut(at..=at) {
                first.make_ascii_uppercase();
            }
        }
        Some(_) => {
            let rest = out.split_off(at);
            crate::explain::push_capitalised(out, &rest);
        }
        None => {}
    }
}

/// A rank for sentences: the number, or "(none)".
pub(crate) fn show_rank(rank: Option<Rank>) -> impl std::fmt::Display {
    struct Shown(Option<Rank>);
    impl std::fmt::Display for Shown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self.0 {
                Some(rank) => write!(f, "{rank}"),
                None => f.write_str("(none)"),
            }
        }
    }
    Shown(rank)
}
