//! The one embed builder every door shares: a pure function from the engine's answers (checks,
//! who am I, state, thresholds, errors) to a neutral `Card` {title, colour, lines, fields,
//! footer}. Discord turns a card into its embed, the web console renders it, and the CLI prints
//! it as text, so the same question looks the same everywhere.

use domain::scenario::{FileReport, FileStatus, ScenarioStatus};
use domain::{AllResult, BadgesResult, CheckResult, Embed, ThresholdsView, TierResult};
use serde::{Deserialize, Serialize};
use wire::error::ApiError;
use wire::model::{StateView, WhoAmI};

/// The colour of cards that belong to no tier.
pub const NEUTRAL: &str = "#99AAB5";
/// The colour of error cards and failed runs.
pub const ERROR: &str = "#ED4245";
/// The colour of passed runs.
pub const PASSED: &str = "#57F287";

/// A titled block: lines (an empty line separates sections), then named fields, then a footer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// "ACCESS GRANTED: #war-room".
    pub title: String,
    /// `#RRGGBB`: the tier in force's role colour, else `NEUTRAL` or `ERROR`.
    pub colour: String,
    /// The body, one line each.
    pub lines: Vec<String>,
    /// Named blocks (the channels and features of `check all`).
    pub fields: Vec<CardField>,
    /// A closing note ("simulation default · version 4").
    pub footer: Option<String>,
}

/// One named block of a card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardField {
    pub name: String,
    /// Lines joined by newlines.
    pub value: String,
    /// Whether it may sit beside the next field.
    pub inline: bool,
}

impl Card {
    fn new(title: impl Into<String>, colour: impl Into<String>, lines: Vec<String>) -> Self {
        Self { title: title.into(), colour: colour.into(), lines, fields: Vec::new(), footer: None }
    }

    /// The card of an engine embed (channel and feature checks carry one).
    pub fn from_embed(embed: &Embed) -> Self {
        Self::new(embed.title.clone(), embed.colour.clone(), embed.lines.clone())
    }

    /// The same card with a footer.
    pub fn with_footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    /// The colour as a number (`0xRRGGBB`), as Discord wants it; `NEUTRAL` when malformed.
    pub fn colour_value(&self) -> u32 {
        let parse = |c: &str| c.strip_prefix('#').filter(|h| h.len() == 6).and_then(|h| u32::from_str_radix(h, 16).ok());
        parse(&self.colour).or_else(|| parse(NEUTRAL)).unwrap_or_default()
    }

    /// The card as plain text for terminals: the title underlined, the lines, each field under
    /// its name, the footer last.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.title, "-".repeat(self.title.chars().count().max(3)));
        for line in &self.lines {
            out.push_str(line);
            out.push('\n');
        }
        for field in &self.fields {
            out.push_str(&format!("\n{}:\n", field.name));
            for line in field.value.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if let Some(footer) = &self.footer {
            out.push_str(&format!("\n({footer})\n"));
        }
        out
    }
}

/// The card of any check answer.
pub fn check(result: &CheckResult) -> Card {
    match result {
        CheckResult::Channel(c) => Card::from_embed(&c.embed),
        CheckResult::Feature(f) => Card::from_embed(&f.embed),
        CheckResult::Tier(t) => tier(t),
        CheckResult::Badges(b) => badges(b),
        CheckResult::All(a) => all(a),
    }
}

/// "check tier": the tier in force, how it was decided, and the way to the next one.
pub fn tier(t: &TierResult) -> Card {
    let mut lines = t.lines.clone();
    lines.push(format!("Permissions: {}", list_or_none(&t.permissions)));
    lines.push(String::new());
    lines.push(t.explanation.clone());
    if let Some(next) = &t.next_tier {
        lines.push(String::new());
        lines.push(format!("Next tier: {} ({})", next.tier_id, next.boundary));
        lines.extend(next.remedy.fixes.iter().map(|fix| format!("- Smallest change: {}", fix.sentence)));
        lines.extend(next.remedy.note.iter().map(|note| format!("- {note}")));
    }
    Card::new(format!("TIER: {}", t.tier_name), t.colour.clone(), lines)
}

/// "check badges": earned first, then the others with the nearest way to earn each.
pub fn badges(b: &BadgesResult) -> Card {
    let mut lines = vec!["Earned:".to_owned()];
    let earned: Vec<_> = b.badges.iter().filter(|s| s.earned).collect();
    if earned.is_empty() {
        lines.push("- none".to_owned());
    }
    lines.extend(earned.iter().map(|s| format!("- {} ({})", s.name, s.rule)));
    lines.push(String::new());
    lines.push("Not earned:".to_owned());
    for s in b.badges.iter().filter(|s| !s.earned) {
        let how = s.distance.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
        lines.push(format!("- {} ({}){how}", s.name, s.rule));
    }
    Card::new(format!("BADGES: {} of {} earned", b.earned.len(), b.badges.len()), NEUTRAL, lines)
}

