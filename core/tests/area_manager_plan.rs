//! Walk the Area Manager process step by step: add an event, ask next_steps again.

use escalint::Proposal;
use escalint::{parse_now, Engine};

fn rules_of(violations: &[escalint::Violation]) -> Vec<&'static str> {
    violations.iter().map(|v| v.rule).collect()
}
use serde_json::{json, Value};

struct Walk {
    engine: Engine,
    case: Value,
}

impl Walk {
    fn new() -> Self {
        let case = json!({
            "id": "ESC-AM-WALK", "procedure": "area_manager_exception",
            "opened_at": "2026-11-10T10:00:00-06:00", "timezone": "America/Chicago",
            "order": {"id": "ORD-1", "status": "completed", "servicer": {"a_number": "A220914", "name": "Lakeshore"}},
            "events": []
        });
        Walk { engine: Engine::new(), case }
    }

    fn add(&mut self, event: Value) -> &mut Self {
        self.case["events"].as_array_mut().unwrap().push(event);
        self
    }

    /// (action, due_by) of every step at `now`.
    fn steps(&self, now: &str) -> Vec<(String, Option<String>)> {
        let report = self.engine.next_steps(&self.case, Some(parse_now(now).unwrap()));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
        report.steps.iter().map(|s| (s.action.to_string(), s.due_by_text())).collect()
    }

    fn first(&self, now: &str) -> (String, Option<String>) {
        self.steps(now).into_iter().next().expect("a step")
    }

    fn actions(&self, now: &str) -> Vec<String> {
        self.steps(now).into_iter().map(|s| s.0).collect()
    }

    fn validate(&self, now: &str) -> Vec<String> {
        self.engine
            .validate(&self.case, Some(parse_now(now).unwrap()))
            .violations
            .into_iter()
            .map(|v| v.rule.to_string())
            .collect()
    }
}

fn due(t: &str) -> Option<String> {
    Some(t.to_string())
}

