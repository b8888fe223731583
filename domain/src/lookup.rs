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
}
