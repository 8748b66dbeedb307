//! Focused tests of the Area Manager rules (AM001–AM008) on the example cases.

use escalint::{parse_now, Engine};
use serde_json::{json, Value};

mod common;

fn example(name: &str) -> Value {
    common::example(&format!("area_manager_exception/{name}.json"))
}

fn rules(case: &Value, now: Option<&str>) -> Vec<(String, String)> {
    let now = now.map(|t| parse_now(t).unwrap());
    Engine::new().validate(case, now).violations.into_iter().map(|v| (v.rule.to_string(), v.path)).collect()
}

fn fired(case: &Value, now: Option<&str>, rule: &str) -> bool {
    rules(case, now).iter().any(|(r, _)| r == rule)
}

/// A case with only these events, still open.
fn open_with(events: Value) -> Value {
    let mut case = example("clean");
    case["events"] = events;
    case["closing"] = Value::Null;
    case
}

#[test]
fn clean_case_is_closed_and_has_no_violations() {
    let case = example("clean");
    let engine = Engine::new();
    let report = engine.validate(&case, None);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!(engine.can_close(&case, None, None).allowed);
    assert_eq!(engine.next_steps(&case, None).state.unwrap().as_str(), "closed");
}

#[test]
fn broken_examples_report_what_their_names_say() {
    for (name, rule) in [
        ("closed_without_admin_email", "AM008"),
        ("exception_code_not_in_legend", "AM006"),
        ("service_pro_not_called_again", "AM003"),
        ("no_message_after_first_attempt", "AM002"),
    ] {
        let found = rules(&example(name), None);
        assert!(found.iter().any(|(r, _)| r == rule), "{name}: {found:?}");
    }
}

