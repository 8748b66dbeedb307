//! Scenario tests for FMS next_steps: walk the procedures (seed 001 before opening, seed 000
//! once open) one event at a time, asking next_steps again after each, and check the next
//! action, its party and its due time at every stage — and that validate never flags what the
//! plan led to.

use escalint::{parse_now, CaseState, Engine, NextStepsReport, Step};
use serde_json::{json, Value};

mod common;

/// The contract's example case before the escalation was opened and before anything happened.
fn not_opened() -> Value {
    let mut case = common::without(common::fms_case(), &["opened_at", "market_manager"]);
    case["id"] = json!("ESC-PLAN-1");
    case["order"]["status"] = json!("scheduled");
    case["escalation"]["notes"] =
        json!("Customer wants 11/21 as booked; servicer's van broke down; no compensation asked.");
    case["events"] = json!([]);
    case
}

/// The same case with the reschedule conversation done and the escalation opened at 09:15.
fn opened(market_manager: Option<Value>) -> Value {
    let mut case = not_opened();
    for e in [
        json!({"at": "2026-11-20T09:02:00-05:00", "type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"}),
        json!({"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25", "2026-11-26"], "accepted_date": null}),
        json!({"at": "2026-11-20T09:08:00-05:00", "type": "callback_set", "callback_at": "2026-11-20T13:00:00-05:00"}),
        json!({"at": "2026-11-20T09:10:00-05:00", "type": "status_changed", "to": "prescheduled_rejected"}),
    ] {
        add(&mut case, e);
    }
    case["opened_at"] = json!("2026-11-20T09:15:00-05:00");
    case["order"]["status"] = json!("prescheduled_rejected");
    if let Some(mm) = market_manager {
        case["market_manager"] = mm;
    }
    case
}

fn add(case: &mut Value, event: Value) {
    case["events"].as_array_mut().unwrap().push(event);
}

fn plan(case: &Value, now: &str) -> NextStepsReport {
    let report = Engine::new().next_steps(case, Some(parse_now(now).unwrap()));
    assert!(report.violations.is_empty(), "record problems: {:?}", report.violations);
    report
}

fn actions(report: &NextStepsReport) -> Vec<&str> {
    report.steps.iter().map(|s| s.action.as_str()).collect()
}

fn find<'a>(report: &'a NextStepsReport, action: &str) -> Option<&'a Step> {
    report.steps.iter().find(|s| s.action == action)
}

/// The ids of the violations of the given rule family that validate reports at `now`.
fn flagged(case: &Value, now: &str, prefix: &str) -> Vec<String> {
    Engine::new()
        .validate(case, Some(parse_now(now).unwrap()))
        .violations
        .into_iter()
        .filter(|v| v.rule.starts_with(prefix))
        .map(|v| format!("{} {} {}", v.rule, v.path, v.message))
        .collect()
}

#[test]
fn reschedule_conversation_walks_steps_one_to_five() {
    let mut case = not_opened();
    let now = "2026-11-20T09:00:00-05:00";
    let r = plan(&case, now);
    assert_eq!(r.state, Some(CaseState::NotOpened));
    assert_eq!(
        actions(&r),
        [
            "determine_reschedule_reason",
            "offer_reschedule_dates",
            "set_callback_time",
            "set_status_prescheduled_rejected",
            "open_fms_escalation"
        ]
    );
    assert_eq!(r.steps[0].rule.id, "RS007");
    assert!(r.steps.iter().all(|s| s.due_by.is_none() && !s.why.is_empty()));

    add(
        &mut case,
        json!({"at": "2026-11-20T09:02:00-05:00", "type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"}),
    );
    let r = plan(&case, "2026-11-20T09:03:00-05:00");
    assert_eq!(r.steps[0].action, "offer_reschedule_dates");
    assert_eq!(r.steps[0].party.as_deref(), Some("customer"));
    assert_eq!(r.steps[0].rule.id, "RS002");

    add(
        &mut case,
        json!({"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25", "2026-11-26"], "accepted_date": null}),
    );
    let r = plan(&case, "2026-11-20T09:07:00-05:00");
    assert_eq!(actions(&r), ["set_callback_time", "set_status_prescheduled_rejected", "open_fms_escalation"]);

    add(
        &mut case,
        json!({"at": "2026-11-20T09:08:00-05:00", "type": "callback_set", "callback_at": "2026-11-20T13:00:00-05:00"}),
    );
    let r = plan(&case, "2026-11-20T09:09:00-05:00");
    assert_eq!(actions(&r), ["set_status_prescheduled_rejected", "open_fms_escalation"]);

    add(
        &mut case,
        json!({"at": "2026-11-20T09:10:00-05:00", "type": "status_changed", "to": "Prescheduled – Rejected"}),
    );
    let r = plan(&case, "2026-11-20T09:11:00-05:00");
    assert_eq!(r.state, Some(CaseState::NotOpened));
    assert_eq!(actions(&r), ["open_fms_escalation"]);
    assert_eq!(r.steps[0].rule.id, "RS005");

    // Following the plan, then opening: no RS rule fires.
    case["opened_at"] = json!("2026-11-20T09:15:00-05:00");
    assert!(
        flagged(&case, "2026-11-20T09:16:00-05:00", "RS").is_empty(),
        "{:?}",
        flagged(&case, "2026-11-20T09:16:00-05:00", "RS")
    );
    assert_ne!(plan(&case, "2026-11-20T09:16:00-05:00").state, Some(CaseState::NotOpened));
}

