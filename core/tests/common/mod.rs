//! What the tests share: the example cases of examples/cases, read in one place, and the base
//! cases built in code (the FMS case of docs/format.md, an installs escalation) that each test
//! changes for its scenario.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The example case at `path` below examples/cases (e.g. `leadership_request/clean.json`).
pub fn example(path: &str) -> Value {
    read_case(&examples_dir().join(path))
}

/// Every example case of one procedure (its folder below examples/cases), with its path, in
/// name order.
pub fn examples_of(procedure: &str) -> Vec<(PathBuf, Value)> {
    let dir = examples_dir().join(procedure);
    let paths = example_files().into_iter().filter(|path| path.parent() == Some(dir.as_path()));
    paths.map(|path| (path.clone(), read_case(&path))).collect()
}

/// Every example case file below examples/cases (every procedure's folder), in path order.
pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .expect("examples/cases")
        .flat_map(|dir| std::fs::read_dir(dir.expect("a directory entry").path()).expect("a procedure's folder"))
        .map(|file| file.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The text of the example case at `path` below examples/cases.
pub fn example_text(path: &str) -> Vec<u8> {
    let path = examples_dir().join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// examples/cases.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cases")
}

fn read_case(path: &Path) -> Value {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Field Management Support case of docs/format.md: the reschedule conversation from
/// 09:02 on 2026-11-20 (New York time), the escalation opened at 09:15, the Market Manager
/// found, the servicer called at 09:20; not closed.
pub fn fms_case() -> Value {
    json!({
        "schema_version": 1,
        "id": "ESC-2026-000123",
        "procedure": "field_management_support",
        "opened_at": "2026-11-20T09:15:00-05:00",
        "timezone": "America/New_York",
        "channel": "phone",
        "priority": "normal",
        "customer": {"first_name": "Dana", "last_name": "Okafor", "phone": "(404) 555-0134", "zip": "30301"},
        "order": {
            "id": "ORD-88123", "status": "prescheduled_rejected", "scheduled_for": "2026-11-21",
            "servicer": {"a_number": "A104233", "name": "Peachtree Installs LLC"},
            "selling_store": "STORE-0042", "missed_appointments": 1, "completed_at": null
        },
        "escalation": {
            "escalation_for": "Installs Inc.", "installer_a_number": "A104233",
            "escalator_first_name": "Dana", "escalator_last_name": "Okafor", "escalator_phone": "404-555-0134",
            "escalator_title": "Customer", "ownership": "Install Support", "type": "Field Management Support",
            "preferred_date": "2026-11-21", "reschedule_reason": "servicer's van broke down",
            "compensation_request": null, "damage_claim": false, "notes": "free text"
        },
        "market_manager": {"name": "R. Alvarez", "email": "ralvarez@example.com", "region": "Southeast"},
        "store_providers": {"primary": "A104233", "secondary": "A200871", "tertiary": "A310022"},
        "sensitive_qualifiers": [],
        "events": [
            {"at": "2026-11-20T09:02:00-05:00", "type": "reschedule_reason_determined", "reason": "van broke down", "next_available_date": "2026-11-25"},
            {"at": "2026-11-20T09:06:00-05:00", "type": "reschedule_offered", "dates": ["2026-11-25", "2026-11-26"], "accepted_date": null},
            {"at": "2026-11-20T09:08:00-05:00", "type": "callback_set", "callback_at": "2026-11-20T13:00:00-05:00"},
            {"at": "2026-11-20T09:10:00-05:00", "type": "status_changed", "to": "prescheduled_rejected"},
            {"at": "2026-11-20T09:20:00-05:00", "type": "call", "party": "servicer", "outcome": "no_answer"}
        ],
        "closing": null
    })
}

/// `case` without the top-level fields `fields`.
pub fn without(mut case: Value, fields: &[&str]) -> Value {
    let object = case.as_object_mut().expect("a case is an object");
    for field in fields {
        object.remove(*field);
    }
    case
}

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
