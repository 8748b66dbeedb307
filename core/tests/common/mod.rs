//! Installs-escalation cases built in code for the closing / timeliness / can_close tests.
#![allow(dead_code)]

use serde_json::{json, Value};

/// A compliant open installs escalation opened 2026-11-20 09:15 New York time, touched at 10:00.
pub fn installs_case() -> Value {
    json!({
        "schema_version": 1,
        "id": "ESC-TEST-1",
        "procedure": "installs_escalation",
        "opened_at": "2026-11-20T09:15:00-05:00",
        "timezone": "America/New_York",
        "order": {"id": "ORD-1", "status": "completed", "scheduled_for": "2026-11-19",
                  "servicer": {"a_number": "A200871", "name": "Lakeside Installs"}, "selling_store": "STORE-0107"},
        "escalation": {"escalation_for": "Installs Inc.", "escalator_title": "Customer", "ownership": "Install Support",
                       "type": "Technician No Show", "damage_claim": false, "notes": "no-show on 11/19"},
        "events": [
            {"at": "2026-11-20T10:00:00-05:00", "type": "call", "party": "customer", "outcome": "reached"}
        ],
        "closing": null
    })
}

/// A well-formed closing with the given basis, party and reason.
pub fn closing(basis: &str, party: &str, reason: &str) -> Value {
    json!({
        "closed_at": "2026-11-20T16:00:00-05:00",
        "closed_by": {"agent_id": "ag-311", "role": "resolution_care_back_office"},
        "basis": basis,
        "resolved_by": "INSTALLS Inc",
        "final_responsibility": party,
        "reason": reason,
        "notes": "Servicer rebooked; customer confirmed."
    })
}

pub fn customer_call(at: &str, outcome: &str) -> Value {
    json!({"at": at, "type": "call", "party": "customer", "outcome": outcome})
}

pub fn rules_of(violations: &[escalint::Violation]) -> Vec<&'static str> {
    violations.iter().map(|v| v.rule).collect()
}
