//! can_close for every basis, proposals vs the record's own closing, and an installs escalation
//! followed through next_steps from first touch to closing.

mod common;

use common::{closing, customer_call, installs_case, rules_of};
use escalint::Proposal;
use escalint::{parse_now, CaseState, Engine};
use serde_json::{json, Value};

fn can_close(case: &Value, proposal: Option<&Value>, now: &str) -> escalint::CanCloseReport {
    Engine::new().can_close(case, proposal.map(Proposal::from), Some(parse_now(now).unwrap()))
}

fn with_events(events: Value) -> Value {
    let mut case = installs_case();
    case["events"] = events;
    case
}

#[test]
fn resolved_and_no_longer_an_issue_may_close_an_installs_case() {
    let case = installs_case();
    for basis in ["resolved", "no_longer_an_issue"] {
        let report = can_close(
            &case,
            Some(&closing(basis, "installation_company", "Unresponsive")),
            "2026-11-20T16:00:00-05:00",
        );
        assert!(report.allowed, "{basis}: {:?}", report.violations);
        assert!(report.violations.is_empty());
    }
}

#[test]
fn no_contact_needs_three_failed_attempts_since_the_customer_was_last_reached() {
    let proposal = closing("no_contact", "customer", "Unresponsive to Installs Inc");
    let two = with_events(json!([
        customer_call("2026-11-20T10:00:00-05:00", "reached"),
        customer_call("2026-11-20T11:00:00-05:00", "no_answer"),
        customer_call("2026-11-20T13:00:00-05:00", "voicemail")
    ]));
    let report = can_close(&two, Some(&proposal), "2026-11-20T16:00:00-05:00");
    assert!(!report.allowed);
    assert_eq!(rules_of(&report.violations), ["CL002"]);
    assert_eq!(report.violations[0].path, "/closing/basis");
    assert!(
        report.violations[0].message.contains("only 2 failed contact attempts since the customer was last reached"),
        "{}",
        report.violations[0].message
    );

    let mut three = two.clone();
    three["events"]
        .as_array_mut()
        .unwrap()
        .push(json!({"at": "2026-11-20T15:00:00-05:00", "type": "email", "party": "customer"}));
    assert!(can_close(&three, Some(&proposal), "2026-11-20T16:00:00-05:00").allowed);

    // Reaching the customer starts the count again.
    let reset = with_events(json!([
        customer_call("2026-11-20T10:00:00-05:00", "no_answer"),
        customer_call("2026-11-20T11:00:00-05:00", "busy"),
        {"at": "2026-11-20T12:00:00-05:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"},
        customer_call("2026-11-20T13:00:00-05:00", "no_answer"),
        customer_call("2026-11-20T14:00:00-05:00", "wrong_number")
    ]));
    let report = can_close(&reset, Some(&proposal), "2026-11-20T16:00:00-05:00");
    assert!(!report.allowed);
    assert!(report.violations[0].message.contains("only 2 failed"), "{}", report.violations[0].message);

    // Attempts after the proposed closing time do not count.
    let mut early = proposal.clone();
    early["closed_at"] = "2026-11-20T14:30:00-05:00".into();
    assert!(!can_close(&three, Some(&early), "2026-11-20T16:00:00-05:00").allowed);
}

#[test]
fn never_reached_customers_are_counted_from_the_start() {
    let case = with_events(json!([
        customer_call("2026-11-20T10:00:00-05:00", "no_answer"),
        customer_call("2026-11-20T12:00:00-05:00", "no_answer")
    ]));
    let report = can_close(
        &case,
        Some(&closing("no_contact", "customer", "Unresponsive to Installs Inc")),
        "2026-11-20T16:00:00-05:00",
    );
    assert!(!report.allowed);
    assert!(
        report.violations[0].message.contains("only 2 failed contact attempts and the customer was never reached"),
        "{}",
        report.violations[0].message
    );
}

#[test]
fn a_proposal_replaces_the_records_own_closing() {
    let mut case = installs_case();
    let mut bad = closing("resolved", "installation_company", "Buyer's remorse");
    bad["resolved_by"] = "Lakeside Installs".into();
    case["closing"] = bad;
    let own = can_close(&case, None, "2026-11-20T16:00:00-05:00");
    assert!(!own.allowed);
    assert_eq!(rules_of(&own.violations), ["CL003", "CL005"]);
    let good = closing("resolved", "customer", "Buyer's remorse");
    let proposed = can_close(&case, Some(&good), "2026-11-20T16:00:00-05:00");
    assert!(proposed.allowed, "{:?}", proposed.violations);
}

#[test]
fn nothing_to_judge_and_incomplete_proposals_say_what_is_missing() {
    let case = installs_case();
    let none = can_close(&case, None, "2026-11-20T16:00:00-05:00");
    assert!(!none.allowed);
    assert_eq!(none.violations[0].rule, "REC002");
    assert_eq!(none.violations[0].path, "/closing");

    let report =
        can_close(&case, Some(&json!({"resolved_by": "INSTALLS Inc", "notes": "x"})), "2026-11-20T16:00:00-05:00");
    assert!(!report.allowed);
    let paths: Vec<&str> = report.violations.iter().map(|v| v.path.as_str()).collect();
    for missing in ["/closing/basis", "/closing/closed_by/role", "/closing/final_responsibility", "/closing/reason"] {
        assert!(paths.contains(&missing), "{missing} not reported: {paths:?}");
    }
}

