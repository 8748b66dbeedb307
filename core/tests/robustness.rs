//! Malformed input of every kind gives REC violations, never a panic; answers are
//! deterministic.

use escalint::Proposal;
use escalint::{parse_now, Engine};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;

/// The FMS case of docs/format.md, as text.
fn contract_example() -> String {
    common::fms_case().to_string()
}

fn rules_of(report: &escalint::ValidationReport) -> Vec<&'static str> {
    report.violations.iter().map(|v| v.rule).collect()
}

#[test]
fn the_contract_example_reads_without_record_problems() {
    let engine = Engine::new();
    let text = contract_example();
    let parsed = engine.read(text.as_str()).expect("readable");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let record = &parsed.record;
    assert_eq!(record.id, "ESC-2026-000123");
    assert_eq!(record.events.len(), 5);
    assert!(matches!(record.market_manager, escalint::record::MarketManagerLookup::Manager { .. }));
    let report = engine.validate(text.as_str(), Some(parse_now("2026-11-20T10:00:00-05:00").unwrap()));
    assert!(report.violations.iter().all(|v| !v.rule.starts_with("REC")), "{:?}", report.violations);
}

#[test]
fn events_are_judged_in_time_order_whatever_the_input_order() {
    let engine = Engine::new();
    let mut value = common::fms_case();
    let now = Some(parse_now("2026-11-21T10:00:00-05:00").unwrap());
    let forward = engine.validate(&value, now);
    value["events"].as_array_mut().unwrap().reverse();
    let backward = engine.validate(&value, now);
    // Paths name input positions, so compare what was found, not where.
    let mut a: Vec<(&str, String)> = forward.violations.iter().map(|v| (v.rule, v.message.clone())).collect();
    let mut b: Vec<(&str, String)> = backward.violations.iter().map(|v| (v.rule, v.message.clone())).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let parsed = engine.read(&value).unwrap();
    let times: Vec<_> = parsed.record.events.iter().map(|e| e.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn record_problems_are_specific() {
    let engine = Engine::new();
    let report = engine.validate(
        &json!({"id": "X", "procedure": "installs", "opened_at": "2026-13-01T00:00:00Z", "channel": "fax",
                "events": [{"at": "yesterday", "type": "cal"}, {"type": "update"}], "order": {"id": 7}}),
        None,
    );
    let find = |path: &str| {
        report
            .violations
            .iter()
            .find(|v| v.path == path)
            .unwrap_or_else(|| panic!("no violation at {path}: {:?}", report.violations))
    };
    assert_eq!(find("/opened_at").rule, "REC003");
    assert_eq!(find("/channel").rule, "REC003");
    assert_eq!(find("/events/0/type").hint.as_deref(), Some("type: call"));
    assert_eq!(find("/events/0/at").rule, "REC003");
    assert_eq!(find("/events/1/at").rule, "REC002");
    assert_eq!(find("/escalation").rule, "REC002");
    assert!(!report.valid);

    let report =
        engine.validate(&json!({"id": "X", "procedure": "field managment support", "schema_version": 2}), None);
    assert!(rules_of(&report).contains(&"REC005"));
    assert_eq!(
        report.violations.iter().find(|v| v.path == "/procedure").unwrap().hint.as_deref(),
        Some("procedure: field_management_support")
    );
}

#[test]
fn limits_are_enforced_before_parsing() {
    let engine = Engine::new();
    let deep = format!("{{\"id\":\"D\",\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let report = engine.validate(&deep, None);
    assert_eq!(rules_of(&report), ["REC006"]);
    let big = format!("{{\"id\":\"B\",\"notes\":\"{}\"}}", "x".repeat(2 << 20));
    assert_eq!(rules_of(&engine.validate(&big, None)), ["REC006"]);
    let events: Vec<Value> = (0..2001).map(|_| json!({"at": "2026-11-20T09:00:00Z", "type": "update"})).collect();
    let many = json!({"id": "M", "procedure": "installs_escalation", "events": events});
    assert_eq!(rules_of(&engine.validate(&many, None)), ["REC006"]);
}

/// Regression (found by the mutate_case fuzz target): a non-object read from a JSON value
/// lacked the hint that the same input read from text carries.
#[test]
fn text_and_value_paths_agree_on_a_non_object() {
    let engine = Engine::new();
    for value in [Value::Null, json!([1, 2]), json!("case"), json!(3)] {
        assert_eq!(engine.validate(&value, None).to_json(), engine.validate(value.to_string(), None).to_json());
    }
}

#[test]
fn same_input_same_bytes() {
    let engine = Engine::new();
    let now = Some(parse_now("2026-11-22T10:00:00-05:00").unwrap());
    let text = contract_example();
    let a = engine.validate(text.as_str(), now).to_json();
    let b = Engine::new().validate(text.as_str(), now).to_json();
    assert_eq!(a, b);
    assert_eq!(engine.next_steps(text.as_str(), now).to_json(), engine.next_steps(text.as_str(), now).to_json());
    assert_eq!(
        engine.can_close(text.as_str(), None, now).to_json(),
        engine.can_close(text.as_str(), None, now).to_json()
    );
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2026-11-20T09:15:00-05:00"),
            Just("2026-03-08T02:30:00-05:00"),
            Just("2026-11-21"),
            Just("call"),
            Just("customer"),
            Just("servicer"),
            Just("reached"),
            Just("no_answer"),
            Just("field_management_support"),
            Just("installs_escalation"),
            Just("area_manager_exception"),
            Just("leadership_request"),
            Just("America/New_York"),
            Just("resolved"),
            Just("no_contact"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id"),
                        Just("procedure"),
                        Just("opened_at"),
                        Just("events"),
                        Just("closing"),
                        Just("order"),
                        Just("at"),
                        Just("type"),
                        Just("party"),
                        Just("outcome"),
                        Just("timezone"),
                        Just("customer"),
                        Just("escalation"),
                        Just("market_manager"),
                        Just("basis"),
                        Just("closed_at"),
                        Just("reason"),
                        Just("name"),
                        Just("dates"),
                        Just("callback_at"),
                        Just("x"),
                    ]
                    .prop_map(str::to_string),
                    inner,
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let engine = Engine::new();
        let r = engine.validate(&bytes, None);
        prop_assert!(!r.valid || r.violations.iter().all(|v| v.severity != escalint::Severity::Error));
        let _ = engine.next_steps(&bytes, None);
        let _ = engine.can_close(&bytes, Some(Proposal::from(&bytes)), None);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json(), now_hours in 0i64..2000) {
        let engine = Engine::new();
        let now = parse_now("2026-11-20T00:00:00Z").unwrap() + chrono::Duration::hours(now_hours);
        let text = value.to_string();
        let r = engine.validate(&text, Some(now));
        if !value.is_object() {
            prop_assert_eq!(rules_of(&r), vec!["REC001"]);
        }
        let _ = engine.next_steps(&text, Some(now));
        let _ = engine.can_close(&value, Some(Proposal::from(&value)), Some(now));
    }

    #[test]
    fn arbitrary_cases_never_panic(
        procedure in prop_oneof![Just("field_management_support"), Just("installs_escalation"), Just("area_manager_exception"), Just("leadership_request")],
        events in prop::collection::vec(arbitrary_json(), 0..8),
        closing in arbitrary_json(),
    ) {
        let engine = Engine::new();
        let case = json!({"id": "P", "procedure": procedure, "opened_at": "2026-11-20T09:15:00-05:00",
                          "timezone": "America/New_York", "events": events, "closing": closing});
        let r = engine.validate(&case, None);
        prop_assert_eq!(r.id.as_str(), "P");
        let _ = engine.next_steps(&case, None);
        let _ = engine.can_close(&case, None, None);
    }
}