#[test]
fn reschedule_reason_is_not_proposed_once_dates_were_offered() {
    let mut case = not_opened();
    add(
        &mut case,
        json!({"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25"], "accepted_date": null}),
    );
    let r = plan(&case, "2026-11-20T09:07:00-05:00");
    assert_eq!(r.steps[0].action, "set_callback_time");
    assert!(find(&r, "determine_reschedule_reason").is_none());
}

#[test]
fn an_accepted_date_ends_the_reschedule_conversation() {
    let mut case = not_opened();
    add(
        &mut case,
        json!({"at": "2026-11-20T09:02:00-05:00", "type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"}),
    );
    add(
        &mut case,
        json!({"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25"], "accepted_date": "2026-11-25"}),
    );
    let r = plan(&case, "2026-11-20T09:07:00-05:00");
    assert_eq!(r.state, Some(CaseState::NotOpened));
    assert!(r.steps.is_empty(), "{:?}", actions(&r));
}

#[test]
fn market_manager_lookup_comes_first_once_opened() {
    let case = opened(None);
    let r = plan(&case, "2026-11-20T09:16:00-05:00");
    assert_eq!(r.steps[0].action, "lookup_market_manager");
    assert_eq!(r.steps[0].rule.id, "FMS001");
    assert!(find(&r, "call_assigned_servicer").is_none() && find(&r, "call_provider").is_none());
}