/// "check all": the tier lines, the gate, and one field each for channels, features, badges.
pub fn all(a: &AllResult) -> Card {
    let mut lines = a.tier.lines.clone();
    lines.push(format!(
        "Gate: {} ({} pts, blur {}%)",
        a.gate.stage.id().to_uppercase(),
        a.gate.engagement_points,
        a.gate.blur_level.percent()
    ));
    let mark = |allowed: bool| if allowed { "✅" } else { "⛔" };
    let channels: Vec<String> = a
        .channels
        .iter()
        .map(|c| match (&c.required_tier, &c.required_badge, c.allowed) {
            (Some(tier), _, false) => format!("{} #{} (needs {tier})", mark(false), c.channel),
            (None, Some(badge), false) => format!("{} #{} (needs the {badge} badge)", mark(false), c.channel),
            _ => format!("{} #{}", mark(c.allowed), c.channel),
        })
        .collect();
    let features: Vec<String> = a.features.iter().map(|f| format!("{} {}", mark(f.allowed), f.feature)).collect();
    let allowed = |n: usize, of: usize| format!("{n} of {of} allowed");
    let mut card = Card::new(format!("ALL CHECKS: {}", a.tier.tier_name), a.tier.colour.clone(), lines);
    card.fields = vec![
        field(format!("Channels ({})", allowed(a.channels.iter().filter(|c| c.allowed).count(), a.channels.len())), &channels),
        field(format!("Features ({})", allowed(a.features.iter().filter(|f| f.allowed).count(), a.features.len())), &features),
        field(format!("Badges ({} earned)", a.badges.earned.len()), &[list_or_none(&a.badges.earned)]),
    ];
    card
}

/// "whoami": the assumed role, the computed tier, the gate and the whole state.
pub fn whoami(w: &WhoAmI) -> Card {
    let mut lines = vec![match &w.assumed_role {
        Some(a) => format!("Assumed role: {}{}", a.tier_name, a.rank.map(|r| format!(" (rank {r})")).unwrap_or_default()),
        None => "Assumed role: none (the computed tier is in force)".to_owned(),
    }];
    lines.push(format!("Computed tier: {} ({})", w.tier.computed.tier_name, w.tier.computed.boundary));
    lines.push(format!("Permissions: {}", list_or_none(&w.tier.permissions)));
    lines.push(format!("Gate: {} (blur {}%)", w.gate.stage.id().to_uppercase(), w.gate.blur_level.percent()));
    lines.push(format!("Thresholds: {}", if w.thresholds_overridden { "overridden" } else { "theme defaults" }));
    lines.push(String::new());
    lines.extend(state_lines(&w.state));
    Card::new(format!("WHO AM I: {}", w.tier.tier_name), w.tier.colour.clone(), lines)
        .with_footer(format!("theme {} · simulation {} · version {}", w.theme_id, w.simulation, w.version))
}

/// A state after `set` or for `get state`, under `title`.
pub fn state(title: &str, s: &StateView) -> Card {
    let mut lines = vec![format!("Tier in force: {}", s.tier_id)];
    if s.assumed_tier_id.is_some() {
        lines.push(format!("Computed tier: {}", s.computed_tier_id));
    }
    lines.push(String::new());
    lines.extend(state_lines(s));
    Card::new(title, NEUTRAL, lines).with_footer(format!("simulation {} · version {}", s.simulation, s.version))
}

/// "config show" (and the answer to `config set` and `config reset`), under `title`.
pub fn thresholds(title: &str, t: &ThresholdsView) -> Card {
    Card::new(format!("{title}: {}", t.theme_id), NEUTRAL, t.lines.clone())
}

/// A scenario run: totals, each scenario, then the failed assertions (expected, actual, why).
pub fn scenario(r: &FileReport, run_id: &str) -> Card {
    let (verdict, colour) = match r.status {
        FileStatus::Passed => ("PASSED", PASSED),
        FileStatus::Failed => ("FAILED", ERROR),
        FileStatus::Invalid => ("INVALID", ERROR),
    };
    let t = &r.totals;
    let mut lines = vec![
        format!("Scenarios: {} passed, {} failed of {}", t.passed_scenarios, t.failed_scenarios, t.scenarios),
        format!("Assertions: {} passed, {} failed of {}", t.passed, t.failed, t.assertions),
    ];
    lines.extend(r.errors.iter().map(|e| format!("- {e}")));
    for s in &r.scenarios {
        lines.push(format!("{} {}", if s.status == ScenarioStatus::Passed { "✅" } else { "⛔" }, s.name));
        lines.extend(s.error.iter().map(|e| format!("  - {}: {}", e.path, e.message)));
        for a in s.assertions.iter().filter(|a| !a.passed) {
            lines.push(format!("  - {}: expected {}, got {} ({})", a.description, a.expected, a.actual, a.explanation));
        }
    }
    Card::new(format!("SCENARIO {verdict}: {}", r.name.as_deref().unwrap_or(&r.file)), colour, lines).with_footer(format!("run {run_id}"))
}

/// An error: the message, the field it names and any near matches.
pub fn error(e: &ApiError) -> Card {
    let mut lines = vec![e.message.clone()];
    let near = e.near_matches();
    if !near.is_empty() {
        lines.push(format!("Did you mean: {}?", near.join(", ")));
    }
    if let Some(seconds) = e.retry_after_seconds() {
        lines.push(format!("Try again in {seconds} s."));
    }
    Card::new(format!("ERROR: {}", e.code), ERROR, lines)
}

/// The "Current State:" block of a state view, every configured value.
fn state_lines(s: &StateView) -> Vec<String> {
    let st = &s.state;
    vec![
        "Current State:".to_owned(),
        format!("- BGT Balance: {}", st.bgt_balance),
        format!("- Rank: {}", st.rank.map_or_else(|| "none".to_owned(), |r| r.to_string())),
        format!(
            "- Engagement: {} ({} pts{})",
            s.engagement_stage.id().to_uppercase(),
            st.engagement_points,
            if st.verified { ", verified" } else { "" }
        ),
        format!("- Activity: {}", st.activity_score),
        format!("- Conviction: {}", st.conviction_score),
        format!("- Tenure: {} days", st.tenure_days),
    ]
}

fn field(name: String, lines: &[String]) -> CardField {
    CardField { name, value: if lines.is_empty() { "none".to_owned() } else { lines.join("\n") }, inline: false }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
