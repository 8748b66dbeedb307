//! Messages a newcomer reads: a timestamp without an offset gets the one to write, computed
//! from the case's zone; articles agree; a gap running to the clock's `now` shows whole seconds.

use escalint::{Engine, Violation};
use serde_json::Value;

mod common;

fn findings(case: &Value, rule: &str) -> Vec<Violation> {
    Engine::new().validate(case, None).violations.into_iter().filter(|v| v.rule == rule).collect()
}

/// The REC003 hint for `opened_at` written as `opened_at` in a case of zone `timezone`.
fn opened_at_hint(opened_at: &str, timezone: Option<&str>) -> Option<String> {
    let mut case = common::example("installs_escalation/clean.json");
    case["opened_at"] = opened_at.into();
    match timezone {
        Some(zone) => case["timezone"] = zone.into(),
        None => {
            case.as_object_mut().unwrap().remove("timezone");
        }
    }
    let found = findings(&case, "REC003");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/opened_at");
    found[0].hint.clone()
}

#[test]
fn a_timestamp_without_an_offset_is_told_the_one_to_write_in_the_case_s_zone() {
    // Central Daylight Time in April, Central Standard Time in December.
    assert_eq!(
        opened_at_hint("2026-04-11 08:00", Some("America/Chicago")).unwrap(),
        "opened_at: 2026-04-11T08:00:00-05:00"
    );
    assert_eq!(
        opened_at_hint("2026-12-11T08:00", Some("America/Chicago")).unwrap(),
        "opened_at: 2026-12-11T08:00:00-06:00"
    );
    assert_eq!(
        opened_at_hint("2026-04-11T08:00:00.250", Some("Europe/Berlin")).unwrap(),
        "opened_at: 2026-04-11T08:00:00.250+02:00"
    );
    // The clocks go back: the hour happens twice. They go forward: it never happens.
    assert_eq!(
        opened_at_hint("2026-11-01 01:30", Some("America/Chicago")).unwrap(),
        "opened_at: 2026-11-01T01:30:00-05:00 or 2026-11-01T01:30:00-06:00 (01:30 on 2026-11-01 happens twice in America/Chicago: the clocks go back)"
    );
    assert_eq!(
        opened_at_hint("2026-03-08 02:30", Some("America/Chicago")).unwrap(),
        "02:30 on 2026-03-08 does not exist in America/Chicago (the clocks go forward): write opened_at with the offset meant"
    );
    // No zone and no readable opening: nothing to compute from; not a timestamp at all: no hint.
    assert_eq!(opened_at_hint("2026-04-11 08:00", None), None);
    assert_eq!(opened_at_hint("Saturday morning", Some("America/Chicago")), None);
}

#[test]
fn without_a_timezone_an_event_s_offset_comes_from_the_opening() {
    let mut case = common::example("installs_escalation/clean.json");
    case.as_object_mut().unwrap().remove("timezone");
    case["events"][0]["at"] = "2026-11-20 10:02".into();
    let found = findings(&case, "REC003");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/events/0/at");
    let offset = &case["opened_at"].as_str().unwrap()[19..];
    assert_eq!(found[0].hint.as_deref(), Some(format!("at: 2026-11-20T10:02:00{offset}").as_str()));
}

#[test]
fn a_missing_field_s_message_takes_an_before_a_vowel() {
    let mut case = common::example("installs_escalation/clean.json");
    case.as_object_mut().unwrap().remove("order");
    let found = findings(&case, "REC002");
    assert_eq!(found[0].message, "/order is missing; an installs_escalation case needs it");
    case["procedure"] = "field_management_support".into();
    let found = findings(&case, "REC002");
    assert!(
        found.iter().any(|v| v.message == "/order is missing; a field_management_support case needs it"),
        "{found:?}"
    );
}

#[test]
fn a_gap_running_to_the_clock_shows_whole_seconds() {
    // Judged now (no `now` given), the open example's update gap is still running.
    let case = common::example("field_management_support/clean-open-no-market-manager.json");
    let found = findings(&case, "TM002");
    let message = &found.iter().find(|v| v.message.contains("still running")).expect("a running gap").message;
    let end = message.split(" to ").nth(1).unwrap().split(',').next().unwrap();
    // e.g. 2026-12-01T17:11:50-05:00: 25 characters, no fraction.
    assert_eq!(end.len(), 25, "{message}");
    assert!(!end.contains('.'), "{message}");
}