#[test]
fn market_manager_branch_servicer_then_email_then_call_back_on_reply() {
    let mm = json!({"name": "R. Alvarez", "email": "ralvarez@example.com", "region": "Southeast"});
    let mut case = opened(Some(mm));

    // 1a.i: the servicer has not been contacted yet.
    let r = plan(&case, "2026-11-20T09:16:00-05:00");
    assert_eq!(r.steps[0].action, "call_assigned_servicer");
    assert_eq!(r.steps[0].party.as_deref(), Some("servicer"));
    assert_eq!(r.steps[0].rule.id, "FMS010");
    assert!(find(&r, "email_market_manager").is_none(), "no Market Manager contact before the servicer");
    let back = find(&r, "call_customer_back").expect("call-back pending");
    assert_eq!(back.due_by_text().as_deref(), Some("2026-11-20T13:00:00-05:00"));
    assert_eq!(back.rule.id, "FMS030");
    assert_eq!(actions(&r).last(), Some(&"wait_for_job_completion"));

    // 1a.ii: the servicer is not reachable: email the Market Manager (not call).
    add(
        &mut case,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "no_answer"}),
    );
    let r = plan(&case, "2026-11-20T09:21:00-05:00");
    assert_eq!(r.steps[0].action, "email_market_manager");
    assert_eq!(r.steps[0].party.as_deref(), Some("market_manager"));
    assert!(find(&r, "call_market_manager").is_none(), "calling first is not allowed here (FMS011)");
    assert!(find(&r, "call_assigned_servicer").is_none());

    add(&mut case, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    let r = plan(&case, "2026-11-20T09:26:00-05:00");
    // Besides the timeliness step (update_escalation, due 24 h after the last action).
    let fms_steps: Vec<&str> = actions(&r).into_iter().filter(|a| *a != "update_escalation").collect();
    assert_eq!(fms_steps, ["call_customer_back", "wait_for_job_completion"]);
    assert_eq!(r.steps[0].due_by_text().as_deref(), Some("2026-11-20T13:00:00-05:00"));
    assert!(flagged(&case, "2026-11-20T09:26:00-05:00", "FMS").is_empty());

    // "Whichever happens 1st": the Market Manager answers at 11:00, before the 13:00 call-back.
    add(
        &mut case,
        json!({"at": "2026-11-20T11:00:00-05:00", "type": "market_manager_response", "coverage_found": false}),
    );
    let r = plan(&case, "2026-11-20T11:01:00-05:00");
    assert_eq!(r.steps[0].action, "call_customer_back");
    assert_eq!(r.steps[0].due_by_text().as_deref(), Some("2026-11-20T11:00:00-05:00"));
    assert_eq!(r.steps[0].party.as_deref(), Some("customer"));

    add(
        &mut case,
        json!({"at": "2026-11-20T11:05:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}),
    );
    let r = plan(&case, "2026-11-20T11:06:00-05:00");
    assert!(find(&r, "call_customer_back").is_none());
    assert!(find(&r, "wait_for_job_completion").is_some());
    assert!(
        flagged(&case, "2026-11-20T11:06:00-05:00", "FMS").is_empty(),
        "{:?}",
        flagged(&case, "2026-11-20T11:06:00-05:00", "FMS")
    );

    add(&mut case, json!({"at": "2026-11-21T15:00:00-05:00", "type": "job_completed"}));
    let r = plan(&case, "2026-11-21T15:01:00-05:00");
    assert!(find(&r, "wait_for_job_completion").is_none());
}

#[test]
fn call_back_time_before_the_reply_stays_the_deadline() {
    let mm = json!({"name": "R. Alvarez"});
    let mut case = opened(Some(mm));
    add(
        &mut case,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "no_answer"}),
    );
    add(&mut case, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    // The reply comes after the call-back time: the call-back time (13:00) came first.
    add(
        &mut case,
        json!({"at": "2026-11-20T14:00:00-05:00", "type": "market_manager_response", "coverage_found": false}),
    );
    let r = plan(&case, "2026-11-20T14:01:00-05:00");
    let back = find(&r, "call_customer_back").unwrap();
    assert_eq!(back.due_by_text().as_deref(), Some("2026-11-20T13:00:00-05:00"));
    // Overdue, so it is the most urgent step.
    assert_eq!(r.steps[0].action, "call_customer_back");
}

#[test]
fn a_new_call_back_set_in_time_replaces_the_old_one() {
    let mut case = opened(Some(json!({"name": "R. Alvarez"})));
    add(
        &mut case,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "reached"}),
    );
    add(&mut case, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    add(
        &mut case,
        json!({"at": "2026-11-20T12:55:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}),
    );
    add(
        &mut case,
        json!({"at": "2026-11-20T12:57:00-05:00", "type": "callback_set", "callback_at": "2026-11-21T10:00:00-05:00"}),
    );
    let r = plan(&case, "2026-11-20T13:00:00-05:00");
    let back = find(&r, "call_customer_back").unwrap();
    assert_eq!(back.due_by_text().as_deref(), Some("2026-11-21T10:00:00-05:00"));
}

#[test]
fn highly_escalated_may_call_the_market_manager_first() {
    let mut case = opened(Some(json!({"name": "R. Alvarez"})));
    case["priority"] = json!("highly_escalated");
    add(
        &mut case,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "no_answer"}),
    );
    let r = plan(&case, "2026-11-20T09:21:00-05:00");
    assert_eq!(&actions(&r)[..2], ["call_market_manager", "email_market_manager"]);
    add(
        &mut case,
        json!({"at": "2026-11-20T09:22:00-05:00", "type": "call", "party": "market_manager", "outcome": "reached"}),
    );
    assert!(flagged(&case, "2026-11-20T09:23:00-05:00", "FMS011").is_empty());
}

