//! Every rule of the catalogue has a fixture that breaks it and one that passes it.
//!
//! `tests/fixtures/rules/<RULE>.break.json` must produce a violation of `<RULE>`;
//! `tests/fixtures/rules/<RULE>.pass.json` must not. Each fixture is
//! `{"now": RFC 3339 or null, "record": {...} or "raw JSON text", "proposal": {...}?,
//!   "question": "validate" (default) | "can_close"}`.

use escalint::Proposal;
use std::path::PathBuf;

use escalint::{parse_now, Engine};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rules")
}

/// The rule ids a fixture's answer reports.
fn rules_reported(engine: &Engine, fixture: &Value) -> Vec<String> {
    let now = fixture.get("now").and_then(Value::as_str).map(|t| parse_now(t).expect("fixture now"));
    let question = fixture.get("question").and_then(Value::as_str).unwrap_or("validate");
    let violations = match (question, &fixture["record"]) {
        ("validate", Value::String(text)) => engine.validate(text, now).violations,
        ("validate", record) => engine.validate(record, now).violations,
        ("can_close", record) => {
            engine
                .can_close(record, fixture.get("proposal").filter(|p| !p.is_null()).map(Proposal::from), now)
                .violations
        }
        (other, _) => panic!("unknown question {other}"),
    };
    violations.into_iter().map(|v| v.rule.to_string()).collect()
}

#[test]
fn every_rule_has_a_breaking_and_a_passing_fixture() {
    let engine = Engine::new();
    let mut failures = Vec::new();
    for rule in escalint::catalogue::all() {
        for (kind, should_fire) in [("break", true), ("pass", false)] {
            let path = fixture_dir().join(format!("{}.{kind}.json", rule.id));
            let Ok(text) = std::fs::read_to_string(&path) else {
                failures.push(format!("{}: missing {}", rule.id, path.display()));
                continue;
            };
            let fixture: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{}: {} is not JSON: {e}", rule.id, path.display()));
                    continue;
                }
            };
            let reported = rules_reported(&engine, &fixture);
            let fired = reported.iter().any(|r| r == rule.id);
            if fired != should_fire {
                failures.push(format!("{}: {kind} fixture reported {:?}", rule.id, reported));
            }
        }
    }
    assert!(failures.is_empty(), "rule fixtures:\n{}", failures.join("\n"));
}
