//! The Cedar and Rego policies give the engine's answer for every (member, channel) pair of the
//! sample: boundary personas one wei around every threshold and a seeded population.

use bench_peers::{engine_allows, CedarPeer, RegoPeer, Sample};
use domain::Evaluator;

#[test]
fn cedar_and_rego_agree_with_the_engine_on_the_sample() {
    let evaluator = Evaluator::builtin("sietch").unwrap();
    let sample = Sample::sietch(300);
    let cedar = CedarPeer::new(&sample, evaluator.theme()).unwrap();
    let mut rego = RegoPeer::new(&sample, evaluator.theme()).unwrap();
    let requests = sample.requests();
    let mut allowed = 0;
    for (index, (member, channel)) in requests.iter().enumerate() {
        let expected = engine_allows(&evaluator, &sample.members[*member], &sample.channels[*channel]);
        allowed += usize::from(expected);
        let state = &sample.members[*member];
        assert_eq!(
            cedar.allows(index),
            expected,
            "cedar: {} for rank {:?} bgt {}",
            sample.channels[*channel],
            state.rank,
            state.bgt_balance
        );
        assert_eq!(rego.allows(index), expected, "rego: {} for rank {:?} bgt {}", sample.channels[*channel], state.rank, state.bgt_balance);
    }
    assert!(allowed > 0 && allowed < requests.len(), "the sample has both answers");
}
