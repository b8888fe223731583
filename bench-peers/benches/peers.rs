//! The same channel-access requests answered by the engine, by Cedar and by Rego.

use std::hint::black_box;

use bench_peers::{engine_allows, CedarPeer, RegoPeer, Sample};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use domain::Evaluator;

fn peers(c: &mut Criterion) {
    let evaluator = Evaluator::builtin("sietch").unwrap();
    let sample = Sample::sietch(40);
    let requests = sample.requests();
    let cedar = CedarPeer::new(&sample, evaluator.theme()).unwrap();
    let mut rego = RegoPeer::new(&sample, evaluator.theme()).unwrap();
    let mut group = c.benchmark_group("channel access, per request");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("domain engine (decision)", |b| {
        b.iter(|| {
            requests.iter().filter(|(m, ch)| engine_allows(&evaluator, black_box(&sample.members[*m]), &sample.channels[*ch])).count()
        })
    });
    group.bench_function("domain engine (explained check)", |b| {
        b.iter(|| {
            requests
                .iter()
                .filter(|(m, ch)| {
                    let subject = evaluator.subject(black_box(&sample.members[*m]), None).unwrap();
                    evaluator.check_channel(&subject, &sample.channels[*ch]).unwrap().allowed
                })
                .count()
        })
    });
    group.bench_function("cedar-policy", |b| b.iter(|| (0..requests.len()).filter(|i| cedar.allows(black_box(*i))).count()));
    group.sample_size(10);
    group.bench_function("regorus", |b| b.iter(|| (0..requests.len()).filter(|i| rego.allows(black_box(*i))).count()));
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
