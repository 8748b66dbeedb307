//! Arbitrary text as a policy: refused with an error or loaded whole, never a panic; a
//! loaded policy can judge a case.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(engine) = escalint::Engine::from_policy_json(text) {
        let _ = engine.validate(
            r#"{"id":"F","procedure":"installs_escalation","opened_at":"2026-11-20T09:15:00-05:00"}"#,
            None,
        );
    }
});
