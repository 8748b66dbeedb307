//! Walk the leadership procedure step by step through every branch: follow-up accepted vs
//! refused, Resolution Specialist available vs not, Team Supervisor available vs not.

use escalint::Proposal;
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

struct Walk {
    engine: Engine,
    case: Value,
}

impl Walk {
    fn new(channel: &str) -> Self {
        let case = json!({
            "id": "ESC-LD-WALK", "procedure": "leadership_request",
            "opened_at": "2026-11-10T14:00:00-05:00", "timezone": "America/New_York", "channel": channel,
            "events": []
        });
        Walk { engine: Engine::new(), case }
    }

    fn add(&mut self, event: Value) -> &mut Self {
        self.case["events"].as_array_mut().unwrap().push(event);
        self
    }

    fn steps(&self, now: &str) -> Vec<(String, Option<String>)> {
        let report = self.engine.next_steps(&self.case, Some(parse_now(now).unwrap()));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
        report.steps.iter().map(|s| (s.action.to_string(), s.due_by_text())).collect()
    }

    fn actions(&self, now: &str) -> Vec<String> {
        self.steps(now).into_iter().map(|s| s.0).collect()
    }

    fn can_close(&self, now: &str) -> bool {
        let proposal = json!({"closed_by": {"agent_id": "a", "role": "resolution_care_back_office"}, "basis": "resolved",
            "resolved_by": "INSTALLS Inc", "final_responsibility": "installs_inc", "reason": "Opened in error", "notes": "n"});
        self.engine.can_close(&self.case, Some(Proposal::from(&proposal)), Some(parse_now(now).unwrap())).allowed
    }

    /// The plan offers closing exactly when can_close allows it.
    fn check_close_agreement(&self, now: &str) {
        let offered = self.actions(now).iter().any(|a| a == "close_escalation");
        assert_eq!(offered, self.can_close(now), "at {now}: {:?}", self.actions(now));
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

fn transfer(at: &str, target: &str, waited: f64, available: bool) -> Value {
    json!({"at": at, "type": "transfer_attempt", "target": target, "waited_seconds": waited, "available": available, "accepted": available})
}

const EOD: &str = "2026-11-11T00:00:00-05:00";

#[test]
fn follow_up_accepted_on_a_phone_call() {
    let mut w = Walk::new("phone");
    assert_eq!(w.steps("2026-11-10T14:01:00-05:00"), [("offer_follow_up".to_string(), due(EOD))]);
    w.check_close_agreement("2026-11-10T14:01:00-05:00");

    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": true}));
    assert_eq!(
        w.steps("2026-11-10T14:04:00-05:00"),
        [
            ("convert_to_ebh_ticket".to_string(), due(EOD)),
            ("update_customer".to_string(), due("2026-11-11T14:03:00-05:00"))
        ]
    );
    w.add(json!({"at": "2026-11-10T14:04:00-05:00", "type": "ticket_converted", "from": "cxone", "to": "ebh"}));
    assert_eq!(
        w.steps("2026-11-10T14:05:00-05:00"),
        [("update_customer".to_string(), due("2026-11-11T14:03:00-05:00"))]
    );
    w.check_close_agreement("2026-11-10T14:05:00-05:00");

    w.add(json!({"at": "2026-11-11T10:00:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}));
    assert_eq!(w.actions("2026-11-11T10:01:00-05:00"), ["close_escalation"]);
    w.check_close_agreement("2026-11-11T10:01:00-05:00");
    assert!(w.validate("2026-11-12T10:01:00-05:00").is_empty());
}

#[test]
fn follow_up_accepted_by_email_needs_no_ticket() {
    let mut w = Walk::new("email");
    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": true}));
    assert_eq!(w.actions("2026-11-10T14:04:00-05:00"), ["update_customer"]);
}

#[test]
fn refused_and_specialist_available() {
    let mut w = Walk::new("chat");
    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": false}));
    assert_eq!(w.steps("2026-11-10T14:03:10-05:00"), [("warm_transfer_resolution_specialist".to_string(), due(EOD))]);
    w.check_close_agreement("2026-11-10T14:03:10-05:00");
    w.add(transfer("2026-11-10T14:04:00-05:00", "resolution_specialist", 30.0, true));
    assert_eq!(w.actions("2026-11-10T14:05:00-05:00"), ["close_escalation"]);
    w.check_close_agreement("2026-11-10T14:05:00-05:00");
}

#[test]
fn refused_specialist_unavailable_supervisor_available() {
    let mut w = Walk::new("phone");
    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": false}));
    // 31 s: over the window, so the specialist counts as unavailable.
    w.add(transfer("2026-11-10T14:04:00-05:00", "resolution_specialist", 31.0, true));
    assert_eq!(w.steps("2026-11-10T14:05:00-05:00"), [("warm_transfer_team_supervisor".to_string(), due(EOD))]);
    w.check_close_agreement("2026-11-10T14:05:00-05:00");
    w.add(transfer("2026-11-10T14:05:30-05:00", "team_supervisor", 20.0, true));
    assert_eq!(w.actions("2026-11-10T14:06:00-05:00"), ["close_escalation"]);
    w.check_close_agreement("2026-11-10T14:06:00-05:00");
}

#[test]
fn refused_nobody_available_goes_to_voicemail() {
    let mut w = Walk::new("phone");
    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": false}));
    w.add(transfer("2026-11-10T14:04:00-05:00", "resolution_specialist", 30.0, false));
    w.add(transfer("2026-11-10T14:05:00-05:00", "team_supervisor", 30.0, false));
    assert_eq!(w.steps("2026-11-10T14:06:00-05:00"), [("transfer_to_voicemail".to_string(), due(EOD))]);
    w.check_close_agreement("2026-11-10T14:06:00-05:00");
    w.add(json!({"at": "2026-11-10T14:06:30-05:00", "type": "voicemail_transfer"}));
    assert_eq!(w.actions("2026-11-10T14:07:00-05:00"), ["close_escalation"]);
    w.check_close_agreement("2026-11-10T14:07:00-05:00");
    assert!(w.validate("2026-11-12T00:00:00-05:00").is_empty(), "{:?}", w.validate("2026-11-12T00:00:00-05:00"));
}

#[test]
fn sensitive_case_gets_a_flag_step_first() {
    let mut w = Walk::new("web");
    w.case["sensitive_qualifiers"] = json!(["attorney", "Foreclosure notice"]);
    w.add(json!({"at": "2026-11-10T14:03:00-05:00", "type": "follow_up_offered", "accepted": false}));
    w.add(transfer("2026-11-10T14:04:00-05:00", "resolution_specialist", 10.0, true));
    let report = w.engine.next_steps(&w.case, Some(parse_now("2026-11-10T14:05:00-05:00").unwrap()));
    assert!(!report.steps.iter().any(|s| s.action == "close_escalation"), "closing waits for the flag");
    let flag = &report.steps[0];
    assert_eq!(flag.action, "flag_for_review");
    assert_eq!(flag.rule.id, "LD009");
    assert_eq!(flag.options.as_deref(), Some(&["lawyer".to_string(), "foreclosure_notice".to_string()][..]));
    w.add(json!({"at": "2026-11-10T14:06:00-05:00", "type": "flagged_for_review", "qualifiers": ["lawyer", "foreclosure_notice"]}));
    assert_eq!(w.actions("2026-11-10T14:07:00-05:00"), ["close_escalation"]);
}
