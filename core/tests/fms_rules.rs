//! Focused tests for the reschedule (RS001–RS007) and FMS (FMS001–FMS032) rules: local dates
//! across zones and daylight-saving days, deadlines that have not passed yet, phone digits,
//! label folding, skipped rules when inputs are missing.

use escalint::Proposal;
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

mod common;

/// A correctly opened FMS case (the contract's example), Market Manager branch, servicer called.
fn case() -> Value {
    let mut case = common::without(common::fms_case(), &["channel", "sensitive_qualifiers"]);
    case["id"] = json!("ESC-RULES-1");
    case["escalation"]["notes"] = json!("Customer keeps 11/21.");
    case
}

fn add(case: &mut Value, event: Value) {
    case["events"].as_array_mut().unwrap().push(event);
}

/// `rule path` of every violation of the RS/FMS rules at `now`.
fn found(case: &Value, now: &str) -> Vec<String> {
    Engine::new()
        .validate(case, Some(parse_now(now).unwrap()))
        .violations
        .into_iter()
        .filter(|v| v.rule.starts_with("RS") || v.rule.starts_with("FMS"))
        .map(|v| format!("{} {}", v.rule, v.path))
        .collect()
}

fn has(case: &Value, now: &str, rule: &str) -> bool {
    found(case, now).iter().any(|f| f.split(' ').next() == Some(rule))
}

const EARLY: &str = "2026-11-20T09:21:00-05:00";

#[test]
fn the_base_case_is_clean() {
    assert!(found(&case(), EARLY).is_empty(), "{:?}", found(&case(), EARLY));
}

// RS001 ---------------------------------------------------------------------------------

#[test]
fn rs001_same_day_next_day_and_second_missed_appointment() {
    let mut c = case();
    c["order"]["scheduled_for"] = json!("2026-11-20");
    assert!(!has(&c, EARLY, "RS001"));
    c["order"]["scheduled_for"] = json!("2026-11-22");
    assert_eq!(found(&c, EARLY), ["RS001 /order/scheduled_for"]);
    c["order"]["missed_appointments"] = json!(2);
    assert!(!has(&c, EARLY, "RS001"), "the 2nd missed appointment is a trigger whatever the date");
}

#[test]
fn rs001_uses_the_local_date_of_the_iana_zone_not_utc() {
    // 03:30 UTC on the 21st is 22:30 on the 20th in New York: the 22nd is two days away.
    let mut c = case();
    c["opened_at"] = json!("2026-11-21T03:30:00Z");
    c["order"]["scheduled_for"] = json!("2026-11-22");
    assert!(has(&c, "2026-11-21T03:40:00Z", "RS001"));
    c["order"]["scheduled_for"] = json!("2026-11-21");
    assert!(!has(&c, "2026-11-21T03:40:00Z", "RS001"));
    // Without a zone the offset written in opened_at (UTC here) decides: the 22nd is tomorrow.
    c["timezone"] = Value::Null;
    c["order"]["scheduled_for"] = json!("2026-11-22");
    assert!(!has(&c, "2026-11-21T03:40:00Z", "RS001"));
}

#[test]
fn rs001_on_daylight_saving_days() {
    // 2026-03-08: clocks spring forward in New York. 23:30 EDT is 03:30 UTC on the 9th.
    let mut c = case();
    c["opened_at"] = json!("2026-03-09T03:30:00Z");
    c["order"]["scheduled_for"] = json!("2026-03-09");
    assert!(!has(&c, "2026-03-09T04:00:00Z", "RS001"), "local day is the 8th; the 9th is tomorrow");
    c["order"]["scheduled_for"] = json!("2026-03-10");
    assert!(has(&c, "2026-03-09T04:00:00Z", "RS001"));
    // 2026-11-01: clocks fall back. 00:30 EDT (04:30 UTC) and 01:30 EST (06:30 UTC) are both the 1st.
    c["opened_at"] = json!("2026-11-01T06:30:00Z");
    c["order"]["scheduled_for"] = json!("2026-11-02");
    assert!(!has(&c, "2026-11-01T07:00:00Z", "RS001"));
    c["order"]["scheduled_for"] = json!("2026-10-31");
    assert!(has(&c, "2026-11-01T07:00:00Z", "RS001"));
}

#[test]
fn rs001_is_skipped_without_a_scheduled_date() {
    let mut c = case();
    c["order"].as_object_mut().unwrap().remove("scheduled_for");
    assert!(!has(&c, EARLY, "RS001"));
}

