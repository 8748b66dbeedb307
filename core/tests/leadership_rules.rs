//! Focused tests of the leadership rules (LD001–LD010) on the example cases.

use escalint::Proposal;
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

mod common;

fn example(name: &str) -> Value {
    common::example(&format!("leadership_request/{name}.json"))
}

fn rules(case: &Value, now: Option<&str>) -> Vec<String> {
    let now = now.map(|t| parse_now(t).unwrap());
    Engine::new().validate(case, now).violations.into_iter().map(|v| v.rule.to_string()).collect()
}

fn fired(case: &Value, now: Option<&str>, rule: &str) -> bool {
    rules(case, now).iter().any(|r| r == rule)
}

/// A refused follow-up followed by these transfer events, still open.
fn refused(events: Value) -> Value {
    let mut case = example("clean");
    case["sensitive_qualifiers"] = json!([]);
    let mut all = vec![json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": false})];
    all.extend(events.as_array().unwrap().iter().cloned());
    case["events"] = Value::Array(all);
    case["closing"] = Value::Null;
    case
}

fn attempt(at: &str, target: &str, waited: f64, available: bool) -> Value {
    json!({"at": at, "type": "transfer_attempt", "target": target, "waited_seconds": waited, "available": available, "accepted": available})
}

const NEXT_DAY: Option<&str> = Some("2026-11-11T09:00:00-05:00");

#[test]
fn clean_case_is_closed_and_has_no_violations() {
    let engine = Engine::new();
    let case = example("clean");
    let report = engine.validate(&case, None);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!(engine.can_close(&case, None, None).allowed);
}

#[test]
fn broken_examples_report_what_their_names_say() {
    for (name, rule) in [
        ("accepted_without_ebh_ticket", "LD002"),
        ("update_later_than_one_day", "LD003"),
        ("sensitive_issue_not_flagged", "LD009"),
        ("specialist_unavailable_no_supervisor", "LD005"),
        ("specialist_unavailable_no_supervisor", "LD010"),
    ] {
        assert!(fired(&example(name), None, rule), "{name}: {:?}", rules(&example(name), None));
    }
}

#[test]
fn ld002_only_for_phone_and_chat() {
    let mut case = example("accepted_without_ebh_ticket");
    for (channel, expected) in [("phone", true), ("chat", true), ("email", false), ("web", false)] {
        case["channel"] = json!(channel);
        assert_eq!(fired(&case, None, "LD002"), expected, "{channel}");
    }
    // Labels are accepted for the conversion.
    let mut case = example("clean");
    case["events"][1]["from"] = json!("CXOne");
    case["events"][1]["to"] = json!("EBH");
    assert!(!fired(&case, None, "LD002"));
}

#[test]
fn ld003_the_update_is_due_24_hours_after_acceptance() {
    let mut case = example("clean");
    case["closing"] = Value::Null;
    case["events"].as_array_mut().unwrap().truncate(3);
    assert!(!fired(&case, Some("2026-11-11T14:03:00-05:00"), "LD003"));
    assert!(fired(&case, Some("2026-11-11T14:03:01-05:00"), "LD003"));
    // An update exactly at the mark is on time; an unanswered call (no voicemail) is not an update.
    case["events"]
        .as_array_mut()
        .unwrap()
        .push(json!({"at": "2026-11-11T14:03:00-05:00", "type": "call", "party": "customer", "outcome": "no_answer"}));
    assert!(fired(&case, Some("2026-11-12T09:00:00-05:00"), "LD003"));
    case["events"][3]["outcome"] = json!("voicemail");
    assert!(!fired(&case, Some("2026-11-12T09:00:00-05:00"), "LD003"));
}

#[test]
fn ld004_refusal_needs_a_specialist_attempt() {
    assert!(fired(&refused(json!([])), NEXT_DAY, "LD004"));
    assert!(!fired(&refused(json!([])), Some("2026-11-10T14:10:00-05:00"), "LD004"));
}

#[test]
fn transfer_waits_of_30_and_31_seconds() {
    // 30 s is within the window: available in time, nothing more is due.
    let in_time = refused(json!([attempt("2026-11-10T14:04:00-05:00", "resolution_specialist", 30.0, true)]));
    let found = rules(&in_time, NEXT_DAY);
    assert!(!found.iter().any(|r| r == "LD005" || r == "LD007"), "{found:?}");
    // 31 s is over the window: a warning, and the specialist counts as not available.
    let late = refused(json!([attempt("2026-11-10T14:04:00-05:00", "resolution_specialist", 31.0, true)]));
    let found = rules(&late, NEXT_DAY);
    assert!(found.iter().any(|r| r == "LD007") && found.iter().any(|r| r == "LD005"), "{found:?}");
}

#[test]
fn ld005_and_ld006_follow_the_chain() {
    let rs = attempt("2026-11-10T14:04:00-05:00", "resolution_specialist", 30.0, false);
    let ts_ok = attempt("2026-11-10T14:05:00-05:00", "team_supervisor", 10.0, true);
    let ts_no = attempt("2026-11-10T14:05:00-05:00", "team_supervisor", 30.0, false);
    let vm = json!({"at": "2026-11-10T14:06:00-05:00", "type": "voicemail_transfer"});
    assert!(fired(&refused(json!([rs])), NEXT_DAY, "LD005"));
    assert!(!fired(&refused(json!([rs, ts_ok])), NEXT_DAY, "LD005"));
    assert!(!fired(&refused(json!([rs, ts_ok])), NEXT_DAY, "LD006"));
    assert!(fired(&refused(json!([rs, ts_no])), NEXT_DAY, "LD006"));
    assert!(!fired(&refused(json!([rs, ts_no, vm])), NEXT_DAY, "LD006"));
    // Available but not accepted for handling: go on to the supervisor.
    let declined = json!({"at": "2026-11-10T14:04:00-05:00", "type": "transfer_attempt", "target": "resolution_specialist", "waited_seconds": 5, "available": true, "accepted": false});
    assert!(fired(&refused(json!([declined])), NEXT_DAY, "LD005"));
}

#[test]
fn ld008_supervisor_before_specialist() {
    let ts = attempt("2026-11-10T14:04:00-05:00", "team_supervisor", 10.0, true);
    assert!(fired(&refused(json!([ts])), NEXT_DAY, "LD008"));
}

#[test]
fn ld009_qualifiers_are_matched_by_code_or_label_on_any_procedure() {
    let mut case = example("clean");
    case["events"][2]["qualifiers"] = json!(["Better Business Bureau complaint"]);
    assert!(!fired(&case, None, "LD009"));
    case["events"][2]["qualifiers"] = json!([]);
    assert!(!fired(&case, None, "LD009"), "an empty flag covers every qualifier");
    case["events"][2]["qualifiers"] = json!(["slander"]);
    assert!(fired(&case, None, "LD009"));
    // Not yet judged on the day of opening.
    case["closing"] = Value::Null;
    assert!(!fired(&case, Some("2026-11-10T20:00:00-05:00"), "LD009"));
    assert!(fired(&case, Some("2026-11-11T00:00:00-05:00"), "LD009"));
}

#[test]
fn ld010_closing_waits_for_the_process() {
    let engine = Engine::new();
    let proposal = json!({"closed_by": {"agent_id": "ag-1", "role": "resolution_care_back_office"}, "basis": "resolved",
        "resolved_by": "INSTALLS Inc", "final_responsibility": "installs_inc", "reason": "Opened in error", "notes": "done"});
    let allowed = |case: &Value| {
        engine
            .can_close(case, Some(Proposal::from(&proposal)), Some(parse_now("2026-11-10T15:00:00-05:00").unwrap()))
            .allowed
    };
    let rs = attempt("2026-11-10T14:04:00-05:00", "resolution_specialist", 30.0, false);
    let ts_no = attempt("2026-11-10T14:05:00-05:00", "team_supervisor", 30.0, false);
    let vm = json!({"at": "2026-11-10T14:06:00-05:00", "type": "voicemail_transfer"});
    assert!(!allowed(&refused(json!([]))));
    assert!(!allowed(&refused(json!([rs]))));
    assert!(!allowed(&refused(json!([rs, ts_no]))));
    assert!(allowed(&refused(json!([rs, ts_no, vm]))));
    assert!(allowed(&refused(json!([attempt("2026-11-10T14:04:00-05:00", "resolution_specialist", 12.0, true)]))));
}

#[test]
fn every_example_reads_without_record_problems() {
    let mut seen = 0;
    for (path, case) in common::examples_of("leadership_request") {
        let report = Engine::new().validate(&case, None);
        assert!(
            !report.violations.iter().any(|v| v.rule.starts_with("REC")),
            "{}: {:?}",
            path.display(),
            report.violations
        );
        seen += 1;
    }
    assert!(seen >= 5);
}
