//! TM001–TM003: local opening days (DST in America/New_York, a fixed offset, a zone that differs
//! from the written offset), gaps measured to the closing or to `now`.

mod common;

use common::{closing, installs_case, rules_of};
use escalint::{parse_now, Engine, Policy, Violation};
use serde_json::{json, Value};

fn tm(case: &Value, now: &str) -> Vec<Violation> {
    Engine::new()
        .validate(case, Some(parse_now(now).unwrap()))
        .violations
        .into_iter()
        .filter(|v| v.rule.starts_with("TM"))
        .collect()
}

fn case_opened(opened: &str, timezone: Option<&str>, events: Value) -> Value {
    let mut case = installs_case();
    case["opened_at"] = opened.into();
    match timezone {
        Some(z) => case["timezone"] = z.into(),
        None => {
            case.as_object_mut().unwrap().remove("timezone");
        }
    }
    case["events"] = events;
    case
}

fn update(at: &str) -> Value {
    json!({"at": at, "type": "update"})
}

#[test]
fn first_touch_on_the_25_hour_day_dst_ends_in_new_york() {
    // 2026-11-01: clocks fall back at 02:00 EDT; the local day ends at 2026-11-02T00:00-05:00.
    let opened = "2026-11-01T00:30:00-04:00";
    let late_evening = case_opened(opened, Some("America/New_York"), json!([update("2026-11-01T23:50:00-05:00")]));
    // Same local day, so no TM001 — but 24 h 20 min after opening, so the 24-hour rule fires.
    assert_eq!(rules_of(&tm(&late_evening, "2026-11-01T23:59:00-05:00")), ["TM002"]);
    let next_morning = case_opened(opened, Some("America/New_York"), json!([update("2026-11-02T00:10:00-05:00")]));
    assert_eq!(rules_of(&tm(&next_morning, "2026-11-02T00:20:00-05:00")), ["TM001", "TM002"]);
}

#[test]
fn first_touch_on_the_23_hour_day_dst_starts_in_new_york() {
    // 2026-03-08: clocks spring forward at 02:00 EST; the day ends at 2026-03-09T00:00-04:00.
    let opened = "2026-03-08T01:30:00-05:00";
    let in_time = case_opened(opened, Some("America/New_York"), json!([update("2026-03-08T23:59:00-04:00")]));
    assert!(tm(&in_time, "2026-03-09T08:00:00-04:00").is_empty());
    let late = case_opened(opened, Some("America/New_York"), json!([update("2026-03-09T00:01:00-04:00")]));
    let found = tm(&late, "2026-03-09T08:00:00-04:00");
    assert_eq!(rules_of(&found), ["TM001"]);
    assert!(found[0].message.contains("2026-03-08"), "{}", found[0].message);
    assert!(found[0].message.contains("2026-03-09T00:00:00-04:00"), "{}", found[0].message);
}

#[test]
fn without_a_timezone_the_written_offset_decides_the_day() {
    let opened = "2026-11-20T23:30:00-05:00";
    // 04:40Z is 23:40 at -05:00: same local day.
    let same_day = case_opened(opened, None, json!([update("2026-11-21T04:40:00Z")]));
    assert!(tm(&same_day, "2026-11-21T12:00:00Z").is_empty());
    let next_day = case_opened(opened, None, json!([update("2026-11-21T05:10:00Z")]));
    assert_eq!(rules_of(&tm(&next_day, "2026-11-21T12:00:00Z")), ["TM001"]);
}

#[test]
fn a_timezone_overrides_the_offset_written_in_opened_at() {
    // 00:30 at -05:00 is 23:30 the evening before in Chicago.
    let opened = "2026-11-21T00:30:00-05:00";
    let chicago = case_opened(opened, Some("America/Chicago"), json!([update("2026-11-21T00:45:00-05:00")]));
    assert!(tm(&chicago, "2026-11-21T12:00:00-05:00").is_empty());
    let chicago_late = case_opened(opened, Some("America/Chicago"), json!([update("2026-11-21T01:10:00-05:00")]));
    assert_eq!(rules_of(&tm(&chicago_late, "2026-11-21T12:00:00-05:00")), ["TM001"]);
}

