//! The seven situations of issue 17 where next_steps and can_close disagreed, each on the
//! engine (the CLI's two are in cli/tests/cli.rs). Each asserts what both answers say now.

use escalint::Proposal;
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

/// The plan at `now`, as JSON: `(state, steps)`.
fn plan(case: &Value, now: &str) -> (String, Vec<Value>) {
    let report = serde_json::to_value(Engine::new().next_steps(case, Some(parse_now(now).unwrap()))).unwrap();
    (report["state"].as_str().unwrap().to_string(), report["steps"].as_array().unwrap().clone())
}

fn offered(case: &Value, now: &str) -> Vec<String> {
    plan(case, now)
        .1
        .iter()
        .find(|s| s["action"] == "close_escalation")
        .map(|s| s["options"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// `(allowed, rules)` of can_close with a well-formed proposal of `basis` at `now`.
fn gate(case: &Value, basis: &str, now: &str) -> (bool, Vec<String>) {
    let proposal = json!({"closed_by": {"agent_id": "ag-1", "role": "resolution_care_back_office"}, "basis": basis,
        "resolved_by": "INSTALLS Inc", "final_responsibility": "installation_company",
        "reason": "Services Not Complete or Below Standard", "notes": "n"});
    let report = Engine::new().can_close(case, Some(Proposal::from(&proposal)), Some(parse_now(now).unwrap()));
    (report.allowed, report.violations.iter().map(|v| v.rule.to_string()).collect())
}

fn area_manager(events: Value) -> Value {
    json!({"id": "ESC-AM", "procedure": "area_manager_exception", "opened_at": "2026-11-10T09:00:00-06:00",
           "timezone": "America/Chicago",
           "order": {"id": "ORD-1", "status": "completed", "servicer": {"a_number": "A220914", "name": "Lakeshore"}},
           "events": events})
}

fn leadership(events: Value) -> Value {
    json!({"id": "ESC-LD", "procedure": "leadership_request", "opened_at": "2026-11-10T09:00:00-05:00",
           "timezone": "America/New_York", "channel": "email", "events": events})
}

fn installs(events: Value) -> Value {
    json!({"id": "ESC-IN", "procedure": "installs_escalation", "opened_at": "2026-11-10T09:00:00-05:00",
           "timezone": "America/New_York",
           "order": {"id": "ORD-1", "status": "completed", "servicer": {"a_number": "A200871", "name": "Lakeside"}},
           "escalation": {"escalation_for": "Installs Inc.", "type": "Technician No Show", "damage_claim": false},
           "events": events})
}

/// An Area Manager case whose step 1 is done (service pro reached).
fn am_step_one_done() -> Value {
    area_manager(
        json!([{"at": "2026-11-10T09:30:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}]),
    )
}

/// 1. `no_contact` needs three failed customer attempts in the Area Manager and leadership
///    procedures too (CL002), and both answers say so.
#[test]
fn no_contact_needs_three_failed_attempts_in_every_procedure() {
    let now = "2026-11-10T12:00:00-06:00";
    let case = am_step_one_done();
    assert_eq!(gate(&case, "no_contact", now), (false, vec!["CL002".to_string()]));
    assert_eq!(offered(&case, now), ["resolved", "no_longer_an_issue"]);

    let mut tried = case.clone();
    for (t, outcome) in [("10:00", "no_answer"), ("10:30", "voicemail"), ("11:00", "busy")] {
        tried["events"].as_array_mut().unwrap().push(
            json!({"at": format!("2026-11-10T{t}:00-06:00"), "type": "call", "party": "customer", "outcome": outcome}),
        );
    }
    assert_eq!(gate(&tried, "no_contact", now), (true, vec![]));
    assert_eq!(offered(&tried, now), ["resolved", "no_contact", "no_longer_an_issue"]);

    let accepted = leadership(json!([
        {"at": "2026-11-10T09:05:00-05:00", "type": "follow_up_offered", "accepted": true},
        {"at": "2026-11-10T15:00:00-05:00", "type": "email", "party": "customer"}
    ]));
    let now = "2026-11-10T16:00:00-05:00";
    assert_eq!(gate(&accepted, "no_contact", now), (false, vec!["CL002".to_string()]));
    assert_eq!(offered(&accepted, now), ["resolved", "no_longer_an_issue"]);
}

/// 2. Reported at 09:00, asked at 19:30 with no call to the service pro: the day's duty blocks
///    closing on both sides though the day is not over.
#[test]
fn an_open_area_manager_duty_blocks_closing_before_its_day_ends() {
    let case = area_manager(json!([]));
    let now = "2026-11-10T19:30:00-06:00";
    let (state, steps) = plan(&case, now);
    assert_ne!(state, "ready_to_close");
    assert_eq!(steps.iter().map(|s| s["action"].as_str().unwrap()).collect::<Vec<_>>(), ["call_service_pro"]);
    assert_eq!(gate(&case, "resolved", now), (false, vec!["AM001".to_string()]));

    // The same for a step-2 duty (AM003, AM005) on the day of the call-back.
    let case = area_manager(json!([
        {"at": "2026-11-10T09:30:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"},
        {"at": "2026-11-11T10:00:00-06:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}
    ]));
    let now = "2026-11-11T10:05:00-06:00";
    assert!(offered(&case, now).is_empty());
    assert_eq!(gate(&case, "resolved", now), (false, vec!["AM003".to_string(), "AM005".to_string()]));
}

/// 3. A record with a missing part (REC002) or an unknown code (REC003): no plan offers closing,
///    and can_close refuses.
#[test]
fn record_problems_block_closing_in_every_plan() {
    let now = "2026-11-10T16:00:00-05:00";
    let touched =
        json!([{"at": "2026-11-10T10:00:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}]);
    let mut no_order = installs(touched.clone());
    no_order.as_object_mut().unwrap().remove("order");
    let mut misspelt = installs(touched);
    misspelt["events"][0]["party"] = "custmer".into();
    let mut am_misspelt = am_step_one_done();
    am_misspelt["events"]
        .as_array_mut()
        .unwrap()
        .push(json!({"at": "2026-11-10T10:00:00-06:00", "type": "call", "party": "custmer", "outcome": "reached"}));
    let mut ld = leadership(json!([
        {"at": "2026-11-10T09:05:00-05:00", "type": "follow_up_offered", "accepted": true},
        {"at": "2026-11-10T11:00:00-05:00", "type": "email", "party": "custmer"}
    ]));
    // Its unknown party also hides the update, so LD010 is refused as well; REC003 is the cause.
    ld["events"]
        .as_array_mut()
        .unwrap()
        .push(json!({"at": "2026-11-10T11:05:00-05:00", "type": "email", "party": "customer"}));
    for (case, rec) in [(&no_order, "REC002"), (&misspelt, "REC003"), (&am_misspelt, "REC003"), (&ld, "REC003")] {
        assert!(offered(case, now).is_empty(), "{rec}: {:?}", plan(case, now));
        let (allowed, rules) = gate(case, "resolved", now);
        assert!(!allowed && rules.contains(&rec.to_string()), "{rec}: {rules:?}");
    }
}

/// 4. `now` before the opening: no plan offers closing; can_close answers REC004.
#[test]
fn closing_before_the_opening_is_offered_by_no_plan() {
    let now = "2026-11-09T12:00:00-05:00";
    for case in [am_step_one_done(), leadership(json!([])), installs(json!([]))] {
        assert!(offered(&case, now).is_empty(), "{}", case["procedure"]);
        let (allowed, rules) = gate(&case, "resolved", now);
        assert!(!allowed && rules.contains(&"REC004".to_string()), "{}: {rules:?}", case["procedure"]);
    }
}

/// 5. A field management case that was never opened may not close (REC004), though its job
///    is done; the plan (`not_opened`) never offers it.
#[test]
fn a_never_opened_field_management_case_may_not_close() {
    let case = json!({"id": "ESC-FMS", "procedure": "field_management_support", "opened_at": null,
        "timezone": "America/New_York",
        "customer": {"first_name": "Dana", "last_name": "Okafor", "phone": "(404) 555-0134", "zip": "30301"},
        "order": {"id": "ORD-1", "status": "completed", "scheduled_for": "2026-11-10",
                  "servicer": {"a_number": "A104233", "name": "Peachtree"}},
        "escalation": {"escalation_for": "Installs Inc.", "type": "Field Management Support"},
        "events": [{"at": "2026-11-10T10:00:00-05:00", "type": "job_completed"}]});
    let now = "2026-11-10T12:00:00-05:00";
    assert_eq!(plan(&case, now).0, "not_opened");
    assert!(offered(&case, now).is_empty());
    assert_eq!(gate(&case, "resolved", now), (false, vec!["REC004".to_string()]));
    // validate says the same of a record that carries such a closing.
    let mut closed = case.clone();
    closed["closing"] = json!({"closed_at": "2026-11-10T12:00:00-05:00", "basis": "resolved",
        "closed_by": {"role": "resolution_care_back_office"}, "resolved_by": "INSTALLS Inc",
        "final_responsibility": "installation_company", "reason": "Services Not Complete or Below Standard", "notes": "n"});
    let report = Engine::new().validate(&closed, None);
    assert!(report.violations.iter().any(|v| v.rule == "REC004" && v.path == "/closing"), "{:?}", report.violations);
}

/// 6. Events recorded after `now` have not happened yet, for the plans as for the rules.
#[test]
fn events_after_now_have_not_happened_yet() {
    // A follow-up accepted and answered — but the answer is dated after `now`.
    let case = leadership(json!([
        {"at": "2026-11-10T09:05:00-05:00", "type": "follow_up_offered", "accepted": true},
        {"at": "2026-11-10T18:00:00-05:00", "type": "email", "party": "customer"}
    ]));
    let now = "2026-11-10T12:00:00-05:00";
    let (_, steps) = plan(&case, now);
    assert_eq!(steps.iter().map(|s| s["action"].as_str().unwrap()).collect::<Vec<_>>(), ["update_customer"]);
    assert_eq!(gate(&case, "resolved", now), (false, vec!["LD010".to_string()]));
    assert!(!offered(&case, "2026-11-10T18:01:00-05:00").is_empty());

    // The Area Manager's first call, dated after `now`, is still to make.
    let case = area_manager(
        json!([{"at": "2026-11-10T15:00:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}]),
    );
    let (_, steps) = plan(&case, "2026-11-10T10:00:00-06:00");
    assert_eq!(steps[0]["action"], "call_service_pro");

    // A closing dated after `now` has not happened either: validate judges an open case.
    let mut closed_later = installs(json!([
        {"at": "2026-11-10T10:00:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}
    ]));
    closed_later["closing"] = json!({"closed_at": "2026-11-12T12:00:00-05:00", "basis": "resolved",
        "closed_by": {"role": "resolution_care_back_office"}, "resolved_by": "nobody",
        "final_responsibility": "installation_company", "reason": "Services Not Complete or Below Standard", "notes": "n"});
    let at_noon = Engine::new().validate(&closed_later, Some(parse_now("2026-11-10T12:00:00-05:00").unwrap()));
    assert!(at_noon.valid, "the closing's CL003 is not seen before it: {:?}", at_noon.violations);
    assert_eq!(plan(&closed_later, "2026-11-10T12:00:00-05:00").0, "ready_to_close");
    assert_eq!(plan(&closed_later, "2026-11-12T12:00:00-05:00").0, "closed");
}

/// 7. `ready_to_close` never shows an overdue step, and a wait whose time has passed says what
///    comes next instead of a stale due time.
#[test]
fn a_passed_wait_shows_no_stale_due_time() {
    let case = am_step_one_done();
    let before = plan(&case, "2026-11-10T12:00:00-06:00");
    assert_eq!(before.1[0]["action"], "wait_for_customer_callback");
    assert_eq!(before.1[0]["due_by"], "2026-11-11T09:30:00-06:00");

    let (state, steps) = plan(&case, "2026-11-12T08:00:00-06:00");
    assert_eq!(state, "ready_to_close");
    assert_eq!(steps[0]["action"], "wait_for_customer_callback");
    assert_eq!(steps[0]["due_by"], Value::Null, "the mark has passed: {}", steps[0]);
    let why = steps[0]["why"].as_str().unwrap();
    assert!(
        why.contains("passed at 2026-11-11T09:30:00-06:00") && why.contains("as soon as the customer calls back"),
        "{why}"
    );
}

/// Issue 23: an overdue step says so (`"overdue": true`); a step still in time carries no marker.
#[test]
fn overdue_steps_are_marked() {
    let case = leadership(json!([]));
    let (_, steps) = plan(&case, "2026-11-10T12:00:00-05:00");
    assert_eq!(steps[0]["action"], "offer_follow_up");
    assert_eq!(steps[0].get("overdue"), None, "{}", steps[0]);
    let (state, steps) = plan(&case, "2026-11-11T00:00:00-05:00");
    assert_eq!((state.as_str(), &steps[0]["overdue"]), ("open", &json!(true)), "due at midnight, judged at midnight");
}

/// Issue 17, 9 (the engine's side): a case that could not be read gets no plan — no state,
/// no steps — on every surface built on the engine.
#[test]
fn an_unreadable_case_gets_no_plan() {
    let report = Engine::new().next_steps("{\"id\": \"ESC-1\", broken", None);
    assert_eq!(report.state, None);
    assert!(report.steps.is_empty());
    assert_eq!(report.violations[0].rule, "REC001");
    assert_eq!(serde_json::to_value(&report).unwrap()["state"], Value::Null);
}