#[test]
fn service_pro_unresponsive_path_to_the_area_manager() {
    let mut w = Walk::new();
    assert_eq!(w.first("2026-11-10T10:05:00-06:00"), ("call_service_pro".into(), due("2026-11-11T00:00:00-06:00")));

    w.add(json!({"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "no_answer"}));
    assert_eq!(
        w.first("2026-11-10T10:21:00-06:00"),
        ("leave_message_and_note".into(), due("2026-11-11T00:00:00-06:00"))
    );

    w.add(json!({"at": "2026-11-10T10:22:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"}));
    assert_eq!(w.first("2026-11-10T10:23:00-06:00").0, "leave_message_and_note", "the note is still missing");

    w.add(json!({"at": "2026-11-10T10:24:00-06:00", "type": "note", "visibility": "internal", "on": "service_job"}));
    // 24 h after the first attempt (10:20), not after the message.
    assert_eq!(
        w.first("2026-11-10T10:25:00-06:00"),
        ("wait_for_customer_callback".into(), due("2026-11-11T10:20:00-06:00"))
    );

    // A call-back before the mark is not step 2.
    w.add(json!({"at": "2026-11-11T09:00:00-06:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}));
    assert_eq!(w.first("2026-11-11T09:05:00-06:00").0, "wait_for_customer_callback");

    w.add(json!({"at": "2026-11-11T11:05:00-06:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}));
    assert_eq!(
        w.actions("2026-11-11T11:06:00-06:00"),
        ["call_service_pro_again", "open_area_manager_exception"],
        "step 2's duties block closing though their day is not over (issue 17)"
    );
    assert_eq!(w.first("2026-11-11T11:06:00-06:00").1, due("2026-11-12T00:00:00-06:00"));

    w.add(json!({"at": "2026-11-11T11:15:00-06:00", "type": "call", "party": "servicer", "outcome": "no_answer"}));
    assert_eq!(
        w.actions("2026-11-11T11:16:00-06:00"),
        ["leave_second_voicemail", "send_public_with_email_note", "open_area_manager_exception"]
    );
    w.add(json!({"at": "2026-11-11T11:16:00-06:00", "type": "call", "party": "servicer", "outcome": "voicemail"}));
    w.add(json!({"at": "2026-11-11T11:18:00-06:00", "type": "note", "visibility": "public_with_email", "on": "service_job"}));
    let report = w.engine.next_steps(&w.case, Some(parse_now("2026-11-11T11:19:00-06:00").unwrap()));
    let exception = &report.steps[0];
    assert_eq!(exception.action, "open_area_manager_exception");
    assert_eq!(exception.party.as_deref(), Some("area_manager"));
    assert_eq!(exception.options.as_ref().map(Vec::len), Some(13));

    w.add(json!({"at": "2026-11-11T11:25:00-06:00", "type": "exception_opened", "code": "SP UNRESPONSIVE", "directed_to": "area_manager"}));
    // Closing is blocked until the admin team's email (AM008).
    assert_eq!(w.actions("2026-11-11T11:26:00-06:00"), ["admin_review_email_area_manager"]);

    w.add(json!({"at": "2026-11-12T09:40:00-06:00", "type": "admin_review", "emailed_area_manager": true}));
    assert_eq!(w.actions("2026-11-12T09:41:00-06:00"), ["close_escalation"]);
    assert!(w.validate("2026-11-12T09:41:00-06:00").is_empty(), "{:?}", w.validate("2026-11-12T09:41:00-06:00"));
}

#[test]
fn service_pro_reached_at_step_one() {
    let mut w = Walk::new();
    w.add(json!({"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}));
    assert_eq!(
        w.steps("2026-11-10T10:30:00-06:00"),
        [
            ("wait_for_customer_callback".to_string(), due("2026-11-11T10:20:00-06:00")),
            ("close_escalation".to_string(), None)
        ]
    );
    // Second attempt reached: no voicemail or note, only the exception.
    w.add(json!({"at": "2026-11-11T12:00:00-06:00", "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}));
    w.add(json!({"at": "2026-11-11T12:10:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}));
    assert_eq!(w.actions("2026-11-11T12:11:00-06:00"), ["open_area_manager_exception"]);
}

/// The wait crosses the fall-back change: the due time is 24 elapsed hours later, 09:00 CDT → 08:00 CST.
#[test]
fn callback_mark_across_dst() {
    let mut w = Walk::new();
    w.case["opened_at"] = json!("2026-10-31T08:30:00-05:00");
    w.add(json!({"at": "2026-10-31T09:00:00-05:00", "type": "call", "party": "servicer", "outcome": "reached"}));
    assert_eq!(
        w.first("2026-10-31T10:00:00-05:00"),
        ("wait_for_customer_callback".into(), due("2026-11-01T08:00:00-06:00"))
    );
}

#[test]
fn sensitive_qualifiers_add_a_flag_step() {
    let mut w = Walk::new();
    w.case["sensitive_qualifiers"] = json!(["Slander"]);
    let report = w.engine.next_steps(&w.case, Some(parse_now("2026-11-10T10:05:00-06:00").unwrap()));
    let flag = report.steps.iter().find(|s| s.action == "flag_for_review").expect("flag step");
    assert_eq!(flag.options.as_deref(), Some(&["slander".to_string()][..]));
    assert_eq!(flag.due_by_text().as_deref(), Some("2026-11-11T00:00:00-06:00"));
    // Once everything else allows closing, the unflagged qualifier alone still blocks it.
    w.add(json!({"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}));
    w.add(json!({"at": "2026-11-10T10:25:00-06:00", "type": "exception_opened", "code": "NCNS", "directed_to": "area_manager", "risk": true}));
    w.add(json!({"at": "2026-11-10T12:00:00-06:00", "type": "admin_review", "emailed_area_manager": true}));
    let now = Some(parse_now("2026-11-10T12:30:00-06:00").unwrap());
    let proposal = json!({"closed_by": {"agent_id": "a", "role": "resolution_care_back_office"}, "basis": "resolved", "resolved_by": "INSTALLS Inc",
        "final_responsibility": "installation_company", "reason": "Technician-No-Call No-Show", "notes": "n"});
    let offered = |w: &Walk| w.engine.next_steps(&w.case, now).steps.iter().any(|s| s.action == "close_escalation");
    assert!(!offered(&w));
    assert_eq!(rules_of(&w.engine.can_close(&w.case, Some(Proposal::from(&proposal)), now).violations), ["LD009"]);
    w.add(json!({"at": "2026-11-10T12:10:00-06:00", "type": "flagged_for_review", "qualifiers": []}));
    assert!(offered(&w));
    assert!(w.engine.can_close(&w.case, Some(Proposal::from(&proposal)), now).allowed);
}

#[test]
fn close_step_agrees_with_can_close() {
    let mut w = Walk::new();
    w.add(json!({"at": "2026-11-10T10:20:00-06:00", "type": "call", "party": "servicer", "outcome": "reached"}));
    w.add(json!({"at": "2026-11-10T10:25:00-06:00", "type": "exception_opened", "code": "NCNS", "directed_to": "area_manager", "risk": true}));
    let proposal = json!({"closed_by": {"agent_id": "a", "role": "resolution_care_back_office"}, "basis": "resolved", "resolved_by": "INSTALLS Inc",
        "final_responsibility": "installation_company", "reason": "Technician-No-Call No-Show", "notes": "n"});
    let mut seen = Vec::new();
    for (extra, now) in [
        (None, "2026-11-10T11:00:00-06:00"),
        (
            Some(json!({"at": "2026-11-10T12:00:00-06:00", "type": "admin_review", "emailed_area_manager": true})),
            "2026-11-10T12:30:00-06:00",
        ),
    ] {
        if let Some(e) = extra {
            w.add(e);
        }
        let now_ts = parse_now(now).unwrap();
        let offered = w.engine.next_steps(&w.case, Some(now_ts)).steps.iter().any(|s| s.action == "close_escalation");
        let allowed = w.engine.can_close(&w.case, Some(Proposal::from(&proposal)), Some(now_ts)).allowed;
        assert_eq!(offered, allowed, "at {now}");
        seen.push(allowed);
    }
    assert_eq!(seen, [false, true]);
}
