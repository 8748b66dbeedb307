//! The bundled example cases: every `clean*.json` follows the procedures (no violation at
//! all), every `broken-*.json` has at least one error.

use escalint::Engine;

mod common;

/// An open example is compliant as of the moment in its `as_of` key (unknown keys are ignored
/// by the record reader); without it, as of now.
fn as_of(text: &[u8]) -> Option<escalint::Timestamp> {
    let case: serde_json::Value = serde_json::from_slice(text).ok()?;
    escalint::parse_now(case.get("as_of")?.as_str()?).ok()
}

#[test]
fn clean_examples_have_no_violation_and_broken_ones_have_errors() {
    let engine = Engine::new();
    let files = common::example_files();
    assert!(files.len() >= 8, "expected example cases per procedure, found {}", files.len());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read(&path).unwrap();
        let report = engine.validate(&text, as_of(&text));
        if name.starts_with("clean") {
            assert!(report.violations.is_empty(), "{name}: {:?}", report.violations);
        } else {
            assert!(!report.valid, "{name} should break a rule");
        }
    }
}

#[test]
fn clean_closed_examples_may_close() {
    let engine = Engine::new();
    for path in
        common::example_files().into_iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("clean"))
    {
        let text = std::fs::read(&path).unwrap();
        let case: serde_json::Value = serde_json::from_slice(&text).unwrap();
        if case["closing"].is_null() {
            continue; // an open example: nothing to close yet
        }
        let report = engine.can_close(&text, None, None);
        assert!(report.allowed, "{}: {:?}", path.display(), report.violations);
    }
}