#[test]
fn stalled_contacts_allow_calling_the_market_manager_first() {
    let mut case = opened(Some(json!({"name": "R. Alvarez"})));
    add(
        &mut case,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "no_answer"}),
    );
    add(
        &mut case,
        json!({"at": "2026-11-20T09:30:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}),
    );
    assert!(find(&plan(&case, "2026-11-20T09:31:00-05:00"), "call_market_manager").is_none());
    add(
        &mut case,
        json!({"at": "2026-11-20T10:30:00-05:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}),
    );
    assert!(find(&plan(&case, "2026-11-20T10:31:00-05:00"), "call_market_manager").is_some());
}

#[test]
fn no_market_manager_branch_providers_in_order_update_within_15_minutes() {
    let mut case = opened(Some(json!({"name": null})));
    add(&mut case, json!({"at": "2026-11-20T09:20:00-05:00", "type": "work_started"}));

    let r = plan(&case, "2026-11-20T09:21:00-05:00");
    assert_eq!(r.steps[0].action, "call_provider");
    assert_eq!(r.steps[0].party.as_deref(), Some("provider_primary"));
    assert_eq!(r.steps[0].rule.id, "FMS020");
    let update = find(&r, "call_customer_update").expect("the 15-minute update");
    assert_eq!(update.due_by_text().as_deref(), Some("2026-11-20T09:35:00-05:00"));
    assert_eq!(update.rule.id, "FMS022");
    assert!(find(&r, "contact_market_manager").is_none());

    add(
        &mut case,
        json!({"at": "2026-11-20T09:22:00-05:00", "type": "call", "party": "provider_primary", "outcome": "voicemail"}),
    );
    let r = plan(&case, "2026-11-20T09:23:00-05:00");
    assert_eq!(r.steps[0].party.as_deref(), Some("provider_secondary"));

    add(
        &mut case,
        json!({"at": "2026-11-20T09:26:00-05:00", "type": "call", "party": "provider_secondary", "outcome": "no_answer"}),
    );
    let r = plan(&case, "2026-11-20T09:27:00-05:00");
    assert_eq!(r.steps[0].party.as_deref(), Some("provider_tertiary"));

    add(
        &mut case,
        json!({"at": "2026-11-20T09:30:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}),
    );
    let r = plan(&case, "2026-11-20T09:31:00-05:00");
    assert!(find(&r, "call_customer_update").is_none());

    add(
        &mut case,
        json!({"at": "2026-11-20T09:33:00-05:00", "type": "call", "party": "provider_tertiary", "outcome": "reached"}),
    );
    let r = plan(&case, "2026-11-20T09:34:00-05:00");
    assert_eq!(r.steps[0].action, "contact_market_manager");
    assert_eq!(r.steps[0].rule.id, "FMS021");
    assert!(
        flagged(&case, "2026-11-20T09:34:00-05:00", "FMS").is_empty(),
        "{:?}",
        flagged(&case, "2026-11-20T09:34:00-05:00", "FMS")
    );

    // The secondary provider calls back with another date: offer it, then book it.
    add(
        &mut case,
        json!({"at": "2026-11-20T10:00:00-05:00", "type": "coverage_found", "party": "provider_secondary", "date": "2026-11-22"}),
    );
    let r = plan(&case, "2026-11-20T10:01:00-05:00");
    assert!(find(&r, "contact_market_manager").is_none(), "coverage found: the hunt is over");
    let offer = find(&r, "offer_alternate_date").unwrap();
    assert_eq!(offer.due_by_text().as_deref(), Some("2026-11-20T10:15:00-05:00"));
    assert_eq!(offer.options.as_deref(), Some(&["2026-11-22".to_string()][..]));
    assert_eq!(offer.rule.id, "FMS023");

    add(
        &mut case,
        json!({"at": "2026-11-20T10:05:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-22"], "accepted_date": "2026-11-22", "source": "provider_secondary"}),
    );
    let r = plan(&case, "2026-11-20T10:06:00-05:00");
    assert!(find(&r, "offer_alternate_date").is_none());
    let book = find(&r, "reschedule_and_book").unwrap();
    assert_eq!(book.party.as_deref(), Some("provider_secondary"));

    add(
        &mut case,
        json!({"at": "2026-11-20T10:08:00-05:00", "type": "rescheduled", "date": "2026-11-22", "party": "provider_secondary"}),
    );
    let r = plan(&case, "2026-11-20T10:09:00-05:00");
    assert!(find(&r, "reschedule_and_book").is_none());
    assert!(flagged(&case, "2026-11-20T10:09:00-05:00", "FMS").is_empty());
}

#[test]
fn overdue_customer_update_is_the_most_urgent_step() {
    let mut case = opened(Some(json!({"name": null})));
    // No work_started: the 15 minutes run from opening (09:15).
    let r = plan(&case, "2026-11-20T09:40:00-05:00");
    assert_eq!(r.steps[0].action, "call_customer_update");
    assert_eq!(r.steps[0].due_by_text().as_deref(), Some("2026-11-20T09:30:00-05:00"));
    add(
        &mut case,
        json!({"at": "2026-11-20T09:41:00-05:00", "type": "call", "party": "provider_primary", "outcome": "no_answer"}),
    );
    assert_eq!(plan(&case, "2026-11-20T09:42:00-05:00").steps[0].action, "call_customer_update");
}

#[test]
fn due_times_are_in_the_case_local_offset() {
    // A UTC call-back time is shown in New York time.
    let mut case = opened(Some(json!({"name": "R. Alvarez"})));
    case["events"][2]["callback_at"] = json!("2026-11-20T18:00:00Z");
    let r = plan(&case, "2026-11-20T09:16:00-05:00");
    assert_eq!(find(&r, "call_customer_back").unwrap().due_by_text().as_deref(), Some("2026-11-20T13:00:00-05:00"));
}

#[test]
fn a_closed_case_has_no_steps() {
    let mut case = opened(Some(json!({"name": "R. Alvarez"})));
    add(&mut case, json!({"at": "2026-11-21T15:00:00-05:00", "type": "job_completed"}));
    case["closing"] = json!({"closed_at": "2026-11-21T16:00:00-05:00", "closed_by": {"agent_id": "ag-1", "role": "resolution_care_back_office"},
        "basis": "resolved", "resolved_by": "INSTALLS Inc", "final_responsibility": "installation_company", "reason": "Technician-No-Call No-Show", "notes": "done"});
    let r = plan(&case, "2026-11-21T16:05:00-05:00");
    assert_eq!(r.state, Some(CaseState::Closed));
    assert!(r.steps.is_empty());
}

/// Do what a step says, as the event a diligent agent would record at `at`.
fn perform(case: &mut Value, step: &Step, at: &str) {
    let party = step.party.clone().unwrap_or_default();
    let event = match step.action.as_str() {
        "determine_reschedule_reason" => {
            json!({"type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"})
        }
        "offer_reschedule_dates" => {
            json!({"type": "reschedule_offered", "dates": ["2026-11-25", "2026-11-26"], "accepted_date": null})
        }
        "set_callback_time" => json!({"type": "callback_set", "callback_at": "2026-11-20T13:00:00-05:00"}),
        "set_status_prescheduled_rejected" => json!({"type": "status_changed", "to": "prescheduled_rejected"}),
        "open_fms_escalation" => {
            case["opened_at"] = json!(at);
            return;
        }
        "call_assigned_servicer" | "call_provider" => json!({"type": "call", "party": party, "outcome": "no_answer"}),
        "email_market_manager" | "contact_market_manager" => json!({"type": "email", "party": "market_manager"}),
        "call_market_manager" => json!({"type": "call", "party": "market_manager", "outcome": "reached"}),
        "call_customer_update" | "call_customer_back" => {
            json!({"type": "call", "party": "customer", "outcome": "reached"})
        }
        "offer_alternate_date" => {
            let date = step.options.as_ref().unwrap()[0].clone();
            json!({"type": "reschedule_offered", "dates": [date], "accepted_date": date})
        }
        "reschedule_and_book" => {
            json!({"type": "rescheduled", "date": step.options.as_ref().unwrap()[0], "party": party})
        }
        "first_touch" | "update_escalation" => json!({"type": "update"}),
        other => panic!("unexpected step {other}"),
    };
    let mut event = event;
    event["at"] = json!(at);
    add(case, event);
}

/// Follow the plan from an empty case: always do the first step that is due now (or jump to
/// the next due time), and check after every step that validate flags nothing of RS/FMS.
fn follow_the_plan(market_manager: Value, outside: &[(&str, Value)]) -> Vec<&'static str> {
    let mut case = not_opened();
    let mut now = parse_now("2026-11-20T09:00:00-05:00").unwrap();
    let mut done = Vec::new();
    let mut pending_outside: Vec<(escalint::Timestamp, Value)> =
        outside.iter().map(|(t, e)| (parse_now(t).unwrap(), e.clone())).collect();
    for _ in 0..40 {
        // Things the agent does not control (replies, coverage) happen at their time.
        pending_outside.retain(|(t, e)| {
            if *t <= now {
                let mut e = e.clone();
                e["at"] = json!(t.to_rfc3339());
                add(&mut case, e);
                false
            } else {
                true
            }
        });
        let at = now.to_rfc3339();
        let report = plan(&case, &at);
        let first_outside = pending_outside.iter().map(|(t, _)| *t).min();
        let Some(next) = report.steps.iter().find(|s| s.action != "wait_for_job_completion") else {
            // Nothing to do but wait for the outside world.
            match first_outside {
                Some(t) => {
                    now = t;
                    continue;
                }
                None => break,
            }
        };
        let due = next.due_by_text().as_deref().map(|d| parse_now(d).unwrap());
        if let Some(d) = due.filter(|d| *d > now + chrono::Duration::minutes(5)) {
            // Not due yet: wait for it, or for an outside event that comes first.
            now = first_outside.filter(|t| *t < d).unwrap_or(d - chrono::Duration::minutes(5));
            continue;
        }
        if next.action == "lookup_market_manager" {
            case["market_manager"] = market_manager.clone();
        } else {
            perform(&mut case, next, &at);
        }
        done.push(next.action.as_str());
        now += chrono::Duration::minutes(3);
        let flags = flagged(&case, &now.to_rfc3339(), "RS")
            .into_iter()
            .chain(flagged(&case, &now.to_rfc3339(), "FMS"))
            .collect::<Vec<_>>();
        assert!(flags.is_empty(), "after {done:?}: {flags:?}");
    }
    // The timeliness steps (an update every 24 h) recur while the job is pending; the FMS
    // order is what these tests compare.
    done.retain(|a| !matches!(*a, "update_escalation" | "first_touch"));
    done
}

#[test]
fn following_the_plan_with_a_market_manager_never_breaks_a_rule() {
    let done = follow_the_plan(
        json!({"name": "R. Alvarez"}),
        &[("2026-11-20T11:00:00-05:00", json!({"type": "market_manager_response", "coverage_found": true}))],
    );
    assert_eq!(
        done,
        [
            "determine_reschedule_reason",
            "offer_reschedule_dates",
            "set_callback_time",
            "set_status_prescheduled_rejected",
            "open_fms_escalation",
            "lookup_market_manager",
            "call_assigned_servicer",
            "email_market_manager",
            "call_customer_back"
        ]
    );
}

#[test]
fn following_the_plan_without_a_market_manager_never_breaks_a_rule() {
    let done = follow_the_plan(
        json!({"name": null}),
        &[(
            "2026-11-20T10:30:00-05:00",
            json!({"type": "coverage_found", "party": "provider_secondary", "date": "2026-11-22"}),
        )],
    );
    assert_eq!(
        done,
        [
            "determine_reschedule_reason",
            "offer_reschedule_dates",
            "set_callback_time",
            "set_status_prescheduled_rejected",
            "open_fms_escalation",
            "lookup_market_manager",
            "call_provider",
            "call_provider",
            "call_provider",
            "call_customer_update",
            "contact_market_manager",
            "offer_alternate_date",
            "reschedule_and_book"
        ]
    );
}

#[test]
fn no_escalation_is_proposed_without_a_trigger() {
    // The job is three days out and this is the first missed appointment: reschedule, do not escalate.
    let mut case = not_opened();
    case["order"]["scheduled_for"] = json!("2026-11-23");
    add(
        &mut case,
        json!({"at": "2026-11-20T09:02:00-05:00", "type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"}),
    );
    add(
        &mut case,
        json!({"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25"], "accepted_date": null}),
    );
    let r = plan(&case, "2026-11-20T09:07:00-05:00");
    assert!(find(&r, "open_fms_escalation").is_none(), "{:?}", actions(&r));
    // Tomorrow in local time (late evening in New York is already the next day in UTC).
    case["order"]["scheduled_for"] = json!("2026-11-21");
    let r = plan(&case, "2026-11-21T03:30:00Z");
    assert!(find(&r, "open_fms_escalation").is_some(), "22:30 on the 20th in New York: the 21st is tomorrow");
    // The 2nd missed appointment is a trigger whatever the date.
    case["order"]["scheduled_for"] = json!("2026-11-23");
    case["order"]["missed_appointments"] = json!(2);
    assert!(find(&plan(&case, "2026-11-20T09:07:00-05:00"), "open_fms_escalation").is_some());
}