#[test]
fn installs_scenario_first_touch_then_updates_then_close() {
    let engine = Engine::new();
    let mut case = installs_case();
    case["events"] = json!([]);
    let at = |t: &str| Some(parse_now(t).unwrap());

    // Just opened: first touch due by the end of the local day; closing already possible.
    let plan = engine.next_steps(&case, at("2026-11-20T09:30:00-05:00"));
    assert_eq!(plan.steps[0].action, "first_touch");
    assert_eq!(plan.steps[0].due_by_text().as_deref(), Some("2026-11-21T00:00:00-05:00"));
    assert!(plan.steps.iter().any(|s| s.action == "close_escalation"));
    assert_eq!(plan.state, Some(CaseState::ReadyToClose), "first touch is due later today, closing is possible now");

    // The day ended untouched: first touch is overdue, the case is open and TM001 fires.
    let plan = engine.next_steps(&case, at("2026-11-21T08:00:00-05:00"));
    assert_eq!(plan.steps[0].action, "first_touch");
    assert_eq!(plan.state, Some(CaseState::Open));

    // Touched at 10:00: the next update is due 24 h later.
    case["events"] = json!([customer_call("2026-11-20T10:00:00-05:00", "reached")]);
    let plan = engine.next_steps(&case, at("2026-11-20T12:00:00-05:00"));
    assert_eq!(plan.steps[0].action, "update_escalation");
    assert_eq!(plan.steps[0].due_by_text().as_deref(), Some("2026-11-21T10:00:00-05:00"));
    let options = plan.steps.iter().find(|s| s.action == "close_escalation").and_then(|s| s.options.clone()).unwrap();
    assert_eq!(options, ["resolved", "no_longer_an_issue"], "the customer was reached: no_contact is not offered");
    assert!(engine.validate(&case, at("2026-11-20T12:00:00-05:00")).violations.is_empty());

    // Updated the next morning; three failed attempts later no_contact is offered too.
    for (t, kind) in [
        ("2026-11-21T09:00:00-05:00", "no_answer"),
        ("2026-11-21T13:00:00-05:00", "voicemail"),
        ("2026-11-22T09:00:00-05:00", "busy"),
    ] {
        case["events"].as_array_mut().unwrap().push(customer_call(t, kind));
    }
    let plan = engine.next_steps(&case, at("2026-11-22T10:00:00-05:00"));
    assert_eq!(plan.steps[0].due_by_text().as_deref(), Some("2026-11-23T09:00:00-05:00"));
    let options = plan.steps.iter().find(|s| s.action == "close_escalation").and_then(|s| s.options.clone()).unwrap();
    assert_eq!(options, ["resolved", "no_contact", "no_longer_an_issue"]);

    // Close with no_contact: the case is closed, compliant, and planning stops.
    let mut c = closing("no_contact", "customer", "Unresponsive to Installs Inc");
    c["closed_at"] = "2026-11-22T10:05:00-05:00".into();
    case["closing"] = c;
    assert!(engine.can_close(&case, None, None).allowed);
    let report = engine.validate(&case, None);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    let plan = engine.next_steps(&case, None);
    assert_eq!(plan.state, Some(CaseState::Closed));
    assert!(plan.steps.is_empty());
}

#[test]
fn the_clean_installs_example_is_compliant_and_may_close() {
    let text = common::example_text("installs_escalation/clean.json");
    let engine = Engine::new();
    let report = engine.validate(&text, None);
    assert!(report.valid && report.violations.is_empty(), "{:?}", report.violations);
    assert!(engine.can_close(&text, None, None).allowed);
}

#[test]
fn each_broken_installs_example_breaks_the_rule_its_name_says() {
    let engine = Engine::new();
    for (file, rules) in [
        ("broken-closer-role-not-allowed.json", &["CL001"][..]),
        ("broken-damage-claim-reason.json", &["CL006"][..]),
        ("broken-no-contact-after-two-attempts.json", &["CL002"][..]),
        ("broken-no-first-touch.json", &["TM001"][..]),
        ("broken-reason-of-another-party.json", &["CL005"][..]),
        ("broken-three-day-gap.json", &["TM002"][..]),
    ] {
        let report = engine.validate(common::example_text(&format!("installs_escalation/{file}")), None);
        let errors: Vec<&str> =
            report.violations.iter().filter(|v| v.severity == escalint::Severity::Error).map(|v| v.rule).collect();
        assert_eq!(errors, rules, "{file}: {:?}", report.violations);
    }
}

#[test]
fn unflagged_sensitive_qualifiers_block_closing_until_flagged() {
    // LD009 applies to every procedure: can_close refuses, and next_steps offers the flag
    // instead of the closing, until a flagged_for_review event covers the qualifiers.
    let engine = Engine::new();
    let now = Some(parse_now("2026-11-20T16:00:00-05:00").unwrap());
    let proposal = closing("resolved", "installation_company", "Unresponsive");
    let mut case = installs_case();
    case["sensitive_qualifiers"] = json!(["Slander"]);

    let report = engine.can_close(&case, Some(Proposal::from(&proposal)), now);
    assert!(!report.allowed);
    assert_eq!(rules_of(&report.violations), ["LD009"]);
    let plan = engine.next_steps(&case, now);
    let actions: Vec<&str> = plan.steps.iter().map(|s| s.action.as_str()).collect();
    assert!(actions.contains(&"flag_for_review") && !actions.contains(&"close_escalation"), "{actions:?}");
    assert_ne!(plan.state, Some(CaseState::ReadyToClose));

    case["events"]
        .as_array_mut()
        .unwrap()
        .push(json!({"at": "2026-11-20T15:00:00-05:00", "type": "flagged_for_review", "qualifiers": ["slander"]}));
    let report = engine.can_close(&case, Some(Proposal::from(&proposal)), now);
    assert!(report.allowed, "{:?}", report.violations);
    let actions: Vec<&str> = engine.next_steps(&case, now).steps.iter().map(|s| s.action.as_str()).collect();
    assert!(actions.contains(&"close_escalation") && !actions.contains(&"flag_for_review"), "{actions:?}");
}
