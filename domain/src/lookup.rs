//! Finding things by name: channels ignore case and a leading `#`; unknown names come back with
//! their near matches so every door can say "did you mean ...".

/// Normalises a channel name as users type it: trimmed, without a leading `#`, lower case.
pub fn channel_key(name: &str) -> String {
    let name = name.trim();
    name.strip_prefix('#').unwrap_or(name).trim().to_lowercase()
}

/// Up to five candidates close to `wanted`, closest first: those containing it or contained in
/// it, and those within a small edit distance (a third of the length, at least 2).
pub fn near_matches<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted = channel_key(wanted);
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let key = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&wanted, &key);
            let related = !wanted.is_empty() && (key.contains(&wanted) || wanted.contains(&key));
            (distance <= limit || related).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(5).map(|(_, name)| name.to_owned()).collect()
}

/// Lists of allowed values up to this length are given whole in errors.
const LIST_WHOLE: usize = 12;

/// What an error about an unknown name adds so that nobody has to look the allowed values up:
/// the near matches when there are some, else every allowed value when there are few, else the
/// closest ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hint {
    /// Candidates close to the unknown name (empty when none is close).
    pub near: Vec<String>,
    /// The tail of the error sentence: ` (did you mean a, b?)`, ` (allowed: a, b, c)` or
    /// ` (closest: a, b, c, d, e)`; empty when nothing is allowed.
    pub text: String,
}

/// The hint for `wanted` among `candidates`.
pub fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Hint {
    let all: Vec<&str> = candidates.into_iter().collect();
    let near = near_matches(wanted, all.iter().copied());
    let text = if !near.is_empty() {
        did_you_mean(&near)
    } else if all.is_empty() {
        String::new()
    } else if all.len() <= LIST_WHOLE {
        format!(" (allowed: {})", all.join(", "))
    } else {
        let key = channel_key(wanted);
        let mut scored: Vec<(usize, &str)> = all.iter().map(|c| (strsim::damerau_levenshtein(&key, &c.to_lowercase()), *c)).collect();
        scored.sort();
        let closest: Vec<&str> = scored.into_iter().take(5).map(|(_, c)| c).collect();
        format!(" (closest: {}; {} in all)", closest.join(", "), all.len())
    };
    Hint { near, text }
}

/// The " (did you mean a, b?)" tail of an error sentence, or nothing.
pub fn did_you_mean(matches: &[String]) -> String {
    if matches.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", matches.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_case_do_not_matter() {
        assert_eq!(channel_key("#War-Room"), "war-room");
        assert_eq!(channel_key("  council-chamber "), "council-chamber");
    }

    #[test]
    fn a_typo_finds_the_channel() {
        let names = ["war-room", "council-chamber", "oasis-lounge"];
        assert_eq!(near_matches("warroom", names), vec!["war-room"]);
        assert_eq!(near_matches("lounge", names), vec!["oasis-lounge"]);
        assert!(near_matches("zzzzzzzzzz", names).is_empty());
    }

    #[test]
    fn with_nothing_close_a_short_list_is_given_whole() {
        let tiers = ["naib", "fedaykin", "usul"];
        assert_eq!(hint("emperor", tiers).text, " (allowed: naib, fedaykin, usul)");
        assert_eq!(hint("fedaykn", tiers).text, " (did you mean fedaykin?)");
        assert_eq!(hint("fedaykn", tiers).near, ["fedaykin"]);
    }

    #[test]
    fn with_nothing_close_a_long_list_gives_the_closest_and_the_count() {
        let names: Vec<String> = (0..40).map(|i| format!("table_{i:02}")).collect();
        let text = hint("zz", names.iter().map(String::as_str)).text;
        assert!(text.starts_with(" (closest: "), "{text}");
        assert!(text.ends_with("; 40 in all)"), "{text}");
    }
}
