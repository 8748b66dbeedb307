//! Arbitrary bytes as a case: validate must answer with a report, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<escalint::Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(escalint::Engine::new);
    let report = engine.validate(data, None);
    // A report is always well-formed JSON.
    let text = report.to_json();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
});