// RS002–RS004, RS007 ----------------------------------------------------------------------

#[test]
fn rs002_to_rs004_need_the_steps_before_opening() {
    let mut c = case();
    // Move the offer, call-back and status change after opening: they no longer count.
    for i in 1..=3 {
        c["events"][i]["at"] = json!("2026-11-20T09:30:00-05:00");
    }
    let f = found(&c, "2026-11-20T09:31:00-05:00");
    for rule in ["RS002", "RS003", "RS004"] {
        assert!(f.iter().any(|x| x.starts_with(rule)), "{rule} missing in {f:?}");
    }
}

#[test]
fn rs002_an_accepted_offer_is_no_refusal() {
    let mut c = case();
    c["events"][1]["accepted_date"] = json!("2026-11-25");
    assert!(has(&c, EARLY, "RS002"));
}

#[test]
fn rs004_status_label_is_folded() {
    let mut c = case();
    c["events"][3]["to"] = json!("Prescheduled – Rejected");
    assert!(!has(&c, EARLY, "RS004"));
    c["events"][3]["to"] = json!("scheduled");
    assert!(has(&c, EARLY, "RS004"));
}

#[test]
fn rs_steps_are_not_judged_before_opening() {
    let mut c = case();
    c.as_object_mut().unwrap().remove("opened_at");
    c["events"] = json!([]);
    assert!(found(&c, EARLY).is_empty(), "{:?}", found(&c, EARLY));
}

#[test]
fn rs007_dates_offered_before_the_reason() {
    let mut c = case();
    c["events"][0]["at"] = json!("2026-11-20T09:07:00-05:00");
    assert_eq!(found(&c, EARLY), ["RS007 /events/1"]);
}

// RS005, RS006 ----------------------------------------------------------------------------

#[test]
fn rs005_phone_compared_by_digits_with_us_country_code() {
    let mut c = case();
    c["escalation"]["escalator_phone"] = json!("+1 (404) 555-0134");
    assert!(!has(&c, EARLY, "RS005"));
    c["escalation"]["escalator_phone"] = json!("404.555.0134");
    assert!(!has(&c, EARLY, "RS005"));
    c["escalation"]["escalator_phone"] = json!("404-555-0135");
    assert_eq!(found(&c, EARLY), ["RS005 /escalation/escalator_phone"]);
}

#[test]
fn rs005_labels_folded_names_and_a_number_case_insensitive() {
    let mut c = case();
    c["escalation"]["escalation_for"] = json!("INSTALLS inc");
    c["escalation"]["ownership"] = json!("install  support");
    c["escalation"]["type"] = json!("field management support.");
    c["escalation"]["installer_a_number"] = json!(" a104233 ");
    c["escalation"]["escalator_first_name"] = json!("dana ");
    assert!(!has(&c, EARLY, "RS005"), "{:?}", found(&c, EARLY));
}

#[test]
fn rs005_one_violation_per_wrong_field() {
    let mut c = case();
    c["escalation"]["escalation_for"] = json!("Field Management");
    c["escalation"]["installer_a_number"] = json!("A200871");
    c["escalation"]["escalator_title"] = Value::Null;
    c["escalation"]["escalator_last_name"] = json!("Okafur");
    let mut f = found(&c, EARLY);
    f.sort();
    assert_eq!(
        f,
        [
            "RS005 /escalation/escalation_for",
            "RS005 /escalation/escalator_last_name",
            "RS005 /escalation/escalator_title",
            "RS005 /escalation/installer_a_number"
        ]
    );
}

#[test]
fn rs006_preferred_date_may_be_written_in_the_notes() {
    let mut c = case();
    c["escalation"]["preferred_date"] = Value::Null;
    c["escalation"]["notes"] = json!("Customer insists on Nov 21, original date.");
    assert!(!has(&c, EARLY, "RS006"));
    c["escalation"]["notes"] = json!("Customer insists on the original date.");
    assert_eq!(found(&c, EARLY), ["RS006 /escalation/preferred_date"]);
    c["escalation"]["reschedule_reason"] = json!("  ");
    assert_eq!(found(&c, EARLY), ["RS006 /escalation/preferred_date", "RS006 /escalation/reschedule_reason"]);
}

// FMS001–FMS011 ---------------------------------------------------------------------------

