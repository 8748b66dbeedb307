//! Arbitrary bytes as a case: next_steps must answer, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<escalint::Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(escalint::Engine::new);
    let now = escalint::parse_now("2026-11-22T12:00:00-05:00").ok();
    let _ = engine.next_steps(data, now).to_json();
});
