//! Arbitrary bytes split into a case and a proposed closing: can_close must answer.
#![no_main]
use escalint::Proposal;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<escalint::Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(escalint::Engine::new);
    // The first NUL byte, if any, separates the record from the proposal.
    let (record, proposal) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let _ = engine.can_close(record, proposal.map(Proposal::from), None).to_json();
});