#[test]
fn fms001_lookup_missing_only_once_opened() {
    let mut c = case();
    c.as_object_mut().unwrap().remove("market_manager");
    assert_eq!(found(&c, EARLY), ["FMS001 /market_manager"]);
    c["market_manager"] = json!({"name": null});
    assert!(!has(&c, EARLY, "FMS001"));
}

#[test]
fn fms001_waits_until_the_case_is_worked_or_the_day_ends() {
    let mut c = case();
    c.as_object_mut().unwrap().remove("market_manager");
    c["events"].as_array_mut().unwrap().pop(); // no servicer call yet
    assert!(!has(&c, "2026-11-20T09:16:00-05:00", "FMS001"), "just opened: the look-up is the next step");
    // A customer call does not depend on the look-up.
    add(&mut c, json!({"at": "2026-11-20T09:30:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    assert!(!has(&c, "2026-11-20T23:59:59-05:00", "FMS001"));
    assert!(has(&c, "2026-11-21T00:00:00-05:00", "FMS001"), "the local day of opening is over");
    // Contacting a provider presumes the look-up's answer.
    add(
        &mut c,
        json!({"at": "2026-11-20T09:40:00-05:00", "type": "call", "party": "provider_primary", "outcome": "no_answer"}),
    );
    assert!(has(&c, "2026-11-20T09:41:00-05:00", "FMS001"));
}

#[test]
fn fms010_servicer_call_before_opening_counts_as_contacted() {
    let mut c = case();
    c["events"][4]["at"] = json!("2026-11-20T09:01:00-05:00");
    add(&mut c, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    assert!(!has(&c, "2026-11-20T09:26:00-05:00", "FMS010"));
    let mut c = case();
    c["events"].as_array_mut().unwrap().pop();
    add(&mut c, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    assert_eq!(found(&c, "2026-11-20T09:26:00-05:00"), ["FMS010 /events/4"]);
}

#[test]
fn fms011_call_before_email_unless_escalated_or_stalled() {
    let mut c = case();
    add(
        &mut c,
        json!({"at": "2026-11-20T09:25:00-05:00", "type": "call", "party": "market_manager", "outcome": "reached"}),
    );
    assert_eq!(found(&c, "2026-11-20T09:26:00-05:00"), ["FMS011 /events/5"]);
    c["priority"] = json!("Highly Escalated");
    assert!(!has(&c, "2026-11-20T09:26:00-05:00", "FMS011"));
    c["priority"] = json!("normal");
    add(&mut c, json!({"at": "2026-11-20T09:21:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    add(
        &mut c,
        json!({"at": "2026-11-20T09:23:00-05:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}),
    );
    assert!(!has(&c, "2026-11-20T09:26:00-05:00", "FMS011"), "two customer contacts without progress allow the call");
}

// FMS020–FMS023 (no Market Manager) ------------------------------------------------------------

fn no_mm() -> Value {
    let mut c = case();
    c["market_manager"] = json!({"name": null});
    c["events"][4] = json!({"at": "2026-11-20T09:18:00-05:00", "type": "work_started"});
    c
}

#[test]
fn fms020_providers_out_of_order() {
    let mut c = no_mm();
    add(
        &mut c,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "provider_secondary", "outcome": "no_answer"}),
    );
    add(&mut c, json!({"at": "2026-11-20T09:22:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    assert_eq!(found(&c, "2026-11-20T09:25:00-05:00"), ["FMS020 /events/5/party"]);
    // A tier missing from StoreFile is skipped.
    c["store_providers"] = json!({"primary": null, "secondary": "A200871", "tertiary": "A310022"});
    assert!(!has(&c, "2026-11-20T09:25:00-05:00", "FMS020"));
}

#[test]
fn fms021_market_manager_before_every_provider_tried() {
    let mut c = no_mm();
    add(
        &mut c,
        json!({"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "provider_primary", "outcome": "no_answer"}),
    );
    add(&mut c, json!({"at": "2026-11-20T09:22:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    add(&mut c, json!({"at": "2026-11-20T09:24:00-05:00", "type": "email", "party": "market_manager"}));
    assert_eq!(found(&c, "2026-11-20T09:25:00-05:00"), ["FMS021 /events/7"]);
}

#[test]
fn fms022_only_once_the_15_minutes_have_passed() {
    let c = no_mm();
    // Work started 09:18: due 09:33.
    assert!(!has(&c, "2026-11-20T09:33:00-05:00", "FMS022"));
    assert_eq!(found(&c, "2026-11-20T09:33:01-05:00"), ["FMS022 /events/4"]);
    let mut kept = no_mm();
    add(
        &mut kept,
        json!({"at": "2026-11-20T09:33:00-05:00", "type": "call", "party": "customer", "outcome": "voicemail"}),
    );
    assert!(!has(&kept, "2026-11-20T12:00:00-05:00", "FMS022"), "an attempt counts, whatever its outcome");
    let mut late = no_mm();
    add(
        &mut late,
        json!({"at": "2026-11-20T09:34:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}),
    );
    assert!(has(&late, "2026-11-20T12:00:00-05:00", "FMS022"));
}

#[test]
fn fms022_runs_from_opening_without_work_started() {
    let mut c = no_mm();
    c["events"].as_array_mut().unwrap().pop();
    assert!(!has(&c, "2026-11-20T09:30:00-05:00", "FMS022"));
    assert_eq!(found(&c, "2026-11-20T09:31:00-05:00"), ["FMS022 /opened_at"]);
}

#[test]
fn fms023_alternate_date_offered_to_the_customer() {
    let mut c = no_mm();
    add(&mut c, json!({"at": "2026-11-20T09:25:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    add(
        &mut c,
        json!({"at": "2026-11-20T09:40:00-05:00", "type": "call", "party": "provider_primary", "outcome": "reached"}),
    );
    add(
        &mut c,
        json!({"at": "2026-11-20T09:41:00-05:00", "type": "coverage_found", "party": "provider_primary", "date": "2026-11-23"}),
    );
    assert!(!has(&c, "2026-11-20T09:56:00-05:00", "FMS023"), "not yet past the 15 minutes");
    assert_eq!(found(&c, "2026-11-20T09:57:00-05:00"), ["FMS023 /events/7"]);
    // A different date offered does not count; the found date does.
    add(
        &mut c,
        json!({"at": "2026-11-20T09:50:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-24"], "accepted_date": null}),
    );
    assert!(has(&c, "2026-11-20T10:30:00-05:00", "FMS023"));
    add(
        &mut c,
        json!({"at": "2026-11-20T09:52:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-23"], "accepted_date": null}),
    );
    assert!(!has(&c, "2026-11-20T10:30:00-05:00", "FMS023"));
}

// FMS030–FMS032 -----------------------------------------------------------------------------

#[test]
fn fms030_call_back_time_plus_grace() {
    let mut c = case();
    add(&mut c, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    // Call-back 13:00, grace 15 min.
    assert!(!has(&c, "2026-11-20T13:15:00-05:00", "FMS030"));
    assert_eq!(found(&c, "2026-11-20T13:16:00-05:00"), ["FMS030 /events/2/callback_at"]);
    add(
        &mut c,
        json!({"at": "2026-11-20T13:10:00-05:00", "type": "call", "party": "customer", "outcome": "no_answer"}),
    );
    assert!(!has(&c, "2026-11-20T18:00:00-05:00", "FMS030"));
}

#[test]
fn fms030_market_manager_reply_first_moves_the_deadline_earlier() {
    let mut c = case();
    add(&mut c, json!({"at": "2026-11-20T09:25:00-05:00", "type": "email", "party": "market_manager"}));
    add(&mut c, json!({"at": "2026-11-20T10:00:00-05:00", "type": "market_manager_response", "coverage_found": true}));
    add(
        &mut c,
        json!({"at": "2026-11-20T10:00:00-05:00", "type": "coverage_found", "party": "market_manager", "date": "2026-11-21"}),
    );
    add(
        &mut c,
        json!({"at": "2026-11-20T10:05:00-05:00", "type": "rescheduled", "party": "market_manager", "date": "2026-11-21"}),
    );
    assert!(!has(&c, "2026-11-20T10:15:00-05:00", "FMS030"));
    assert!(has(&c, "2026-11-20T10:16:00-05:00", "FMS030"), "{:?}", found(&c, "2026-11-20T10:16:00-05:00"));
    add(&mut c, json!({"at": "2026-11-20T12:30:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    assert!(
        has(&c, "2026-11-20T13:30:00-05:00", "FMS030"),
        "12:30 is before the call-back time but after the reply's deadline"
    );
}

#[test]
fn fms031_undocumented_contacts_are_warnings() {
    let mut c = case();
    c["events"][4]["documented"] = json!(false);
    let report = Engine::new().validate(&c, Some(parse_now(EARLY).unwrap()));
    let v: Vec<_> = report.violations.iter().filter(|v| v.rule == "FMS031").collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path, "/events/4/documented");
    assert_eq!(v[0].severity, escalint::Severity::Warning);
}

fn closing(basis: &str) -> Value {
    json!({"closed_at": "2026-11-22T16:40:00-05:00", "closed_by": {"agent_id": "ag-311", "role": "resolution_care_back_office"},
        "basis": basis, "resolved_by": "INSTALLS Inc", "final_responsibility": "installation_company",
        "reason": "Technician-No-Call No-Show", "notes": "Secondary provider completed the job."})
}

#[test]
fn fms032_closing_needs_the_job_completed_by_then() {
    let engine = Engine::new();
    let now = Some(parse_now("2026-11-22T16:45:00-05:00").unwrap());
    let mut c = case();
    let proposal = closing("resolved");
    let fms032 = |r: &escalint::CanCloseReport| r.violations.iter().any(|v| v.rule == "FMS032" && v.path == "/closing");
    assert!(fms032(&engine.can_close(&c, Some(Proposal::from(&proposal)), now)));
    // Completed after the closing time: still too early.
    c["order"]["completed_at"] = json!("2026-11-22T17:00:00-05:00");
    assert!(fms032(&engine.can_close(&c, Some(Proposal::from(&proposal)), now)));
    c["order"]["completed_at"] = json!("2026-11-22T15:00:00-05:00");
    assert!(!fms032(&engine.can_close(&c, Some(Proposal::from(&proposal)), now)));
    // A cancelled order may close as no longer an issue.
    let mut cancelled = case();
    cancelled["order"]["status"] = json!("canceled");
    assert!(!fms032(&engine.can_close(&cancelled, Some(Proposal::from(&closing("no_longer_an_issue"))), now)));
    assert!(fms032(&engine.can_close(&cancelled, Some(Proposal::from(&closing("resolved"))), now)));
}

// The bundled FMS example cases -------------------------------------------------------------

fn example(name: &str) -> Value {
    common::example(&format!("field_management_support/{name}"))
}

#[test]
fn clean_closed_example_has_zero_violations_and_may_close() {
    let engine = Engine::new();
    for name in ["clean.json", "clean-no-market-manager.json"] {
        let case = example(name);
        let report = engine.validate(&case, None);
        assert!(report.violations.is_empty(), "{name}: {:?}", report.violations);
        assert!(report.valid);
        assert!(engine.can_close(&case, None, None).allowed, "{name}");
    }
}

#[test]
fn clean_open_example_is_compliant_as_of_its_moment() {
    let engine = Engine::new();
    let case = example("clean-open-no-market-manager.json");
    let as_of = parse_now(case["as_of"].as_str().unwrap()).unwrap();
    let report = engine.validate(&case, Some(as_of));
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    let plan = engine.next_steps(&case, Some(as_of));
    let back = plan.steps.iter().find(|s| s.action == "call_customer_back").expect("the call-back is pending");
    assert_eq!(
        back.due_by_text().as_deref(),
        Some("2026-11-20T12:00:00-05:00"),
        "the follow-up set on the update call"
    );
    assert!(plan.steps.iter().any(|s| s.action == "wait_for_job_completion"));
    assert!(!plan
        .steps
        .iter()
        .any(|s| matches!(s.action.as_str(), "call_provider" | "contact_market_manager" | "call_customer_update")));
    // Left alone past the call-back time and its grace, it breaks FMS030.
    let later = parse_now("2026-11-20T12:16:00-05:00").unwrap();
    assert!(engine.validate(&case, Some(later)).violations.iter().any(|v| v.rule == "FMS030"));
}

#[test]
fn broken_examples_break_the_rule_they_are_named_for() {
    let engine = Engine::new();
    for (name, rule) in [
        ("broken-providers-out-of-order.json", "FMS020"),
        ("broken-no-customer-update-in-15-minutes.json", "FMS022"),
        ("broken-customer-not-called-back.json", "FMS030"),
        ("broken-opened-without-reschedule-steps.json", "RS002"),
        ("broken-opened-without-reschedule-steps.json", "RS003"),
        ("broken-opened-without-reschedule-steps.json", "RS001"),
        ("broken-closed-before-job-completed.json", "FMS032"),
        ("broken-escalation-form.json", "RS005"),
        ("broken-market-manager-before-servicer.json", "FMS010"),
    ] {
        let report = engine.validate(&example(name), None);
        assert!(!report.valid, "{name}");
        assert!(report.violations.iter().any(|v| v.rule == rule), "{name}: expected {rule} in {:?}", report.violations);
    }
}
