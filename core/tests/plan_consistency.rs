//! The plan and can_close agree: `close_escalation` is offered exactly when can_close allows a
//! well-formed proposal for its first option, and a basis that is not offered is refused.

use escalint::{parse_now, Engine};
use proptest::prelude::*;
use serde_json::{json, Value};

const OUTCOMES: [&str; 5] = ["reached", "no_answer", "voicemail", "busy", "wrong_number"];

/// One generated event, `minutes` after opening.
fn event(minutes: i64, kind: u8, outcome: usize) -> Value {
    let at = opened() + chrono::Duration::minutes(minutes);
    let at = at.to_rfc3339();
    match kind % 7 {
        0 | 1 => json!({"at": at, "type": "call", "party": "customer", "outcome": OUTCOMES[outcome % OUTCOMES.len()]}),
        2 => json!({"at": at, "type": "email", "party": "customer"}),
        3 => json!({"at": at, "type": "call", "party": "customer", "direction": "inbound", "outcome": "reached"}),
        4 => json!({"at": at, "type": "update"}),
        5 => json!({"at": at, "type": "call", "party": "servicer", "outcome": OUTCOMES[outcome % OUTCOMES.len()]}),
        _ => json!({"at": at, "type": "job_completed"}),
    }
}

fn opened() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-20T09:15:00-05:00").unwrap()
}

fn case(fms: bool, cancelled: bool, events: Vec<Value>) -> Value {
    let mut case = json!({
        "schema_version": 1,
        "id": "ESC-PROP",
        "procedure": if fms { "field_management_support" } else { "installs_escalation" },
        "opened_at": opened().to_rfc3339(),
        "timezone": "America/New_York",
        "customer": {"first_name": "Dana", "last_name": "Okafor", "phone": "(404) 555-0134", "zip": "30301"},
        "order": {"id": "ORD-1", "status": if cancelled { "cancelled" } else { "prescheduled_rejected" }, "scheduled_for": "2026-11-21",
                  "servicer": {"a_number": "A104233", "name": "Peachtree Installs LLC"}, "selling_store": "STORE-0042", "missed_appointments": 1},
        "escalation": {"escalation_for": "Installs Inc.", "installer_a_number": "A104233", "escalator_first_name": "Dana",
                       "escalator_last_name": "Okafor", "escalator_phone": "404-555-0134", "escalator_title": "Customer",
                       "ownership": "Install Support", "type": if fms { "Field Management Support" } else { "Technician No Show" },
                       "preferred_date": "2026-11-21", "reschedule_reason": "van broke down", "damage_claim": false, "notes": "x"},
        "market_manager": {"name": null},
        "store_providers": {"primary": "A104233", "secondary": "A200871", "tertiary": "A310022"},
        "events": events,
        "closing": null
    });
    if !fms {
        case.as_object_mut().unwrap().remove("market_manager");
    }
    case
}

fn proposal(basis: &str) -> Value {
    json!({
        "closed_by": {"agent_id": "ag-1", "role": "TRA and Field Management"},
        "basis": basis,
        "resolved_by": "Installs Inc.",
        "final_responsibility": "installation_company",
        "reason": "Services Not Complete or Below Standard",
        "notes": "closed after the history shown"
    })
}

fn events_strategy() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec((0i64..4 * 24 * 60, any::<u8>(), 0usize..5), 0..10)
        .prop_map(|raw| raw.into_iter().map(|(m, k, o)| event(m, k, o)).collect())
}

fn check_agreement(case: &Value, minutes_after_opening: i64) -> Result<(), TestCaseError> {
    let engine = Engine::new();
    let now = parse_now(&(opened() + chrono::Duration::minutes(minutes_after_opening)).to_rfc3339()).unwrap();
    let plan = engine.next_steps_value(case, Some(now));
    let offered =
        plan.steps.iter().find(|s| s.action == "close_escalation").and_then(|s| s.options.clone()).unwrap_or_default();
    for basis in ["resolved", "no_contact", "no_longer_an_issue"] {
        let allowed = engine.can_close_value(case, Some(&proposal(basis)), Some(now));
        let is_offered = offered.iter().any(|o| o == basis);
        prop_assert_eq!(
            allowed.allowed,
            is_offered,
            "basis {} offered {:?} but can_close says {:?}\ncase: {}",
            basis,
            offered,
            allowed.violations,
            case
        );
    }
    if let Some(first) = offered.first() {
        prop_assert!(engine.can_close_value(case, Some(&proposal(first)), Some(now)).allowed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn installs_plan_offers_closing_exactly_when_can_close_allows_it(events in events_strategy(), now in 0i64..6 * 24 * 60) {
        check_agreement(&case(false, false, events), now)?;
    }

    #[test]
    fn fms_plan_offers_closing_exactly_when_can_close_allows_it(events in events_strategy(), cancelled in any::<bool>(), now in 0i64..6 * 24 * 60) {
        check_agreement(&case(true, cancelled, events), now)?;
    }
}