#[test]
fn first_touch_is_not_late_before_the_day_ends() {
    let case = case_opened("2026-11-20T09:15:00-05:00", Some("America/New_York"), json!([]));
    assert!(tm(&case, "2026-11-20T23:00:00-05:00").is_empty());
    assert_eq!(rules_of(&tm(&case, "2026-11-21T00:00:00-05:00")), ["TM001"]);
}

#[test]
fn an_open_gap_is_measured_up_to_now() {
    let case = case_opened(
        "2026-11-20T09:15:00-05:00",
        Some("America/New_York"),
        json!([update("2026-11-20T10:00:00-05:00")]),
    );
    let hours = Policy::embedded().thresholds().update_interval_hours as i64;
    let grace = Policy::embedded().thresholds().update_grace_minutes as i64;
    let last = chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00-05:00").unwrap();
    let just_within = last + chrono::Duration::hours(hours) + chrono::Duration::minutes(grace);
    assert!(tm(&case, &just_within.to_rfc3339()).is_empty());
    let past = just_within + chrono::Duration::minutes(1);
    let found = tm(&case, &past.to_rfc3339());
    assert_eq!(rules_of(&found), ["TM002"]);
    assert_eq!(found[0].path, "", "a gap that runs to now belongs to the whole case");
    assert!(found[0].message.contains("still running"), "{}", found[0].message);
}

#[test]
fn each_gap_is_its_own_violation_at_the_event_ending_it() {
    let mut case = case_opened(
        "2026-11-20T09:15:00-05:00",
        Some("America/New_York"),
        json!([
            update("2026-11-20T10:00:00-05:00"),
            update("2026-11-22T10:00:00-05:00"),
            update("2026-11-22T12:00:00-05:00")
        ]),
    );
    let mut c = closing("resolved", "installation_company", "Unresponsive");
    c["closed_at"] = "2026-11-24T12:00:00-05:00".into();
    case["closing"] = c;
    let found = tm(&case, "2026-11-24T12:00:00-05:00");
    // Reports are sorted by rule, then path.
    let gaps: Vec<&str> = found.iter().filter(|v| v.rule == "TM002").map(|v| v.path.as_str()).collect();
    assert_eq!(gaps, ["/closing/closed_at", "/events/1"]);
}

#[test]
fn resolution_target_is_a_warning_from_the_policy() {
    let days = Policy::embedded().thresholds().resolution_target_days as i64;
    let opened = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:15:00-05:00").unwrap();
    // Daily updates keep TM002 quiet; only the age matters.
    let updates: Vec<Value> =
        (0..=days + 1).map(|d| update(&(opened + chrono::Duration::hours(1 + 20 * d)).to_rfc3339())).collect();
    let case = case_opened(&opened.to_rfc3339(), Some("America/New_York"), Value::Array(updates));
    let within = opened + chrono::Duration::days(days) - chrono::Duration::hours(1);
    assert!(tm(&case, &within.to_rfc3339()).iter().all(|v| v.rule != "TM003"));
    let beyond = opened + chrono::Duration::days(days) + chrono::Duration::hours(1);
    let found: Vec<Violation> = tm(&case, &beyond.to_rfc3339()).into_iter().filter(|v| v.rule == "TM003").collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, escalint::Severity::Warning);
}

#[test]
fn first_touch_step_is_due_by_day_end_or_24_hours_whichever_is_first() {
    let engine = Engine::new();
    let plain = case_opened("2026-11-20T09:15:00-05:00", Some("America/New_York"), json!([]));
    let plan = engine.next_steps(&plain, Some(parse_now("2026-11-20T09:20:00-05:00").unwrap()));
    assert_eq!(plan.steps[0].action, "first_touch");
    assert_eq!(plan.steps[0].due_by_text().as_deref(), Some("2026-11-21T00:00:00-05:00"));
    // On the 25-hour day the local day outlasts the 24-hour update rule: the plan keeps both.
    let dst = case_opened("2026-11-01T00:30:00-04:00", Some("America/New_York"), json!([]));
    let plan = engine.next_steps(&dst, Some(parse_now("2026-11-01T00:40:00-04:00").unwrap()));
    assert_eq!(plan.steps[0].due_by_text().as_deref(), Some("2026-11-01T23:30:00-05:00"));
    let mut touched = dst.clone();
    touched["events"] = json!([update("2026-11-01T23:30:00-05:00")]);
    assert!(tm(&touched, "2026-11-02T00:30:00-05:00").is_empty());
}
