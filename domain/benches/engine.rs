//! Engine benchmarks: one channel check, one tier evaluation, the full matrix, and what-if over
//! 50,000 personas. Goals: a check under 1 µs, the matrix under 50 µs, what-if under 50 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use domain::{what_if, Assumption, Bgt, Evaluator, PopulationSpec, SimState, Theme, ThresholdOverrides};
use serde_json::json;

fn member() -> SimState {
    SimState { rank: domain::Rank::new(42), bgt_balance: Bgt::whole(340), engagement_points: 65, ..SimState::default() }
}

fn checks(c: &mut Criterion) {
    let evaluator = Evaluator::builtin("sietch").unwrap();
    let state = member();
    c.bench_function("channel decision only (war-room, rank 42)", |b| {
        b.iter(|| {
            let subject = evaluator.subject(black_box(&state), None).unwrap();
            evaluator.decide_channel(&subject, black_box("#war-room")).unwrap()
        })
    });
    c.bench_function("channel check, allowed (war-room, rank 42)", |b| {
        b.iter(|| {
            let subject = evaluator.subject(black_box(&state), None).unwrap();
            evaluator.check_channel(&subject, black_box("#war-room")).unwrap()
        })
    });
    c.bench_function("channel check, denied with fixes (council-chamber, rank 42)", |b| {
        b.iter(|| {
            let subject = evaluator.subject(black_box(&state), None).unwrap();
            evaluator.check_channel(&subject, black_box("council-chamber")).unwrap()
        })
    });
    let hajra = Assumption::tier("hajra");
    c.bench_function("channel check, assumed hajra denied (council-chamber)", |b| {
        b.iter(|| {
            let subject = evaluator.subject(black_box(&state), Some(&hajra)).unwrap();
            evaluator.check_channel(&subject, black_box("council-chamber")).unwrap()
        })
    });
    c.bench_function("tier decision only (bgt 500)", |b| {
        let state = SimState::with_bgt(Bgt::whole(500));
        b.iter(|| evaluator.computed_tier_id(black_box(&state)))
    });
    c.bench_function("tier evaluation with explanation and next-tier fixes (bgt 500)", |b| {
        let state = SimState::with_bgt(Bgt::whole(500));
        b.iter(|| {
            let subject = evaluator.subject(black_box(&state), None).unwrap();
            evaluator.tier(&subject)
        })
    });
    c.bench_function("full matrix (9 tiers x 16 channels + 15 features)", |b| b.iter(|| black_box(&evaluator).matrix()));
}

fn whatif(c: &mut Criterion) {
    let theme = Theme::builtin("sietch").unwrap();
    let members = PopulationSpec { size: 50_000, seed: 7, ..PopulationSpec::default() }.generate(theme);
    let before = Evaluator::new(theme, &ThresholdOverrides::default()).unwrap();
    let after =
        Evaluator::new(theme, &ThresholdOverrides::from_json(&json!({"engagement": {"engagedMin": 75}, "bgt": {"sihaya": 400}})).unwrap())
            .unwrap();
    let mut group = c.benchmark_group("what-if");
    group.sample_size(20);
    group.bench_function("50,000 personas, ENGAGED_MIN 50->75 and sihaya 420->400", |b| {
        b.iter(|| what_if(&before, &after, black_box(&members)))
    });
    group.finish();
}

criterion_group!(benches, checks, whatif);
criterion_main!(benches);