#[test]
fn am001_waits_for_the_end_of_the_local_day_of_the_report() {
    let case = open_with(json!([]));
    assert!(!fired(&case, Some("2026-11-10T23:59:00-06:00"), "AM001"));
    assert!(fired(&case, Some("2026-11-11T00:00:00-06:00"), "AM001"));
    // A call before the report does not count.
    let early = open_with(
        json!([{"at": "2026-11-10T09:00:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}]),
    );
    assert!(fired(&early, Some("2026-11-12T00:00:00-06:00"), "AM001"));
}

#[test]
fn am002_needs_both_the_message_and_the_service_job_note() {
    let no_note = open_with(
        json!([{"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"},
                                   {"at": "2026-11-10T10:22:00-06:00", "type": "note", "visibility": "internal", "on": "order"}]),
    );
    assert!(fired(&no_note, Some("2026-11-11T08:00:00-06:00"), "AM002"));
    let reached = open_with(
        json!([{"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}]),
    );
    assert!(!fired(&reached, Some("2026-11-11T08:00:00-06:00"), "AM002"));
    let later_voicemail = open_with(
        json!([{"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "no_answer"},
                                           {"at": "2026-11-10T10:25:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"},
                                           {"at": "2026-11-10T10:26:00-06:00", "type": "note", "on": "service_job", "visibility": "internal"}]),
    );
    assert!(!fired(&later_voicemail, Some("2026-11-11T08:00:00-06:00"), "AM002"));
}

/// The fall-back DST change in Chicago (2026-11-01 02:00 CDT → 01:00 CST): 24 elapsed hours
/// after 09:00 CDT on 31 October is 08:00 CST on 1 November.
#[test]
fn am003_measures_24_elapsed_hours_across_a_dst_change() {
    let case = |callback: &str| {
        let mut c = open_with(json!([
            {"at": "2026-10-31T09:00:00-05:00", "type": "call", "party": "servicer", "outcome": "voicemail"},
            {"at": "2026-10-31T09:02:00-05:00", "type": "note", "on": "service_job", "visibility": "internal"},
            {"at": callback, "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}
        ]));
        c["opened_at"] = json!("2026-10-31T08:30:00-05:00");
        c
    };
    let now = Some("2026-11-05T12:00:00-06:00");
    // 08:00 CST is exactly 24 h later (though the wall clock moved 23 h): step 2.
    assert!(fired(&case("2026-11-01T08:00:00-06:00"), now, "AM003"));
    // 08:59 CST = 24 h 59 min. 07:59 CST = 23 h 59 min: not yet step 2, although the wall clock says 09:00 → 07:59.
    assert!(fired(&case("2026-11-01T08:59:00-06:00"), now, "AM003"));
    assert!(!fired(&case("2026-11-01T07:59:00-06:00"), now, "AM003"));
    assert!(!fired(&case("2026-11-01T07:59:00-06:00"), now, "AM005"));
}

#[test]
fn am004_requires_second_voicemail_and_public_with_email_note() {
    let base = |extra: Value| {
        let mut events = vec![
            json!({"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"}),
            json!({"at": "2026-11-10T10:24:00-06:00", "type": "note", "on": "service_job", "visibility": "internal"}),
            json!({"at": "2026-11-11T11:05:00-06:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}),
            json!({"at": "2026-11-11T11:15:00-06:00", "type": "call", "party": "servicer", "outcome": "no_answer"}),
            json!({"at": "2026-11-11T11:25:00-06:00", "type": "exception_opened", "code": "NCNS", "directed_to": "area_manager"}),
        ];
        events.extend(extra.as_array().unwrap().iter().cloned());
        open_with(Value::Array(events))
    };
    let now = Some("2026-11-12T09:00:00-06:00");
    assert!(fired(&base(json!([])), now, "AM004"));
    // The first voicemail does not count as the second one.
    assert!(fired(
        &base(json!([{"at": "2026-11-11T11:18:00-06:00", "type": "note", "visibility": "public_with_email"}])),
        now,
        "AM004"
    ));
    assert!(!fired(
        &base(json!([
        {"at": "2026-11-11T11:16:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"},
        {"at": "2026-11-11T11:18:00-06:00", "type": "note", "visibility": "public_with_email"}])),
        now,
        "AM004"
    ));
    // Not judged before the end of that day.
    assert!(!fired(&base(json!([])), Some("2026-11-11T20:00:00-06:00"), "AM004"));
}

#[test]
fn am005_exception_must_be_directed_to_the_area_manager() {
    let mut case = example("clean");
    case["events"][5]["directed_to"] = json!("admin_team");
    assert!(fired(&case, None, "AM005"));
}

#[test]
fn am006_accepts_legend_labels_and_reports_the_closest_code() {
    for code in ["SP Unresponsive", "missed-appt", "Missed Appt.", "ncns", "no call no show", "PROFILE UPDATE"] {
        let mut case = example("clean");
        case["events"][5]["code"] = json!(code);
        assert!(!fired(&case, None, "AM006"), "{code}");
    }
    let mut case = example("clean");
    case["events"][5]["code"] = json!("SP Unresponsiv");
    let report = Engine::new().validate(&case, None);
    let v = report.violations.iter().find(|v| v.rule == "AM006").expect("AM006");
    assert_eq!(v.path, "/events/5/code");
    assert!(v.hint.as_deref().unwrap_or("").contains("sp_unresponsive"), "{:?}", v.hint);
    case["events"][5].as_object_mut().unwrap().remove("code");
    assert!(fired(&case, None, "AM006"));
}

#[test]
fn am007_early_exception_needs_risk() {
    let mut case = example("clean");
    case["events"][5]["at"] = json!("2026-11-10T11:00:00-06:00");
    assert!(fired(&case, None, "AM007"));
    case["events"][5]["risk"] = json!(true);
    assert!(!fired(&case, None, "AM007"));
}

#[test]
fn am008_admin_email_must_precede_closing() {
    let engine = Engine::new();
    let mut case = example("clean");
    case["events"][6]["at"] = json!("2026-11-12T10:30:00-06:00");
    let report = engine.can_close(&case, None, None);
    assert!(!report.allowed);
    assert!(report.violations.iter().any(|v| v.rule == "AM008" && v.path == "/closing"));
    case["events"][6]["emailed_area_manager"] = json!(false);
    case["events"][6]["at"] = json!("2026-11-12T09:40:00-06:00");
    assert!(!engine.can_close(&case, None, None).allowed);
}

#[test]
fn every_example_reads_without_record_problems() {
    let mut seen = 0;
    for (path, case) in common::examples_of("area_manager_exception") {
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
