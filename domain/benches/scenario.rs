//! Scenario runner benchmarks: parsing and running a generated file of 10,000 assertions (100
//! members, each with 100 assertions: every channel and feature, tier, stage and badges), and
//! the PRD 9.1 file. The generated file is also written (to `target/bench/scenarios-10000.yaml`,
//! or `$CRYSKNIFE_BENCH_OUT`) so `scripts/bench-scenarios` can time the CLI on the same file.
//! Goal: under 1 s in the CLI.

use std::fmt::Write;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use domain::scenario::{parse, run_text, FileStatus, RunEnv};
use domain::{Evaluator, PopulationSpec, SimState, Theme};

/// A file of `members` scenarios with 100 assertions each, expected values from the engine.
fn generated(members: usize) -> String {
    let theme = Theme::builtin("sietch").unwrap();
    let ev = Evaluator::builtin("sietch").unwrap();
    let mut out = String::from("name: Generated load, 100 assertions per member\ntheme: sietch\nscenarios:\n");
    let members = PopulationSpec { size: members, seed: 42, ..PopulationSpec::default() }.generate(theme);
    for (i, state) in members.into_iter().enumerate() {
        let state = SimState { granted_badges: Default::default(), activity_log: Vec::new(), last_activity_at: None, ..state };
        let subject = ev.subject(&state, None).unwrap();
        let all = ev.check_all(&subject);
        let rank = state.rank.map_or_else(|| "null".to_owned(), |r| r.to_string());
        let _ = writeln!(out, "  - name: member {i}\n    given:\n      state: {{rank: {rank}, bgt: \"{}\", points: {}, verified: {}, tenure: {}, activity: {}, conviction: {}}}\n    then:", state.bgt_balance, state.engagement_points, state.verified, state.tenure_days, state.activity_score, state.conviction_score);
        let mut lines = Vec::with_capacity(100);
        for check in &all.channels {
            let required = check.required_tier.as_deref().unwrap_or("none");
            lines.push(format!("      - access: {{channel: {}, allowed: {}, requiredTier: {required}}}", check.channel, check.allowed));
        }
        for check in &all.features {
            lines.push(format!("      - feature: {{id: {}, allowed: {}}}", check.feature, check.allowed));
        }
        lines.push(format!("      - tier: {{computed: {}, boundary: \"{}\"}}", all.tier.computed.tier_id, all.tier.computed.boundary));
        lines.push(format!("      - stage: {}", all.gate.stage));
        lines.push(format!("      - badges: {{exactly: [{}]}}", all.badges.earned.join(", ")));
        let mut k = 0;
        while lines.len() < 100 {
            let check = &all.channels[k % all.channels.len()];
            lines.push(format!("      - blur: {{channel: \"#{}\", level: {}}}", check.channel, check.blur_level));
            k += 1;
        }
        for line in &lines[..100] {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn runner(c: &mut Criterion) {
    let text = generated(100);
    let out = std::env::var_os("CRYSKNIFE_BENCH_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench/scenarios-10000.yaml"));
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&out, &text);
    let env = RunEnv::builtin();
    let report = run_text(&text, "scenarios-10000.yaml", &env);
    assert_eq!((report.status, report.totals.assertions), (FileStatus::Passed, 10_000), "{:?}", report.errors);
    let mut group = c.benchmark_group("scenario runner");
    group.sample_size(20);
    group.bench_function("parse 10,000 assertions (YAML, 100 scenarios)", |b| {
        b.iter(|| parse(black_box(&text), "load.yaml", &env).unwrap())
    });
    group.bench_function("parse and run 10,000 assertions", |b| b.iter(|| run_text(black_box(&text), "load.yaml", &env)));
    let prd = include_str!("../../scenarios/prd-acceptance.yaml");
    group.bench_function("parse and run the PRD 9.1 file (6 scenarios, 9 assertions)", |b| {
        b.iter(|| run_text(black_box(prd), "prd.yaml", &env))
    });
    group.finish();
}

criterion_group!(benches, runner);
criterion_main!(benches);
